package clean

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

// BenchmarkText cleans every plaintext-scrapinghub scrape once per
// iteration and reports pages and megabytes per second.
func BenchmarkText(b *testing.B) {
	dir := shared.Path(b, "data/plaintext-scrapinghub")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no scrapes in %s: %v", dir, err)
	}
	pages := make([]string, len(files))
	size := 0
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages[i] = string(raw)
		size += len(raw)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			Text(p)
		}
	}
	b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(len(pages)), "pages/op")
}
