package story

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
)

// gen makes a synthetic stream: stories open at a steady rate, each lives
// about two days, and articles mix Zipf-distributed background words with
// their story's rare words, names and figures. Articles arrive at a fixed
// rate (windowArticles per 7-day window), so 10k articles span two weeks
// and 100k span twenty: the window, not the history, bounds the work.
type gen struct {
	rng     *rand.Rand
	zipf    *rand.Zipf
	vocab   []string
	stories [][]string
	born    []int
	n       int
	t0      time.Time
	word    func(syllables int) string
}

const windowArticles = 5000

func newGen(seed uint64) *gen {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &gen{rng: rng, t0: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	g.zipf = rand.NewZipf(rng, 1.1, 2, 19999)
	syl := []string{"ka", "lo", "mer", "tin", "sa", "ve", "ro", "du", "pal", "ne", "gri", "ost", "ba", "lu", "ten", "mi"}
	word := func(k int) string {
		var sb strings.Builder
		for j := 0; j < k; j++ {
			sb.WriteString(syl[rng.IntN(len(syl))])
		}
		return sb.String()
	}
	for i := 0; i < 20000; i++ {
		g.vocab = append(g.vocab, word(2+i%3))
	}
	g.word = word
	return g
}

func (g *gen) newStory() {
	var terms []string
	for j := 0; j < 10; j++ {
		terms = append(terms, g.word(3))
	}
	for j := 0; j < 3; j++ {
		w := g.word(2)
		terms = append(terms, strings.ToUpper(w[:1])+w[1:])
	}
	terms = append(terms, fmt.Sprint(g.rng.IntN(10000)), fmt.Sprint(g.rng.IntN(500)))
	g.stories = append(g.stories, terms)
	g.born = append(g.born, g.n)
}

func (g *gen) next() *article.Article {
	// About one story per eight articles; an article reports one of the
	// stories opened in the last ~1400 articles (two days), recent ones
	// more often.
	if len(g.stories) == 0 || g.rng.IntN(8) == 0 {
		g.newStory()
	}
	k := len(g.stories) - 1 - int(math.Abs(g.rng.NormFloat64())*40)
	if k < 0 {
		k = 0
	}
	for g.n-g.born[k] > 1400 && k < len(g.stories)-1 {
		k++
	}
	text := g.body(g.stories[k])
	g.n++
	return &article.Article{
		ID: int64(g.n), Lang: "en", Text: text, Source: "synthetic",
		Published: g.t0.Add(time.Duration(g.n) * (7 * 24 * time.Hour / windowArticles)),
	}
}

// body writes 120 words, four in ten drawn from terms (a story's own
// vocabulary), the rest from the shared Zipf vocabulary.
func (g *gen) body(terms []string) string {
	var sb strings.Builder
	sb.WriteString("The report ")
	for j := 0; j < 120; j++ {
		if g.rng.IntN(10) < 4 {
			sb.WriteString(terms[g.rng.IntN(len(terms))])
		} else {
			sb.WriteString(g.vocab[g.zipf.Uint64()])
		}
		if j%15 == 14 {
			sb.WriteString(". The ")
		} else {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// prefilled caches an Assigner that has already taken n articles, so the
// benchmark's repeated rounds do not redo the fill.
var prefilled = map[int]struct {
	a *Assigner
	g *gen
}{}

// BenchmarkAssign measures one assignment with 10k and 100k articles
// already assigned (Maintain every 1000 articles during the fill). The
// per-article cost should not grow with the history, nor should memory once
// the document frequencies have gone through a half-life.
func BenchmarkAssign(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("prior=%dk", n/1000), func(b *testing.B) {
			for k := range prefilled {
				if k != n {
					// Heap figures are for this history alone.
					delete(prefilled, k)
				}
			}
			p, ok := prefilled[n]
			if !ok {
				p.g = newGen(1)
				p.a = New(Config{}, nil)
				for i := 0; i < n; i++ {
					art := p.g.next()
					p.a.Assign(art)
					if (i+1)%1000 == 0 {
						p.a.Maintain(art.Published)
					}
				}
				prefilled[n] = p
			}
			arts := make([]*article.Article, b.N)
			for i := range arts {
				arts[i] = p.g.next()
			}
			lat := make([]time.Duration, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i, art := range arts {
				t0 := time.Now()
				p.a.Assign(art)
				lat[i] = time.Since(t0)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "articles/s")
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
			b.ReportMetric(float64(p.a.Active()), "active-stories")
			b.ReportMetric(float64(p.a.Model().Terms()), "df-terms")
		})
	}
}
