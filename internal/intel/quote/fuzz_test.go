package quote

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzExtract checks that Extract never panics and that what it returns
// is well formed: offsets inside the text and on rune boundaries, Start
// before End, quotes in order without overlap, Text non-empty, speaker
// fields all set or all empty.
func FuzzExtract(f *testing.F) {
	for _, p := range loadGold(f) {
		f.Add(p.Lang, p.Text, 0, 4)
	}
	f.Add("", "“a „b‚c «d 「e ‘f’ \"g\" h»” »i« ‹j› 『k』", 2, 9)
	f.Add("fr", "« A »\n« B\n\n« C », a-t-il dit.", -1, 100)
	f.Add("ar", "وقال: «\n«", 3, 1)
	f.Fuzz(func(t *testing.T, lang, text string, ps, pe int) {
		// The caller's spans: an arbitrary one (maybe out of range) and one
		// for every capitalised word, to drive title and pronoun resolution.
		people := []Span{{Start: ps, End: pe}}
		for i, r := range text {
			if unicode.IsUpper(r) {
				people = append(people, Span{Start: i, End: wordEnd(text, i), Name: "x"})
			}
		}
		for _, ppl := range [][]Span{nil, people} {
			check(t, text, Extract(lang, text, ppl))
		}
	})
}

func check(t *testing.T, text string, qs []Quote) {
	t.Helper()
	bound := map[int]bool{len(text): true}
	for i := range text {
		bound[i] = true
	}
	last := 0
	for _, q := range qs {
		if q.Start < last || q.Start >= q.End || q.End > len(text) || !bound[q.Start] || !bound[q.End] {
			t.Fatalf("bad quote span %d..%d (after %d) in %d bytes: %+v", q.Start, q.End, last, len(text), q)
		}
		last = q.End
		if q.Text == "" || !utf8.ValidString(q.Text) && utf8.ValidString(text) {
			t.Fatalf("bad text %q", q.Text)
		}
		named := q.Speaker != ""
		if named != (q.Via != "") || named != (q.Confidence > 0) || q.Confidence < 0 || q.Confidence > 1 {
			t.Fatalf("speaker fields disagree: %+v", q)
		}
		if !named {
			if q.SpeakerStart != -1 || q.SpeakerEnd != -1 {
				t.Fatalf("unnamed speaker with offsets: %+v", q)
			}
			continue
		}
		if q.SpeakerStart < 0 || q.SpeakerStart >= q.SpeakerEnd || q.SpeakerEnd > len(text) || !bound[q.SpeakerStart] || !bound[q.SpeakerEnd] {
			t.Fatalf("bad speaker span %d..%d: %+v", q.SpeakerStart, q.SpeakerEnd, q)
		}
	}
}
