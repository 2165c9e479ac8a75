package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/source"
)

// benchOutput runs storyline bench --json and decodes its reports and
// summary.
func benchOutput(t *testing.T, args ...string) ([]benchLine, benchSummary) {
	t.Helper()
	code, out, errs := run(t, append([]string{"bench", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("bench %v: exit %d: %s", args, code, errs)
	}
	var lines []benchLine
	var sum struct{ Summary *benchSummary }
	for l := range strings.Lines(out) {
		if strings.HasPrefix(l, `{"summary"`) {
			if err := json.Unmarshal([]byte(l), &sum); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var bl benchLine
		if err := json.Unmarshal([]byte(l), &bl); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		lines = append(lines, bl)
	}
	if sum.Summary == nil {
		t.Fatalf("no summary in\n%s", out)
	}
	return lines, *sum.Summary
}

// TestBenchGenerated: the generated stream goes through the real pipeline
// whole, no article of it is taken for a copy of another, and every
// report has its numbers.
func TestBenchGenerated(t *testing.T) {
	dir := filepath.Dir(filepath.Dir(shared.Path(t, "data/ecbplus-dev.jsonl")))
	lines, s := benchOutput(t, "--shared", dir, "--articles", "300", "--every", "100", "--digests=false")
	if s.Items != 300 || s.Articles != 300 || s.Stored != 300 || s.Skipped != 0 {
		t.Errorf("300 generated articles: %+v", s)
	}
	if s.Copies != 0 {
		t.Errorf("%d generated articles taken for copies: the stream must hold no near copies", s.Copies)
	}
	if len(lines) != 3 || lines[2].Articles != 300 {
		t.Fatalf("reports every 100 of 300 articles: %+v", lines)
	}
	for _, l := range lines {
		if l.Rate <= 0 || l.CPUPer <= 0 || l.P50 <= 0 || l.P99 < l.P50 || l.Max < l.P99 || l.RSS <= 0 || l.HWM < l.RSS || l.GoLive <= 0 {
			t.Errorf("report lacks numbers: %+v", l)
		}
	}
	if s.Rate <= 0 || s.CPUPer <= 0 || s.P99 < s.P50 || s.P50 <= 0 || s.Elapsed < s.Visible {
		t.Errorf("summary lacks numbers: %+v", s)
	}
	// The dictionaries loaded before the run were collected at least once,
	// and what the collector scans is part of the live heap.
	if s.GoScan <= 0 || s.GoScan > s.GoLive || s.GC < 0 || s.GCIdle > s.GC || s.GC > s.CPU {
		t.Errorf("summary's collector figures: scan %.1f of live %.1f MiB; GC %.2f s (idle %.2f) of %.2f s", s.GoScan, s.GoLive, s.GC, s.GCIdle, s.CPU)
	}
	// The run wrote an embedded store, whose memory is SQLite's, not Go's.
	if s.SQLite <= 0 || s.SQLitePeak < s.SQLite || s.SQLite > s.Anon {
		t.Errorf("summary's SQLite memory: %.1f MiB (peak %.1f) of anon %.1f", s.SQLite, s.SQLitePeak, s.Anon)
	}
}

// TestBenchPaced: --rate spaces the arrivals, so the run lasts as long as
// the arrivals do, and at a rate the pipeline keeps up with an item is
// visible within a second (the commit timer, not the end of input, shows
// it).
func TestBenchPaced(t *testing.T) {
	file := shared.Path(t, "data/ecbplus-dev.jsonl")
	in := filepath.Join(t.TempDir(), "head.jsonl")
	writeHead(t, file, in, 40)
	_, s := benchOutput(t, "--rate", "20", "--digests=false", in)
	if s.Items != 40 || s.Articles != 40 {
		t.Fatalf("40 items: %+v", s)
	}
	if s.Visible < 39.0/20 {
		t.Errorf("40 items at 20/s all visible after %.2fs: not paced", s.Visible)
	}
	if s.P99 > 1000 {
		t.Errorf("at 20 items/s, p99 ingest→visible %.0f ms, want under 1 s", s.P99)
	}
}

// writeHead writes the first n lines of the file from to the file to.
func writeHead(t *testing.T, from, to string, n int) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	var head []string
	for l := range strings.Lines(string(b)) {
		if head = append(head, l); len(head) == n {
			break
		}
	}
	if err := os.WriteFile(to, []byte(strings.Join(head, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPacedArrivalIsDue: at a rate the consumer cannot keep up with, an
// item arrives when it is due, not when the consumer takes it: the
// backlog counts in the latency.
func TestPacedArrivalIsDue(t *testing.T) {
	b := &bench{queued: map[string]int{}}
	items := func(yield func(source.Item) bool) {
		for i := range 5 {
			if !yield(source.Item{Page: article.Page{Input: strconv.Itoa(i)}}) {
				return
			}
		}
	}
	start := time.Now()
	for range b.paced(context.Background(), items, 100) { // due every 10 ms
		time.Sleep(40 * time.Millisecond) // taken every 40 ms
	}
	if len(b.queue) != 5 {
		t.Fatalf("%d arrivals, want 5", len(b.queue))
	}
	for i, a := range b.queue {
		due := time.Duration(i) * 10 * time.Millisecond
		if got := a.at.Sub(start); got < due || got > due+5*time.Millisecond {
			t.Errorf("item %d arrived at %v, due at %v", i, got, due)
		}
	}
}
