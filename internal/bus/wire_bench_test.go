package bus

import (
	"context"
	"testing"

	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/story"
)

// preparedECB prepares the first n ECB+ dev articles as a worker does.
func preparedECB(b *testing.B, n int) []ingest.Prepared {
	b.Helper()
	var its []source.Item
	for it := range source.Read(context.Background(), []string{sharedPath(b, "data/ecbplus-dev.jsonl")}, source.Options{}) {
		if len(its) == n {
			break
		}
		its = append(its, it)
	}
	feats := story.New(story.Config{}, nil).Features()
	var out []ingest.Prepared
	for p := range ingest.Prepare(context.Background(), func(yield func(source.Item) bool) {
		for _, it := range its {
			if !yield(it) {
				return
			}
		}
	}, ingest.Stages{Det: langid.Default(), Features: &feats}, 0) {
		out = append(out, p)
	}
	return out
}

// BenchmarkWirePrepared measures a prepared ECB+ article's trip through
// the wire format (encode in the worker, decode in the assigner), and
// reports its size: the assigner decodes on its reader goroutine, beside
// the writer, so this bounds how many articles a second one assigner
// can take in. Gob over JSON: on 100 ECB+ articles (2 loaded cores)
// gob encoded in 0.27 ms, decoded in 0.45 ms, 13.1 kB an article; JSON
// took 1.4 ms for both and 18.5 kB, and cannot carry NaN.
func BenchmarkWirePrepared(b *testing.B) {
	preps := preparedECB(b, 100)
	var size int
	for _, p := range preps {
		body, err := encodePrepared(p)
		if err != nil {
			b.Fatal(err)
		}
		size += len(body)
	}
	for i := 0; b.Loop(); i++ {
		p := preps[i%len(preps)]
		body, err := encodePrepared(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := decodePrepared(wirePrepared, body); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/float64(len(preps)), "bytes/article")
}

func sharedPath(tb testing.TB, rel string) string { return shared.Path(tb, rel) }
