package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
)

// Browser is a store with the listings the web UI and API page through
// (store.SQLite's, in store/browse.go).
type Browser interface {
	store.Store
	StoriesPage(ctx context.Context, q store.StoryQuery) ([]store.Story, string, error)
	EntityStories(ctx context.Context, entityID int64, limit int) ([]store.Story, error)
	SpeakerQuotes(ctx context.Context, entityID int64, limit int) ([]store.Quote, error)
	OutletLangs(ctx context.Context, outlet string) ([]string, int, error)
	LastStored(ctx context.Context) (time.Time, error)
}

// RunBrowse runs the suite of the listings against stores open returns:
// new, empty, open for writing, closed when t ends.
func RunBrowse(t *testing.T, open func(t *testing.T) Browser) {
	t.Run("StoriesPage", func(t *testing.T) { testStoriesPage(t, open(t)) })
	t.Run("EntityListings", func(t *testing.T) { testEntityListings(t, open(t)) })
	t.Run("Outlets", func(t *testing.T) { testOutlets(t, open(t)) })
}

// testStoriesPage: paging by time and by size visits every story once, in
// order, filters apply, and undated stories come last.
func testStoriesPage(t *testing.T, s Browser) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC) }
	batch(t, s, func(tx store.Tx) {
		for i := 1; i <= 23; i++ {
			st := &store.Story{Headline: fmt.Sprint("s", i), Articles: i % 5, FirstSeen: day(i), LastSeen: day(i)}
			if i%7 == 0 {
				st.FirstSeen, st.LastSeen = time.Time{}, time.Time{}
			}
			putStory(t, tx, st)
			lang, outlet := "en", "Herald"
			if i%3 == 0 {
				lang, outlet = "ar", "AP"
			}
			a := &article.Article{Title: fmt.Sprint("a", i), Lang: lang, Source: outlet, ContentHash: fmt.Sprint(i)}
			insert(t, tx, a)
			place(t, tx, a.ID, store.Placement{Story: st.ID, Stream: st.ID})
		}
	})
	walk := func(q store.StoryQuery) []store.Story {
		var all []store.Story
		for pages := 0; ; pages++ {
			page, next, err := s.StoriesPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if next == "" {
				return all
			}
			if pages > 30 {
				t.Fatal("paging does not end")
			}
			q.Cursor = next
		}
	}
	recent := walk(store.StoryQuery{Limit: 4})
	if len(recent) != 23 {
		t.Fatalf("%d stories, want 23", len(recent))
	}
	seen := map[int64]bool{}
	var order []int64
	for i, st := range recent {
		if seen[st.ID] {
			t.Errorf("story %d twice", st.ID)
		}
		seen[st.ID] = true
		order = append(order, st.ID)
		if i > 0 && !recent[i-1].LastSeen.IsZero() && !st.LastSeen.IsZero() && st.LastSeen.After(recent[i-1].LastSeen) {
			t.Errorf("out of order at %d", i)
		}
		if i > 0 && recent[i-1].LastSeen.IsZero() && !st.LastSeen.IsZero() {
			t.Errorf("a dated story after an undated one at %d", i)
		}
	}
	// One page holding them all is in the same order: undated last, ties by ID down.
	if all, next, err := s.StoriesPage(ctx, store.StoryQuery{Limit: 100}); err != nil || next != "" || len(all) != 23 {
		t.Errorf("one page: %d stories, next %q, %v", len(all), next, err)
	} else {
		var one []int64
		for _, st := range all {
			one = append(one, st.ID)
		}
		if !slices.Equal(one, order) {
			t.Errorf("one page %v, paged %v", one, order)
		}
		if want := []int64{21, 14, 7}; !slices.Equal(one[20:], want) {
			t.Errorf("undated last: %v, want %v", one[20:], want)
		}
	}
	big := walk(store.StoryQuery{Limit: 5, Biggest: true})
	for i := 1; i < len(big); i++ {
		if big[i].Articles > big[i-1].Articles || big[i].Articles == big[i-1].Articles && big[i].ID > big[i-1].ID {
			t.Errorf("biggest: out of order at %d", i)
		}
	}
	if len(big) != 23 {
		t.Errorf("biggest: %d stories", len(big))
	}
	if ar := walk(store.StoryQuery{Limit: 3, Lang: "ar"}); len(ar) != 7 {
		t.Errorf("lang ar: %d stories, want 7", len(ar))
	}
	if ap := walk(store.StoryQuery{Limit: 50, Outlet: "AP", After: day(10)}); len(ap) != 3 {
		t.Errorf("AP after the 10th: %d stories, want 3 (12, 15, 18; 21 is undated)", len(ap))
	}
	if early := walk(store.StoryQuery{Limit: 2, Before: day(4)}); len(early) != 3 {
		t.Errorf("before the 4th: %d stories, want 3", len(early))
	}
	if _, _, err := s.StoriesPage(ctx, store.StoryQuery{Cursor: "!!"}); err == nil {
		t.Error("a bad cursor is accepted")
	}
}

// testEntityListings: the stories readers see that name an entity, most
// recent first, and the quotes it said, latest article first.
func testEntityListings(t *testing.T, s Browser) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC) }
	var sts []*store.Story
	batch(t, s, func(tx store.Tx) {
		for i := range 4 {
			st := &store.Story{Headline: fmt.Sprint("s", i), LastSeen: day(i + 1)}
			if i == 2 {
				st.LastSeen = time.Time{}
			}
			putStory(t, tx, st)
			sts = append(sts, st)
			for j := range 2 {
				a := &article.Article{Title: fmt.Sprint(i, j), Story: st.ID}
				insert(t, tx, a)
				in := store.Intel{
					Mentions: []store.Mention{{Text: "Rutte", Type: "person", Entity: 5}},
					Quotes: []store.Quote{{Start: 10, End: 20, Text: fmt.Sprintf("q%d%d", i, j), SpeakerEntity: 5},
						{Start: 0, End: 5, Text: "other", SpeakerEntity: 6}},
				}
				if i == 3 {
					in = store.Intel{} // names nobody
				}
				if err := tx.PutIntel(ctx, a.ID, in); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
	got, err := s.EntityStories(ctx, 5, 10)
	if err != nil {
		t.Fatal(err)
	}
	var heads []string
	for _, st := range got {
		heads = append(heads, st.Headline)
	}
	if want := []string{"s1", "s0", "s2"}; !slices.Equal(heads, want) {
		t.Errorf("EntityStories = %v, want %v (most recent first, undated last, each once)", heads, want)
	}
	if got, _ := s.EntityStories(ctx, 5, 1); len(got) != 1 {
		t.Errorf("limit 1: %d stories", len(got))
	}
	qs, err := s.SpeakerQuotes(ctx, 5, 4)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, q := range qs {
		texts = append(texts, q.Text)
		if q.SpeakerEntity != 5 || q.ID == 0 || q.Article == 0 {
			t.Errorf("quote %+v", q)
		}
	}
	if want := []string{"q21", "q20", "q11", "q10"}; !slices.Equal(texts, want) {
		t.Errorf("SpeakerQuotes = %v, want %v", texts, want)
	}
	if qs, err := s.SpeakerQuotes(ctx, 99, 10); qs != nil || err != nil {
		t.Errorf("an entity that said nothing: %v, %v", qs, err)
	}
}

// testOutlets: an outlet's languages and article count; when the latest
// article was stored.
func testOutlets(t *testing.T, s Browser) {
	ctx := context.Background()
	if last, err := s.LastStored(ctx); !last.IsZero() || err != nil {
		t.Errorf("LastStored of an empty store = %v, %v", last, err)
	}
	before := time.Now()
	batch(t, s, func(tx store.Tx) {
		for i, l := range []string{"en", "ar", "en", "", "de"} {
			src := "AP"
			if i == 4 {
				src = "dpa"
			}
			insert(t, tx, &article.Article{Title: fmt.Sprint(i), Lang: l, Source: src})
		}
	})
	if langs, n, err := s.OutletLangs(ctx, "AP"); !slices.Equal(langs, []string{"ar", "en"}) || n != 4 || err != nil {
		t.Errorf("OutletLangs(AP) = %v, %d, %v; want [ar en], 4", langs, n, err)
	}
	if langs, n, err := s.OutletLangs(ctx, "nobody"); langs != nil || n != 0 || err != nil {
		t.Errorf("OutletLangs(nobody) = %v, %d, %v", langs, n, err)
	}
	last, err := s.LastStored(ctx)
	if err != nil || last.Before(before.Add(-time.Second)) || last.After(time.Now().Add(time.Second)) || !utc(last) {
		t.Errorf("LastStored = %v, %v; want about now, in UTC", last, err)
	}
}
