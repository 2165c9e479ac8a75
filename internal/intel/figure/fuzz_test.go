package figure

import (
	"testing"
	"unicode/utf8"
)

func FuzzExtract(f *testing.F) {
	for _, p := range loadGold(f) {
		f.Add(p.Lang, p.Text)
	}
	for _, s := range []string{"", "1", "$", "٫١", "1,", ",1", "1.000.000,5", "1 000 000", "\xff1\xfe%", "a thousand", "ألف", "-", "10:30", "F-35", "1\n2\n3"} {
		f.Add("en", s)
	}
	f.Fuzz(func(t *testing.T, lang, s string) {
		figs := Extract(lang, s)
		last := 0
		for _, g := range figs {
			if g.Start >= g.End || g.Start < 0 || g.End > len(s) {
				t.Fatalf("bad span %d..%d in %q", g.Start, g.End, s)
			}
			if g.Start < last {
				t.Fatalf("figures overlap or go backwards at %d in %q", g.Start, s)
			}
			last = g.End
			if utf8.ValidString(s) && !validUTF8Offsets(s, g.Start, g.End) {
				t.Fatalf("span %d..%d not on rune boundaries in %q", g.Start, g.End, s)
			}
			if s[g.Start:g.End] != g.Text {
				t.Fatalf("Text %q is not the span %q", g.Text, s[g.Start:g.End])
			}
		}
		// Grouping what came out must not panic either.
		var reps []Reported
		for i, g := range figs {
			reps = append(reps, Reported{Article: int64(i % 3), Outlet: string(rune('a' + i%3)), Lang: lang, Figure: g})
		}
		Groups(reps, nil)
	})
}

// validUTF8Offsets reports a span with both ends on rune boundaries.
func validUTF8Offsets(s string, start, end int) bool {
	return start >= 0 && start < end && end <= len(s) &&
		utf8.RuneStart(s[start]) && (end == len(s) || utf8.RuneStart(s[end]))
}
