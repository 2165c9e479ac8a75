package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/extract"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/story"
)

// TestReportGroupsByKind: skips are listed once each, then counted by the
// kind of failure, not by whatever words end their messages.
func TestReportGroupsByKind(t *testing.T) {
	var r Report
	r.skip("a.pdf", fmt.Errorf("read a.pdf: %w", source.ErrUnsupported))
	r.skip("b.html", fmt.Errorf("GET http://x/b: %w: 404 Not Found", source.ErrHTTPStatus))
	r.skip("c.html", fmt.Errorf("GET http://x/c: %w: 500 0 0", source.ErrHTTPStatus))
	r.skip("d.html", fmt.Errorf("extract d.html: %w", extract.ErrNoText))
	r.skip("e", errors.New("something else: 0 0"))
	var b bytes.Buffer
	r.WriteTo(&b)
	out := b.String()
	for _, want := range []string{"HTTP error status 2;", "unsupported file type 1;", "no article text 1;", "other error 1;"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "× 0 0") || strings.Count(out, "skipped c.html") != 1 {
		t.Errorf("report:\n%s", out)
	}
}

// TestRunLogsSkipsOnce: a skipped item is in the report, not also logged
// as a warning; progress is logged at INFO when no terminal shows it.
func TestRunLogsSkipsOnce(t *testing.T) {
	in := t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "x.pdf"), []byte("%PDF-1.4"), 0o644); err != nil {
		t.Fatal(err)
	}
	line := `{"id":"p1","text":"The harbour authority moved the ferry to the northern quay on Monday after storm damage to the pier, and said repairs would take about three weeks."}`
	if err := os.WriteFile(filepath.Join(in, "y.jsonl"), []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	p, _ := openWith(t, t.TempDir(), story.Config{}, Options{Logger: log, Progress: &bytes.Buffer{}, ProgressEvery: 1})
	rep, err := p.Run(context.Background(), []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 1 || strings.Contains(logs.String(), "x.pdf") {
		t.Errorf("skips %v; logs:\n%s", rep.Skipped, logs.String())
	}
	if !strings.Contains(logs.String(), "level=INFO msg=\"ingest progress\"") {
		t.Errorf("no progress at INFO:\n%s", logs.String())
	}
}
