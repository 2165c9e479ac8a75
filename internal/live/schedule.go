package live

import (
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/ingest"
)

// scheduler says which sources are due: URLs on their own interval, backing
// off when they fail, and files in watched folders that are new or changed.
type scheduler struct {
	urls      map[string]*poll
	paths     []string
	seen      map[string]fileSig
	nextWatch time.Time
	scanned   bool // the first walk is done
	opt       Options
	log       *slog.Logger
}

type poll struct {
	next  time.Time
	wait  time.Duration
	every time.Duration // this source's own interval
}

// fileSig tells a file changed: its size or modification time did.
type fileSig struct {
	size int64
	mod  time.Time
}

// batch is what is due now.
type batch struct {
	inputs []string // URLs and files, for Pipeline.Run
	urls   []string // the URLs among them
}

func newScheduler(sources []Source, opt Options, log *slog.Logger) *scheduler {
	s := &scheduler{urls: map[string]*poll{}, seen: map[string]fileSig{}, opt: opt, log: log}
	for _, src := range sources {
		if isURL(src.Input) {
			every := src.Every
			if every <= 0 {
				every = opt.Poll
			}
			s.urls[src.Input] = &poll{wait: every, every: every}
		} else {
			s.paths = append(s.paths, src.Input)
		}
	}
	return s
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// due returns the URLs due at now and, when the folders are due to be
// looked at, the files new or changed since they last were.
func (s *scheduler) due(now time.Time) batch {
	var b batch
	for _, u := range slices.Sorted(maps.Keys(s.urls)) {
		if !s.urls[u].next.After(now) {
			b.inputs = append(b.inputs, u)
			b.urls = append(b.urls, u)
		}
	}
	if !s.nextWatch.After(now) {
		b.inputs = append(b.inputs, s.changed()...)
		s.nextWatch = now.Add(s.opt.Watch)
	}
	return b
}

// changed walks the watched paths for files not seen, or changed, since
// the last walk.
func (s *scheduler) changed() []string {
	var out []string
	for _, root := range s.paths {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // a file gone or unreadable now; source reports it if named
			}
			if p != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			sig := fileSig{size: info.Size(), mod: info.ModTime()}
			if old, ok := s.seen[p]; ok && old == sig {
				return nil
			}
			// A file still being written changes again: it is taken
			// once its size and time hold for one watch interval.
			if s.scanned && time.Since(sig.mod) < s.opt.Watch {
				return nil
			}
			s.seen[p] = sig
			out = append(out, p)
			return nil
		})
		if err != nil {
			s.log.Warn("watching", "path", root, "err", err)
		}
		if _, err := os.Stat(root); err != nil {
			s.log.Warn("watching", "path", root, "err", err)
		}
	}
	s.scanned = true
	return out
}

// done schedules the URLs of b again: after their interval when they
// worked, after twice the last wait (up to MaxBackoff) when they failed.
func (s *scheduler) done(b batch, rep *ingest.Report, now time.Time) {
	failed := map[string]bool{}
	if rep != nil {
		for _, sk := range rep.Skipped {
			failed[sk.Input] = true
		}
	}
	for _, u := range b.urls {
		p := s.urls[u]
		if failed[u] || rep == nil {
			p.wait = min(max(2*p.wait, p.every), max(s.opt.MaxBackoff, p.every))
		} else {
			p.wait = p.every
		}
		p.next = now.Add(p.wait)
	}
}

// next returns when something is next due.
func (s *scheduler) next() time.Time {
	t := s.nextWatch
	if len(s.paths) == 0 {
		t = time.Time{}
	}
	for _, p := range s.urls {
		if t.IsZero() || p.next.Before(t) {
			t = p.next
		}
	}
	if t.IsZero() {
		return time.Now().Add(time.Hour)
	}
	return t
}
