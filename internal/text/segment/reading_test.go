package segment

import (
	"fmt"
	"strings"
	"testing"
)

// The dictionary keeps only the features Japanese reads (see
// trimContents): base forms and readings must come out as the full
// dictionary gives them.
func TestJapaneseBaseAndReading(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"東京に行った", "東京/東京/トウキョウ に/に/ニ 行っ/行く/イッ た/た/タ"},
		{"政府は新しい法律を発表しました", "政府/政府/セイフ は/は/ハ 新しい/新しい/アタラシイ 法律/法律/ホウリツ を/を/ヲ 発表/発表/ハッピョウ し/する/シ まし/ます/マシ た/た/タ"},
		{"ルッテ事務総長", "ルッテ/ルッテ/ 事務/事務/ジム 総長/総長/ソウチョウ"},
	} {
		var got []string
		for _, w := range Japanese(tc.in) {
			got = append(got, fmt.Sprintf("%s/%s/%s", w.Surface, w.Base, w.Reading))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("Japanese(%q)\n got %s\nwant %s", tc.in, g, tc.want)
		}
	}
}
