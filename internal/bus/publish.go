package bus

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"

	"github.com/storyline/storyline/internal/source"
)

// PublishReport counts what Publish handed to JetStream.
type PublishReport struct {
	// Items is how many items JetStream acknowledged: every one read,
	// unless the run was stopped. Failed counts those of them that are a
	// source's per-item error, published all the same so that the
	// assigner's report lists them; ByRef those whose body went through
	// the pages bucket.
	Items, Failed, ByRef int
	// First and Last are the ingest sequence numbers of the first and last
	// item published (0 when none).
	First, Last uint64
	// Retried counts publishes that failed (a full stream, a lost
	// acknowledgement) and were sent again.
	Retried     int
	Interrupted bool
	Started     time.Time
	Finished    time.Time
}

// WriteTo prints the report for people.
func (r *PublishReport) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "published %d items (%d read with an error, %d by reference)", r.Items, r.Failed, r.ByRef)
	if r.Items > 0 {
		fmt.Fprintf(&b, ", ingest sequence %d–%d", r.First, r.Last)
	}
	if r.Retried > 0 {
		fmt.Fprintf(&b, ", %d publishes retried", r.Retried)
	}
	fmt.Fprintf(&b, " (%s)\n", r.Finished.Sub(r.Started).Round(time.Millisecond))
	if r.Interrupted {
		b.WriteString("interrupted: the items counted above are in the stream; run the same command again to publish the rest (what is stored already is recognised)\n")
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Publish publishes items to the raw stream in order and returns once
// JetStream has acknowledged every one: they are then the workers' to
// prepare, whatever happens to this process. The raw stream's sequence
// number is each item's ingest sequence, which the assigner orders by;
// a publish retried after a failure may land after later ones.
//
// When ctx ends, reading stops; the items already sent are waited for
// (up to a few seconds) and counted, and Publish returns ctx's error.
func (b *Bus) Publish(ctx context.Context, items iter.Seq[source.Item]) (*PublishReport, error) {
	rep := &PublishReport{Started: time.Now()}
	// Message IDs are unique to the run: a retry within the duplicate
	// window lands once, while the same file published again tomorrow is
	// a new item (which the writer's content hash recognises).
	run := nuid.Next()
	type sent struct {
		fut    jetstream.PubAckFuture
		id     string
		failed bool
		ref    bool
	}
	var pending []sent
	done := func(s sent, ack *jetstream.PubAck) {
		rep.Items++
		if s.failed {
			rep.Failed++
		}
		if s.ref {
			rep.ByRef++
		}
		if rep.First == 0 {
			rep.First = ack.Sequence
		}
		rep.Last = max(rep.Last, ack.Sequence)
	}
	// settle takes the acknowledgements that came, waiting for all when
	// wait is set; a failed publish is sent again, synchronously, with
	// the same message ID.
	settle := func(ctx context.Context, wait bool) error {
		for len(pending) > 0 {
			s := pending[0]
			var (
				ack *jetstream.PubAck
				err error
			)
			if wait {
				select {
				case ack = <-s.fut.Ok():
				case err = <-s.fut.Err():
				case <-ctx.Done():
					return ctx.Err()
				}
			} else {
				select {
				case ack = <-s.fut.Ok():
				case err = <-s.fut.Err():
				default:
					return nil
				}
			}
			if err != nil {
				if ack, err = b.republish(ctx, s.fut.Msg(), s.id, err, &rep.Retried); err != nil {
					return err
				}
			}
			done(s, ack)
			pending = pending[1:]
		}
		return nil
	}
	finish := func(err error) (*PublishReport, error) {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if serr := settle(wctx, true); err == nil {
			err = serr
		}
		rep.Finished = time.Now()
		if ctx.Err() != nil {
			rep.Interrupted = true
			err = ctx.Err()
		}
		return rep, err
	}
	i := 0
	for it := range items {
		if ctx.Err() != nil {
			break
		}
		i++
		id := run + "-" + strconv.Itoa(i)
		body, err := encodeRaw(it)
		if err != nil {
			return finish(err)
		}
		m, err := b.message(ctx, b.names.rawSubj, wireRaw, it.Page.Input, "raw-"+id, body)
		if err != nil {
			return finish(err)
		}
		fut, err := b.js.PublishMsgAsync(m, jetstream.WithMsgID(id))
		if err != nil {
			return finish(fmt.Errorf("bus: publish %s: %w", it.Page.Input, err))
		}
		pending = append(pending, sent{fut: fut, id: id, failed: it.Err != nil, ref: m.Header.Get(hdrRef) != ""})
		if err := settle(ctx, false); err != nil {
			return finish(err)
		}
	}
	return finish(nil)
}

// republish sends m again until JetStream takes it or ctx ends, waiting
// longer after each failure: a full stream (back-pressure from slow
// workers) or a lost acknowledgement (the message ID makes a second copy
// land once).
func (b *Bus) republish(ctx context.Context, m *nats.Msg, id string, cause error, retried *int) (*jetstream.PubAck, error) {
	wait := 100 * time.Millisecond
	for {
		*retried++
		b.log.Warn("bus: publish failed, retrying", "input", m.Header.Get(hdrInput), "err", cause, "in", wait)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, fmt.Errorf("bus: publish %s: %w (then %w)", m.Header.Get(hdrInput), cause, ctx.Err())
		}
		wait = min(2*wait, 5*time.Second)
		// A fresh message: the async publish gave m its reply inbox.
		again := &nats.Msg{Subject: m.Subject, Header: m.Header, Data: m.Data}
		ack, err := b.js.PublishMsg(ctx, again, jetstream.WithMsgID(id))
		if err == nil {
			return ack, nil
		}
		cause = err
	}
}
