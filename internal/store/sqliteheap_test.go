package store

import (
	"context"
	"database/sql"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// TestSQLiteHeap: SQLite's memory statistics are on, so what its
// connections hold is known.
func TestSQLiteHeap(t *testing.T) {
	s, _ := openTest(t)
	batch(t, s, func(tx Tx) { insert(t, tx, &article.Article{Title: "counted"}) })
	used, peak := SQLiteHeap()
	// An open connection holds at least its schema and a page or two.
	if used < 64<<10 || peak < used {
		t.Errorf("SQLiteHeap() = %d used, %d peak; want at least 64 KiB used, peak ≥ used", used, peak)
	}
}

// TestSQLiteSoftHeap: the soft heap limit is in force and bounds the page
// caches. Reading 8 MiB of rows fills a connection's cache (16 MiB at
// most) without a limit; under a 2 MiB limit the cache recycles its pages.
func TestSQLiteSoftHeap(t *testing.T) {
	tls := libc.NewTLS()
	defer tls.Close()
	if got := sqlite3.Xsqlite3_soft_heap_limit64(tls, -1); got != sqliteSoftHeap {
		t.Fatalf("soft heap limit %d, want %d", got, sqliteSoftHeap)
	}
	defer sqlite3.Xsqlite3_soft_heap_limit64(tls, sqliteSoftHeap)

	s, _ := openTest(t)
	ctx := context.Background()
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE filler (v BLOB);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2048)
		INSERT INTO filler SELECT randomblob(4000) FROM n`); err != nil {
		t.Fatal(err)
	}
	grown := func(limit int64) int64 {
		sqlite3.Xsqlite3_soft_heap_limit64(tls, limit)
		// A connection of its own, closed after: its cache starts empty
		// and leaves nothing behind for the next call to find.
		db, err := sql.Open("sqlite", s.path+"?_pragma=cache_size(-16000)")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var n int64
		if err := conn.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
			t.Fatal(err)
		}
		before, _ := SQLiteHeap()
		if err := conn.QueryRowContext(ctx, "SELECT sum(length(v)) FROM filler").Scan(&n); err != nil {
			t.Fatal(err)
		}
		after, _ := SQLiteHeap()
		return after - before
	}
	if g := grown(0); g < 6<<20 {
		t.Errorf("without a limit, reading 8 MiB grew SQLite's memory by %d bytes, want ≥ 6 MiB (else this test shows nothing)", g)
	}
	if g := grown(2 << 20); g > 2<<20 {
		t.Errorf("under a 2 MiB limit, reading 8 MiB grew SQLite's memory by %d bytes, want ≤ 2 MiB", g)
	}
}
