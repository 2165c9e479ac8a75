package bus_test

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storyline/storyline/internal/bus"
	"github.com/storyline/storyline/internal/bus/bustest"
	"github.com/storyline/storyline/internal/cputime"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/postgres/pgtest"
	"github.com/storyline/storyline/internal/store/storeurl"
	"github.com/storyline/storyline/internal/story"
)

// The scale-out benchmarks run the split pipeline in this process through
// the exported API, as `storyline ingest --bus`, `storyline worker` and
// `storyline assign` do on their machines, on an embedded NATS server
// (the machine's own may be restarted by a fault test meanwhile), against
// the real PostgreSQL in a throwaway schema. Each iteration is one whole
// run over a dev set: "ecb" the 772 ECB+ dev articles (clean text: the
// workers' cheapest input, the assigner's hardest relative load), "html"
// the 181 Scrapinghub pages (HTML extraction makes the workers the
// bottleneck). Publishing is not timed. Run with -benchtime 1x.
//
// The paper estimate of how many workers one assigner feeds is the
// assigner's ceiling (BenchmarkAssignerCeiling's articles/s) times the
// seconds a worker spends on an article (its worker-ms/article): that
// benchmark reports the product as workers-fed.

// scaleSets are the dev sets, by name, as paths under ../shared.
var scaleSets = []struct{ name, path string }{
	{"ecb", "data/ecbplus-dev.jsonl"},
	{"html", "data/extraction-scrapinghub/html"},
}

var scaleEnv struct {
	once  sync.Once
	det   *langid.Detector
	lex   *lexicon.Lexicon
	err   error
	mu    sync.Mutex
	items map[string][]source.Item
}

// scaleEngine returns the detector and lexicon of a default command line
// (every language, the lexicons in lexicon.DefaultDir, preloaded so that
// no run pays their first load), loaded once.
func scaleEngine(b *testing.B) (*langid.Detector, *lexicon.Lexicon) {
	b.Helper()
	scaleEnv.once.Do(func() {
		ctx := context.Background()
		scaleEnv.det = langid.Default()
		lex, err := lexicon.Load(ctx, lexicon.DefaultDir, scaleEnv.det.Languages())
		if err != nil {
			scaleEnv.err = err
			return
		}
		if len(lex.Langs()) > 0 {
			if err := lex.Preload(ctx); err != nil {
				b.Logf("lexicons: %v", err)
			}
			scaleEnv.lex = lex
		}
	})
	if scaleEnv.err != nil {
		b.Fatal(scaleEnv.err)
	}
	return scaleEnv.det, scaleEnv.lex
}

// scaleItems reads a dev set's items once.
func scaleItems(b *testing.B, set, rel string) []source.Item {
	b.Helper()
	p := shared.Path(b, rel)
	scaleEnv.mu.Lock()
	defer scaleEnv.mu.Unlock()
	if its, ok := scaleEnv.items[set]; ok {
		return its
	}
	var its []source.Item
	for it := range source.Read(context.Background(), []string{p}, source.Options{}) {
		if it.Err != nil {
			b.Fatalf("%s: %v", it.Page.Input, it.Err)
		}
		its = append(its, it)
	}
	if len(its) == 0 {
		b.Fatalf("no items in %s", p)
	}
	if scaleEnv.items == nil {
		scaleEnv.items = map[string][]source.Item{}
	}
	scaleEnv.items[set] = its
	return its
}

// scaleStages are a worker's stages as `storyline worker` sets them up.
func scaleStages(det *langid.Detector, lex *lexicon.Lexicon) ingest.Stages {
	feats := story.New(story.Config{}, lex).Features()
	st := ingest.Stages{Det: det, Features: &feats}
	if lex != nil {
		st.Words = lex
	}
	return st
}

// scaleConnect connects to the deployment name on the NATS server at u.
func scaleConnect(b *testing.B, u, name string) *bus.Bus {
	b.Helper()
	bb, err := bus.Connect(context.Background(), u, bus.Options{Name: name})
	if err != nil {
		b.Fatal(err)
	}
	return bb
}

// scalePublish publishes its to a new deployment on the server at u and
// returns the deployment's name.
func scalePublish(b *testing.B, u string, its []source.Item) string {
	b.Helper()
	name := bustest.Name(b)
	bb := scaleConnect(b, u, name)
	defer bb.Close()
	rep, err := bb.Publish(context.Background(), slices.Values(its))
	if err != nil {
		b.Fatal(err)
	}
	if rep.Items != len(its) {
		b.Fatalf("published %d items of %d", rep.Items, len(its))
	}
	return name
}

// scaleWork runs n worker processes' worth of bus.Work (each its own
// connection, one item at a time) until the raw stream is empty, and
// returns how many items they prepared.
func scaleWork(ctx context.Context, u, name string, n int, st ingest.Stages) (int, error) {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		prepared int
		errs     []error
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bb, err := bus.Connect(ctx, u, bus.Options{Name: name})
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			defer bb.Close()
			rep, err := bb.Work(ctx, st, bus.WorkOptions{Workers: 1, Drain: true})
			mu.Lock()
			defer mu.Unlock()
			if rep != nil {
				prepared += rep.Prepared
			}
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return prepared, errs[0]
	}
	return prepared, nil
}

// scalePipeline opens the store at storeURL (a PostgreSQL schema of its
// own, or a SQLite folder) and the assigner's pipeline on it, as
// `storyline assign --digests=false` does.
func scalePipeline(b *testing.B, storeURL, name string, det *langid.Detector, lex *lexicon.Lexicon) (store.Backend, *ingest.Pipeline) {
	b.Helper()
	ctx := context.Background()
	st, err := storeurl.Open(ctx, storeURL, storeurl.Options{Name: name})
	if err != nil {
		b.Fatal(err)
	}
	opt := ingest.Options{}
	if lex != nil {
		opt.Words = lex
	}
	p, err := ingest.Open(ctx, st, det, story.New(story.Config{}, lex), opt)
	if err != nil {
		st.Close()
		b.Fatal(err)
	}
	return st, p
}

// BenchmarkScaleOut times whole runs of the split pipeline into
// PostgreSQL: 1 or 2 workers (each its own connection, one item at a
// time, as `storyline worker --workers 1`) and the assigner, started
// together on the published dev set and timed until the assigner has
// stored the last item. articles/s counts items in; cpu-ms/article is this
// process's CPU (workers, assigner, embedded NATS; not PostgreSQL's).
// On 2 cores the workers, the assigner, NATS and PostgreSQL share two
// cores, so the second worker can only show what the first one left idle.
func BenchmarkScaleOut(b *testing.B) {
	pgtest.Need(b)
	det, lex := scaleEngine(b)
	st := scaleStages(det, lex)
	for _, set := range scaleSets {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("data=%s/workers=%d", set.name, workers), func(b *testing.B) {
				its := scaleItems(b, set.name, set.path)
				u, _ := bustest.Embedded(b)
				var (
					items   int
					elapsed time.Duration
					cpu     time.Duration
				)
				for range b.N {
					b.StopTimer()
					name := scalePublish(b, u, its)
					schema := pgtest.Name(b)
					s, p := scalePipeline(b, pgtest.URL(), schema, det, lex)
					ab := scaleConnect(b, u, name)
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
					b.StartTimer()

					t0, c0 := time.Now(), cputime.Used()
					var (
						prepared int
						werr     error
						done     = make(chan struct{})
					)
					go func() {
						defer close(done)
						prepared, werr = scaleWork(ctx, u, name, workers, st)
					}()
					rep, err := ab.Assign(ctx, p, bus.AssignOptions{Drain: true})
					<-done
					elapsed += time.Since(t0)
					cpu += cputime.Used() - c0

					b.StopTimer()
					cancel()
					ab.Close()
					s.Close()
					if err != nil || werr != nil {
						b.Fatalf("assigner: %v; workers: %v", err, werr)
					}
					if rep.Items != len(its) || prepared != len(its) || rep.Failed() {
						b.Fatalf("%d items: workers prepared %d, assigner took %d (stored %d, skipped %d)",
							len(its), prepared, rep.Items, rep.Stored, len(rep.Skipped))
					}
					items += rep.Items
					b.StartTimer()
				}
				b.ReportMetric(float64(items)/elapsed.Seconds(), "articles/s")
				if cpu > 0 {
					b.ReportMetric(float64(cpu.Milliseconds())/float64(items), "cpu-ms/article")
				}
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// BenchmarkAssignerCeiling times the assigner alone: the dev set is
// published and prepared first, untimed, by one worker (one item at a
// time, as `storyline worker --workers 1`), and then Assign drains the
// prepared stream into the store. That rate, articles/s, is the most one
// assigner can store however many workers feed it.
//
// The worker's own run is reported too: worker-ms/article is its wall
// time an article, alone in the process, worker-cpu-ms/article the
// process's CPU meanwhile (the embedded NATS server's share included).
// A worker is CPU-bound, so on an idle machine the two agree; on a
// loaded one the wall time also counts other processes' turns.
// workers-fed is the paper estimate: articles/s × the worker's CPU
// seconds an article, the worker cores one assigner keeps busy.
//
// store=postgres is the test database's URL as given, where pgx's default
// (sslmode=prefer) encrypts even a local connection; store=postgres-notls
// the same with sslmode=disable. store=postgres-wire runs the same
// through a counting proxy in front of PostgreSQL (unencrypted, slower by
// its hops): round-trips/article and statements/article are what the
// assigner sent, pg-cpu-ms/article the CPU time of the PostgreSQL
// backends serving it (read from /proc, so on the same machine only);
// with -v the statements it sends most are logged.
//
// Measured on the 2-core development machine while another session's
// tests kept it loaded (load average 4 to 8), 2026-11-30, -count 2 three
// times; wall-clock rates vary by a third between runs, the counts not:
//
//	                      ECB+ (772, clean)   Scrapinghub (181, HTML)
//	ceiling, PostgreSQL   28–53 articles/s    11–38 articles/s
//	ceiling, SQLite       68–247 articles/s   76–121 articles/s
//	assigner CPU, PG      11–17 ms/article    16–21 ms/article, once 34
//	PostgreSQL's CPU      7–12 ms/article     11–12 ms/article
//	assigner CPU, SQLite  4.4–6.8 ms/article  6.9–7.9 ms/article
//	worker CPU            2.0–3.3 ms/article  17–33 ms/article
//	round trips to PG     77–80 an article    125 an article
//	statements            109–111             190
//	workers-fed, PG       0.08–0.13           0.4–0.8
//
// Entity resolution sent most of the statements: one INSERT per mention
// (25 an ECB+ article, 52 an HTML page), then entity and variant lookups
// and upserts one by one. Later the same day (load 1.4–6.9), with a
// transaction's entity reads cached (entity.Cache), each article's intel
// written in at most four statements and writes that return nothing sent
// with the next statement: 41–44 round trips and 73–77 statements an
// ECB+ article, 76 and 119 an HTML page; ceiling on PostgreSQL 56–75
// ECB+ articles/s, 49–50 HTML pages/s. BenchmarkScaleOut on the same machine: ECB+
// 20–43 articles/s with one worker, 15–43 with two; HTML 9–19 with one,
// 8–18 with two: in no run did the second worker help. The assigner, and
// the two cores it shares with PostgreSQL and the workers, are the limit.
func BenchmarkAssignerCeiling(b *testing.B) {
	det, lex := scaleEngine(b)
	st := scaleStages(det, lex)
	for _, set := range scaleSets {
		for _, backend := range []string{"postgres", "postgres-notls", "postgres-wire", "sqlite"} {
			b.Run(fmt.Sprintf("data=%s/store=%s", set.name, backend), func(b *testing.B) {
				if backend != "sqlite" {
					pgtest.Need(b)
				}
				its := scaleItems(b, set.name, set.path)
				u, _ := bustest.Embedded(b)
				var (
					items            int
					elapsed, cpu     time.Duration
					wwall, wcpu      time.Duration
					wire             pgWireCounts
					pgCPU            time.Duration
					pgCPUUnavailable bool
				)
				for range b.N {
					b.StopTimer()
					name := scalePublish(b, u, its)
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
					t0, c0 := time.Now(), cputime.Used()
					prepared, err := scaleWork(ctx, u, name, 1, st)
					wwall += time.Since(t0)
					wcpu += cputime.Used() - c0
					if err != nil || prepared != len(its) {
						b.Fatalf("worker prepared %d of %d: %v", prepared, len(its), err)
					}

					var (
						storeURL, schema string
						proxy            *pgWire
					)
					switch backend {
					case "sqlite":
						storeURL = "sqlite:" + b.TempDir()
					case "postgres":
						storeURL, schema = pgtest.URL(), pgtest.Name(b)
					case "postgres-notls":
						storeURL, schema = withoutTLS(b, pgtest.URL()), pgtest.Name(b)
					case "postgres-wire":
						proxy = newPGWire(b, pgtest.URL())
						storeURL, schema = proxy.url, pgtest.Name(b)
					}
					s, p := scalePipeline(b, storeURL, schema, det, lex)
					ab := scaleConnect(b, u, name)
					var pg0 map[int]time.Duration
					if proxy != nil {
						proxy.reset()
						pg0 = proxy.backendCPU(ctx)
					}
					b.StartTimer()

					t0, c0 = time.Now(), cputime.Used()
					rep, err := ab.Assign(ctx, p, bus.AssignOptions{Drain: true})
					elapsed += time.Since(t0)
					cpu += cputime.Used() - c0

					b.StopTimer()
					if proxy != nil {
						w := proxy.counts()
						wire.add(w)
						pg1 := proxy.backendCPU(ctx)
						if pg1 == nil {
							pgCPUUnavailable = true
						}
						for pid, c := range pg1 {
							pgCPU += c - pg0[pid]
						}
					}
					cancel()
					ab.Close()
					s.Close()
					if err != nil {
						b.Fatalf("assigner: %v", err)
					}
					if rep.Items != len(its) || rep.Failed() {
						b.Fatalf("%d items: assigner took %d (stored %d, skipped %d)", len(its), rep.Items, rep.Stored, len(rep.Skipped))
					}
					items += rep.Items
					b.StartTimer()
				}
				n := float64(items)
				rate := n / elapsed.Seconds()
				b.ReportMetric(rate, "articles/s")
				if cpu > 0 {
					b.ReportMetric(float64(cpu.Microseconds())/1e3/n, "cpu-ms/article")
				}
				b.ReportMetric(wwall.Seconds()*1e3/n, "worker-ms/article")
				wsec := wwall.Seconds() / n
				if wcpu > 0 {
					wsec = wcpu.Seconds() / n
					b.ReportMetric(wsec*1e3, "worker-cpu-ms/article")
				}
				b.ReportMetric(rate*wsec, "workers-fed")
				if backend == "postgres-wire" {
					b.ReportMetric(float64(wire.roundTrips)/n, "round-trips/article")
					b.ReportMetric(float64(wire.statements)/n, "statements/article")
					if !pgCPUUnavailable {
						b.ReportMetric(float64(pgCPU.Microseconds())/1e3/n, "pg-cpu-ms/article")
					}
					b.Logf("%.1f round trips, %.1f statements an article; most sent:\n%s",
						float64(wire.roundTrips)/n, float64(wire.statements)/n, wire.top(15, n))
				}
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// pgWire is a TCP proxy in front of PostgreSQL that reads what its
// clients send (the frontend side of the wire protocol) and counts round
// trips (Sync, simple Query, CopyDone: each waits for the server) and
// statements executed (Bind, simple Query), each statement by its SQL.
type pgWire struct {
	url    string // the target's URL with the proxy's address
	target string // host:port
	ln     net.Listener

	mu    sync.Mutex
	ports []int             // the proxy's local ports towards the server
	sql   map[string]string // prepared statement name → SQL
	c     pgWireCounts
}

type pgWireCounts struct {
	roundTrips, statements int
	bySQL                  map[string]int
}

func (c *pgWireCounts) add(o pgWireCounts) {
	c.roundTrips += o.roundTrips
	c.statements += o.statements
	if c.bySQL == nil {
		c.bySQL = map[string]int{}
	}
	for q, k := range o.bySQL {
		c.bySQL[q] += k
	}
}

// top lists the k statements executed most, with how often an article.
func (c *pgWireCounts) top(k int, articles float64) string {
	type row struct {
		sql string
		n   int
	}
	var rows []row
	for q, n := range c.bySQL {
		rows = append(rows, row{q, n})
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.sql, b.sql)) })
	var sb strings.Builder
	for i, r := range rows {
		if i == k {
			break
		}
		q := strings.Join(strings.Fields(r.sql), " ")
		if len(q) > 110 {
			q = q[:110] + "…"
		}
		fmt.Fprintf(&sb, "%8.2f  %s\n", float64(r.n)/articles, q)
	}
	return sb.String()
}

func newPGWire(b *testing.B, target string) *pgWire {
	b.Helper()
	u, err := url.Parse(target)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	w := &pgWire{target: u.Host, ln: ln, sql: map[string]string{}}
	if w.target == "" {
		w.target = "127.0.0.1:5432"
	} else if _, _, err := net.SplitHostPort(w.target); err != nil {
		w.target = net.JoinHostPort(w.target, "5432")
	}
	u.Host = ln.Addr().String()
	w.url = withoutTLS(b, u.String()) // so that every message after the startup is readable
	w.reset()
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go w.serve(c)
		}
	}()
	return w
}

// withoutTLS returns the PostgreSQL URL u with sslmode=disable.
func withoutTLS(b *testing.B, u string) string {
	b.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		b.Fatal(err)
	}
	q := pu.Query()
	q.Set("sslmode", "disable")
	pu.RawQuery = q.Encode()
	return pu.String()
}

func (w *pgWire) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.c = pgWireCounts{bySQL: map[string]int{}}
}

func (w *pgWire) counts() pgWireCounts {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := w.c
	c.bySQL = map[string]int{}
	for q, n := range w.c.bySQL {
		c.bySQL[q] = n
	}
	return c
}

// serve relays one client connection, reading the client's messages.
func (w *pgWire) serve(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", w.target)
	if err != nil {
		return
	}
	defer up.Close()
	w.mu.Lock()
	w.ports = append(w.ports, up.LocalAddr().(*net.TCPAddr).Port)
	w.mu.Unlock()
	go func() {
		io.Copy(c, up)
		c.Close()
	}()
	r := bufio.NewReaderSize(c, 64<<10)
	out := bufio.NewWriterSize(up, 64<<10)
	var hdr [5]byte
	relay := func(h []byte) ([]byte, error) {
		if _, err := io.ReadFull(r, h); err != nil {
			return nil, err
		}
		n := int(binary.BigEndian.Uint32(h[len(h)-4:])) - 4
		if n < 0 {
			return nil, fmt.Errorf("bad length")
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return nil, err
		}
		out.Write(h)
		out.Write(body)
		if r.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return nil, err
			}
		}
		return body, nil
	}
	// Untyped messages come first: SSL and GSS encryption requests, then
	// the startup message.
	for {
		body, err := relay(hdr[1:])
		if err != nil || len(body) < 4 {
			return
		}
		if code := binary.BigEndian.Uint32(body); code != 80877103 && code != 80877104 {
			break
		}
	}
	var unnamed string // this connection's unnamed prepared statement
	cstring := func(b []byte) (string, []byte) {
		i := slices.Index(b, 0)
		if i < 0 {
			return string(b), nil
		}
		return string(b[:i]), b[i+1:]
	}
	for {
		body, err := relay(hdr[:])
		if err != nil {
			return
		}
		w.mu.Lock()
		switch hdr[0] {
		case 'P': // Parse: name, SQL
			name, rest := cstring(body)
			q, _ := cstring(rest)
			if name == "" {
				unnamed = q
			} else {
				w.sql[name] = q
			}
		case 'B': // Bind: portal, statement name
			_, rest := cstring(body)
			name, _ := cstring(rest)
			q := unnamed
			if name != "" {
				q = w.sql[name]
			}
			w.c.statements++
			w.c.bySQL[q]++
		case 'Q': // simple query
			q, _ := cstring(body)
			w.c.statements++
			w.c.roundTrips++
			w.c.bySQL[q]++
		case 'S', 'c': // Sync, CopyDone
			w.c.roundTrips++
		}
		w.mu.Unlock()
	}
}

// backendCPU returns the CPU time of the PostgreSQL backends serving the
// proxy's connections now, by process ID; nil when it cannot be read (a
// server on another machine).
func (w *pgWire) backendCPU(ctx context.Context) map[int]time.Duration {
	w.mu.Lock()
	ports := slices.Clone(w.ports)
	w.mu.Unlock()
	conn, err := pgx.Connect(ctx, pgtest.URL())
	if err != nil {
		return nil
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1)`, ports)
	if err != nil {
		return nil
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil
	}
	out := map[int]time.Duration{}
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return nil
		}
		// Fields after the command's closing parenthesis start at the
		// third, state; utime and stime are the 14th and 15th, in clock
		// ticks (100 a second on Linux).
		s := string(stat)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			return nil
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		out[int(pid)] = time.Duration(ut+st) * 10 * time.Millisecond
	}
	return out
}
