package bus

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/bus/bustest"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

func connectT(t *testing.T, url string, opt Options) *Bus {
	t.Helper()
	b, err := Connect(context.Background(), url, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// drain runs a worker and the assigner until both streams are empty and
// returns the assigner's report and store.
func drain(t *testing.T, url string, opt Options) (*ingest.Report, *WorkReport, *store.SQLite) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := ingest.Open(ctx, st, langid.Default(), story.New(story.Config{}, nil), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var (
		wrep *WorkReport
		werr error
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		feats := story.New(story.Config{}, nil).Features()
		wrep, werr = connectT(t, url, opt).Work(ctx, ingest.Stages{Det: langid.Default(), Features: &feats}, WorkOptions{Workers: 2, Drain: true})
	}()
	rep, err := connectT(t, url, opt).Assign(ctx, p, AssignOptions{Drain: true})
	wg.Wait()
	if err != nil || werr != nil {
		t.Fatalf("assigner: %v; worker: %v", err, werr)
	}
	return rep, wrep, st
}

func publish(t *testing.T, b *Bus, its []source.Item) *PublishReport {
	t.Helper()
	rep, err := b.Publish(context.Background(), func(yield func(source.Item) bool) {
		for _, it := range its {
			if !yield(it) {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestPoisonMovedAside: a raw message no worker can read is moved to the
// dead-letter stream with its reason; its item is reported skipped in its
// place and the rest is stored.
func TestPoisonMovedAside(t *testing.T) {
	ctx := context.Background()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t)}
	b := connectT(t, url, opt)
	its := items(t)
	publish(t, b, its[:1])
	m := nats.NewMsg(b.names.rawSubj)
	m.Header.Set(hdrWire, "raw/99") // a wire version nobody knows
	m.Header.Set(hdrInput, "future.item")
	m.Data = []byte("from the future")
	if _, err := b.js.PublishMsg(ctx, m); err != nil {
		t.Fatal(err)
	}
	publish(t, b, its[1:2])
	rep, wrep, _ := drain(t, url, opt)
	if wrep.MovedAside != 1 || wrep.Prepared != 2 {
		t.Errorf("worker prepared %d, moved aside %d; want 2 and 1", wrep.Prepared, wrep.MovedAside)
	}
	dead, err := b.DeadLetters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Input != "future.item" || !strings.Contains(dead[0].Error, "raw/99") || dead[0].Seq != 2 {
		t.Errorf("dead letters %+v, want future.item, raw sequence 2, with its version error", dead)
	}
	if rep.Items != 3 || rep.Stored != 2 || len(rep.Skipped) != 1 || rep.Skipped[0].Input != "future.item" ||
		!strings.Contains(rep.Skipped[0].Reason, ErrMovedAside.Error()) {
		t.Errorf("assigner: items %d, stored %d, skipped %+v; want 3, 2 and future.item moved aside", rep.Items, rep.Stored, rep.Skipped)
	}
}

// TestCrashingItemMovedAside: a raw message delivered MaxDeliver times
// without being acknowledged (it crashed or stalled the workers it was
// given to) is moved aside on its next delivery instead of being prepared.
func TestCrashingItemMovedAside(t *testing.T) {
	ctx := context.Background()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), MaxDeliver: 2}
	b := connectT(t, url, opt)
	its := items(t)
	publish(t, b, its[:1])
	cons, err := b.consumer(ctx, b.raw, b.names.workers, b.opt.WorkerAckPending)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // two workers took it and died
		m, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		_ = m.Nak()
	}
	publish(t, b, its[1:2])
	rep, wrep, _ := drain(t, url, opt)
	if wrep.MovedAside != 1 || wrep.Prepared != 1 {
		t.Errorf("worker prepared %d, moved aside %d; want 1 and 1", wrep.Prepared, wrep.MovedAside)
	}
	dead, err := b.DeadLetters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Input != its[0].Page.Input || dead[0].Delivered != 3 {
		t.Errorf("dead letters %+v, want %s delivered 3 times", dead, its[0].Page.Input)
	}
	if rep.Stored != 1 || len(rep.Skipped) != 1 || rep.Skipped[0].Input != its[0].Page.Input {
		t.Errorf("assigner: stored %d, skipped %+v; want 1 and %s", rep.Stored, rep.Skipped, its[0].Page.Input)
	}
}

// TestLargeByReference: messages over MaxMsgBytes go through the pages
// bucket, arrive whole, and their objects are deleted once consumed.
func TestLargeByReference(t *testing.T) {
	ctx := context.Background()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), MaxMsgBytes: 600}
	b := connectT(t, url, opt)
	its := items(t)
	prep := publish(t, b, its)
	if prep.ByRef == 0 || prep.ByRef == len(its) {
		t.Errorf("%d of %d raw items by reference, want some, not all", prep.ByRef, len(its))
	}
	rep, _, st := drain(t, url, opt)
	if rep.Stored != 3 || len(rep.Skipped) != 1 {
		t.Errorf("stored %d, skipped %+v; want 3 and the pdf", rep.Stored, rep.Skipped)
	}
	var long int
	err := st.Articles(ctx, func(a *article.Article) error {
		if len(a.Text) > 200 {
			long++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if long == 0 {
		t.Error("no article arrived whole")
	}
	if objs, err := b.pages.List(ctx); !errors.Is(err, jetstream.ErrNoObjectsFound) {
		t.Errorf("pages bucket after the run: %d objects (%v), want none", len(objs), err)
	}
}

// ecbItems reads the first n ECB+ dev articles as source items.
func ecbItems(t *testing.T, n int) []source.Item {
	t.Helper()
	var out []source.Item
	for it := range source.Read(context.Background(), []string{shared.Path(t, "data/ecbplus-dev.jsonl")}, source.Options{}) {
		if len(out) == n {
			break
		}
		out = append(out, it)
	}
	return out
}

// inProcess is the partition of an in-process run of its into stories.
func inProcess(t *testing.T, its []source.Item) []string {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := ingest.Open(context.Background(), st, langid.Default(), story.New(story.Config{}, nil), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.RunItems(context.Background(), func(ctx context.Context) iter.Seq[source.Item] { return slices.Values(its) })
	if err != nil {
		t.Fatal(err)
	}
	return partitionOf(t, st)
}

// storedOrder lists the stored articles' input IDs in the order they were
// stored (article ID order).
func storedOrder(t *testing.T, ctx context.Context, st interface {
	Articles(context.Context, func(*article.Article) error) error
}) []string {
	t.Helper()
	var order []string
	err := st.Articles(ctx, func(a *article.Article) error {
		order = append(order, a.ExternalID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return order
}

func partitionOf(t *testing.T, st store.Store) []string {
	t.Helper()
	by := map[int64][]string{}
	err := st.Articles(context.Background(), func(a *article.Article) error {
		by[a.Story] = append(by[a.Story], a.ExternalID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ids := range by {
		slices.Sort(ids)
		out = append(out, strings.Join(ids, " "))
	}
	slices.Sort(out)
	return out
}

// TestDeadWorkersItemsWaitedFor: the first items are taken by a worker
// that dies holding them; the assigner waits for them (they come again
// after AckWait, to a live worker) rather than go on without them, and the
// stories are those of an in-process run.
func TestDeadWorkersItemsWaitedFor(t *testing.T) {
	ctx := context.Background()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), AckWait: 2 * time.Second}
	b := connectT(t, url, opt)
	its := ecbItems(t, 80)
	publish(t, b, its)
	cons, err := b.consumer(ctx, b.raw, b.names.workers, b.opt.WorkerAckPending)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(5, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	held := 0
	for range batch.Messages() {
		held++ // and never acknowledged: the worker died
	}
	if held != 5 {
		t.Fatalf("the dead worker took %d items, want 5", held)
	}
	start := time.Now()
	rep, _, st := drain(t, url, opt)
	if took := time.Since(start); took < opt.AckWait {
		t.Errorf("done in %v, before the dead worker's items could come again (%v)", took, opt.AckWait)
	}
	// A message can come again on a loaded machine (AckWait is short
	// here): it is then recognised, a duplicate, and stored once.
	if rep.Items-rep.Duplicates != 80 || rep.Stored+rep.Copies != 80 {
		t.Errorf("items %d (duplicates %d), stored %d, copies %d; want 80 items stored once", rep.Items, rep.Duplicates, rep.Stored, rep.Copies)
	}
	if got, want := partitionOf(t, st), inProcess(t, its); !slices.Equal(got, want) {
		t.Errorf("%d stories over the bus, %d in process: they differ", len(got), len(want))
	}
	// Stored in ingest sequence: IDs are given in the order of storing.
	order := storedOrder(t, ctx, st)
	for i, it := range its {
		if i >= len(order) || order[i] != it.Page.ExternalID {
			t.Fatalf("article %d stored is %v, want %s: not in ingest sequence", i+1, order[min(i, len(order)-1)], it.Page.ExternalID)
		}
	}
}

// TestGoneItemsNotWaitedFor: an item that left the raw stream without
// being prepared (deleted by an operator) is not waited for: the
// assigner finds it gone and goes on at once, not after ReorderWait.
func TestGoneItemsNotWaitedFor(t *testing.T) {
	ctx := context.Background()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), ReorderWait: time.Hour}
	b := connectT(t, url, opt)
	its := ecbItems(t, 20)
	publish(t, b, its)
	for _, seq := range []uint64{1, 7, 8} {
		if err := b.raw.DeleteMsg(ctx, seq); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	rep, _, _ := drain(t, url, opt)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %v: the gone items were waited for", took)
	}
	if rep.Items != 17 {
		t.Errorf("items %d, want 17", rep.Items)
	}
}

// TestServerRestart: the NATS server restarts while workers and the
// assigner run; they reconnect, and every item is stored once, in
// sequence.
func TestServerRestart(t *testing.T) {
	url, restart := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), AckWait: 5 * time.Second}
	its := ecbItems(t, 150)
	publish(t, connectT(t, url, opt), its)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	restarted := make(chan int64, 1)
	go func() {
		// Restart once a few are stored.
		for ctx.Err() == nil {
			if n, _, err := st.Counts(ctx); err == nil && n >= 20 {
				restart()
				restarted <- n
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	p, err := ingest.Open(ctx, st, langid.Default(), story.New(story.Config{}, nil), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var (
		werr error
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		feats := story.New(story.Config{}, nil).Features()
		_, werr = connectT(t, url, opt).Work(ctx, ingest.Stages{Det: langid.Default(), Features: &feats}, WorkOptions{Workers: 2, Drain: true})
	}()
	rep, err := connectT(t, url, opt).Assign(ctx, p, AssignOptions{Drain: true})
	wg.Wait()
	if err != nil || werr != nil {
		t.Fatalf("assigner: %v; worker: %v", err, werr)
	}
	order := storedOrder(t, ctx, st)
	select {
	case n := <-restarted:
		if n >= int64(len(its)) {
			t.Errorf("restarted after everything was stored")
		}
		t.Logf("restarted with %d stored; in the end items %d, duplicates %d, stored %d", n, rep.Items, rep.Duplicates, len(order))
	default:
		t.Error("never restarted")
	}
	if len(order) != len(its) {
		t.Fatalf("stored %d articles, want %d", len(order), len(its))
	}
	for i, it := range its {
		if order[i] != it.Page.ExternalID {
			t.Fatalf("article %d stored is %s, want %s: not in ingest sequence", i+1, order[i], it.Page.ExternalID)
		}
	}
}

// TestSetupMismatchWarned: items prepared by a worker set up otherwise
// than the assigner (other languages, no lexicons) are stored, and the
// assigner says once that the stories may differ.
func TestSetupMismatchWarned(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, _ := bustest.Embedded(t)
	var logs bytes.Buffer
	var mu sync.Mutex
	opt := Options{Name: bustest.Name(t), Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))}
	publish(t, connectT(t, url, opt), ecbItems(t, 5))
	feats := story.New(story.Config{}, nil).Features()
	if _, err := connectT(t, url, opt).Work(ctx, ingest.Stages{Det: langid.Default(), Features: &feats},
		WorkOptions{Workers: 1, Drain: true, Setup: "langs=en lexicons="}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := ingest.Open(ctx, st, langid.Default(), story.New(story.Config{}, nil), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := connectT(t, url, opt).Assign(ctx, p, AssignOptions{Drain: true, Setup: "langs=en,fr lexicons=fr"})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := strings.Count(logs.String(), "prepares items otherwise"); rep.Stored != 5 || n != 1 {
		t.Errorf("stored %d, warned %d times; want 5 and once:\n%s", rep.Stored, n, logs.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
