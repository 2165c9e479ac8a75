package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/postgres/pgtest"
	"github.com/storyline/storyline/internal/store/storetest"
)

// The test database and throwaway schemas come from pgtest, which tests
// outside this package use too.
func testURL() string               { return pgtest.URL() }
func needDB(t testing.TB)           { t.Helper(); pgtest.Need(t) }
func freshName(t testing.TB) string { t.Helper(); return pgtest.Name(t) }

// openTest opens a store of its own, closed (and its schema dropped) when
// t ends.
func openTest(t testing.TB) *Store {
	t.Helper()
	needDB(t)
	s, err := Open(context.Background(), testURL(), Options{Name: freshName(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() }) // before the schema is dropped: cleanups run last first
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t *testing.T) store.Store { return openTest(t) },
		Separate: func(ctx context.Context, tx store.Tx, a, b int64) error {
			_, err := tx.(*pgTx).exec(ctx, "INSERT INTO entity_split (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING", min(a, b), max(a, b))
			return err
		},
	})
}

func TestBrowseConformance(t *testing.T) {
	storetest.RunBrowse(t, func(t *testing.T) storetest.Browser { return openTest(t) })
}

func TestSearchConformance(t *testing.T) {
	storetest.RunSearch(t, func(t *testing.T) storetest.Searcher { return openTest(t) })
}

func batch(t testing.TB, s store.Store, fn func(tx store.Tx)) {
	t.Helper()
	tx, err := s.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	fn(tx)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestReopen: a store opened again is where it was left, its schema
// migrated once.
func TestReopen(t *testing.T) {
	needDB(t)
	ctx := context.Background()
	name := freshName(t)
	for round := 1; round <= 3; round++ {
		s, err := Open(ctx, testURL(), Options{Name: name})
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
			t.Errorf("open %d: schema version %d, %v; want %d", round, v, err, len(migrations))
		}
		if n, _, err := s.Counts(ctx); err != nil || n != int64(round-1) {
			t.Errorf("open %d: %d articles, %v; want %d", round, n, err, round-1)
		}
		batch(t, s, func(tx store.Tx) {
			if err := tx.InsertArticle(ctx, &article.Article{Title: "round", ContentHash: string(rune('a' + round))}); err != nil {
				t.Fatal(err)
			}
		})
		s.Close()
	}
}

// TestOpenAtOnce: processes opening a new store at once create and
// migrate it once, without failing.
func TestOpenAtOnce(t *testing.T) {
	needDB(t)
	ctx := context.Background()
	name := freshName(t)
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			s, err := Open(ctx, testURL(), Options{Name: name})
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if _, err := s.pool.Exec(ctx, "UPDATE schema_version SET version = $1", len(migrations)+1); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		if s2, err := Open(ctx, testURL(), Options{Name: s.Name(), ReadOnly: ro}); err == nil {
			s2.Close()
			t.Errorf("read-only %v: opened a store from a newer program", ro)
		}
	}
}

// TestReadOnly: a read-only store reads what the writer commits, refuses
// to write, and needs a store at this program's version.
func TestReadOnly(t *testing.T) {
	needDB(t)
	ctx := context.Background()
	name := freshName(t)
	if _, err := Open(ctx, testURL(), Options{Name: name, ReadOnly: true}); err == nil {
		t.Error("opened a store that does not exist read-only")
	}
	w, err := Open(ctx, testURL(), Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r, err := Open(ctx, testURL(), Options{Name: name, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Begin(ctx); !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("Begin on a read-only store: %v, want ErrReadOnly", err)
	}
	batch(t, w, func(tx store.Tx) {
		if err := tx.InsertArticle(ctx, &article.Article{Title: "x"}); err != nil {
			t.Fatal(err)
		}
	})
	if n, _, err := r.Counts(ctx); n != 1 || err != nil {
		t.Errorf("the reader counts %d, %v", n, err)
	}
	if _, err := r.pool.Exec(ctx, "DELETE FROM article"); err == nil {
		t.Error("a read-only store's connection wrote")
	}
	if _, err := w.pool.Exec(ctx, "UPDATE schema_version SET version = 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, testURL(), Options{Name: name, ReadOnly: true}); err == nil {
		t.Error("opened an old schema read-only")
	}
}

// TestOneWriterAcrossProcesses: two handles on one store (two processes)
// take turns at writing; the second waits for the first's transaction.
func TestOneWriterAcrossProcesses(t *testing.T) {
	needDB(t)
	ctx := context.Background()
	name := freshName(t)
	a, err := Open(ctx, testURL(), Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, testURL(), Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	first, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback()
	if err := first.InsertArticle(ctx, &article.Article{Title: "a", ContentHash: "same"}); err != nil {
		t.Fatal(err)
	}
	// Opening the store, for writing too, does not wait for its writer.
	octx, ocancel := context.WithTimeout(ctx, 5*time.Second)
	c, err := Open(octx, testURL(), Options{Name: name})
	ocancel()
	if err != nil {
		t.Fatalf("opening while another process writes: %v", err)
	}
	c.Close()
	began := make(chan store.Tx, 1)
	go func() {
		tx, err := b.Begin(ctx)
		if err != nil {
			t.Error(err)
		}
		began <- tx
	}()
	select {
	case tx := <-began:
		if tx != nil {
			tx.Rollback()
		}
		t.Fatal("another handle began writing while the first wrote")
	case <-time.After(300 * time.Millisecond):
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	second := <-began
	if second == nil {
		t.FailNow()
	}
	defer second.Rollback()
	if err := second.InsertArticle(ctx, &article.Article{Title: "b", ContentHash: "same"}); !errors.Is(err, store.ErrDuplicateHash) {
		t.Errorf("the second writer does not see the first's article: %v", err)
	}
	// Waiting for the other process's lock ends with the context.
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if tx, err := a.Begin(cctx); err == nil {
		tx.Rollback()
		t.Error("a Begin went ahead while another process's transaction was open")
	} else if time.Since(start) > 5*time.Second {
		t.Errorf("a Begin whose context ended after 200ms returned after %v", time.Since(start))
	}
	// The handle that gave up writes once the other is done.
	if err := second.Rollback(); err != nil {
		t.Fatal(err)
	}
	batch(t, a, func(tx store.Tx) {})
}

// TestDeploymentsApart: two deployments on one database see only their
// own rows, and write at the same time.
func TestDeploymentsApart(t *testing.T) {
	a, b := openTest(t), openTest(t)
	ctx := context.Background()
	ta, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ta.Rollback()
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	tb, err := b.Begin(cctx)
	if err != nil {
		t.Fatalf("the other deployment's Begin waits: %v", err)
	}
	defer tb.Rollback()
	for _, tx := range []store.Tx{ta, tb} {
		if err := tx.InsertArticle(ctx, &article.Article{Title: "x", ContentHash: "h"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ta.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := tb.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := a.Counts(ctx); n != 1 {
		t.Errorf("deployment a: %d articles, want 1", n)
	}
	if n, _, _ := b.Counts(ctx); n != 0 {
		t.Errorf("deployment b: %d articles, want 0", n)
	}
}

func TestBadName(t *testing.T) {
	for _, name := range []string{"Storyline", "1st", "a-b", `x"; DROP SCHEMA public; --`, string(make([]byte, 64))} {
		if s, err := Open(context.Background(), testURL(), Options{Name: name}); err == nil {
			s.Close()
			t.Errorf("name %q accepted", name)
		}
	}
}

// TestClean: text PostgreSQL cannot hold is made storable, lists and maps
// included, and what it can is left alone.
func TestClean(t *testing.T) {
	tests := []struct {
		in, want any
	}{
		{"plain ü 😀", "plain ü 😀"},
		{"a\x00b", "a\uFFFDb"},
		{"a\xff\xfeb", "a\uFFFDb"},
		{[]string{"ok", "n\x00"}, []string{"ok", "n\uFFFD"}},
		{map[string]string{"e\x00": "v\xff"}, map[string]string{"e\uFFFD": "v\uFFFD"}},
		{int64(5), int64(5)},
		{nil, nil},
	}
	for _, tt := range tests {
		got := clean([]any{tt.in})[0]
		if !equalAny(got, tt.want) {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	orig := []string{"n\x00"}
	clean([]any{orig})
	if orig[0] != "n\x00" {
		t.Error("clean changed its argument")
	}
}

func equalAny(a, b any) bool {
	switch a := a.(type) {
	case []string:
		b, ok := b.([]string)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	case map[string]string:
		b, ok := b.(map[string]string)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if b[k] != v {
				return false
			}
		}
		return true
	}
	return a == b
}
