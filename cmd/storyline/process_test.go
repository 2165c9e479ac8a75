package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/shared"
)

// exitInterrupted is what storyline exits with when SIGINT or SIGTERM
// stopped it (cli.exitInterrupted, the shells' 128+2).
const exitInterrupted = 130

// TestTwoWritersOneStore is the repro: two ingests started at once
// on one data folder. One waits for the other's lock, says so, and both
// succeed; the store is what two sequential runs in the lock's order make.
func TestTwoWritersOneStore(t *testing.T) {
	ecb := shared.Path(t, "data/ecbplus-dev.jsonl")
	pages := htmlPages(t, 30)
	tmp := t.TempDir()
	a := filepath.Join(tmp, "a.jsonl")
	writeHead(t, ecb, 150, a)
	d := filepath.Join(tmp, "d")

	jsonlArgs := []string{"ingest", "--data", d, a}
	htmlArgs := append([]string{"ingest", "--data", d}, pages...)
	t0 := time.Now()
	pj := start(t, "jsonl ingest", jsonlArgs...)
	ph := start(t, "html ingest", htmlArgs...)
	cj, ch := pj.wait(), ph.wait()
	t.Logf("concurrent ingests done in %s: jsonl exit %d in %s, html exit %d in %s",
		time.Since(t0).Round(time.Millisecond), cj, pj.duration().Round(time.Millisecond), ch, ph.duration().Round(time.Millisecond))
	for _, p := range []*proc{pj, ph} {
		t.Logf("%s stdout:\n%s", p.name, p.stdout)
		if s := p.stderr.String(); s != "" {
			t.Logf("%s stderr:\n%s", p.name, s)
		}
		if c := p.wait(); c != 0 {
			t.Errorf("%s: exit %d, want 0", p, c)
		}
		for _, line := range strings.Split(strings.TrimSpace(p.stderr.String()), "\n") {
			switch {
			case line == "" || strings.Contains(line, "waiting for"):
			case line == stoppingLine:
				// No signal was sent: see TestQuietExit, which fails on it.
				t.Logf("%s: spurious %q without a signal (TestQuietExit covers it)", p.name, line)
			default:
				t.Errorf("%s: unexpected stderr line: %s", p.name, line)
			}
		}
	}
	wj, jWaited := waitedFor(pj.stderr.String())
	wh, hWaited := waitedFor(ph.stderr.String())
	var first, second []string // the inputs, in the order the lock let them run
	switch {
	case jWaited && hWaited:
		t.Fatalf("both ingests say they waited for the other")
	case !jWaited && !hWaited:
		t.Fatalf("neither ingest printed \"waiting for\": two writers on one store, or one finished before the other started (jsonl %s, html %s)",
			pj.duration(), ph.duration())
	case jWaited:
		if wj != ph.pid() {
			t.Errorf("jsonl ingest waited for pid %d, but the html ingest is pid %d: %q", wj, ph.pid(), pj.stderr)
		}
		first, second = htmlArgs[3:], jsonlArgs[3:]
		t.Logf("the html ingest held the lock first; the jsonl ingest waited")
	default:
		if wh != pj.pid() {
			t.Errorf("html ingest waited for pid %d, but the jsonl ingest is pid %d: %q", wh, pj.pid(), ph.stderr)
		}
		first, second = jsonlArgs[3:], htmlArgs[3:]
		t.Logf("the jsonl ingest held the lock first; the html ingest waited")
	}
	if t.Failed() {
		t.FailNow()
	}

	// The same runs, one after the other, into a fresh folder.
	seqDir := filepath.Join(tmp, "seq")
	mustIngest(t, seqDir, first...)
	mustIngest(t, seqDir, second...)

	got, want := export(t, d), export(t, seqDir)
	keys, wantKeys := keysOf(t, "concurrent", got), keysOf(t, "sequential", want)
	sameKeys(t, "concurrent vs sequential", keys, wantKeys)
	if len(got) != len(want) || len(got) < 150+len(pages) {
		t.Errorf("concurrent store has %d articles, sequential %d; want equal and at least %d (150 lines + %d pages)",
			len(got), len(want), 150+len(pages), len(pages))
	}
	gp, wp := partitionOf(t, got), partitionOf(t, want)
	samePartition(t, "concurrent vs sequential", gp, wp)
	mixed := func(p partition) map[string]bool {
		m := map[string]bool{}
		for _, g := range p {
			var j, h bool
			for _, k := range g {
				if strings.HasPrefix(k, "id:") {
					j = true
				} else {
					h = true
				}
			}
			if j && h {
				m[strings.Join(g, " ")] = true
			}
		}
		return m
	}
	gm, wm := mixed(gp), mixed(wp)
	for g := range gm {
		if !wm[g] {
			t.Errorf("a story mixes JSONL and HTML articles in the concurrent store only: %s", g)
		}
	}
	t.Logf("%d articles in %d stories (sequential: %d in %d); stories mixing JSONL and HTML: %d (sequential %d)",
		len(got), len(gp), len(want), len(wp), len(gm), len(wm))
}

// TestReadersNeverWait runs export and stories again and again while a long
// ingest writes the store: they never fail and never see a committed
// article vanish, and the store ends as a clean run's. That they do not
// block on the writer store's TestReadersDuringWrite shows with a write
// held open; how long they take here is logged, not bounded, since it
// depends on what else the machine runs (a 3 s bound failed at 3.28 s
// beside the other packages' tests on 2 cores, passing at 1.72 s alone).
func TestReadersNeverWait(t *testing.T) {
	ecb := shared.Path(t, "data/ecbplus-dev.jsonl")
	htmlDir := shared.Path(t, "data/extraction-scrapinghub/html")
	d := filepath.Join(t.TempDir(), "d")
	ing := start(t, "ingest", "ingest", "--data", d, ecb, htmlDir)
	first := waitFirstCommit(t, d, ing, 2*time.Minute)
	t.Logf("first commit seen %s after the ingest started", first.Round(time.Millisecond))

	const loopFor = 5 * time.Second
	var calls, during, lastCount, spurious int
	var maxLat time.Duration
	var maxWhat string
	t0 := time.Now()
	for time.Since(t0) < loopFor && ing.running() {
		for _, args := range [][]string{{"export", "--data", d}, {"stories", "--data", d, "--json", "-n", "0"}} {
			r := run(t, args...)
			calls++
			if ing.running() {
				during++
			}
			if r.took > maxLat {
				maxLat, maxWhat = r.took, args[0]
			}
			if r.code != 0 {
				t.Errorf("%s during ingest: exit %d, stderr: %s", args[0], r.code, r.stderr)
			}
			if b := hasBad(r.stderr); b != "" {
				t.Errorf("%s during ingest: stderr says %q: %s", args[0], b, r.stderr)
			} else if withoutStopping(r.stderr) != "" {
				t.Errorf("%s during ingest: stderr not empty: %s", args[0], r.stderr)
			} else if r.stderr != "" {
				spurious++
			}
			if args[0] == "export" {
				n := len(parseExport(t, r.stdout))
				if n < lastCount {
					t.Errorf("export saw %d articles after seeing %d: committed articles vanished", n, lastCount)
				}
				lastCount = n
			} else {
				sc := bufio.NewScanner(strings.NewReader(r.stdout))
				sc.Buffer(nil, 16<<20)
				for sc.Scan() {
					checkStoryLine(t, sc.Bytes())
				}
			}
		}
	}
	t.Logf("%d reader calls in %s, %d of them ended while the ingest ran; max latency %s (%s); last export %d articles",
		calls, time.Since(t0).Round(time.Millisecond), during, maxLat.Round(time.Millisecond), maxWhat, lastCount)
	if spurious > 0 {
		t.Logf("%d reader calls printed the spurious %q (TestQuietExit covers it)", spurious, stoppingLine)
	}
	if during == 0 {
		t.Errorf("the ingest ended before any reader call did: nothing was checked alongside it")
	}
	if c := ing.wait(); c != 0 {
		t.Errorf("ingest: exit %d\nstdout:\n%s\nstderr:\n%s", c, ing.stdout, ing.stderr)
	}
	t.Logf("ingest: %s in %s", firstLine(ing.stdout.String()), ing.duration().Round(time.Millisecond))
	if s := ing.stderr.String(); s != "" {
		t.Logf("ingest stderr:\n%s", s)
		if b := hasBad(s); b != "" {
			t.Errorf("ingest stderr says %q", b)
		}
	}
	// Readers alongside change nothing: the store is a clean run's.
	got, want := export(t, d), reference(t, ecb, htmlDir)
	sameKeys(t, "ingest with readers vs clean run", keysOf(t, "ingest with readers", got), keysOf(t, "clean run", want))
	samePartition(t, "ingest with readers vs clean run", partitionOf(t, got), partitionOf(t, want))
}

// TestInterruptKeepsWhatItSays interrupts an ingest after its first commit:
// it reports "interrupted", exits with the run-error status, and export
// shows exactly what the report counts. Running it again finishes the work
// as one clean run would have, and a third run changes nothing.
func TestInterruptKeepsWhatItSays(t *testing.T) {
	ecb := shared.Path(t, "data/ecbplus-dev.jsonl")
	d := filepath.Join(t.TempDir(), "d")
	ing := start(t, "ingest", "ingest", "--data", d, ecb)
	first := waitFirstCommit(t, d, ing, 2*time.Minute)
	if !ing.signal(t, os.Interrupt) {
		t.Fatalf("ingest finished before SIGINT could be sent (%s after start)\nstdout:\n%s", first, ing.stdout)
	}
	sentAt := time.Now()
	code := ing.wait()
	out, errOut := ing.stdout.String(), ing.stderr.String()
	t.Logf("SIGINT %s after start (first commit seen); exited %s later with code %d\nstdout:\n%s\nstderr:\n%s",
		first.Round(time.Millisecond), time.Since(sentAt).Round(time.Millisecond), code, out, errOut)
	if sig, ok := ing.signaled(); ok {
		t.Fatalf("the first SIGINT killed the process (%s) instead of stopping the run", sig)
	}
	if code != exitInterrupted {
		t.Errorf("interrupted ingest: exit %d, want %d", code, exitInterrupted)
	}
	if !strings.Contains(out, "interrupted") {
		t.Errorf("the report does not say \"interrupted\"")
	}
	if b := hasBad(errOut); b != "" {
		t.Errorf("interrupted ingest's stderr says %q", b)
	}
	rep := parseReport(t, out)
	arts := export(t, d)
	kept := rep.stored + rep.copies + rep.related
	if len(arts) != kept {
		t.Errorf("report counts stored %d + copies %d + related %d = %d, export shows %d articles",
			rep.stored, rep.copies, rep.related, kept, len(arts))
	}
	want := reference(t, ecb)
	if kept == 0 || kept >= len(want) {
		t.Logf("note: the interrupted run kept %d of %d articles", kept, len(want))
	}

	// Go on: the same command finishes the work.
	r := mustIngest(t, d, ecb)
	t.Logf("resumed run: %s (%s)", strings.TrimSpace(r.stdout), r.took.Round(time.Millisecond))
	if strings.Contains(r.stdout, "interrupted") {
		t.Errorf("the resumed run says interrupted")
	}
	rep2 := parseReport(t, r.stdout)
	if got := kept + rep2.stored + rep2.copies + rep2.related; got != len(want) {
		t.Errorf("the two runs stored %d + %d articles, a clean run %d", kept, got-kept, len(want))
	}
	if rep2.duplicate != kept {
		t.Errorf("the resumed run found %d articles already stored, the interrupted one reported %d", rep2.duplicate, kept)
	}
	got := export(t, d)
	sameKeys(t, "interrupted+resumed vs clean run", keysOf(t, "interrupted+resumed", got), keysOf(t, "clean run", want))
	samePartition(t, "interrupted+resumed vs clean run", partitionOf(t, got), partitionOf(t, want))

	// Once more: nothing new, nothing changed.
	before := run(t, "export", "--data", d)
	r3 := mustIngest(t, d, ecb)
	after := run(t, "export", "--data", d)
	rep3 := parseReport(t, r3.stdout)
	if !strings.Contains(r3.stdout, "nothing new") || rep3.stored+rep3.copies+rep3.related != 0 {
		t.Errorf("re-running a finished ingest: want \"nothing new\" and nothing stored, got:\n%s", r3.stdout)
	}
	if before.stdout != after.stdout {
		t.Errorf("re-running a finished ingest changed the export (%d bytes before, %d after)", len(before.stdout), len(after.stdout))
	}
}

// TestQuietExit runs commands that nobody interrupts: none may say it is
// stopping because of an interrupt, nor print anything else on stderr.
func TestQuietExit(t *testing.T) {
	pages := htmlPages(t, 3)
	d := filepath.Join(t.TempDir(), "d")
	noisy := 0
	check := func(r result, what string) {
		if r.code != 0 {
			t.Errorf("%s: exit %d: %s", what, r.code, r.stderr)
		}
		if r.stderr != "" {
			noisy++
			if noisy <= 3 {
				t.Errorf("%s, not interrupted, printed on stderr: %q", what, r.stderr)
			}
		}
	}
	// The fault this looks for is a race that shows in a few percent of
	// runs (main's stop() wakes the goroutine that prints the line): run
	// many, so that it shows in most runs of this test.
	const n = 30
	for i := 0; i < n; i++ {
		if i%3 == 0 {
			check(run(t, append([]string{"ingest", "--data", d}, pages...)...), "ingest")
		}
		check(run(t, "stories", "--data", d, "-n", "1"), "stories")
		check(run(t, "export", "--data", d), "export")
	}
	if noisy > 0 {
		t.Errorf("%d of %d uninterrupted commands printed on stderr", noisy, 2*n+n/3)
	}
}

// TestEveryArticleHasAStory checks that after a completed run every stored
// article is in a story readers see (export's "story" is never missing).
func TestEveryArticleHasAStory(t *testing.T) {
	pages := htmlPages(t, 10)
	d := filepath.Join(t.TempDir(), "d")
	r := mustIngest(t, d, pages...)
	t.Logf("%s", strings.TrimSpace(r.stdout))
	arts := export(t, d)
	for _, a := range arts {
		if a.Story == 0 {
			t.Errorf("article %s (%s) has no story after a completed run", a.ID, a.key())
		}
	}
}
