package story

import (
	"fmt"
	"slices"
)

// People correct the machine: they merge two stories, split one, move an
// article. A correction changes the stream's stories as Maintain would,
// and leaves constraints that later passes respect: a story a person
// shaped is pinned (Maintain neither splits it, nor moves its articles
// out, nor merges it away; others may still join it), and two stories a
// person split apart are never merged again. The
// constraints are part of the stream's state (Constraints, Resume them
// with SetConstraints).

// Constraints are the marks people's corrections leave.
type Constraints struct {
	Pinned []int64    `json:"pinned,omitempty"`
	Apart  [][2]int64 `json:"apart,omitempty"`
}

// Constraints returns the marks people's corrections left, sorted.
func (a *Assigner) Constraints() Constraints {
	var c Constraints
	for id := range a.pinned {
		c.Pinned = append(c.Pinned, id)
	}
	slices.Sort(c.Pinned)
	for p := range a.apart {
		c.Apart = append(c.Apart, p)
	}
	slices.SortFunc(c.Apart, func(x, y [2]int64) int {
		if x[0] != y[0] {
			return int(x[0] - y[0])
		}
		return int(x[1] - y[1])
	})
	return c
}

// SetConstraints restores the marks of corrections (see Resume).
func (a *Assigner) SetConstraints(c Constraints) {
	a.pinned, a.apart = map[int64]bool{}, map[[2]int64]bool{}
	for _, id := range c.Pinned {
		a.pinned[id] = true
	}
	for _, p := range c.Apart {
		a.apart[pair(p[0], p[1])] = true
	}
}

func pair(x, y int64) [2]int64 { return [2]int64{min(x, y), max(x, y)} }

// isApart reports whether a person split x and y apart.
func (a *Assigner) isApart(x, y int64) bool { return a.apart[pair(x, y)] }

// renamed carries the constraints of a story merged away over to the story
// it merged into.
func (a *Assigner) renamed(gone, keep int64) {
	if a.pinned[gone] {
		delete(a.pinned, gone)
		a.pinned[keep] = true
	}
	for p := range a.apart {
		if p[0] != gone && p[1] != gone {
			continue
		}
		other := p[0]
		if other == gone {
			other = p[1]
		}
		delete(a.apart, p)
		if other != keep {
			a.apart[pair(keep, other)] = true
		}
	}
}

// MergeStories makes story gone part of story keep, as a person asked. Both
// must be active. keep is pinned.
func (a *Assigner) MergeStories(keep, gone int64) (Event, error) {
	k, g := a.stories[keep], a.stories[gone]
	if k == nil || g == nil || keep == gone {
		return Event{}, fmt.Errorf("story: merge %d into %d: %w", gone, keep, errNotActive(k == nil, keep, gone))
	}
	delete(a.apart, pair(keep, gone))
	ev := a.merge(k, g, 0)
	ev.Detail = "merged by a person"
	a.pinned[keep] = true
	return ev, nil
}

// SplitOff moves the given articles of story id to a new story (with ID
// as, when not 0 and unused: undoing a merge gives the story back its
// ID), as a person asked. Both stories are pinned, and kept apart.
func (a *Assigner) SplitOff(id int64, articles []int64, as int64) (Event, error) {
	s := a.stories[id]
	if s == nil {
		return Event{}, fmt.Errorf("story: split %d: %w", id, errNotActive(true, id, 0))
	}
	take := map[int64]bool{}
	for _, art := range articles {
		if a.owner[art] != id {
			return Event{}, fmt.Errorf("story: split %d: article %d is not held in it", id, art)
		}
		take[art] = true
	}
	if len(take) == 0 || len(take) == len(s.members) {
		return Event{}, fmt.Errorf("story: split %d: choose some of its articles, not none or all", id)
	}
	nid := as
	if nid == 0 || a.stories[nid] != nil {
		nid = a.nextID
		a.nextID++
	}
	var o *story
	var moved []int64
	for i := 0; i < len(s.members); i++ {
		m := s.members[i]
		if !take[m.id] {
			continue
		}
		a.detach(s, i)
		i--
		if o == nil {
			o = a.open(nid, m.t)
		}
		a.add(o, m)
		moved = append(moved, m.id)
	}
	a.pinned[id], a.pinned[nid] = true, true
	a.apart[pair(id, nid)] = true
	return Event{Kind: "split", Story: id, Other: nid, Articles: moved, Detail: "split by a person"}, nil
}

// MoveArticle moves a held article to active story to, as a person asked.
// Both stories are pinned.
func (a *Assigner) MoveArticle(article, to int64) (Event, error) {
	from, ok := a.owner[article]
	t := a.stories[to]
	if !ok || t == nil {
		return Event{}, fmt.Errorf("story: move article %d to %d: the article is not held or the story is not active", article, to)
	}
	s := a.stories[from]
	if from == to {
		return Event{}, fmt.Errorf("story: article %d is already in story %d", article, to)
	}
	for i, m := range s.members {
		if m.id != article {
			continue
		}
		a.detach(s, i)
		a.add(t, m)
		a.pinned[from], a.pinned[to] = true, true
		if len(s.members) == 0 {
			// Its only article left: the story is merged away.
			a.unpost(s)
			a.byTime.remove(s)
			delete(a.stories, s.id)
			a.touch(s.id)
			a.renamed(s.id, to)
			return Event{Kind: "merge", Story: to, Other: from, Articles: []int64{article}, Detail: "moved by a person"}, nil
		}
		return Event{Kind: "split", Story: from, Other: to, Articles: []int64{article}, Detail: "moved by a person"}, nil
	}
	return Event{}, fmt.Errorf("story: move article %d: not found in story %d", article, from)
}

func errNotActive(first bool, x, y int64) error {
	id := y
	if first {
		id = x
	}
	return fmt.Errorf("story %d is not open (a story closes a window after its last article; corrections apply to open stories)", id)
}
