package figure

import (
	"strings"
	"testing"
)

// article4K joins the gold passages of one language, each a paragraph,
// into an article of about 4 KB.
func article4K(tb testing.TB, lang string) string {
	var sb strings.Builder
	for sb.Len() < 4096 {
		for _, p := range loadGold(tb) {
			if p.Lang == lang && sb.Len() < 4096 {
				sb.WriteString(p.Text)
				sb.WriteString("\n\n")
			}
		}
	}
	return sb.String()
}

// BenchmarkExtract measures Extract on a ~4 KB article; run with -cpu 1
// for articles per second per core:
//
//	go test ./internal/intel/figure -run XXX -bench Extract -cpu 1 -benchmem
func BenchmarkExtract(b *testing.B) {
	for _, lang := range []string{"en", "ar"} {
		b.Run(lang, func(b *testing.B) {
			art := article4K(b, lang)
			Extract(lang, art) // load the vocabularies outside the timing
			b.SetBytes(int64(len(art)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				Extract(lang, art)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

// BenchmarkGroups measures grouping a story of 20 articles' figures.
func BenchmarkGroups(b *testing.B) {
	var figs []Reported
	for i, p := range loadGold(b) {
		for _, f := range Extract(p.Lang, p.Text) {
			figs = append(figs, Reported{Article: int64(i), Outlet: string(rune('a' + i%20)), Lang: p.Lang, Figure: f})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Groups(figs, nil)
	}
}
