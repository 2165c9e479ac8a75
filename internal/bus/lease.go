package bus

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/storyline/storyline/internal/ingest"
)

// The assigners' lease. Story assignment is sequential, so a deployment
// has one writer; any number of assigners may run as its standbys. The
// lease is the key keyActive in the bucket <name>-lease, whose entries
// expire Options.LeaseTTL after they were last written: the active
// assigner created it (a JetStream create fails while the key is there)
// and rewrites it every LeaseTTL/3, each write conditional on the
// revision of its last, so that it notices at once when the key was
// taken, deleted or expired. A standby tries to create the key every
// LeaseTTL/3; once the active assigner is dead its key expires and the
// standby takes it within LeaseTTL (and a third) of the last refresh.
//
// Never two writers: a holder whose refresh is refused stops writing at
// once; one whose refresh goes unanswered (the server is away) stops
// when 2/3 of LeaseTTL have passed since the last refresh it sent, a
// third of LeaseTTL before a standby could take the key. That third is
// the time the stopping writer has to finish or abandon the batch it is
// committing: a holder paused longer than that (a stopped VM, swapping)
// between its check and its commit could still commit after a standby
// took over. The store then holds what both wrote, each item once (the
// content hash is checked in the transaction), but the stories of the
// items around the takeover may differ from an in-process run's.

// keyActive is the lease's key in the lease bucket; its value names the
// holder.
const keyActive = "active"

// ErrLeaseLost is the cause of a lease's context ending when the lease
// was refused or could not be refreshed in time.
var ErrLeaseLost = errors.New("bus: the assigner lease was lost")

// Lease is this process's hold of the deployment's assigner lease, kept
// by refreshing it until Release or until it is lost.
type Lease struct {
	b      *Bus
	kv     jetstream.KeyValue
	holder string
	ctx    context.Context
	cancel context.CancelCauseFunc
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once

	mu   sync.Mutex
	rev  uint64 // the revision of the holder's last write
	lost error  // why the lease was lost; nil while held
}

// Holder names this process in the lease: host and process ID.
func Holder() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	return fmt.Sprintf("%s pid %d", host, os.Getpid())
}

// leaseBucket creates or updates the lease bucket.
func (b *Bus) leaseBucket(ctx context.Context) (jetstream.KeyValue, error) {
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: b.names.lease, Description: "storyline: which assigner is the deployment's writer",
		TTL: b.opt.LeaseTTL, History: 1, Storage: jetstream.FileStorage,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: key-value %s: %w", b.names.lease, err)
	}
	return kv, nil
}

// Lead waits, as a standby, until this process holds the deployment's
// assigner lease under the name holder (Holder() when empty), and returns
// it. It tries every LeaseTTL/3 until ctx ends. With opt.Drain, a standby
// that finds both streams empty (everything published was prepared and
// committed, or is held by the active assigner) stops waiting and
// returns ErrNothingLeft.
func (b *Bus) Lead(ctx context.Context, holder string, opt AssignOptions) (*Lease, error) {
	if holder == "" {
		holder = Holder()
	}
	kv, err := b.leaseBucket(ctx)
	if err != nil {
		return nil, err
	}
	every := b.opt.LeaseTTL / 3
	var seen string // the holder last logged
	for {
		sent := time.Now()
		rev, err := kv.Create(ctx, keyActive, []byte(holder))
		if err == nil {
			b.log.Info("bus: active: took the lease", "holder", holder, "bucket", b.names.lease)
			return b.hold(ctx, kv, holder, rev, sent), nil
		}
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.Is(err, jetstream.ErrKeyExists):
			if e, gerr := kv.Get(ctx, keyActive); gerr == nil && string(e.Value()) != seen {
				seen = string(e.Value())
				b.log.Info("bus: standby: waiting for the lease held by "+seen, "bucket", b.names.lease, "ttl", b.opt.LeaseTTL)
			}
			if draining(opt.Drain, opt.DrainAfter) && b.drained(ctx, b.raw, none) && b.drained(ctx, b.prep, none) {
				return nil, ErrNothingLeft
			}
		default:
			b.log.Warn("bus: standby: asking for the lease", "bucket", b.names.lease, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(every):
		}
	}
}

// Active names the holder of the deployment's assigner lease: "" when
// none holds it.
func (b *Bus) Active(ctx context.Context) (string, error) {
	kv, err := b.js.KeyValue(ctx, b.names.lease)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("bus: key-value %s: %w", b.names.lease, err)
	}
	e, err := kv.Get(ctx, keyActive)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("bus: key-value %s: %w", b.names.lease, err)
	}
	return string(e.Value()), nil
}

// ErrNothingLeft is what a draining standby returns when there is nothing
// left for it to assign.
var ErrNothingLeft = errors.New("bus: nothing left to assign")

func none() int { return 0 }

// hold starts refreshing a lease taken at revision rev, its create sent
// at sent.
func (b *Bus) hold(ctx context.Context, kv jetstream.KeyValue, holder string, rev uint64, sent time.Time) *Lease {
	lctx, cancel := context.WithCancelCause(ctx)
	l := &Lease{b: b, kv: kv, holder: holder, ctx: lctx, cancel: cancel, rev: rev,
		stop: make(chan struct{}), done: make(chan struct{})}
	go l.refresh(sent)
	return l
}

// Context ends when the lease is lost (its cause is then ErrLeaseLost),
// released, or when the context Lead was given ends. Whatever writes
// under the lease runs under it. The lease is kept after that context
// ended, until Release: a writer told to stop may still be committing.
func (l *Lease) Context() context.Context { return l.ctx }

// Err is nil while the lease is held, ErrLeaseLost (wrapped with the
// reason) once it was lost.
func (l *Lease) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// refresh rewrites the lease every LeaseTTL/3 until it is released or
// lost. A write the server refuses (the key was taken, deleted or
// expired) loses it at once; writes that go unanswered lose it once 2/3
// of LeaseTTL have passed since the last one answered was sent.
func (l *Lease) refresh(last time.Time) {
	defer close(l.done)
	ttl := l.b.opt.LeaseTTL
	every, deadline := ttl/3, ttl-ttl/3
	wait := every
	for {
		select {
		case <-l.stop:
			return
		case <-time.After(wait):
		}
		sent := time.Now()
		left := deadline - sent.Sub(last)
		if left <= 0 {
			l.lose(fmt.Errorf("%w: not refreshed for %v", ErrLeaseLost, sent.Sub(last).Round(time.Millisecond)))
			return
		}
		l.mu.Lock()
		rev := l.rev
		l.mu.Unlock()
		// Bounded, so that an unanswered write leaves time to retry, and
		// never past the deadline: the holder gives up no later.
		bound := min(every/2, left)
		uctx, cancel := context.WithTimeout(context.WithoutCancel(l.ctx), bound)
		next, err := l.kv.Update(uctx, keyActive, []byte(l.holder), rev)
		cancel()
		switch {
		case err == nil:
			l.mu.Lock()
			l.rev = next
			l.mu.Unlock()
			last, wait = sent, every
		case errors.Is(err, jetstream.ErrKeyRevisionMismatch):
			// A refresh whose answer was lost (it timed out while the
			// client reconnected) may have been applied: the key then
			// still names this holder, at a later revision. Anyone
			// else's create or write names them.
			gctx, cancel := context.WithTimeout(context.WithoutCancel(l.ctx), bound)
			e, gerr := l.kv.Get(gctx, keyActive)
			cancel()
			switch {
			case gerr == nil && string(e.Value()) == l.holder && e.Revision() > rev:
				l.mu.Lock()
				l.rev = e.Revision()
				l.mu.Unlock()
				wait = 0 // refresh now, at the revision now known
			case gerr == nil, errors.Is(gerr, jetstream.ErrKeyNotFound), errors.Is(gerr, jetstream.ErrKeyDeleted):
				l.lose(fmt.Errorf("%w: refused: %v", ErrLeaseLost, err))
				return
			case time.Since(last) >= deadline:
				l.lose(fmt.Errorf("%w: not refreshed for %v: %v", ErrLeaseLost, time.Since(last).Round(time.Millisecond), gerr))
				return
			default:
				wait = every / 4
			}
		case errors.Is(err, jetstream.ErrKeyNotFound), errors.Is(err, jetstream.ErrKeyDeleted):
			l.lose(fmt.Errorf("%w: refused: %v", ErrLeaseLost, err))
			return
		case time.Since(last) >= deadline:
			l.lose(fmt.Errorf("%w: not refreshed for %v: %v", ErrLeaseLost, time.Since(last).Round(time.Millisecond), err))
			return
		default:
			l.b.log.Warn("bus: active: refreshing the lease failed, retrying", "err", err,
				"gives_up_in", (deadline - time.Since(last)).Round(time.Millisecond))
			wait = every / 4
		}
	}
}

func (l *Lease) lose(err error) {
	l.b.log.Error("bus: active: lost the lease, stopping", "holder", l.holder, "err", err)
	l.mu.Lock()
	l.lost = err
	l.mu.Unlock()
	l.cancel(err)
}

// Release stops refreshing the lease and deletes it, if it is still this
// process's, so that a standby takes over at once. Call it, always, once
// nothing writes under the lease any more; until then the lease is
// refreshed.
func (l *Lease) Release(ctx context.Context) error {
	var err error
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		lost := l.Err() != nil
		l.cancel(context.Canceled)
		if lost {
			return
		}
		l.mu.Lock()
		rev := l.rev
		l.mu.Unlock()
		if derr := l.kv.Delete(ctx, keyActive, jetstream.LastRevision(rev)); derr != nil {
			err = fmt.Errorf("bus: release the lease %s: %w", l.b.names.lease, derr)
			return
		}
		l.b.log.Info("bus: active: released the lease", "holder", l.holder)
	})
	return err
}

// Opener opens the writer's pipeline and store for an assigner that took
// the lease, restoring the story window from the store as a restart does;
// close closes the store.
type Opener func(ctx context.Context) (p *ingest.Pipeline, close func() error, err error)

// AssignStandby is Assign for one of several assigners of a deployment:
// it waits as a standby until it takes the lease (Lead), only then opens
// the store for writing (a SQLite store admits one writing process; a
// standby must not hold it), and assigns under the lease until ctx ends,
// the lease is lost (an error wrapping ErrLeaseLost), or, with Drain,
// nothing is left. A draining standby that finds nothing left returns an
// empty report. The store is closed, and then the lease released, before
// it returns.
func (b *Bus) AssignStandby(ctx context.Context, holder string, open Opener, opt AssignOptions) (rep *ingest.Report, err error) {
	l, err := b.Lead(ctx, holder, opt)
	if errors.Is(err, ErrNothingLeft) {
		b.log.Info("bus: standby: nothing left to assign, stopping")
		return &ingest.Report{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() {
		// Released once the store is closed: the next writer may open it.
		if rerr := l.Release(context.WithoutCancel(ctx)); rerr != nil {
			b.log.Warn("bus: release the lease", "err", rerr)
		}
	}()
	p, closeStore, err := open(l.Context())
	if err != nil {
		if lerr := l.Err(); lerr != nil {
			return nil, lerr
		}
		return nil, err
	}
	rep, err = b.Assign(l.Context(), p, opt)
	if cerr := closeStore(); cerr != nil && err == nil {
		err = cerr
	}
	if lerr := l.Err(); lerr != nil {
		return rep, lerr
	}
	return rep, err
}
