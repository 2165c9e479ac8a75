package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
)

// TestStoriesPage: paging by time and by size visits every story once, in
// order, filters apply, and undated stories come last.
func TestStoriesPage(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC) }
	batch(t, s, func(tx Tx) {
		for i := 1; i <= 23; i++ {
			st := &Story{Headline: fmt.Sprint("s", i), Articles: i % 5, FirstSeen: day(i), LastSeen: day(i)}
			if i%7 == 0 {
				st.FirstSeen, st.LastSeen = time.Time{}, time.Time{}
			}
			if err := tx.PutStory(ctx, st); err != nil {
				t.Fatal(err)
			}
			lang, outlet := "en", "Herald"
			if i%3 == 0 {
				lang, outlet = "ar", "AP"
			}
			a := &article.Article{Title: fmt.Sprint("a", i), Lang: lang, Source: outlet, ContentHash: fmt.Sprint(i)}
			insert(t, tx, a)
			if err := tx.Place(ctx, a.ID, Placement{Story: st.ID, Stream: st.ID}); err != nil {
				t.Fatal(err)
			}
		}
	})
	walk := func(q StoryQuery) []Story {
		var all []Story
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
	recent := walk(StoryQuery{Limit: 4})
	if len(recent) != 23 {
		t.Fatalf("%d stories, want 23", len(recent))
	}
	seen := map[int64]bool{}
	for i, st := range recent {
		if seen[st.ID] {
			t.Errorf("story %d twice", st.ID)
		}
		seen[st.ID] = true
		if i > 0 && !recent[i-1].LastSeen.IsZero() && !st.LastSeen.IsZero() && st.LastSeen.After(recent[i-1].LastSeen) {
			t.Errorf("out of order at %d", i)
		}
		if i > 0 && recent[i-1].LastSeen.IsZero() && !st.LastSeen.IsZero() {
			t.Errorf("a dated story after an undated one at %d", i)
		}
	}
	big := walk(StoryQuery{Limit: 5, Biggest: true})
	for i := 1; i < len(big); i++ {
		if big[i].Articles > big[i-1].Articles {
			t.Errorf("biggest: out of order at %d", i)
		}
	}
	if len(big) != 23 {
		t.Errorf("biggest: %d stories", len(big))
	}
	if ar := walk(StoryQuery{Limit: 3, Lang: "ar"}); len(ar) != 7 {
		t.Errorf("lang ar: %d stories, want 7", len(ar))
	}
	if ap := walk(StoryQuery{Limit: 50, Outlet: "AP", After: day(10)}); len(ap) != 3 {
		t.Errorf("AP after the 10th: %d stories, want 3 (12, 15, 18; 21 is undated)", len(ap))
	}
	if _, _, err := s.StoriesPage(ctx, StoryQuery{Cursor: "!!"}); err == nil {
		t.Error("a bad cursor is accepted")
	}
}
