package ingest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
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

// TestSettleWaitsForMaintain: a settle that falls due while the stream's
// next Maintain pass is near, at the rate articles come, waits for that
// pass and runs right after it; one whose pass is far runs when due.
func TestSettleWaitsForMaintain(t *testing.T) {
	for _, c := range []struct {
		name          string
		maintainEvery int
		want          [2]int64 // Assigned and MaintAt at the first settle
	}{
		// Due after the 10th article (1 s, an article every 100 ms); the
		// pass, 5 articles away, comes within the next second.
		{"near", 15, [2]int64{15, 15}},
		// 990 articles away: the settle runs when due.
		{"far", 1000, [2]int64{10, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, _ := openWith(t, t.TempDir(), story.Config{MaintainEvery: c.maintainEvery},
				Options{SettleEvery: time.Second, SettleShare: 1, CommitEvery: time.Nanosecond}) // a commit an article
			// The writer's clock: an article every 100 ms. (Items are read
			// ahead of the writer, so the clock follows what it placed.)
			start := time.Date(2025, 4, 9, 12, 0, 0, 0, time.UTC)
			p.now = func() time.Time {
				return start.Add(time.Duration(p.asg.Checkpoint().Assigned) * 100 * time.Millisecond)
			}
			var settles [][2]int64
			testHookSettled = func(assigned, maintAt int64) { settles = append(settles, [2]int64{assigned, maintAt}) }
			defer func() { testHookSettled = nil }()
			const n = 20
			items := func(ctx context.Context) iter.Seq[source.Item] {
				return func(yield func(source.Item) bool) {
					for i := range n {
						if !yield(source.Item{Page: article.Page{Input: fmt.Sprintf("a%d", i), Kind: article.KindClean, Lang: "en",
							Body: []byte(distinctText(i))}}) {
							return
						}
					}
				}
			}
			rep, err := p.RunItems(context.Background(), items)
			if err != nil || rep.Stored != n {
				t.Fatalf("stored %d of %d, err %v", rep.Stored, n, err)
			}
			if len(settles) < 2 { // the first, and the one at the end
				t.Fatalf("settles %v, want one while the stream ran and one at its end", settles)
			}
			if settles[0] != c.want {
				t.Errorf("first settle at Assigned, MaintAt = %v, want %v (all: %v)", settles[0], c.want, settles)
			}
		})
	}
}

// distinctText is an article of its own for each i: no two share enough
// words to be copies of one another.
func distinctText(i int) string {
	words := []string{"harbour", "council", "railway", "orchard", "glacier", "senate", "festival", "reactor",
		"vaccine", "bridge", "tariff", "museum", "drought", "airline", "stadium", "election", "satellite",
		"refinery", "library", "volcano", "ferry", "embassy", "lottery", "copper", "wildfire"}
	var b strings.Builder
	for j := range 40 {
		fmt.Fprintf(&b, "%s%d ", words[(i*7+j*j*3+j)%len(words)], (i*31+j*17)%97)
		if j%8 == 7 {
			b.WriteString("officials said. ")
		}
	}
	return b.String()
}
