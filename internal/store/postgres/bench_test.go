package postgres

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/cputime"
	"github.com/storyline/storyline/internal/dedup"
	"github.com/storyline/storyline/internal/shared"
)

// ecbArticles loads the ecbplus texts with their signatures, computed once.
func ecbArticles(b *testing.B) []article.Article {
	b.Helper()
	f, err := os.Open(shared.Path(b, "data/ecbplus-dev.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []article.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r struct{ ID, Lang, Text string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			b.Fatal(err)
		}
		out = append(out, article.Article{ExternalID: r.ID, Lang: r.Lang, Text: r.Text,
			Title: r.ID, MinHash: dedup.Signature(r.Text)})
	}
	if len(out) == 0 {
		b.Fatal("no articles")
	}
	return out
}

// BenchmarkInsert stores ecbplus articles (text and 32 band keys each) in
// batches of 500, one transaction per batch: store.BenchmarkInsert on
// PostgreSQL. cpu-s counts this process only, not the server's.
func BenchmarkInsert(b *testing.B) {
	src := ecbArticles(b)
	s := openTest(b)
	ctx := context.Background()
	const batchSize = 500
	n := 0
	b.ReportAllocs()
	var cpu0 time.Duration
	for b.Loop() {
		if n == 0 {
			cpu0 = cputime.Used()
		}
		tx, err := s.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for range batchSize {
			a := src[n%len(src)]
			a.ContentHash = fmt.Sprintf("%064x", n) // texts repeat; original hashes must not
			if err := tx.InsertArticle(ctx, &a); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
	if cpu := cputime.Used() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "articles/client-cpu-s")
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkNearDuplicates looks up, in a store of 20,000 articles with
// random signatures, the bands of a signature sharing one band with a
// stored article: one round trip and an index range per key.
func BenchmarkNearDuplicates(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	const size = 20_000
	var sigs [][]uint64
	for done := 0; done < size; {
		tx, err := s.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for range 5000 {
			sig := make([]uint64, dedup.NumPerm)
			for j := range sig {
				sig[j] = rng.Uint64()
			}
			if err := tx.InsertArticle(ctx, &article.Article{Title: "filler", MinHash: sig}); err != nil {
				b.Fatal(err)
			}
			if rng.IntN(100) == 0 {
				sigs = append(sigs, sig)
			}
			done++
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.pool.Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	queries := make([][]uint64, len(sigs))
	for i, sig := range sigs {
		q := make([]uint64, len(sig))
		for j := range q {
			q[j] = sig[j] ^ 0x5555 // no band shared...
		}
		band := i % dedup.NumBands // ...but this one
		copy(q[band*dedup.BandRows:], sig[band*dedup.BandRows:(band+1)*dedup.BandRows])
		queries[i] = dedup.Bands(q)
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	found, i := 0, 0
	for b.Loop() {
		cands, err := tx.NearDuplicates(ctx, queries[i%len(queries)])
		if err != nil {
			b.Fatal(err)
		}
		found += len(cands)
		i++
	}
	if found < i {
		b.Fatalf("%d lookups found %d candidates; each should find its article", i, found)
	}
}
