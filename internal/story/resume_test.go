package story

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/shared"
)

// tape plays the store for restart tests: it keeps what the ingest writer
// persists, no more, and rebuilds an Assigner from it as a restart does.
type tape struct {
	cfg     Config
	arts    []*article.Article // in ID order
	stream  map[int64]int64    // article → story in the stream
	at      map[int64]time.Time
	evicted map[int64]bool
	states  map[int64]StoryState // active stories
	cp      Checkpoint
	model   []byte
}

func newTape(cfg Config) *tape {
	return &tape{cfg: cfg, stream: map[int64]int64{}, at: map[int64]time.Time{}, evicted: map[int64]bool{},
		states: map[int64]StoryState{}}
}

// step assigns art as the writer does: Assign, then Maintain when due, then
// persist what changed.
func (tp *tape) step(a *Assigner, art *article.Article) Decision {
	tp.arts = append(tp.arts, art)
	d := a.Assign(art)
	tp.stream[art.ID] = d.Story
	_, tp.at[art.ID], _ = a.Member(art.ID)
	if a.MaintainDue() {
		for _, ev := range a.Maintain(time.Time{}) {
			if ev.Kind == "merge" {
				for id, s := range tp.stream {
					if s == ev.Other {
						tp.stream[id] = ev.Story
					}
				}
			}
			for _, id := range ev.Articles {
				tp.stream[id] = ev.Story
				if ev.Kind == "split" {
					tp.stream[id] = ev.Other
				}
			}
		}
	}
	for _, id := range a.TakeEvicted() {
		tp.evicted[id] = true
	}
	for _, id := range a.Dirty() {
		if st, ok := a.State(id); ok {
			tp.states[id] = st
		} else {
			delete(tp.states, id)
		}
	}
	if b, ok, err := a.TakeModel(); err != nil {
		panic(err)
	} else if ok {
		tp.model = b
	}
	tp.cp = a.Checkpoint()
	return d
}

// resume rebuilds an Assigner from the tape.
func (tp *tape) resume(t testing.TB) *Assigner {
	t.Helper()
	a := New(tp.cfg, nil)
	if err := a.Resume(tp.cp, tp.model); err != nil {
		t.Fatal(err)
	}
	out := map[int64]*Summary{}
	for _, art := range tp.arts {
		sid := tp.stream[art.ID]
		if _, active := tp.states[sid]; !active {
			sid = 0
		} else if tp.evicted[art.ID] {
			o := out[sid]
			if o == nil {
				o = &Summary{}
				out[sid] = o
			}
			o.Articles++
			sid = 0
		}
		a.Replay(art, sid, tp.at[art.ID])
	}
	for _, id := range slices.Sorted(maps.Keys(tp.states)) {
		o := out[id]
		if o == nil {
			o = &Summary{}
		}
		a.ResumeStory(tp.states[id], *o)
	}
	a.Resumed()
	return a
}

// partition renders where each article is, by the first article of its
// story, so that two runs compare whatever IDs their stories got.
func partition(where map[int64]int64) string {
	first := map[int64]int64{}
	for _, id := range slices.Sorted(maps.Keys(where)) {
		if _, ok := first[where[id]]; !ok {
			first[where[id]] = id
		}
	}
	out := make([]int64, 0, len(where))
	for _, id := range slices.Sorted(maps.Keys(where)) {
		out = append(out, first[where[id]])
	}
	return fmt.Sprint(out)
}

// settled returns the settled view of every article held.
func settled(a *Assigner) map[int64]int64 {
	m := map[int64]int64{}
	for _, p := range a.Settle(nil).Held {
		m[p.Article] = p.Visible
	}
	return m
}

// TestResumeIsExact interrupts a stream at several points, rebuilds the
// Assigner from what the writer persisted, and expects every later
// decision, the stream's stories and the settled view to equal those of
// one uninterrupted run. The configuration makes every mechanism fire
// within a few hundred articles: epochs, eviction, Maintain, expiry, and
// undated articles borrowing the stream's time.
func TestResumeIsExact(t *testing.T) {
	cfg := Config{Window: 18 * time.Hour, MaxMembers: 12, EpochMax: 150, MaintainEvery: 100}
	const n = 900
	stream := func() []*article.Article {
		g := newGen(7)
		var arts []*article.Article
		for i := 0; i < n; i++ {
			art := g.next()
			if i%7 == 3 {
				art.Published = time.Time{}
			}
			arts = append(arts, art)
		}
		return arts
	}
	whole := newTape(cfg)
	a := New(cfg, nil)
	var want []Decision
	for _, art := range stream() {
		want = append(want, whole.step(a, art))
	}
	wantStream, wantSettled := partition(whole.stream), partition(settled(a))

	for _, cut := range []int{1, 99, 100, 151, 420, 777} {
		tp := newTape(cfg)
		b := New(cfg, nil)
		arts := stream()
		for i, art := range arts {
			if i == cut {
				b = tp.resume(t)
			}
			if d := tp.step(b, art); !sameDecision(d, want[i]) {
				t.Fatalf("cut at %d: article %d: decision %+v, uninterrupted %+v", cut, art.ID, d, want[i])
			}
		}
		if got := partition(tp.stream); got != wantStream {
			t.Errorf("cut at %d: stream stories differ from an uninterrupted run", cut)
		}
		if got := partition(settled(b)); got != wantSettled {
			t.Errorf("cut at %d: settled stories differ from an uninterrupted run", cut)
		}
	}
}

// sameDecision compares decisions; scores may differ in the last bits, as
// sums come back in another order.
func sameDecision(x, y Decision) bool {
	return x.Story == y.Story && x.New == y.New && math.Abs(x.Score-y.Score) < 1e-9
}

// TestResumeECBPlus cuts the ECB+ dev stream in two and expects the stories
// of one run: a restart costs nothing, whatever Maintain and Settle did at
// the cut.
func TestResumeECBPlus(t *testing.T) {
	docs := shared.JSONL[ecbDoc](t, "data/ecbplus-dev.jsonl")
	arts := func() []*article.Article {
		out := make([]*article.Article, len(docs))
		for i, d := range docs {
			out[i] = &article.Article{ID: int64(i + 1), Lang: d.Lang, Text: d.Text}
		}
		return out
	}
	cfg := Config{MaintainEvery: 300}
	whole := newTape(cfg)
	a := New(cfg, nil)
	var ds []Decision
	for _, art := range arts() {
		ds = append(ds, whole.step(a, art))
	}
	want := partition(settled(a))
	tp := newTape(cfg)
	b := New(cfg, nil)
	for i, art := range arts() {
		if i == len(docs)/2 {
			b.Settle(nil) // as the first run ends
			b = tp.resume(t)
		}
		// The settling pass at the cut reserved IDs for the stories it
		// split off, so later stories are numbered on from there.
		if d := tp.step(b, art); d.New != ds[i].New || math.Abs(d.Score-ds[i].Score) > 1e-9 {
			t.Fatalf("article %d: decision %+v, one run %+v", art.ID, d, ds[i])
		}
	}
	if got := partition(settled(b)); got != want {
		t.Errorf("ECB+ cut in two: settled stories differ from one run")
	}
}

// TestSettleCoversStoriesAboutToClose: an article older than the window
// opens a story the stream will close at its next look; until then the
// settled view still places it (it once lost its story).
func TestSettleCoversStoriesAboutToClose(t *testing.T) {
	arts := loadArticles(t)
	a := New(Config{}, nil)
	for _, ta := range arts {
		a.Assign(ta.article())
	}
	old := arts[0].article()
	old.ID, old.Published, old.Title = 999, old.Published.AddDate(-1, 0, 0), "Ostmark harbour reopens"
	old.Text = "A late report from a year before: the harbour of Ostmark reopened after the ferry strike ended."
	d := a.Assign(old)
	if !d.New {
		t.Fatalf("the old article joined story %d: the test needs it alone", d.Story)
	}
	st := a.Settle(nil)
	for _, p := range st.Held {
		if p.Visible == 0 {
			t.Errorf("article %d has no story in the settled view", p.Article)
		}
	}
	if st.Story[d.Story] == 0 {
		t.Errorf("story %d has no settled story", d.Story)
	}
	if _, ok := st.Summary(st.Story[d.Story]); !ok {
		t.Errorf("no settled summary for the old article's story")
	}
}

// TestSettleLeavesTheStreamAlone settles one of two runs of the ECB+ dev
// stream often, and expects the same decisions and stories from both: a
// settle's copy shares the live index, sums and postings until it changes
// them (see own), and a write through to the live ones would show here.
func TestSettleLeavesTheStreamAlone(t *testing.T) {
	docs := shared.JSONL[ecbDoc](t, "data/ecbplus-dev.jsonl")
	cfg := Config{MaintainEvery: 300}
	plain, settling := New(cfg, nil), New(cfg, nil)
	moves := 0
	for i, d := range docs {
		art := func() *article.Article { return &article.Article{ID: int64(i + 1), Lang: d.Lang, Text: d.Text} }
		// A settle that splits reserves the halves' IDs, so the stream's
		// later stories are numbered on from there: IDs may differ.
		want, got := plain.Assign(art()), settling.Assign(art())
		if got.New != want.New || math.Abs(got.Score-want.Score) > 1e-9 {
			t.Fatalf("article %d: decision %+v with settles, %+v without", i+1, got, want)
		}
		for _, x := range []*Assigner{plain, settling} {
			if x.MaintainDue() {
				x.Maintain(time.Time{})
			}
		}
		if i%40 == 39 {
			moves += len(settling.Settle(nil).Events)
		}
	}
	if moves == 0 {
		t.Fatal("no settle moved an article: the test shows nothing")
	}
	if partition(settled(settling)) != partition(settled(plain)) {
		t.Error("settled stories differ with settles along the way")
	}
	t.Logf("%d articles, %d moves made by settles", len(docs), moves)
}
