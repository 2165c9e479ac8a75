package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// Open returns a pipeline writing to st, with asg (new and empty) resumed
// where the store's stream stopped: the same state an uninterrupted run
// would have, so that stories do not depend on how the input was cut into
// runs (see story.Resume).
func Open(ctx context.Context, st store.Store, det *langid.Detector, asg *story.Assigner, opt Options) (*Pipeline, error) {
	m, err := resume(ctx, st, asg)
	if err != nil {
		return nil, fmt.Errorf("resume stories: %w", err)
	}
	return newPipeline(st, det, asg, m, opt), nil
}

func resume(ctx context.Context, st store.Store, asg *story.Assigner) (*mirror, error) {
	cp, model, legacy, err := checkpoint(ctx, st)
	if err != nil {
		return nil, err
	}
	if err := asg.Resume(cp, model); err != nil {
		return nil, err
	}
	streams, err := st.StreamStories(ctx)
	if err != nil {
		return nil, err
	}
	active := make(map[int64]store.StreamStory, len(streams))
	for _, s := range streams {
		active[s.ID] = s
	}
	m := newMirror()
	var (
		n      int64
		now    time.Time
		lastID int64
	)
	err = st.Replay(ctx, cp.EpochSeq, func(a *article.Article, p store.Placement) error {
		sid := p.Stream
		if _, ok := active[sid]; !ok || p.Evicted {
			sid = 0
		} else {
			m.held[a.ID] = held{stream: sid, vis: a.Story}
		}
		asg.Replay(a, sid, p.At)
		n++
		lastID = a.ID
		if p.At.After(now) {
			now = p.At
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ev, err := st.Evicted(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]store.EvictedTally, len(ev))
	for _, t := range ev {
		out[t.Stream] = t
		// The last run may have stopped before settling its evictions.
		m.evictedFrom[t.Stream] = true
	}
	var vs map[int64]int64
	if _, err := metaJSON(ctx, st, metaVStory, &vs); err != nil {
		return nil, err
	}
	for x, v := range vs {
		if _, ok := active[x]; ok {
			m.vstory[x] = v
		}
	}
	for _, s := range streams {
		t := out[s.ID]
		asg.ResumeStory(story.StoryState{ID: s.ID, First: s.First, Last: s.Last, Restamped: s.Restamped, Changed: s.Changed},
			story.Summary{Articles: t.Articles, Outlets: t.Outlets, Langs: t.Langs, Titles: t.Titles, FirstSeen: t.First})
	}
	if legacy {
		// A store from before checkpoints: its whole history was replayed.
		max, err := st.MaxStoryID(ctx)
		if err != nil {
			return nil, err
		}
		asg.SetNextID(max + 1)
		asg.Advance(now, lastID, n)
	}
	var cons story.Constraints
	if _, err := metaJSON(ctx, st, metaConstraints, &cons); err != nil {
		return nil, err
	}
	asg.SetConstraints(cons)
	asg.Resumed()
	if m.parts, err = st.Parts(ctx); err != nil {
		return nil, err
	}
	if _, err := metaJSON(ctx, st, metaSettled, &m.settled); err != nil {
		return nil, err
	}
	m.reshaped()
	return m, nil
}

// checkpoint reads the stream's checkpoint and last epoch's model. A store
// written before checkpoints (legacy) has neither: its whole history is
// then replayed into the model.
func checkpoint(ctx context.Context, st store.Store) (cp story.Checkpoint, model []byte, legacy bool, err error) {
	found, err := metaJSON(ctx, st, metaCheckpoint, &cp)
	if err != nil || !found {
		return cp, nil, !found, err
	}
	model, err = st.Meta(ctx, metaModel)
	return cp, model, false, err
}

// metaJSON decodes the JSON value stored under key into v; found is false,
// and v untouched, when there is none.
func metaJSON(ctx context.Context, st store.Store, key string, v any) (found bool, err error) {
	b, err := st.Meta(ctx, key)
	if err != nil || b == nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}
