package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
)

func openTest(t testing.TB) (*SQLite, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// batch runs fn in one transaction and commits it.
func batch(t testing.TB, s Store, fn func(tx Tx)) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	fn(tx)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func insert(t testing.TB, tx Tx, a *article.Article) {
	t.Helper()
	if err := tx.InsertArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func collect(t testing.TB, walk func(context.Context, func(*article.Article) error) error) []*article.Article {
	t.Helper()
	var out []*article.Article
	if err := walk(context.Background(), func(a *article.Article) error {
		out = append(out, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameArticle compares every field, times by instant.
func sameArticle(t *testing.T, got, want *article.Article) {
	t.Helper()
	g, w := *got, *want
	if !g.Published.Equal(w.Published) || !g.Fetched.Equal(w.Fetched) {
		t.Errorf("article %d times: got %v/%v, want %v/%v", w.ID, g.Published, g.Fetched, w.Published, w.Fetched)
	}
	g.Published, g.Fetched, w.Published, w.Fetched = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if len(w.MinHash) == 0 {
		w.MinHash = nil
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("article %d round trip:\n got %+v\nwant %+v", w.ID, g, w)
	}
}

func TestArticleRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	tokyo := time.FixedZone("JST", 9*3600)
	sig := dedup.Signature("NATO chief Rutte visits Tokyo for talks with Ishiba")
	st := &Story{Headline: "Rutte in Tokyo"}
	main := &article.Article{
		ExternalID: "ecb-1_2", Input: "seeds/001.txt#3", URL: "https://example.org/a?b=1&c=ü",
		Source: "Kyodo", Lang: "en", Title: "Rutte in Tokyo", Text: "TOKYO (Kyodo) -- NATO chief\nRutte…",
		Author: "Staff", Dateline: "TOKYO",
		Published:   time.Date(2025, 4, 9, 10, 30, 15, 123456789, tokyo),
		Fetched:     time.Date(2025, 4, 9, 2, 0, 0, 0, time.UTC),
		ContentHash: dedup.Hash("TOKYO (Kyodo) -- NATO chief Rutte"), MinHash: sig,
	}
	tests := []struct {
		name string
		a    *article.Article
		link func(a *article.Article) // fills references once main is stored
	}{
		{"every field", main, func(a *article.Article) { a.Story = st.ID }},
		{"zero values", &article.Article{}, nil},
		{"related of main", &article.Article{Title: "Rice prices", Text: "Rice prices rose.", Related: true, Lang: "en"},
			func(a *article.Article) { a.RelatedOf = main.ID }},
		{"duplicate of main", &article.Article{Text: "copy", ContentHash: main.ContentHash, MinHash: sig, Lang: "ar",
			Title: "روته في طوكيو"}, func(a *article.Article) { a.DuplicateOf = main.ID; a.Story = st.ID }},
		{"hostile text", &article.Article{Title: "\x00nul", Text: "a\x00b\xff\xfe 😀", URL: "'; DROP TABLE article; --"}, nil},
		{"explicit id", &article.Article{ID: 1000, Title: "imported", MinHash: []uint64{}}, nil},
		{"year bounds", &article.Article{Published: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
			Fetched: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)}, nil},
	}
	batch(t, s, func(tx Tx) {
		if err := tx.PutStory(ctx, st); err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			if tt.link != nil {
				tt.link(tt.a)
			}
			insert(t, tx, tt.a)
			if tt.a.ID == 0 {
				t.Fatalf("%s: ID not set", tt.name)
			}
		}
	})
	if tests[5].a.ID != 1000 {
		t.Errorf("explicit ID became %d", tests[5].a.ID)
	}
	all := collect(t, s.Articles)
	if len(all) != len(tests) {
		t.Fatalf("Articles returned %d, want %d", len(all), len(tests))
	}
	if !slices.IsSortedFunc(all, func(a, b *article.Article) int { return int(a.ID - b.ID) }) {
		t.Error("Articles not in ID order")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Article(ctx, tt.a.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameArticle(t, got, tt.a)
			if !got.Published.IsZero() && got.Published.Location() != time.UTC {
				t.Errorf("time in %v, want UTC", got.Published.Location())
			}
		})
	}
	if _, err := s.Article(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing article: err = %v, want ErrNotFound", err)
	}
}

func TestInsertRejects(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	tests := []struct {
		name string
		a    *article.Article
		is   error
	}{
		{"nil", nil, nil},
		{"year 10000", &article.Article{Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, nil},
		{"negative year", &article.Article{Fetched: time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)}, nil},
	}
	for _, tt := range tests {
		if err := tx.InsertArticle(ctx, tt.a); err == nil {
			t.Errorf("%s: inserted", tt.name)
		}
	}
	insert(t, tx, &article.Article{ContentHash: "h1"})
	if err := tx.InsertArticle(ctx, &article.Article{ContentHash: "h1"}); !errors.Is(err, ErrDuplicateHash) {
		t.Errorf("second original with one hash: err = %v, want ErrDuplicateHash", err)
	}
	// The failed statement must not spoil the batch.
	insert(t, tx, &article.Article{ContentHash: "h2"})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := s.Counts(ctx); n != 2 {
		t.Errorf("%d articles stored, want 2", n)
	}
}

func TestArticleByHash(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	orig := &article.Article{Text: "x", ContentHash: "abc"}
	onlyCopy := &article.Article{ContentHash: "onlycopy", DuplicateOf: 1}
	batch(t, s, func(tx Tx) {
		insert(t, tx, orig)
		insert(t, tx, &article.Article{ContentHash: "abc", DuplicateOf: orig.ID})
		insert(t, tx, onlyCopy)
	})
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	fresh := &article.Article{ContentHash: "new"}
	insert(t, tx, fresh)
	tests := []struct {
		hash  string
		id    int64
		found bool
	}{
		{"abc", orig.ID, true},
		{"new", fresh.ID, true},         // written earlier in the same batch
		{"onlycopy", onlyCopy.ID, true}, // a copy counts: the item is stored
		{"missing", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		id, found, err := tx.ArticleByHash(ctx, tt.hash)
		if err != nil || id != tt.id || found != tt.found {
			t.Errorf("ArticleByHash(%q) = %d, %v, %v; want %d, %v", tt.hash, id, found, err, tt.id, tt.found)
		}
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for round := 1; round <= 3; round++ {
		s, err := Open(ctx, dir)
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
			t.Errorf("open %d: schema version %d, %v; want %d", round, v, err, len(migrations))
		}
		if n, _, err := s.Counts(ctx); err != nil || n != int64(round-1) {
			t.Errorf("open %d: %d articles, %v; want %d", round, n, err, round-1)
		}
		batch(t, s, func(tx Tx) { insert(t, tx, &article.Article{Title: fmt.Sprint("round ", round)}) })
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("UPDATE schema_version SET version = ?", len(migrations)+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(ctx, dir); err == nil {
		s.Close()
		t.Fatal("opened a database from a newer program")
	}
}

func TestFailedBatchesKeepEarlier(t *testing.T) {
	ctx := context.Background()
	s, dir := openTest(t)
	batch(t, s, func(tx Tx) {
		insert(t, tx, &article.Article{Title: "kept 1", ContentHash: "k1", MinHash: dedup.Signature("kept one")})
		insert(t, tx, &article.Article{Title: "kept 2"})
	})

	// Rolled back.
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, tx, &article.Article{Title: "lost", ContentHash: "l1", MinHash: dedup.Signature("lost one")})
	if err := tx.PutStory(ctx, &Story{ID: 7}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	// Fails at commit: the article names a story that does not exist.
	tx, err = s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, tx, &article.Article{Title: "dangling", Story: 424242})
	if err := tx.Commit(); err == nil {
		t.Fatal("commit of a dangling story reference succeeded")
	}

	// Cancelled mid-batch.
	cctx, cancel := context.WithCancel(ctx)
	tx, err = s.Begin(cctx)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, tx, &article.Article{Title: "cancelled"})
	cancel()
	if err := tx.Commit(); err == nil {
		t.Error("commit after cancel succeeded")
	}

	check := func(s *SQLite) {
		t.Helper()
		var titles []string
		for _, a := range collect(t, s.Articles) {
			titles = append(titles, a.Title)
		}
		if want := []string{"kept 1", "kept 2"}; !slices.Equal(titles, want) {
			t.Errorf("articles %q, want %q", titles, want)
		}
		if _, n, _ := s.Counts(ctx); n != 0 {
			t.Errorf("%d stories survive a rollback", n)
		}
	}
	check(s)
	// The store still takes batches, and the lost hash is free again.
	batch(t, s, func(tx Tx) {
		insert(t, tx, &article.Article{Title: "later", ContentHash: "l1"})
		if c, _ := tx.NearDuplicates(ctx, dedup.Bands(dedup.Signature("lost one"))); len(c) != 0 {
			t.Errorf("rolled-back bands still found: %v", c)
		}
	})
	s.Close()
	s2, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, _, _ := s2.Counts(ctx); n != 3 {
		t.Errorf("reopened store has %d articles, want 3", n)
	}
}

// sigSharing returns a signature that agrees with sig on exactly the given
// bands; signatures made with different salts share no other band.
func sigSharing(sig []uint64, salt uint64, bands ...int) []uint64 {
	out := make([]uint64, len(sig))
	for i := range out {
		out[i] = sig[i] ^ (salt*0x9e3779b97f4a7c15 | 1)
	}
	for _, b := range bands {
		copy(out[b*dedup.BandRows:], sig[b*dedup.BandRows:(b+1)*dedup.BandRows])
	}
	return out
}

func TestNearDuplicates(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	text := strings.Repeat("Four men rammed their car into a jewellery store in central Paris on Monday. ", 3) +
		"The police source said the robbers set the car ablaze before fleeing with watches worth two million euros."
	sig := dedup.Signature(text)
	st := &Story{Headline: "Paris heist"}
	orig := &article.Article{Title: "original", Text: text, MinHash: sig}
	oneBand := &article.Article{Title: "one band", MinHash: sigSharing(sig, 1, 17)}
	unrelated := &article.Article{Title: "unrelated", MinHash: dedup.Signature("Rice prices in Japan rose again this week.")}
	batch(t, s, func(tx Tx) {
		if err := tx.PutStory(ctx, st); err != nil {
			t.Fatal(err)
		}
		orig.Story = st.ID
		insert(t, tx, orig)
		insert(t, tx, &article.Article{Title: "copy", MinHash: sig, DuplicateOf: orig.ID, Story: st.ID})
		insert(t, tx, oneBand)
		insert(t, tx, unrelated)
		insert(t, tx, &article.Article{Title: "no signature"})
	})
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	sameBatch := &article.Article{Title: "same batch", MinHash: sigSharing(sig, 2, 0, 1)}
	insert(t, tx, sameBatch)

	tests := []struct {
		name  string
		bands []uint64
		want  []int64 // most shared bands first
	}{
		{"copy with a footer", dedup.Bands(dedup.Signature(text + " Copyright Wire.")), nil},
		{"exact signature", dedup.Bands(sig), []int64{orig.ID, sameBatch.ID, oneBand.ID}},
		{"band 17 only", dedup.Bands(sigSharing(sig, 3, 17)), []int64{orig.ID, oneBand.ID}}, // one band each: by ID
		{"nothing shared", dedup.Bands(sigSharing(sig, 4)), nil},
		{"no bands", nil, nil},
		{"odd keys", []uint64{1, 1 << 63, ^uint64(0)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands, err := tx.NearDuplicates(ctx, tt.bands)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, c := range cands {
				ids = append(ids, c.ID)
				if c.ID == orig.ID && (c.Story != st.ID || !slices.Equal(c.MinHash, sig)) {
					t.Errorf("candidate %+v lacks story %d or signature", c, st.ID)
				}
			}
			if tt.name == "copy with a footer" {
				// Which bands survive the footer is chance; the original must be there.
				if !slices.Contains(ids, orig.ID) {
					t.Errorf("copy found %v, want %d among them", ids, orig.ID)
				}
				return
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("candidates %v, want %v", ids, tt.want)
			}
		})
	}
	if _, err := tx.NearDuplicates(ctx, make([]uint64, maxBandKeys+1)); err == nil {
		t.Error("oversized key list accepted")
	}
}

func TestNearDuplicatesBounded(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	sig := dedup.Signature("a text that many stored articles share one band with")
	batch(t, s, func(tx Tx) {
		for i := range MaxCandidates + 20 {
			insert(t, tx, &article.Article{Title: fmt.Sprint(i), MinHash: sigSharing(sig, uint64(i+1), i%dedup.NumBands)})
		}
	})
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	cands, err := tx.NearDuplicates(ctx, dedup.Bands(sig))
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != MaxCandidates {
		t.Errorf("%d candidates, want the cap %d", len(cands), MaxCandidates)
	}
}

func TestSearch(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	var rutte, heist, cafe *article.Article
	batch(t, s, func(tx Tx) {
		rutte = &article.Article{Title: "Rutte meets Ishiba", Text: "The NATO chief met the prime minister in Tokyo."}
		heist = &article.Article{Title: "Jewellery heist", Text: "Robbers hit a store; NATO was not involved. Tokyo police unrelated."}
		cafe = &article.Article{Title: "Café culture", Text: "Les cafés de São Paulo."}
		for _, a := range []*article.Article{rutte, heist, cafe} {
			insert(t, tx, a)
		}
		st, ok := tx.(StemmedSetter)
		if !ok {
			t.Fatal("SQLite Tx has no SetStemmed")
		}
		if err := st.SetStemmed(ctx, heist.ID, "robber hit store jewel"); err != nil {
			t.Fatal(err)
		}
		if err := st.SetStemmed(ctx, 987654, "x"); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetStemmed on a missing article: %v", err)
		}
	})
	tests := []struct {
		query string
		want  []int64
	}{
		{"tokyo", []int64{rutte.ID, heist.ID}},
		{"rutte", []int64{rutte.ID}},
		{"title:heist", []int64{heist.ID}},
		{"stemmed:jewel", []int64{heist.ID}},
		{"robber", []int64{heist.ID}}, // only in stemmed
		{"cafe AND sao", []int64{cafe.ID}},
		{"nato NOT rutte", []int64{heist.ID}},
		{`"prime minister"`, []int64{rutte.ID}},
		{"absent", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got, err := s.Search(ctx, tt.query, 10)
		if err != nil {
			t.Errorf("Search(%q): %v", tt.query, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
	// Title matches rank first: "tokyo" is in both texts, but "ishiba" weighs
	// the title; check with a term in one title and another text.
	batch(t, s, func(tx Tx) {
		insert(t, tx, &article.Article{Title: "Other", Text: "Ishiba spoke."})
	})
	if got, _ := s.Search(ctx, "ishiba", 10); len(got) != 2 || got[0] != rutte.ID {
		t.Errorf("Search(ishiba) = %v, want title match %d first", got, rutte.ID)
	}
	if got, _ := s.Search(ctx, "tokyo", 1); len(got) != 1 {
		t.Errorf("limit 1 gave %d", len(got))
	}
	for _, bad := range []string{`"unbalanced`, "AND", "title:", "nosuchcol:x", "(", "*"} {
		if _, err := s.Search(ctx, bad, 10); err == nil {
			t.Errorf("Search(%q): no error", bad)
		}
	}
}

func TestStoriesAndEvents(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2025, 4, 8, 0, 0, 0, 0, time.UTC)
	a := &Story{Headline: "Rutte in Tokyo", Titles: map[string]string{"en": "Rutte in Tokyo", "ar": "روته في طوكيو"},
		FirstSeen: t0, LastSeen: t0.Add(48 * time.Hour), Articles: 5, Langs: []string{"en", "ar"},
		Outlets: []string{"Kyodo", "AP"}, TopTerms: []string{"rutte", "nato", "tokyo"}}
	b := &Story{Headline: "Rutte visits Japan", FirstSeen: t0, LastSeen: t0.Add(time.Hour), Articles: 1}
	c := &Story{ID: 50, Headline: "Rice prices", LastSeen: t0.Add(24 * time.Hour)}
	art := &article.Article{Title: "in b"}
	batch(t, s, func(tx Tx) {
		for _, st := range []*Story{a, b, c} {
			if err := tx.PutStory(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		art.Story = b.ID
		insert(t, tx, art)
	})
	if a.ID == 0 || b.ID == 0 || a.ID == b.ID || c.ID != 50 {
		t.Fatalf("story IDs %d %d %d", a.ID, b.ID, c.ID)
	}
	got, err := s.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Story{*a, *c, *b}; !reflect.DeepEqual(got, want) {
		t.Errorf("Stories:\n got %+v\nwant %+v", got, want)
	}

	// Merge b into a: move its article, delete it, record the event.
	at := t0.Add(50 * time.Hour)
	batch(t, s, func(tx Tx) {
		if err := tx.SetArticleStory(ctx, art.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := tx.DeleteStory(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		a.Articles++
		if err := tx.PutStory(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := tx.AddStoryEvent(ctx, StoryEvent{Kind: EventMerge, Story: a.ID, Other: b.ID, At: at, Detail: "similarity 0.61"}); err != nil {
			t.Fatal(err)
		}
		if err := tx.AddStoryEvent(ctx, StoryEvent{Kind: EventSplit, Story: a.ID, Other: c.ID, At: at.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if err := tx.AddStoryEvent(ctx, StoryEvent{Kind: "explode", Story: a.ID}); err == nil {
			t.Error("unknown event kind accepted")
		}
		if err := tx.SetArticleStory(ctx, 99999, a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetArticleStory of a missing article: %v", err)
		}
	})
	if got, _ := s.Article(ctx, art.ID); got.Story != a.ID {
		t.Errorf("article story %d, want %d", got.Story, a.ID)
	}
	if got, _ := s.Stories(ctx); len(got) != 2 || got[0].Articles != 6 {
		t.Errorf("after merge: %+v", got)
	}
	tests := []struct {
		story int64
		kinds []string
	}{
		{a.ID, []string{EventMerge, EventSplit}},
		{b.ID, []string{EventMerge}},
		{c.ID, []string{EventSplit}},
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
	evs, _ := s.StoryEvents(ctx, b.ID)
	if len(evs) == 1 {
		if e := evs[0]; e.ID == 0 || e.Story != a.ID || e.Other != b.ID || !e.At.Equal(at) || e.Detail != "similarity 0.61" {
			t.Errorf("event round trip: %+v", e)
		}
	}
	// The highest ID stays taken after its story is deleted.
	batch(t, s, func(tx Tx) {
		if err := tx.AddStoryEvent(ctx, StoryEvent{Kind: EventMerge, Story: a.ID, Other: c.ID, At: at}); err != nil {
			t.Fatal(err)
		}
		if err := tx.DeleteStory(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	})
	if max, err := s.MaxStoryID(ctx); err != nil || max != 50 {
		t.Errorf("MaxStoryID = %d, %v; want 50", max, err)
	}
	batch(t, s, func(tx Tx) {
		d := &Story{Headline: "new"}
		if err := tx.PutStory(ctx, d); err != nil {
			t.Fatal(err)
		}
		if d.ID <= 50 {
			t.Errorf("new story reuses ID %d", d.ID)
		}
	})
}

func TestMoveStream(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	from, to, other := &Story{Headline: "from"}, &Story{Headline: "to"}, &Story{Headline: "other"}
	var arts []*article.Article
	batch(t, s, func(tx Tx) {
		for _, st := range []*Story{from, to, other} {
			if err := tx.PutStory(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		// Stream stories share the readers' IDs here; the third article
		// of from is seen elsewhere by readers.
		for i, p := range []Placement{{Story: from.ID, Stream: from.ID}, {Story: from.ID, Stream: from.ID, Evicted: true},
			{Story: other.ID, Stream: from.ID}, {Story: to.ID, Stream: to.ID}, {Story: other.ID, Stream: other.ID}} {
			a := &article.Article{Title: fmt.Sprint("a", i)}
			insert(t, tx, a)
			if err := tx.Place(ctx, a.ID, p); err != nil {
				t.Fatal(err)
			}
			arts = append(arts, a)
		}
	})
	batch(t, s, func(tx Tx) {
		if err := tx.MoveStream(ctx, from.ID, to.ID, to.ID); err != nil {
			t.Fatal(err)
		}
	})
	streams := map[int64]int64{}
	if err := s.Replay(ctx, 0, func(a *article.Article, p Placement) error {
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

func TestDeleteStoryWithArticlesFails(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	st := &Story{Headline: "x"}
	batch(t, s, func(tx Tx) {
		if err := tx.PutStory(ctx, st); err != nil {
			t.Fatal(err)
		}
		insert(t, tx, &article.Article{Story: st.ID})
	})
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.DeleteStory(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err == nil {
		t.Error("deleted a story that still has articles")
	}
	if _, n, _ := s.Counts(ctx); n != 1 {
		t.Errorf("%d stories, want 1", n)
	}
}

func TestValidators(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	const u = "https://example.org/feed.xml"
	steps := []struct {
		etag, lm string
	}{
		{`W/"abc"`, "Wed, 09 Apr 2025 10:00:00 GMT"},
		{`"def"`, ""},
		{"", ""},
	}
	if e, l, err := s.Validators(ctx, u); e != "" || l != "" || err != nil {
		t.Errorf("unknown URL: %q %q %v", e, l, err)
	}
	for _, st := range steps {
		batch(t, s, func(tx Tx) {
			if err := tx.SetValidators(ctx, u, st.etag, st.lm); err != nil {
				t.Fatal(err)
			}
		})
		e, l, err := s.Validators(ctx, u)
		if err != nil || e != st.etag || l != st.lm {
			t.Errorf("after set %q %q: got %q %q %v", st.etag, st.lm, e, l, err)
		}
	}
}

// TestReplay: a restart reads the articles after the last epoch and those
// active stream stories hold, each once, in ID order, with placements; and
// the tallies of the evicted ones.
func TestReplay(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC) }
	vis := &Story{Headline: "seen"}
	var ids []int64
	batch(t, s, func(tx Tx) {
		if err := tx.PutStory(ctx, vis); err != nil {
			t.Fatal(err)
		}
		for _, st := range []StreamStory{{ID: 7, First: day(1), Last: day(3), Changed: true, Active: true},
			{ID: 8, First: day(1), Last: day(1)}, {ID: 9, Last: day(4), Restamped: true, Active: true}} {
			if err := tx.PutStreamStory(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		for i, p := range []Placement{
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
			if err := tx.Place(ctx, a.ID, p); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
	})
	var got []string
	if err := s.Replay(ctx, ids[2], func(a *article.Article, p Placement) error {
		got = append(got, fmt.Sprintf("%d:%d:%s:%v", a.ID-ids[0]+1, p.Stream, p.At.Format("02"), p.Evicted))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"3:7:02:false", "4:9:03:true", "5:9:04:false", "6:7:03:true"}
	if !slices.Equal(got, want) {
		t.Errorf("Replay = %v, want %v", got, want)
	}
	sts, err := s.StreamStories(ctx)
	if err != nil || len(sts) != 2 || sts[0].ID != 7 || !sts[0].Changed || !sts[0].Last.Equal(day(3)) || sts[1].ID != 9 || !sts[1].Restamped {
		t.Errorf("StreamStories = %+v, %v", sts, err)
	}
	ev, err := s.Evicted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantEv := []EvictedTally{
		{Stream: 7, Articles: 2, Outlets: []string{"o0", "o2"}, Langs: []string{"de", "en"},
			Titles: map[string]string{"en": "t0", "de": "t5"}, First: day(1), Story: vis.ID},
		{Stream: 9, Articles: 1, Outlets: []string{"o0"}, Langs: []string{"de"}, Titles: map[string]string{"de": "t3"},
			First: day(3), Story: vis.ID},
	}
	if !reflect.DeepEqual(ev, wantEv) {
		t.Errorf("Evicted =\n%+v\nwant\n%+v", ev, wantEv)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.Replay(ctx, 0, func(*article.Article, Placement) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("walk stop: err %v after %d", err, n)
	}
}

func TestMetaAndParts(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	if v, err := s.Meta(ctx, "k"); v != nil || err != nil {
		t.Errorf("missing key: %q %v", v, err)
	}
	batch(t, s, func(tx Tx) {
		for _, v := range []string{"one", "two"} {
			if err := tx.SetMeta(ctx, "k", []byte(v)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.SetMeta(ctx, "empty", nil); err != nil {
			t.Fatal(err)
		}
		if err := tx.PutParts(ctx, map[int64]int64{3: 40, 9: 41}); err != nil {
			t.Fatal(err)
		}
		if err := tx.PutParts(ctx, map[int64]int64{9: 41, 12: 44}); err != nil {
			t.Fatal(err)
		}
	})
	if v, err := s.Meta(ctx, "k"); string(v) != "two" || err != nil {
		t.Errorf("Meta = %q %v", v, err)
	}
	if v, err := s.Meta(ctx, "empty"); v == nil || len(v) != 0 || err != nil {
		t.Errorf("empty value: %q %v", v, err)
	}
	if p, err := s.Parts(ctx); !reflect.DeepEqual(p, map[int64]int64{9: 41, 12: 44}) || err != nil {
		t.Errorf("Parts = %v %v", p, err)
	}
	if max, err := s.MaxStoryID(ctx); max != 44 || err != nil {
		t.Errorf("MaxStoryID = %d %v, want 44 (a part's ID)", max, err)
	}
}

// TestReadersDuringWrite: with a write transaction open, readers neither
// block nor see its rows, whether they share the writer's handle or opened
// the folder read-only.
func TestReadersDuringWrite(t *testing.T) {
	s, dir := openTest(t)
	ctx := context.Background()
	batch(t, s, func(tx Tx) { insert(t, tx, &article.Article{Title: "committed"}) })
	other, err := OpenReadOnly(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, tx, &article.Article{Title: "pending"})
	for _, r := range []*SQLite{s, other} {
		done := make(chan int64, 1)
		go func() {
			n, _, err := r.Counts(ctx)
			if err != nil {
				t.Error(err)
			}
			done <- n
		}()
		select {
		case n := <-done:
			if n != 1 {
				t.Errorf("reader sees %d articles during the write, want 1", n)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("reader blocked by the writer")
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := other.Counts(ctx); n != 2 {
		t.Errorf("after the commit: %d articles, want 2", n)
	}
	if _, err := other.Begin(ctx); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Begin on a read-only store: %v, want ErrReadOnly", err)
	}
}

// TestOneWriter: a second Open of a folder waits, saying who holds it,
// until the first writer closes; a read-only open never waits.
func TestOneWriter(t *testing.T) {
	s, dir := openTest(t)
	ctx := context.Background()
	var heard string
	opened := make(chan *SQLite, 1)
	go func() {
		second, err := Open(ctx, dir, Options{Holder: "test", Waiting: func(h string) { heard = h }})
		if err != nil {
			t.Error(err)
		}
		opened <- second
	}()
	select {
	case <-opened:
		t.Fatal("a second writer opened the store while the first held it")
	case <-time.After(300 * time.Millisecond):
	}
	ro, err := OpenReadOnly(ctx, dir)
	if err != nil {
		t.Fatalf("read-only open while a writer holds the store: %v", err)
	}
	ro.Close()
	s.Close()
	second := <-opened
	if second == nil {
		t.FailNow()
	}
	defer second.Close()
	if !strings.Contains(heard, "pid") {
		t.Errorf("waiting message %q does not name the holder", heard)
	}
	batch(t, second, func(tx Tx) { insert(t, tx, &article.Article{Title: "second"}) })

	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := Open(cctx, dir); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Open with an expiring context while locked: %v", err)
	}
}

func TestReadOnlyNeedsCurrentSchema(t *testing.T) {
	ctx := context.Background()
	if _, err := OpenReadOnly(ctx, t.TempDir()); err == nil {
		t.Error("opened a folder with no store")
	}
	s, dir := openTest(t)
	if _, err := s.db.Exec("UPDATE schema_version SET version = 1"); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenReadOnly(ctx, dir); err == nil || !strings.Contains(err.Error(), "storyline ingest") {
		t.Errorf("old schema: %v, want a message saying how to upgrade", err)
	}
}

// TestQueryPlans: the lookups made per article or at start-up go through
// their indexes and never scan a table, whatever its size.
func TestQueryPlans(t *testing.T) {
	s, _ := openTest(t)
	keys := make([]any, dedup.NumBands)
	for i := range keys {
		keys[i] = int64(i)
	}
	tests := []struct {
		name, query string
		args        []any
		want        string
	}{
		{"near duplicates", nearQuery(dedup.NumBands), keys, "SEARCH band USING PRIMARY KEY (key=?)"},
		{"article by hash", byHashQuery, []any{"h"}, "INDEX article_hash"},
		{"replay", replayQuery, []any{int64(5)}, "USING INDEX article_stream"},
	}
	for _, tt := range tests {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+tt.query, tt.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "\n")
		if !strings.Contains(all, tt.want) || strings.Contains(all, "SCAN band") || strings.Contains(all, "SCAN article") {
			t.Errorf("%s: plan\n%s\nwant %q and no table scan", tt.name, all, tt.want)
		}
	}
}

// TestMigrateKeepsStories: a store written before the stream's state was
// kept (schema 1) opens with its stories as the stream's, all active.
func TestMigrateKeepsStories(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{migrations[0],
		"CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)",
		`INSERT INTO story (id, headline, first_seen, last_seen, articles) VALUES (4, 'Quake', '2025-04-01T00:00:00.000000000Z', '2025-04-03T00:00:00.000000000Z', 2)`,
		`INSERT INTO article (id, title, stored, published, story) VALUES (1, 'a', '2026-01-01T00:00:00.000000000Z', '2025-04-01T00:00:00.000000000Z', 4)`,
		`INSERT INTO article (id, title, stored, story) VALUES (2, 'b', '2026-01-01T00:00:00.000000000Z', 4)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	sts, err := s.StreamStories(ctx)
	if err != nil || len(sts) != 1 || sts[0].ID != 4 || !sts[0].Changed || !sts[0].Last.Equal(time.Date(2025, 4, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("stream stories after migration: %+v %v", sts, err)
	}
	var got []string
	if err := s.Replay(ctx, 0, func(a *article.Article, p Placement) error {
		got = append(got, fmt.Sprintf("%d:%d:%d:%s", a.ID, a.Story, p.Stream, p.At.Format("01-02")))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The undated article takes its story's last sighting as its time.
	if want := []string{"1:4:4:04-01", "2:4:4:04-03"}; !slices.Equal(got, want) {
		t.Errorf("articles after migration %v, want %v", got, want)
	}
}
