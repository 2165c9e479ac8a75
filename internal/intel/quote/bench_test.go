package quote

import (
	"strings"
	"testing"
)

// benchArticle joins English gold passages into an article of about 4 KB
// and returns it with its people.
func benchArticle(tb testing.TB) (string, []Span) {
	var b strings.Builder
	var names []string
	for _, p := range loadGold(tb) {
		if p.Lang != "en" {
			continue
		}
		b.WriteString(p.Text)
		b.WriteString("\n\n")
		names = append(names, p.People...)
		if b.Len() >= 4096 {
			break
		}
	}
	text := b.String()
	return text, spansOf(text, names)
}

// BenchmarkExtract measures a 4 KB article with its people. Run with
// -cpu 1 for articles per second per core.
func BenchmarkExtract(b *testing.B) {
	text, people := benchArticle(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Extract("en", text, people)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}
