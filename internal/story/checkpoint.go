package story

import (
	"container/heap"
	"fmt"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/text"
)

// A restart must continue the stream exactly where it stopped: the stories
// a store holds may not depend on how often, or where, ingest was
// interrupted. Everything assignment decides with is therefore either
// persisted as it changes or a function of what is:
//
//   - per article: its story in the stream and the time it took there
//     (Decision, Member), and whether it was evicted (TakeEvicted);
//   - per active story: StoryState (Dirty says which changed);
//   - for the whole stream: Checkpoint, and at each epoch the document
//     frequencies (TakeModel), with which every member held was weighted.
//
// Resume, Replay in article ID order, ResumeStory and Resumed then rebuild
// the same Assigner: members after the epoch are weighted as they were on
// arrival, by counting the articles after the epoch into the model again.

// Checkpoint is the stream-wide state of an Assigner.
type Checkpoint struct {
	Now       time.Time `json:"now"`
	NextID    int64     `json:"next_id"`
	Seq       int64     `json:"seq"`
	MaintSeq  int64     `json:"maint_seq"`
	Assigned  int64     `json:"assigned"`
	MaintAt   int64     `json:"maint_at"`
	EpochDocs int       `json:"epoch_docs"`
	// EpochSeq is the arrival number (article ID) at the last epoch: the
	// articles after it are counted into the model on Replay.
	EpochSeq int64 `json:"epoch_seq"`
}

// Checkpoint returns the stream-wide state.
func (a *Assigner) Checkpoint() Checkpoint {
	return Checkpoint{Now: a.now, NextID: a.nextID, Seq: a.seq, MaintSeq: a.maintSeq, Assigned: a.assigned,
		MaintAt: a.maintAt, EpochDocs: a.epochDocs, EpochSeq: a.epochSeq}
}

// TakeModel returns the document frequencies of the latest epoch, once
// after each epoch (ok false otherwise): the caller stores them with the
// batch that holds the epoch's article.
func (a *Assigner) TakeModel() (b []byte, ok bool, err error) {
	if !a.snapDue {
		return nil, false, nil
	}
	a.snapDue = false
	b, err = a.model.MarshalBinary()
	if err != nil {
		return nil, false, fmt.Errorf("story: model: %w", err)
	}
	return b, true, nil
}

// StoryState is what an active story holds beyond its members.
type StoryState struct {
	ID          int64
	First, Last time.Time
	// Restamped: the story took the stream's time once (see expire).
	Restamped bool
	// Changed: Maintain has yet to look at the story.
	Changed bool
}

// State returns the state of an active story; ok is false for a story that
// closed or was merged away.
func (a *Assigner) State(id int64) (StoryState, bool) {
	s := a.stories[id]
	if s == nil {
		return StoryState{ID: id}, false
	}
	return StoryState{ID: id, First: s.first, Last: s.last, Restamped: s.restamped, Changed: s.changed}, true
}

// Member returns the story an article is held in and the time it took
// there; ok is false for an article not held in memory.
func (a *Assigner) Member(articleID int64) (storyID int64, at time.Time, ok bool) {
	sid, ok := a.owner[articleID]
	if !ok {
		return 0, time.Time{}, false
	}
	for _, m := range a.stories[sid].members {
		if m.id == articleID {
			return sid, m.t, true
		}
	}
	return 0, time.Time{}, false
}

// Resume makes an empty Assigner continue from a checkpoint; model is the
// encoding TakeModel gave at the checkpoint's epoch (nil before the first).
func (a *Assigner) Resume(cp Checkpoint, model []byte) error {
	if len(a.stories) != 0 || a.seq != 0 {
		return fmt.Errorf("story: resume: assigner is not empty")
	}
	if model != nil {
		var m text.Model
		if err := m.UnmarshalBinary(model); err != nil {
			return fmt.Errorf("story: resume: %w", err)
		}
		a.model = &m
	}
	a.now, a.nextID, a.seq, a.maintSeq = cp.Now, max(cp.NextID, 1), cp.Seq, cp.MaintSeq
	a.assigned, a.maintAt, a.epochDocs, a.epochSeq = cp.Assigned, cp.MaintAt, cp.EpochDocs, cp.EpochSeq
	return nil
}

// Replay hands back one stored article, in article ID order, after Resume:
// every article after the checkpoint's epoch is counted into the model
// again, and every article an active story holds (storyID, not 0) joins
// that story, at the time it took there, weighted with the model as it
// then stands: exactly as it was on arrival or at the epoch.
func (a *Assigner) Replay(art *article.Article, storyID int64, at time.Time) {
	counted := art.ID > a.epochSeq
	if !counted && storyID == 0 {
		return
	}
	d := a.analyze(art)
	if counted {
		a.model.Add(d)
	}
	if storyID == 0 {
		return
	}
	m := a.member(art, d, at, art.ID)
	s := a.stories[storyID]
	if s == nil {
		s = a.open(storyID, at)
	}
	a.add(s, m)
}

// ResumeStory gives an active story, once its members are replayed, the
// state it had, and the tally of its articles not held in memory (out:
// their count, outlets, languages, earliest titles and time; see Carry).
func (a *Assigner) ResumeStory(st StoryState, out Summary) {
	s := a.stories[st.ID]
	if s == nil {
		return
	}
	s.first, s.last, s.restamped, s.changed = st.First, st.Last, st.Restamped, st.Changed
	heap.Fix(&a.byTime, s.heapIdx)
	a.Carry(st.ID, out)
}

// Resumed ends a resumption: the replayed stories are stored as they are.
// Evictions made while replaying stay to be taken (TakeEvicted): they come
// from a smaller Config.MaxMembers than the store was written with.
func (a *Assigner) Resumed() {
	a.dirty = make(map[int64]bool)
	a.touched = make(map[int64]bool)
	a.closed = nil
}

// Closed returns the last summary of a story that left the window since
// the last Settle.
func (a *Assigner) Closed(id int64) (Summary, bool) {
	s, ok := a.closed[id]
	return s, ok
}

// Advance moves a resumed stream's clock, arrival number and count of
// articles forward to a store's, for a store written before checkpoints:
// its articles count as arrived and maintained.
func (a *Assigner) Advance(now time.Time, seq, assigned int64) {
	if now.After(a.now) {
		a.now = now
	}
	a.seq, a.maintSeq = max(a.seq, seq), max(a.maintSeq, seq)
	a.assigned, a.maintAt = max(a.assigned, assigned), max(a.maintAt, assigned)
}
