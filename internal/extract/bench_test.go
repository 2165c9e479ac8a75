package extract

import (
	"context"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/shared"
)

// BenchmarkHTML extracts the Scrapinghub pages one after another; one op
// is one page. It reports pages/s on one goroutine (run with -cpu 1 for
// the per-core figure) and input MB/s.
func BenchmarkHTML(b *testing.B) {
	pages, err := LoadScrapinghub(shared.Path(b, "data/extraction-scrapinghub"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var size int64
	for _, p := range pages {
		size += int64(len(p.HTML))
	}
	b.SetBytes(size / int64(len(pages)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pages[i%len(pages)]
		i++
		if _, err := Page(ctx, article.Page{Input: p.Hash, URL: p.URL, Kind: article.KindHTML, Body: p.HTML}); err != nil {
			b.Fatalf("%s: %v", p.Hash, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
