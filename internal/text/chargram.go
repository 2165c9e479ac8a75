package text

import (
	"unicode/utf8"
)

// GramPrefix starts the keys of character n-gram terms ("~_wor"). The
// prefix is not an anchor prefix, so a Model weights grams as words; keep
// grams in their own Doc (CharGrams) rather than mixing them with stems.
const GramPrefix = "~"

// CharGrams returns the character n-grams of the content words of title
// and body as a Doc: each word (stop words of lang dropped) is folded to
// lowercase without accents, padded with '_' on both sides and cut into
// overlapping n-rune pieces. Grams match inflected and agglutinated forms
// that a stemmer leaves apart ("والحكومة" and "الحكومة" share most of
// theirs), and cognates across languages of one script. CJK bigrams are
// kept whole. n below 2 means 4; titleWeight 0 means 2.
func CharGrams(lang, title, body string, n int, titleWeight float64) *Doc {
	if n < 2 {
		n = 4
	}
	if titleWeight == 0 {
		titleWeight = 2
	}
	b := builder{counts: make(map[string]float64), surface: make(map[string]string)}
	buf := make([]rune, 0, 32)
	for part, s := range [2]string{title, body} {
		w := 1.0
		if part == 0 {
			w = titleWeight
		}
		for _, t := range Tokenize(s) {
			switch t.Kind {
			case KindCJK:
				b.add(GramPrefix+t.Text, w, t.Surface)
				continue
			case KindWord:
			default:
				continue
			}
			if utf8.RuneCountInString(t.Text) < 2 || IsStop(lang, t.Text) {
				continue
			}
			buf = append(buf[:0], '_')
			buf = append(buf, []rune(Fold(t.Text))...)
			buf = append(buf, '_')
			if len(buf) <= n {
				b.add(GramPrefix+string(buf), w, t.Surface)
				continue
			}
			for i := 0; i+n <= len(buf); i++ {
				b.add(GramPrefix+string(buf[i:i+n]), w, t.Surface)
			}
		}
	}
	d := b.doc(lang)
	// Surfaces of grams are whole words, useless for summaries; drop
	// them to keep the Doc small.
	d.Surface = nil
	return d
}
