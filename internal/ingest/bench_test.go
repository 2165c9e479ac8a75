package ingest

import (
	"context"
	"testing"

	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// BenchmarkIngestECB runs the whole pipeline — read, extract, language,
// dedup, story assignment, SQLite — over the 772 ECB+ articles into a fresh
// store per iteration.
func BenchmarkIngestECB(b *testing.B) {
	file := shared.Path(b, "data/ecbplus-dev.jsonl")
	ctx := context.Background()
	det := langid.Default()
	det.Detect("warm the models up before timing")
	var n int
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		p, err := Open(ctx, st, det, story.New(story.Config{}, nil), Options{Source: source.Options{Validators: st}})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := p.Run(ctx, []string{file})
		if err != nil {
			b.Fatal(err)
		}
		n += rep.Stored + rep.Copies
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}
