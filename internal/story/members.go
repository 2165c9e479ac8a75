package story

import (
	"sort"
	"strings"
	"time"
)

// A story fed for months (a war, a campaign) never leaves the window, so
// the articles it holds in memory are bounded instead (Config.MaxMembers):
// the earliest arrivals leave its sums and index, and a tally kept as
// articles join and leave answers for all of them in Summary.

// titled is the earliest titled article a story has in one language.
type titled struct {
	seq   int64
	title string
}

// tally describes every article of a story, those evicted from memory
// included.
type tally struct {
	n       int               // articles
	outlets map[string]int    // articles per outlet
	langs   map[string]int    // articles per language
	titles  map[string]titled // earliest titled article per language
	evFirst time.Time         // earliest time of an evicted article
	// outletList and langList are the sorted keys of outlets and langs,
	// rebuilt when a key comes or goes (stale).
	outletList, langList []string
	stale                bool
	// into is the story this one was merged into, once its tally moved
	// there.
	into *story
}

// add counts m in (sign 1) or out (sign -1). Counting out leaves the title
// to retitle.
func (t *tally) add(m *member, sign int) {
	t.n += sign
	if m.source != "" {
		t.stale = bump(&t.outlets, m.source, sign) || t.stale
	}
	if m.lang != "" {
		t.stale = bump(&t.langs, m.lang, sign) || t.stale
	}
	if sign > 0 && m.title != "" {
		if cur, ok := t.titles[m.lang]; !ok || m.seq < cur.seq {
			if t.titles == nil {
				t.titles = make(map[string]titled)
			}
			t.titles[m.lang] = titled{m.seq, m.title}
		}
	}
}

// bump adds sign to c[k] and reports whether k came or went.
func bump(c *map[string]int, k string, sign int) bool {
	if *c == nil {
		*c = make(map[string]int)
	}
	n := (*c)[k] + sign
	if n <= 0 {
		_, had := (*c)[k]
		delete(*c, k)
		return had
	}
	(*c)[k] = n
	return n == sign
}

// merge adds o's articles to t.
func (t *tally) merge(o *tally) {
	t.n += o.n
	for k, n := range o.outlets {
		bump(&t.outlets, k, n)
	}
	for k, n := range o.langs {
		bump(&t.langs, k, n)
	}
	for l, ot := range o.titles {
		if cur, ok := t.titles[l]; !ok || ot.seq < cur.seq {
			if t.titles == nil {
				t.titles = make(map[string]titled)
			}
			t.titles[l] = ot
		}
	}
	if !o.evFirst.IsZero() && (t.evFirst.IsZero() || o.evFirst.Before(t.evFirst)) {
		t.evFirst = o.evFirst
	}
	t.stale = true
}

// lists rebuilds the sorted outlet and language lists when stale.
func (t *tally) lists() {
	if !t.stale {
		return
	}
	t.stale = false
	t.outletList = sortedKeys(t.outlets)
	t.langList = sortedKeys(t.langs)
}

func sortedKeys(m map[string]int) []string {
	if len(m) == 0 {
		return nil
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// retitle finds the next title in m's language when m, counted out of s,
// held it. Only the articles in memory are searched: an evicted article of
// the language arrived before m and would have held the title itself.
func (s *story) retitle(m *member) {
	cur, ok := s.tally.titles[m.lang]
	if !ok || cur.seq != m.seq {
		return
	}
	delete(s.tally.titles, m.lang)
	for _, o := range s.members {
		if o != m && o.home == s && o.lang == m.lang && o.title != "" {
			if cur, ok := s.tally.titles[o.lang]; !ok || o.seq < cur.seq {
				s.tally.titles[o.lang] = titled{o.seq, o.title}
			}
		}
	}
}

// claim counts m, just added to s's members, in s's tally, taking it out of
// the tally of the story it comes from. Maintain moves articles without
// saying why, so the way m arrives tells: back into s after a split rebuilt
// it (already counted); out of a story no longer active, or left with no
// article held, which Maintain then drops (merged into s: its whole tally,
// evicted articles included, comes along once); or out of an active story
// (split off).
func (a *Assigner) claim(s *story, m *member) {
	switch prev := m.home; {
	case prev == s:
		return
	case prev != nil && (a.stories[prev.id] != prev || len(prev.members) == 0):
		if prev.tally.into == nil {
			s.tally.merge(&prev.tally)
			prev.tally = tally{into: s}
		}
		if prev.tally.into == s {
			m.home = s
			return
		}
	case prev != nil:
		prev.tally.add(m, -1)
		prev.retitle(m)
	}
	s.tally.add(m, 1)
	m.home = s
}

// evict takes the earliest arrivals out of s while it holds more than
// Config.MaxMembers articles. They leave its sums, its member list and the
// owner map; the tally keeps counting them, as they stay in the story.
func (a *Assigner) evict(s *story) {
	limit := a.cfg.MaxMembers
	if limit <= 0 {
		return
	}
	for len(s.members) > limit {
		// Members are in arrival order (see add): the first is the earliest.
		m := s.members[0]
		copy(s.members, s.members[1:])
		s.members[len(s.members)-1] = nil
		s.members = s.members[:len(s.members)-1]
		s.countVecs(m, -1)
		a.unpostMember(s, m)
		m.home = nil
		if a.owner[m.id] == s.id {
			delete(a.owner, m.id)
		}
		if !m.t.IsZero() && (s.tally.evFirst.IsZero() || m.t.Before(s.tally.evFirst)) {
			s.tally.evFirst = m.t
		}
		a.evicted = append(a.evicted, m.id)
		if s.view.head == m {
			s.view.valid = false
		}
	}
}

// TakeEvicted returns the articles evicted from memory since the last call
// (see Config.MaxMembers): they stay in their story, and a restart must not
// load them back into memory.
func (a *Assigner) TakeEvicted() []int64 {
	ids := a.evicted
	a.evicted = nil
	return ids
}

// view caches the parts of a story's Summary that cost a pass over its
// members or terms: they are recomputed once the story has changed by a
// quarter of its size, and in between the headline is only challenged by
// the articles that arrived.
type view struct {
	valid    bool
	changes  int     // articles added or moved since the computation
	head     *member // article whose title is the headline; nil for terms
	headline string
	terms    []string
	fresh    []*member // added since the headline was last checked
}

// maxFresh bounds view.fresh when nobody asks for a Summary.
const maxFresh = 128

func (v *view) note(m *member) {
	v.changes++
	if !v.valid {
		return
	}
	if len(v.fresh) == maxFresh {
		v.valid, v.fresh = false, nil
		return
	}
	v.fresh = append(v.fresh, m)
}

// centrality ranks m as s's headline: its cosine to the centroid, plus 1
// for English, the language most readers share.
func centrality(m *member, s *story) float64 {
	d := centroidCos(m.vec, s.sum, s.norm2)
	if m.lang == "en" {
		d++
	}
	return d
}

// look brings s.view up to date.
func (a *Assigner) look(s *story) {
	v := &s.view
	if v.valid && v.changes < max(1, len(s.members)/4) && (v.head == nil || v.head.home == s) {
		best, bestD := v.head, -1.0
		if best != nil {
			bestD = centrality(best, s)
		}
		for _, m := range v.fresh {
			if m.home != s || m.title == "" {
				continue
			}
			if d := centrality(m, s); d > bestD || best != nil && d == bestD && m.seq < best.seq {
				best, bestD = m, d
			}
		}
		if best != nil {
			v.head, v.headline = best, best.title
		}
		v.fresh = v.fresh[:0]
		return
	}
	*v = view{valid: true, terms: a.topTerms(s, summaryTerms)}
	bestD := -1.0
	for _, m := range s.members {
		if m.title == "" {
			continue
		}
		if d := centrality(m, s); d > bestD || v.head != nil && d == bestD && m.seq < v.head.seq {
			v.head, bestD = m, d
		}
	}
	if v.head != nil {
		v.headline = v.head.title
	} else {
		v.headline = strings.Join(v.terms[:min(5, len(v.terms))], " ")
	}
}

// Carry tells story id, rebuilt from the articles it holds in memory (see
// Replay), about its articles that are not: out gives their count,
// outlets, languages, earliest title per language and earliest time, as
// the store has them. Its Summary then covers the whole story again.
// Calling it for a story that is not active does nothing.
func (a *Assigner) Carry(id int64, out Summary) {
	s := a.stories[id]
	if s == nil {
		return
	}
	t := &s.tally
	t.n += max(out.Articles, 0)
	// The articles behind the lists are out of memory, like evicted ones:
	// one count each keeps a list entry for as long as the story lasts,
	// whatever happens to the articles held.
	for _, o := range out.Outlets {
		if t.outlets[o] == 0 {
			bump(&t.outlets, o, 1)
			t.stale = true
		}
	}
	for _, l := range out.Langs {
		if t.langs[l] == 0 {
			bump(&t.langs, l, 1)
			t.stale = true
		}
	}
	for l, title := range out.Titles {
		// Articles out of memory came first: their titles keep their place.
		if t.titles == nil {
			t.titles = make(map[string]titled)
		}
		t.titles[l] = titled{seq: 0, title: title}
	}
	if !out.FirstSeen.IsZero() && (t.evFirst.IsZero() || out.FirstSeen.Before(t.evFirst)) {
		t.evFirst = out.FirstSeen
	}
}
