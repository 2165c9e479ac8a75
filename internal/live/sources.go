package live

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// Source is one thing the service reads: a file or folder (watched for new
// and changed files) or a feed or page URL (polled every Every, or
// Options.Poll when zero).
type Source struct {
	Input string
	Every time.Duration
}

// ParseSources reads a sources file: one source a line, optionally
// followed by its poll interval ("https://example.org/rss 5m"); blank lines
// and lines starting with # are skipped.
func ParseSources(r io.Reader) ([]Source, error) {
	var out []Source
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		src := Source{Input: f[0]}
		switch len(f) {
		case 1:
		case 2:
			d, err := time.ParseDuration(f[1])
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("line %d: %q is not a poll interval like 10m or 1h", n, f[1])
			}
			src.Every = d
		default:
			return nil, fmt.Errorf("line %d: want a source and at most an interval, got %d fields", n, len(f))
		}
		out = append(out, src)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading sources: %w", err)
	}
	return out, nil
}

// LooksLikeSources tells a sources file from an article given as a text
// file: every line that is not blank or a comment is one URL, with at most
// an interval after it. Prose never has that shape.
func LooksLikeSources(text string) bool {
	n := 0
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) > 2 || !isURL(f[0]) {
			return false
		}
		if len(f) == 2 {
			if _, err := time.ParseDuration(f[1]); err != nil {
				return false
			}
		}
		n++
	}
	return n > 0
}
