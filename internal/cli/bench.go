package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/storyline/storyline/internal/cputime"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/loadgen"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text/segment"
)

const benchUsage = `Runs the whole pipeline, as storyline ingest does, into a fresh store, and
reports as it goes (every --every articles) and at the end: articles/s,
CPU time per article, the ingest→visible latency (from an item's arrival
to the commit that shows it in its story to a read-only reader of the
store, polling every 2 ms) and the process's memory (VmRSS, VmHWM, their
anonymous and file-backed parts, the part of the anonymous memory the Go
runtime holds, the Go heap's live bytes, what the embedded SQLite holds
now and at most); the summary adds the part of
the heap the garbage collector scans and the collector's share of the CPU.

Without SOURCE it ingests a generated multilingual stream (--articles over
--days, from the dev sets in ../shared, see internal/loadgen); with
SOURCE, those files, folders or URLs as ingest reads them (a JSONL file
for clean text, a folder of HTML pages for pages/s). --rate paces the
arrivals; 0 hands items on as fast as the pipeline takes them.
`

// benchRSSAt are the article counts at which the summary quotes the
// memory, as the issue that asked for the benchmark states its goals.
var benchRSSAt = []int{10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000}

// benchPoll is how often the visibility probe looks for the next article
// when it found none: small against the one-second aim, cheap (one
// indexed read).
const benchPoll = 2 * time.Millisecond

func runBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench", "[SOURCE...]")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: storyline bench [flags] [SOURCE...]\n\n%s\n", benchUsage)
		fs.PrintDefaults()
	}
	ef := addEngineFlags(fs)
	articles := fs.Int("articles", loadgen.DefaultArticles, "length of the generated stream (without SOURCE)")
	days := fs.Int("days", loadgen.DefaultDays, "days the generated stream covers")
	seed := fs.Uint64("seed", 1, "seed of the generated stream")
	rate := fs.Float64("rate", 0, "arrivals per second (0: as fast as the pipeline takes them)")
	every := fs.Int("every", 10_000, "report every this many articles stored")
	asJSON := fs.Bool("json", false, "print JSON lines: one per report, then the summary")
	data := fs.String("data", "", "store folder, empty or new (default: a temporary one, removed at the end)")
	storeURL := fs.String("store", "", "the store, empty or new, instead of --data: sqlite:DIR or postgres://… with the tables in the schema --name")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingest to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile at the end of the ingest to this file, and one to FILE.N at each count the summary quotes memory at (10k, 50k, 100k, 200k…): what grows with history shows in their difference")
	streamOut := fs.String("stream-out", "", "write the generated stream to this JSONL file and stop (no ingest)")
	commitEvery := fs.Duration("commit-every", 0, "commit the batch in hand once this old (0: the pipeline's default, see ingest.Options.CommitEvery)")
	sharedDir := fs.String("shared", sharedDefault(""), "the shared folder whose dev sets the stream is made of (env STORYLINE_SHARED)")
	inputs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *every <= 0 || *rate < 0 {
		return usageErr("--every must be positive and --rate not negative")
	}
	if *streamOut != "" {
		if len(inputs) > 0 {
			return usageErr("--stream-out writes the generated stream: no SOURCE")
		}
		return writeStream(ctx, *sharedDir, *streamOut, loadgen.Options{Articles: *articles, Days: *days, Seed: *seed})
	}

	tmp, err := os.MkdirTemp("", "storyline-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dir := *data
	if dir == "" {
		dir = filepath.Join(tmp, "store")
	} else if _, err := os.Stat(filepath.Join(dir, store.FileName)); err == nil {
		return usageErr("--data %s already holds a store: the benchmark starts from an empty one", dir)
	}
	loc := storeIn(dir)
	if *storeURL != "" {
		if *data != "" {
			return usageErr("give --data DIR or --store URL, not both")
		}
		loc = storeFlags{fs: fs, url: storeURL, data: &dir}
	}
	what := strings.Join(inputs, " ")
	if len(inputs) == 0 {
		path := filepath.Join(tmp, "stream.jsonl")
		start := time.Now()
		opt := loadgen.Options{Articles: *articles, Days: *days, Seed: *seed}
		if err := writeStream(ctx, *sharedDir, path, opt); err != nil {
			return err
		}
		e.log.Info("bench: stream generated", "articles", *articles, "days", *days, "seed", *seed,
			"took", time.Since(start).Round(time.Millisecond))
		inputs = []string{path}
		what = fmt.Sprintf("generated stream: %d articles over %d days, seed %d", *articles, *days, *seed)
	}
	srcOpt, err := ef.sourceOptions(e, nil)
	if err != nil {
		return err
	}
	st, p, lex, err := openPipeline(ctx, e, loc, "bench", ef, ingest.Options{CommitEvery: *commitEvery})
	if err != nil {
		return err
	}
	defer st.Close()
	// A service loads its dictionaries as it starts (see run): loaded on
	// first use instead, they would count seconds of one article's wait.
	segment.Preload()
	langid.Preload()
	if err := lex.Preload(ctx); err != nil {
		e.log.Warn("bench: lexicons", "err", err)
	}
	if n, _, err := st.Counts(ctx); err != nil || n > 0 {
		return errors.Join(err, usageErr("%s already holds %d articles: the benchmark starts from an empty store", loc, n))
	}
	ro, err := loc.openRead(ctx)
	if err != nil {
		return err
	}
	defer ro.Close()

	b := &bench{out: e.stdout, asJSON: *asJSON, every: *every, queued: map[string]int{}, heapAt: *memProfile, log: e.log}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	b.start()
	if !b.asJSON {
		fmt.Fprintf(e.stdout, "bench: %s; rate %s; store %s\n", what, rateName(*rate), loc)
		b.header()
	}
	probeCtx, stopProbe := context.WithCancel(ctx)
	probed := make(chan error, 1)
	runDone := make(chan struct{})
	go func() { probed <- b.probe(probeCtx, ro, runDone) }()

	rep, runErr := p.RunItems(ctx, func(ctx context.Context) iter.Seq[source.Item] {
		return b.paced(ctx, source.Read(ctx, inputs, srcOpt), *rate)
	})
	b.finished = time.Now()
	close(runDone)
	probeErr := <-probed
	stopProbe()
	if b.articles != b.last.articles {
		b.report(b.lastSeen) // the rest since the last report
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return err
		}
		runtime.KeepAlive(p) // the profile is of the pipeline's state, window and all
	}
	if probeErr != nil && !errors.Is(probeErr, context.Canceled) {
		return errors.Join(runErr, fmt.Errorf("visibility probe: %w", probeErr))
	}
	if runErr != nil && (rep == nil || !rep.Interrupted) {
		return runErr
	}
	// Interrupted, the numbers so far are still worth having.
	return errors.Join(b.summary(ctx, rep, st), runErr)
}

func rateName(r float64) string {
	if r == 0 {
		return "as fast as possible"
	}
	return strconv.FormatFloat(r, 'g', -1, 64) + " items/s"
}

// writeStream writes the stream generated from the dev sets of the shared
// folder dir to path.
func writeStream(ctx context.Context, dir, path string, opt loadgen.Options) error {
	c, err := loadgen.LoadDevSets(ctx, dir)
	if err != nil {
		return fmt.Errorf("the generated stream needs the dev sets (--shared): %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := loadgen.WriteJSONL(f, loadgen.Generate(c, opt)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC() // the profile shows live objects as of the last GC
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	return f.Close()
}

// bench follows one run: when each item arrived, when the probe saw it,
// and the process's use of time and memory.
type bench struct {
	out    io.Writer
	asJSON bool
	every  int

	began    time.Time
	cpu0     time.Duration
	gc0      gcCPU
	finished time.Time

	mu     sync.Mutex
	queue  []arrival      // items handed on and not seen yet, in order
	queued map[string]int // how many of queue have each input
	items  int            // handed on

	// The probe's own, unlocked.
	articles int             // seen stored
	matched  int             // items seen stored
	lat      []time.Duration // of matched items, in order seen
	last     mark            // at the previous report
	rssAt    map[int]procMem
	lastSeen time.Time

	heapAt string // heap profiles at the rssAt counts go to heapAt.N
	log    *slog.Logger
}

type arrival struct {
	input string
	at    time.Time
}

// mark is where the previous report left off.
type mark struct {
	at       time.Time
	cpu      time.Duration
	articles int
	lat      int
}

func (b *bench) start() {
	b.began, b.cpu0, b.gc0 = time.Now(), cputime.Used(), readGCCPU()
	b.last = mark{at: b.began, cpu: b.cpu0}
	b.rssAt = map[int]procMem{}
}

// paced hands items on at rate per second (0: as soon as taken), each
// noted as arriving when it is due: a pipeline that cannot keep up makes
// the latency grow, as it would for a real stream.
func (b *bench) paced(ctx context.Context, items iter.Seq[source.Item], rate float64) iter.Seq[source.Item] {
	return func(yield func(source.Item) bool) {
		start := time.Now()
		n := 0
		for it := range items {
			if it.Validators == nil {
				at := time.Now()
				if rate > 0 {
					// Due at its time whether or not the pipeline takes it
					// then: the wait for a pipeline that fell behind counts.
					at = start.Add(time.Duration(float64(n) / rate * float64(time.Second)))
					if d := time.Until(at); d > 0 {
						t := time.NewTimer(d)
						select {
						case <-t.C:
						case <-ctx.Done():
							t.Stop()
							return
						}
					}
				}
				n++
				b.mu.Lock()
				b.queue = append(b.queue, arrival{it.Page.Input, at})
				b.queued[it.Page.Input]++
				b.items++
				b.mu.Unlock()
			}
			if !yield(it) {
				return
			}
		}
	}
}

// probe reads the store as a reader in another process would, article
// after article in ID order (the writer stores them in arrival order),
// until the run is over and the last article was read.
func (b *bench) probe(ctx context.Context, ro store.Store, runDone <-chan struct{}) error {
	next := int64(1)
	for {
		a, err := ro.Article(ctx, next)
		if errors.Is(err, store.ErrNotFound) {
			select {
			case <-runDone:
				// Everything is committed: one more look, then stop.
				if a, err = ro.Article(ctx, next); errors.Is(err, store.ErrNotFound) {
					return nil
				}
			default:
				time.Sleep(benchPoll)
				continue
			}
		}
		if err != nil {
			return err
		}
		b.seen(a.Input, time.Now())
		next++
	}
}

// seen records an article's first sight: its item's latency, and the
// items before it that will never show (failed) leave the queue.
func (b *bench) seen(input string, now time.Time) {
	b.articles++
	b.lastSeen = now
	b.mu.Lock()
	if b.queued[input] > 0 {
		i := 0
		for b.queue[i].input != input {
			i++
		}
		for _, a := range b.queue[:i+1] {
			if b.queued[a.input]--; b.queued[a.input] == 0 {
				delete(b.queued, a.input)
			}
		}
		b.lat = append(b.lat, now.Sub(b.queue[i].at))
		b.matched++
		b.queue = b.queue[i+1:]
	}
	b.mu.Unlock()
	if b.articles%b.every == 0 {
		b.report(now)
	}
}

// benchLine is one report.
type benchLine struct {
	Articles int     `json:"articles"` // stored and seen by the reader
	Items    int     `json:"items"`    // handed to the pipeline
	Elapsed  float64 `json:"elapsed_s"`
	// Rate is articles/s since the previous report, RateAll since the start.
	Rate    float64 `json:"articles_per_s"`
	RateAll float64 `json:"articles_per_s_all"`
	// CPUPer is the process's CPU time per article since the previous
	// report, in milliseconds.
	CPUPer float64 `json:"cpu_ms_per_article"`
	// Latencies since the previous report, in milliseconds.
	P50 float64 `json:"latency_p50_ms"`
	P99 float64 `json:"latency_p99_ms"`
	Max float64 `json:"latency_max_ms"`
	procMem
}

// procMem is the process's memory, in MiB.
type procMem struct {
	RSS    float64 `json:"rss_mib"`      // VmRSS
	HWM    float64 `json:"rss_peak_mib"` // VmHWM
	Anon   float64 `json:"rss_anon_mib"` // RssAnon: heap, stacks, SQLite's page cache
	File   float64 `json:"rss_file_mib"` // RssFile: mapped files, SQLite's mmap included
	GoLive float64 `json:"go_heap_live_mib"`
	// GoScan is the part of the heap the collector scans for pointers
	// at every cycle (at its last): what a cycle's marking costs grows
	// with it, not with the pointer-free rest (vectors, sums, tables).
	GoScan  float64 `json:"go_heap_scan_mib"`
	GoTotal float64 `json:"go_total_mib"` // all the Go runtime holds from the system
	// GoResident is GoTotal less what the runtime returned to the system:
	// the Go part of Anon. The rest of Anon is memory outside Go's, SQLite's
	// page caches and statements above all.
	GoResident float64 `json:"go_resident_mib"`
	// SQLite is what the embedded SQLite holds in all its connections
	// (page caches, statements, sorters), SQLitePeak the most it has held:
	// most of the part of Anon that is not Go's. Zero on PostgreSQL.
	SQLite     float64 `json:"sqlite_heap_mib"`
	SQLitePeak float64 `json:"sqlite_heap_peak_mib"`
}

func (b *bench) report(now time.Time) {
	cpu := cputime.Used()
	l := benchLine{Articles: b.articles, Elapsed: now.Sub(b.began).Seconds(), procMem: readMem()}
	b.mu.Lock()
	l.Items = b.items
	b.mu.Unlock()
	if n := b.articles - b.last.articles; n > 0 {
		l.Rate = float64(n) / now.Sub(b.last.at).Seconds()
		l.CPUPer = ms(cpu-b.last.cpu) / float64(n)
	}
	l.RateAll = float64(b.articles) / l.Elapsed
	l.P50, l.P99, l.Max = percentiles(b.lat[b.last.lat:])
	for _, n := range benchRSSAt {
		if b.articles == n {
			b.rssAt[n] = l.procMem
			if b.heapAt != "" {
				// After the memory is read: the profile's collection
				// would lower it.
				if err := writeHeapProfile(fmt.Sprintf("%s.%d", b.heapAt, n)); err != nil {
					b.log.Warn("bench: heap profile", "articles", n, "err", err)
				}
			}
		}
	}
	b.last = mark{at: now, cpu: cpu, articles: b.articles, lat: len(b.lat)}
	if b.asJSON {
		json.NewEncoder(b.out).Encode(l)
		return
	}
	fmt.Fprintf(b.out, "%9d %9d %8.1f %8.1f %8.1f %9.2f %8.0f %8.0f %8.0f %7.0f %7.0f %7.0f %7.0f %7.0f %7.0f %7.0f %7.0f\n",
		l.Articles, l.Items, l.Elapsed, l.Rate, l.RateAll, l.CPUPer, l.P50, l.P99, l.Max, l.RSS, l.HWM, l.Anon, l.File, l.GoResident, l.GoLive, l.SQLite, l.SQLitePeak)
}

func (b *bench) header() {
	fmt.Fprintf(b.out, "%9s %9s %8s %8s %8s %9s %8s %8s %8s %7s %7s %7s %7s %7s %7s %7s %7s\n",
		"articles", "items", "elapsed", "art/s", "art/s", "cpu ms", "p50 ms", "p99 ms", "max ms", "rss", "peak", "anon", "file", "go", "heap", "sqlite", "sqlite")
	fmt.Fprintf(b.out, "%9s %9s %8s %8s %8s %9s %8s %8s %8s %7s %7s %7s %7s %7s %7s %7s %7s\n",
		"visible", "handed", "s", "interval", "all", "/article", "interval", "interval", "interval", "MiB", "MiB", "MiB", "MiB", "MiB", "live", "MiB", "peak")
}

// benchSummary is the end of a run.
type benchSummary struct {
	Items       int  `json:"items"`
	Articles    int  `json:"articles"`
	Stored      int  `json:"stored"`
	Copies      int  `json:"copies"`
	Related     int  `json:"related"`
	Skipped     int  `json:"skipped"`
	Interrupted bool `json:"interrupted,omitempty"`
	// Seconds to the last article visible, and to the end of the run
	// (its last settle and digests).
	Visible  float64 `json:"visible_s"`
	Elapsed  float64 `json:"elapsed_s"`
	Rate     float64 `json:"articles_per_s"`       // articles / Visible
	ItemRate float64 `json:"items_per_s"`          // items / Visible
	CPU      float64 `json:"cpu_s"`                // whole run
	CPUPer   float64 `json:"cpu_ms_per_article"`   // CPU / articles
	Cores    float64 `json:"cores_busy"`           // CPU / Elapsed
	P50      float64 `json:"latency_p50_ms"`       // over all the items
	P90      float64 `json:"latency_p90_ms"`       //
	P99      float64 `json:"latency_p99_ms"`       //
	Max      float64 `json:"latency_max_ms"`       //
	Under1s  float64 `json:"latency_under_1s_pct"` // share of items visible within a second
	// The collector's CPU seconds over the run (the runtime's estimate),
	// and the part of them its idle-priority workers spent on cores that
	// had nothing else to run: GC less GCIdle is what it took from the
	// pipeline.
	GC     float64 `json:"gc_cpu_s"`
	GCIdle float64 `json:"gc_idle_cpu_s"`
	procMem
	RSSAt map[int]procMem `json:"memory_at,omitempty"` // at 10k, 50k, 100k, 200k... articles
	Store float64         `json:"store_mib"`           // on disk: SQLite files (database, WAL) or PostgreSQL tables
}

func (b *bench) summary(ctx context.Context, rep *ingest.Report, st store.Store) error {
	cpu := cputime.Used() - b.cpu0
	s := benchSummary{Items: b.items, Articles: b.articles, Stored: rep.Stored, Copies: rep.Copies,
		Related: rep.Related, Skipped: len(rep.Skipped), Elapsed: b.finished.Sub(b.began).Seconds(),
		CPU: cpu.Seconds(), procMem: readMem(), RSSAt: b.rssAt, Interrupted: rep.Interrupted}
	if !b.lastSeen.IsZero() {
		s.Visible = b.lastSeen.Sub(b.began).Seconds()
		s.Rate, s.ItemRate = float64(b.articles)/s.Visible, float64(b.matched)/s.Visible
	}
	if b.articles > 0 {
		s.CPUPer = ms(cpu) / float64(b.articles)
	}
	s.Cores = s.CPU / s.Elapsed
	gc := readGCCPU()
	s.GC, s.GCIdle = gc.total-b.gc0.total, gc.idle-b.gc0.idle
	all := slices.Clone(b.lat)
	slices.Sort(all)
	s.P50, s.P90, s.P99, s.Max = pct(all, 0.5), pct(all, 0.9), pct(all, 0.99), pct(all, 1)
	if len(all) > 0 {
		i, _ := slices.BinarySearch(all, time.Second)
		s.Under1s = 100 * float64(i) / float64(len(all))
	}
	if n, _, err := st.Counts(context.WithoutCancel(ctx)); err == nil && int(n) != b.articles && !s.Interrupted {
		return fmt.Errorf("the store holds %d articles, the probe saw %d", n, b.articles)
	}
	s.Store = storeMiB(ctx, st)
	if b.asJSON {
		return json.NewEncoder(b.out).Encode(map[string]benchSummary{"summary": s})
	}
	w := b.out
	fmt.Fprintf(w, "\nitems %d: stored %d, copies %d, related %d, skipped %d\n", s.Items, s.Stored, s.Copies, s.Related, s.Skipped)
	if s.Interrupted {
		fmt.Fprintln(w, "interrupted: the numbers are of the run so far")
	}
	fmt.Fprintf(w, "throughput: %.1f articles/s, %.1f items/s (last visible after %.1fs; run over after %.1fs)\n",
		s.Rate, s.ItemRate, s.Visible, s.Elapsed)
	fmt.Fprintf(w, "CPU: %.1fs, %.2f ms an article, %.2f cores busy on average (GOMAXPROCS %d)\n",
		s.CPU, s.CPUPer, s.Cores, runtime.GOMAXPROCS(0))
	if s.CPU > 0 {
		fmt.Fprintf(w, "garbage collector: %.1fs of CPU, %.0f%% of the run's (%.1fs of it on cores otherwise idle)\n",
			s.GC, 100*s.GC/s.CPU, s.GCIdle)
	}
	fmt.Fprintf(w, "ingest→visible: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms; %.1f%% within 1 s\n",
		s.P50, s.P90, s.P99, s.Max, s.Under1s)
	fmt.Fprintf(w, "store: %.0f MiB\n", s.Store)
	fmt.Fprintf(w, "memory at the end: RSS %.0f MiB (peak %.0f; anon %.0f, of which Go %.0f; file %.0f), Go heap live %.0f MiB (%.0f to scan), Go total %.0f MiB, SQLite %.0f MiB (peak %.0f)\n",
		s.RSS, s.HWM, s.Anon, s.GoResident, s.File, s.GoLive, s.GoScan, s.GoTotal, s.SQLite, s.SQLitePeak)
	for _, n := range benchRSSAt {
		if m, ok := s.RSSAt[n]; ok {
			fmt.Fprintf(w, "memory at %d articles: RSS %.0f MiB (peak %.0f; anon %.0f, of which Go %.0f; file %.0f), Go heap live %.0f MiB (%.0f to scan), SQLite %.0f MiB (peak %.0f)\n",
				n, m.RSS, m.HWM, m.Anon, m.GoResident, m.File, m.GoLive, m.GoScan, m.SQLite, m.SQLitePeak)
		}
	}
	return nil
}

// percentiles returns the median, 99th percentile and maximum of ds, in
// milliseconds.
func percentiles(ds []time.Duration) (p50, p99, max float64) {
	s := slices.Clone(ds)
	slices.Sort(s)
	return pct(s, 0.5), pct(s, 0.99), pct(s, 1)
}

// pct is the q-quantile of sorted s (nearest rank), in milliseconds.
func pct(s []time.Duration, q float64) float64 {
	if len(s) == 0 {
		return 0
	}
	i := int(q*float64(len(s)) + 0.5)
	return ms(s[min(max(i-1, 0), len(s)-1)])
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// readMem reads the process's memory from /proc/self/status (Linux; zero
// elsewhere) and the Go runtime's metrics.
func readMem() procMem {
	var m procMem
	if f, err := os.Open("/proc/self/status"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if !ok {
				continue
			}
			f := strings.Fields(v)
			if len(f) != 2 || f[1] != "kB" {
				continue
			}
			kb, _ := strconv.ParseFloat(f[0], 64)
			mib := kb / 1024
			switch k {
			case "VmRSS":
				m.RSS = mib
			case "VmHWM":
				m.HWM = mib
			case "RssAnon":
				m.Anon = mib
			case "RssFile":
				m.File = mib
			}
		}
		f.Close()
	}
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"}, {Name: "/gc/scan/heap:bytes"}}
	metrics.Read(samples)
	mib := func(i int) float64 {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return float64(samples[i].Value.Uint64()) / (1 << 20)
	}
	m.GoLive, m.GoTotal = mib(0), mib(1)
	m.GoResident = m.GoTotal - mib(2)
	m.GoScan = mib(3)
	used, peak := store.SQLiteHeap()
	m.SQLite, m.SQLitePeak = float64(used)/(1<<20), float64(peak)/(1<<20)
	return m
}

// gcCPU is the runtime's estimate of the CPU its collector has used so
// far, in seconds: all of it, and its idle-priority workers' part.
type gcCPU struct{ total, idle float64 }

func readGCCPU() gcCPU {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/gc/mark/idle:cpu-seconds"}}
	metrics.Read(s)
	f := func(i int) float64 {
		if s[i].Value.Kind() != metrics.KindFloat64 {
			return 0
		}
		return s[i].Value.Float64()
	}
	return gcCPU{f(0), f(1)}
}

// dirMiB is the size of the files in dir, in MiB.
// storeMiB is the store's size on disk: a SQLite store's files (database,
// WAL), a PostgreSQL store's tables with their indexes.
func storeMiB(ctx context.Context, st store.Store) float64 {
	switch st := st.(type) {
	case interface{ Path() string }:
		return dirMiB(filepath.Dir(st.Path()))
	case interface {
		Size(context.Context) (int64, error)
	}:
		n, _ := st.Size(context.WithoutCancel(ctx))
		return float64(n) / (1 << 20)
	}
	return 0
}

func dirMiB(dir string) float64 {
	var n int64
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
	}
	return float64(n) / (1 << 20)
}
