package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// class is a line's jusText-style verdict.
type class int8

const (
	bad      class = iota // chrome: never body
	short                 // too short to judge alone; decided by context
	nearGood              // sentence-like but short, or long with few stop words
	good                  // a body paragraph on its own
)

// line is one non-empty input line with the features the classifier uses.
type line struct {
	text      string
	idx       int // position among non-empty lines
	runes     int
	words     int     // word count; CJK runs count one word per two runes
	stop      float64 // share of words that are function words
	sentEnd   bool    // ends like a sentence (. ! ? … 。 or a closing quote)
	fullStop  bool    // ends like a full sentence: sentEnd without : or ;
	prose     bool    // reads as a full sentence of body text (isProse)
	digits    float64 // share of letters+digits that are digits
	cjk       bool
	chrome    bool // matches a chrome phrase
	related   bool // a "related articles"-style header
	comments  bool // a comment-section header
	numeric   bool // digits and punctuation only
	meta      bool // byline, date or source line (isMetaLine)
	cmark     bool // looks like a comment thread's furniture
	boxed     bool // inside an inline "related" link box
	about     bool // an "About <name>" boilerplate header
	ago       bool // a "3 hours ago" stamp
	linky     bool // URL, image placeholder or breadcrumb
	caption   bool
	dup       bool // an earlier line has the same text
	titleCase bool // opens with a run of Capitalised Words, as headlines do
	allCaps   bool // LETTERS ALL UPPER CASE: a kicker or a shouted link
	cls       class
	keyLower  string // lower-cased, punctuation-stripped form for phrase matching
}

// maxFeatureRunes bounds per-line work: features of a huge line are read from
// its head, which is enough to judge it and keeps hostile input linear.
const maxFeatureRunes = 4000

func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// analyse fills the features of l.
func analyse(l *line) {
	s := l.text
	l.runes = utf8.RuneCountInString(s)
	head := s
	if len(head) > maxFeatureRunes*4 {
		head = head[:maxFeatureRunes*4]
		for len(head) > 0 && !utf8.ValidString(head) {
			head = head[:len(head)-1]
		}
	}
	var nDigit, nAlnum, nCJK int
	var words, stops int
	var wb []byte // the current word, lower-cased
	var key strings.Builder
	key.Grow(min(len(head), 256))
	flush := func() {
		if len(wb) == 0 {
			return
		}
		words++
		if stopWords[string(wb)] { // no allocation: map lookup by []byte
			stops++
		}
		wb = wb[:0]
	}
	lastSpace := true
	for _, r := range head {
		switch {
		case isCJK(r):
			flush()
			nCJK++
			nAlnum++
			if cjkStop[r] {
				stops++
			}
			key.WriteRune(r)
			lastSpace = false
		case unicode.IsLetter(r) || unicode.IsMark(r) || r == '\'' || r == '’':
			if r == '’' {
				r = '\''
			}
			lr := unicode.ToLower(r)
			wb = utf8.AppendRune(wb, lr)
			if r != '\'' {
				nAlnum++
				key.WriteRune(lr)
				lastSpace = false
			}
		case unicode.IsDigit(r):
			flush()
			nDigit++
			nAlnum++
		default:
			flush()
			if !lastSpace {
				key.WriteByte(' ')
				lastSpace = true
			}
		}
	}
	flush()
	words += nCJK / 2
	l.words = words
	if words > 0 {
		l.stop = float64(stops) / float64(words)
	}
	if nCJK > 0 && nCJK*2 > nAlnum {
		l.cjk = true
	}
	if nAlnum > 0 {
		l.digits = float64(nDigit) / float64(nAlnum)
	}
	l.keyLower = strings.TrimSpace(key.String())
	l.sentEnd = endsSentence(s)
	l.fullStop = l.sentEnd && endsFullStop(s)
	l.titleCase = titleCased(head)
	l.allCaps = allUpper(head)
}

// endsSentence reports whether s ends like a sentence, ignoring trailing
// quotes and brackets.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("\"'”’»)]」』", r)
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	// A trailing ellipsis ("…", "..") marks a truncated teaser, not a sentence.
	return strings.ContainsRune(".!?。！？:;؟।", r) && !strings.HasSuffix(s, "..")
}

// classify gives l its context-free class.
func classify(l *line) {
	switch {
	case l.chrome || l.related || l.linky || l.caption:
		l.cls = bad
		return
	case l.numeric, l.allCaps:
		l.cls = short
		return
	case l.digits > 0.5 && l.runes < 200:
		l.cls = bad
		return
	}
	length := l.runes
	if l.cjk {
		// A CJK rune carries about as much as three Latin letters.
		length *= 3
	}
	stopOK := l.stop >= 0.18 || l.cjk
	switch {
	case length >= 150 && stopOK && l.words >= 12:
		l.cls = good
	case length >= 80 && stopOK && l.sentEnd:
		l.cls = good
	case length >= 200 && l.words >= 25:
		// Long prose in a language without a stop list (or very terse
		// prose) still reads as body.
		l.cls = nearGood
	case length >= 40 && l.sentEnd && l.words >= 6:
		l.cls = nearGood
	case length >= 70 && stopOK:
		l.cls = nearGood
	default:
		l.cls = short
	}
}

// titleCased reports whether the first eight words of s (Latin script) are
// nearly all capitalised: a headline or teaser, not prose.
func titleCased(s string) bool {
	n, caps := 0, 0
	for len(s) > 0 && n < 8 {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			break
		}
		r, _ := utf8.DecodeRuneInString(s)
		if unicode.IsLetter(r) && r <= 0x24f {
			n++
			if unicode.IsUpper(r) {
				caps++
			}
		}
		if i := strings.IndexAny(s, " \t"); i >= 0 {
			s = s[i:]
		} else {
			s = ""
		}
	}
	return n >= 6 && caps >= n-1
}

// allUpper reports whether s has at least 12 letters, all upper case.
func allUpper(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 12
}
