package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// mirror is what readers see of the stories the assigner holds, as the
// store has it: the writer keeps it so that settling writes only what
// changed, and so that a new article shows in the story readers see its
// stream story as.
type mirror struct {
	held map[int64]held // articles the assigner holds in memory
	// vstory maps an active stream story to the story readers see its
	// evicted articles in, where that is another story.
	vstory map[int64]int64
	// odd holds the stories the settled view reshapes (merged into
	// another, split, or receiving articles of another): their readers'
	// rows are written by Settle only.
	odd map[int64]bool
	// evictedFrom holds the stream stories that lost articles to eviction
	// since the last Settle: those articles may still show where they were.
	evictedFrom map[int64]bool
	parts       map[int64]int64 // see story.Settlement.Parts
	settled     int64           // the stream's Assigned count at the last Settle; -1 unknown
}

type held struct{ stream, vis int64 }

func newMirror() *mirror {
	return &mirror{held: map[int64]held{}, vstory: map[int64]int64{}, odd: map[int64]bool{},
		evictedFrom: map[int64]bool{}, parts: map[int64]int64{}, settled: -1}
}

// of returns the story readers see stream story id's new articles in.
func (m *mirror) of(id int64) int64 {
	if v, ok := m.vstory[id]; ok {
		return v
	}
	return id
}

// unsettled reports whether the stream has moved since the last Settle.
func (m *mirror) unsettled(asg *story.Assigner) bool {
	return m.settled != asg.Checkpoint().Assigned
}

// settle writes, in tx, the settled view where it differs from what the
// store shows: the articles held, the evicted articles of each active
// story, the stories that closed, and the readers' rows of every story
// that gained, lost or changed an article.
//
// It returns the stories readers see whose rows it wrote.
func (m *mirror) settle(ctx context.Context, tx store.Tx, reg entity.Registry, asg *story.Assigner) ([]int64, error) {
	st := asg.Settle(m.parts)
	rows := map[int64]bool{}
	now := make(map[int64]held, len(st.Held))
	touched := map[int64]bool{}
	for _, id := range st.Touched {
		touched[id] = true
	}
	for _, p := range st.Held {
		h, ok := m.held[p.Article]
		if !ok || h.vis != p.Visible {
			if err := tx.SetArticleStory(ctx, p.Article, p.Visible); err != nil {
				return nil, err
			}
			rows[h.vis], rows[p.Visible] = true, true
		}
		if touched[p.Stream] {
			rows[p.Visible] = true
		}
		now[p.Article] = held{stream: p.Stream, vis: p.Visible}
	}
	for id, h := range m.held {
		if _, ok := now[id]; !ok {
			rows[h.vis] = true // left memory since: closed or evicted, below
		}
	}
	// The settled view's merges and new halves go on the stories'
	// history, once each: when they first show.
	moved := map[int64][]int64{} // stream story → its articles held
	for _, p := range st.Held {
		moved[p.Stream] = append(moved[p.Stream], p.Article)
	}
	oldParts := map[int64]bool{}
	for _, id := range m.parts {
		oldParts[id] = true
	}
	for _, f := range slices.Sorted(maps.Keys(st.Parts)) {
		id := st.Parts[f]
		if oldParts[id] {
			continue
		}
		var from int64
		for _, p := range st.Held {
			if p.Article == f {
				from = p.Stream
			}
		}
		var arts []int64
		for _, p := range st.Held {
			if p.Visible == id {
				arts = append(arts, p.Article)
			}
		}
		err := tx.AddStoryEvent(ctx, store.StoryEvent{Kind: store.EventSplit, Story: from, Other: id, At: asg.Checkpoint().Now,
			Detail: "split in the settled view", Articles: arts})
		if err != nil {
			return nil, err
		}
	}
	vstory := map[int64]int64{}
	for _, x := range slices.Sorted(maps.Keys(st.Story)) {
		v := st.Story[x]
		old := m.of(x)
		if v != x && v != old {
			err := tx.AddStoryEvent(ctx, store.StoryEvent{Kind: store.EventMerge, Story: v, Other: x, At: asg.Checkpoint().Now,
				Detail: "merged in the settled view", Articles: moved[x]})
			if err != nil {
				return nil, err
			}
		}
		if v != old || m.evictedFrom[x] {
			if err := tx.SetEvictedStory(ctx, x, v, false); err != nil {
				return nil, err
			}
			rows[old], rows[v] = true, true
		}
		if v != x {
			vstory[x] = v
		}
	}
	for _, x := range slices.Sorted(maps.Keys(st.Closed)) {
		// A closed story shows as the stream left it.
		if err := tx.SetEvictedStory(ctx, x, x, true); err != nil {
			return nil, err
		}
		rows[x], rows[m.of(x)] = true, true
	}
	delete(rows, 0)
	var written []int64
	for _, id := range slices.Sorted(maps.Keys(rows)) {
		sum, ok := st.Summary(id)
		if !ok {
			sum, ok = st.Closed[id]
		}
		var err error
		if ok {
			err = tx.PutStory(ctx, storeStory(sum))
			if err == nil {
				err = consolidate(ctx, tx, reg, id)
			}
			written = append(written, id)
		} else {
			// Readers see it nowhere now: merged away in either view, or a
			// settled half that is gone. No article points to it any more.
			err = tx.DeleteStory(ctx, id)
		}
		if err != nil {
			return nil, fmt.Errorf("story %d: %w", id, err)
		}
	}
	if err := tx.PutParts(ctx, st.Parts); err != nil {
		return nil, err
	}
	b, err := json.Marshal(vstory)
	if err == nil {
		err = tx.SetMeta(ctx, metaVStory, b)
	}
	if err != nil {
		return nil, err
	}
	m.held, m.vstory, m.parts = now, vstory, st.Parts
	m.evictedFrom = map[int64]bool{}
	m.settled = asg.Checkpoint().Assigned
	m.reshaped()
	return written, nil
}

// consolidate merges the one-word entities of a story readers see into the
// people it names in full (see entity.Consolidate), through reg, the
// batch's cache of tx: a settle consolidates hundreds of stories, which
// look up the same entities again.
func consolidate(ctx context.Context, tx store.Tx, reg entity.Registry, id int64) error {
	vs, err := tx.VisibleStoryVariants(ctx, id)
	if err != nil || len(vs) == 0 {
		return err
	}
	_, err = entity.Consolidate(ctx, reg, id, vs, time.Time{})
	return err
}

// reshaped recomputes odd from held and vstory.
func (m *mirror) reshaped() {
	m.odd = map[int64]bool{}
	for _, h := range m.held {
		if h.vis != h.stream {
			m.odd[h.vis], m.odd[h.stream] = true, true
		}
	}
	for x, v := range m.vstory {
		m.odd[x], m.odd[v] = true, true
	}
	for _, id := range m.parts {
		m.odd[id] = true
	}
}
