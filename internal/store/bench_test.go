package store

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

// BenchmarkInsert stores ecbplus articles (text, full-text index, 32 band
// keys each) in batches of 500, one transaction per batch.
func BenchmarkInsert(b *testing.B) {
	src := ecbArticles(b)
	s, _ := openTest(b)
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
		b.ReportMetric(float64(n)/cpu.Seconds(), "articles/cpu-s")
	}
	b.ReportMetric(0, "ns/op")
}

// fill tops the store up to n articles with random signatures and short
// texts: only the band index and article rows matter to the lookup.
func fill(b *testing.B, s *SQLite, n int, rng *rand.Rand) {
	b.Helper()
	ctx := context.Background()
	have, _, err := s.Counts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for int(have) < n {
		tx, err := s.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < 5000 && int(have) < n; i++ {
			sig := make([]uint64, dedup.NumPerm)
			for j := range sig {
				sig[j] = rng.Uint64()
			}
			a := &article.Article{Title: fmt.Sprint("filler ", have), Text: "Filler article body text.", MinHash: sig}
			if err := tx.InsertArticle(ctx, a); err != nil {
				b.Fatal(err)
			}
			have++
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNearDuplicates looks up, in stores of growing size, the bands of
// a signature that shares exactly one band with one stored article: the
// least a candidate can share. Time per lookup should not grow with the store.
func BenchmarkNearDuplicates(b *testing.B) {
	s, _ := openTest(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("stored=%dk", size/1000), func(b *testing.B) {
			fill(b, s, size, rng)
			var sigs [][]uint64
			if err := s.Articles(ctx, func(a *article.Article) error {
				if rng.IntN(size/1000) == 0 {
					sigs = append(sigs, a.MinHash)
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			queries := make([][]uint64, len(sigs))
			for i, sig := range sigs {
				queries[i] = dedup.Bands(sigSharing(sig, uint64(i+1), i%dedup.NumBands))
			}
			tx, err := s.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer tx.Rollback()
			found, i := 0, 0
			b.ReportAllocs()
			var cpu0 time.Duration
			for b.Loop() {
				if i == 0 {
					cpu0 = cputime.Used()
				}
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
			b.ReportMetric(float64(found)/float64(i), "candidates/op")
			if cpu := cputime.Used() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/float64(i), "cpu-µs/op")
			}
		})
	}
}
