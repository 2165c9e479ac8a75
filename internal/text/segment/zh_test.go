package segment

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/go-ego/gse"

	"github.com/storyline/storyline/internal/shared"
)

// TestChineseTaggedAsGse: the segmenter gives gse's segmentation and tags
// (on texts written here, and on the Chinese articles of the WMT dev set
// when it is there), gse's own words being lowercased Latin.
func TestChineseTaggedAsGse(t *testing.T) {
	texts := []string{
		"德国表示，留给恢复伊朗核协议的时间不多了。",
		"北约秘书长马克·吕特周三抵达东京，与日本首相石破茂举行会谈。",
		"台風10号は30日午後、九州南部に上陸した。", // Japanese Han and kana: units of their own
		"苹果公司发布了新款iPhone 16，售价为799美元。",
		"這是一篇繁體中文的新聞報導，記者在臺北採訪。",
		"",
		"   ",
		"NATO",
	}
	// The dev set adds real articles; in CI it must be there, elsewhere the
	// texts above suffice.
	if p, ok := shared.Optional(t, "data/wmt-dev-stories.jsonl"); ok {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var d struct{ Lang, Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			if d.Lang == "zh" {
				texts = append(texts, d.Title, d.Text)
			}
		}
	}
	var seg gse.Segmenter
	if err := seg.LoadDictEmbed(); err != nil {
		t.Fatal(err)
	}
	words, differ := 0, 0
	for _, s := range texts {
		want := seg.Pos(s, false)
		got := ChineseTagged(s)
		words += len(want)
		if len(got) != len(want) {
			differ++
			t.Errorf("%.40q: %d words, gse %d", s, len(got), len(want))
			continue
		}
		for i := range got {
			if strings.ToLower(got[i].Text) != want[i].Text || got[i].Pos != want[i].Pos {
				differ++
				t.Errorf("%.40q word %d: %q/%s, gse %q/%s", s, i, got[i].Text, got[i].Pos, want[i].Text, want[i].Pos)
				break
			}
			if got[i].Text != s[got[i].Start:got[i].End] {
				t.Errorf("%.40q word %d: %q at %d:%d", s, i, got[i].Text, got[i].Start, got[i].End)
			}
		}
	}
	t.Logf("%d texts, %d words, %d texts differ", len(texts), words, differ)
}

// BenchmarkChineseTagged segments a paragraph of news Chinese written here.
func BenchmarkChineseTagged(b *testing.B) {
	s := strings.Repeat("北约秘书长马克·吕特周三抵达东京，与日本首相石破茂举行会谈。德国表示，留给恢复伊朗核协议的时间不多了。苹果公司发布了新款iPhone 16，售价为799美元。", 4)
	loadZh()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		ChineseTagged(s)
	}
}
