package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/storyline/storyline/internal/extract"
	"github.com/storyline/storyline/internal/source"
)

// Report counts what a run did with every item. The article counts are of
// committed batches only: what a run reports stored is stored.
type Report struct {
	Items       int `json:"items"`        // source items read (files, lines, records, feed entries)
	Stored      int `json:"stored"`       // new independent articles
	Copies      int `json:"copies"`       // near-duplicate copies stored as copies of an earlier article
	Related     int `json:"related"`      // articles split off another page's tail and stored apart
	Duplicates  int `json:"duplicates"`   // articles already stored: nothing new
	StoryEvents int `json:"story_events"` // merges and splits
	// PassedOver counts what sources skip by design: non-HTML WARC records,
	// hidden files, blank lines. NotModified counts feeds answered 304.
	PassedOver  int    `json:"passed_over"`
	NotModified int    `json:"not_modified"`
	Skipped     []Skip `json:"skipped"`
	// Lost counts articles placed in a batch that failed to commit, and
	// Interrupted says the run was stopped before the end of its input.
	Lost        int       `json:"lost,omitempty"`
	Interrupted bool      `json:"interrupted,omitempty"`
	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
}

// Skip is one item that could not be ingested, and why.
type Skip struct {
	Input  string `json:"input"`
	Reason string `json:"reason"`
	// Kind names the class of failure, for the summary by kind.
	Kind string `json:"kind"`
}

func (r *Report) skip(input string, err error) {
	r.Skipped = append(r.Skipped, Skip{Input: input, Reason: err.Error(), Kind: kindOf(err)})
}

// kinds are the classes of item failure the report groups by.
var kinds = []struct {
	err  error
	name string
}{
	{source.ErrForbiddenAddress, "address refused"},
	{source.ErrUnsupported, "unsupported file type"},
	{source.ErrBinary, "binary content"},
	{source.ErrEmpty, "empty"},
	{source.ErrTooLarge, "too large"},
	{extract.ErrTooLarge, "too large"},
	{source.ErrNoContent, "no text or html"},
	{source.ErrHTTPStatus, "HTTP error status"},
	{extract.ErrNoText, "no article text"},
	{context.DeadlineExceeded, "timeout"},
}

func kindOf(err error) string {
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	return "other error"
}

// Failed reports whether any item failed.
func (r *Report) Failed() bool { return len(r.Skipped) > 0 }

// WriteTo prints the report for people: the counts, every skip, and the
// skips by kind when there are several kinds.
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
	if r.Interrupted {
		b.WriteString("interrupted: what is counted above is stored; run the same command again to go on\n")
	}
	if r.Lost > 0 {
		fmt.Fprintf(&b, "not stored: %d articles of a batch that failed to commit\n", r.Lost)
	}
	if r.Duplicates > 0 && r.Stored+r.Copies+r.Related == 0 && !r.Interrupted {
		b.WriteString("nothing new: every article was already stored\n")
	}
	byKind := map[string]int{}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "skipped %s: %s\n", s.Input, s.Reason)
		byKind[s.Kind]++
	}
	if len(byKind) > 1 {
		keys := make([]string, 0, len(byKind))
		for k := range byKind {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteString("skipped by kind:")
		for _, k := range keys {
			fmt.Fprintf(&b, " %s %d;", k, byKind[k])
		}
		b.WriteString("\n")
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// progress draws a one-line counter on a terminal, at most every 200ms;
// elsewhere it logs the counts at INFO every few seconds.
type progress struct {
	w     io.Writer
	log   *slog.Logger
	every time.Duration
	last  time.Time
}

func newProgress(w io.Writer, log *slog.Logger, every time.Duration) *progress {
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		return &progress{w: w}
	}
	return &progress{log: log, every: every, last: time.Now()}
}

// update shows the run's counts, the batch in hand's included.
func (p *progress) update(r *Report, c counts) {
	stored, copies, dups := r.Stored+c.stored+c.related, r.Copies+c.copies, r.Duplicates+c.duplicates
	if p.w == nil {
		if time.Since(p.last) >= p.every {
			p.last = time.Now()
			p.log.Info("ingest progress", "items", r.Items, "stored", stored, "copies", copies,
				"duplicate", dups, "skipped", len(r.Skipped))
		}
		return
	}
	if time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r%d items · %d stored · %d copies · %d duplicate · %d skipped ",
		r.Items, stored, copies, dups, len(r.Skipped))
}

func (p *progress) done() {
	if p.w != nil && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
