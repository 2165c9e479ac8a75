package text

import (
	"strings"
	"unicode/utf8"
)

// NormalizeArabic folds the spelling variants that Arabic writers use
// interchangeably, so that one word has one form: it drops short-vowel
// marks (harakat), the dagger alef and tatweel, and writes the
// hamza-carrying alefs أ إ آ ٱ as bare ا, alef maqsura ى as ي, ta marbuta
// ة as ه, and the Persian letters ی and ک that Arabic text borrows as ي
// and ك. Text with nothing to fold is returned as is, without allocating.
//
// The folded form is for matching only: dictionaries and transliteration
// need the letters as written (ة is a vowel, ه a consonant).
func NormalizeArabic(w string) string {
	if !needsArabicNorm(w) {
		return w
	}
	var sb strings.Builder
	sb.Grow(len(w))
	for _, r := range w {
		if r = arabicFold(r); r >= 0 {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// arabicFold maps one rune for NormalizeArabic; -1 drops it.
func arabicFold(r rune) rune {
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640: // harakat, dagger alef, tatweel
		return -1
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ':
		return 'ا'
	case 'ى', 'ی':
		return 'ي'
	case 'ة':
		return 'ه'
	case 'ک':
		return 'ك'
	}
	return r
}

// needsArabicNorm reports whether w holds a rune that arabicFold changes.
func needsArabicNorm(w string) bool {
	for i := 0; i < len(w); i++ {
		// Every rune arabicFold changes lies in U+0600–U+06FF, whose UTF-8
		// forms start with 0xD8–0xDB: other text is passed over bytewise.
		if c := w[i]; c >= 0xD8 && c <= 0xDB {
			r, _ := utf8.DecodeRuneInString(w[i:])
			if arabicFold(r) != r {
				return true
			}
		}
	}
	return false
}

// isArabicLetter reports whether r is a letter of the basic Arabic
// alphabet (hamza to ya), not a mark, digit, tatweel or extended letter.
func isArabicLetter(r rune) bool { return r >= 0x0621 && r <= 0x064A && r != 0x0640 }

// cutProclitic splits a one-letter Arabic proclitic (و "and", ف "so",
// ب "with", ل "for", ك "like") off the normalised word w when at least
// minRest letters remain, returning the proclitic's byte length, or 0.
func cutProclitic(w string, minRest int) int {
	r, n := utf8.DecodeRuneInString(w)
	switch r {
	case 'و', 'ف', 'ب', 'ل', 'ك':
		if utf8.RuneCountInString(w[n:]) >= minRest {
			return n
		}
	}
	return 0
}

// arabicWords holds the normalised words of one Arabic document: norm
// parallels its title and body tokens ("" for other kinds), bare is the
// set of them.
type arabicWords struct {
	norm [2][]string
	bare map[string]bool
}

func newArabicWords(parts [2][]Token) arabicWords {
	a := arabicWords{bare: make(map[string]bool)}
	for p, toks := range parts {
		a.norm[p] = make([]string, len(toks))
		for i, t := range toks {
			if t.Kind == KindWord {
				n := NormalizeArabic(t.Text)
				a.norm[p][i] = n
				if !t.Latin {
					// الناتو attests ناتو as much as ناتو does.
					a.bare[n] = true
					a.bare[stripArticle(n)] = true
				}
			}
		}
	}
	return a
}

// stripProclitic returns word (normalised) and raw (as written) without
// a one-letter proclitic when the rest of word, three letters or more,
// is itself a word of the document, with or without the article;
// otherwise both unchanged. The document attests the bare word
// (وأردوغان beside أردوغان, وناتو beside الناتو), which a stemmer
// working on one word at a time cannot know: Snowball never strips و
// before ا, to spare words such as وافق.
func (a arabicWords) stripProclitic(word, raw string) (string, string) {
	n := cutProclitic(word, 3)
	if n == 0 || !a.bare[word[n:]] {
		return word, raw
	}
	rawRest, ok := strings.CutPrefix(raw, word[:n])
	if !ok {
		return word, raw
	}
	return word[n:], rawRest
}
