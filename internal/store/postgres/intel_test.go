package postgres

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
)

// TestPutIntelRows: PutIntel's one statement a table keeps what one
// statement a row did: the last mention or figure at a place wins, quotes
// take the next IDs in their order, text PostgreSQL cannot hold is made
// storable, and a second call replaces the first.
func TestPutIntelRows(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	in := store.Intel{
		Mentions: []store.Mention{
			{Field: 1, Start: 4, End: 9, Text: "Rutte", Type: "person", Entity: 2},
			{Field: 0, Start: 4, End: 9, Text: "Rutte", Type: "person"},
			{Field: 1, Start: 4, End: 13, Text: "Rutte's\x00", Type: "person", Title: "chief"},
		},
		Quotes: []store.Quote{
			{Start: 90, End: 99, Text: "first", SpeakerEntity: 2, Confidence: 0.5},
			{Start: 10, End: 19, Text: "second", Speaker: "Rutte", Via: "said"},
			{Start: 50, End: 59, Text: "third\xff"},
		},
		Figures: []store.Figure{
			{Start: 50, End: 52, Text: "12", Value: 12, Counts: "people"},
			{Start: 70, End: 80, Text: "2.5 million", Value: 2.5e6, Unit: "euro", Approx: true, Rounding: 5e5},
			{Start: 50, End: 53, Text: "120", Value: 120, Counts: "people", Year: "2025"},
		},
	}
	var x, y int64
	batch(t, s, func(tx store.Tx) {
		for _, id := range []*int64{&x, &y} {
			a := &article.Article{Title: "t"}
			if err := tx.InsertArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			*id = a.ID
		}
		if err := tx.PutIntel(ctx, x, in); err != nil {
			t.Fatal(err)
		}
		if err := tx.PutIntel(ctx, y, store.Intel{Quotes: in.Quotes[:1]}); err != nil {
			t.Fatal(err)
		}
	})
	got, err := s.Intel(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	m := in.Mentions[2]
	m.Text = "Rutte's\uFFFD"
	if want := []store.Mention{in.Mentions[1], m}; !reflect.DeepEqual(got.Mentions, want) {
		t.Errorf("mentions\n%+v\nwant\n%+v", got.Mentions, want)
	}
	f0, f1 := in.Figures[2], in.Figures[1]
	f0.Article, f1.Article = x, x
	if want := []store.Figure{f0, f1}; !reflect.DeepEqual(got.Figures, want) {
		t.Errorf("figures\n%+v\nwant\n%+v", got.Figures, want)
	}
	// Read by offset: second, third, first; IDs in the order given.
	if len(got.Quotes) != 3 {
		t.Fatalf("quotes %+v", got.Quotes)
	}
	q1, q2, q0 := got.Quotes[0], got.Quotes[1], got.Quotes[2]
	if q0.ID != 1 || q1.ID != 2 || q2.ID != 3 {
		t.Errorf("quote IDs %d %d %d, want 1 2 3", q0.ID, q1.ID, q2.ID)
	}
	want := in.Quotes[0]
	want.ID, want.Article = q0.ID, x
	if q0 != want || q1.Speaker != "Rutte" || q1.Via != "said" || q2.Text != "third\uFFFD" {
		t.Errorf("quotes %+v", got.Quotes)
	}
	if other, _ := s.Intel(ctx, y); len(other.Quotes) != 1 || other.Quotes[0].ID != 4 {
		t.Errorf("the other article's quotes %+v, want one of ID 4", other.Quotes)
	}

	batch(t, s, func(tx store.Tx) {
		if err := tx.PutIntel(ctx, x, store.Intel{}); err != nil {
			t.Fatal(err)
		}
	})
	if got, _ := s.Intel(ctx, x); got.Mentions != nil || got.Quotes != nil || got.Figures != nil {
		t.Errorf("after replacing with nothing: %+v", got)
	}
	if other, _ := s.Intel(ctx, y); len(other.Quotes) != 1 {
		t.Errorf("the other article's quotes %+v after replacing the first's", other.Quotes)
	}
}

// TestQueuedWrites: a write queued for the next round trip is seen by the
// statements after it, and when it fails, the call that sent it fails
// naming it, or Commit does.
func TestQueuedWrites(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	bad := store.Intel{Mentions: []store.Mention{{Start: 1 << 40, Text: "x", Type: "place"}}}
	var id int64
	batch(t, s, func(tx store.Tx) {
		a := &article.Article{Title: "t", ContentHash: "h"}
		if err := tx.InsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		id = a.ID
		if err := tx.PutIntel(ctx, id, store.Intel{Mentions: []store.Mention{{Text: "Oslo", Type: "place"}}}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.(*pgTx).queryRow(ctx, "SELECT count(*) FROM mention WHERE article = $1", id).Scan(&n); err != nil || n != 1 {
			t.Errorf("mentions after PutIntel: %d, %v; want 1", n, err)
		}
	})

	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.PutIntel(ctx, id, bad); err != nil {
		t.Fatalf("queued: %v", err)
	}
	if _, _, err := tx.ArticleByHash(ctx, "h"); err == nil || !strings.Contains(err.Error(), "intel of article") {
		t.Errorf("the call after a failing write: %v, want its error", err)
	}
	tx.Rollback()

	tx, err = s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.PutIntel(ctx, id, bad); err != nil {
		t.Fatalf("queued: %v", err)
	}
	if err := tx.Commit(); err == nil || !strings.Contains(err.Error(), "intel of article") {
		t.Errorf("Commit after a failing write: %v, want its error", err)
	}
	// Neither failed batch wrote anything, and the store is usable.
	if got, err := s.Intel(ctx, id); err != nil || len(got.Mentions) != 1 || got.Mentions[0].Text != "Oslo" {
		t.Errorf("intel %+v, %v; want the first batch's", got, err)
	}
	batch(t, s, func(tx store.Tx) {
		if err := tx.PutIntel(ctx, id, store.Intel{}); err != nil {
			t.Fatal(err)
		}
	})
	if got, _ := s.Intel(ctx, id); got.Mentions != nil {
		t.Errorf("intel %+v after replacing with nothing", got)
	}
}
