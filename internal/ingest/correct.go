package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// metaConstraints keeps the marks people's corrections left on the stream
// (story.Constraints), as JSON.
const metaConstraints = "constraints"

// done is a recorded correction: what was asked, and what undoing it
// needs.
type done struct {
	Correction service.Correction `json:"correction"`
	// Moved are the articles a story correction moved; New the story or
	// entity it made; From the story an article left; Norms the spellings
	// an entity merge moved.
	Moved []int64  `json:"moved,omitempty"`
	New   int64    `json:"new,omitempty"`
	From  int64    `json:"from,omitempty"`
	Norms []string `json:"norms,omitempty"`
}

// ErrCorrection marks a correction that cannot be made as asked (a story
// that is not open, an article that is not in it): the person's mistake,
// not the service's.
var ErrCorrection = service.ErrRefused

// Correct records a person's correction and makes it: in the stream's
// stories (which later assignment then respects) or in the entities, and,
// once settled, in what readers see. It returns the correction's ID. Like
// Run, it must not run at the same time as another call on the pipeline.
func (p *Pipeline) Correct(ctx context.Context, c service.Correction) (int64, error) {
	ctx = context.WithoutCancel(ctx)
	// A person's correction writes stories and entities the entity
	// memory does not follow.
	p.mem.Reset()
	defer p.mem.Reset()
	w := &writer{p: p, rep: &Report{}}
	defer w.rollback()
	if err := w.begin(ctx); err != nil {
		return 0, err
	}
	d := done{Correction: c}
	var err error
	switch c.Kind {
	case service.MergeStories:
		d.Moved, err = w.mergeStories(ctx, c.Story, c.Other)
	case service.SplitStory:
		d.New, d.Moved, err = w.splitStory(ctx, c.Story, c.Articles, 0)
	case service.MoveArticle:
		d.From, err = w.moveArticle(ctx, c.Article, c.Other)
	case service.MergeEntities:
		d.Norms, err = w.mergeEntities(ctx, c.Entity, c.Other)
	case service.SplitEntity:
		d.New, err = w.tx.SplitVariant(ctx, c.Entity, entity.Norm(c.Spelling))
	default:
		err = fmt.Errorf("%w: unknown kind %q", ErrCorrection, c.Kind)
	}
	if err != nil {
		return 0, err
	}
	body, err := json.Marshal(d)
	if err != nil {
		return 0, err
	}
	id, err := w.tx.AddCorrection(ctx, c.Kind, body)
	if err != nil {
		return 0, err
	}
	if err := w.corrected(ctx); err != nil {
		return 0, err
	}
	return id, nil
}

// Undo reverses a correction.
func (p *Pipeline) Undo(ctx context.Context, id int64) error {
	ctx = context.WithoutCancel(ctx)
	// A person's correction writes stories and entities the entity
	// memory does not follow.
	p.mem.Reset()
	defer p.mem.Reset()
	w := &writer{p: p, rep: &Report{}}
	defer w.rollback()
	if err := w.begin(ctx); err != nil {
		return err
	}
	_, body, undone, err := w.tx.Correction(ctx, id)
	if err != nil {
		return err
	}
	if undone {
		return fmt.Errorf("%w: correction %d is undone already", ErrCorrection, id)
	}
	var d done
	if err := json.Unmarshal(body, &d); err != nil {
		return fmt.Errorf("correction %d: %w", id, err)
	}
	c := d.Correction
	switch c.Kind {
	case service.MergeStories:
		_, _, err = w.splitStory(ctx, c.Story, d.Moved, c.Other)
	case service.SplitStory:
		_, err = w.mergeStories(ctx, c.Story, d.New)
	case service.MoveArticle:
		if _, active := w.p.asg.State(d.From); active {
			_, err = w.moveArticle(ctx, c.Article, d.From)
		} else {
			// The article was its story's last: give the story back.
			to, _, _ := w.p.asg.Member(c.Article)
			_, _, err = w.splitStory(ctx, to, []int64{c.Article}, d.From)
		}
	case service.MergeEntities:
		err = w.tx.UnmergeEntity(ctx, c.Entity, c.Other, d.Norms)
	case service.SplitEntity:
		if err = w.tx.ForgetSplit(ctx, c.Entity, d.New); err == nil {
			err = w.tx.MergeEntities(ctx, entity.Merge{Into: c.Entity, From: d.New, By: "user", At: time.Now().UTC(),
				Evidence: fmt.Sprintf("correction %d undone", id)})
		}
	}
	if err != nil {
		return err
	}
	if err := w.tx.SetUndone(ctx, id); err != nil {
		return err
	}
	return w.corrected(ctx)
}

// corrected persists what a correction changed in the stream and settles
// it for readers.
func (w *writer) corrected(ctx context.Context) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	b, err := json.Marshal(w.p.asg.Constraints())
	if err == nil {
		err = w.tx.SetMeta(ctx, metaConstraints, b)
	}
	if err != nil {
		return err
	}
	if err := w.commit(ctx); err != nil {
		return err
	}
	return w.settle(ctx)
}

// stream returns the story of the stream a story readers see stands for:
// the same story when the stream holds it, else the stream story most of
// its articles held in memory belong to (a half only the settled view
// has).
func (w *writer) stream(id int64) (int64, error) {
	if _, active := w.p.asg.State(id); active {
		return id, nil
	}
	count := map[int64]int{}
	for _, h := range w.p.m.held {
		if h.vis == id {
			count[h.stream]++
		}
	}
	best := int64(0)
	for _, s := range slices.Sorted(maps.Keys(count)) {
		if count[s] > count[best] {
			best = s
		}
	}
	if best == 0 {
		return 0, fmt.Errorf("%w: story %d is not open (corrections apply to stories still open to new articles)", ErrCorrection, id)
	}
	return best, nil
}

// apply records one event of a correction in the store, as maintain
// records Maintain's.
func (w *writer) apply(ctx context.Context, ev story.Event) error {
	return w.record(ctx, []story.Event{ev})
}

func (w *writer) mergeStories(ctx context.Context, keep, gone int64) ([]int64, error) {
	k, err := w.stream(keep)
	if err != nil {
		return nil, err
	}
	g, err := w.stream(gone)
	if err != nil {
		return nil, err
	}
	ev, err := w.p.asg.MergeStories(k, g)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrection, err)
	}
	return ev.Articles, w.apply(ctx, ev)
}

// splitStory moves articles of a story to a new one (with ID as, if free).
// Articles in several stream stories go to the new story of the first.
func (w *writer) splitStory(ctx context.Context, id int64, articles []int64, as int64) (int64, []int64, error) {
	by := map[int64][]int64{}
	for _, a := range articles {
		s, _, ok := w.p.asg.Member(a)
		if !ok {
			return 0, nil, fmt.Errorf("%w: article %d is not held by an open story", ErrCorrection, a)
		}
		by[s] = append(by[s], a)
	}
	streams := slices.Sorted(maps.Keys(by))
	if len(streams) == 0 {
		return 0, nil, fmt.Errorf("%w: no articles to split off story %d", ErrCorrection, id)
	}
	ev, err := w.p.asg.SplitOff(streams[0], by[streams[0]], as)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %v", ErrCorrection, err)
	}
	if err := w.apply(ctx, ev); err != nil {
		return 0, nil, err
	}
	moved := ev.Articles
	for _, s := range streams[1:] {
		for _, a := range by[s] {
			e, err := w.p.asg.MoveArticle(a, ev.Other)
			if err != nil {
				return 0, nil, fmt.Errorf("%w: %v", ErrCorrection, err)
			}
			if err := w.apply(ctx, e); err != nil {
				return 0, nil, err
			}
			moved = append(moved, a)
		}
	}
	return ev.Other, moved, nil
}

func (w *writer) moveArticle(ctx context.Context, article, to int64) (int64, error) {
	from, _, ok := w.p.asg.Member(article)
	if !ok {
		return 0, fmt.Errorf("%w: article %d is not held by an open story", ErrCorrection, article)
	}
	t, err := w.stream(to)
	if err != nil {
		return 0, err
	}
	ev, err := w.p.asg.MoveArticle(article, t)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrCorrection, err)
	}
	return from, w.apply(ctx, ev)
}

func (w *writer) mergeEntities(ctx context.Context, into, from int64) ([]string, error) {
	_, vs, _, err := w.p.st.EntityInfo(ctx, from)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: no entity %d", ErrCorrection, from)
	}
	if err != nil {
		return nil, err
	}
	norms := make([]string, len(vs))
	for i, v := range vs {
		norms[i] = v.Norm
	}
	err = w.tx.MergeEntities(ctx, entity.Merge{Into: into, From: from, By: "user", At: time.Now().UTC(), Evidence: "merged by a person"})
	return norms, err
}
