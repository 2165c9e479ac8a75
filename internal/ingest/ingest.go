package ingest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/figure"
	"github.com/storyline/storyline/internal/intel/quote"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
	"github.com/storyline/storyline/internal/text"
)

// Options tune a Pipeline.
type Options struct {
	Source source.Options
	// BatchSize is how many articles one store transaction holds at most;
	// default 500.
	BatchSize int
	// CommitEvery commits the batch in hand once it is this old, full or
	// not, so that readers see an article in its story within about this
	// long of its arrival at any arrival rate (plus the time the writer
	// takes to reach it). Shorter costs a transaction and an fsync more
	// often; at full speed most batches end on BatchSize anyway. Default
	// 250ms: a quarter of the one-second aim, leaving the rest to the
	// writer's own pauses.
	CommitEvery time.Duration
	// SettleEvery is how often, at most, a run settles the readers' view
	// of the stories (story.Settle) while it goes on; it always does at its
	// end. Default 10s: settling copies the assigner's window. A settle
	// that falls due shortly before the stream's next Maintain pass waits
	// for it, up to another SettleEvery (see writer.waitForMaintain).
	SettleEvery time.Duration
	// SettleShare bounds the part of the writer's time that settling
	// takes: after a settle that took d, the next waits at least
	// d·(1/SettleShare − 1). A settle runs Maintain on a copy of the
	// window, redoing every article since the stream's last Maintain, so
	// with a full window (~20k articles) one took seconds and, every 10 s,
	// a fifth of the writer's time at full speed (`storyline bench`, 16k
	// generated articles over 6 days). Trade: under load, merges and
	// splits reach readers later (articles still show in their stories at
	// the next commit). Default 0.1; 1 settles every SettleEvery.
	SettleShare float64
	Workers     int // extraction goroutines; default GOMAXPROCS
	// Words tells names from common words in scripts without case (the
	// lexicon); nil finds and resolves names without it.
	Words    entity.Words
	Progress io.Writer // where a progress line is drawn; nil for none
	// ProgressEvery is how often progress is logged at INFO when Progress
	// is not a terminal. Default 5s.
	ProgressEvery time.Duration
	Logger        *slog.Logger
	// Digest, when set, has the digests of the stories each settle
	// rewrote built and stored (see digest.Build), at most
	// DigestsPerSettle (default 100) a settle: they cost the analysis of
	// up to Digest.MaxArticles articles each.
	Digest           *digest.Options
	DigestsPerSettle int
}

// Pipeline ingests sources into a store. Open one with Restore.
type Pipeline struct {
	st  store.Store
	det *langid.Detector
	asg *story.Assigner
	res *entity.Resolver
	m   *mirror
	opt Options
	log *slog.Logger
	now func() time.Time
	// mem answers the writer's StoryVariants across its batches; its
	// writes keep it true, and whatever else writes resets it.
	mem *entity.Memory
	// ids collects, during RunPages, the ID of each page's main article.
	ids []int64
}

// Meta keys under which the pipeline keeps the stream's state.
const (
	metaCheckpoint = "checkpoint" // story.Checkpoint as JSON
	metaModel      = "model"      // the last epoch's document frequencies
	metaSettled    = "settled"    // the stream's Assigned count at the last Settle, as JSON
	// metaVStory maps active stream stories to the story readers see them
	// in, where that is another (mirror.vstory), as JSON.
	metaVStory = "vstory"
)

func newPipeline(st store.Store, det *langid.Detector, asg *story.Assigner, m *mirror, opt Options) *Pipeline {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 500
	}
	if opt.CommitEvery <= 0 {
		opt.CommitEvery = 250 * time.Millisecond
	}
	if opt.SettleShare <= 0 || opt.SettleShare > 1 {
		opt.SettleShare = 0.1
	}
	if opt.SettleEvery <= 0 {
		opt.SettleEvery = 10 * time.Second
	}
	if opt.ProgressEvery <= 0 {
		opt.ProgressEvery = 5 * time.Second
	}
	if opt.DigestsPerSettle <= 0 {
		opt.DigestsPerSettle = 100
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{st: st, det: det, asg: asg, res: &entity.Resolver{Words: opt.Words}, m: m, opt: opt, log: log, now: time.Now,
		mem: entity.NewMemory(store.StoryVariantArticles)}
}

// Run ingests every input and reports what happened to each item. Item
// failures are recorded in the report and the run goes on; the returned
// error is for failures of the run itself (the store), after which earlier
// committed batches stay stored.
//
// When ctx is cancelled (Ctrl-C), reading stops, and the articles already
// placed are committed and settled before Run returns ctx's error: the
// report counts what is stored, no more.
func (p *Pipeline) Run(ctx context.Context, inputs []string) (*Report, error) {
	srcOpt := p.opt.Source
	if srcOpt.Stats == nil {
		srcOpt.Stats = new(source.Stats)
	}
	return p.run(ctx, p.prepare(func(ctx context.Context) iter.Seq[source.Item] { return source.Read(ctx, inputs, srcOpt) }), srcOpt.Stats, nil)
}

// RunPages ingests pages a caller already has (a JSON API's POST), as Run
// ingests what it reads. A page with a URL and no body is fetched as Run
// fetches a URL, through the same address guard (a feed URL gives its
// items). It returns the report and the IDs the articles have in the
// store, in order, 0 for one that failed.
func (p *Pipeline) RunPages(ctx context.Context, pages []article.Page) (*Report, []int64, error) {
	srcOpt := p.opt.Source
	if srcOpt.Stats == nil {
		srcOpt.Stats = new(source.Stats)
	}
	items := func(ctx context.Context) iter.Seq[source.Item] {
		return func(yield func(source.Item) bool) {
			for _, pg := range pages {
				if ctx.Err() != nil {
					return
				}
				if len(pg.Body) == 0 && pg.URL != "" {
					for it := range source.Read(ctx, []string{pg.URL}, srcOpt) {
						if !yield(it) {
							return
						}
					}
					continue
				}
				if !yield(source.Item{Page: pg}) {
					return
				}
			}
		}
	}
	p.ids = []int64{}
	defer func() { p.ids = nil }()
	rep, err := p.run(ctx, p.prepare(items), srcOpt.Stats, nil)
	return rep, p.ids, err
}

// RunItems ingests the items a caller reads itself (a queue it consumes,
// a benchmark's paced stream), as Run ingests what it reads. items is
// called once, with a context that ends when the run stops reading; the
// run waits for each item as long as items takes to give it, committing
// what it holds every Options.CommitEvery meanwhile, so an item is
// visible to readers soon after it is given whatever the pace.
func (p *Pipeline) RunItems(ctx context.Context, items func(context.Context) iter.Seq[source.Item]) (*Report, error) {
	return p.run(ctx, p.prepare(items), new(source.Stats), nil)
}

// RunPrepared runs the writer alone (dedup, story assignment, storage) on
// items prepared elsewhere, by Prepare in another process, in the order
// prepared gives them: the tail of Run for a pipeline split across
// processes. prepared is called once, as RunItems' items is; the Docs of
// its items are used as they come (nil: the assigner analyses).
//
// After each commit, and after items that needed none (failures, nothing
// to store), durable is called with how many of the items prepared gave
// are now stored for good, counted from the start of the run, in order. A
// caller acknowledging a queue's messages acknowledges those and no more;
// the rest, given again to a later run, are recognised by their content
// hash and stored once. durable may be nil.
func (p *Pipeline) RunPrepared(ctx context.Context, prepared func(context.Context) iter.Seq[Prepared], durable func(n int)) (*Report, error) {
	return p.run(ctx, prepared, new(source.Stats), durable)
}

// prepare runs Prepare's stateless stages over the items items gives.
func (p *Pipeline) prepare(items func(context.Context) iter.Seq[source.Item]) func(context.Context) iter.Seq[Prepared] {
	return func(ctx context.Context) iter.Seq[Prepared] {
		feats := p.asg.Features()
		return Prepare(ctx, items(ctx), Stages{Det: p.det, Words: p.opt.Words, Features: &feats}, p.opt.Workers)
	}
}

// run ingests the prepared items prepared gives (with ctx, which stops
// them), calling durable, when set, as RunPrepared says.
func (p *Pipeline) run(ctx context.Context, prepared func(context.Context) iter.Seq[Prepared], stats *source.Stats, durable func(int)) (*Report, error) {
	rep := &Report{Started: p.now()}
	prog := newProgress(p.opt.Progress, p.log, p.opt.ProgressEvery)
	defer prog.done()

	// The store's writes must not be cut short by the cancellation that
	// stops the reading: a batch is committed whole or not at all.
	wctx := context.WithoutCancel(ctx)
	w := &writer{p: p, rep: rep, lastSettle: p.now(), settleWait: p.opt.SettleEvery, dig: p.startDigests(wctx), durable: durable}
	defer w.dig.close()
	defer w.rollback()

	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan Prepared)
	go func() {
		defer close(in)
		for prep := range prepared(rctx) {
			select {
			case in <- prep:
			case <-rctx.Done():
				return
			}
		}
	}()
	defer func() {
		cancel()
		for range in {
		}
	}()
	// One timer, set to when the next commit or settle falls due: a batch
	// commits when CommitEvery old even while no item comes.
	wake := time.NewTimer(w.untilDue())
	defer wake.Stop()
loop:
	for {
		wake.Reset(w.untilDue())
		select {
		case prep, ok := <-in:
			if !ok {
				break loop
			}
			if ctx.Err() != nil {
				break loop // read after the interrupt: not ours to keep
			}
			if err := w.item(wctx, prep); err != nil {
				return rep, err
			}
			prog.update(rep, w.pending)
		case <-wake.C:
		case <-ctx.Done():
			break loop
		}
		if err := w.due(wctx); err != nil {
			return rep, err
		}
		w.report()
	}
	rep.PassedOver = int(stats.Skipped.Load())
	rep.NotModified = int(stats.NotModified.Load())
	if err := w.commit(wctx); err != nil {
		return rep, err
	}
	w.report()
	if err := w.settle(wctx); err != nil {
		return rep, err
	}
	rep.Finished = p.now()
	if err := ctx.Err(); err != nil {
		rep.Interrupted = true
		return rep, err
	}
	return rep, nil
}

// writer is the single-goroutine tail of the pipeline: dedup, story
// assignment and storage, one transaction per batch.
type writer struct {
	p          *Pipeline
	rep        *Report
	tx         store.Tx
	reg        *entity.Cache // tx's entities, cached while it lasts
	inBatch    int
	opened     time.Time // when the batch in hand began
	pending    counts    // the batch in hand's, added to rep at commit
	lastSettle time.Time
	settleWait time.Duration // from lastSettle to the next settle
	// settleFrom is the stream's Assigned count at lastSettle: how fast
	// articles come, for waitForMaintain.
	settleFrom int64
	dig        *digester // nil: no digests
	// titles are those of the originals the batch in hand inserted, which
	// readers of the store cannot see yet: near-duplicate candidates.
	titles map[int64]string
	// durable, when set, is told how many items are stored for good
	// (taken, once no batch holds any of them); reported is the last count
	// it was told.
	durable         func(n int)
	taken, reported int
}

// counts are what a batch adds to the report once committed.
type counts struct {
	stored, copies, related, duplicates, events int
}

func (w *writer) begin(ctx context.Context) error {
	if w.tx != nil {
		return nil
	}
	tx, err := w.p.st.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin batch: %w", err)
	}
	w.tx, w.reg, w.opened = tx, entity.NewCache(tx), w.p.now()
	w.reg.Remember(w.p.mem)
	clear(w.titles)
	return nil
}

// report tells durable how many items are stored for good, when no batch
// is in hand and that count has grown.
func (w *writer) report() {
	if w.durable != nil && w.tx == nil && w.taken > w.reported {
		w.reported = w.taken
		w.durable(w.taken)
	}
}

// item takes one prepared source item.
func (w *writer) item(ctx context.Context, prep Prepared) error {
	w.taken++
	if v := prep.Validators; v != nil {
		// The feed's items are placed: its validators go in their batch.
		if err := w.begin(ctx); err != nil {
			return err
		}
		return w.tx.SetValidators(ctx, v.URL, v.ETag, v.LastModified)
	}
	w.rep.Items++
	if prep.Err != nil {
		w.rep.skip(prep.Input, prep.Err)
		if w.p.ids != nil {
			w.p.ids = append(w.p.ids, 0)
		}
		return nil
	}
	if err := w.maintainDue(ctx); err != nil {
		return err
	}
	if err := w.begin(ctx); err != nil {
		return err
	}
	var mainID int64
	for i := range prep.Articles {
		a := &prep.Articles[i]
		if a.Related {
			a.RelatedOf = mainID
		}
		ms := said{mentions: prep.Mentions[i], figures: prep.Figures[i], quotes: prep.Quotes[i]}
		if i < len(prep.Docs) {
			ms.doc = prep.Docs[i]
		}
		id, dup, err := w.place(ctx, a, prep.Stemmed[i], ms)
		if err != nil {
			return err
		}
		if i == 0 {
			mainID = id
			if w.p.ids != nil {
				w.p.ids = append(w.p.ids, id)
			}
		}
		switch {
		case dup:
			w.pending.duplicates++
		case a.DuplicateOf != 0:
			w.pending.copies++
		case a.Related:
			w.pending.related++
		default:
			w.pending.stored++
		}
	}
	return nil
}

// due commits the batch in hand when it is full or old enough, and
// settles when that is due.
func (w *writer) due(ctx context.Context) error {
	if w.tx != nil && (w.inBatch >= w.p.opt.BatchSize || w.p.now().Sub(w.opened) >= w.p.opt.CommitEvery) {
		if err := w.commit(ctx); err != nil {
			return err
		}
	}
	if w.tx == nil && w.settleDue() && !w.waitForMaintain() {
		return w.settle(ctx)
	}
	return nil
}

// settleDue reports whether the next settle has fallen due.
func (w *writer) settleDue() bool {
	return w.p.now().Sub(w.lastSettle) >= w.settleWait
}

// waitForMaintain reports whether a settle that has fallen due waits for
// the stream's next Maintain pass, to run right after it (maintainDue):
// it does when, at the rate articles came since the last settle, that
// pass comes before the settle is settleWait late. A settle runs Maintain
// on a copy of the window, redoing every article since the stream's last
// pass: right after one it redoes almost none. Paced at 200 articles/s
// (storyline bench --articles 8000 --days 7 --rate 200), the copy's
// Maintain took 67–126 ms in settles that followed a pass and 302 ms in
// one 1,000 articles after it, when the window held 8k articles. Trade:
// under load, merges and splits reach readers up to settleWait later; at
// rates too low for a pass to come in time nothing waits.
func (w *writer) waitForMaintain() bool {
	now := w.p.now()
	late := w.lastSettle.Add(2 * w.settleWait)
	since := now.Sub(w.lastSettle)
	n := w.p.asg.Checkpoint().Assigned - w.settleFrom
	if !now.Before(late) || n <= 0 || since <= 0 {
		return false
	}
	rate := float64(n) / since.Seconds()
	return float64(w.p.asg.MaintainLeft()) <= rate*late.Sub(now).Seconds()
}

// untilDue is the time left until due has work: the batch in hand's
// commit, or else the next settle (or, while it waits for the stream's
// next Maintain, the time it stops waiting).
func (w *writer) untilDue() time.Duration {
	at := w.lastSettle.Add(w.settleWait)
	if w.waitForMaintain() {
		at = w.lastSettle.Add(2 * w.settleWait)
	}
	if w.tx != nil {
		at = w.opened.Add(w.p.opt.CommitEvery)
	}
	return max(at.Sub(w.p.now()), 0)
}

// place stores one article unless it is already stored. It returns the ID
// the article has in the store and whether it was there before.
func (w *writer) place(ctx context.Context, a *article.Article, stemmed string, ms said) (int64, bool, error) {
	id, found, err := w.tx.ArticleByHash(ctx, a.ContentHash)
	if err != nil {
		return 0, false, fmt.Errorf("dedup %s: %w", a.Input, err)
	}
	if found {
		return id, true, nil
	}
	orig, err := w.copyOf(ctx, a)
	if err != nil {
		return 0, false, err
	}
	// Insert first: the assigner tracks members by article ID.
	a.Story = 0
	if err := w.tx.InsertArticle(ctx, a); err != nil {
		return 0, false, fmt.Errorf("store %s: %w", a.Input, err)
	}
	if a.DuplicateOf == 0 {
		if w.titles == nil {
			w.titles = map[int64]string{}
		}
		w.titles[a.ID] = a.Title
	}
	if ss, ok := w.tx.(store.StemmedSetter); ok {
		if err := ss.SetStemmed(ctx, a.ID, stemmed); err != nil {
			return 0, false, fmt.Errorf("store %s: %w", a.Input, err)
		}
	}
	stream, at, err := w.assign(ctx, a, orig, ms.doc)
	if err != nil {
		return 0, false, fmt.Errorf("story %s: %w", a.Input, err)
	}
	if err := w.intel(ctx, a, stream, at, ms); err != nil {
		return 0, false, fmt.Errorf("entities %s: %w", a.Input, err)
	}
	w.inBatch++
	return a.ID, false, nil
}

// said is what the parallel stage found an article says.
type said struct {
	mentions []entity.Mention
	figures  []figure.Figure
	quotes   []quote.Quote
	doc      *text.Doc // story features; nil: the assigner analyses
}

// speakerEntity is the entity a quote's speaker names: the resolved
// mention at the speaker's place in the text, else the one person of the
// article whose name ends as the speaker's does.
func speakerEntity(q quote.Quote, rs []entity.Resolved) int64 {
	if q.Speaker == "" {
		return 0
	}
	for _, r := range rs {
		if r.Field == entity.InText && r.Entity != 0 && r.Start < q.SpeakerEnd && q.SpeakerStart < r.End {
			return r.Entity
		}
	}
	last := lastWord(q.Speaker)
	var id int64
	for _, r := range rs {
		if r.Entity == 0 || r.Type != entity.Person || text.Fold(lastWord(r.Text)) != text.Fold(last) {
			continue
		}
		if id != 0 && id != r.Entity {
			return 0 // two people of that name: no guess
		}
		id = r.Entity
	}
	return id
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// testHookNoEntityCache has the writer resolve and consolidate against
// its transaction itself: tests compare what it stores with and without
// the cache.
var testHookNoEntityCache bool

// registry is what the batch in hand resolves entities against: its
// cache of the transaction.
func (w *writer) registry() entity.Registry {
	if testHookNoEntityCache {
		return w.tx
	}
	if testHookRegistry != nil {
		return testHookRegistry(w, w.reg)
	}
	return w.reg
}

// testHookRegistry, when set, wraps the registry the writer resolves
// against: tests compare its answers with the store's.
var testHookRegistry func(w *writer, reg entity.Registry) entity.Registry

// intel resolves the article's names to entities, in the context of its
// story in the stream, and stores what the article says.
func (w *writer) intel(ctx context.Context, a *article.Article, stream int64, at time.Time, s said) error {
	rs, err := w.p.res.Resolve(ctx, w.registry(), entity.Article{ID: a.ID, Story: stream, Lang: a.Lang, At: at,
		Title: a.Title, Text: a.Text}, s.mentions)
	if err != nil {
		return err
	}
	var in store.Intel
	for _, r := range rs {
		in.Mentions = append(in.Mentions, store.Mention{Field: int(r.Field), Start: r.Start, End: r.End, Text: r.Text,
			Type: string(r.Type), Title: r.Title, Entity: r.Entity})
	}
	for _, q := range s.quotes {
		in.Quotes = append(in.Quotes, store.Quote{Start: q.Start, End: q.End, Text: q.Text, Speaker: q.Speaker,
			SpeakerEntity: speakerEntity(q, rs), Via: q.Via, Confidence: q.Confidence})
	}
	for _, f := range s.figures {
		in.Figures = append(in.Figures, store.Figure{Start: f.Start, End: f.End, Text: f.Text, Value: f.Value, Unit: f.Unit,
			Counts: f.Of, Year: f.Year, Approx: f.Approx, Rounding: f.Rounding})
	}
	if err := w.tx.PutIntel(ctx, a.ID, in); err != nil {
		return err
	}
	ents := make([]int64, len(rs))
	for i, r := range rs {
		ents[i] = r.Entity
	}
	w.p.mem.Named(stream, a.ID, ents)
	return nil
}

// assign puts a stored article into a story, runs Maintain when the stream
// says it is due, and persists what changed. A syndicated copy joins its
// original's story, whatever its text would have scored, even when that
// story has left the active window.
//
// It returns the article's story in the stream and the time it took there.
func (w *writer) assign(ctx context.Context, a *article.Article, orig store.Candidate, doc *text.Doc) (int64, time.Time, error) {
	asg := w.p.asg
	if a.DuplicateOf != 0 && orig.Stream != 0 {
		if _, active := asg.State(orig.Stream); !active {
			at := asg.ObserveDoc(a, doc)
			a.Story = orig.Story
			if err := w.tx.Place(ctx, a.ID, store.Placement{Story: orig.Story, Stream: orig.Stream, At: at, Evicted: true}); err != nil {
				return 0, at, err
			}
			w.p.mem.Placed(orig.Stream, a.ID)
			return orig.Stream, at, nil
		}
		a.Story = orig.Stream // the original may have left the story's memory
	}
	d := asg.AssignDoc(a, doc)
	_, at, _ := asg.Member(a.ID)
	vis := w.p.m.of(d.Story)
	if err := w.tx.Place(ctx, a.ID, store.Placement{Story: vis, Stream: d.Story, At: at}); err != nil {
		return 0, at, err
	}
	w.p.mem.Placed(d.Story, a.ID)
	a.Story = vis
	w.p.m.held[a.ID] = held{stream: d.Story, vis: vis}
	return d.Story, at, w.flush(ctx)
}

// copyOf marks a as a copy (DuplicateOf) when a stored article is a
// near-duplicate of it, and returns that original. Similar candidates are
// judged most similar first (ties to the earliest: the original, not a
// later copy); dedup.Options.Judge reads only the two articles, so the
// answer does not depend on how the input was cut into runs.
func (w *writer) copyOf(ctx context.Context, a *article.Article) (store.Candidate, error) {
	if len(a.MinHash) == 0 {
		return store.Candidate{}, nil
	}
	cands, err := w.tx.NearDuplicates(ctx, dedup.Bands(a.MinHash))
	if err != nil {
		return store.Candidate{}, fmt.Errorf("near duplicates %s: %w", a.Input, err)
	}
	opt := dedup.DefaultOptions()
	type similar struct {
		c   store.Candidate
		sim float64
	}
	var sims []similar
	for _, c := range cands {
		if s := dedup.Similarity(a.MinHash, c.MinHash); s >= opt.Threshold {
			sims = append(sims, similar{c, s})
		}
	}
	slices.SortFunc(sims, func(x, y similar) int {
		if x.sim != y.sim {
			return cmp.Compare(y.sim, x.sim)
		}
		return cmp.Compare(x.c.ID, y.c.ID)
	})
	for _, s := range sims {
		title, err := w.titleOf(ctx, s.c.ID)
		if err != nil {
			return store.Candidate{}, fmt.Errorf("near duplicates %s: %w", a.Input, err)
		}
		if opt.Judge(dedup.Doc{Title: a.Title, Lang: a.Lang, Sig: a.MinHash},
			dedup.Doc{Title: title, Lang: a.Lang, Sig: s.c.MinHash}) == dedup.Copy {
			a.DuplicateOf = s.c.ID
			return s.c, nil
		}
	}
	return store.Candidate{}, nil
}

// titleOf returns the title of a stored original: from the batch in hand,
// or as committed. One this writer did not insert and readers cannot see
// yet has no title to tell: "", no evidence either way.
func (w *writer) titleOf(ctx context.Context, id int64) (string, error) {
	if t, ok := w.titles[id]; ok {
		return t, nil
	}
	o, err := w.p.st.Article(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("article %d: %w", id, err)
	}
	return o.Title, nil
}

// maintainDue runs the stream's Maintain pass when it is due, before the
// next item is placed. The batch in hand commits first: at a full window
// the pass takes up to a second, and the articles placed before it would
// have waited for it to become visible (storyline bench --articles 30000
// --days 11: p90 ingest→visible 400 → 310 ms; p99, set by the items that
// arrive during the pause, stayed at 1.0–1.1 s). The pass's moves go in
// the next batch. A restart resumes from a commit made between items,
// where the checkpoint says the pass is due, and runs it before the next
// item as an uninterrupted run does.
func (w *writer) maintainDue(ctx context.Context) error {
	if !w.p.asg.MaintainDue() {
		return nil
	}
	if err := w.commit(ctx); err != nil {
		return err
	}
	if err := w.begin(ctx); err != nil {
		return err
	}
	if err := w.maintain(ctx); err != nil {
		return err
	}
	if err := w.flush(ctx); err != nil {
		return err
	}
	if w.settleDue() {
		// The pass's moves commit with the settle (see waitForMaintain).
		return w.settle(ctx)
	}
	return nil
}

// maintain runs the stream's Maintain pass and records its moves.
func (w *writer) maintain(ctx context.Context) error {
	return w.record(ctx, w.p.asg.Maintain(time.Time{}))
}

// record writes the moves of merges and splits (Maintain's or a person's)
// to the store and the mirror, and the events to the stories' history.
func (w *writer) record(ctx context.Context, evs []story.Event) error {
	m := w.p.m
	for _, ev := range evs {
		w.p.mem.Moved(ev.Story, ev.Other)
		if ev.Kind == "merge" {
			// The whole story moves, including the articles the assigner
			// no longer holds.
			if err := w.tx.MoveStream(ctx, ev.Other, ev.Story, m.of(ev.Story)); err != nil {
				return fmt.Errorf("story merge %d: %w", ev.Story, err)
			}
			for _, id := range ev.Articles {
				h := m.held[id]
				h.stream = ev.Story
				if h.vis == ev.Other {
					h.vis = m.of(ev.Story)
				}
				m.held[id] = h
			}
		} else {
			for _, id := range ev.Articles {
				h := m.held[id]
				if h.vis == h.stream {
					h.vis = m.of(ev.Other)
				}
				h.stream = ev.Other
				m.held[id] = h
				_, at, _ := w.p.asg.Member(id)
				if err := w.tx.Place(ctx, id, store.Placement{Story: h.vis, Stream: h.stream, At: at}); err != nil {
					return fmt.Errorf("story %s %d: %w", ev.Kind, ev.Story, err)
				}
			}
		}
		// Events take the stream's time, as articles do: a replayed
		// archive's history reads in its own time.
		err := w.tx.AddStoryEvent(ctx, store.StoryEvent{Kind: ev.Kind, Story: ev.Story, Other: ev.Other,
			At: w.p.asg.Checkpoint().Now, Detail: ev.Detail, Articles: ev.Articles})
		if err != nil {
			return fmt.Errorf("story %s %d: %w", ev.Kind, ev.Story, err)
		}
		w.pending.events++
	}
	return nil
}

// flush persists what the assigner changed: evictions, the state of the
// stream's stories, the last epoch's model, and the readers' rows of the
// stories they see as the stream has them. It runs after every article
// rather than at commit, because a story can leave the window (and the
// assigner's memory) before the batch ends.
func (w *writer) flush(ctx context.Context) error {
	asg, m := w.p.asg, w.p.m
	if ev := asg.TakeEvicted(); len(ev) > 0 {
		if err := w.tx.SetEvicted(ctx, ev); err != nil {
			return err
		}
		for _, id := range ev {
			m.evictedFrom[m.held[id].stream] = true
			delete(m.held, id)
		}
	}
	for _, id := range asg.Dirty() {
		st, active := asg.State(id)
		err := w.tx.PutStreamStory(ctx, store.StreamStory{ID: id, First: st.First, Last: st.Last,
			Restamped: st.Restamped, Changed: st.Changed, Active: active})
		if err != nil {
			return err
		}
		if m.odd[id] {
			continue // a story the settled view reshapes: the next Settle writes it
		}
		sum, ok := asg.Summary(id)
		if !ok {
			sum, ok = asg.Closed(id)
		}
		if ok {
			err = w.tx.PutStory(ctx, storeStory(sum))
		} else {
			err = w.tx.DeleteStory(ctx, id) // merged away in the stream
		}
		if err != nil {
			return fmt.Errorf("store story %d: %w", id, err)
		}
	}
	b, ok, err := asg.TakeModel()
	if err == nil && ok {
		err = w.tx.SetMeta(ctx, metaModel, b)
	}
	return err
}

// commit ends the batch in hand, with the stream's checkpoint.
func (w *writer) commit(ctx context.Context) error {
	if w.tx == nil {
		return nil
	}
	cp, err := json.Marshal(w.p.asg.Checkpoint())
	if err == nil {
		err = w.tx.SetMeta(ctx, metaCheckpoint, cp)
	}
	if cons := w.p.asg.Constraints(); err == nil && (len(cons.Pinned) > 0 || len(cons.Apart) > 0) {
		// Merges carry a corrected story's marks to the story it joins.
		var b []byte
		if b, err = json.Marshal(cons); err == nil {
			err = w.tx.SetMeta(ctx, metaConstraints, b)
		}
	}
	if err == nil {
		err = w.tx.Commit()
	}
	w.tx, w.reg = nil, nil
	w.inBatch = 0
	pending := w.pending
	w.pending = counts{}
	if err != nil {
		// What the lost batch held is lost with it: the report never
		// counts it as stored, nor does the entity memory hold it.
		w.p.mem.Reset()
		w.rep.Lost += pending.stored + pending.copies + pending.related
		return fmt.Errorf("commit batch: %w", err)
	}
	w.rep.Stored += pending.stored
	w.rep.Copies += pending.copies
	w.rep.Related += pending.related
	w.rep.Duplicates += pending.duplicates
	w.rep.StoryEvents += pending.events
	return nil
}

func (w *writer) rollback() {
	if w.tx != nil {
		_ = w.tx.Rollback()
		w.p.mem.Reset() // it heard of writes that are undone
		w.tx, w.reg = nil, nil
		p := w.pending
		w.rep.Lost += p.stored + p.copies + p.related
		w.pending = counts{}
	}
}

// settle writes the settled view of the stories (see story.Settle) in a
// batch of its own: only what differs from what readers see now.
func (w *writer) settle(ctx context.Context) error {
	start := w.p.now()
	w.lastSettle, w.settleFrom = start, w.p.asg.Checkpoint().Assigned
	if !w.p.m.unsettled(w.p.asg) {
		return nil
	}
	defer func() {
		w.settleWait = settleWait(w.p.opt.SettleEvery, w.p.now().Sub(start), w.p.opt.SettleShare)
	}()
	if err := w.begin(ctx); err != nil {
		return err
	}
	written, err := w.p.m.settle(ctx, w.tx, w.registry(), w.p.asg)
	if err != nil {
		return fmt.Errorf("settle: %w", err)
	}
	settled, _ := json.Marshal(w.p.asg.Checkpoint().Assigned)
	if err := w.tx.SetMeta(ctx, metaSettled, settled); err != nil {
		return err
	}
	if err := w.commit(ctx); err != nil {
		return err
	}
	w.dig.submit(written)
	if testHookSettled != nil {
		cp := w.p.asg.Checkpoint()
		testHookSettled(cp.Assigned, cp.MaintAt)
	}
	return nil
}

// testHookSettled, when set, is told the stream's Assigned and MaintAt
// counts at each settle that wrote the settled view.
var testHookSettled func(assigned, maintAt int64)

// settleWait is the time from the start of a settle that took took to the
// next: every, or longer, so that settling takes at most share of the
// writer's time (see Options.SettleShare).
func settleWait(every, took time.Duration, share float64) time.Duration {
	return max(every, time.Duration(float64(took)*(1/share-1)))
}

func storeStory(s story.Summary) *store.Story {
	return &store.Story{
		ID: s.ID, Headline: s.Headline, Titles: s.Titles,
		FirstSeen: s.FirstSeen, LastSeen: s.LastSeen, Articles: s.Articles,
		Langs: s.Langs, Outlets: s.Outlets, TopTerms: s.TopTerms,
	}
}
