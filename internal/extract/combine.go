package extract

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The combination of the two extractors rests on one observation, measured
// on the Scrapinghub set: a paragraph that trafilatura keeps but
// readability does not is nearly always chrome (about 6% of such words are
// article text), while the paragraphs both keep are nearly all article
// text. Readability on its own keeps more chrome but recovers article text
// that trafilatura cuts off after an inline ad or subscription box.

const (
	// supportMin is the share of a paragraph's shingles the other
	// extractor must have for the paragraph to count as agreed on.
	supportMin = 0.5
	// agreeMin is the share of trafilatura's words that must be agreed on
	// for the pair to be combined paragraph by paragraph; below it the two
	// picked different parts of the page.
	agreeMin = 0.5
	// containedMin is the share of readability's words found in
	// trafilatura's text above which readability's text is taken to be
	// the core of trafilatura's (which then carries chrome around it).
	containedMin = 0.8
	// proseWords is how long a paragraph past the agreed region must be,
	// ending like a sentence, for readability's continuation to be kept.
	proseWords = 10
)

// words returns the words of s: the longest runs of letters, digits and
// underscores (the regular expression [\p{L}\p{N}_]+, which this
// replaces: it was a tenth of HTML extraction's CPU, BenchmarkHTML).
// Bytes that are not UTF-8 end a word, as they do for the expression.
func words(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// shingleSet is the set of 4-token shingles of one or more paragraphs.
type shingleSet map[string]struct{}

func shingleKeys(p string) []string {
	toks := words(p)
	if len(toks) == 0 {
		return nil
	}
	if len(toks) < 4 {
		return []string{strings.Join(toks, "\x00")}
	}
	keys := make([]string, 0, len(toks)-3)
	for i := 0; i+4 <= len(toks); i++ {
		keys = append(keys, toks[i]+"\x00"+toks[i+1]+"\x00"+toks[i+2]+"\x00"+toks[i+3])
	}
	return keys
}

func newShingleSet(paras []string) shingleSet {
	s := shingleSet{}
	for _, p := range paras {
		for _, k := range shingleKeys(p) {
			s[k] = struct{}{}
		}
	}
	return s
}

// support is the share of p's shingles found in s; a paragraph without
// words is fully supported, having nothing to disagree about.
func (s shingleSet) support(p string) float64 {
	keys := shingleKeys(p)
	if len(keys) == 0 {
		return 1
	}
	n := 0
	for _, k := range keys {
		if _, ok := s[k]; ok {
			n++
		}
	}
	return float64(n) / float64(len(keys))
}

func wordCount(p string) int {
	// len(strings.Fields(p)), without building the slice: every
	// paragraph is counted, most of them more than once.
	n, in := 0, false
	for _, r := range p {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// combine merges trafilatura's paragraphs t with readability's r.
//   - When they agree on most of t, t's agreed paragraphs are kept in its
//     order, followed by readability's prose paragraphs that directly
//     continue past the last agreed one (trafilatura tends to stop at an
//     inline box that readability steps over).
//   - When they disagree but r is nearly all inside t, r is the article and
//     t the article plus chrome.
//   - Otherwise t stands: trafilatura is the better extractor on its own.
//
// Each step is one rule of rules; a step left out keeps trafilatura's text.
func combine(t, r []string, rules rule) []string {
	if len(t) == 0 {
		if rules&ruleEmpty != 0 {
			return r
		}
		return t
	}
	if len(r) == 0 {
		return t
	}
	rs, ts := newShingleSet(r), newShingleSet(t)
	tSup := make([]bool, len(t))
	tWords, tAgreed := 0, 0
	for i, p := range t {
		w := wordCount(p)
		tWords += w
		if rs.support(p) > supportMin {
			tSup[i] = true
			tAgreed += w
		}
	}
	rSup := make([]bool, len(r))
	rWords, rAgreed, last := 0, 0, -1
	for i, p := range r {
		w := wordCount(p)
		rWords += w
		if ts.support(p) > supportMin {
			rSup[i] = true
			rAgreed += w
			last = i
		}
	}
	if float64(tAgreed) < agreeMin*float64(tWords) {
		if rules&ruleContained != 0 && float64(rAgreed) >= containedMin*float64(rWords) {
			return r
		}
		return t
	}
	first, lastT := slices.Index(tSup, true), -1
	for i, ok := range tSup {
		if ok {
			lastT = i
		}
	}
	out := make([]string, 0, len(t))
	for i, p := range t {
		inside := rules&ruleInside != 0 && i > first && i < lastT && isProse(p, proseWords)
		if tSup[i] || inside || rules&ruleAgree == 0 {
			out = append(out, p)
		}
	}
	if last >= 0 && rules&ruleContinue != 0 {
		for i := last + 1; i < len(r) && !rSup[i] && isProse(r[i], proseWords); i++ {
			out = append(out, r[i])
		}
	}
	return out
}

// isProse reports whether p reads like a sentence of running text rather
// than a link, heading or button: enough words and a sentence ending.
func isProse(p string, minWords int) bool {
	if wordCount(p) < minWords {
		return false
	}
	return endsSentence(p)
}

// endsSentence reports whether p ends like a sentence (or a quote or
// parenthesis closing one).
func endsSentence(p string) bool {
	r, _ := utf8.DecodeLastRuneInString(p)
	return strings.ContainsRune(`.!?…"”’»)]。！？`, r)
}

// Thresholds for articleLike: a navigation bar or a "please enable
// JavaScript" notice must not pass for an article, while a short note
// in a script without spaces between words (the shortest article on the
// Scrapinghub set is 18 Japanese sentences long) must.
const (
	minLetters          = 60
	minParagraphLetters = 80
)

// articleLike reports whether paragraphs hold something worth calling an
// article: enough letters, and at least one sentence or one paragraph of
// running text.
func articleLike(paras []string) bool {
	letters, sentence := 0, false
	for _, p := range paras {
		n := 0
		for _, r := range p {
			if unicode.IsLetter(r) {
				n++
			}
		}
		letters += n
		if n >= minParagraphLetters || (n >= 20 && endsSentence(p)) {
			sentence = true
		}
	}
	return letters >= minLetters && sentence
}
