package story

import (
	"maps"
	"slices"
	"time"
)

// The stream runs Maintain at fixed points of the stream (MaintainDue), so
// that its stories are a function of the input alone. Readers should not
// wait for the next such point to see the latest articles merged, split
// and absorbed as Maintain would leave them, nor should a run's end add a
// pass a single longer run would not have made. Settle gives them that
// view without touching the stream: it runs Maintain on a copy. What
// readers see is then a function of the stream's state alone, whenever and
// however often it is settled.

// Settlement is the settled view of the stories: what readers see.
type Settlement struct {
	// Held lists every article held in memory with its story in the stream
	// and the story readers see it in.
	Held []Placement
	// Story gives, for every active story of the stream, the story readers
	// see its articles not held in memory in (the story itself, or the one
	// it merged into).
	Story map[int64]int64
	// Touched lists the stories of the stream changed since the previous
	// Settle, closed ones included.
	Touched []int64
	// Closed holds the last summaries of the stories that left the window
	// since the previous Settle: readers see them as the stream left them.
	Closed map[int64]Summary
	// Parts maps the first article of each story that only the settled view
	// has (one half of a split the stream has not made) to its ID, for the
	// next Settle to keep (see Settle).
	Parts map[int64]int64
	// Events are the moves the settling Maintain made.
	Events []Event

	c    *Assigner
	live *Assigner
	vis  map[int64]int64 // copy's story ID → visible ID
	inv  map[int64]int64 // visible ID → copy's story ID
}

// Placement is where one article is.
type Placement struct {
	Article, Stream, Visible int64
}

// Settle runs Maintain on a copy of the assigner and returns what it
// leaves. parts maps the first article of a story made by an earlier
// settling split to the ID it was given, so that the same half keeps its
// ID from one Settle to the next; new halves get IDs the stream will not
// hand out.
func (a *Assigner) Settle(parts map[int64]int64) *Settlement {
	c, orig := a.clone()
	// The copy closes no story: what readers see covers every story the
	// stream holds, those about to close included (an article older than
	// the window opens one).
	c.keepAll = true
	st := &Settlement{c: c, live: a, Story: make(map[int64]int64, len(a.stories)), Parts: make(map[int64]int64),
		vis: make(map[int64]int64, len(a.stories)), inv: make(map[int64]int64, len(a.stories))}
	st.Events = c.Maintain(time.Time{})
	st.Touched = slices.Sorted(maps.Keys(a.touched))
	st.Closed = a.closed
	a.touched = make(map[int64]bool)
	a.closed = nil

	for _, id := range c.sortedIDs() {
		s := c.stories[id]
		v := id
		if id >= a.nextID {
			founder := s.members[0].id
			for _, m := range s.members {
				founder = min(founder, m.id)
			}
			if p, ok := parts[founder]; ok {
				v = p
			} else {
				a.SetNextID(id + 1)
			}
			st.Parts[founder] = v
		}
		st.vis[id], st.inv[v] = v, id
		s.view.valid = false // summaries computed afresh: the same whatever came before
	}
	st.Held = make([]Placement, 0, len(a.owner))
	for _, id := range a.sortedIDs() {
		for _, m := range a.stories[id].members {
			st.Held = append(st.Held, Placement{Article: m.id, Stream: id, Visible: st.visible(c.owner[m.id], id)})
		}
		s := orig[id]
		for s.tally.into != nil {
			s = s.tally.into
		}
		st.Story[id] = st.visible(s.id, id)
	}
	slices.SortFunc(st.Held, func(x, y Placement) int { return int(x.Article - y.Article) })
	return st
}

// visible returns the visible ID of the copy's story cid, or stream when
// the copy has no such story: readers then see it as the stream has it.
func (st *Settlement) visible(cid, stream int64) int64 {
	if v, ok := st.vis[cid]; ok {
		return v
	}
	return stream
}

// Summary returns the settled summary of visible story id; ok is false
// when no active story has that ID in the settled view.
func (st *Settlement) Summary(id int64) (Summary, bool) {
	cid, ok := st.inv[id]
	if !ok {
		return Summary{}, false
	}
	sum, ok := st.c.Summary(cid)
	sum.ID = id
	return sum, ok
}

// own gives a story of a Settle's copy sums and postings of its own before
// it changes them. Until then it reads the live story's, which do not
// change while the copy lives (the writer settles between articles). Most
// stories a settle copies never change, and copying all of their sums and
// postings made every settle allocate them afresh (about 60 MB of sums at
// 200k generated articles): the peaks of the process's memory.
func (s *story) own() {
	if !s.shared {
		return
	}
	s.sum, s.asum, s.esum, s.ssum = s.sum.clone(), s.asum.clone(), s.esum.clone(), s.ssum.clone()
	s.posted = maps.Clone(s.posted)
	s.shared = false
}

// clone returns a copy of the assigner's stories, index and clock for
// Settle (the index, sums and postings copied only where the copy changes
// them: see base and own), and the copy of each active story by ID, which
// stays reachable after the copy merges it away. The model is shared:
// Maintain only reads it.
func (a *Assigner) clone() (*Assigner, map[int64]*story) {
	c := &Assigner{
		cfg: a.cfg, model: a.model, nextID: a.nextID, now: a.now, seq: a.seq, maintSeq: a.maintSeq,
		assigned: a.assigned, maintAt: a.maintAt, epochDocs: a.epochDocs, epochSeq: a.epochSeq,
		stories: make(map[int64]*story, len(a.stories)),
		index:   make(map[termKey][]int64),
		base:    a.index,
		owner:   maps.Clone(a.owner),
		dirty:   make(map[int64]bool),
		touched: make(map[int64]bool),
		pinned:  maps.Clone(a.pinned),
		apart:   maps.Clone(a.apart),
	}
	if a.base != nil {
		panic("story: clone of a Settle's copy") // its base would be a copy's
	}
	orig := make(map[int64]*story, len(a.stories))
	ss := make(map[*story]*story, len(a.stories))
	ms := make(map[*member]*member, len(a.owner))
	var cs func(s *story) *story
	cm := func(m *member) *member {
		if m == nil {
			return nil
		}
		n, ok := ms[m]
		if !ok {
			n = new(member)
			*n = *m
			n.posts = slices.Clone(m.posts)
			ms[m] = n
			n.home = cs(m.home)
		}
		return n
	}
	cs = func(s *story) *story {
		if s == nil {
			return nil
		}
		if n, ok := ss[s]; ok {
			return n
		}
		n := new(story)
		*n = *s
		ss[s] = n
		n.shared = true // sums and posted: see own
		n.langs, n.years = maps.Clone(s.langs), maps.Clone(s.years)
		n.tally.outlets, n.tally.langs, n.tally.titles = maps.Clone(s.tally.outlets), maps.Clone(s.tally.langs), maps.Clone(s.tally.titles)
		n.tally.outletList, n.tally.langList = slices.Clone(s.tally.outletList), slices.Clone(s.tally.langList)
		n.tally.into = cs(s.tally.into)
		n.members = make([]*member, len(s.members))
		for i, m := range s.members {
			n.members[i] = cm(m)
		}
		n.view.head = cm(s.view.head)
		n.view.terms = slices.Clone(s.view.terms)
		n.view.fresh = make([]*member, len(s.view.fresh))
		for i, m := range s.view.fresh {
			n.view.fresh[i] = cm(m)
		}
		return n
	}
	c.byTime = make(storyHeap, len(a.byTime))
	for i, s := range a.byTime {
		c.byTime[i] = cs(s)
	}
	for id, s := range a.stories {
		n := cs(s)
		c.stories[id] = n
		orig[id] = n
	}
	return c, orig
}
