package live

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/storyline/storyline/internal/api"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
	"github.com/storyline/storyline/internal/web"
)

// The serving benchmarks run on a store of STORYLINE_BENCH_ARTICLES
// articles (default 100,000) ingested by the real pipeline from the
// synthetic corpus. Building 100,000 took 29 minutes on two busy cores, so it
// is kept in the temporary folder and reused; delete
// $TMPDIR/storyline-bench to rebuild.
//
//	go test -run '^$' -bench Serve -benchtime 1x -timeout 60m ./internal/live

func benchArticles() int {
	if n, err := strconv.Atoi(os.Getenv("STORYLINE_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// benchStore returns the folder of a store holding n articles, building it
// when it is not there yet.
func benchStore(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "storyline-bench", fmt.Sprintf("serve-%d", n))
	done := filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err == nil {
		return filepath.Join(dir, "store")
	}
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	corpus := filepath.Join(dir, "corpus.jsonl")
	writeCorpus(b, corpus, n, 1)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "store"))
	if err != nil {
		b.Fatal(err)
	}
	p, err := ingest.Open(ctx, st, langid.Default(), story.New(story.Config{}, nil),
		ingest.Options{Source: source.Options{Validators: st}, Digest: &digest.Options{}, Progress: os.Stderr})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	rep, err := p.Run(ctx, []string{corpus})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	b.Logf("built the %d-article store in %v: %d stored, %d copies, %d skipped", n, time.Since(start).Round(time.Second),
		rep.Stored, rep.Copies, len(rep.Skipped))
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, "store")
}

// copyStore copies a store's folder (closed) to a new one, for a benchmark
// that writes.
func copyStore(b *testing.B, from string) string {
	b.Helper()
	to := filepath.Join(b.TempDir(), "store")
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		b.Fatal(err)
	}
	return to
}

// server serves the web UI and the API over a live service on st.
type server struct {
	*httptest.Server
	svc     *Service
	stop    context.CancelFunc
	stopped chan error
	stories []int64
	queries []string
}

func serve(b *testing.B, dir string, sources []Source) *server {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	p, err := ingest.Open(ctx, st, langid.Default(), story.New(story.Config{}, nil),
		ingest.Options{Source: source.Options{Validators: st}, Digest: &digest.Options{}})
	if err != nil {
		b.Fatal(err)
	}
	svc := New(st, p, Options{Watch: 200 * time.Millisecond})
	mux := http.NewServeMux()
	a := api.New(svc, svc, api.Options{})
	mux.Handle("/api/", a)
	mux.Handle("/feeds/", a)
	mux.Handle("/", web.New(svc, svc, web.Options{}))
	// Admitted as storyline run admits them.
	s := &server{Server: httptest.NewServer(Admit(mux, 0)), svc: svc, stopped: make(chan error, 1)}
	rctx, cancel := context.WithCancel(ctx)
	s.stop = cancel
	go func() { s.stopped <- svc.Run(rctx, sources) }()
	b.Cleanup(func() {
		s.Close()
		cancel()
		<-s.stopped
		st.Close()
	})

	all, err := st.Stories(ctx)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	for _, x := range all {
		s.stories = append(s.stories, x.ID)
	}
	// Queries people type: a name, a phrase, a boolean, filtered by
	// language or date, an entity across its spellings.
	for range 200 {
		x := all[r.IntN(len(all))]
		// Words only: the headline's quotes and signs would make queries
		// malformed, which is not what is measured here.
		var w []string
		for _, f := range strings.Fields(x.Headline) {
			if f = strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }); f != "" && !strings.ContainsAny(f, `"()`) {
				w = append(w, f)
			}
		}
		if len(w) < 4 {
			continue
		}
		name := w[0] + " " + w[1]
		q := []string{
			`"` + w[2] + " " + w[3] + `"`,
			w[0] + " lang:" + x.Langs[0],
			"(" + w[0] + " OR " + w[2] + ") -" + w[3],
			"entity:" + strconv.Quote(name),
			w[2] + " after:2025-03-01 before:2025-05-01",
		}[r.IntN(5)]
		s.queries = append(s.queries, q)
	}
	return s
}

// get fetches one page, failing on a status other than 200, or, with
// gone, 404 too (while an ingest runs, stories merged away are gone).
func get(b *testing.B, c *http.Client, u string, gone ...bool) {
	res, err := c.Get(u)
	if err != nil {
		b.Error(err)
		return
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK && (len(gone) == 0 || !gone[0] || res.StatusCode != http.StatusNotFound) {
		b.Errorf("GET %s: %s", u, res.Status)
	}
}

// latencies records request times and reports their percentiles.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) report(b *testing.B, prefix string) {
	if len(l.d) == 0 {
		return
	}
	slices.Sort(l.d)
	q := func(p float64) float64 { return float64(l.d[int(p*float64(len(l.d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), prefix+"p50-ms")
	b.ReportMetric(q(0.99), prefix+"p99-ms")
}

// BenchmarkServe measures reading a large store: one request at a time, so
// the numbers are the work of one request.
func BenchmarkServe(b *testing.B) {
	s := serve(b, benchStore(b, benchArticles()), nil)
	c := s.Client()
	r := rand.New(rand.NewPCG(1, 2))
	pages := map[string]func() string{
		"StoryPage": func() string { return fmt.Sprintf("%s/story/%d", s.URL, s.stories[r.IntN(len(s.stories))]) },
		"StoryJSON": func() string { return fmt.Sprintf("%s/api/stories/%d", s.URL, s.stories[r.IntN(len(s.stories))]) },
		"StoryList": func() string {
			return s.URL + []string{"/", "/?sort=biggest", "/?lang=de", "/?after=2025-03-01&before=2025-03-31"}[r.IntN(4)]
		},
		"Search": func() string { return s.URL + "/search?q=" + url.QueryEscape(s.queries[r.IntN(len(s.queries))]) },
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range pages {
			if !yield(k) {
				return
			}
		}
	}) {
		b.Run(name, func(b *testing.B) {
			var l latencies
			slowest := map[string]time.Duration{}
			for b.Loop() {
				// A batch of requests per iteration, so that percentiles
				// are meaningful with -benchtime 1x.
				for range 200 {
					u := pages[name]()
					t := time.Now()
					get(b, c, u)
					d := time.Since(t)
					l.add(d)
					slowest[u] = max(slowest[u], d)
				}
			}
			l.report(b, "")
			// The slowest requests, to read with -v: what to fix next.
			us := slices.SortedFunc(maps.Keys(slowest), func(a, b string) int { return cmp.Compare(slowest[b], slowest[a]) })
			for _, u := range us[:min(5, len(us))] {
				q, _ := url.QueryUnescape(strings.TrimPrefix(u, s.URL))
				b.Logf("%v %s", slowest[u].Round(time.Millisecond), q)
			}
		})
	}
}

// BenchmarkServeUnderIngest measures the API and the story page with 50
// clients on loopback while the service ingests a second corpus dropped in
// a watched folder.
func BenchmarkServeUnderIngest(b *testing.B) {
	const clients = 50
	n := benchArticles()
	base := benchStore(b, n)
	for b.Loop() {
		b.StopTimer()
		dir := copyStore(b, base)
		inbox := b.TempDir()
		s := serve(b, dir, []Source{{Input: inbox}})
		more := n / 20
		staged := filepath.Join(b.TempDir(), "more.jsonl")
		writeCorpus(b, staged, more, 2)
		b.StartTimer()

		// Drop the corpus in the folder: the service takes it at its next look.
		if err := os.Rename(staged, filepath.Join(inbox, "more.jsonl")); err != nil {
			b.Fatal(err)
		}
		before := s.svc.Status(context.Background()).Articles
		var story, other latencies
		var reqs atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		start := time.Now()
		for i := range clients {
			wg.Go(func() {
				c := s.Client()
				r := rand.New(rand.NewPCG(uint64(i), 3))
				for {
					select {
					case <-stop:
						return
					default:
					}
					var u string
					l := &other
					switch k := r.IntN(10); {
					case k < 4:
						u, l = fmt.Sprintf("%s/story/%d", s.URL, s.stories[r.IntN(len(s.stories))]), &story
					case k < 6:
						u = s.URL + "/api/stories?limit=20"
					case k < 8:
						u = s.URL + "/api/search?q=" + url.QueryEscape(s.queries[r.IntN(len(s.queries))])
					default:
						u = fmt.Sprintf("%s/api/stories/%d", s.URL, s.stories[r.IntN(len(s.stories))])
					}
					t := time.Now()
					get(b, c, u, true)
					l.add(time.Since(t))
					reqs.Add(1)
				}
			})
		}
		// Until the second corpus is in, or two minutes.
		deadline := time.Now().Add(2 * time.Minute)
		for time.Now().Before(deadline) && s.svc.Status(context.Background()).Articles < before+int64(more)*9/10 {
			time.Sleep(100 * time.Millisecond)
		}
		took := time.Since(start)
		close(stop)
		wg.Wait()
		b.StopTimer()
		added := s.svc.Status(context.Background()).Articles - before
		b.ReportMetric(float64(reqs.Load())/took.Seconds(), "req/s")
		b.ReportMetric(float64(added)/took.Seconds(), "ingested/s")
		story.report(b, "story-")
		other.report(b, "api-")
		b.StartTimer()
	}
}
