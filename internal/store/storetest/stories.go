package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
)

func testStoriesAndEvents(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	t0 := time.Date(2025, 4, 8, 0, 0, 0, 0, time.UTC)
	a := &store.Story{Headline: "Rutte in Tokyo", Titles: map[string]string{"en": "Rutte in Tokyo", "ar": "روته في طوكيو"},
		FirstSeen: t0, LastSeen: t0.Add(48 * time.Hour), Articles: 5, Langs: []string{"en", "ar"},
		Outlets: []string{"Kyodo", "AP"}, TopTerms: []string{"rutte", "nato", "tokyo"}}
	b2 := &store.Story{Headline: "Rutte visits Japan", FirstSeen: t0, LastSeen: t0.Add(time.Hour), Articles: 1}
	c := &store.Story{ID: 50, Headline: "Rice prices", LastSeen: t0.Add(24 * time.Hour)}
	art := &article.Article{Title: "in b"}
	batch(t, s, func(tx store.Tx) {
		for _, st := range []*store.Story{a, b2, c} {
			putStory(t, tx, st)
		}
		art.Story = b2.ID
		insert(t, tx, art)
	})
	if a.ID == 0 || b2.ID == 0 || a.ID == b2.ID || c.ID != 50 {
		t.Fatalf("story IDs %d %d %d", a.ID, b2.ID, c.ID)
	}
	got, err := s.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Story{*a, *c, *b2}; !reflect.DeepEqual(got, want) {
		t.Errorf("Stories:\n got %+v\nwant %+v", got, want)
	}
	if one, err := s.Story(ctx, a.ID); !reflect.DeepEqual(one, *a) || err != nil {
		t.Errorf("Story(%d) = %+v, %v", a.ID, one, err)
	}

	// Merge b into a: move its article, delete it, record the event.
	at := t0.Add(50 * time.Hour)
	batch(t, s, func(tx store.Tx) {
		if err := tx.SetArticleStory(ctx, art.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := tx.DeleteStory(ctx, b2.ID); err != nil {
			t.Fatal(err)
		}
		if err := tx.DeleteStory(ctx, 4242); err != nil {
			t.Errorf("deleting a missing story: %v", err)
		}
		a.Articles++
		putStory(t, tx, a)
		if err := tx.AddStoryEvent(ctx, store.StoryEvent{Kind: store.EventMerge, Story: a.ID, Other: b2.ID, At: at,
			Detail: "similarity 0.61", Articles: []int64{art.ID}}); err != nil {
			t.Fatal(err)
		}
		if err := tx.AddStoryEvent(ctx, store.StoryEvent{Kind: store.EventSplit, Story: a.ID, Other: c.ID, At: at.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if err := tx.AddStoryEvent(ctx, store.StoryEvent{Kind: "explode", Story: a.ID}); err == nil {
			t.Error("unknown event kind accepted")
		}
		if err := tx.SetArticleStory(ctx, 99999, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetArticleStory of a missing article: %v", err)
		}
	})
	if got, _ := s.Article(ctx, art.ID); got.Story != a.ID {
		t.Errorf("article story %d, want %d", got.Story, a.ID)
	}
	if got, _ := s.Stories(ctx); len(got) != 2 || got[0].Articles != 6 {
		t.Errorf("after merge: %+v", got)
	}
	if _, err := s.Story(ctx, b2.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted story: %v, want ErrNotFound", err)
	}
	tests := []struct {
		story int64
		kinds []string
	}{
		{a.ID, []string{store.EventMerge, store.EventSplit}},
		{b2.ID, []string{store.EventMerge}},
		{c.ID, []string{store.EventSplit}},
		{12345, nil},
	}
	for _, tt := range tests {
		evs, err := s.StoryEvents(ctx, tt.story)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range evs {
			kinds = append(kinds, e.Kind)
		}
		if !slices.Equal(kinds, tt.kinds) {
			t.Errorf("StoryEvents(%d) kinds %v, want %v", tt.story, kinds, tt.kinds)
		}
	}
	evs, _ := s.StoryEvents(ctx, b2.ID)
	if len(evs) == 1 {
		e := evs[0]
		if e.ID == 0 || e.Story != a.ID || e.Other != b2.ID || !e.At.Equal(at) || !utc(e.At) || e.Detail != "similarity 0.61" ||
			!slices.Equal(e.Articles, []int64{art.ID}) {
			t.Errorf("event round trip: %+v", e)
		}
	}
	if evs, _ := s.StoryEvents(ctx, c.ID); len(evs) == 1 && evs[0].Articles != nil {
		t.Errorf("an event without articles reads back %v, want nil", evs[0].Articles)
	}
	// The highest ID stays taken after its story is deleted.
	batch(t, s, func(tx store.Tx) {
		if err := tx.AddStoryEvent(ctx, store.StoryEvent{Kind: store.EventMerge, Story: a.ID, Other: c.ID, At: at}); err != nil {
			t.Fatal(err)
		}
		if err := tx.DeleteStory(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	})
	if max, err := s.MaxStoryID(ctx); err != nil || max != 50 {
		t.Errorf("MaxStoryID = %d, %v; want 50", max, err)
	}
	batch(t, s, func(tx store.Tx) {
		d := &store.Story{Headline: "new"}
		putStory(t, tx, d)
		if d.ID <= 50 {
			t.Errorf("new story reuses ID %d", d.ID)
		}
	})
	// IDs a story held, even deleted with no trace elsewhere, are not
	// handed out again.
	var e *store.Story
	batch(t, s, func(tx store.Tx) {
		e = &store.Story{ID: 90, Headline: "gone"}
		putStory(t, tx, e)
	})
	batch(t, s, func(tx store.Tx) {
		if err := tx.DeleteStory(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
	})
	if max, err := s.MaxStoryID(ctx); err != nil || max < 90 {
		t.Errorf("MaxStoryID = %d, %v; want at least 90", max, err)
	}
	batch(t, s, func(tx store.Tx) {
		f := &store.Story{Headline: "newer"}
		putStory(t, tx, f)
		if f.ID <= 90 {
			t.Errorf("new story reuses ID %d", f.ID)
		}
	})
}

// testStoryConventions: empty lists and maps read back nil, times in UTC,
// undated stories last and undated events first; MaxStoryID counts every
// place a story ID is kept.
func testStoryConventions(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	paris := time.FixedZone("CEST", 2*3600)
	dated := &store.Story{Headline: "dated", Titles: map[string]string{}, Langs: []string{}, Outlets: []string{},
		TopTerms: []string{}, FirstSeen: time.Date(2025, 4, 1, 12, 0, 0, 5, paris), LastSeen: time.Date(2025, 4, 2, 12, 0, 0, 0, paris)}
	undated := &store.Story{Headline: "undated"}
	later := &store.Story{Headline: "later", LastSeen: time.Date(2025, 4, 3, 0, 0, 0, 0, time.UTC)}
	batch(t, s, func(tx store.Tx) {
		for _, st := range []*store.Story{dated, undated, later} {
			putStory(t, tx, st)
		}
		for _, e := range []store.StoryEvent{
			{Kind: store.EventSplit, Story: dated.ID, Other: 300, At: time.Date(2025, 4, 2, 0, 0, 0, 0, paris)},
			{Kind: store.EventMerge, Story: dated.ID, Other: 200, Articles: []int64{}},
			{Kind: store.EventMerge, Story: dated.ID, Other: 100, At: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)},
		} {
			if err := tx.AddStoryEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
	})
	got, err := s.Story(ctx, dated.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Titles != nil || got.Langs != nil || got.Outlets != nil || got.TopTerms != nil {
		t.Errorf("empty lists and maps read back %#v %#v %#v %#v, want nil", got.Titles, got.Langs, got.Outlets, got.TopTerms)
	}
	if !got.FirstSeen.Equal(dated.FirstSeen) || !got.LastSeen.Equal(dated.LastSeen) || !utc(got.FirstSeen, got.LastSeen) {
		t.Errorf("times %v %v, want %v %v in UTC", got.FirstSeen, got.LastSeen, dated.FirstSeen, dated.LastSeen)
	}
	if got, _ := s.Story(ctx, undated.ID); !got.FirstSeen.IsZero() || !got.LastSeen.IsZero() {
		t.Errorf("zero times read back %v %v", got.FirstSeen, got.LastSeen)
	}
	all, err := s.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, st := range all {
		order = append(order, st.Headline)
	}
	if want := []string{"later", "dated", "undated"}; !slices.Equal(order, want) {
		t.Errorf("Stories order %v, want %v (undated last)", order, want)
	}
	evs, err := s.StoryEvents(ctx, dated.ID)
	if err != nil {
		t.Fatal(err)
	}
	var others []int64
	for _, e := range evs {
		others = append(others, e.Other)
		if e.Articles != nil || !utc(e.At) {
			t.Errorf("event %+v: want nil articles and a UTC time", e)
		}
	}
	if want := []int64{200, 100, 300}; !slices.Equal(others, want) {
		t.Errorf("StoryEvents order by Other %v, want %v (undated first, then oldest)", others, want)
	}
	// Every place a story ID is kept counts.
	steps := []struct {
		name string
		fn   func(tx store.Tx) error
		want int64
	}{
		{"event's other", nil, 300},
		{"stream story", func(tx store.Tx) error { return tx.PutStreamStory(ctx, store.StreamStory{ID: 400}) }, 400},
		{"event's story", func(tx store.Tx) error {
			return tx.AddStoryEvent(ctx, store.StoryEvent{Kind: store.EventMerge, Story: 450, Other: 1})
		}, 450},
		{"part", func(tx store.Tx) error { return tx.PutParts(ctx, map[int64]int64{1: 500}) }, 500},
		{"story", func(tx store.Tx) error { return tx.PutStory(ctx, &store.Story{ID: 600}) }, 600},
	}
	for _, st := range steps {
		if st.fn != nil {
			batch(t, s, func(tx store.Tx) {
				if err := st.fn(tx); err != nil {
					t.Fatal(err)
				}
			})
		}
		if max, err := s.MaxStoryID(ctx); max != st.want || err != nil {
			t.Errorf("MaxStoryID after the %s = %d, %v; want %d", st.name, max, err, st.want)
		}
	}
}

func testMoveStream(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	from, to, other := &store.Story{Headline: "from"}, &store.Story{Headline: "to"}, &store.Story{Headline: "other"}
	var arts []*article.Article
	batch(t, s, func(tx store.Tx) {
		for _, st := range []*store.Story{from, to, other} {
			putStory(t, tx, st)
		}
		// Stream stories share the readers' IDs here; the third article
		// of from is seen elsewhere by readers.
		for i, p := range []store.Placement{{Story: from.ID, Stream: from.ID}, {Story: from.ID, Stream: from.ID, Evicted: true},
			{Story: other.ID, Stream: from.ID}, {Story: to.ID, Stream: to.ID}, {Story: other.ID, Stream: other.ID}} {
			a := &article.Article{Title: fmt.Sprint("a", i)}
			insert(t, tx, a)
			place(t, tx, a.ID, p)
			arts = append(arts, a)
		}
	})
	batch(t, s, func(tx store.Tx) {
		if err := tx.MoveStream(ctx, from.ID, to.ID, to.ID); err != nil {
			t.Fatal(err)
		}
	})
	streams := map[int64]int64{}
	if err := s.Replay(ctx, 0, func(a *article.Article, p store.Placement) error {
		streams[a.ID] = p.Stream
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ story, stream int64 }{{to.ID, to.ID}, {to.ID, to.ID}, {other.ID, to.ID},
		{to.ID, to.ID}, {other.ID, other.ID}} {
		got, err := s.Article(ctx, arts[i].ID)
		if err != nil || got.Story != want.story || streams[arts[i].ID] != want.stream {
			t.Errorf("article %d: story %d stream %d (%v), want %d %d", i, got.Story, streams[arts[i].ID], err, want.story, want.stream)
		}
	}
}

func testDeleteStoryWithArticlesFails(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	st := &store.Story{Headline: "x"}
	a := &article.Article{}
	batch(t, s, func(tx store.Tx) {
		putStory(t, tx, st)
		a.Story = st.ID
		insert(t, tx, a)
	})
	tx := begin(t, s)
	if err := tx.DeleteStory(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err == nil {
		t.Error("deleted a story that still has articles")
	}
	if _, n, _ := s.Counts(ctx); n != 1 {
		t.Errorf("%d stories, want 1", n)
	}
	// Moved first, in the same batch, it goes.
	other := &store.Story{Headline: "y"}
	batch(t, s, func(tx store.Tx) {
		if err := tx.DeleteStory(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
		putStory(t, tx, other)
		if err := tx.SetArticleStory(ctx, a.ID, other.ID); err != nil {
			t.Fatal(err)
		}
	})
	if sts, _ := s.Stories(ctx); len(sts) != 1 || sts[0].ID != other.ID {
		t.Errorf("stories %+v, want only %d", sts, other.ID)
	}
}

// testEvictedStory: SetEvicted marks articles, SetEvictedStory moves the
// evicted ones of a stream story (or all of them) in the readers' view.
func testEvictedStory(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	one, two, three := &store.Story{Headline: "one"}, &store.Story{Headline: "two"}, &store.Story{Headline: "three"}
	var arts []int64
	batch(t, s, func(tx store.Tx) {
		for _, st := range []*store.Story{one, two, three} {
			putStory(t, tx, st)
		}
		for i := range 4 {
			a := &article.Article{Title: fmt.Sprint(i), Story: one.ID}
			insert(t, tx, a)
			place(t, tx, a.ID, store.Placement{Story: one.ID, Stream: 9})
			arts = append(arts, a.ID)
		}
		other := &article.Article{Title: "other stream"}
		insert(t, tx, other)
		place(t, tx, other.ID, store.Placement{Story: one.ID, Stream: 10, Evicted: true})
		arts = append(arts, other.ID)
		if err := tx.SetEvicted(ctx, []int64{arts[0], arts[1]}); err != nil {
			t.Fatal(err)
		}
		if err := tx.SetEvicted(ctx, nil); err != nil {
			t.Fatal(err)
		}
	})
	stories := func() []int64 {
		var out []int64
		for _, id := range arts {
			a, err := s.Article(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, a.Story)
		}
		return out
	}
	batch(t, s, func(tx store.Tx) {
		if err := tx.SetEvictedStory(ctx, 9, two.ID, false); err != nil {
			t.Fatal(err)
		}
	})
	if got, want := stories(), []int64{two.ID, two.ID, one.ID, one.ID, one.ID}; !slices.Equal(got, want) {
		t.Errorf("after moving the evicted: stories %v, want %v", got, want)
	}
	batch(t, s, func(tx store.Tx) {
		if err := tx.SetEvictedStory(ctx, 9, three.ID, true); err != nil {
			t.Fatal(err)
		}
	})
	if got, want := stories(), []int64{three.ID, three.ID, three.ID, three.ID, one.ID}; !slices.Equal(got, want) {
		t.Errorf("after moving all: stories %v, want %v", got, want)
	}
	var evicted []int64
	if err := s.Replay(ctx, 0, func(a *article.Article, p store.Placement) error {
		if p.Evicted {
			evicted = append(evicted, a.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []int64{arts[0], arts[1], arts[4]}; !slices.Equal(evicted, want) {
		t.Errorf("Replay gives evicted %v, want %v", evicted, want)
	}
}

func testStoryArticles(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	x, y := &store.Story{Headline: "x"}, &store.Story{Headline: "y"}
	var inX []int64
	batch(t, s, func(tx store.Tx) {
		putStory(t, tx, x)
		putStory(t, tx, y)
		for i := range 6 {
			a := &article.Article{Title: fmt.Sprint(i)}
			insert(t, tx, a)
			st := []*store.Story{x, y}[i%2]
			// The readers' view, whatever the stream says.
			place(t, tx, a.ID, store.Placement{Story: st.ID, Stream: y.ID})
			if st == x {
				inX = append(inX, a.ID)
			}
		}
	})
	got := collect(t, func(ctx context.Context, fn func(*article.Article) error) error {
		return s.StoryArticles(ctx, x.ID, fn)
	})
	if !slices.Equal(ids(got), inX) {
		t.Errorf("StoryArticles = %v, want %v in ID order", ids(got), inX)
	}
	for _, a := range got {
		if a.Story != x.ID || a.Title == "" {
			t.Errorf("article %+v", a)
		}
	}
	n := 0
	if err := s.StoryArticles(ctx, x.ID, func(*article.Article) error { n++; return errStop }); err != errStop || n != 1 {
		t.Errorf("StoryArticles stopped by fn: %v after %d", err, n)
	}
}

// testReplay: a restart reads the articles after the last epoch and those
// active stream stories hold, each once, in ID order, with placements; and
// the tallies of the evicted ones.
func testReplay(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC) }
	vis := &store.Story{Headline: "seen"}
	var arts []int64
	batch(t, s, func(tx store.Tx) {
		putStory(t, tx, vis)
		for _, st := range []store.StreamStory{{ID: 7, First: day(1), Last: day(3), Changed: true, Active: true},
			{ID: 8, First: day(1), Last: day(1)}, {ID: 9, Last: day(4), Restamped: true, Active: true}} {
			if err := tx.PutStreamStory(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		for i, p := range []store.Placement{
			{Stream: 7, At: day(1), Evicted: true}, // 1: evicted
			{Stream: 8, At: day(1)},                // 2: closed story
			{Stream: 7, At: day(2)},                // 3: held
			{Stream: 9, At: day(3), Evicted: true}, // 4: evicted, after the epoch
			{Stream: 9, At: day(4)},                // 5: held
			{Stream: 7, At: day(3), Evicted: true}, // 6: evicted
		} {
			a := &article.Article{Title: fmt.Sprint("t", i), Lang: []string{"en", "de"}[i%2], Source: fmt.Sprint("o", i%3)}
			insert(t, tx, a)
			p.Story = vis.ID
			place(t, tx, a.ID, p)
			arts = append(arts, a.ID)
		}
	})
	var got []string
	if err := s.Replay(ctx, arts[2], func(a *article.Article, p store.Placement) error {
		if p.Story != a.Story || !utc(p.At) {
			t.Errorf("placement %+v of article %+v", p, a)
		}
		got = append(got, fmt.Sprintf("%d:%d:%s:%v", a.ID-arts[0]+1, p.Stream, p.At.Format("02"), p.Evicted))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"3:7:02:false", "4:9:03:true", "5:9:04:false", "6:7:03:true"}
	if !slices.Equal(got, want) {
		t.Errorf("Replay = %v, want %v", got, want)
	}
	sts, err := s.StreamStories(ctx)
	wantSts := []store.StreamStory{{ID: 7, First: day(1), Last: day(3), Changed: true, Active: true},
		{ID: 9, Last: day(4), Restamped: true, Active: true}}
	if err != nil || !reflect.DeepEqual(sts, wantSts) {
		t.Errorf("StreamStories = %+v, %v; want %+v", sts, err, wantSts)
	}
	ev, err := s.Evicted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantEv := []store.EvictedTally{
		{Stream: 7, Articles: 2, Outlets: []string{"o0", "o2"}, Langs: []string{"de", "en"},
			Titles: map[string]string{"en": "t0", "de": "t5"}, First: day(1), Story: vis.ID},
		{Stream: 9, Articles: 1, Outlets: []string{"o0"}, Langs: []string{"de"}, Titles: map[string]string{"de": "t3"},
			First: day(3), Story: vis.ID},
	}
	if !reflect.DeepEqual(ev, wantEv) {
		t.Errorf("Evicted =\n%+v\nwant\n%+v", ev, wantEv)
	}
	n := 0
	if err := s.Replay(ctx, 0, func(*article.Article, store.Placement) error { n++; return errStop }); err != errStop || n != 1 {
		t.Errorf("walk stop: err %v after %d", err, n)
	}
	// A stream story closed and put again replaces its state.
	batch(t, s, func(tx store.Tx) {
		if err := tx.PutStreamStory(ctx, store.StreamStory{ID: 9, First: day(2), Last: day(5)}); err != nil {
			t.Fatal(err)
		}
	})
	if sts, _ := s.StreamStories(ctx); len(sts) != 1 || sts[0].ID != 7 {
		t.Errorf("after closing 9: %+v", sts)
	}
	batch(t, s, func(tx store.Tx) {
		if err := tx.PutStreamStory(ctx, store.StreamStory{ID: 9, First: day(2), Last: day(5), Active: true}); err != nil {
			t.Fatal(err)
		}
	})
	if sts, _ := s.StreamStories(ctx); len(sts) != 2 || sts[1] != (store.StreamStory{ID: 9, First: day(2), Last: day(5), Active: true}) {
		t.Errorf("after reopening 9: %+v", sts)
	}
}

// testDigest: a digest is stored until its story is written or deleted.
func testDigest(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	st := &store.Story{Headline: "x"}
	body := []byte(`{"summary":"روته"}`)
	batch(t, s, func(tx store.Tx) {
		putStory(t, tx, st)
		if err := tx.PutDigest(ctx, st.ID, []byte("old")); err != nil {
			t.Fatal(err)
		}
		if err := tx.PutDigest(ctx, st.ID, body); err != nil {
			t.Fatal(err)
		}
	})
	if d, err := s.Digest(ctx, st.ID); string(d) != string(body) || err != nil {
		t.Errorf("Digest = %q, %v", d, err)
	}
	batch(t, s, func(tx store.Tx) { putStory(t, tx, st) })
	if d, err := s.Digest(ctx, st.ID); d != nil || err != nil {
		t.Errorf("Digest after PutStory = %q, %v; want nil", d, err)
	}
	batch(t, s, func(tx store.Tx) {
		if err := tx.PutDigest(ctx, st.ID, body); err != nil {
			t.Fatal(err)
		}
	})
	batch(t, s, func(tx store.Tx) {
		if err := tx.DeleteStory(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
	})
	if d, err := s.Digest(ctx, st.ID); d != nil || err != nil {
		t.Errorf("Digest after DeleteStory = %q, %v; want nil", d, err)
	}
}

func testCorrections(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	var first, second int64
	batch(t, s, func(tx store.Tx) {
		var err error
		if first, err = tx.AddCorrection(ctx, "move", []byte(`{"article":3}`)); err != nil {
			t.Fatal(err)
		}
		if second, err = tx.AddCorrection(ctx, "merge", []byte(`{"a":1,"b":2}`)); err != nil {
			t.Fatal(err)
		}
		if first == 0 || second <= first {
			t.Errorf("correction IDs %d, %d: want increasing", first, second)
		}
		if err := tx.SetUndone(ctx, first); err != nil {
			t.Fatal(err)
		}
	})
	tx := begin(t, s)
	for _, c := range []struct {
		id     int64
		kind   string
		body   string
		undone bool
	}{{first, "move", `{"article":3}`, true}, {second, "merge", `{"a":1,"b":2}`, false}} {
		kind, body, undone, err := tx.Correction(ctx, c.id)
		if kind != c.kind || string(body) != c.body || undone != c.undone || err != nil {
			t.Errorf("Correction(%d) = %q %q %v %v", c.id, kind, body, undone, err)
		}
	}
	if _, _, _, err := tx.Correction(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing correction: %v, want ErrNotFound", err)
	}
}
