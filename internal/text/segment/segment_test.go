package segment

import (
	"slices"
	"testing"
)

func content(ws []Word) (words, names []string) {
	for _, w := range ws {
		if w.Content {
			words = append(words, w.Base)
		}
		if w.Name {
			names = append(names, w.Surface)
		}
	}
	return words, names
}

func TestJapanese(t *testing.T) {
	for _, tc := range []struct {
		in               string
		want, not, names []string
	}{
		{
			in:    "ドルトムント市長は、新しい橋の建設について市議会と協議している。",
			want:  []string{"市長", "橋", "建設", "市議会", "協議"},
			not:   []string{"は", "の", "について", "と", "いる", "する", "て"},
			names: []string{"ドルトムント"},
		},
		{
			// An inflected verb is kept in its dictionary form.
			in:   "大雨で川が氾濫し、住民が避難した。",
			want: []string{"大雨", "川", "氾濫", "住民", "避難"},
			not:  []string{"で", "が", "た"},
		},
	} {
		words, names := content(Japanese(tc.in))
		for _, w := range tc.want {
			if !slices.Contains(words, w) {
				t.Errorf("%s: content words %v lack %q", tc.in, words, w)
			}
		}
		for _, w := range tc.not {
			if slices.Contains(words, w) {
				t.Errorf("%s: function word %q kept as content", tc.in, w)
			}
		}
		for _, n := range tc.names {
			if !slices.Contains(names, n) {
				t.Errorf("%s: names %v lack %q", tc.in, names, n)
			}
		}
	}
}

func TestChinese(t *testing.T) {
	words, _ := content(Chinese("市政府周二宣布在河边修建一座新桥，居民们表示欢迎。"))
	for _, w := range []string{"市政府", "宣布", "修建", "居民"} {
		if !slices.Contains(words, w) {
			t.Errorf("content words %v lack %q", words, w)
		}
	}
	for _, w := range []string{"在", "的", "了", "，", "。"} {
		if slices.Contains(words, w) {
			t.Errorf("function word or mark %q kept as content: %v", w, words)
		}
	}
}
