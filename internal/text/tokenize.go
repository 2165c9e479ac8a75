package text

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/scratch"
	"github.com/storyline/storyline/internal/text/segment"
)

// Kind says what a token is.
type Kind uint8

const (
	KindWord   Kind = iota // a word in any script with spaces between words
	KindNumber             // digits, group separators removed ("1,000" → "1000")
	KindYear               // a four-digit number read as a year (1900–2099)
	KindMonth              // a month name in any language, Text "01".."12"
	KindCJK                // a Han/kana character bigram (or a lone character)
)

// Token is one unit of text.
type Token struct {
	Text    string // lowercase; numbers normalised
	Surface string // as written
	Kind    Kind
	Cap     bool // first letter upper case
	Acronym bool // two or more letters, all upper case
	Initial bool // first word of a sentence, a line or a title-case line
	Latin   bool // Latin script
	Line    int  // line number, from 0
	// Name marks a word a segmenter tagged a proper noun (Japanese and
	// Chinese have no capitals to tell); Reading is its reading in kana
	// when the dictionary gives one, the form to transliterate.
	Name    bool
	Reading string
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		r == 'ー' || r == '・' || r == '々'
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// Tokenize splits s into words, numbers and CJK bigrams. Digits of other
// scripts read as ASCII digits (see ASCIIDigits), so "١٣٥٩" and "1359" are
// one number. It never fails: any input, valid UTF-8 or not, yields some
// (possibly empty) token list.
func Tokenize(s string) []Token { return tokenize(nil, s, nil) }

// tokenizeLang is Tokenize for text in language lang, appending to
// dst[:0]: Japanese and Chinese runs are cut into words by a dictionary
// segmenter (internal/text/segment) and only their content words are
// kept, as KindWord tokens in dictionary form; other languages tokenise
// as Tokenize does.
func tokenizeLang(dst []Token, lang, s string) []Token {
	switch lang {
	case "ja":
		return tokenize(dst, s, segment.Japanese)
	case "zh":
		return tokenize(dst, s, segment.Chinese)
	}
	return tokenize(dst, s, nil)
}

// tokenPool holds the token slices of callers that use a text's tokens
// only while they work on it (Analyze, Stemmed): they were the largest
// thing the pipeline allocated, about 90 KB an article.
var tokenPool scratch.Slices[Token]

// tokenBytes is about the bytes of text per token: 6 in English prose
// (a word of five letters and a space), fewer in Chinese and Japanese
// (three bytes a character, words of one to three), more in Cyrillic,
// Greek and Arabic (two bytes a letter). Too small a guess costs one more
// growth of the slice; too large, memory the article's analysis frees.
const tokenBytes = 6

func tokenize(dst []Token, s string, seg func(string) []segment.Word) []Token {
	s = ASCIIDigits(s)
	// Sized for a token every tokenBytes bytes, so that a whole article's
	// tokens rarely grow the slice: growing it copied every token again and
	// was the pipeline's largest allocation.
	toks := slices.Grow(dst[:0], len(s)/tokenBytes+1)
	sentStart := true
	line := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			j := i
			var run []rune
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !isCJK(r2) {
					break
				}
				run = append(run, r2)
				j += sz
			}
			if seg != nil {
				toks = appendSegmented(toks, run, seg, line)
			} else {
				toks = appendCJK(toks, run, line)
			}
			i = j
			sentStart = false
		case isWordRune(r):
			j := i
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) && !isCJK(r2) {
					// Ta marbuta only ends an Arabic word: a letter after
					// it starts the next word, a space having been lost.
					if j > i && isArabicLetter(r2) && strings.HasSuffix(s[i:j], "ة") {
						break
					}
					j += sz
					continue
				}
				// Keep "1,000" and "2.5" whole: a separator between digits.
				// Arabic text also groups thousands with its comma ("27،000").
				if isNumberSep(r2) && j > i && j+sz < len(s) {
					prev, _ := utf8.DecodeLastRuneInString(s[i:j])
					next, _ := utf8.DecodeRuneInString(s[j+sz:])
					if unicode.IsDigit(prev) && unicode.IsDigit(next) {
						j += sz
						continue
					}
				}
				break
			}
			word := s[i:j]
			// "U.S." and "U.N.": single capitals joined by dots.
			if n := utf8.RuneCountInString(word); n == 1 && unicode.IsUpper(r) {
				k := j
				joined := word
				for k+1 < len(s) && s[k] == '.' {
					r3, sz3 := utf8.DecodeRuneInString(s[k+1:])
					if !unicode.IsUpper(r3) {
						break
					}
					after := k + 1 + sz3
					if after < len(s) {
						r4, _ := utf8.DecodeRuneInString(s[after:])
						if isWordRune(r4) {
							break
						}
					}
					joined += string(r3)
					k = after
				}
				if len(joined) > len(word) {
					word = joined
					j = k
					if j < len(s) && s[j] == '.' {
						j++
					}
				}
			}
			toks = appendWord(toks, word, sentStart, line)
			i = j
			sentStart = false
		default:
			switch r {
			case '\n':
				line++
				sentStart = true
			case '.', '!', '?', ':', ';', '|', '•', '。', '！', '？', '؟', '«', '»':
				sentStart = true
			}
			i += size
		}
	}
	markTitleLines(toks)
	return toks
}

// appendWord splits a letter/digit run into a number and a word where digits
// give way to letters ("10th", "19PM") and appends the parts.
func appendWord(toks []Token, w string, initial bool, line int) []Token {
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsDigit(r) {
		k := 0
		for k < len(w) {
			r2, sz := utf8.DecodeRuneInString(w[k:])
			if !unicode.IsDigit(r2) && !isNumberSep(r2) {
				break
			}
			k += sz
		}
		toks = appendNumber(toks, w[:k], line)
		if k < len(w) {
			toks = appendWord(toks, w[k:], false, line)
		}
		return toks
	}
	// Arabic fuses one-letter prepositions and the article to a number
	// ("لـ107", "بـ1500", "و5"): the number is a token of its own.
	if isArabicLetter(r) {
		if k := strings.IndexFunc(w, unicode.IsDigit); k > 0 {
			toks = appendWord(toks, w[:k], initial, line)
			return appendWord(toks, w[k:], false, line)
		}
	}
	t := Token{Surface: w, Text: strings.ToLower(w), Kind: KindWord, Initial: initial, Line: line}
	t.Cap = unicode.IsUpper(r)
	t.Latin = unicode.Is(unicode.Latin, r)
	if t.Cap {
		letters, upper := 0, 0
		for _, c := range w {
			if unicode.IsLetter(c) {
				letters++
				if unicode.IsUpper(c) {
					upper++
				}
			}
		}
		t.Acronym = letters >= 2 && upper == letters
	}
	if m := Month(t.Text); m != "" {
		t.Kind, t.Text = KindMonth, m
	}
	return append(toks, t)
}

// appendNumber normalises digit groups: "1,000" and "1.000" are 1000, "2,5"
// and "2.5" are 2.5, leading zeros go ("09" is 9), and runs that are neither
// (dates like 10.09.2010) become several numbers.
func appendNumber(toks []Token, w string, line int) []Token {
	parts := strings.FieldsFunc(w, isNumberSep)
	if len(parts) == 0 {
		return toks
	}
	grouped := len(parts) > 1 && len(parts[0]) <= 3
	for _, p := range parts[1:] {
		if len(p) != 3 {
			grouped = false
		}
	}
	var nums []string
	switch {
	case len(parts) == 1:
		nums = parts
	case grouped:
		nums = []string{strings.Join(parts, "")}
	case len(parts) == 2:
		frac := strings.TrimRight(parts[1], "0")
		if frac == "" {
			nums = []string{parts[0]}
		} else {
			nums = []string{parts[0] + "." + frac}
		}
	default:
		nums = parts
	}
	for _, n := range nums {
		n = trimZeros(n)
		t := Token{Surface: n, Text: n, Kind: KindNumber, Line: line}
		if len(n) == 4 && (strings.HasPrefix(n, "19") || strings.HasPrefix(n, "20")) {
			t.Kind = KindYear
		}
		toks = append(toks, t)
	}
	return toks
}

// isNumberSep reports whether r separates digit groups or decimals: a
// comma, a full stop or the Arabic comma.
func isNumberSep(r rune) bool { return r == ',' || r == '.' || r == '،' }

func trimZeros(n string) string {
	i := 0
	for i < len(n)-1 && n[i] == '0' && n[i+1] != '.' {
		i++
	}
	return n[i:]
}

// appendSegmented emits the content words of a Han/kana run as seg cuts
// it, falling back to bigrams when the segmenter is unavailable.
func appendSegmented(toks []Token, run []rune, seg func(string) []segment.Word, line int) []Token {
	ws := seg(string(run))
	if ws == nil {
		return appendCJK(toks, run, line)
	}
	toks = monthBefore(toks, run)
	for _, w := range ws {
		if !w.Content {
			continue
		}
		toks = append(toks, Token{Text: strings.ToLower(w.Base), Surface: w.Surface, Kind: KindWord,
			Name: w.Name, Reading: w.Reading, Line: line})
	}
	return toks
}

// appendCJK emits overlapping character bigrams for a Han/kana run: Chinese
// and Japanese write no spaces, and bigrams match words without a segmenter.
// A number just before 月 ("12 月") is read as a month.
func appendCJK(toks []Token, run []rune, line int) []Token {
	toks = monthBefore(toks, run)
	if len(run) == 1 {
		return append(toks, Token{Text: string(run), Surface: string(run), Kind: KindCJK, Line: line})
	}
	for k := 0; k+1 < len(run); k++ {
		b := string(run[k : k+2])
		toks = append(toks, Token{Text: b, Surface: b, Kind: KindCJK, Line: line})
	}
	return toks
}

// monthBefore reads a number just before a run starting with 月 ("12月")
// as a month.
func monthBefore(toks []Token, run []rune) []Token {
	if run[0] == '月' && len(toks) > 0 {
		last := toks[len(toks)-1]
		if last.Kind == KindNumber && len(last.Text) <= 2 && last.Text != "0" && (len(last.Text) == 1 || last.Text <= "12") {
			toks[len(toks)-1].Kind = KindMonth
			toks[len(toks)-1].Text = "0" + last.Text
			if len(last.Text) == 2 {
				toks[len(toks)-1].Text = last.Text
			}
		}
	}
	return toks
}

// markTitleLines treats every word of a headline-style line ("Female
// Employee Yvonne Hiller Kills Two") as sentence-initial, and drops acronym
// status on all-caps lines: capitals there say nothing about names.
func markTitleLines(toks []Token) {
	for i := 0; i < len(toks); {
		j := i
		words, caps, upper := 0, 0, 0
		for j < len(toks) && toks[j].Line == toks[i].Line {
			if toks[j].Kind == KindWord && toks[j].Latin || toks[j].Kind == KindWord && hasCase(toks[j].Surface) {
				words++
				if toks[j].Cap {
					caps++
				}
				if toks[j].Acronym {
					upper++
				}
			}
			j++
		}
		if words >= 3 && caps*10 >= words*7 {
			for k := i; k < j; k++ {
				toks[k].Initial = true
				if upper*10 >= words*7 {
					toks[k].Acronym = false
				}
			}
		}
		i = j
	}
}

func hasCase(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsLower(r)
}
