package main

// Helpers for the process tests: they build the storyline binary once and
// run it as real processes on their own data folders, the way people and
// scripts run it.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/shared"
)

// binary is the storyline binary TestMain builds.
var binary string

// refDir holds the clean reference stores, shared by the tests.
var refDir string

func TestMain(m *testing.M) {
	flag.Parse()
	tmp, err := os.MkdirTemp("", "storyline-cmdtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "process tests:", err)
		os.Exit(1)
	}
	binary = filepath.Join(tmp, "storyline")
	refDir = filepath.Join(tmp, "ref")
	start := time.Now()
	build := exec.Command("go", "build", "-o", binary, "github.com/storyline/storyline/cmd/storyline")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "process tests: go build:", err)
		os.RemoveAll(tmp)
		os.Exit(1)
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "process tests: built %s in %s\n", binary, time.Since(start).Round(time.Millisecond))
	}
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// procTimeout bounds every process, so that a hang fails the test rather
// than the whole test binary.
const procTimeout = 4 * time.Minute

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// proc is one running storyline process.
type proc struct {
	name           string
	args           []string
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	started        time.Time
	done           chan struct{}
	// Set when done is closed.
	ended time.Time
	state *os.ProcessState
	err   error
}

// start runs the binary with args in the background. The process is killed
// at the end of the test if it is still running then.
func start(t testing.TB, name string, args ...string) *proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), procTimeout)
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "STORYLINE_LOG=warn")
	p := &proc{name: name, args: args, cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		p.state = cmd.ProcessState
		p.ended = time.Now()
		cancel()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// pid is the process's ID.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// running reports whether the process has not exited yet.
func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// wait waits for the process and returns its exit code (-1 when a signal
// ended it).
func (p *proc) wait() int {
	<-p.done
	return p.state.ExitCode()
}

// signaled reports the signal that ended the process, if one did.
func (p *proc) signaled() (syscall.Signal, bool) {
	<-p.done
	ws, ok := p.state.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return 0, false
	}
	return ws.Signal(), true
}

// signal sends sig; it reports false when the process had already exited.
func (p *proc) signal(t testing.TB, sig os.Signal) bool {
	t.Helper()
	if !p.running() {
		return false
	}
	err := p.cmd.Process.Signal(sig)
	if errors.Is(err, os.ErrProcessDone) {
		return false
	}
	if err != nil {
		t.Fatalf("signal %s to %s: %v", sig, p.name, err)
	}
	return true
}

func (p *proc) duration() time.Duration {
	<-p.done
	return p.ended.Sub(p.started)
}

func (p *proc) String() string {
	return fmt.Sprintf("%s (pid %d): storyline %s", p.name, p.pid(), strings.Join(p.args, " "))
}

// result is a finished process.
type result struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// run runs the binary to its end.
func run(t testing.TB, args ...string) result {
	t.Helper()
	p := start(t, args[0], args...)
	code := p.wait()
	return result{code: code, stdout: p.stdout.String(), stderr: p.stderr.String(), took: p.duration()}
}

// mustIngest runs one ingest to completion and fails unless it exits 0.
func mustIngest(t testing.TB, dir string, inputs ...string) result {
	t.Helper()
	r := run(t, append([]string{"ingest", "--data", dir}, inputs...)...)
	if r.code != 0 {
		t.Fatalf("ingest --data %s %v: exit %d\nstdout:\n%s\nstderr:\n%s", dir, inputs, r.code, r.stdout, r.stderr)
	}
	return r
}

// ---- what export and the report say ----

// exported is one line of `storyline export`.
type exported struct {
	ID          string `json:"id"`
	Input       string `json:"input"`
	Related     bool   `json:"related"`
	Title       string `json:"title"`
	DuplicateOf string `json:"duplicate_of"`
	Story       int64  `json:"story"`
}

// key names an article the same way in every store made from the same
// inputs: the input's own id for JSONL lines, else the input (a related
// article split off a page shares the page's input, so it adds its title).
func (a exported) key() string {
	k := a.Input
	if strings.Contains(a.Input, "#L") && a.ID != "" {
		k = "id:" + a.ID
	}
	if a.Related {
		k += "|related|" + a.Title
	}
	return k
}

// parseExport parses the output of export, failing on a line that is not
// an article.
func parseExport(t testing.TB, out string) []exported {
	t.Helper()
	var arts []exported
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var a exported
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("export line %d is not JSON: %v: %.200s", n, err, sc.Text())
		}
		if a.Input == "" || a.ID == "" {
			t.Fatalf("export line %d has no id or input: %.200s", n, sc.Text())
		}
		arts = append(arts, a)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading export: %v", err)
	}
	return arts
}

// export runs `storyline export` on dir and parses it.
func export(t testing.TB, dir string) []exported {
	t.Helper()
	r := run(t, "export", "--data", dir)
	if r.code != 0 || withoutStopping(r.stderr) != "" {
		t.Fatalf("export --data %s: exit %d, stderr:\n%s", dir, r.code, r.stderr)
	}
	return parseExport(t, r.stdout)
}

// storyJSON checks one line of `stories --json`: snake_case fields.
func checkStoryLine(t testing.TB, line []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		t.Errorf("stories --json line is not JSON: %v: %.200s", err, line)
		return
	}
	for _, f := range []string{"id", "headline", "articles", "langs", "outlets", "top_terms"} {
		if _, ok := m[f]; !ok {
			t.Errorf("stories --json line lacks %q: %.200s", f, line)
		}
	}
}

// partition is a store's stories as groups of article keys, each group
// sorted and the groups sorted: story IDs differ between runs, groupings
// must not. An article without a story (story 0) is a group of its own,
// marked so.
type partition [][]string

func partitionOf(t testing.TB, arts []exported) partition {
	t.Helper()
	groups := map[int64][]string{}
	var p partition
	for _, a := range arts {
		if a.Story == 0 {
			p = append(p, []string{"(no story) " + a.key()})
			continue
		}
		groups[a.Story] = append(groups[a.Story], a.key())
	}
	for _, g := range groups {
		slices.Sort(g)
		p = append(p, g)
	}
	slices.SortFunc(p, func(a, b []string) int { return slices.Compare(a, b) })
	return p
}

// keysOf returns the set of article keys, failing on a key seen twice.
func keysOf(t testing.TB, what string, arts []exported) map[string]bool {
	t.Helper()
	keys := make(map[string]bool, len(arts))
	dups := 0
	for _, a := range arts {
		k := a.key()
		if keys[k] {
			dups++
			if dups <= 5 {
				t.Errorf("%s: article %s stored more than once (export id %s, story %d)", what, k, a.ID, a.Story)
			}
		}
		keys[k] = true
	}
	if dups > 5 {
		t.Errorf("%s: %d articles stored more than once in all", what, dups)
	}
	return keys
}

// sameKeys fails unless got holds exactly want's keys.
func sameKeys(t testing.TB, what string, got, want map[string]bool) {
	t.Helper()
	var missing, extra []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("%s: %d articles of the clean run missing, e.g. %v", what, len(missing), missing[:min(5, len(missing))])
	}
	if len(extra) > 0 {
		t.Errorf("%s: %d articles the clean run does not have, e.g. %v", what, len(extra), extra[:min(5, len(extra))])
	}
}

// samePartition fails unless got and want group the articles alike,
// printing the first few groups that differ.
func samePartition(t testing.TB, what string, got, want partition) bool {
	t.Helper()
	str := func(g []string) string { return strings.Join(g, "\x00") }
	in := func(p partition) map[string]bool {
		m := make(map[string]bool, len(p))
		for _, g := range p {
			m[str(g)] = true
		}
		return m
	}
	gotSet, wantSet := in(got), in(want)
	var onlyGot, onlyWant [][]string
	for _, g := range got {
		if !wantSet[str(g)] {
			onlyGot = append(onlyGot, g)
		}
	}
	for _, g := range want {
		if !gotSet[str(g)] {
			onlyWant = append(onlyWant, g)
		}
	}
	if len(onlyGot) == 0 && len(onlyWant) == 0 {
		return true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: stories differ from the reference: %d groups vs %d; %d groups only here, %d only in the reference\n",
		what, len(got), len(want), len(onlyGot), len(onlyWant))
	show := func(label string, gs [][]string) {
		for i, g := range gs {
			if i == 5 {
				fmt.Fprintf(&b, "  ... %d more %s\n", len(gs)-5, label)
				break
			}
			fmt.Fprintf(&b, "  %s (%d): %s\n", label, len(g), short(g))
		}
	}
	show("only here", onlyGot)
	show("only in reference", onlyWant)
	t.Error(b.String())
	return false
}

// short abbreviates a group of keys for a failure message.
func short(g []string) string {
	var s []string
	for i, k := range g {
		if i == 8 {
			s = append(s, fmt.Sprintf("... +%d", len(g)-8))
			break
		}
		if j := strings.LastIndexByte(k, '/'); j >= 0 && !strings.HasPrefix(k, "id:") {
			k = k[j+1:]
			if len(k) > 20 {
				k = k[:12] + "…"
			}
		}
		s = append(s, k)
	}
	return strings.Join(s, " ")
}

// reportCounts are the numbers of an ingest report's first line.
type reportCounts struct{ items, stored, copies, related, duplicate, skipped int }

var reportRE = regexp.MustCompile(`items (\d+): stored (\d+), copies (\d+), related-split (\d+), duplicate (\d+), skipped (\d+)`)

func parseReport(t testing.TB, stdout string) reportCounts {
	t.Helper()
	m := reportRE.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no report line \"items N: stored S, copies C, related-split R, ...\" in stdout:\n%s", stdout)
	}
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	return reportCounts{n[0], n[1], n[2], n[3], n[4], n[5]}
}

// ---- inputs and reference stores ----

// htmlPages returns the first n Scrapinghub pages in name order (all when n
// is 0).
func htmlPages(t testing.TB, n int) []string {
	t.Helper()
	dir := shared.Path(t, "data/extraction-scrapinghub/html")
	pages, err := filepath.Glob(filepath.Join(dir, "*.html.gz"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages in %s: %v", dir, err)
	}
	slices.Sort(pages)
	if n > 0 && n < len(pages) {
		pages = pages[:n]
	}
	return pages
}

// reference returns the export of one clean, uninterrupted ingest of inputs
// into a fresh folder, made once per test binary run and shared.
func reference(t testing.TB, inputs ...string) []exported {
	t.Helper()
	k := strings.Join(inputs, "\n")
	refMu.Lock()
	defer refMu.Unlock()
	if arts, ok := refs[k]; ok {
		return arts
	}
	dir := filepath.Join(refDir, strconv.Itoa(len(refs)))
	r := mustIngest(t, dir, inputs...)
	t.Logf("clean reference run: %s (%s)", firstLine(r.stdout), r.took.Round(time.Millisecond))
	if r.stderr != "" {
		t.Logf("clean reference run stderr:\n%s", r.stderr)
	}
	arts := export(t, dir)
	refs[k] = arts
	return arts
}

var (
	refMu sync.Mutex
	refs  = map[string][]exported{}
)

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// writeHead writes the first n lines of src to a new file in dir.
func writeHead(t testing.TB, src string, n int, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	if len(lines) < n {
		t.Fatalf("%s has %d lines, want %d", src, len(lines), n)
	}
	if err := os.WriteFile(dst, bytes.Join(lines[:n], nil), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitFirstCommit polls `stories --data dir -n 1` until it exits 0 with
// output: the store exists and a first batch is committed. It fails when
// ingest exits first or the wait passes limit.
func waitFirstCommit(t testing.TB, dir string, ingest *proc, limit time.Duration) time.Duration {
	t.Helper()
	t0 := time.Now()
	for {
		if _, err := os.Stat(filepath.Join(dir, "storyline.db")); err == nil {
			r := run(t, "stories", "--data", dir, "-n", "1")
			if r.code == 0 && strings.TrimSpace(r.stdout) != "" {
				return time.Since(t0)
			}
		}
		if !ingest.running() {
			t.Fatalf("%s exited (code %d) before a first commit was seen\nstdout:\n%s\nstderr:\n%s",
				ingest, ingest.wait(), ingest.stdout, ingest.stderr)
		}
		if time.Since(t0) > limit {
			t.Fatalf("no first commit after %s", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// badStderr lists what must never show on a storyline process's stderr.
var badStderr = []string{"database is locked", "SQLITE_BUSY", "FOREIGN KEY", "panic", "commit batch", "locked", "busy", "goroutine "}

func hasBad(s string) string {
	ls := strings.ToLower(s)
	for _, b := range badStderr {
		if strings.Contains(ls, strings.ToLower(b)) {
			return b
		}
	}
	return ""
}

// waitingRE matches the line a writer prints while another holds the lock.
var waitingRE = regexp.MustCompile(`waiting for .*\(pid (\d+)\)`)

// waitedFor returns the pid a process said it waited for, or 0.
func waitedFor(stderr string) (int, bool) {
	m := waitingRE.FindStringSubmatch(stderr)
	if m == nil {
		return 0, strings.Contains(stderr, "waiting for")
	}
	pid, _ := strconv.Atoi(m[1])
	return pid, true
}

// stoppingLine is what storyline prints on the first SIGINT or SIGTERM.
const stoppingLine = "storyline: stopping; interrupt again to quit at once"

// withoutStopping drops the "stopping" line from the stderr of a command
// nobody interrupted: storyline sometimes prints it at a normal exit, a
// fault TestQuietExit reports on its own; elsewhere it would only hide
// what a test is about.
func withoutStopping(stderr string) string {
	return strings.Replace(stderr, stoppingLine+"\n", "", 1)
}
