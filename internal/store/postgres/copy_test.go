package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/storetest"
)

func openSQLite(t *testing.T) store.Backend {
	s, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openBackend(t *testing.T) store.Backend { return openTest(t) }

// TestCopyConformance runs the copy suite from SQLite to PostgreSQL, back,
// and from one PostgreSQL schema to another.
func TestCopyConformance(t *testing.T) {
	needDB(t)
	t.Run("FromSQLite", func(t *testing.T) { storetest.RunCopy(t, openSQLite, openBackend) })
	t.Run("ToSQLite", func(t *testing.T) { storetest.RunCopy(t, openBackend, openSQLite) })
	t.Run("Between", func(t *testing.T) { storetest.RunCopy(t, openBackend, openBackend) })
}

// BenchmarkCopy copies a SQLite store of 3,088 ECB+ articles (the dev
// file four times over, each with its 32 bands and 10 mentions) into a
// new schema, in batches of 100, 1000 and 5000 rows (store.CopyOptions).
func BenchmarkCopy(b *testing.B) {
	ctx := context.Background()
	src, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	arts := ecbArticles(b)
	tx, err := src.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for round := range 4 {
		for _, a := range arts {
			a.ContentHash = fmt.Sprintf("%d-%s", round, a.ExternalID)
			if err := tx.InsertArticle(ctx, &a); err != nil {
				b.Fatal(err)
			}
			var in store.Intel
			for i := range 10 {
				in.Mentions = append(in.Mentions, store.Mention{Field: 1, Start: 10 * i, End: 10*i + 5, Text: "Name", Type: "person"})
			}
			if err := tx.PutIntel(ctx, a.ID, in); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	n, _, _ := src.Counts(ctx)
	for _, size := range []int{100, 1000, 5000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			for b.Loop() {
				dst := openTest(b)
				if _, err := store.Copy(ctx, dst, src, store.CopyOptions{Batch: size}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
