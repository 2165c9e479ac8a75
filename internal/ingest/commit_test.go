package ingest

import (
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// TestVisibleWhileStreamWaits: an article handed to a run whose stream then
// waits is visible to a read-only reader while the stream waits (a batch
// commits on CommitEvery's timer), not only at the end of the stream or of
// a full batch.
func TestVisibleWhileStreamWaits(t *testing.T) {
	for _, c := range []struct {
		commitEvery time.Duration
		visible     bool // within the wait
	}{
		{0, true}, // the default
		{time.Hour, false},
	} {
		dir := t.TempDir()
		p, _ := openWith(t, dir, story.Config{}, Options{CommitEvery: c.commitEvery})
		ro, err := store.OpenReadOnly(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		// The wait is far above CommitEvery so that a loaded machine (the
		// first item also loads the language models) cannot fail the
		// test; how soon an article is visible is measured by storyline
		// bench, not here.
		const wait = 5 * time.Second
		var seenAfter time.Duration // 0: not seen while the stream waited
		items := func(ctx context.Context) iter.Seq[source.Item] {
			return func(yield func(source.Item) bool) {
				handed := time.Now()
				if !yield(source.Item{Page: article.Page{Input: "one", Kind: article.KindClean, Lang: "en",
					Body: []byte("A strong earthquake struck the northern coast on Monday, damaging hundreds of homes " +
						"and cutting power to the port city, officials said. Rescue teams searched collapsed buildings.")}}) {
					return
				}
				for time.Since(handed) < wait && seenAfter == 0 {
					a, err := ro.Article(ctx, 1)
					switch {
					case err == nil && a.Story != 0:
						seenAfter = time.Since(handed)
					case err != nil && !errors.Is(err, store.ErrNotFound):
						t.Error(err)
						return
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
		}
		rep, err := p.RunItems(context.Background(), items)
		ro.Close()
		if err != nil || rep.Stored != 1 {
			t.Fatalf("CommitEvery %v: stored %d, err %v", c.commitEvery, rep.Stored, err)
		}
		if got := seenAfter != 0; got != c.visible {
			t.Errorf("CommitEvery %v: visible in its story while the stream waited: %v (after %v), want %v",
				c.commitEvery, got, seenAfter, c.visible)
		}
	}
}

func TestSettleWait(t *testing.T) {
	for _, c := range []struct {
		every, took time.Duration
		share       float64
		want        time.Duration
	}{
		{10 * time.Second, 50 * time.Millisecond, 0.1, 10 * time.Second}, // a quick settle: every
		{10 * time.Second, 2 * time.Second, 0.1, 18 * time.Second},       // a slow one: a tenth of the time
		{10 * time.Second, 2 * time.Second, 1, 10 * time.Second},         // share 1: every
		{time.Second, 3 * time.Second, 0.5, 3 * time.Second},
	} {
		if got := settleWait(c.every, c.took, c.share); got != c.want {
			t.Errorf("settleWait(%v, %v, %v) = %v, want %v", c.every, c.took, c.share, got, c.want)
		}
	}
}
