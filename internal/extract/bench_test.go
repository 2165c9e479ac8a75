package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkChromeLine runs the chrome patterns over the short lines of the
// Scrapinghub plain-text scrapes (site chrome and article text alike); one
// op is every line once.
func BenchmarkChromeLine(b *testing.B) {
	files, err := filepath.Glob(filepath.Join(shared.Path(b, "data/plaintext-scrapinghub"), "*.txt"))
	if err != nil || len(files) == 0 {
		b.Fatalf("scrapes: %v (%d files)", err, len(files))
	}
	var lines []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for l := range strings.Lines(string(raw)) {
			if l = strings.TrimSpace(l); l != "" && wordCount(l) <= chromeMaxWords {
				lines = append(lines, l)
			}
		}
	}
	chrome := 0
	for b.Loop() {
		chrome = 0
		for _, l := range lines {
			if chromeLine(l, allRules) != nil {
				chrome++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
	b.ReportMetric(float64(chrome), "chrome-lines")
}
