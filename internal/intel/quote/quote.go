// Package quote finds the direct quotations in a news article's plain text
// and who said them, in many languages.
//
// It works in three steps. The marks are paired first (“…”, "…", «…»,
// „…“, ‚…‘, ‘…’, 「…」, 『…』), on their own: which side of a word a mark
// touches tells an opening mark from a closing one, so German „…“, broken
// “…“ and the apostrophes of don’t and l’Europe need no language. Then each
// quotation looks for its attribution in the clause around it, with the
// speech verbs, titles and pronouns of its language (lang/*.txt). Last,
// titles ("the NATO chief") and pronouns ("he said", "a-t-il déclaré",
// Arabic and Spanish verbs without a subject) are resolved to a person
// named earlier.
//
// Precision comes first: a quote whose speaker cannot be told apart from
// another candidate keeps an empty Speaker, and a short quoted phrase is a
// quotation only when a speech cue stands right at it.
package quote

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/scratch"
)

// tokenPool holds Extract's tokens between articles (about 20 KB an
// article otherwise). A Quote keeps offsets and strings, never tokens.
var tokenPool scratch.Slices[token]

// Span is a person mention the caller already found (from its entity
// stage), byte offsets into the text.
type Span struct {
	Start, End int
	Name       string // canonical or as written
}

// Quote is one direct quotation.
type Quote struct {
	// Text is the quoted words without the marks. The parts of a quote split
	// around its attribution are joined with " … ", the paragraphs of a quote
	// running over several with one space; a comma that closes a part
	// belongs to the attribution and is dropped.
	Text string
	// Start is the byte offset of the first opening mark, End the offset
	// just past the last closing mark: text[Start:End] is the whole quote.
	Start, End int
	// Speaker is the speaker's name as the text gives it ("Mark Rutte",
	// "Rutte", "روت"), "" when unresolved.
	Speaker string
	// SpeakerStart and SpeakerEnd are the offsets of the name mention used
	// (the named person a title or pronoun resolved to); -1 when none.
	SpeakerStart, SpeakerEnd int
	// Via says how the speaker was found: "said-X", "X-said", "according-to",
	// "told", "who-said", "colon" (X: «…»), "title" (the NATO chief → the
	// named person), "pronoun" (he/she/er/elle/ella/هو, or a verb with no
	// subject in Arabic, Spanish, Italian, Portuguese), "continued" (a quote
	// with no cue of its own right after a named quote of the same
	// paragraph), "" when unresolved.
	Via string
	// Confidence is 0..1: a name right at the quote scores highest, titles
	// and pronouns resolved less, quotes embedded in reported speech and
	// continued quotes least; 0 when unresolved. The levels are calibrated
	// on testdata/gold.json (see TestGold).
	Confidence float64
}

// Tunables. Each trades precision against recall on testdata/gold.json.
const (
	// minWords: a quoted span of fewer words is a quotation only when a
	// speech cue stands right at it and punctuation closes it (“No,” he
	// said; „Nein“, sagte er; Er sagte: „Nein“), or when it is a whole
	// sentence continuing a named quote (“No,” Kim said. “Not now.”). That
	// drops scare quotes and titles (the so-called “reset”, a “pivotal”
	// time) — and, at any length, titles in title case with no cue (“The
	// Long Road Home”) — at the cost of short quotes with no cue beside
	// them and of two- and three-word fragments quoted inside reported
	// speech (cooperation has “huge potential”).
	minWords = 4
	// cjkRunesPerWord: Chinese and Japanese have no spaces; two characters
	// count as one word.
	cjkRunesPerWord = 2
	// maxDepth: marks nested deeper are ignored (a bound on the stack).
	maxDepth = 8

	// maxWindow: the most tokens an attribution is looked for in on
	// either side of a quote, for sentences without punctuation.
	maxWindow = 64
	// maxSeparable: the most tokens between a separable verb and its
	// particle (räumte Ministerin Nina Warken am Donnerstag ein).
	maxSeparable = 8

	// maxNameWords: a capitalised run longer than this is a headline or a
	// list, not a speaker.
	maxNameWords = 4
	// maxTitleWords: words a title may take before a name ("the Japanese
	// Defence Minister", "الأمين العام لحلف شمال الأطلسي").
	maxTitleWords = 6
	// maxNocaseNameWords: in scripts without capitals (Arabic) the name is
	// the 1–3 words after the verb and title.
	maxNocaseNameWords = 3
	// maxAdverbs: adverbs between a speaker and the verb (Rutte also said).
	maxAdverbs = 2
	// maxModifiers: lower-case words before a title or a role (hospital
	// director, lead author; Arabic المزارع before a name).
	maxModifiers = 2
	// maxOtherWords: the words of a subject that names nobody (the
	// interior ministry said), read only to see that a cue is there.
	maxOtherWords = 3
	// maxLeadPunct: punctuation between a closing mark and the
	// attribution after it (”, — said).
	maxLeadPunct = 2
	// minStem: letters an Arabic word keeps after its article or prefix
	// for the prefix to count as one.
	minStem = 3
	// maxWhoWords: the longest relative clause between a speaker and the
	// verb (X, who …, said).
	maxWhoWords = 15
	// maxLeadWords: words between an attribution and the colon that opens
	// the quote (Rutte said at a press conference in Tokyo: “…”).
	maxLeadWords = 30
	// maxReportedWords: words between a cue and a quote embedded in
	// reported speech with no colon (Rutte said NSATU “helps Ukraine …”).
	// Longer gaps too often hold a second subject.
	maxReportedWords = 12
	// pronounSentences: a pronoun looks for its person in its own sentence
	// and the two before it.
	pronounSentences = 3
	// maxSubjectLead: words before a sentence's first person mention for it
	// to count as the sentence's subject (On Tuesday, Rutte …).
	maxSubjectLead = 4
	// maxContinueWords: the longest stretch without names between a named
	// quote and the next quote that inherits its speaker;
	// maxShortContinueWords the same for a quote under minWords words.
	maxContinueWords      = 8
	maxShortContinueWords = 2
	// minAffix: title words match when equal or when one begins or ends
	// with the other and the shorter has at least this many letters
	// (Kanzler ~ Bundeskanzler, Japan ~ Japanese).
	minAffix = 5
	// maxCJKGap: characters between a person and the quote in Chinese and
	// Japanese (石破首相は「…」).
	maxCJKGap = 8

	// Confidence levels, in the order the kinds of attribution deserve
	// and under the precision each kind has on the gold passages (smoothed;
	// TestGold fails when a kind claims more than its record).
	confNamed     = 0.95 // a name right at the quote
	confLead      = 0.9  // a name and verb a few words before a colon
	confTitle     = 0.85 // a title resolved to the one person holding it
	confReported  = 0.8  // a quote embedded in reported speech
	confPronoun   = 0.8  // a pronoun with one person in reach
	confSubject   = 0.6  // a pronoun resolved to the subject among several people
	confContinued = 0.75 // no cue, after a named quote of the same paragraph
	// confNotPerson scales the confidence of a name the caller's entity
	// stage did not find a person at.
	confNotPerson = 0.8
)

// Extract returns the direct quotations in text (language lang, ISO 639-1,
// "" unknown), in text order. people, when given, are person mentions (any
// order) used to resolve titles and pronouns to the nearest fitting named
// person; without them Extract finds names itself in the attribution slot
// only.
func Extract(lang, text string, people []Span) []Quote {
	raws := scanQuotes(text)
	if len(raws) == 0 {
		return nil
	}
	toks := tokenPool.Get()
	defer tokenPool.Put(toks)
	a := newAnalysis(lang, text, raws, people, toks)
	a.attribute()
	return a.quotes()
}

// family is a kind of quotation: which marks open and close it.
type family uint8

const (
	famDouble    family = iota + 1 // “…” (and the broken “…“)
	famLow                         // „…“ and „…”
	famASCII                       // "…"
	famGuil                        // «…»
	famGuilRev                     // »…«
	famSingle                      // ‘…’
	famLowSingle                   // ‚…‘
	famSGuil                       // ‹…›
	famCorner                      // 「…」
	famWCorner                     // 『…』
)

// isMark reports whether r is a quotation mark of any family.
func isMark(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '‹', '›', '‘', '’', '‚', '「', '」', '『', '』':
		return true
	}
	return false
}

// opens reports whether r can open a quote of family f, for a quote that
// resumes at the start of the next paragraph.
func opens(r rune, f family) bool {
	switch f {
	case famDouble:
		return r == '“'
	case famLow:
		return r == '„'
	case famASCII:
		return r == '"'
	case famGuil:
		return r == '«'
	case famGuilRev:
		return r == '»'
	case famSingle:
		return r == '‘'
	case famLowSingle:
		return r == '‚'
	case famSGuil:
		return r == '‹'
	case famCorner:
		return r == '「'
	case famWCorner:
		return r == '『'
	}
	return false
}

// span is a byte range.
type span struct{ start, end int }

// rawQuote is a pair of marks (or a chain of pairs over paragraphs).
type rawQuote struct {
	start, end int    // text[start:end] is the quote with its marks
	parts      []span // the quoted words of each paragraph
}

// frame is an open quote while scanning.
type frame struct {
	fam          family
	open         int
	contentStart int
	parts        []span     // earlier paragraphs of a quote running over several
	children     []rawQuote // quotes closed inside this one, kept in case it never closes
	reopen       bool       // the paragraph ended open; the next one's first mark resumes it
}

// scanQuotes pairs the quotation marks of text. Quotes nested in another
// are part of it; a quote that never closes is dropped and the quotes
// nested in it count on their own. It never fails.
func scanQuotes(text string) []rawQuote {
	var (
		stack     []*frame
		out       []rawQuote
		paraStart = true // no text yet in the current paragraph
	)
	// drop discards the top frame, handing its nested quotes to its parent.
	drop := func() {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if len(stack) > 0 {
			p := stack[len(stack)-1]
			p.children = append(p.children, f.children...)
		} else {
			out = append(out, f.children...)
		}
	}
	closeAt := func(d, at, end int) {
		for len(stack)-1 > d {
			drop()
		}
		f := stack[d]
		stack = stack[:d]
		q := rawQuote{start: f.open, end: end, parts: append(f.parts, span{f.contentStart, at})}
		if d == 0 {
			out = append(out, q)
		} else {
			p := stack[d-1]
			p.children = append(p.children, q)
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '\n' && paraBreak(text, i) {
			if len(stack) > 0 {
				next, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(text[i:], unicode.IsSpace))
				if b := stack[0]; !b.reopen && opens(next, b.fam) {
					// The newspaper convention: a quote running over several
					// paragraphs reopens each without closing the one before.
					for len(stack) > 1 {
						drop()
					}
					b.parts = append(b.parts, span{b.contentStart, i})
					b.reopen = true
				} else {
					for len(stack) > 0 {
						drop()
					}
				}
			}
			paraStart = true
			i += size
			continue
		}
		if !isMark(r) {
			if !unicode.IsSpace(r) {
				paraStart = false
			}
			i += size
			continue
		}
		if len(stack) > 0 && stack[0].reopen {
			if paraStart && opens(r, stack[0].fam) {
				stack[0].reopen = false
				stack[0].contentStart = i + size
				paraStart = false
				i += size
				continue
			}
		}
		paraStart = false
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if i == 0 {
			prev = ' '
		}
		next, nsize := utf8.DecodeRuneInString(text[i+size:])
		if i+size >= len(text) {
			next = ' '
		}
		after, _ := utf8.DecodeRuneInString(text[min(i+size+nsize, len(text)):])
		act, fam, d := classify(r, prev, next, after, stack)
		switch act {
		case actOpen:
			if len(stack) < maxDepth {
				stack = append(stack, &frame{fam: fam, open: i, contentStart: i + size})
			}
		case actClose:
			closeAt(d, i, i+size)
		}
		i += size
	}
	for len(stack) > 0 {
		drop()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// paraBreak reports whether the newline at text[i] ends a paragraph. A
// line that ends mid-sentence (a letter or comma) before a line that
// starts in lower case is hard-wrapped text, not a new paragraph.
func paraBreak(text string, i int) bool {
	before := strings.TrimRightFunc(text[:i], func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' })
	after := strings.TrimLeftFunc(text[i+1:], func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' })
	p, _ := utf8.DecodeLastRuneInString(before)
	n, _ := utf8.DecodeRuneInString(after)
	if before == "" || after == "" {
		return true
	}
	return !((unicode.IsLetter(p) || p == ',') && unicode.IsLower(n))
}

type action uint8

const (
	actNone action = iota
	actOpen
	actClose
)

// classify decides what the mark r between prev and next (and after,
// the rune after next) does, given the open quotes: close the one at depth
// d, open a quote of family f, or nothing (an apostrophe, a stray mark).
func classify(r, prev, next, after rune, stack []*frame) (act action, f family, d int) {
	find := func(fams ...family) int {
		for d := len(stack) - 1; d >= 0; d-- {
			for _, f := range fams {
				if stack[d].fam == f {
					return d
				}
			}
		}
		return -1
	}
	spaceBefore := unicode.IsSpace(prev)
	spaceAfter := unicode.IsSpace(next)
	// A mark opens when a word follows it and none touches it before.
	leftOK := !spaceAfter && (spaceBefore || openContext(prev))
	switch r {
	case '“':
		// German „…“ closes with it; a broken English “…“ too when it touches
		// a Latin word on its left (…challenges“Rutte said).
		if d := find(famLow); d >= 0 && !spaceBefore {
			return actClose, 0, d
		}
		if d := len(stack) - 1; d >= 0 && stack[d].fam == famDouble && !spaceBefore && !openContext(prev) && !isCJK(prev) {
			return actClose, 0, d
		}
		if !spaceAfter {
			return actOpen, famDouble, 0
		}
	case '”':
		// It closes unless it sits before a word with a space on its left.
		if d := find(famDouble, famLow); d >= 0 && (!spaceBefore || !isWordRune(next)) {
			return actClose, 0, d
		}
	case '„':
		if !spaceAfter {
			return actOpen, famLow, 0
		}
	case '"':
		if d := find(famASCII); d >= 0 && !(leftOK && isWordRune(next)) {
			return actClose, 0, d
		}
		if leftOK {
			return actOpen, famASCII, 0
		}
	case '«':
		if d := find(famGuilRev); d >= 0 && !spaceBefore {
			return actClose, 0, d
		}
		return actOpen, famGuil, 0
	case '»':
		if d := find(famGuil); d >= 0 {
			return actClose, 0, d
		}
		if leftOK && isWordRune(next) {
			return actOpen, famGuilRev, 0
		}
	case '‹':
		return actOpen, famSGuil, 0
	case '›':
		if d := find(famSGuil); d >= 0 {
			return actClose, 0, d
		}
	case '‘':
		if d := find(famLowSingle); d >= 0 && !spaceBefore {
			return actClose, 0, d
		}
		if leftOK && isWordRune(next) {
			return actOpen, famSingle, 0
		}
	case '’':
		if isWordRune(prev) && isWordRune(next) {
			return actNone, 0, 0 // an apostrophe: don’t, l’Europe
		}
		if prev == 's' && unicode.IsSpace(next) && unicode.IsLower(after) {
			return actNone, 0, 0 // a plural possessive: the players’ decision
		}
		if d := find(famSingle, famLowSingle); d >= 0 && !spaceBefore && !isWordRune(next) {
			return actClose, 0, d
		}
	case '‚':
		if leftOK && isWordRune(next) {
			return actOpen, famLowSingle, 0
		}
	case '「':
		return actOpen, famCorner, 0
	case '」':
		if d := find(famCorner); d >= 0 {
			return actClose, 0, d
		}
	case '『':
		return actOpen, famWCorner, 0
	case '』':
		if d := find(famWCorner); d >= 0 {
			return actClose, 0, d
		}
	}
	return actNone, 0, 0
}

// openContext reports whether r may stand right before an opening mark:
// opening brackets, dashes, a colon or slash, another mark.
func openContext(r rune) bool {
	switch r {
	case '(', '[', '{', '—', '–', '-', ':', '/', '：', '，', '、':
		return true
	}
	return isMark(r)
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// shape is what the words of a quote look like.
type shape struct {
	words     float64 // CJK characters count 1/cjkRunesPerWord
	punctEnd  bool    // ends with punctuation inside the marks ("No," / "Never.")
	sentEnd   bool    // ends with . ! ? …
	titleCase bool    // every long word capitalised: a title, not speech
	letters   bool
}

// shapeOf measures the quoted words of parts.
func shapeOf(text string, parts []span) shape {
	var s shape
	capped, long := 0, 0
	cased := false
	for _, p := range parts {
		inWord, wordLen, wordCap := false, 0, false
		endWord := func() {
			if inWord && wordLen >= 4 {
				long++
				if wordCap {
					capped++
				}
			}
			inWord = false
		}
		for _, r := range text[p.start:p.end] {
			switch {
			case isCJK(r):
				endWord()
				s.words += 1.0 / cjkRunesPerWord
				s.letters = true
			case isWordRune(r):
				if !inWord {
					s.words++
					inWord, wordLen, wordCap = true, 0, unicode.IsUpper(r)
					if unicode.IsUpper(r) || unicode.IsLower(r) {
						cased = true
					}
				}
				wordLen++
				if unicode.IsLetter(r) {
					s.letters = true
				}
			case r == '\'' || r == '’' || r == '-':
				// inside a word
			default:
				endWord()
			}
		}
		endWord()
	}
	if len(parts) > 0 {
		last := parts[len(parts)-1]
		body := strings.TrimRightFunc(text[last.start:last.end], func(r rune) bool {
			return unicode.IsSpace(r) || isMark(r) || r == ')'
		})
		r, _ := utf8.DecodeLastRuneInString(body)
		switch r {
		case '.', '!', '?', '…', '؟', '。', '！', '？':
			s.punctEnd, s.sentEnd = true, true
		case ',', ';', '—', '–', '-', '،', '，', ':':
			s.punctEnd = true
		}
	}
	s.titleCase = cased && long >= 2 && capped == long
	return s
}

// joinParts returns the quoted words of parts: paragraphs joined by a
// space, a trailing comma (the attribution's) dropped.
func joinParts(text string, parts []span) string {
	var b strings.Builder
	for _, p := range parts {
		t := strings.TrimFunc(text[p.start:p.end], unicode.IsSpace)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return trimComma(b.String())
}

func trimComma(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool { return r == ',' || r == '،' || r == '，' || unicode.IsSpace(r) })
}
