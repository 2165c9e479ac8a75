package story

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Maintain runs the periodic pass over stories changed since the last one:
// it expires stories that left the window (now advances stream time when
// later), splits a story whose members form two separate groups, gives
// each recently added article a second chance to move to a story that
// fits it better, merges stories that turn out to be one event, and
// absorbs small stories that stopped growing into the story they belong to.
func (a *Assigner) Maintain(now time.Time) []Event {
	if now.After(a.now) {
		a.now = now
	}
	a.expire()
	var events []Event
	a.maintAt = a.assigned
	for _, id := range a.changedIDs() {
		s := a.stories[id]
		if s == nil {
			continue
		}
		if ev, ok := a.trySplit(s); ok {
			events = append(events, ev)
		}
	}
	for _, id := range a.changedIDs() {
		if s := a.stories[id]; s != nil {
			events = append(events, a.reassign(s, a.maintSeq)...)
		}
	}
	a.maintSeq = a.seq
	for _, id := range a.changedIDs() {
		s := a.stories[id]
		if s == nil {
			continue
		}
		for _, o := range a.candidates(a.sumQuery(s.centroid(), s.skelCentroid()), s.id) {
			if a.stories[s.id] == nil {
				break
			}
			if a.stories[o.id] == nil || a.farInTime(s, o) {
				continue
			}
			sim, th := a.link(s, o)
			// The penalty only lowers sim: below th already, the pair
			// needs no look at the stories' years (two maps a pair).
			if sim >= th {
				if p := a.cfg.YearPenalty; p > 0 && p < 1 && storyYearConflict(s, o) {
					sim *= p
				}
			}
			if sim >= th && !a.isApart(s.id, o.id) && !(a.pinned[s.id] && a.pinned[o.id]) {
				keep, gone := s, o
				// A story a person shaped is merged into by others, never
				// merged away.
				if keeps(o, s) && !a.pinned[s.id] || a.pinned[o.id] {
					keep, gone = o, s
				}
				events = append(events, a.merge(keep, gone, sim))
			}
		}
	}
	events = append(events, a.absorb()...)
	for _, s := range a.stories {
		// A small story too young to be absorbed stays on the list for
		// the next pass.
		if c := a.young(s); c != s.changed {
			s.changed = c
			a.dirty[s.id] = true
		}
	}
	return events
}

// MaintainDue reports whether Config.MaintainEvery articles have come since
// the last Maintain.
func (a *Assigner) MaintainDue() bool {
	return a.assigned-a.maintAt >= int64(a.cfg.MaintainEvery)
}

// MaintainLeft returns how many more articles the stream takes before its
// next Maintain pass is due (0 when it is due).
func (a *Assigner) MaintainLeft() int64 {
	return max(int64(a.cfg.MaintainEvery)-(a.assigned-a.maintAt), 0)
}

// young reports whether s is small enough to be absorbed but has had a new
// article within AbsorbAge.
func (a *Assigner) young(s *story) bool {
	return a.cfg.AbsorbSize >= 0 && len(s.members) <= a.cfg.AbsorbSize &&
		!s.last.IsZero() && a.now.Sub(s.last) < a.cfg.AbsorbAge
}

// absorb merges each small changed story that has stopped growing into the
// bigger story it is most like, when they are alike enough (see
// Config.AbsorbSize).
func (a *Assigner) absorb() []Event {
	if a.cfg.AbsorbSize < 0 {
		return nil
	}
	var events []Event
	for _, id := range a.changedIDs() {
		s := a.stories[id]
		if s == nil || len(s.members) > a.cfg.AbsorbSize || a.young(s) || a.pinned[id] {
			continue
		}
		// A small story in two languages or more is not a stray: an
		// outlet in another language found it at CrossThreshold, on
		// names and anchors, so it is an event of its own as often as a
		// piece of a bigger one, and a link of 0.13–0.18 to a bigger
		// story is mostly the vocabulary of their common topic (the
		// 2018 Russian Grand Prix in English and Croatian absorbed into
		// the 2021 Abu Dhabi finale; two Omicron pieces in English and
		// Russian). MergeThreshold and CrossMergeThreshold still merge
		// it, and Maintain's second chance still moves its articles. On
		// the WMT dev set both such absorptions were wrong: pairwise
		// precision 0.843 → 0.872 on the whole set, 0.910 → 0.931 on the
		// checking half, recall and the tuning half unchanged; ECB+ (one
		// language) cannot change.
		if len(s.langs) > 1 {
			continue
		}
		var best *story
		bestSim, next := 0.0, 0.0
		for _, o := range a.candidates(a.sumQuery(s.centroid(), sumVec{}), s.id) {
			if a.stories[o.id] == nil || a.isApart(s.id, o.id) || a.farInTime(s, o) {
				continue
			}
			// Only a story past AbsorbSize has a centroid settled enough
			// for a link that low to mean "a piece of its coverage". Two
			// small stories of one topic (two translated documents about
			// Omicron, two pieces on dementia) meet at 0.13–0.22 and are
			// merged, if at all, by MergeThreshold like any two stories.
			// Skipping them also lets a big story win where a small one
			// had held the margin against it: on ECB+ dev, whose strays
			// belong to big stories, BCubed F1 rose on both halves
			// (0.992 → 0.996, 0.970 → 0.975); on WMT dev, where pieces of
			// 2–3 translations had been absorbing one another, 0.948 →
			// 0.964 and 0.941 → 0.953 (pairwise precision 0.815 → 0.848
			// on the checking half).
			if len(o.members) <= a.cfg.AbsorbSize {
				continue
			}
			sim := avgLink(s, o)
			if p := a.cfg.YearPenalty; p > 0 && p < 1 && storyYearConflict(s, o) {
				sim *= p
			}
			if sim > bestSim || sim == bestSim && best != nil && o.id < best.id {
				best, bestSim, next = o, sim, bestSim
			} else if sim > next {
				next = sim
			}
		}
		if best == nil || bestSim < a.cfg.AbsorbThreshold || bestSim < a.cfg.AbsorbMargin*next {
			continue
		}
		keep, gone := best, s
		if keeps(s, best) && !a.pinned[best.id] {
			keep, gone = s, best
		}
		ev := a.merge(keep, gone, bestSim)
		ev.Detail = "small story absorbed: " + ev.Detail
		events = append(events, ev)
	}
	return events
}

// keeps reports whether s, rather than o, keeps its ID when they merge: the
// story with more articles (those out of memory included), then the older.
func keeps(s, o *story) bool {
	return s.tally.n > o.tally.n || s.tally.n == o.tally.n && s.id < o.id
}

func (a *Assigner) changedIDs() []int64 {
	var ids []int64
	for id, s := range a.stories {
		if s.changed {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// centroid returns the story's sum vector, for candidate lookup.
func (s *story) centroid() sumVec { return s.sum }

// skelCentroid returns the story's sum of script-neutral vectors, for
// candidate lookup across scripts.
func (s *story) skelCentroid() sumVec { return s.ssum }

// avgLink is the mean similarity over all pairs of members of s and o: the
// sums of unit vectors make it one dot product.
func avgLink(s, o *story) float64 {
	if len(s.members) == 0 || len(o.members) == 0 {
		return 0
	}
	return sumDot(s.sum, o.sum) / float64(len(s.members)*len(o.members))
}

// link weighs s against o for a merge: the average link, or the
// cross-language link when the stories share no language and it clears
// its own threshold by more; with the threshold the link must reach.
func (a *Assigner) link(s, o *story) (sim, th float64) {
	sim, th = avgLink(s, o), a.cfg.MergeThreshold
	if a.cfg.CrossMergeThreshold > 0 && !shareLang(s, o) {
		if c := crossLink(s, o); c/a.cfg.CrossMergeThreshold > sim/th {
			sim, th = c, a.cfg.CrossMergeThreshold
		}
	}
	return sim, th
}

// shareLang reports whether s and o hold an article in one language.
func shareLang(s, o *story) bool {
	for l := range s.langs {
		if o.langs[l] > 0 {
			return true
		}
	}
	return false
}

// crossLink is the mean cross-language similarity over all pairs of
// members of s and o: of their script-neutral vectors or of their anchor
// vectors, whichever is higher (see Config.CrossMergeThreshold).
func crossLink(s, o *story) float64 {
	if len(s.members) == 0 || len(o.members) == 0 {
		return 0
	}
	n := float64(len(s.members) * len(o.members))
	return math.Max(sumDot(s.ssum, o.ssum), sumDot(s.asum, o.asum)) / n
}

// merge moves every member of gone into keep.
func (a *Assigner) merge(keep, gone *story, sim float64) Event {
	ids := make([]int64, 0, len(gone.members))
	members := gone.members
	a.unpost(gone)
	a.byTime.remove(gone)
	delete(a.stories, gone.id)
	for _, m := range members {
		a.add(keep, m)
		ids = append(ids, m.id)
	}
	a.touch(gone.id)
	a.renamed(gone.id, keep.id)
	return Event{Kind: "merge", Story: keep.id, Other: gone.id, Articles: ids,
		Detail: fmt.Sprintf("average-link similarity %.3f", sim)}
}

// bisect splits members into two groups with spherical 2-means, seeded
// deterministically with the member least like the centroid and the member
// least like that one.
func bisect(ms []*member, f func(*member) vec) (x, y []*member) {
	if len(ms) < 2 {
		return ms, nil
	}
	sum := make(map[termKey]float64)
	var n2 float64
	for _, m := range ms {
		addMap(sum, &n2, f(m), 1)
	}
	far := func(c map[termKey]float64, skip *member) *member {
		var best *member
		bs := math.Inf(1)
		for _, m := range ms {
			if m == skip {
				continue
			}
			var d float64
			for _, e := range f(m) {
				d += float64(e.w) * c[e.k]
			}
			if d < bs {
				best, bs = m, d
			}
		}
		return best
	}
	s1 := far(sum, nil)
	c1 := make(map[termKey]float64)
	for _, e := range f(s1) {
		c1[e.k] = float64(e.w)
	}
	s2 := far(c1, s1)
	c2 := make(map[termKey]float64)
	for _, e := range f(s2) {
		c2[e.k] = float64(e.w)
	}
	side := make([]bool, len(ms))
	for iter := 0; iter < 10; iter++ {
		moved := false
		for i, m := range ms {
			var d1, d2 float64
			for _, e := range f(m) {
				d1 += float64(e.w) * c1[e.k]
				d2 += float64(e.w) * c2[e.k]
			}
			b := d2 > d1
			if b != side[i] || iter == 0 {
				moved = moved || b != side[i]
				side[i] = b
			}
		}
		if !moved && iter > 0 {
			break
		}
		c1, c2 = make(map[termKey]float64), make(map[termKey]float64)
		var z1, z2 float64
		for i, m := range ms {
			if side[i] {
				addMap(c2, &z2, f(m), 1)
			} else {
				addMap(c1, &z1, f(m), 1)
			}
		}
		scale(c1, z1)
		scale(c2, z2)
	}
	for i, m := range ms {
		if side[i] {
			y = append(y, m)
		} else {
			x = append(x, m)
		}
	}
	return x, y
}

func scale(c map[termKey]float64, n2 float64) {
	if n2 <= 0 {
		return
	}
	f := 1 / math.Sqrt(n2)
	for k := range c {
		c[k] *= f
	}
}

// cohesion returns the mean pairwise similarity within ms and between ms and
// os.
func cohesion(ms, os []*member, f func(*member) vec) (within, between float64) {
	s1, s2 := make(map[termKey]float64), make(map[termKey]float64)
	var n1, n2 float64
	for _, m := range ms {
		addMap(s1, &n1, f(m), 1)
	}
	for _, m := range os {
		addMap(s2, &n2, f(m), 1)
	}
	if len(ms) > 1 {
		within = (n1 - float64(len(ms))) / float64(len(ms)*(len(ms)-1))
	}
	var d float64
	for k, w := range s1 {
		d += w * s2[k]
	}
	if len(ms) > 0 && len(os) > 0 {
		between = d / float64(len(ms)*len(os))
	}
	return within, between
}

// trySplit splits s in two when its members form two groups that are far
// less alike than each group is inside. The groups are found on the names
// (two events of one kind share their vocabulary, not their people and
// places), or on all terms when most members name nobody, and judged on all
// terms.
func (a *Assigner) trySplit(s *story) (Event, bool) {
	if len(s.members) < 2*a.cfg.MinSplit || a.pinned[s.id] {
		return Event{}, false
	}
	cut := entVec
	named := 0
	for _, m := range s.members {
		if len(m.ents) > 0 {
			named++
		}
	}
	if 2*named < len(s.members) {
		cut = fullVec
	}
	x, y := bisect(s.members, cut)
	if len(x) < a.cfg.MinSplit || len(y) < a.cfg.MinSplit {
		return Event{}, false
	}
	wx, between := cohesion(x, y, fullVec)
	wy, _ := cohesion(y, nil, fullVec)
	if between > a.cfg.SplitThreshold*math.Min(wx, wy) {
		return Event{}, false
	}
	// The group holding the story's first article keeps the story ID.
	if y[0].seq < x[0].seq {
		x, y = y, x
	}
	a.unpost(s)
	s.members = nil
	s.sum, s.asum, s.esum, s.ssum = sumVec{}, sumVec{}, sumVec{}, sumVec{}
	s.norm2, s.anorm2, s.enorm2, s.snorm2 = 0, 0, 0, 0
	s.langs = make(map[string]int)
	s.years = make(map[string]int)
	for _, m := range x {
		a.add(s, m)
	}
	o := a.open(a.nextID, y[0].t)
	a.nextID++
	ids := make([]int64, len(y))
	for i, m := range y {
		a.add(o, m)
		ids[i] = m.id
	}
	s.first, s.last = x[0].t, x[0].t
	for _, m := range x {
		if m.t.Before(s.first) {
			s.first = m.t
		}
		if m.t.After(s.last) {
			s.last = m.t
		}
	}
	a.byTime.fix(s)
	return Event{Kind: "split", Story: s.id, Other: o.id, Articles: ids,
		Detail: fmt.Sprintf("within %.3f/%.3f, between %.3f", wx, wy, between)}, true
}

// reassign gives each member of s that arrived after sequence number since
// a second chance: scored against s without itself and against the other
// candidate stories with today's IDF, it moves when another story fits
// clearly better. Each article gets one second chance, at the first
// Maintain after it arrived, which keeps the pass's cost proportional to
// the articles that arrived since the last one; an article its story
// holds by a wide margin (Config.SureMargin) is not searched further.
//
// "Better" is by margin over the threshold that applies, as in
// assignment: a translation held by its source's story on the
// cross-language score (threshold CrossThreshold) had been moved to any
// same-language story of its topic whose full score was 0.05 higher
// (Hamilton's Russian Grand Prix into the Abu Dhabi finale; English
// Omicron news away from their Russian sources). Comparing margins raised
// WMT dev pairwise precision 0.848 → 0.902 on the checking half (BCubed F1
// 0.953 → 0.962) and left ECB+ (one language) unchanged.
func (a *Assigner) reassign(s *story, since int64) []Event {
	if a.pinned[s.id] {
		return nil // a person placed its articles
	}
	var events []Event
	for i := 0; i < len(s.members); i++ {
		m := s.members[i]
		if m.seq <= since {
			continue
		}
		a.detach(s, i)
		own, ownMargin := 0.0, math.Inf(-1)
		if len(s.members) > 0 {
			var th float64
			own, th = a.score(m, s)
			ownMargin = own - th
		}
		if a.cfg.SureMargin >= 0 && ownMargin >= a.cfg.SureMargin {
			a.attach(s, m, i)
			continue
		}
		best, sc, margin := a.bestMargin(m, s.id)
		if best != nil && margin > ownMargin+a.cfg.MoveMargin {
			a.add(best, m)
			if len(s.members) == 0 {
				// The story's only article moved: the story is merged away.
				a.unpost(s)
				a.byTime.remove(s)
				delete(a.stories, s.id)
				a.touch(s.id)
				a.renamed(s.id, best.id)
				return append(events, Event{Kind: "merge", Story: best.id, Other: s.id, Articles: []int64{m.id},
					Detail: fmt.Sprintf("single article fits better: %.3f", sc)})
			}
			events = append(events, Event{Kind: "split", Story: s.id, Other: best.id, Articles: []int64{m.id},
				Detail: fmt.Sprintf("moved: %.3f here, %.3f there", own, sc)})
			i--
			continue
		}
		a.attach(s, m, i)
	}
	return events
}

// detach takes member i out of s's sums, postings and member list.
func (a *Assigner) detach(s *story, i int) {
	m := s.members[i]
	s.members = append(s.members[:i:i], s.members[i+1:]...)
	s.count(m, -1)
	a.unpostMember(s, m)
	delete(a.owner, m.id)
	s.changed = true
	a.touch(s.id)
}

// attach puts m back at position i of s.
func (a *Assigner) attach(s *story, m *member, i int) {
	s.members = append(s.members, nil)
	copy(s.members[i+1:], s.members[i:])
	s.members[i] = m
	s.count(m, 1)
	a.post(s, m)
	a.owner[m.id] = s.id
}

func fullVec(m *member) vec { return m.vec }
func entVec(m *member) vec  { return m.ents }

// commonYears returns the years that at least a third of s's members mention.
func commonYears(s *story) map[string]bool {
	min := (len(s.members) + 2) / 3
	ys := make(map[string]bool)
	for y, n := range s.years {
		if n >= min {
			ys[y] = true
		}
	}
	return ys
}

// storyYearConflict reports whether s and o each have years most of their
// articles mention and share none of them.
func storyYearConflict(s, o *story) bool {
	ys, yo := commonYears(s), commonYears(o)
	if len(ys) == 0 || len(yo) == 0 {
		return false
	}
	for y := range ys {
		if yo[y] {
			return false
		}
	}
	return true
}
