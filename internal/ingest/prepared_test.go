package ingest

import (
	"context"
	"iter"
	"reflect"
	"slices"
	"testing"

	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/story"
)

// TestRunPreparedEqualsRun: the writer run alone on items prepared apart
// (as a queue's consumer runs it) stores what Run stores, to the byte of
// the stream's state; items given again after being reported durable (a
// redelivery) store nothing twice; durable counts every item, in order,
// never going back.
func TestRunPreparedEqualsRun(t *testing.T) {
	ctx := context.Background()
	inputs := ecbLines(t, 200, 1)

	want, wantSt := openWith(t, t.TempDir(), busy, Options{})
	if _, err := want.Run(ctx, inputs); err != nil {
		t.Fatal(err)
	}

	// Prepared apart, with an assigner of the same configuration's
	// features, as a worker process prepares them.
	feats := story.New(busy, nil).Features()
	var preps []Prepared
	for prep := range Prepare(ctx, source.Read(ctx, inputs, source.Options{}), Stages{Det: langid.Default(), Features: &feats}, 2) {
		preps = append(preps, prep)
	}
	seq := func(ps []Prepared) func(context.Context) iter.Seq[Prepared] {
		return func(ctx context.Context) iter.Seq[Prepared] {
			return func(yield func(Prepared) bool) {
				for _, p := range ps {
					if !yield(p) {
						return
					}
				}
			}
		}
	}
	// In one run, committed in small batches: the same store to the byte.
	one, oneSt := openWith(t, t.TempDir(), busy, Options{BatchSize: 7})
	var counts []int
	durable := func(n int) { counts = append(counts, n) }
	if _, err := one.RunPrepared(ctx, seq(preps), durable); err != nil {
		t.Fatal(err)
	}
	if d, w := dumpStore(t, oneSt), dumpStore(t, wantSt); !reflect.DeepEqual(d, w) {
		diff(t, w, d)
	}
	if len(counts) < 2 || counts[len(counts)-1] != len(preps) {
		t.Fatalf("durable counts %v: want several, the last %d", counts, len(preps))
	}
	for i := 1; i < len(counts); i++ {
		if counts[i] <= counts[i-1] {
			t.Fatalf("durable counts go back: %v", counts)
		}
	}

	// The first 120, then (a restart) the last 30 of those again and the
	// rest: the 30 given again are recognised, and the stories are those
	// of one run (restarts keep the stories, not every story row's top
	// terms: see TestRunsCutAnywhereEqualOneRun).
	p, st := openWith(t, t.TempDir(), busy, Options{BatchSize: 7})
	if _, err := p.RunPrepared(ctx, seq(preps[:120]), nil); err != nil {
		t.Fatal(err)
	}
	p2, err := Open(ctx, st, langid.Default(), story.New(busy, nil), Options{BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	counts = nil
	rep2, err := p2.RunPrepared(ctx, seq(preps[90:]), durable)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(preps) - 90; counts[len(counts)-1] != n {
		t.Errorf("durable's last count %d, want %d", counts[len(counts)-1], n)
	}
	if rep2.Duplicates < 30 {
		t.Errorf("second run: %d duplicates, want the 30 given again at least", rep2.Duplicates)
	}
	if got, w := dumpStore(t, st).Articles, dumpStore(t, wantSt).Articles; !slices.Equal(got, w) {
		t.Errorf("restarted with redelivery: %d articles, one run %d; they differ", len(got), len(w))
	}
	if got, w := stories(t, st), stories(t, wantSt); !slices.Equal(got, w) {
		t.Errorf("restarted with redelivery: %d stories, one run %d; they differ", len(got), len(w))
	}
}
