package quote

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tWord  tokKind = iota + 1
	tPunct         // one punctuation character
	tMark          // a quotation mark, paired or not
	tBreak         // a paragraph break
)

// token is a word, a punctuation character, a mark or a paragraph break.
type token struct {
	start, end int
	kind       tokKind
	norm       string // words: lower case, apostrophes and Arabic letters folded; else the character
	cap        bool   // the word starts with a capital
	quote      int    // 1 + index of the quote whose marks or words hold it; 0 outside quotes
	sent, para int    // sentence and paragraph numbers (quotes do not end sentences)
}

// lex splits text into tokens. Words keep their inner apostrophes and
// hyphens (don’t, a-t-il, Secretary-General), abbreviations and initials
// their period (Mr., F.); an elided article is a word of its own (l’,
// d’, qu’), and so is an Arabic one-letter preposition drawn out with a
// tatweel (لـ); a run of Han or kana is one word.
func lex(text string) []token { return appendLex(nil, text) }

// appendLex is lex appending to dst[:0].
func appendLex(dst []token, text string) []token {
	toks := slices.Grow(dst[:0], len(text)/4+8) // about one token per 4 bytes in Latin text
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			if paraBreak(text, i) {
				toks = append(toks, token{start: i, end: i + 1, kind: tBreak})
			}
			i += size
		case unicode.IsSpace(r) || r == utf8.RuneError || unicode.IsControl(r):
			i += size
		case isCJK(r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !isCJK(r2) {
					break
				}
				j += s2
			}
			toks = append(toks, token{start: i, end: j, kind: tWord, norm: text[i:j]})
			i = j
		case isWordRune(r):
			j := wordEnd(text, i)
			if unicode.Is(unicode.Arabic, r) && strings.HasPrefix(text[i+size:], "ـ") {
				k := i + size
				for strings.HasPrefix(text[k:], "ـ") {
					k += len("ـ")
				}
				if k < j {
					j = k
				}
			}
			if k := elision(text[i:j]); k > 0 {
				j = i + k // l’économiste, d’après, qu’il: the article is a word of its own
			}
			if j < len(text) && text[j] == '.' {
				if n := utf8.RuneCountInString(text[i:j]); n == 1 && unicode.IsUpper(r) {
					j++ // an initial: John F. Kennedy, U.S.
					for j+1 < len(text) && text[j+1] == '.' && text[j] < utf8.RuneSelf && unicode.IsUpper(rune(text[j])) {
						j += 2
					}
				} else if abbrAll[normWord(text[i:j])] {
					j++
				}
			}
			toks = append(toks, token{start: i, end: j, kind: tWord, norm: normWord(text[i:j]), cap: unicode.IsUpper(r) || unicode.IsTitle(r)})
			i = j
		case isMark(r):
			toks = append(toks, token{start: i, end: i + size, kind: tMark, norm: text[i : i+size]})
			i += size
		default:
			toks = append(toks, token{start: i, end: i + size, kind: tPunct, norm: text[i : i+size]})
			i += size
		}
	}
	return toks
}

// elision returns the length of an elided article or pronoun that opens
// w (l’, d’, qu’, O’), 0 when none does.
func elision(w string) int {
	for i, r := range w {
		if r == '\'' || r == '’' || r == 'ʼ' {
			if n := utf8.RuneCountInString(w[:i]); n == 1 || strings.EqualFold(w[:i], "qu") {
				return i + utf8.RuneLen(r)
			}
			return 0
		}
		if i > len("qu") {
			return 0
		}
	}
	return 0
}

// wordEnd returns the end of the word that starts at text[i].
func wordEnd(text string, i int) int {
	_, size := utf8.DecodeRuneInString(text[i:])
	j := i + size
	for j < len(text) {
		r, s := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r) && !isCJK(r) {
			j += s
			continue
		}
		if isJoiner(r) {
			if r2, _ := utf8.DecodeRuneInString(text[j+s:]); isWordRune(r2) && !isCJK(r2) {
				j += s
				continue
			}
		}
		break
	}
	return j
}

func isJoiner(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '-', '‐', '‑':
		return true
	}
	return false
}

// normWord folds a word for matching: lower case, one apostrophe and one
// hyphen, Arabic without short vowels, tatweel and hamza forms of alef.
func normWord(s string) string {
	simple := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			simple = false
			break
		}
	}
	if simple {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '’' || r == 'ʼ' || r == '‘':
			b.WriteByte('\'')
		case r == '‐' || r == '‑':
			b.WriteByte('-')
		case r == 'ـ' || r >= 0x064B && r <= 0x0652 || r == 0x0670:
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			b.WriteRune('ا')
		case r == 'ى':
			b.WriteRune('ي')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func isSentEnd(s string) bool {
	switch s {
	case ".", "!", "?", "؟", "。", "！", "？":
		return true
	}
	return false
}

// runeBoundary reports whether s[i:] starts a rune (or an invalid byte
// read as one), as ranging over s would step.
func runeBoundary(s string, i int) bool {
	if i <= 0 || i >= len(s) {
		return i == 0 || i == len(s)
	}
	if utf8.RuneStart(s[i]) {
		return true
	}
	for k := i - 1; k >= 0 && k >= i-utf8.UTFMax+1; k-- {
		if utf8.RuneStart(s[k]) {
			_, size := utf8.DecodeRuneInString(s[k:])
			return k+size <= i
		}
	}
	return true
}
