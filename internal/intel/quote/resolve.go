package quote

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// mention is a person named in the text: from the caller, or a name found
// in an attribution slot.
type mention struct {
	start, end int
	key        string   // folded last word of the name: one key a person
	title      []string // content words of the title it was given there
	tok        int      // its first token
	sent       int      // its sentence
}

// nameKey is the folded last word of a name: Mark Rutte and Rutte are one
// person.
func nameKey(name string) string {
	w := phraseWords(name)
	if len(w) == 0 {
		return normWord(name)
	}
	return strings.TrimSuffix(strings.TrimSuffix(w[len(w)-1], "'s"), "'")
}

// contentWords returns the folded words of tokens [from, to] that can
// match a title: no determiners, connectors or function words; Arabic
// without its article and prefixes.
func (a *analysis) contentWords(from, to int) []string {
	var out []string
	for m := max(from, 0); m <= to && m < len(a.toks); m++ {
		t := a.toks[m]
		if t.kind != tWord || a.c.det[t.norm] || a.c.conn[t.norm] || a.c.stop[t.norm] && !t.cap {
			continue
		}
		out = append(out, foldTitleWord(t.norm))
	}
	return out
}

// foldTitleWord strips a possessive and, in Arabic, the conjunction و,
// the article and the preposition ل.
func foldTitleWord(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'")
	for _, p := range []string{"وال", "لل", "ال", "ل"} {
		if strings.HasPrefix(w, p) && utf8.RuneCountInString(w)-utf8.RuneCountInString(p) >= minStem {
			return w[len(p):]
		}
	}
	return w
}

// titleAround returns the content words of the title given to the
// mention at tokens [first, last]: before it (NATO chief Mark Rutte,
// الأمين العام لحلف الناتو مارك روته) or in an apposition after it (Rutte,
// the NATO chief,). Nothing when no title word is there.
func (a *analysis) titleAround(first, last int) []string {
	t, c := a.toks, a.c
	var out []string
	// Before: titles, capitalised words, complements.
	k := first - 1
	titled := false
	for k >= 0 && first-k <= maxTitleWords && t[k].kind == tWord && a.personOf[k] == 0 {
		if n := a.titleEnding(k, max(0, first-maxTitleWords)); n > 0 {
			titled = true
			k -= n
			continue
		}
		if t[k].cap || c.comp[t[k].norm] || c.nocase && hasArticle(t[k].norm) || isPossessive(t[k]) {
			k--
			continue
		}
		break
	}
	if titled {
		out = append(out, a.contentWords(k+1, first-1)...)
	}
	// After: , the NATO chief,
	if m := last + 1; m+1 < len(t) && isComma(t[m].norm) {
		e := m + 1
		for e < len(t) && t[e].kind == tWord && e-m <= maxTitleWords {
			e++
		}
		if e < len(t) && e > m+1 && t[e].kind == tPunct {
			for x := m + 1; x < e; x++ {
				if a.titleAt(x, e) > 0 {
					out = append(out, a.contentWords(m+1, e-1)...)
					break
				}
			}
		}
	}
	return out
}

// resolve settles the speaker of quote i; prev is the quote before it.
func (a *analysis) resolve(i, prev int) {
	q := &a.cands[i]
	at := q.at
	switch {
	case !at.cue:
		a.resolveContinued(i, prev)
		return
	case at.subj.kind == npName:
		a.resolveName(q)
	case at.subj.kind == npTitle:
		if m, ok := a.resolveTitle(at.subj.title, a.toks[at.subj.first].start); ok {
			a.setSpeaker(q, m, viaTitle, confTitle)
		}
	case at.subj.kind == npPronoun:
		limit := min(q.raw.start, a.toks[at.first].start)
		if m, conf, ok := a.resolvePronoun(q, limit, prev); ok {
			a.setSpeaker(q, m, viaPronoun, conf)
		}
	}
}

// resolveName takes the name in the attribution slot as the speaker.
func (a *analysis) resolveName(q *cand) {
	at := q.at
	s := at.subj
	conf := confNamed
	switch {
	case at.pre && at.gap > 0 && !at.colon:
		conf = confReported
	case at.pre && at.gap > 0:
		conf = confLead
	}
	if s.person != 0 {
		p := a.people[s.person-1]
		a.setSpeaker(q, a.mentionAt(p.Start), at.via, conf)
		return
	}
	start, end := a.toks[s.nameFirst].start, a.toks[s.nameLast].end
	name := a.text[start:end]
	if a.hasPeople {
		// The caller found no person here: a single word opening the
		// sentence is likely a common noun (Economists said).
		k := s.nameFirst
		if s.nameFirst == s.nameLast && (k == 0 || a.toks[k-1].sent != a.toks[k].sent || a.toks[k-1].kind == tBreak) {
			return
		}
		conf *= confNotPerson
	}
	m := mention{start: start, end: end, key: nameKey(name), title: s.title, tok: s.nameFirst,
		sent: a.toks[s.nameFirst].sent}
	a.addMention(m)
	a.setSpeaker(q, m, at.via, conf)
}

// mentionAt returns the mention that starts at byte offset start.
func (a *analysis) mentionAt(start int) mention {
	for _, m := range a.mentions {
		if m.start == start {
			return m
		}
	}
	// A person the caller found inside a quote's words: not a mention of
	// its own, but the speaker all the same.
	for _, p := range a.people {
		if p.Start == start {
			tok := a.tokBefore(start + 1)
			return mention{start: p.Start, end: p.End, key: nameKey(a.text[p.Start:p.End]), tok: tok}
		}
	}
	return mention{start: start, end: start}
}

// addMention inserts m into the mentions in text order.
func (a *analysis) addMention(m mention) {
	i := sort.Search(len(a.mentions), func(i int) bool { return a.mentions[i].start >= m.start })
	if i < len(a.mentions) && a.mentions[i].start == m.start {
		return
	}
	a.mentions = append(a.mentions, mention{})
	copy(a.mentions[i+1:], a.mentions[i:])
	a.mentions[i] = m
}

func (a *analysis) setSpeaker(q *cand, m mention, via string, conf float64) {
	name := strings.TrimSpace(a.text[m.start:m.end])
	if name == "" {
		return
	}
	q.speaker, q.sStart, q.sEnd, q.via, q.conf, q.key = name, m.start, m.end, via, conf, m.key
}

// resolveTitle returns the person last mentioned with a title sharing the
// most content words with title. Two people sharing as many leave it
// unresolved.
func (a *analysis) resolveTitle(title []string, before int) (mention, bool) {
	best := map[string]int{}
	latest := map[string]mention{}
	for _, m := range a.mentions {
		if m.end > before {
			break
		}
		latest[m.key] = m
		if n := overlap(title, m.title); n > best[m.key] {
			best[m.key] = n
		}
	}
	top, second, who := 0, 0, ""
	for k, n := range best {
		switch {
		case n > top:
			top, second, who = n, top, k
		case n > second:
			second = n
		}
	}
	if top == 0 || second == top {
		return mention{}, false
	}
	return latest[who], true
}

// overlap counts the words of a that match a word of b.
func overlap(a, b []string) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if wordsMatch(x, y) {
				n++
				break
			}
		}
	}
	return n
}

// wordsMatch: equal, or one starts or ends with the other, the shorter
// having at least minAffix letters (Kanzler ~ Bundeskanzler).
func wordsMatch(x, y string) bool {
	if x == y {
		return true
	}
	if utf8.RuneCountInString(x) > utf8.RuneCountInString(y) {
		x, y = y, x
	}
	return utf8.RuneCountInString(x) >= minAffix && (strings.HasPrefix(y, x) || strings.HasSuffix(y, x))
}

// resolvePronoun returns the person a pronoun (or a subjectless verb)
// before offset limit stands for: the one person named in the nearest of
// the last pronounSentences sentences that names anyone; among several,
// the previous quote's speaker, else the sentence's subject.
func (a *analysis) resolvePronoun(q *cand, limit, prev int) (mention, float64, bool) {
	sent := a.toks[q.openTok].sent
	if ft := a.tokBefore(limit); ft >= 0 && a.toks[ft].sent < sent {
		sent = a.toks[ft].sent
	}
	prevKey := ""
	if prev >= 0 && a.toks[a.cands[prev].closeTok].para == a.toks[q.openTok].para {
		prevKey = a.cands[prev].key
	}
	var in []mention
	for s := sent; s > sent-pronounSentences && s >= 0; s-- {
		in = in[:0]
		for _, m := range a.mentions {
			if m.start >= limit {
				break
			}
			if m.sent == s {
				in = append(in, m)
			}
		}
		if len(in) == 0 {
			continue
		}
		keys := map[string]mention{}
		for _, m := range in {
			keys[m.key] = m // the latest mention of each person
		}
		if len(keys) == 1 {
			return in[len(in)-1], confPronoun, true
		}
		if m, ok := keys[prevKey]; ok && prevKey != "" {
			return m, confPronoun, true
		}
		// The subject: the first person named, near the sentence start.
		first := in[0]
		lead := 0
		for k := first.tok - 1; k >= 0 && a.toks[k].sent == s && a.toks[k].kind != tBreak; k-- {
			if a.toks[k].kind == tWord {
				lead++
			}
		}
		plural := false
		if k := a.lastTok(first.tok, first.end) + 1; k+1 < len(a.toks) && a.c.conj[a.toks[k].norm] {
			plural = true // Dias and Amaral met …: no single subject
		}
		if lead <= maxSubjectLead && !plural {
			return keys[first.key], confSubject, true
		}
		return mention{}, 0, false
	}
	if prevKey != "" {
		p := &a.cands[prev]
		return mention{start: p.sStart, end: p.sEnd, key: p.key}, confPronoun, true
	}
	return mention{}, 0, false
}

// resolveContinued gives quote i, which has no cue of its own, the
// speaker of the quote before it in the same paragraph when nothing that
// could be another speaker stands between them.
func (a *analysis) resolveContinued(i, prev int) {
	if prev < 0 {
		return
	}
	p, q := &a.cands[prev], &a.cands[i]
	if p.speaker == "" || a.toks[p.closeTok].para != a.toks[q.openTok].para {
		return
	}
	from := p.closeTok + 1
	if p.at.cue && !p.at.pre {
		from = p.at.last + 1
		// The rest of the attribution's sentence (, 42, who has worked
		// here for a decade.) counts for nothing when it names no one.
		k, s := from, a.toks[p.at.last].sent
		for k < q.openTok && a.toks[k].sent == s && a.personOf[k] == 0 && !a.isName(a.toks[k]) {
			k++
		}
		if k == q.openTok || a.toks[k].sent != s {
			from = k
		}
	}
	words := 0
	for k := from; k < q.openTok; k++ {
		t := a.toks[k]
		if t.kind != tWord {
			continue
		}
		words++
		if a.personOf[k] != 0 || a.isName(t) || a.c.nocase {
			return
		}
	}
	if words > maxContinueWords || q.short && words > maxShortContinueWords {
		return
	}
	q.speaker, q.sStart, q.sEnd, q.key = p.speaker, p.sStart, p.sEnd, p.key
	q.via, q.conf = viaContinued, confContinued
}

// quotes returns the kept quotes.
func (a *analysis) quotes() []Quote {
	var out []Quote
	for _, q := range a.cands {
		if q.drop || q.merged {
			continue
		}
		var parts []string
		for _, p := range q.pieces {
			if s := joinParts(a.text, p); s != "" {
				parts = append(parts, s)
			}
		}
		text := strings.Join(parts, " … ")
		if text == "" {
			continue
		}
		out = append(out, Quote{Text: text, Start: q.raw.start, End: q.raw.end, Speaker: q.speaker,
			SpeakerStart: orNone(q.speaker, q.sStart), SpeakerEnd: orNone(q.speaker, q.sEnd), Via: q.via, Confidence: q.conf})
	}
	return out
}

func orNone(speaker string, v int) int {
	if speaker == "" {
		return -1
	}
	return v
}
