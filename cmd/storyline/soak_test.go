package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/shared"
)

// TestSoak is the acceptance test. Ingests of the same inputs into
// one folder are killed (SIGKILL) or interrupted (SIGINT) at random
// moments, round after round, while readers read the store all along and,
// in round 2, a second writer waits for the lock and then runs (it is
// stopped too, at a random moment after it took the lock). A last ingest
// finishes the work. Nothing a user did not cause may show on stderr,
// every input must be stored exactly once, and the stories must be those
// of one clean run.
//
// STORYLINE_SOAK_ROUNDS sets the number of rounds (default 4, at least 2);
// STORYLINE_SOAK_SEED replays a run's random moments.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: skipped under -short")
	}
	ecb := shared.Path(t, "data/ecbplus-dev.jsonl")
	htmlDir := shared.Path(t, "data/extraction-scrapinghub/html")
	inputs := []string{ecb, htmlDir}
	rounds := 4
	if v := os.Getenv("STORYLINE_SOAK_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("STORYLINE_SOAK_ROUNDS=%q: %v", v, err)
		}
		rounds = max(n, 2)
	}
	seed := time.Now().UnixNano()
	if v := os.Getenv("STORYLINE_SOAK_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseInt(v, 10, 64); err != nil {
			t.Fatalf("STORYLINE_SOAK_SEED=%q: %v", v, err)
		}
	}
	t.Logf("seed %d (STORYLINE_SOAK_SEED=%d replays it), %d rounds", seed, seed, rounds)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	t0 := time.Now()

	ref := reference(t, inputs...)
	t.Logf("phase reference: %s, %d articles", time.Since(t0).Round(time.Millisecond), len(ref))

	d := filepath.Join(t.TempDir(), "d")
	args := append([]string{"ingest", "--data", d}, inputs...)

	// Readers, all along.
	readers := &readerLoop{dir: d, stop: make(chan struct{}), done: make(chan struct{})}
	go readers.run()
	stopReaders := sync.OnceFunc(func() { close(readers.stop); <-readers.done })
	t.Cleanup(stopReaders)

	type stopped struct {
		p      *proc
		sig    syscall.Signal
		after  time.Duration
		sent   bool
		waited bool // the process was still waiting for the lock when signalled
	}
	var runs []stopped
	var all []*proc // every ingest, for the stderr check
	sigs := [2]syscall.Signal{syscall.SIGKILL, syscall.SIGINT}
	firstSig := rng.IntN(2)
	randDelay := func() time.Duration {
		return 300*time.Millisecond + time.Duration(rng.Int64N(int64(3700*time.Millisecond)))
	}
	stopAt := func(p *proc, sig syscall.Signal, at time.Time) stopped {
		time.Sleep(time.Until(at))
		holds := holdsLock(d, p)
		sent := p.signal(t, sig)
		p.wait()
		return stopped{p: p, sig: sig, after: at.Sub(p.started), sent: sent, waited: !holds}
	}
	tRounds := time.Now()
	var second *proc
	for i := 1; i <= rounds; i++ {
		p := start(t, fmt.Sprintf("round %d", i), args...)
		all = append(all, p)
		at := p.started.Add(randDelay())
		sig := sigs[(firstSig+i)%2]
		if i == 2 {
			// The second writer starts once this round's holds the lock,
			// so it must wait.
			if !waitHolder(d, p, time.Minute) {
				t.Errorf("round 2's ingest never took the lock (exit %d): %s", p.wait(), p.stderr)
			} else {
				second = start(t, "second writer", args...)
				all = append(all, second)
			}
		}
		runs = append(runs, stopAt(p, sig, at))
		if i == 2 && second != nil {
			if !waitHolder(d, second, 2*time.Minute) {
				t.Errorf("the second writer never took the lock after round 2's ingest ended (exit %d):\n%s",
					second.wait(), second.stderr)
			} else {
				runs = append(runs, stopAt(second, sigs[rng.IntN(2)], time.Now().Add(randDelay())))
			}
		}
	}
	t.Logf("phase rounds: %s", time.Since(tRounds).Round(time.Millisecond))

	for _, r := range runs {
		code := r.p.wait()
		sigGot, killed := r.p.signaled()
		state := fmt.Sprintf("exit %d", code)
		if killed {
			state = fmt.Sprintf("ended by signal %d (%s)", int(sigGot), sigGot)
		}
		where := "holding the lock"
		if r.waited {
			where = "before taking the lock"
		}
		t.Logf("%s: %s after %s (%s; sent %v): %s in %s; report: %s", r.p.name, r.sig, r.after.Round(time.Millisecond),
			where, r.sent, state, r.p.duration().Round(time.Millisecond), firstLine(r.p.stdout.String()))
		switch {
		case !r.sent:
			if code != 0 {
				t.Errorf("%s ended on its own before the signal with exit %d:\n%s", r.p.name, code, r.p.stderr)
			}
		case r.sig == syscall.SIGKILL:
			if !killed && code != 0 {
				t.Errorf("%s: SIGKILL sent, but it exited %d", r.p.name, code)
			}
		case code == 0:
			// Finished just as the signal came.
		case killed && sigGot == syscall.SIGINT && r.waited:
			// Go installs the handler when main starts; a SIGINT while
			// the libraries still initialise (go-dateparser's tables
			// take a second on a loaded machine) ends the process by
			// the default action, before it has done anything.
		case code != exitInterrupted:
			t.Errorf("%s: SIGINT sent, exit %d, want %d (interrupted)\nstdout:\n%s\nstderr:\n%s",
				r.p.name, code, exitInterrupted, r.p.stdout, r.p.stderr)
		case r.p.stdout.String() != "" && !strings.Contains(r.p.stdout.String(), "interrupted"):
			t.Errorf("%s: SIGINT sent, exit %d, but the report does not say interrupted:\n%s", r.p.name, code, r.p.stdout)
		}
	}
	if second != nil {
		// Round 2's ingest may be stopped before the second writer, still
		// loading its dictionaries, first tries the lock: then it never
		// waits. TestTwoWritersOneStore checks the message itself.
		pid, ok := waitedFor(second.stderr.String())
		switch {
		case !ok:
			t.Logf("the second writer did not wait:\n%s", second.stderr)
		case pid != runs[1].p.pid():
			t.Errorf("the second writer waited for pid %d, round 2's ingest is pid %d: %s", pid, runs[1].p.pid(), second.stderr)
		}
	}

	// The last run finishes the work.
	tFinal := time.Now()
	final := start(t, "final", args...)
	all = append(all, final)
	if c := final.wait(); c != 0 || strings.Contains(final.stdout.String(), "interrupted") {
		t.Errorf("final ingest: exit %d\nstdout:\n%s\nstderr:\n%s", c, final.stdout, final.stderr)
	}
	t.Logf("phase final ingest: %s; report: %s", time.Since(tFinal).Round(time.Millisecond), strings.TrimSpace(final.stdout.String()))
	stopReaders()

	// Nothing a user did not cause on stderr.
	for _, p := range all {
		interrupted := false
		for _, r := range runs {
			interrupted = interrupted || (r.p == p && r.sent && r.sig == syscall.SIGINT)
		}
		for _, line := range strings.Split(strings.TrimSpace(p.stderr.String()), "\n") {
			if b := hasBad(line); b != "" {
				t.Errorf("%s: stderr says %q: %s", p.name, b, line)
				continue
			}
			switch {
			case line == "", strings.Contains(line, "waiting for"), line == stoppingLine:
			case interrupted && line == "storyline ingest: interrupted":
			case strings.Contains(line, "level=WARN"):
				t.Logf("%s: warning on stderr: %s", p.name, line)
			default:
				t.Errorf("%s: unexpected stderr line: %s", p.name, line)
			}
		}
	}
	readers.report(t)

	// Every input exactly once, in the clean run's stories.
	got := export(t, d)
	sameKeys(t, "soak vs clean run", keysOf(t, "soak", got), keysOf(t, "clean run", ref))
	if len(got) != len(ref) {
		t.Errorf("soak store has %d articles, the clean run %d", len(got), len(ref))
	}
	gp, rp := partitionOf(t, got), partitionOf(t, ref)
	samePartition(t, "soak vs clean run", gp, rp)
	t.Logf("soak store: %d articles in %d groups (clean run: %d in %d); total %s",
		len(got), len(gp), len(ref), len(rp), time.Since(t0).Round(time.Millisecond))
}

// holdsLock reports whether the lock file names p as its holder (the file
// keeps the last holder's name after it exits).
func holdsLock(dir string, p *proc) bool {
	b, _ := os.ReadFile(filepath.Join(dir, "storyline.lock"))
	return strings.Contains(string(b), fmt.Sprintf("(pid %d)", p.pid()))
}

// waitHolder waits until p holds the lock of dir; false when p exits first
// or limit passes.
func waitHolder(dir string, p *proc, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if holdsLock(dir, p) {
			return true
		}
		if !p.running() {
			return holdsLock(dir, p)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// readerLoop runs export and stories on a folder over and over until
// stopped, from the first time a store with a committed batch is there.
type readerLoop struct {
	dir        string
	stop, done chan struct{}

	// Set by run, read after done.
	calls, spurious int
	maxLat          time.Duration
	maxWhat         string
	lastCount       int
	failures        []string
	took            map[string][]time.Duration // by command
}

func (r *readerLoop) run() {
	defer close(r.done)
	ready := false
	for i := 0; ; i++ {
		select {
		case <-r.stop:
			return
		default:
		}
		if !ready {
			if _, err := os.Stat(filepath.Join(r.dir, "storyline.db")); err == nil {
				res, err := runPlain("stories", "--data", r.dir, "-n", "1")
				ready = err == nil && res.code == 0 && strings.TrimSpace(res.stdout) != ""
			}
			if !ready {
				time.Sleep(50 * time.Millisecond)
			}
			continue
		}
		args := []string{"export", "--data", r.dir}
		if i%2 == 1 {
			args = []string{"stories", "--data", r.dir, "--json", "-n", "0"}
		}
		res, err := runPlain(args...)
		r.calls++
		if err != nil {
			r.fail("%s: %v", args[0], err)
			continue
		}
		if res.took > r.maxLat {
			r.maxLat, r.maxWhat = res.took, args[0]
		}
		if res.code != 0 {
			r.fail("%s: exit %d after %s, stderr: %s", args[0], res.code, res.took, res.stderr)
		}
		switch {
		case res.stderr == stoppingLine+"\n":
			r.spurious++
		case res.stderr != "":
			r.fail("%s: stderr: %s", args[0], res.stderr)
		}
		if r.took == nil {
			r.took = map[string][]time.Duration{}
		}
		r.took[args[0]] = append(r.took[args[0]], res.took)
		if args[0] == "export" && res.code == 0 {
			n := strings.Count(res.stdout, "\n")
			if n < r.lastCount {
				r.fail("export saw %d articles after seeing %d: committed articles vanished", n, r.lastCount)
			}
			r.lastCount = n
		}
	}
}

func (r *readerLoop) fail(format string, a ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, a...))
}

func (r *readerLoop) report(t *testing.T) {
	t.Helper()
	<-r.done
	t.Logf("readers: %d calls, max latency %s (%s), last export %d articles", r.calls, r.maxLat.Round(time.Millisecond), r.maxWhat, r.lastCount)
	if r.calls == 0 {
		t.Errorf("no reader call ran alongside the writers")
	}
	// A reader must not wait for the writers: each call took no more than
	// three times what the same command takes on the finished store with
	// nobody writing, and never above 3 s unless that does too. A call
	// that waited for a batch or a settle would take the writer's time
	// on top; a fixed bound alone failed on loaded machines, where
	// starting the process takes a second.
	for what, tooks := range r.took {
		args := []string{"export", "--data", r.dir}
		if what == "stories" {
			args = []string{"stories", "--data", r.dir, "--json", "-n", "0"}
		}
		alone, err := runPlain(args...)
		if err != nil || alone.code != 0 {
			t.Errorf("%s on the finished store: %v (exit %d)", what, err, alone.code)
			continue
		}
		limit := max(3*time.Second, 3*alone.took)
		for _, d := range tooks {
			if d >= limit {
				r.fail("%s took %s while writers ran (want < %s: alone it takes %s)", what, d, limit.Round(time.Millisecond), alone.took.Round(time.Millisecond))
			}
		}
	}
	for i, f := range r.failures {
		if i == 10 {
			t.Errorf("readers: ... %d more failures", len(r.failures)-10)
			break
		}
		t.Errorf("reader: %s", f)
	}
	if r.spurious > 0 {
		// The issue asks for empty reader stderr; this is the fault
		// TestQuietExit isolates.
		t.Errorf("readers: %d of %d calls printed %q although nobody interrupted them", r.spurious, r.calls, stoppingLine)
	}
}

// runPlain runs the binary to its end without a testing.TB, for
// goroutines other than the test's.
func runPlain(args ...string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), procTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "STORYLINE_LOG=warn")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String(), took: time.Since(t0)}
	if cmd.ProcessState == nil {
		return res, err
	}
	res.code = cmd.ProcessState.ExitCode()
	return res, nil
}
