package bus

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/storyline/storyline/internal/ingest"
)

// AssignOptions tune the assigner.
type AssignOptions struct {
	// Drain makes Assign return once both streams are empty and all it
	// took is committed, instead of waiting for more.
	Drain bool
	// DrainAfter, when not nil, turns Drain on once it is closed: a
	// process that publishes its own input drains once all is published.
	DrainAfter <-chan struct{}
	// Setup is how this process would prepare items (see
	// WorkOptions.Setup); a prepared item said to be prepared otherwise
	// is stored all the same, with a warning, once per setup.
	Setup string
}

// draining reports whether to stop once there is nothing left: drain, or
// after closed.
func draining(drain bool, after <-chan struct{}) bool {
	if drain || after == nil {
		return drain
	}
	select {
	case <-after:
		return true
	default:
		return false
	}
}

// keyNext is the assigner's key in the state bucket: the ingest sequence
// it goes on from, as decimal.
const keyNext = "next"

// Assign consumes prepared items and runs the pipeline's writer on them
// (p.RunPrepared): dedup, story assignment and storage, in ingest
// sequence. A prepared item is acknowledged once the batch holding its
// effect is committed; what comes again after a crash is recognised by the
// writer's content hash and stored once. Run one assigner per deployment.
//
// Assign runs until ctx ends (or, with Drain, there is nothing left); it
// returns the writer's report.
func (b *Bus) Assign(ctx context.Context, p *ingest.Pipeline, opt AssignOptions) (*ingest.Report, error) {
	cons, err := b.consumer(ctx, b.prep, b.names.assigner, b.opt.AssignAckPending)
	if err != nil {
		return nil, err
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("bus: consumer %s: %w", b.names.assigner, err)
	}
	o := &orderer{b: b, cons: cons, opt: opt, next: 1, held: map[jetstream.Msg]bool{}, setups: map[string]bool{}}
	if e, err := b.state.Get(ctx, keyNext); err == nil {
		if o.next, err = strconv.ParseUint(string(e.Value()), 10, 64); err != nil {
			return nil, fmt.Errorf("bus: %s %s: %w", b.names.kvState, keyNext, err)
		}
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, fmt.Errorf("bus: %s %s: %w", b.names.kvState, keyNext, err)
	}
	if info.NumAckPending > 0 {
		b.log.Info("bus: a previous assigner left items unacknowledged; they come again within the ack wait",
			"items", info.NumAckPending, "ack_wait", b.opt.AckWait)
	}
	// The client buffers this many ahead of the writer; they are not
	// kept alive there, so it must drain well within AckWait even while
	// the writer commits or settles: 16 items are milliseconds of its
	// time, and still enough to keep it busy.
	mc, err := cons.Messages(jetstream.PullMaxMessages(16))
	if err != nil {
		return nil, fmt.Errorf("bus: consume %s: %w", b.names.prep, err)
	}
	o.mc = mc
	stop := make(chan struct{})
	go b.keepAlive(o.holding, stop)
	rep, err := p.RunPrepared(ctx, o.items, o.committed)
	close(stop)
	giveBack(mc)
	// What was taken and not committed goes back at once, for the next
	// assigner.
	o.mu.Lock()
	for m := range o.held {
		_ = m.Nak()
	}
	o.mu.Unlock()
	return rep, err
}

// orderer hands prepared items to the writer in ingest sequence and
// acknowledges them as the writer commits.
type orderer struct {
	b    *Bus
	cons jetstream.Consumer
	mc   jetstream.MessagesContext
	opt  AssignOptions

	// Owned by items' goroutine:
	q    queue  // received, waiting for their turn
	next uint64 // the ingest sequence the writer takes next
	gap  *gap
	// setups are the workers' setups warned about.
	setups map[string]bool

	// Shared with the writer's goroutine (committed) and keepAlive:
	mu      sync.Mutex
	fifo    []entry                // handed to the writer, not yet durable
	durable int                    // how many items handed on are durable
	held    map[jetstream.Msg]bool // taken and not yet acknowledged: q's and fifo's
}

type entry struct {
	seq  uint64 // ingest sequence; 0 for an item that has none (take at once)
	pseq uint64 // prepared-stream sequence: the order of ties
	msg  jetstream.Msg
	prep ingest.Prepared
	// next is the orderer's next once this item was handed on: what is
	// persisted once it is durable.
	next uint64
}

// gap is the wait for the item of ingest sequence for_, which is not here
// while later ones are.
type gap struct {
	for_    uint64
	since   time.Time
	checked time.Time
}

type queue []entry

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if c := cmp.Compare(q[i].seq, q[j].seq); c != 0 {
		return c < 0
	}
	return q[i].pseq < q[j].pseq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(entry)) }
func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// gapCheckEvery is how often the streams are asked about a missing item:
// each check is two requests to the server.
const gapCheckEvery = 200 * time.Millisecond

// items yields the prepared items in ingest sequence.
func (o *orderer) items(ctx context.Context) iter.Seq[ingest.Prepared] {
	return func(yield func(ingest.Prepared) bool) {
		for ctx.Err() == nil {
			// Hand on everything whose turn it is.
			for o.q.Len() > 0 && (o.q[0].seq <= o.next || o.gapOver(ctx)) {
				e := heap.Pop(&o.q).(entry)
				if e.seq >= o.next {
					o.next = e.seq + 1
				}
				o.gap = nil
				e.next = o.next
				o.mu.Lock()
				o.fifo = append(o.fifo, e)
				o.mu.Unlock()
				if !yield(e.prep) {
					return
				}
			}
			m, err := o.mc.Next(jetstream.NextMaxWait(o.wait()))
			if err != nil {
				if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
					return
				}
				if draining(o.opt.Drain, o.opt.DrainAfter) && o.q.Len() == 0 && o.drained(ctx) {
					return
				}
				continue
			}
			o.take(ctx, m)
		}
	}
}

// wait is how long to wait for a message: until the next gap check when
// one is due.
func (o *orderer) wait() time.Duration {
	if o.gap != nil {
		return gapCheckEvery
	}
	return idlePoll
}

// take receives one message into the queue.
func (o *orderer) take(ctx context.Context, m jetstream.Msg) {
	b := o.b
	md, err := m.Metadata()
	if err != nil {
		b.log.Warn("bus: prepared item metadata", "err", err)
		_ = m.NakWithDelay(time.Second)
		return
	}
	e := entry{pseq: md.Sequence.Stream, msg: m}
	input := m.Headers().Get(hdrInput)
	if su := m.Headers().Get(hdrSetup); su != "" && o.opt.Setup != "" && su != headerSafe(o.opt.Setup) && !o.setups[su] {
		o.setups[su] = true
		b.log.Warn("bus: a worker prepares items otherwise than this assigner would: the stories may differ from an in-process run's "+
			"(give workers and the assigner the same --langs and --lexicons)", "worker", su, "assigner", o.opt.Setup, "input", input)
	}
	seq, serr := strconv.ParseUint(m.Headers().Get(hdrSeq), 10, 64)
	var reason error
	switch {
	case serr != nil:
		reason = fmt.Errorf("no ingest sequence: %w", serr)
	case md.NumDelivered > uint64(b.opt.MaxDeliver):
		reason = fmt.Errorf("delivered %d times without being committed (it crashed or stalled the assigner)", md.NumDelivered)
	default:
		e.seq = seq
		body, err := b.body(ctx, m)
		switch {
		case errors.Is(err, errGone):
			// Committed before; its acknowledgement was lost.
			_ = m.Ack()
			return
		case err != nil:
			b.log.Warn("bus: prepared item", "input", input, "err", err)
			_ = m.NakWithDelay(time.Second)
			return
		}
		if e.prep, reason = decodePrepared(m.Headers().Get(hdrWire), body); reason == nil {
			o.push(e)
			return
		}
	}
	// Moved aside; the item goes on as its error, in its place when it
	// has one.
	if err := b.moveAside(ctx, m, reason); err != nil {
		b.log.Warn("bus: prepared item", "input", input, "err", err)
		_ = m.NakWithDelay(time.Second)
		return
	}
	e.prep = ingest.Prepared{Input: input, Err: fmt.Errorf("%w: %v", ErrMovedAside, reason)}
	o.push(e)
}

// push queues a received item; its message is kept alive until it is
// acknowledged.
func (o *orderer) push(e entry) {
	o.mu.Lock()
	o.held[e.msg] = true
	o.mu.Unlock()
	heap.Push(&o.q, e)
}

// gapOver reports whether the item the writer waits for (o.next, while a
// later one is here) will not come, or has been waited for long enough.
func (o *orderer) gapOver(ctx context.Context) bool {
	now := time.Now()
	head := o.q[0].seq
	if o.gap == nil || o.gap.for_ != o.next {
		o.gap = &gap{for_: o.next, since: now}
		return false
	}
	g := o.gap
	if now.Sub(g.since) >= o.b.opt.ReorderWait {
		o.b.log.Warn("bus: going on without missing items, which will be stored out of order when they come",
			"from", o.next, "to", head-1, "waited", now.Sub(g.since).Round(time.Second))
		return true
	}
	if now.Sub(g.checked) < gapCheckEvery {
		return false
	}
	g.checked = now
	to, err := o.gone(ctx, head)
	if err != nil {
		o.b.log.Warn("bus: looking for a missing item", "seq", o.next, "err", err)
		return false
	}
	if to <= o.next {
		return false
	}
	o.next = to
	o.gap = nil
	return o.q[0].seq <= o.next
}

// gone returns up to which ingest sequence (head at most) the items from
// o.next on will not come: o.next itself when it may still come.
//
// An item is on its way while its raw message is in the raw stream (a
// worker has it, or will), or while its prepared message is in the
// prepared stream and not in this assigner's hands: a worker acknowledges
// the raw message only once the prepared one is in, so asking in that
// order misses none. The prepared stream's side is read from the
// consumer: if every message up to the stream's last was delivered, and
// every one delivered and not acknowledged is one this assigner holds
// (none lost on the way, none held by an assigner that died, none in the
// client's buffer), then a prepared item not held is acknowledged: stored
// before, or moved aside.
func (o *orderer) gone(ctx context.Context, head uint64) (uint64, error) {
	to := head
	m, err := o.b.raw.GetMsg(ctx, o.next, jetstream.WithGetMsgSubject(o.b.names.rawSubj))
	switch {
	case errors.Is(err, jetstream.ErrMsgNotFound):
	case err != nil:
		return o.next, err
	case m.Sequence == o.next:
		return o.next, nil // still with the workers
	default:
		to = min(m.Sequence, head)
	}
	s, err := o.b.prep.Info(ctx)
	if err != nil {
		return o.next, err
	}
	c, err := o.cons.Info(ctx)
	if err != nil {
		return o.next, err
	}
	o.mu.Lock()
	held := len(o.held)
	o.mu.Unlock()
	if c.Delivered.Stream < s.State.LastSeq || c.NumAckPending > held {
		return o.next, nil
	}
	return to, nil
}

// drained reports whether both streams are empty and every item taken is
// committed and acknowledged.
func (o *orderer) drained(ctx context.Context) bool {
	held := func() int {
		o.mu.Lock()
		defer o.mu.Unlock()
		return len(o.fifo)
	}
	return o.b.drained(ctx, o.b.raw, held) && o.b.drained(ctx, o.b.prep, held)
}

// committed acknowledges the first n items handed to the writer, now
// committed, and persists where the sequence goes on from.
func (o *orderer) committed(n int) {
	o.mu.Lock()
	k := n - o.durable
	done := o.fifo[:k]
	o.fifo = o.fifo[k:]
	o.durable = n
	// Out of held before acknowledged: what held counts is always
	// unacknowledged on the server too (see gone).
	for _, e := range done {
		delete(o.held, e.msg)
	}
	o.mu.Unlock()
	if k == 0 {
		return
	}
	ctx := context.Background()
	for _, e := range done {
		if err := e.msg.Ack(); err != nil {
			o.b.log.Warn("bus: ack prepared item", "input", e.prep.Input, "err", err)
		}
		o.b.release(ctx, e.msg)
	}
	next := done[len(done)-1].next
	if _, err := o.b.state.Put(ctx, keyNext, []byte(strconv.FormatUint(next, 10))); err != nil {
		// Only a restart's first gap check is slower for it.
		o.b.log.Warn("bus: persist the ingest sequence", "next", next, "err", err)
	}
}

// holding returns the messages held, for keepAlive.
func (o *orderer) holding() []jetstream.Msg {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]jetstream.Msg, 0, len(o.held))
	for m := range o.held {
		out = append(out, m)
	}
	return out
}
