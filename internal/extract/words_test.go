package extract

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// wordsRe is what words replaced, and strings.Fields what wordCount
// counts without building: they stay here as the oracles.
var wordsRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

func TestWordScannersAsWhatTheyReplace(t *testing.T) {
	for _, s := range []string{
		"",
		"   ",
		"Read more: Rutte in Tokyo",
		"snake_case and 3,5 % — 2025年4月9日",
		"Рютте прибыл в Токио.",
		"رئيس الوزراء الياباني ٢٠٢٥",
		"東京で会談した",
		"naïve café x²",              // ² is a number (No)
		"invalid \xff\xfe bytes\xc3", // not UTF-8: ends a word
		"trailing word",
		"\u200bzero\u00a0width",
		"  lead\t\ttabs\u0085next\u3000ideographic  ",
		"emoji🙂between",
	} {
		got, want := words(s), wordsRe.FindAllString(s, -1)
		if !slices.Equal(got, want) {
			t.Errorf("words(%q) = %q, want %q", s, got, want)
		}
		if got, want := wordCount(s), len(strings.Fields(s)); got != want {
			t.Errorf("wordCount(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"a b", "Read more: x", "\xff", "日本語 テキスト", "x_1²"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := words(s), wordsRe.FindAllString(s, -1); !slices.Equal(got, want) {
			t.Errorf("words(%q) = %q, want %q", s, got, want)
		}
		if got, want := wordCount(s), len(strings.Fields(s)); got != want {
			t.Errorf("wordCount(%q) = %d, want %d", s, got, want)
		}
	})
}
