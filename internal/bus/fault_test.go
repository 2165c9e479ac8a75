package bus_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/bus"
	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/postgres/pgtest"
	"github.com/storyline/storyline/internal/store/storeurl"
)

// natsServerBin is the nats-server the machines of the project install;
// the fault test runs a private one, which it restarts.
const natsServerBin = "/usr/sbin/nats-server"

// TestFaultKillsAndRestart is issue 12's fault test. The ECB+ dev file
// and the Scrapinghub pages go through `storyline ingest --bus`, two
// `storyline worker`s and two `storyline assign`s (real processes of the
// binary) into the real PostgreSQL, over a private real nats-server.
// During the run one worker and the active assigner are killed (SIGKILL),
// and the NATS server is restarted once. An assigner that dies is started
// again at once, as a supervisor would, so that a standby is always
// there. At the end every input is stored exactly once and the stories
// are those of an embedded in-process run (BCubed F1 1 between the two).
//
// It needs PostgreSQL and /usr/sbin/nats-server: without them it skips,
// except in CI (CI=true), where it fails. It takes about a minute on two
// cores, and is skipped with -short outside CI.
func TestFaultKillsAndRestart(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("about a minute of two cores; skipped with -short, except in CI")
	}
	if _, err := os.Stat(natsServerBin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s missing in CI: %v", natsServerBin, err)
		}
		t.Skipf("%s missing (install nats-server to run this test): %v", natsServerBin, err)
	}
	pgtest.Need(t)
	ecbFile := shared.Path(t, "data/ecbplus-dev.jsonl")
	htmlDir := shared.Path(t, "data/extraction-scrapinghub/html")
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "storyline")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/storyline/storyline/cmd/storyline")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built the binary in %v", time.Since(began).Round(time.Millisecond))
	logs := filepath.Join(tmp, "logs")
	if err := os.Mkdir(logs, 0o755); err != nil {
		t.Fatal(err)
	}
	procs := &procSet{t: t, bin: bin, dir: logs}
	t.Cleanup(procs.stopAll)

	// The embedded in-process run of the same inputs.
	t0 := time.Now()
	ref := filepath.Join(tmp, "reference")
	if p := procs.start(ctx, "reference", "ingest", "--data", ref, "--digests=false", ecbFile, htmlDir); p.wait() != 0 {
		t.Fatalf("in-process ingest: exit %d\n%s", p.code, p.log())
	}
	want := storiesIn(t, ctx, storeurl.Location{Kind: storeurl.SQLite, Path: ref}, "")
	t.Logf("in-process run: %d articles in %v", len(want), time.Since(t0).Round(time.Millisecond))

	nats := startNATS(t, ctx, tmp)
	name := pgtest.Name(t) // the PostgreSQL schema and the bus deployment
	common := []string{"--bus", nats.url, "--name", name}
	consume := append([]string{"--ack-wait", "3s"}, common...)
	pg := storeurl.Location{Kind: storeurl.Postgres, URL: pgtest.URL()}

	t0 = time.Now()
	if p := procs.start(ctx, "ingest", append([]string{"ingest", ecbFile, htmlDir}, common...)...); p.wait() != 0 ||
		!strings.Contains(p.log(), fmt.Sprintf("published %d items", len(want))) {
		t.Fatalf("ingest --bus: exit %d, want %d items published\n%s", p.code, len(want), p.log())
	}
	t.Logf("published %d items in %v", len(want), time.Since(t0).Round(time.Millisecond))
	b, err := bus.Connect(ctx, nats.url, bus.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	t0 = time.Now()
	worker := func(i int) *proc {
		return procs.start(ctx, fmt.Sprintf("worker-%d", i), append([]string{"worker", "--drain", "--workers", "1"}, consume...)...)
	}
	w1, w2 := worker(1), worker(2)
	assigners := map[*proc]bool{} // running assigners; false once killed by the test
	nAssign := 0
	assign := func() {
		nAssign++
		p := procs.start(ctx, fmt.Sprintf("assign-%d", nAssign), append([]string{"assign", "--drain", "--store", pg.URL,
			"--digests=false"}, consume...)...)
		assigners[p] = true
	}
	assign()
	assign()

	var (
		counter                                 = storeCounter(ctx, pg, name)
		killedWorker, killedAssigner, restarted bool
		killedAt, takenOver                     time.Time
		killedHolder                            string
		atWorkerKill, atAssignerKill, atRestart int64
		leaseLosses, assignersDone              int
		total                                   = int64(len(want))
	)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for len(assigners) > 0 {
		select {
		case <-ctx.Done():
			procs.dump()
			t.Fatalf("not done after %v: stored %d of %d", time.Since(t0).Round(time.Second), counter(), total)
		case <-tick.C:
		}
		n := counter()
		switch {
		case !killedWorker && n >= total/10:
			if !w1.running() {
				t.Fatalf("worker 1 ended before it could be killed:\n%s", w1.log())
			}
			w1.kill()
			killedWorker, atWorkerKill = true, n
			t.Logf("SIGKILL worker 1 with %d stored", n)
		case killedWorker && !killedAssigner && n >= total*3/10:
			holder, err := b.Active(ctx)
			if err != nil || holder == "" {
				t.Logf("no lease holder to be read yet (%v)", err)
				continue
			}
			var active *proc
			for p := range assigners {
				if strings.HasSuffix(holder, " pid "+strconv.Itoa(p.pid())) {
					active = p
				}
			}
			if active == nil {
				t.Fatalf("the lease is held by %q, none of the assigners", holder)
			}
			active.kill()
			assigners[active] = false
			killedAt, killedHolder, killedAssigner, atAssignerKill = time.Now(), holder, true, n
			t.Logf("SIGKILL the active assigner %s (%s) with %d stored", active.name, holder, n)
		case killedAssigner && takenOver.IsZero():
			if holder, err := b.Active(ctx); err == nil && holder != "" && holder != killedHolder {
				takenOver = time.Now()
				t.Logf("%s took the lease %v after the active assigner was killed", holder, takenOver.Sub(killedAt).Round(time.Millisecond))
			}
		case !takenOver.IsZero() && !restarted && n >= atAssignerKill+total/10:
			atRestart = n
			nats.restart(ctx)
			restarted = true
		}
		for p, alive := range assigners {
			if p.running() {
				continue
			}
			delete(assigners, p)
			switch {
			case !alive:
				// Killed by the test; a supervisor starts it again.
				assign()
			case p.code == 0:
				assignersDone++
			case strings.Contains(p.log(), bus.ErrLeaseLost.Error()):
				// It could not refresh its lease while the server was
				// away, and stopped writing: a standby takes over.
				leaseLosses++
				t.Logf("%s lost the lease and stopped (exit %d); started again. It said:\n%s", p.name, p.code, linesWith(p.log(), "lease"))
				assign()
			default:
				procs.dump()
				t.Fatalf("%s: exit %d", p.name, p.code)
			}
		}
	}
	if c := w2.wait(); c != 0 {
		procs.dump()
		t.Fatalf("worker 2: exit %d", c)
	}
	if sig, ok := w1.signaled(); !ok || sig != syscall.SIGKILL {
		t.Errorf("worker 1 was not killed (exit %d)", w1.code)
	}
	took := time.Since(t0)
	if !killedWorker || !killedAssigner || !restarted || takenOver.IsZero() {
		t.Errorf("faults: worker killed %v, assigner killed %v (taken over: %v), server restarted %v; want all",
			killedWorker, killedAssigner, !takenOver.IsZero(), restarted)
	}
	if atRestart >= total {
		t.Errorf("the server was restarted after everything was stored")
	}
	// A standby takes the lease within LeaseTTL (6s) and its poll of a
	// third of it after the dead one's last refresh.
	if d := takenOver.Sub(killedAt); d > 6*time.Second+2*time.Second+time.Second {
		t.Errorf("the standby took over %v after the active assigner was killed, want within 9s", d.Round(time.Millisecond))
	}

	got := storiesIn(t, ctx, pg, name)
	if len(got) != len(want) {
		t.Errorf("stored %d distinct inputs over the bus, %d in process", len(got), len(want))
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("%s stored in process, not over the bus", k)
		}
	}
	f := eval.BCubed(got, want)
	t.Logf("over the bus: %d articles in %v (worker killed at %d, assigner at %d, server restarted at %d; %d lease losses, %d assigners drained); "+
		"BCubed against in process P %.4f R %.4f F1 %.4f; test wall time %v",
		len(got), took.Round(time.Millisecond), atWorkerKill, atAssignerKill, atRestart, leaseLosses, assignersDone, f.P, f.R, f.F1,
		time.Since(began).Round(time.Millisecond))
	if f.F1 != 1 {
		t.Errorf("BCubed F1 %.4f between the stories over the bus and in process, want 1", f.F1)
	}
	if t.Failed() {
		procs.dump()
	}
}

// linesWith returns the lines of s that hold sub.
func linesWith(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// storiesIn maps every stored article (by its external ID, its input
// when it has none) to its story, failing the test on one stored twice.
func storiesIn(t *testing.T, ctx context.Context, loc storeurl.Location, name string) map[string]string {
	t.Helper()
	st, err := loc.Open(ctx, storeurl.Options{Name: name, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := map[string]string{}
	err = st.Articles(ctx, func(a *article.Article) error {
		key := a.ExternalID
		if key == "" {
			key = a.Input
		}
		if _, dup := m[key]; dup {
			t.Errorf("%s stored twice", key)
		}
		m[key] = fmt.Sprint(a.Story)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// storeCounter returns a function counting the articles in the store
// (0 until it can be opened).
func storeCounter(ctx context.Context, loc storeurl.Location, name string) func() int64 {
	var st store.Backend
	return func() int64 {
		if st == nil {
			s, err := loc.Open(ctx, storeurl.Options{Name: name, ReadOnly: true})
			if err != nil {
				return 0
			}
			st = s
			context.AfterFunc(ctx, func() { s.Close() })
		}
		n, _, err := st.Counts(ctx)
		if err != nil {
			return 0
		}
		return n
	}
}

// natsServer is a private nats-server process.
type natsServer struct {
	t        *testing.T
	url      string
	args     []string
	log      string
	cmd      *exec.Cmd
	restarts int
}

// startNATS starts a nats-server with JetStream on a free port, its store
// in dir.
func startNATS(t *testing.T, ctx context.Context, dir string) *natsServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &natsServer{t: t, url: fmt.Sprintf("nats://127.0.0.1:%d", port), log: filepath.Join(dir, "nats-server.log"),
		args: []string{"-a", "127.0.0.1", "-p", strconv.Itoa(port), "-js", "-sd", filepath.Join(dir, "nats")}}
	s.start(ctx)
	t.Cleanup(s.stop)
	return s
}

func (s *natsServer) start(ctx context.Context) {
	s.t.Helper()
	f, err := os.OpenFile(s.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		s.t.Fatal(err)
	}
	defer f.Close()
	s.cmd = exec.Command(natsServerBin, s.args...)
	s.cmd.Stdout, s.cmd.Stderr = f, f
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start %s: %v", natsServerBin, err)
	}
	addr := strings.TrimPrefix(s.url, "nats://")
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
	log, _ := os.ReadFile(s.log)
	s.t.Fatalf("nats-server not listening on %s after 15s:\n%s", addr, log)
}

func (s *natsServer) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

// restart stops the server and starts it again on the same port and
// store, as an operator's restart does, after a second away: long enough
// for every client to notice (publishes, acknowledgements and lease
// refreshes fail, and are retried after reconnecting).
func (s *natsServer) restart(ctx context.Context) {
	t0 := time.Now()
	s.stop()
	time.Sleep(time.Second)
	s.start(ctx)
	s.restarts++
	s.t.Logf("restarted the NATS server in %v", time.Since(t0).Round(time.Millisecond))
}

// procSet runs the binary's processes, each logging to a file.
type procSet struct {
	t   *testing.T
	bin string
	dir string
	mu  sync.Mutex
	all []*proc
}

type proc struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
	code    int // once done; -1 when killed by a signal
	killed  bool
}

func (s *procSet) start(ctx context.Context, name string, args ...string) *proc {
	s.t.Helper()
	p := &proc{name: name, logPath: filepath.Join(s.dir, name+".log"), done: make(chan struct{})}
	f, err := os.Create(p.logPath)
	if err != nil {
		s.t.Fatal(err)
	}
	p.cmd = exec.Command(s.bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	// Only what the flags say: no store, bus or log level from the
	// environment of whoever runs the test.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STORYLINE_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	if err := p.cmd.Start(); err != nil {
		f.Close()
		s.t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		_ = p.cmd.Wait()
		f.Close()
		p.code = p.cmd.ProcessState.ExitCode()
		close(p.done)
	}()
	s.mu.Lock()
	s.all = append(s.all, p)
	s.mu.Unlock()
	return p
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (p *proc) wait() int {
	<-p.done
	return p.code
}

// kill sends SIGKILL and waits for the process to end.
func (p *proc) kill() {
	p.killed = true
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func (p *proc) signaled() (syscall.Signal, bool) {
	<-p.done
	ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return 0, false
	}
	return ws.Signal(), true
}

func (p *proc) log() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// stopAll kills what still runs.
func (s *procSet) stopAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.all {
		if p.running() {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
}

// dump logs the tail of every process's log.
func (s *procSet) dump() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.all {
		l := p.log()
		if len(l) > 4000 {
			l = "…" + l[len(l)-4000:]
		}
		s.t.Logf("--- %s (exit %d, killed %v):\n%s", p.name, p.code, p.killed, l)
	}
}
