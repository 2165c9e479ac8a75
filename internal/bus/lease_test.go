package bus

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/bus/bustest"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// leaseTTL is short, so that the tests see takeovers quickly.
const leaseTTL = 1500 * time.Millisecond

// logTo returns a logger writing to a buffer safe to read while it logs.
func logTo() (*slog.Logger, func() string) {
	var mu sync.Mutex
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil)), func() string {
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
}

// kill makes b as good as a process that died: its connection is gone
// without a word, so its lease is neither refreshed nor released.
func kill(b *Bus) { b.nc.Close() }

// TestLeaseOneActive: of two assigners one takes the lease and the other
// waits, saying for whom; once the active one dies without releasing it,
// the standby takes it within LeaseTTL and a third (its poll) of the
// last refresh, and the dead one's lease context has ended.
func TestLeaseOneActive(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, _ := bustest.Embedded(t)
	name := bustest.Name(t)
	log, logs := logTo()
	a := connectT(t, url, Options{Name: name, LeaseTTL: leaseTTL})
	b := connectT(t, url, Options{Name: name, LeaseTTL: leaseTTL, Logger: log})
	la, err := a.Lead(ctx, "assigner A", AssignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type taken struct {
		l  *Lease
		at time.Time
	}
	took := make(chan taken, 1)
	go func() {
		lb, err := b.Lead(ctx, "assigner B", AssignOptions{})
		if err != nil {
			t.Error(err)
		}
		took <- taken{lb, time.Now()}
	}()
	select {
	case <-took:
		t.Fatal("B took the lease while A held it")
	case <-time.After(3 * leaseTTL):
	}
	if !strings.Contains(logs(), "standby: waiting for the lease held by assigner A") {
		t.Errorf("B did not say it waits for A:\n%s", logs())
	}
	if la.Err() != nil || la.Context().Err() != nil {
		t.Fatalf("A lost a lease it refreshed: %v", la.Err())
	}
	killed := time.Now()
	kill(a)
	// A, cut off, stops writing once 2/3 of LeaseTTL passed since its
	// last refresh, at most LeaseTTL/3 before it was cut off.
	var aStopped time.Time
	select {
	case <-la.Context().Done():
		aStopped = time.Now()
	case <-time.After(leaseTTL):
		t.Fatalf("A, cut off, still writing %v after", leaseTTL)
	}
	var tb taken
	select {
	case tb = <-took:
	case <-time.After(3 * leaseTTL):
		t.Fatalf("B did not take the lease within %v of A's death", 3*leaseTTL)
	}
	lb := tb.l
	if !aStopped.Before(tb.at) {
		t.Errorf("B took the lease %v before A stopped writing", aStopped.Sub(tb.at))
	}
	t.Logf("A stopped writing %v after it was cut off, %v before B took over",
		aStopped.Sub(killed).Round(time.Millisecond), tb.at.Sub(aStopped).Round(time.Millisecond))
	after := tb.at.Sub(killed)
	// A died at most LeaseTTL/3 after its last refresh; the key expires
	// LeaseTTL after it, and B asks every LeaseTTL/3.
	if max := leaseTTL + leaseTTL/3 + time.Second; after > max {
		t.Errorf("B took the lease %v after A died, want within %v", after, max)
	}
	t.Logf("B took the lease %v after A died", after.Round(time.Millisecond))
	if !strings.Contains(logs(), "active: took the lease") {
		t.Errorf("B did not say it took the lease:\n%s", logs())
	}
	if !errors.Is(la.Err(), ErrLeaseLost) || la.Context().Err() == nil {
		t.Errorf("A's lease, unrefreshed since its death: err %v, context %v; want lost", la.Err(), la.Context().Err())
	}
	if err := lb.Release(ctx); err != nil {
		t.Error(err)
	}
}

// TestLeaseLost: a holder whose lease was taken from it (deleted by an
// operator, or written by another) stops at once: its context ends with
// ErrLeaseLost within one refresh.
func TestLeaseLost(t *testing.T) {
	for _, c := range []struct {
		name string
		take func(ctx context.Context, b *Bus) error
	}{
		{"deleted", func(ctx context.Context, b *Bus) error {
			kv, err := b.leaseBucket(ctx)
			if err == nil {
				err = kv.Delete(ctx, keyActive)
			}
			return err
		}},
		{"another holder", func(ctx context.Context, b *Bus) error {
			kv, err := b.leaseBucket(ctx)
			if err == nil {
				_, err = kv.Put(ctx, keyActive, []byte("an intruder"))
			}
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			url, _ := bustest.Embedded(t)
			opt := Options{Name: bustest.Name(t), LeaseTTL: leaseTTL}
			l, err := connectT(t, url, opt).Lead(ctx, "", AssignOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.take(ctx, connectT(t, url, opt)); err != nil {
				t.Fatal(err)
			}
			taken := time.Now()
			select {
			case <-l.Context().Done():
			case <-time.After(leaseTTL):
				t.Fatalf("still writing %v after the lease was taken", leaseTTL)
			}
			t.Logf("stopped %v after the lease was taken", time.Since(taken).Round(time.Millisecond))
			if !errors.Is(l.Err(), ErrLeaseLost) || !errors.Is(context.Cause(l.Context()), ErrLeaseLost) {
				t.Errorf("err %v, cause %v; want ErrLeaseLost", l.Err(), context.Cause(l.Context()))
			}
		})
	}
}

// TestLeaseLostStopsAssign: an assigner whose lease is taken stops
// writing and returns ErrLeaseLost.
func TestLeaseLostStopsAssign(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), LeaseTTL: leaseTTL}
	a := connectT(t, url, opt)
	dir := t.TempDir()
	done := make(chan error, 1)
	go func() {
		_, err := a.AssignStandby(ctx, "A", openIn(dir), AssignOptions{})
		done <- err
	}()
	kv, err := connectT(t, url, opt).leaseBucket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for ctx.Err() == nil {
		if e, err := kv.Get(ctx, keyActive); err == nil && string(e.Value()) == "A" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := kv.Put(ctx, keyActive, []byte("an intruder")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, ErrLeaseLost) {
			t.Errorf("assigner returned %v, want ErrLeaseLost", err)
		}
	case <-time.After(2 * leaseTTL):
		t.Fatal("the assigner still runs after its lease was taken")
	}
	if e, err := kv.Get(ctx, keyActive); err != nil || string(e.Value()) != "an intruder" {
		t.Errorf("the lost lease was released over its new holder: %v", err)
	}
}

// TestDrainingStandbyStops: a standby told to drain stops when the
// streams are empty, without waiting for the lease.
func TestDrainingStandbyStops(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), LeaseTTL: leaseTTL}
	if _, err := connectT(t, url, opt).Lead(ctx, "A", AssignOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := connectT(t, url, opt).Lead(ctx, "B", AssignOptions{Drain: true})
	if !errors.Is(err, ErrNothingLeft) {
		t.Errorf("draining standby: %v, want ErrNothingLeft", err)
	}
}

// openIn opens the writer on the SQLite store in dir, as the assign
// command does once it holds the lease.
func openIn(dir string) Opener {
	return func(ctx context.Context) (*ingest.Pipeline, func() error, error) {
		st, err := store.Open(ctx, dir)
		if err != nil {
			return nil, nil, err
		}
		p, err := ingest.Open(ctx, st, langid.Default(), story.New(story.Config{}, nil), ingest.Options{})
		if err != nil {
			st.Close()
			return nil, nil, err
		}
		return p, st.Close, nil
	}
}

// storedIn counts the articles in the SQLite store in dir.
func storedIn(ctx context.Context, dir string) int64 {
	st, err := store.OpenReadOnly(ctx, dir)
	if err != nil {
		return 0
	}
	defer st.Close()
	n, _, _ := st.Counts(ctx)
	return n
}

// TestStandbyTakesOver: two assigners on one store; the active one dies
// mid-run without releasing its lease, and the standby takes over,
// restores the writer from the store and finishes: every item stored
// once, in ingest sequence, in the stories of an in-process run.
func TestStandbyTakesOver(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), LeaseTTL: leaseTTL, AckWait: 2 * time.Second}
	its := ecbItems(t, 150)
	publish(t, connectT(t, url, opt), its)
	dir := t.TempDir()
	var wg sync.WaitGroup
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		feats := story.New(story.Config{}, nil).Features()
		_, werr = connectT(t, url, opt).Work(ctx, ingest.Stages{Det: langid.Default(), Features: &feats}, WorkOptions{Workers: 2, Drain: true})
	}()
	a, b := connectT(t, url, opt), connectT(t, url, opt)
	type result struct {
		rep *ingest.Report
		err error
	}
	aDone, bDone := make(chan result, 1), make(chan result, 1)
	go func() {
		rep, err := a.AssignStandby(ctx, "A", openIn(dir), AssignOptions{Drain: true})
		aDone <- result{rep, err}
	}()
	// A is the active one before B starts.
	kv, err := a.leaseBucket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for ctx.Err() == nil {
		if e, err := kv.Get(ctx, keyActive); err == nil && string(e.Value()) == "A" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	go func() {
		rep, err := b.AssignStandby(ctx, "B", openIn(dir), AssignOptions{Drain: true})
		bDone <- result{rep, err}
	}()
	for ctx.Err() == nil && storedIn(ctx, dir) < 30 {
		time.Sleep(10 * time.Millisecond)
	}
	atKill := storedIn(ctx, dir)
	kill(a)
	ra := <-aDone
	rb := <-bDone
	wg.Wait()
	if rb.err != nil || werr != nil {
		t.Fatalf("standby: %v; worker: %v", rb.err, werr)
	}
	t.Logf("A died with %d stored (A: %v); B: items %d, duplicates %d, stored %d", atKill, ra.err, rb.rep.Items, rb.rep.Duplicates, rb.rep.Stored)
	if atKill >= int64(len(its)) {
		t.Fatal("A finished before it was killed")
	}
	if rb.rep.Items == 0 {
		t.Error("B assigned nothing")
	}
	st, err := store.OpenReadOnly(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	order := storedOrder(t, ctx, st)
	want := make([]string, len(its))
	for i, it := range its {
		want[i] = it.Page.ExternalID
	}
	if !slices.Equal(order, want) {
		t.Errorf("stored %d articles, want the %d items once each, in ingest sequence", len(order), len(its))
	}
	if got, w := partitionOf(t, st), inProcess(t, its); !slices.Equal(got, w) {
		t.Errorf("%d stories after the takeover, %d in process: they differ", len(got), len(w))
	}
}

// TestLeaseKeptUntilReleased: a holder told to stop keeps its lease
// while it winds down (its writer may be committing its last batch), and
// releasing it lets a standby take it at once instead of after LeaseTTL.
func TestLeaseKeptUntilReleased(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), LeaseTTL: leaseTTL}
	a := connectT(t, url, opt)
	actx, stop := context.WithCancel(ctx)
	l, err := a.Lead(actx, "A", AssignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if l.Context().Err() == nil {
		t.Error("the lease's context outlived the one Lead was given")
	}
	time.Sleep(2 * leaseTTL)
	if h, err := a.Active(ctx); err != nil || h != "A" || l.Err() != nil {
		t.Fatalf("after 2 LeaseTTL winding down: held by %q (%v), lost: %v; want still A's", h, err, l.Err())
	}
	if err := l.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if h, err := a.Active(ctx); err != nil || h != "" {
		t.Errorf("after Release: held by %q (%v), want none", h, err)
	}
	start := time.Now()
	lb, err := connectT(t, url, opt).Lead(ctx, "B", AssignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Release(ctx)
	if d := time.Since(start); d > leaseTTL/2 {
		t.Errorf("B took the released lease after %v, want at once", d)
	}
}

// TestLeaseSurvivesServerRestart: server restarts shorter than the time
// the holder may go unrefreshed do not lose the lease.
func TestLeaseSurvivesServerRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, restart := bustest.Embedded(t)
	log, logs := logTo()
	opt := Options{Name: bustest.Name(t), LeaseTTL: 6 * time.Second, Logger: log}
	l, err := connectT(t, url, opt).Lead(ctx, "A", AssignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release(ctx)
	// Restarts at intervals that are not the refresh's, so that some
	// refreshes meet a server away.
	for range 5 {
		time.Sleep(1300 * time.Millisecond)
		restart()
	}
	time.Sleep(opt.LeaseTTL)
	if l.Err() != nil {
		t.Errorf("lost the lease over server restarts: %v\n%s", l.Err(), logs())
	}
}

// TestLeaseRefreshAppliedUnanswered: a refresh the server applied but
// whose answer the holder never got (it timed out while the client
// reconnected) is recognised as the holder's own: the next refresh,
// refused for its revision, finds the key still naming this holder and
// goes on at its revision instead of giving the lease up.
func TestLeaseRefreshAppliedUnanswered(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, _ := bustest.Embedded(t)
	opt := Options{Name: bustest.Name(t), LeaseTTL: leaseTTL}
	l, err := connectT(t, url, opt).Lead(ctx, "A", AssignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release(ctx)
	kv, err := connectT(t, url, opt).leaseBucket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e, err := kv.Get(ctx, keyActive)
	if err != nil {
		t.Fatal(err)
	}
	// The refresh the holder lost the answer of.
	if _, err := kv.Update(ctx, keyActive, []byte("A"), e.Revision()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * leaseTTL)
	if l.Err() != nil {
		t.Errorf("lost the lease over its own refresh: %v", l.Err())
	}
	if e2, err := kv.Get(ctx, keyActive); err != nil || e2.Revision() <= e.Revision()+1 {
		t.Errorf("the lease was not refreshed after its lost answer: %v", err)
	}
}
