package bus

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/source"
)

// WorkOptions tune one worker process.
type WorkOptions struct {
	// Workers is how many items are prepared at once; default GOMAXPROCS.
	Workers int
	// Drain makes Work return once the raw stream is empty (every item
	// prepared, by this worker or another) instead of waiting for more.
	Drain bool
	// DrainAfter, when not nil, turns Drain on once it is closed.
	DrainAfter <-chan struct{}
	// Setup says how this worker prepares items (its languages, its
	// lexicons): it goes with every prepared item, and the assigner warns
	// when it is not its own (AssignOptions.Setup), since the stories then
	// differ from an in-process run's. Empty: not said.
	Setup string
}

// WorkReport counts what a worker did.
type WorkReport struct {
	Prepared   int // items prepared and handed on (item errors included)
	MovedAside int // raw messages moved to the dead-letter stream
	Again      int // redeliveries of items already prepared, acknowledged and dropped
}

// idlePoll is how long a consumer waits for a message before looking
// around (draining, stopping): short enough that Ctrl-C or the end of a
// drain feel immediate, long enough to cost nothing while idle.
const idlePoll = 250 * time.Millisecond

// Work consumes raw items, runs Prepare's stateless stages on them (st,
// as an in-process run would) and publishes the prepared items, each with
// its ingest sequence; it acknowledges a raw item only once JetStream has
// acknowledged the prepared one. Any number of workers, in any processes,
// share the raw stream's one consumer. Work runs until ctx ends (or, with
// Drain, the raw stream is empty); the items in hand when ctx ends are
// given back for another worker to prepare.
func (b *Bus) Work(ctx context.Context, st ingest.Stages, opt WorkOptions) (*WorkReport, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rep := &WorkReport{}
	cons, err := b.consumer(ctx, b.raw, b.names.workers, b.opt.WorkerAckPending)
	if err != nil {
		return rep, err
	}

	// held are the raw messages taken and not yet acknowledged; order
	// the ones given to Prepare, which yields in the same order.
	var (
		mu    sync.Mutex
		held  = map[jetstream.Msg]bool{}
		order []jetstream.Msg
	)
	hold := func(m jetstream.Msg) {
		mu.Lock()
		held[m] = true
		mu.Unlock()
	}
	drop := func(m jetstream.Msg) {
		mu.Lock()
		delete(held, m)
		mu.Unlock()
	}
	stop := make(chan struct{})
	defer close(stop)
	go b.keepAlive(func() []jetstream.Msg {
		mu.Lock()
		defer mu.Unlock()
		out := make([]jetstream.Msg, 0, len(held))
		for m := range held {
			out = append(out, m)
		}
		return out
	}, stop)

	// The acknowledger waits for each prepared item's publish and then
	// acknowledges its raw item; items in between wait in acks.
	type toAck struct {
		raw  jetstream.Msg
		fut  jetstream.PubAckFuture
		id   string
		kind string // for the report: "prepared", "moved"
	}
	acks := make(chan toAck, 2*workers)
	ackDone := make(chan error, 1)
	wctx := context.WithoutCancel(ctx) // a publish in flight is seen through
	go func() {
		var ferr error
		for a := range acks {
			if ferr != nil {
				continue // stopping: the rest is given back below
			}
			select {
			case <-a.fut.Ok():
			case err := <-a.fut.Err():
				retried := 0
				if _, err = b.republish(ctx, a.fut.Msg(), a.id, err, &retried); err != nil {
					ferr = err
					continue
				}
			}
			if err := a.raw.Ack(); err != nil {
				b.log.Warn("bus: ack raw item", "input", a.raw.Headers().Get(hdrInput), "err", err)
			}
			b.release(wctx, a.raw)
			drop(a.raw)
			mu.Lock()
			if a.kind == "moved" {
				rep.MovedAside++
			} else {
				rep.Prepared++
			}
			mu.Unlock()
		}
		ackDone <- ferr
	}()
	// publish sends a prepared item for raw message m.
	publish := func(m jetstream.Msg, p ingest.Prepared, kind string) error {
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("bus: raw message metadata: %w", err)
		}
		seq := strconv.FormatUint(md.Sequence.Stream, 10)
		body, err := encodePrepared(p)
		if err != nil {
			// Nothing of a Prepared fails to encode but a bug: the item
			// goes on as its error rather than stop the pool.
			p = ingest.Prepared{Input: p.Input, Err: err}
			if body, err = encodePrepared(p); err != nil {
				return err
			}
		}
		id := "seq-" + seq
		pm, err := b.message(wctx, b.names.prepSubj, wirePrepared, p.Input, "prepared-"+seq+"-"+strconv.FormatUint(md.NumDelivered, 10), body)
		if err != nil {
			return err
		}
		pm.Header.Set(hdrSeq, seq)
		if opt.Setup != "" {
			pm.Header.Set(hdrSetup, headerSafe(opt.Setup))
		}
		fut, err := b.js.PublishMsgAsync(pm, jetstream.WithMsgID(id))
		if err != nil {
			return fmt.Errorf("bus: publish prepared %s: %w", p.Input, err)
		}
		acks <- toAck{raw: m, fut: fut, id: id, kind: kind}
		return nil
	}

	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var itemsErr error
	items := func(yield func(source.Item) bool) {
		for rctx.Err() == nil {
			// One message at a time, when Prepare has room for it: a
			// message waiting in a client buffer would not be kept alive,
			// and would be delivered again to another worker after
			// AckWait while this one is slow (loading its models, say).
			// A request an item costs little beside preparing it.
			m, err := cons.Next(jetstream.FetchMaxWait(idlePoll))
			if err != nil {
				if rctx.Err() != nil {
					return
				}
				if !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, jetstream.ErrNoMessages) {
					// The server is away (restarting): the client
					// reconnects; ask again a little later.
					b.log.Warn("bus: take a raw item", "err", err)
					select {
					case <-time.After(idlePoll):
					case <-rctx.Done():
						return
					}
				}
				if draining(opt.Drain, opt.DrainAfter) && b.drained(rctx, b.raw, func() int { mu.Lock(); defer mu.Unlock(); return len(held) }) {
					return
				}
				continue
			}
			hold(m)
			it, reason := b.rawItem(rctx, m)
			switch {
			case errors.Is(reason, errRetry):
				// The pages bucket is out of reach: later, here or
				// elsewhere.
				b.log.Warn("bus: raw item", "input", m.Headers().Get(hdrInput), "err", reason)
				_ = m.NakWithDelay(time.Second)
				drop(m)
				continue
			case errors.Is(reason, errGone):
				// Prepared before; its acknowledgement was lost.
				_ = m.Ack()
				drop(m)
				mu.Lock()
				rep.Again++
				mu.Unlock()
				continue
			case reason != nil:
				// Moved aside, its item goes on as its error, in its
				// place in the ingest sequence.
				err := b.moveAside(wctx, m, reason)
				if err == nil {
					tomb := ingest.Prepared{Input: m.Headers().Get(hdrInput), Err: fmt.Errorf("%w: %v", ErrMovedAside, reason)}
					err = publish(m, tomb, "moved")
				}
				if err != nil {
					mu.Lock()
					itemsErr = err
					mu.Unlock()
					return
				}
				continue
			}
			mu.Lock()
			order = append(order, m)
			mu.Unlock()
			if !yield(it) {
				return
			}
		}
	}
	var runErr error
	for p := range ingest.Prepare(rctx, items, st, workers) {
		mu.Lock()
		m := order[0]
		order = order[1:]
		mu.Unlock()
		if err := publish(m, p, "prepared"); err != nil {
			runErr = err
			cancel()
			break
		}
	}
	close(acks)
	if err := <-ackDone; runErr == nil {
		runErr = err
	}
	mu.Lock()
	if runErr == nil {
		runErr = itemsErr
	}
	// What is still held goes back at once for another worker.
	for m := range held {
		_ = m.Nak()
	}
	mu.Unlock()
	if runErr == nil {
		runErr = ctx.Err()
	}
	return rep, runErr
}

// rawItem decodes a raw message. A non-nil error says why the message is
// to be moved aside, or is errGone for a redelivery of one consumed, or
// errRetry.
func (b *Bus) rawItem(ctx context.Context, m jetstream.Msg) (source.Item, error) {
	md, err := m.Metadata()
	if err != nil {
		return source.Item{}, fmt.Errorf("bus: metadata: %w (%w)", err, errRetry)
	}
	if md.NumDelivered > uint64(b.opt.MaxDeliver) {
		return source.Item{}, fmt.Errorf("delivered %d times without being prepared (it crashed or stalled its workers)", md.NumDelivered)
	}
	body, err := b.body(ctx, m)
	if err != nil {
		return source.Item{}, err
	}
	return decodeRaw(m.Headers().Get(hdrWire), body)
}

// errRetry marks a failure of the bus itself while taking a message, not
// of the message: it is given back to be taken again later.
var errRetry = errors.New("bus unavailable")

// drained reports whether stream s is empty and this process holds
// nothing of it: every item was consumed and acknowledged.
func (b *Bus) drained(ctx context.Context, s jetstream.Stream, holding func() int) bool {
	if holding() > 0 {
		return false
	}
	info, err := s.Info(ctx)
	if err != nil {
		if !errors.Is(err, context.Canceled) && !errors.Is(err, nats.ErrConnectionClosed) {
			b.log.Warn("bus: stream info", "stream", s.CachedInfo().Config.Name, "err", err)
		}
		return false
	}
	return info.State.Msgs == 0
}
