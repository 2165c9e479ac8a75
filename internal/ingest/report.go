package ingest

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
)

// Report counts what a run did with every item.
type Report struct {
	Items       int // source items read (files, lines, records, feed entries)
	Stored      int // new independent articles
	Copies      int // near-duplicate copies stored as copies of an earlier article
	Related     int // articles split off another page's tail and stored apart
	Duplicates  int // articles already stored: nothing new
	StoryEvents int // merges and splits
	// PassedOver counts what sources skip by design: non-HTML WARC records,
	// hidden files, blank lines. NotModified counts feeds answered 304.
	PassedOver  int
	NotModified int
	Skipped     []Skip
	Started     time.Time
	Finished    time.Time
}

// Skip is one item that could not be ingested, and why.
type Skip struct {
	Input  string `json:"input"`
	Reason string `json:"reason"`
}

func (r *Report) skip(input string, err error) {
	r.Skipped = append(r.Skipped, Skip{Input: input, Reason: err.Error()})
}

// Failed reports whether any item failed.
func (r *Report) Failed() bool { return len(r.Skipped) > 0 }

// WriteTo prints the report for people: the counts, then every skip.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "items %d: stored %d, copies %d, related-split %d, duplicate %d, skipped %d",
		r.Items, r.Stored, r.Copies, r.Related, r.Duplicates, len(r.Skipped))
	if r.PassedOver > 0 {
		fmt.Fprintf(&b, ", passed over %d (non-HTML records, hidden files, blank lines)", r.PassedOver)
	}
	if r.NotModified > 0 {
		fmt.Fprintf(&b, ", feeds not modified %d", r.NotModified)
	}
	if r.StoryEvents > 0 {
		fmt.Fprintf(&b, ", story merges/splits %d", r.StoryEvents)
	}
	if !r.Finished.IsZero() {
		fmt.Fprintf(&b, " (%s)", r.Finished.Sub(r.Started).Round(time.Millisecond))
	}
	b.WriteString("\n")
	if r.Duplicates > 0 && r.Stored+r.Copies+r.Related == 0 {
		b.WriteString("nothing new: every article was already stored\n")
	}
	reasons := map[string]int{}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "skipped %s: %s\n", s.Input, s.Reason)
		reasons[reasonClass(s.Reason)]++
	}
	if len(reasons) > 1 {
		keys := make([]string, 0, len(reasons))
		for k := range reasons {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %d × %s\n", reasons[k], k)
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// reasonClass groups skip reasons by their last clause ("...: empty file").
func reasonClass(reason string) string {
	if i := strings.LastIndex(reason, ": "); i >= 0 {
		return reason[i+2:]
	}
	return reason
}

// progress draws a one-line counter on a terminal, at most every 200ms;
// elsewhere it logs the counts every ten seconds.
type progress struct {
	w    io.Writer
	log  *slog.Logger
	last time.Time
}

func newProgress(w io.Writer, log *slog.Logger) *progress {
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		return &progress{w: w}
	}
	return &progress{log: log, last: time.Now()}
}

func (p *progress) update(r *Report) {
	if p.w == nil {
		if time.Since(p.last) >= 10*time.Second {
			p.last = time.Now()
			p.log.Info("ingest progress", "items", r.Items, "stored", r.Stored, "copies", r.Copies,
				"related", r.Related, "duplicate", r.Duplicates, "skipped", len(r.Skipped))
		}
		return
	}
	if time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r%d items · %d stored · %d copies · %d duplicate · %d skipped ",
		r.Items, r.Stored, r.Copies, r.Duplicates, len(r.Skipped))
}

func (p *progress) done() {
	if p.w != nil && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
