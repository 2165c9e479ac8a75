package figure

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/text"
)

type tokKind uint8

const (
	tWord  tokKind = iota // letters, with hyphens between letters ("year-old", "us-dollar")
	tNum                  // digits with separators between them ("1,000", "٦١٫٤", "1 500")
	tPunct                // any other single rune ("%", "$", "-", ".", "'")
)

// token is one unit of text with its byte offsets. Unlike text.Tokenize it
// keeps offsets into the original text, punctuation and whether a token is
// glued to the one before: "G7", "F-35" and "10:30" are told from figures by
// what touches the number.
type token struct {
	start, end int
	kind       tokKind
	low        string // words: lowercase, Arabic normalised; numbers and punctuation: as written
	glued      bool   // nothing between this token and the one before
	lineStart  bool   // first token of a line
	sentStart  bool   // first token of a sentence, a line or the text
	cap        bool   // a word beginning with an upper-case letter
	acronym    bool   // a word of two or more letters, all upper case
	mixedCase  bool   // an upper-case letter after the first: "iPhone", "McDonald"
}

// ignorable runes are invisible format characters that news text carries
// (bidi marks in Arabic, zero-width spaces): they separate like a space.
func ignorable(r rune) bool {
	return r == 0x200B || r == 0x200C || r == 0x200D || r == 0x200E || r == 0x200F || r == 0xFEFF || r == 0x2060
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	if r >= 0x0620 && r <= 0x065F { // Arabic letters, tatweel and vowel marks
		return true
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

func isHyphen(r rune) bool { return r == '-' || r == '‐' }

// tokenize splits s into words, numbers and punctuation, with byte offsets.
// It never fails; invalid UTF-8 bytes are punctuation tokens of one byte.
func tokenize(v *vocab, s string) []token { return appendTokens(nil, v, s) }

// appendTokens is tokenize appending to dst[:0].
func appendTokens(dst []token, v *vocab, s string) []token {
	toks := slices.Grow(dst[:0], len(s)/4+1)
	glued, lineStart, sentStart := false, true, true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			lineStart, sentStart, glued = true, true, false
			i += size
			continue
		case unicode.IsSpace(r) || ignorable(r):
			glued = false
			i += size
			continue
		}
		t := token{start: i, glued: glued && len(toks) > 0, lineStart: lineStart, sentStart: sentStart}
		switch {
		case unicode.IsDigit(r):
			t.kind = tNum
			t.end = scanNumber(v, s, i)
			t.low = s[i:t.end]
		case isLetter(r):
			t.kind = tWord
			j := i + size
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if isLetter(r2) {
					j += sz
					continue
				}
				// A hyphen between letters keeps the word whole:
				// "year-old", "US-Dollar", "Indo-Pacific".
				if isHyphen(r2) && j+sz < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+sz:])
					if isLetter(r3) {
						j += sz
						continue
					}
				}
				break
			}
			t.end = j
			w := s[i:j]
			t.low = lowerWord(w)
			t.cap = unicode.IsUpper(r)
			for _, c := range w[size:] {
				if unicode.IsUpper(c) {
					t.mixedCase = true
					break
				}
			}
			if t.cap {
				letters, upper := 0, 0
				for _, c := range w {
					if unicode.IsLetter(c) {
						letters++
						if unicode.IsUpper(c) {
							upper++
						}
					}
				}
				t.acronym = letters >= 2 && upper == letters
			}
		default:
			t.kind = tPunct
			t.end = i + size
			t.low = s[i:t.end]
		}
		toks = append(toks, t)
		i = t.end
		glued, lineStart = true, false
		sentStart = t.kind == tPunct && endsSentence(t.low)
	}
	return toks
}

func endsSentence(p string) bool {
	switch p {
	case ".", "!", "?", ";", ":", "؟", "。", "|", "•":
		return true
	}
	return false
}

// lowerWord lowercases w and writes Arabic in text.NormalizeArabic's
// spelling, so that data and text meet whatever hamza or ta marbuta the
// writer chose.
func lowerWord(w string) string {
	arabic, cased := false, false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= 0xD8 && c <= 0xDB: // the lead bytes of U+0600–U+06FF
			arabic = true
			i++
		case c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf:
			cased = true
		}
	}
	if cased {
		// Any other script may have case; Arabic alone has none, and
		// lowercasing it rune by rune is most of tokenizing it.
		w = strings.ToLower(w)
	}
	if arabic {
		return text.NormalizeArabic(w)
	}
	return w
}

// scanNumber returns the end of the number starting at s[i]: digits, and
// a separator between digits (",", ".", the Arabic ٫ ٬ ،, a no-break or
// thin space before three digits; a plain space too where the language
// groups digits so, as French does: "1 500").
func scanNumber(v *vocab, s string, i int) int {
	j := i
	group := 0 // digits since the last separator
	for j < len(s) {
		r, sz := utf8.DecodeRuneInString(s[j:])
		if unicode.IsDigit(r) {
			j += sz
			group++
			continue
		}
		if j+sz >= len(s) {
			break
		}
		next, _ := utf8.DecodeRuneInString(s[j+sz:])
		if !unicode.IsDigit(next) {
			break
		}
		switch {
		case r == ',' || r == '.' || r == '٫' || r == '٬' || r == '،':
		case r == '\u00A0' || r == '\u202F' || r == '\u2009' || (r == ' ' && v.spaceGroups):
			// A space groups digits only between a short group and
			// exactly three digits: "1 500 soldats", never "2024 1".
			if group > 3 || threeDigitsFollow(s[j+sz:]) != 3 {
				return j
			}
		default:
			return j
		}
		j += sz
		group = 0
	}
	return j
}

// threeDigitsFollow counts the digits that begin s, stopping at four.
func threeDigitsFollow(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsDigit(r) || n == 4 {
			break
		}
		n++
	}
	return n
}

// parseNumber reads a number as written in v's language. decimals is the
// count of digits after the decimal sign. ok is false for digit runs that
// are no number, such as dates ("10.04.2025") and version strings.
func parseNumber(v *vocab, raw string) (val float64, decimals int, ok bool) {
	s := text.ASCIIDigits(raw)
	var groups [8]string
	var seps [8]byte
	n := 0 // separators
	start := 0
	for i := 0; i < len(s); {
		r, sz := utf8.DecodeRuneInString(s[i:])
		if r >= '0' && r <= '9' {
			i += sz
			continue
		}
		var sep byte
		switch {
		case r == ',' || r == '،':
			sep = ','
		case r == '.':
			sep = '.'
		case unicode.IsSpace(r):
			sep = ' '
		default:
			return 0, 0, false // a digit of a script ASCIIDigits does not know
		}
		if n == len(seps)-1 {
			return 0, 0, false
		}
		groups[n], seps[n] = s[start:i], sep
		n++
		i += sz
		start = i
	}
	groups[n] = s[start:]
	dec := -1 // index of the group after the decimal sign
	if n > 0 && seps[n-1] != ' ' {
		last := seps[n-1]
		same := 0
		for _, c := range seps[:n] {
			if c == last {
				same++
			}
		}
		switch {
		case same > 1:
			// Repeated, so grouping: "1,000,000", "1.000.000".
		case n > 1:
			dec = n // "1,000.5", "1.000,5", "1 000,5"
		case len(groups[1]) != 3 || groups[0] == "0" || groups[0] == "":
			dec = n // "2.5", "2,75", "0,125"
		case last == ',':
			if v.decimalComma && !v.comma3Group {
				dec = n // "1,500" in German is 1.5
			}
		case last == '.':
			if !v.decimalComma {
				dec = n // "1.500" in English is 1.5
			}
		}
	}
	intEnd := n
	if dec >= 0 {
		intEnd = n - 1
	}
	// Grouping must look like grouping: a first group of one to three
	// digits, then groups of exactly three with one kind of separator.
	if intEnd > 0 {
		if l := len(groups[0]); l < 1 || l > 3 {
			return 0, 0, false
		}
		for k := 0; k < intEnd; k++ {
			if len(groups[k+1]) != 3 || seps[k] != seps[0] {
				return 0, 0, false
			}
		}
	}
	var digits []byte
	for k := 0; k <= intEnd; k++ {
		digits = append(digits, groups[k]...)
	}
	if dec >= 0 {
		if groups[dec] == "" {
			return 0, 0, false
		}
		digits = append(digits, '.')
		digits = append(digits, groups[dec]...)
		decimals = len(groups[dec])
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, 0, false
	}
	val, err := strconv.ParseFloat(string(digits), 64)
	if err != nil {
		return 0, 0, false
	}
	return val, decimals, true
}
