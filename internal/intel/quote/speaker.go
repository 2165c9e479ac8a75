package quote

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ways a speaker is found (Quote.Via).
const (
	viaSaidX     = "said-X"
	viaXSaid     = "X-said"
	viaAccording = "according-to"
	viaTold      = "told"
	viaWho       = "who-said"
	viaColon     = "colon"
	viaTitle     = "title"
	viaPronoun   = "pronoun"
	viaContinued = "continued"
)

// npKind is what an attribution's subject slot holds.
type npKind uint8

const (
	npNone    npKind = iota // nothing that reads as a subject
	npOther                 // a subject that is no name: the ministry, officials
	npName                  // a name: Mark Rutte, ناكاتاني
	npPronoun               // he, sie, il; or a verb with no subject in a pro-drop language
	npTitle                 // a title with no name: the NATO chief, رئيس الوزراء
	npPlural                // two people: Ishiba and Rutte
)

// np is the subject of an attribution.
type np struct {
	kind                npKind
	first, last         int      // tokens of the whole phrase
	nameFirst, nameLast int      // tokens of the name (npName)
	person              int      // 1 + index into people of the mention it is; 0 when none
	title               []string // content words of its title
}

// attr is an attribution found beside a quote.
type attr struct {
	cue         bool // a speech cue stands there (even when it names nobody)
	via         string
	subj        np
	first, last int // tokens of the attribution
	gap         int // words between it and the quote (before the quote only)
	colon       bool
	pre         bool // before the quote
}

// cand is a quote candidate.
type cand struct {
	raw               rawQuote
	pieces            [][]span // parts split around an attribution
	openTok, closeTok int
	shape             shape
	post, pre, at     attr
	merged, drop      bool
	short             bool // under minWords with no cue: kept only as a continued quote
	speaker           string
	sStart, sEnd      int
	via               string
	conf              float64
	key               string
}

// analysis holds what Extract knows about one text.
type analysis struct {
	text      string
	c         *cues
	toks      []token
	cands     []cand
	people    []Span
	hasPeople bool
	personOf  []int // per token: 1 + index into people
	mentions  []mention
}

// newAnalysis reads text into toks, which it holds until the caller puts
// them back (see tokenPool).
func newAnalysis(lang, text string, raws []rawQuote, people []Span, toks *[]token) *analysis {
	a := &analysis{text: text, c: cuesFor(lang), hasPeople: people != nil}
	*toks = appendLex(*toks, text)
	a.toks = *toks
	a.cands = make([]cand, 0, len(raws))
	end := -1
	for _, r := range raws {
		if r.start < end {
			continue // defensive: top-level quotes never overlap
		}
		sh := shapeOf(text, r.parts)
		if sh.words < minWords && !sh.punctEnd && !closedOutside(text, r) {
			// A scare quote no cue can save (the so-called “reset”): gone
			// now, it does not cut the clause around it in two.
			continue
		}
		end = r.end
		a.cands = append(a.cands, cand{raw: r, pieces: [][]span{r.parts}, openTok: -1, closeTok: -1, shape: sh})
	}
	qi := 0
	for ti := range a.toks {
		t := &a.toks[ti]
		for qi < len(a.cands) && a.cands[qi].raw.end <= t.start {
			qi++
		}
		if qi < len(a.cands) && t.start >= a.cands[qi].raw.start {
			t.quote = qi + 1
			if a.cands[qi].openTok < 0 {
				a.cands[qi].openTok = ti
			}
			a.cands[qi].closeTok = ti
		}
	}
	sent, para := 0, 0
	for i := range a.toks {
		t := &a.toks[i]
		t.sent, t.para = sent, para
		switch {
		case t.kind == tBreak:
			para++
			if t.quote == 0 {
				sent++
			}
		case t.kind == tPunct && t.quote == 0 && isSentEnd(t.norm):
			sent++
		}
	}
	a.setPeople(people)
	return a
}

// closedOutside reports whether a comma follows quote r or a colon
// precedes it: European punctuation of a short quote („Nein“, sagte er;
// Er sagte: „Nein“).
func closedOutside(text string, r rawQuote) bool {
	after, _ := utf8.DecodeRuneInString(strings.TrimLeft(text[r.end:], " \u00a0"))
	before, _ := utf8.DecodeLastRuneInString(strings.TrimRight(text[:r.start], " \u00a0"))
	return isComma(string(after)) || before == ':' || before == '：'
}

// setPeople keeps the valid spans in text order, maps tokens to them and
// makes a mention of each one outside the quotes.
func (a *analysis) setPeople(people []Span) {
	for _, p := range people {
		if p.Start >= 0 && p.Start < p.End && p.End <= len(a.text) && runeBoundary(a.text, p.Start) && runeBoundary(a.text, p.End) {
			a.people = append(a.people, p)
		}
	}
	sort.SliceStable(a.people, func(i, j int) bool { return a.people[i].Start < a.people[j].Start })
	a.personOf = make([]int, len(a.toks))
	ti := 0
	for pi, p := range a.people {
		for ti > 0 && a.toks[ti-1].end > p.Start {
			ti--
		}
		for ti < len(a.toks) && a.toks[ti].end <= p.Start {
			ti++
		}
		first := -1
		for k := ti; k < len(a.toks) && a.toks[k].start < p.End; k++ {
			if a.personOf[k] == 0 {
				a.personOf[k] = pi + 1
			}
			if first < 0 {
				first = k
			}
		}
		if first < 0 || a.toks[first].quote != 0 {
			continue
		}
		name := p.Name
		if name == "" {
			name = a.text[p.Start:p.End]
		}
		a.mentions = append(a.mentions, mention{start: p.Start, end: p.End, key: nameKey(name), tok: first,
			sent: a.toks[first].sent, title: a.titleAround(first, a.lastTok(first, p.End))})
	}
}

// tokBefore returns the last token that starts before offset, or 0.
func (a *analysis) tokBefore(offset int) int {
	return max(sort.Search(len(a.toks), func(i int) bool { return a.toks[i].start >= offset })-1, 0)
}

// lastTok returns the last token from i on that starts before end.
func (a *analysis) lastTok(i, end int) int {
	for i+1 < len(a.toks) && a.toks[i+1].start < end {
		i++
	}
	return i
}

// attribute finds every quote's attribution, joins quotes split around
// one, drops short quoted phrases no cue stands at, and resolves
// speakers.
func (a *analysis) attribute() {
	for i := range a.cands {
		q := &a.cands[i]
		if q.openTok < 0 || q.closeTok < 0 {
			q.drop = true
			continue
		}
		q.post = a.postAttr(i)
		q.pre = a.preAttr(i)
		if cj := a.cjkAttr(i); cj.cue && !q.post.cue && !q.pre.cue {
			q.pre = cj
		}
	}
	a.split()
	for i := range a.cands {
		q := &a.cands[i]
		if q.drop || q.merged {
			continue
		}
		q.at = choose(q.post, q.pre)
		adjacent := q.at.cue && q.at.gap == 0
		// Punctuation closes a short quote inside its marks in English
		// (“No,” he said), outside them elsewhere: „Nein“, sagte er; and a
		// colon after a named cue introduces a quote of any length.
		closed := q.shape.punctEnd || q.at.pre && q.at.colon || !q.at.pre && a.commaAfter(q)
		switch {
		case !q.shape.letters:
			q.drop = true
		case q.shape.words < minWords && q.shape.sentEnd && !adjacent:
			q.short = true // kept only when it continues a named quote: “No,” Kim said. “Not now.”
		case q.shape.words < minWords && !(closed && adjacent):
			q.drop = true // a scare quote or a title: the so-called “reset”
		case q.shape.titleCase && !q.shape.sentEnd && !adjacent:
			q.drop = true // a title in title case: “War and Peace”
		}
	}
	prev := -1
	for i := range a.cands {
		q := &a.cands[i]
		if q.drop || q.merged {
			continue
		}
		a.resolve(i, prev)
		if q.short && q.via != viaContinued {
			q.drop = true
			continue
		}
		prev = i
	}
}

// commaAfter reports whether a comma follows quote q's closing mark.
func (a *analysis) commaAfter(q *cand) bool {
	k := q.closeTok + 1
	return k < len(a.toks) && a.toks[k].kind == tPunct && isComma(a.toks[k].norm)
}

// choose picks the attribution of a quote: the one after it, which news
// style puts first, unless only the one before names the speaker.
func choose(post, pre attr) attr {
	switch {
	case post.cue && !(post.subj.kind == npPronoun && pre.cue && pre.subj.kind == npName):
		return post
	case pre.cue:
		return pre
	}
	return attr{}
}

// split joins a quote and the next one when an attribution splits one
// sentence (“…,” he said, “…”), and gives an attribution that introduces
// the next quote (“…?” Rutte said: “…”) to that one alone.
func (a *analysis) split() {
	for i := 0; i+1 < len(a.cands); i++ {
		q := &a.cands[i]
		if q.drop || q.merged || !q.post.cue {
			continue
		}
		j := i + 1
		for j < len(a.cands) && a.cands[j].drop {
			j++
		}
		if j >= len(a.cands) {
			continue
		}
		n := &a.cands[j]
		// Only punctuation between the attribution and the next quote's mark.
		k := q.post.last + 1
		var punct []string
		for ; k < n.openTok; k++ {
			t := a.toks[k]
			if t.kind != tPunct || len(punct) == maxLeadPunct {
				break
			}
			punct = append(punct, t.norm)
		}
		if k != n.openTok {
			continue
		}
		last := ""
		if len(punct) > 0 {
			last = punct[len(punct)-1]
		}
		switch {
		case last == ":" || last == "：":
			q.post = attr{} // “…?” Rutte said: “…” — it opens the next quote
		case !q.shape.sentEnd && (last == "" || last == "," || last == "،" || last == "—" || last == "–"):
			q.pieces = append(q.pieces, n.pieces...)
			q.raw.end = n.raw.end
			q.closeTok = n.closeTok
			words := q.shape.words + n.shape.words
			q.shape = n.shape
			q.shape.words = words
			n.merged = true
		case q.shape.sentEnd && (last == "" || last == "," || last == "،"):
			q.post = attr{}
		}
	}
}

// postWindow returns the tokens after quote q up to the end of its
// sentence, the next quote or maxWindow: [i, end).
func (a *analysis) postWindow(q *cand) (int, int) {
	i := q.closeTok + 1
	end := i
	for end < len(a.toks) && end-i < maxWindow {
		t := a.toks[end]
		if t.quote != 0 || t.kind == tBreak || t.kind == tPunct && isSentEnd(t.norm) {
			break
		}
		end++
	}
	return i, end
}

// preStart returns the first token of the window before quote q: from the
// start of its sentence, paragraph or the previous quote.
func (a *analysis) preStart(q *cand) int {
	b := q.openTok
	for b > 0 && q.openTok-b < maxWindow {
		t := a.toks[b-1]
		if t.quote != 0 || t.kind == tBreak || t.kind == tPunct && isSentEnd(t.norm) {
			break
		}
		b--
	}
	return b
}

func isLeadPunct(s string) bool {
	switch s {
	case ",", "،", "，", "—", "–", "-", ")":
		return true
	}
	return false
}

// postAttr reads the attribution right after quote i: “…,” said X / X said
// / according to X / X, who …, said / X told.
func (a *analysis) postAttr(i int) attr {
	q := &a.cands[i]
	k, end := a.postWindow(q)
	for n := 0; n < maxLeadPunct && k < end && a.toks[k].kind == tPunct && isLeadPunct(a.toks[k].norm); n++ {
		k++
	}
	if k >= end || a.toks[k].kind != tWord {
		return attr{}
	}
	return a.attrForward(k, end)
}

// attrForward reads an attribution that starts at token i.
func (a *analysis) attrForward(i, end int) attr {
	t, c := a.toks, a.c
	if n := c.accord.at(t, i, end); n > 0 {
		s := a.forwardNP(i+n, end)
		if s.kind == npNone {
			return attr{}
		}
		return attr{cue: true, via: viaAccording, subj: s, first: i, last: s.last}
	}
	if n := c.pverbs.at(t, i, end); n > 0 {
		return attr{cue: true, via: viaSaidX, subj: np{kind: npPronoun, first: i, last: i + n - 1}, first: i, last: i + n - 1}
	}
	if n := c.verbs.at(t, i, end); n > 0 {
		k := a.skipAdverbs(i+n, end)
		s := a.forwardNP(k, end)
		last := i + n - 1
		switch {
		case s.kind != npNone:
			last = s.last
		case c.prodrop && a.emptySlot(i+n, end):
			s = np{kind: npPronoun, first: i, last: last}
		}
		return attr{cue: true, via: viaSaidX, subj: s, first: i, last: last}
	}
	s := a.forwardNP(i, end)
	if s.kind == npNone {
		s = a.otherNP(i, end)
		if s.kind == npNone {
			return attr{}
		}
	}
	k, via := s.last+1, viaXSaid
	if k+1 < end && isComma(t[k].norm) && s.kind == npName {
		// X, who …, said / X, a spokesman for the ministry, said
		m := k + 1
		for m < end && !isComma(t[m].norm) && m-k < maxWhoWords {
			m++
		}
		if m >= end || !isComma(t[m].norm) || !a.parenthetical(k+1, m) {
			return attr{}
		}
		k, via = m+1, viaWho
	}
	k = a.skipAdverbs(k, end)
	if n := c.told.at(t, k, end); n > 0 {
		if via == viaXSaid {
			via = viaTold
		}
		return attr{cue: true, via: via, subj: s, first: i, last: k + n - 1}
	}
	if n := c.verbs.at(t, k, end); n > 0 {
		return attr{cue: true, via: via, subj: s, first: i, last: k + n - 1}
	}
	if n := c.post.at(t, k, end); n > 0 && via == viaXSaid {
		return attr{cue: true, via: viaAccording, subj: s, first: i, last: k + n - 1}
	}
	return attr{}
}

// parenthetical reports whether tokens [from, to) between two commas
// describe the name before them: a relative clause (who …) or an
// apposition opening with an article or a lower-case word (a spokesman
// for …, 76), with no other name in it.
func (a *analysis) parenthetical(from, to int) bool {
	if from >= to {
		return false
	}
	t := a.toks[from]
	digit, _ := utf8.DecodeRuneInString(t.norm)
	if !a.c.who[t.norm] && !a.c.det[t.norm] && !a.indefinite(t) && !a.lowerWord(t) && !unicode.IsDigit(digit) {
		return false
	}
	for m := from; m < to; m++ {
		if a.personOf[m] != 0 {
			return false
		}
	}
	return true
}

// indefinite reports whether t is an indefinite article (a, an, un, une,
// ein, una): they open appositions but are no determiners of a title.
func (a *analysis) indefinite(t token) bool {
	switch t.norm {
	case "a", "an", "un", "une", "ein", "eine", "una", "uno", "um", "uma":
		return true
	}
	return false
}

func isComma(s string) bool { return s == "," || s == "،" || s == "，" }

// skipAdverbs steps over up to maxAdverbs adverbs from token k on.
func (a *analysis) skipAdverbs(k, end int) int {
	for n := 0; n < maxAdverbs && k < end && a.toks[k].kind == tWord && a.c.adv[a.toks[k].norm]; n++ {
		k++
	}
	return k
}

// emptySlot reports whether nothing that could be a subject stands at
// token i: punctuation, the end, or a function word (dijo a los
// periodistas, وقال إن).
func (a *analysis) emptySlot(i, end int) bool {
	if i >= end {
		return true
	}
	t := a.toks[i]
	return t.kind != tWord || a.c.stop[t.norm] && !a.c.det[t.norm]
}

// preAttr reads the attribution before quote i, in the clause that ends
// at its opening mark: X said: “…” / said X: / according to X, “…” /
// X: “…” / X said that China is “…”.
func (a *analysis) preAttr(i int) attr {
	q := &a.cands[i]
	t, c := a.toks, a.c
	b := a.preStart(q)
	e := q.openTok - 1
	if e < b {
		return attr{}
	}
	last, colon, comma := e, false, false
	if t[e].kind == tPunct {
		switch {
		case t[e].norm == ":" || t[e].norm == "：":
			colon, last = true, e-1
		case isComma(t[e].norm):
			comma, last = true, e-1
		case t[e].norm == "—" || t[e].norm == "–":
			last = e - 1
		}
	}
	for k := last; k >= b; k-- {
		if t[k].kind != tWord {
			continue
		}
		at, ok := a.cueEnding(k, b, last)
		if !ok {
			continue
		}
		at.pre, at.colon = true, colon
		// Words between the attribution and the quote: a few before a colon
		// or comma, a short clean clause in reported speech.
		from := at.last + 1
		gap := 0
		for m := from; m <= last; m++ {
			if t[m].kind == tWord {
				gap++
			}
		}
		if from <= last && t[from].kind == tWord && c.clause[t[from].norm] && !colon {
			return attr{}
		}
		if gap == 1 && c.that[t[from].norm] {
			gap = 0 // a complementizer alone: وقال روت إن “…”
		}
		at.gap = gap
		if at.via == viaSaidX && !colon && !comma && gap > 0 {
			return attr{} // said Japan should “…”: the name is the reported clause's subject
		}
		switch {
		case colon && gap <= maxLeadWords:
		case comma && gap <= maxReportedWords:
		case !colon && !comma && gap <= maxReportedWords && a.cleanGap(from, last):
		default:
			return attr{}
		}
		return at
	}
	if colon {
		if s := a.forwardNP(b, last+1); s.kind == npName && s.last == last && s.first == b {
			return attr{cue: true, pre: true, colon: true, via: viaColon, subj: s, first: b, last: last}
		}
	}
	return attr{}
}

// cleanGap reports whether tokens [from, to] may stand between a cue and
// a quote embedded in reported speech: no other person, no new clause.
func (a *analysis) cleanGap(from, to int) bool {
	for m := from; m <= to; m++ {
		t := a.toks[m]
		if t.kind == tPunct && (t.norm == ";" || t.norm == "؛") {
			return false
		}
		if t.kind != tWord {
			continue
		}
		if a.personOf[m] != 0 || a.c.clause[t.norm] {
			return false
		}
		// , and Rutte called it “…”: a second clause with its own subject.
		if a.c.conj[t.norm] && m > from && isComma(a.toks[m-1].norm) && m+1 <= to && a.isName(a.toks[m+1]) {
			return false
		}
	}
	return true
}

// cueEnding reads an attribution whose cue ends at token k of the window
// [b, last].
func (a *analysis) cueEnding(k, b, last int) (attr, bool) {
	t, c := a.toks, a.c
	if n := c.accord.ending(t, k, b); n > 0 {
		s := a.forwardNP(k+1, last+1)
		if s.kind == npNone {
			return attr{}, false
		}
		return attr{cue: true, via: viaAccording, subj: s, first: k - n + 1, last: s.last}, true
	}
	if n := c.pverbs.ending(t, k, b); n > 0 {
		return attr{cue: true, via: viaSaidX, subj: np{kind: npPronoun, first: k - n + 1, last: k}, first: k - n + 1, last: k}, true
	}
	via := viaXSaid
	n := c.told.ending(t, k, b)
	if n > 0 {
		via = viaTold
	} else if n = c.verbs.ending(t, k, b); n == 0 {
		return attr{}, false
	}
	ks := k - n + 1
	// X said / X, who …, said
	j := ks - 1
	for m := 0; m < maxAdverbs && j >= b && t[j].kind == tWord && c.adv[t[j].norm]; m++ {
		j--
	}
	if j-1 >= b && isComma(t[j].norm) {
		// X, who …, said / X, a spokesman for the ministry, said
		w := j - 1
		for w > b && !isComma(t[w-1].norm) && j-w < maxWhoWords {
			w--
		}
		if w > b && isComma(t[w-1].norm) && a.parenthetical(w, j) {
			j, via = w-2, viaWho
		}
	}
	var back np
	if j >= b && t[j].kind == tWord {
		back = a.backwardNP(j, b)
		if back.kind != npNone && back.kind != npOther {
			return attr{cue: true, via: via, subj: back, first: back.first, last: k}, true
		}
	}
	if via == viaWho {
		return attr{}, false
	}
	// said X (Arabic وقال ناكاتاني:, German sagte Merz:)
	m := a.skipAdverbs(k+1, last+1)
	if s := a.forwardNP(m, last+1); s.kind != npNone && s.kind != npOther {
		if via == viaTold && c.nocase && s.kind == npName && s.person == 0 {
			// أخبر روت ناكاتاني أن: the addressee follows the name unmarked.
			return attr{cue: true, via: via, subj: np{kind: npOther, first: ks, last: s.last}, first: ks, last: s.last}, true
		}
		return attr{cue: true, via: viaSaidX, subj: s, first: ks, last: s.last}, true
	}
	if c.prodrop && a.emptySlot(k+1, last+1) && (ks == b || c.conj[t[ks-1].norm] || t[ks-1].kind != tWord) {
		return attr{cue: true, via: viaSaidX, subj: np{kind: npPronoun, first: ks, last: k}, first: ks, last: k}, true
	}
	// A verb with a subject that names nobody: the ministry said in a statement:
	first := ks
	if back.kind == npOther {
		first = back.first
	}
	return attr{cue: true, via: via, subj: np{kind: npOther, first: first, last: k}, first: first, last: k}, true
}

// isName reports whether t can be a word of a name in a cased script.
func (a *analysis) isName(t token) bool {
	return t.kind == tWord && t.cap && !a.c.stop[t.norm] && !a.c.pron[t.norm] && !a.c.det[t.norm]
}

func isPossessive(t token) bool {
	return strings.HasSuffix(t.norm, "'s") || strings.HasSuffix(t.norm, "s'")
}

// forwardNP reads a subject starting at token i: a pronoun, or a name
// with an optional title before it (the NATO chief, Japanese Prime
// Minister Shigeru Ishiba, le président français Emmanuel Macron).
func (a *analysis) forwardNP(i, end int) np {
	t, c := a.toks, a.c
	if i >= end || t[i].kind != tWord {
		return np{}
	}
	if c.pron[t[i].norm] {
		return np{kind: npPronoun, first: i, last: i}
	}
	if c.nocase {
		return a.forwardNocase(i, end)
	}
	j := i
	if c.det[t[j].norm] {
		j++
	}
	lastTitle := -1
	k := j
	for k < end && k-j < maxNameWords+maxTitleWords {
		tk := t[k]
		if tk.kind != tWord {
			break
		}
		if n := a.titleAt(k, end); n > 0 {
			k += n
			lastTitle = k - 1
			continue
		}
		if a.isName(tk) {
			k++
			continue
		}
		if a.connects(k, j) && k+1 < end && a.isName(t[k+1]) {
			k++
			continue
		}
		if a.lowerWord(tk) {
			switch {
			case k == j && k+1 < end && a.isName(t[k+1]):
				// A role before a name: l’économiste Claire Dubois, analyst Priya Nair.
				lastTitle = k
				k++
				continue
			case k == j && k+2 < end && a.lowerWord(t[k+1]) && a.isName(t[k+2]):
				lastTitle = k + 1 // lead author Ingrid Berg
				k += 2
				continue
			case lastTitle < 0 && k-j < maxModifiers && (a.titleAt(k+1, end) > 0 || k+2 < end && a.lowerWord(t[k+1]) && a.titleAt(k+2, end) > 0):
				// Words before a title: hospital director, police spokesman.
				k++
				continue
			case lastTitle == k-1 && k+1 < end && (a.isName(t[k+1]) || a.titleAt(k+1, end) > 0):
				// An adjective after a title: le président français Emmanuel Macron.
				k++
				continue
			}
		}
		break
	}
	if k == j {
		if j > i && j < end && a.lowerWord(t[j]) {
			// A role with its complement before an apposed name:
			// l’avocate de la famille, Claire Roux.
			if s, ok := a.apposition(i, j, j+1, end); ok {
				return s
			}
		}
		return np{}
	}
	if lastTitle >= 0 {
		if s, ok := a.apposition(i, lastTitle, k, end); ok {
			return s
		}
	}
	s := a.shapeNP(i, j, k-1, lastTitle)
	if s.kind == npName && k+1 < end && c.conj[t[k].norm] && a.isName(t[k+1]) {
		s.kind = npPlural // said Ishiba and Rutte
		for s.last = k + 1; s.last+1 < end && a.isName(t[s.last+1]); s.last++ {
		}
	}
	return s
}

// titleAt returns the length of the title starting at token k (before
// end), 0 when none does. A hyphenated word ending with a one-word title
// is one too: CSU-Chef, EZB-Präsidentin, NATO-chief.
func (a *analysis) titleAt(k, end int) int {
	if n := a.c.titles.at(a.toks, k, end); n > 0 {
		return n
	}
	if k < end && a.hyphenTitle(a.toks[k]) {
		return 1
	}
	return 0
}

// titleEnding returns the length of the title ending at token k (no
// earlier than begin), 0 when none does.
func (a *analysis) titleEnding(k, begin int) int {
	if n := a.c.titles.ending(a.toks, k, begin); n > 0 {
		return n
	}
	if k >= begin && a.hyphenTitle(a.toks[k]) {
		return 1
	}
	return 0
}

// hyphenTitle reports whether t ends with a one-word title after a
// hyphen (CSU-Chef) or, in languages that write compounds as one word,
// after at least minAffix letters (Gesundheitsministerin).
func (a *analysis) hyphenTitle(t token) bool {
	if t.kind != tWord {
		return false
	}
	if i := strings.LastIndexByte(t.norm, '-'); i > 0 && i < len(t.norm)-1 && a.oneWordTitle(t.norm[i+1:]) {
		return true
	}
	if !a.c.compounds {
		return false
	}
	for i := range t.norm {
		if utf8.RuneCountInString(t.norm[:i]) >= minAffix && a.oneWordTitle(t.norm[i:]) {
			return true
		}
	}
	return false
}

func (a *analysis) oneWordTitle(w string) bool {
	for _, ph := range a.c.titles.byFirst[w] {
		if len(ph) == 1 {
			return true
		}
	}
	return false
}

// connects reports whether token k, after token j, joins the words of a
// name (de, von, bin). One that is also an article only follows another
// (von der Leyen, de la Fuente): sagte Hofreiter der Deutschen
// Presse-Agentur names an addressee.
func (a *analysis) connects(k, j int) bool {
	t := a.toks[k]
	if k <= j || !a.c.conn[t.norm] {
		return false
	}
	return !a.c.det[t.norm] || a.c.conn[a.toks[k-1].norm]
}

// lowerWord reports whether t is a lower-case content word.
func (a *analysis) lowerWord(t token) bool {
	return t.kind == tWord && !t.cap && (!a.c.stop[t.norm] || a.c.noun[t.norm]) && !a.c.det[t.norm] && !a.c.clause[t.norm] && !a.c.pron[t.norm] &&
		a.c.verbs.byFirst[t.norm] == nil && a.c.told.byFirst[t.norm] == nil
}

// apposition reads a name set off by a comma after a title that names no
// one itself: la ministra de Economía, Carmen Ruiz / el presidente
// regional, Tomás Vidal. The title ends at lastTitle, the phrase at k.
func (a *analysis) apposition(i, lastTitle, k, end int) (np, bool) {
	t := a.toks
	// After the title only an organisation introduced by a connector (de
	// Economía, del Gobierno, of NATO) or an adjective, no name of its own.
	if m := lastTitle + 1; m < k && !a.c.conn[t[m].norm] && !a.lowerWord(t[m]) {
		return np{}, false
	}
	// The rest of the title up to the comma: regional / del equipo.
	for n := 0; k < end && n < maxTitleWords && t[k].kind == tWord && (a.lowerWord(t[k]) || a.c.conn[t[k].norm] || a.c.det[t[k].norm] || a.isName(t[k])); n++ {
		k++
	}
	if k+1 >= end || !isComma(t[k].norm) || !a.isName(t[k+1]) {
		return np{}, false
	}
	m := k + 1
	for m < end && (a.isName(t[m]) || a.c.conn[t[m].norm] && m+1 < end && a.isName(t[m+1])) {
		m++
	}
	if m < end && t[m].kind == tWord || m-(k+1) > maxNameWords {
		return np{}, false
	}
	first := k + 1
	for x := k + 1; x < m; x++ {
		if n := a.titleAt(x, m); n > 0 && x+n < m {
			first = x + n // a title of address: Maître Claire Roux
		}
	}
	s := np{kind: npName, first: i, last: m - 1, nameFirst: first, nameLast: m - 1, title: a.contentWords(i, first-1)}
	a.attachPerson(&s)
	return s, true
}

// shapeNP splits the tokens [j, last] of a subject (det at i < j, if any)
// into a title and a name.
func (a *analysis) shapeNP(i, j, last, lastTitle int) np {
	t := a.toks
	nameFirst := j
	if lastTitle >= 0 {
		nameFirst = lastTitle + 1
	}
	for m := nameFirst; m <= last; m++ {
		if isPossessive(t[m]) {
			nameFirst = m + 1
		}
	}
	for nameFirst <= last && !a.isName(t[nameFirst]) {
		nameFirst++
	}
	s := np{first: i, last: last, nameFirst: nameFirst, nameLast: last}
	words := 0
	for m := nameFirst; m <= last; m++ {
		if a.isName(t[m]) {
			words++
		}
	}
	switch {
	case nameFirst <= last && words <= maxNameWords:
		s.kind = npName
		s.title = a.contentWords(j, nameFirst-1)
		a.attachPerson(&s)
		if i < j && lastTitle < 0 && words == 1 && s.person == 0 {
			// An article before one capitalised word: an institution or a
			// German noun (the Kremlin, nach dem Treffen), not a person.
			s.kind = npOther
		}
		return s
	case lastTitle >= 0 && nameFirst > last:
		s.kind = npTitle
		s.title = a.contentWords(j, last)
	default:
		return np{}
	}
	return s
}

// attachPerson makes the name of s the caller's person mention lying in
// it, if there is one.
func (a *analysis) attachPerson(s *np) {
	if s.kind != npName {
		return
	}
	for m := s.nameLast; m >= s.nameFirst; m-- {
		if p := a.personOf[m]; p != 0 {
			s.person = p
			return
		}
	}
}

// forwardNocase reads a subject in a script without capitals (Arabic): a
// title and its complements (الأمين العام لحلف الناتو), then the 1–3 words of
// a name up to punctuation or a function word.
func (a *analysis) forwardNocase(i, end int) np {
	t, c := a.toks, a.c
	j := i
	titled := false
	for j < end && j-i < maxTitleWords {
		if n := a.titleAt(j, end); n > 0 {
			j += n
			titled = true
			continue
		}
		if titled && t[j].kind == tWord && a.personOf[j] == 0 && (c.comp[t[j].norm] || hasArticle(t[j].norm)) {
			j++
			continue
		}
		break
	}
	k := j
	if !titled && a.hasPeople {
		// ويقول المزارع أحمد سالم: a role word or two before a known person.
		for m := j + 1; m < end && m <= j+maxModifiers && t[m-1].kind == tWord && hasArticle(t[m-1].norm); m++ {
			if p := a.personAt(m, end); p > 0 {
				j = m
				break
			}
		}
	}
	if p := a.personAt(j, end); p > 0 {
		k = p
	} else {
		for k < end && k-j < maxNocaseNameWords {
			tk := t[k]
			if tk.kind != tWord || c.stop[tk.norm] || a.titleAt(k, end) > 0 || c.comp[tk.norm] || strings.HasPrefix(tk.norm, "لل") || c.pron[tk.norm] {
				break
			}
			if k == j && hasArticle(tk.norm) {
				break
			}
			k++
		}
	}
	s := np{first: i, last: k - 1, nameFirst: j, nameLast: k - 1}
	switch {
	case k > j:
		s.kind = npName
		s.title = a.contentWords(i, j-1)
		a.attachPerson(&s)
	case titled:
		s.kind, s.last = npTitle, j-1
		s.title = a.contentWords(i, j-1)
	default:
		return np{}
	}
	return s
}

// personAt returns the token after the caller's person mention that
// starts at token j, 0 when none starts there.
func (a *analysis) personAt(j, end int) int {
	if j >= end || a.personOf[j] == 0 || a.people[a.personOf[j]-1].Start < a.toks[j].start {
		return 0
	}
	p := a.personOf[j]
	k := j
	for k < end && a.personOf[k] == p {
		k++
	}
	return k
}

// hasArticle reports whether an Arabic word carries the article (ال, لل).
func hasArticle(w string) bool {
	return utf8.RuneCountInString(w) > minStem && (strings.HasPrefix(w, "ال") || strings.HasPrefix(w, "وال") || strings.HasPrefix(w, "لل"))
}

// otherNP reads a subject that names nobody, for a cue to be seen: a
// determiner and up to three words (the defence ministry), or one word
// (officials).
func (a *analysis) otherNP(i, end int) np {
	t, c := a.toks, a.c
	k := i
	if c.det[t[k].norm] {
		k++
	}
	for n := 0; n < maxOtherWords && k < end && t[k].kind == tWord && c.verbs.at(t, k, end) == 0 && c.told.at(t, k, end) == 0; n++ {
		k++
	}
	if k == i {
		return np{}
	}
	for m := k; m >= i+1; m-- {
		if c.verbs.at(t, m, end) > 0 || c.told.at(t, m, end) > 0 {
			return np{kind: npOther, first: i, last: m - 1}
		}
	}
	return np{}
}

// backwardNP reads a subject that ends at token j, no earlier than token
// b: a pronoun, or a name with an optional title before it.
func (a *analysis) backwardNP(j, b int) np {
	t, c := a.toks, a.c
	if c.pron[t[j].norm] {
		if j-2 >= b && c.conj[t[j-1].norm] {
			return np{kind: npPlural, first: j - 2, last: j}
		}
		return np{kind: npPronoun, first: j, last: j}
	}
	if c.nocase {
		// Arabic puts the verb first; a name before it is a caller's mention.
		if p := a.personOf[j]; p != 0 {
			k := j
			for k-1 >= b && a.personOf[k-1] == p {
				k--
			}
			return np{kind: npName, first: k, last: j, nameFirst: k, nameLast: j, person: p}
		}
		return np{}
	}
	k := j
	lastTitle, mods := -1, 0
	for k >= b && j-k < maxNameWords+maxTitleWords {
		tk := t[k]
		if tk.kind != tWord {
			break
		}
		if n := a.titleEnding(k, b); n > 0 {
			if lastTitle < 0 {
				lastTitle = k
			}
			k -= n
			continue
		}
		if a.isName(tk) {
			k--
			continue
		}
		if c.conn[tk.norm] && k < j && k-1 >= b && a.isName(t[k-1]) {
			k--
			continue
		}
		if a.lowerWord(tk) {
			if lastTitle < 0 && k < j && a.isName(t[k+1]) {
				lastTitle = k // a role before the name: economist Hannah Weiss
				k--
				continue
			}
			if lastTitle >= 0 && mods < maxModifiers {
				mods++ // words before a title: hospital director
				k--
				continue
			}
		}
		break
	}
	first := k + 1
	i := first
	if k >= b && c.det[t[k].norm] {
		i = k
	}
	if first > j {
		// A lower-case subject: the ministry, officials.
		if c.det[t[j].norm] || a.c.stop[t[j].norm] {
			return np{}
		}
		m := j
		for m-1 >= b && j-m < maxOtherWords && t[m-1].kind == tWord && !c.det[t[m-1].norm] {
			m--
		}
		if m-1 >= b && c.det[t[m-1].norm] {
			m--
		}
		return np{kind: npOther, first: m, last: j}
	}
	s := a.shapeNP(i, first, j, lastTitle)
	if s.kind == npName && first-2 >= b && c.conj[t[first-1].norm] && (a.isName(t[first-2]) || c.pron[t[first-2].norm]) {
		s.kind = npPlural // Ishiba and Rutte said
	}
	if s.kind == npNone {
		return np{kind: npOther, first: i, last: j}
	}
	return s
}

// cjkAttr finds the speaker of a Chinese or Japanese quote: a caller's
// person mention shortly before it, followed by a speech verb (吕特表示：)
// or a topic particle when a verb closes the quote (石破首相は「…」と述べた).
// Without mentions CJK speakers stay unresolved.
func (a *analysis) cjkAttr(i int) attr {
	c := a.c
	if len(a.people) == 0 || len(c.cjkPre) == 0 && len(c.cjkTopic) == 0 {
		return attr{}
	}
	q := &a.cands[i]
	b := a.preStart(q)
	open := q.raw.start
	from := a.toks[b].start
	if b >= q.openTok {
		return attr{}
	}
	last := sort.Search(len(a.people), func(i int) bool { return a.people[i].End > open })
	for pi := last - 1; pi >= 0; pi-- {
		p := a.people[pi]
		if p.End > open {
			continue // people sort by start: one may end after a later one
		}
		if p.Start < from {
			break
		}
		gap := strings.TrimRightFunc(a.text[p.End:open], func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r)
		})
		if utf8.RuneCountInString(gap) > maxCJKGap {
			return attr{}
		}
		ok := containsAny(gap, c.cjkPre)
		if !ok && containsAny(gap, c.cjkTopic) {
			_, end := a.postWindow(q)
			after := strings.TrimLeftFunc(a.text[q.raw.end:a.toks[max(end-1, q.closeTok)].end], unicode.IsSpace)
			for _, v := range c.cjkPost {
				if strings.HasPrefix(after, v) {
					ok = true
				}
			}
		}
		if !ok {
			return attr{}
		}
		tok := a.lastTok(b, p.Start)
		s := np{kind: npName, first: tok, last: tok, nameFirst: tok, nameLast: tok, person: pi + 1}
		return attr{cue: true, pre: true, via: viaXSaid, subj: s, first: tok, last: q.openTok - 1}
	}
	return attr{}
}

func containsAny(s string, subs []string) bool {
	for _, v := range subs {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}
