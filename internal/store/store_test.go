package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
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

// TestNearDuplicatesKeyLimit: a key list past SQLite's bound on one
// query's parameters is an error, not a failed statement.
func TestNearDuplicatesKeyLimit(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.NearDuplicates(ctx, make([]uint64, maxBandKeys+1)); err == nil {
		t.Error("oversized key list accepted")
	}
	if _, err := tx.NearDuplicates(ctx, make([]uint64, maxBandKeys)); err != nil {
		t.Errorf("%d keys: %v", maxBandKeys, err)
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

// TestReadersDuringWrite: with a write transaction open, a reader that
// opened the folder read-only (another process) neither blocks nor sees its
// rows, as readers sharing the writer's handle do (storetest).
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
	for _, r := range []*SQLite{other} {
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
