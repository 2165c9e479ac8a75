package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// Options tune a Pipeline.
type Options struct {
	Source    source.Options
	BatchSize int // articles per store transaction; default 500
	Workers   int // extraction goroutines; default GOMAXPROCS
	// MaintainEvery runs the story merge/split pass after this many stored
	// articles (and always at the end of a run); default 1000.
	MaintainEvery int
	Progress      io.Writer // where a progress line is drawn; nil for none
	Logger        *slog.Logger
}

// Pipeline ingests sources into a store.
type Pipeline struct {
	st  store.Store
	det *langid.Detector
	asg *story.Assigner
	opt Options
	log *slog.Logger
	now func() time.Time
}

// New returns a pipeline writing to st. The assigner must already hold the
// store's active stories (see Restore).
func New(st store.Store, det *langid.Detector, asg *story.Assigner, opt Options) *Pipeline {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 500
	}
	if opt.MaintainEvery <= 0 {
		opt.MaintainEvery = 1000
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{st: st, det: det, asg: asg, opt: opt, log: log, now: time.Now}
}

// Restore re-indexes the stories active within window of the store's
// latest article into the assigner, so that a new run continues the
// stories a previous run left. The window reaches back from the stream's
// time, not the wall clock, so a replayed archive restores as well.
func Restore(ctx context.Context, st store.Store, asg *story.Assigner, window time.Duration) error {
	latest, err := st.Latest(ctx)
	if err != nil {
		return fmt.Errorf("restore stories: %w", err)
	}
	if latest.IsZero() {
		return nil // empty store
	}
	since := latest.Add(-window)
	max, err := st.MaxStoryID(ctx)
	if err != nil {
		return fmt.Errorf("restore stories: %w", err)
	}
	asg.SetNextID(max + 1)
	restored := map[int64]bool{}
	err = st.ArticlesSince(ctx, since, func(a *article.Article) error {
		if a.Story != 0 {
			asg.Restore(a)
			restored[a.Story] = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("restore stories: %w", err)
	}
	// A story's articles from before the window are not reloaded: its
	// stored summary tells the assigner about them.
	for _, id := range slices.Sorted(maps.Keys(restored)) {
		s, err := st.Story(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("restore stories: %w", err)
		}
		asg.Carry(id, story.Summary{ID: s.ID, Headline: s.Headline, Titles: s.Titles, FirstSeen: s.FirstSeen,
			LastSeen: s.LastSeen, Articles: s.Articles, Langs: s.Langs, Outlets: s.Outlets, TopTerms: s.TopTerms})
	}
	asg.Dirty() // restored stories are already stored as they are
	return nil
}

// Run ingests every input and reports what happened to each item. Item
// failures are recorded in the report and the run goes on; the returned
// error is for failures of the run itself (the store), after which earlier
// committed batches stay stored.
func (p *Pipeline) Run(ctx context.Context, inputs []string) (*Report, error) {
	rep := &Report{Started: p.now()}
	prog := newProgress(p.opt.Progress, p.log)
	defer prog.done()

	w := &writer{p: p, rep: rep}
	defer w.rollback()

	srcOpt := p.opt.Source
	var stats source.Stats
	if srcOpt.Stats == nil {
		srcOpt.Stats = &stats
	}
	defer func() {
		rep.PassedOver = int(srcOpt.Stats.Skipped.Load())
		rep.NotModified = int(srcOpt.Stats.NotModified.Load())
	}()
	items := source.Read(ctx, inputs, srcOpt)
	for prep := range Prepare(ctx, items, p.det, p.opt.Workers) {
		rep.Items++
		if prep.Err != nil {
			rep.skip(prep.Input, prep.Err)
			p.log.Warn("skipped", "input", prep.Input, "err", prep.Err)
			prog.update(rep)
			continue
		}
		if err := w.add(ctx, prep); err != nil {
			return rep, err
		}
		prog.update(rep)
	}
	if err := ctx.Err(); err != nil {
		// Keep what the cancelled run already prepared.
		if cerr := w.commit(context.WithoutCancel(ctx)); cerr != nil {
			return rep, errors.Join(err, cerr)
		}
		return rep, err
	}
	if err := w.maintain(ctx); err != nil {
		return rep, err
	}
	if err := w.commit(ctx); err != nil {
		return rep, err
	}
	rep.Finished = p.now()
	return rep, nil
}

// writer is the single-goroutine tail of the pipeline: dedup, story
// assignment and storage, one transaction per batch.
type writer struct {
	p        *Pipeline
	rep      *Report
	tx       store.Tx
	inBatch  int
	sinceMnt int
}

func (w *writer) begin(ctx context.Context) error {
	if w.tx != nil {
		return nil
	}
	tx, err := w.p.st.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin batch: %w", err)
	}
	w.tx = tx
	return nil
}

func (w *writer) add(ctx context.Context, prep Prepared) error {
	if err := w.begin(ctx); err != nil {
		return err
	}
	var mainID int64
	for i := range prep.Articles {
		a := &prep.Articles[i]
		if a.Related {
			a.RelatedOf = mainID
		}
		id, dup, err := w.place(ctx, a, prep.Stemmed[i])
		if err != nil {
			return err
		}
		if i == 0 {
			mainID = id
		}
		switch {
		case dup:
			w.rep.Duplicates++
		case a.DuplicateOf != 0:
			w.rep.Copies++
		case a.Related:
			w.rep.Related++
		default:
			w.rep.Stored++
		}
	}
	if w.inBatch >= w.p.opt.BatchSize {
		if err := w.commit(ctx); err != nil {
			return err
		}
	}
	if w.sinceMnt >= w.p.opt.MaintainEvery {
		if err := w.maintain(ctx); err != nil {
			return err
		}
	}
	return nil
}

// place stores one article unless it is already stored. It returns the ID
// the article has in the store and whether it was there before.
func (w *writer) place(ctx context.Context, a *article.Article, stemmed string) (int64, bool, error) {
	id, found, err := w.tx.ArticleByHash(ctx, a.ContentHash)
	if err != nil {
		return 0, false, fmt.Errorf("dedup %s: %w", a.Input, err)
	}
	if found {
		return id, true, nil
	}
	if err := w.markCopy(ctx, a); err != nil {
		return 0, false, err
	}
	// Insert first: the assigner tracks members by article ID.
	if err := w.tx.InsertArticle(ctx, a); err != nil {
		return 0, false, fmt.Errorf("store %s: %w", a.Input, err)
	}
	if ss, ok := w.tx.(store.StemmedSetter); ok {
		if err := ss.SetStemmed(ctx, a.ID, stemmed); err != nil {
			return 0, false, fmt.Errorf("store %s: %w", a.Input, err)
		}
	}
	if err := w.assign(ctx, a); err != nil {
		return 0, false, fmt.Errorf("story %s: %w", a.Input, err)
	}
	w.inBatch++
	w.sinceMnt++
	return a.ID, false, nil
}

// assign puts a stored article into a story and persists the stories that
// changed. A syndicated copy joins its original's story, whatever its text
// would have scored, even when that story has left the active window.
func (w *writer) assign(ctx context.Context, a *article.Article) error {
	orig := a.Story
	if a.DuplicateOf != 0 && orig != 0 {
		if _, active := w.p.asg.Summary(orig); !active {
			return nil // inserted with the original's story already
		}
	}
	a.Story = w.p.asg.Assign(a).Story
	if err := w.tx.SetArticleStory(ctx, a.ID, a.Story); err != nil {
		return err
	}
	return w.flushStories(ctx)
}

// flushStories stores the stories the assigner changed. It runs after every
// change rather than at commit, because a story can leave the active window
// (and the assigner's memory) before the batch ends.
func (w *writer) flushStories(ctx context.Context) error {
	for _, id := range w.p.asg.Dirty() {
		s, ok := w.p.asg.Summary(id)
		if !ok {
			continue // merged away: maintain deletes it
		}
		if err := w.tx.PutStory(ctx, storeStory(s)); err != nil {
			return fmt.Errorf("store story %d: %w", id, err)
		}
	}
	return nil
}

// markCopy sets DuplicateOf (and the original's story) when a stored article
// is a near-duplicate of a.
func (w *writer) markCopy(ctx context.Context, a *article.Article) error {
	if len(a.MinHash) == 0 {
		return nil
	}
	cands, err := w.tx.NearDuplicates(ctx, dedup.Bands(a.MinHash))
	if err != nil {
		return fmt.Errorf("near duplicates %s: %w", a.Input, err)
	}
	best, bestSim := store.Candidate{}, 0.0
	for _, c := range cands {
		// Ties go to the earliest article: the original, not a later copy.
		if s := dedup.Similarity(a.MinHash, c.MinHash); s > bestSim || (s == bestSim && c.ID < best.ID) {
			best, bestSim = c, s
		}
	}
	if bestSim >= dedup.CopyThreshold {
		a.DuplicateOf = best.ID
		a.Story = best.Story
	}
	return nil
}

// maintain runs the assigner's merge/split pass and records its moves.
func (w *writer) maintain(ctx context.Context) error {
	w.sinceMnt = 0
	if err := w.begin(ctx); err != nil {
		return err
	}
	// The zero time leaves the assigner's clock at the stream's own time:
	// wall-clock time would expire every story of an archive being replayed.
	for _, ev := range w.p.asg.Maintain(time.Time{}) {
		if ev.Kind == "merge" {
			// The whole story moves, including the articles the assigner
			// no longer holds (evicted, or outside the window at restart).
			if err := w.tx.MoveStory(ctx, ev.Other, ev.Story); err != nil {
				return fmt.Errorf("story merge %d: %w", ev.Story, err)
			}
		} else {
			for _, id := range ev.Articles {
				if err := w.tx.SetArticleStory(ctx, id, ev.Other); err != nil {
					return fmt.Errorf("story %s %d: %w", ev.Kind, ev.Story, err)
				}
			}
		}
		err := w.tx.AddStoryEvent(ctx, store.StoryEvent{Kind: ev.Kind, Story: ev.Story, Other: ev.Other, At: w.p.now(), Detail: ev.Detail})
		if err != nil {
			return fmt.Errorf("story %s %d: %w", ev.Kind, ev.Story, err)
		}
		w.rep.StoryEvents++
	}
	return w.flushStories(ctx)
}

func (w *writer) commit(ctx context.Context) error {
	if w.tx == nil {
		return nil
	}
	err := w.tx.Commit()
	w.tx = nil
	w.inBatch = 0
	if err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	return nil
}

func (w *writer) rollback() {
	if w.tx != nil {
		_ = w.tx.Rollback()
		w.tx = nil
	}
}

func storeStory(s story.Summary) *store.Story {
	return &store.Story{
		ID: s.ID, Headline: s.Headline, Titles: s.Titles,
		FirstSeen: s.FirstSeen, LastSeen: s.LastSeen, Articles: s.Articles,
		Langs: s.Langs, Outlets: s.Outlets, TopTerms: s.TopTerms,
	}
}
