// Package live runs Storyline as a service: one goroutine owns the
// pipeline and does every write in turn (polled feeds, files that appear in
// watched folders, articles posted to the API, people's corrections),
// while readers answer from the store without waiting for it.
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

// Options tune a Service.
type Options struct {
	// Poll is how often a URL source (a feed, a page) is fetched again;
	// default 15 minutes. Conditional GET makes a poll of an unchanged
	// feed cost one request.
	Poll time.Duration
	// MaxBackoff caps the wait after failures: each failed poll doubles
	// the wait from Poll, up to this. Default 6 hours.
	MaxBackoff time.Duration
	// Watch is how often folders are scanned for new or changed files;
	// default 10 seconds.
	Watch time.Duration
	// Digest builds a story's digest when none is stored.
	Digest digestBuilder
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Poll <= 0 {
		o.Poll = 15 * time.Minute
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 6 * time.Hour
	}
	if o.Watch <= 0 {
		o.Watch = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Service is the live service: a service.Reader and a service.Writer over
// one store and the pipeline that writes it.
type Service struct {
	reader
	p    *ingest.Pipeline
	opt  Options
	jobs chan job
	// stopped is closed when Run returns: writes asked after that fail
	// at once.
	stopped chan struct{}
	log     *slog.Logger

	mu      sync.Mutex
	lastRun time.Time
	feeds   map[string]*service.FeedStatus
}

var (
	_ service.Reader = (*Service)(nil)
	_ service.Writer = (*Service)(nil)
)

// New returns a service over st written by p. Nothing runs until Run.
func New(st store.Backend, p *ingest.Pipeline, opt Options) *Service {
	opt = opt.withDefaults()
	s := &Service{p: p, opt: opt, jobs: make(chan job), stopped: make(chan struct{}), log: opt.Logger, feeds: map[string]*service.FeedStatus{}}
	s.reader = reader{st: st, digest: opt.Digest, status: s.status, counts: new(countCache), digests: newDigestCache(digestsCached)}
	return s
}

// job is one write, done by Run's goroutine; done receives its outcome.
type job struct {
	run  func(ctx context.Context) error
	done chan error
}

// ErrStopped is returned for writes asked of a service that stopped.
var ErrStopped = errors.New("live: the service has stopped")

// do hands fn to the writer goroutine and waits for it.
func (s *Service) do(ctx context.Context, fn func(ctx context.Context) error) error {
	j := job{run: fn, done: make(chan error, 1)}
	select {
	case s.jobs <- j:
	case <-s.stopped:
		return ErrStopped
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		// The write goes on; the caller stops waiting for it.
		return ctx.Err()
	}
}

// Run ingests the sources, then keeps polling URLs and watching folders,
// and does the writes readers ask for, until ctx ends. The write in hand
// then finishes (a run commits what it holds), and Run returns. Run is
// called once.
func (s *Service) Run(ctx context.Context, sources []Source) error {
	defer close(s.stopped)
	sched := newScheduler(sources, s.opt, s.log)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case j := <-s.jobs:
			j.done <- j.run(ctx)
		case <-timer.C:
			due := sched.due(time.Now())
			if len(due.inputs) > 0 {
				rep, err := s.p.Run(ctx, due.inputs)
				s.ran(due, rep, err)
				if err != nil && ctx.Err() == nil {
					s.log.Error("ingest", "err", err)
				}
				sched.done(due, rep, time.Now())
			}
			timer.Reset(max(time.Until(sched.next()), 100*time.Millisecond))
		}
	}
}

// ran notes a run in the status.
func (s *Service) ran(d batch, rep *ingest.Report, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rep != nil && rep.Stored+rep.Copies+rep.Related > 0 {
		s.lastRun = time.Now()
	}
	for _, u := range d.urls {
		f := s.feeds[u]
		if f == nil {
			f = &service.FeedStatus{Source: u}
			s.feeds[u] = f
		}
		f.LastPoll, f.LastError = time.Now(), ""
		if err != nil {
			f.LastError = err.Error()
		} else if rep != nil {
			for _, sk := range rep.Skipped {
				if sk.Input == u {
					f.LastError = sk.Reason
				}
			}
		}
	}
}

func (s *Service) status() (time.Time, []service.FeedStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var fs []service.FeedStatus
	for _, f := range s.feeds {
		fs = append(fs, *f)
	}
	return s.lastRun, fs
}

// Submit ingests pages through the writer.
func (s *Service) Submit(ctx context.Context, pages []article.Page) (service.SubmitReport, error) {
	var out service.SubmitReport
	err := s.do(ctx, func(ctx context.Context) error {
		rep, ids, err := s.p.RunPages(ctx, pages)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if id != 0 {
				out.Stored = append(out.Stored, id)
			}
		}
		for _, sk := range rep.Skipped {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s", sk.Input, sk.Reason))
		}
		if rep.Stored+rep.Copies+rep.Related > 0 {
			s.mu.Lock()
			s.lastRun = time.Now()
			s.mu.Unlock()
		}
		return nil
	})
	return out, err
}

// Correct makes a person's correction through the writer.
func (s *Service) Correct(ctx context.Context, c service.Correction) (int64, error) {
	var id int64
	err := s.do(ctx, func(ctx context.Context) error {
		var err error
		id, err = s.p.Correct(ctx, c)
		s.digests.invalidate()
		return err
	})
	return id, err
}

// Undo reverses a correction through the writer.
func (s *Service) Undo(ctx context.Context, id int64) error {
	return s.do(ctx, func(ctx context.Context) error {
		err := s.p.Undo(ctx, id)
		s.digests.invalidate()
		return err
	})
}
