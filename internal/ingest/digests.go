package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

// digester builds the digests of the stories settles rewrote on a
// goroutine of its own. A digest reads and analyses up to
// Digest.MaxArticles articles of committed data, which needs nothing of the
// writer: built in the writer, digests took a quarter of the pipeline's
// CPU and held every article behind them (bench profile, 6k generated
// articles). Digests are a cache readers fall back from (a story without
// one is built when asked), so a failure is logged, not fatal.
type digester struct {
	p    *Pipeline
	jobs chan digestJob
	done chan struct{}
	// pending holds the stories of settles that came while a job was
	// running (writer side), handed over with the next settle or at close.
	pending map[int64]bool
	model   *text.Model
}

type digestJob struct {
	ids   []int64
	model *text.Model // a snapshot: the writer goes on adding to its own
}

// startDigests starts the digester of a run; nil when digests are off.
func (p *Pipeline) startDigests(ctx context.Context) *digester {
	if p.opt.Digest == nil {
		return nil
	}
	d := &digester{p: p, jobs: make(chan digestJob), done: make(chan struct{}), pending: map[int64]bool{}}
	go func() {
		defer close(d.done)
		for job := range d.jobs {
			if err := d.build(ctx, job); err != nil {
				p.log.Warn("digests", "err", err)
			}
		}
	}()
	return d
}

// submit hands the stories a settle rewrote to the digester, with the
// stream's document frequencies of the moment, without waiting: a busy
// digester gets them with the next settle.
func (d *digester) submit(ids []int64) {
	if d == nil {
		return
	}
	for _, id := range ids {
		d.pending[id] = true
	}
	if len(d.pending) == 0 {
		return
	}
	job := d.job()
	select {
	case d.jobs <- job:
		clear(d.pending)
	default:
	}
}

func (d *digester) job() digestJob {
	ids := slices.Sorted(func(yield func(int64) bool) {
		for id := range d.pending {
			if !yield(id) {
				return
			}
		}
	})
	if n := d.p.opt.DigestsPerSettle; len(ids) > n {
		ids = ids[len(ids)-n:] // the newest stories
	}
	var m *text.Model
	if d.p.opt.Digest.Why != nil {
		m = d.p.asg.Model().Clone()
	}
	return digestJob{ids: ids, model: m}
}

// close hands over what is pending and waits for the digester to finish:
// a run leaves the digests of its last settle stored.
func (d *digester) close() {
	if d == nil {
		return
	}
	if len(d.pending) > 0 {
		d.jobs <- d.job()
		clear(d.pending)
	}
	close(d.jobs)
	<-d.done
}

// build builds the digests of job's stories from committed data, then
// stores those of stories that have not changed since it read them: a
// story the writer rewrote meanwhile waits for its next settle.
func (d *digester) build(ctx context.Context, job digestJob) error {
	st := d.p.st
	o := *d.p.opt.Digest
	if o.Why != nil {
		// Evidence weighed with the stream's own document frequencies.
		why := *o.Why
		why.Model = job.model
		o.Why = &why
	}
	type built struct {
		story store.Story
		body  []byte
	}
	var out []built
	for _, id := range job.ids {
		s, err := st.Story(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("story %d: %w", id, err)
		}
		dg, err := digest.Build(ctx, st, id, o)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("digest of story %d: %w", id, err)
		}
		b, err := json.Marshal(dg)
		if err != nil {
			return err
		}
		out = append(out, built{s, b})
	}
	if len(out) == 0 {
		return nil
	}
	// While this transaction is open the writer commits nothing, so a
	// story read now is the one the digest will be stored against.
	tx, err := st.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, b := range out {
		now, err := st.Story(ctx, b.story.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("story %d: %w", b.story.ID, err)
		}
		if !reflect.DeepEqual(now, b.story) {
			continue
		}
		if err := tx.PutDigest(ctx, b.story.ID, b.body); err != nil {
			return err
		}
	}
	return tx.Commit()
}
