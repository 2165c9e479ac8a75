// Package bus splits the ingest pipeline across processes at its natural
// seams, with NATS JetStream streams between them:
//
//	storyline ingest --bus   Publish: source items  → stream <name>-raw
//	storyline worker         Work:    <name>-raw     → Prepare → <name>-prepared
//	storyline assign         Assign:  <name>-prepared → the writer → the store
//
// Every name (streams, subjects, consumers, buckets) carries the
// deployment's name (Options.Name), so several deployments and test runs
// share one server.
//
// Delivery is at least once, made exactly once in effect: a worker
// acknowledges a raw item only once JetStream has acknowledged the
// prepared one it made, and the assigner acknowledges a prepared item only
// once the batch holding its effect is committed. What comes again is
// recognised: by message ID within JetStream's duplicate window, and by
// the writer's content-hash lookup at any time after (a redelivered
// article is a duplicate, stored nothing of).
//
// Order: the raw stream's sequence number, given at publish time, is each
// item's ingest sequence. Workers finish items in any order; the assigner
// hands them to the writer in ingest sequence, waiting for a missing one
// while it is still on its way (in the raw stream, or published prepared
// and not yet received) for at most Options.ReorderWait, so that the
// stories are those an in-process run makes of the same input.
//
// Fail-over: any number of assigners may run; one is active, holding the
// lease in the bucket <name>-lease, the others wait as standbys and take
// the lease within Options.LeaseTTL of the active one's death, restoring
// the writer from the store as a restart does (see Lead and
// AssignStandby). An assigner that cannot keep its lease stops writing.
//
// Limits: the streams are work queues (an item leaves once its consumer
// acknowledged it) bounded in bytes, refusing new items when full, so a
// stalled assigner holds back workers and a stalled worker pool holds back
// publishers instead of losing anything; in-flight items are bounded per
// consumer (MaxAckPending). A message larger than Options.MaxMsgBytes goes
// by reference: its body is put in the object store bucket <name>-pages
// and the message carries the object's name, deleted once the message's
// effect is durable downstream. A message that cannot be decoded, or was
// delivered Options.MaxDeliver times without being acknowledged (its
// handler crashes), is moved aside to the stream <name>-dead with its
// error, and its item goes on as a per-item error, so that it blocks
// nothing.
package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Options tune a Bus. Publishers, workers and the assigner of one
// deployment should agree on Name; the stream and consumer settings are
// applied by whichever connects, the last one winning.
type Options struct {
	// Name is the deployment's name, in every stream, subject, consumer
	// and bucket name: letters, digits, '-' and '_'. Default "storyline".
	Name string
	// MaxMsgBytes is the largest message body sent inline; a larger one
	// goes by reference through the object store. Default 1 MiB, NATS's
	// own default max_payload; never more than the server allows.
	MaxMsgBytes int
	// StreamBytes bounds each of the raw and prepared streams; a full
	// stream refuses new messages and the publisher waits and retries
	// (back-pressure) rather than lose any. Default 1 GiB: hours of
	// backlog at a newsroom's rate, well inside a small disk.
	StreamBytes int64
	// WorkerAckPending is how many raw items may be handed out to workers
	// and not yet acknowledged, across all workers. It bounds what a dead
	// worker holds up and what workers buffer; it must exceed what all
	// live workers process at once or they idle. Default 256: 2 cores'
	// worth of Prepare windows for 20 workers.
	WorkerAckPending int
	// AssignAckPending bounds the prepared items the assigner holds: those
	// waiting for an earlier item and those whose batch is not committed
	// yet. It must exceed the writer's batch (500) plus the reordering of
	// the worker pool (WorkerAckPending), or the assigner stalls until
	// ReorderWait. Default 4096.
	AssignAckPending int
	// AckWait is how long a consumer waits for an acknowledgement before
	// delivering a message again. Live handlers tell the server they are
	// still at work every AckWait/3, so this bounds only how soon the work
	// of a dead process is taken up again. Default 30s.
	AckWait time.Duration
	// MaxDeliver is how many deliveries without an acknowledgement a
	// message gets before it is moved aside to the dead-letter stream: a
	// message that crashes its handler every time. Default 5.
	MaxDeliver int
	// ReorderWait is how long the assigner waits for a missing item that
	// is still on its way before going on without it (it is stored when it
	// comes, out of order: the stories may then differ from an in-process
	// run's). It should exceed AckWait, so that an item a dead worker held
	// is prepared again in time. Default 2 minutes.
	ReorderWait time.Duration
	// LeaseTTL is how long the assigner lease outlives its holder's last
	// refresh (it refreshes every LeaseTTL/3; see Lead). It trades the
	// takeover time — a standby takes over within about LeaseTTL of the
	// active assigner's death — against false takeovers: an active
	// assigner that cannot refresh for 2/3 of it (a GC or network pause,
	// a NATS server restart) gives up the lease and exits, and a
	// standby takes over. Default 6s: a server restart fits, and a
	// takeover costs seconds, less than the AckWait the dead assigner's
	// items are waited for anyway.
	LeaseTTL time.Duration
	// DeadAge is how long moved-aside messages are kept. Default 30 days.
	DeadAge time.Duration
	// PagesTTL is how long an object in the pages bucket lives; one whose
	// message was consumed is deleted at once, this reaps those a crash
	// left behind. Default 7 days.
	PagesTTL time.Duration
	Logger   *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = "storyline"
	}
	if o.MaxMsgBytes <= 0 {
		o.MaxMsgBytes = 1 << 20
	}
	if o.StreamBytes <= 0 {
		o.StreamBytes = 1 << 30
	}
	if o.WorkerAckPending <= 0 {
		o.WorkerAckPending = 256
	}
	if o.AssignAckPending <= 0 {
		o.AssignAckPending = 4096
	}
	if o.AckWait <= 0 {
		o.AckWait = 30 * time.Second
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 5
	}
	if o.ReorderWait <= 0 {
		o.ReorderWait = 2 * time.Minute
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 6 * time.Second
	}
	if o.DeadAge <= 0 {
		o.DeadAge = 30 * 24 * time.Hour
	}
	if o.PagesTTL <= 0 {
		o.PagesTTL = 7 * 24 * time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Headers of the messages.
const (
	hdrWire  = "Storyline-Wire"  // the body's kind and wire version
	hdrInput = "Storyline-Input" // the item's input, readable when the body is not
	hdrSeq   = "Storyline-Seq"   // a prepared item's ingest sequence
	hdrRef   = "Storyline-Ref"   // the pages object holding the body, when not inline
	hdrSetup = "Storyline-Setup" // how the worker prepares (WorkOptions.Setup)
	// Dead letters say where the message was and why it was moved aside.
	hdrError      = "Storyline-Error"
	hdrFromStream = "Storyline-From-Stream"
	hdrFromSeq    = "Storyline-From-Seq"
	hdrDelivered  = "Storyline-Delivered"
)

// Bus is a connection to one deployment's streams.
type Bus struct {
	nc    *nats.Conn
	js    jetstream.JetStream
	opt   Options
	log   *slog.Logger
	names names

	raw, prep, dead jetstream.Stream
	pages           jetstream.ObjectStore
	state           jetstream.KeyValue
}

// names are a deployment's stream, subject, consumer and bucket names.
type names struct {
	raw, prep, dead                   string // streams
	rawSubj, prepSubj, deadSubj       string
	workers, assigner, pages, kvState string
	lease                             string // the assigners' lease bucket
}

func newNames(name string) names {
	return names{
		raw: name + "-raw", prep: name + "-prepared", dead: name + "-dead",
		rawSubj: name + ".raw", prepSubj: name + ".prepared", deadSubj: name + ".dead",
		workers: name + "-workers", assigner: name + "-assign", pages: name + "-pages", kvState: name + "-assign",
		lease: name + "-lease",
	}
}

var validName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Connect connects to the NATS server at url and makes sure the
// deployment's streams, consumers and buckets exist with opt's settings.
func Connect(ctx context.Context, url string, opt Options) (*Bus, error) {
	opt = opt.withDefaults()
	if !validName.MatchString(opt.Name) {
		return nil, fmt.Errorf("bus: deployment name %q: want 1 to 64 letters, digits, '-' or '_'", opt.Name)
	}
	nc, err := nats.Connect(url, nats.Name("storyline "+opt.Name),
		// A server restart is ridden out: the client reconnects and
		// JetStream's state is on the server's disk.
		nats.MaxReconnects(-1), nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				opt.Logger.Warn("bus: disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { opt.Logger.Info("bus: reconnected", "url", c.ConnectedUrlRedacted()) }))
	if err != nil {
		return nil, fmt.Errorf("bus: connect %s: %w", url, err)
	}
	if max := int(nc.MaxPayload()) - 16<<10; opt.MaxMsgBytes > max {
		opt.MaxMsgBytes = max // room for the headers
	}
	// An acknowledgement lost on the way (a reconnect, a slow client)
	// fails its publish after 10s; it is then sent again under the same
	// message ID, which JetStream keeps once.
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(256), jetstream.WithPublishAsyncTimeout(10*time.Second))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	b := &Bus{nc: nc, js: js, opt: opt, log: opt.Logger, names: newNames(opt.Name)}
	if err := b.setup(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return b, nil
}

// Close closes the connection, flushing what was sent.
func (b *Bus) Close() error {
	if err := b.nc.Drain(); err != nil {
		b.nc.Close()
		return fmt.Errorf("bus: close: %w", err)
	}
	return nil
}

// setup creates or updates the deployment's streams and buckets.
func (b *Bus) setup(ctx context.Context) error {
	o, n := b.opt, b.names
	maxMsg := int32(o.MaxMsgBytes + 16<<10)
	work := func(name, subj, what string) (jetstream.Stream, error) {
		s, err := b.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name: name, Subjects: []string{subj}, Description: what,
			Retention: jetstream.WorkQueuePolicy, MaxBytes: o.StreamBytes, Discard: jetstream.DiscardNew,
			MaxMsgSize: maxMsg, Storage: jetstream.FileStorage,
			// Redelivered publishes (a retry after a lost ack) are
			// dropped by message ID within this window.
			Duplicates: 2 * time.Minute,
		})
		if err != nil {
			return nil, fmt.Errorf("bus: stream %s: %w", name, err)
		}
		return s, nil
	}
	var err error
	if b.raw, err = work(n.raw, n.rawSubj, "storyline raw items, to be prepared by workers"); err != nil {
		return err
	}
	if b.prep, err = work(n.prep, n.prepSubj, "storyline prepared articles, to be assigned"); err != nil {
		return err
	}
	b.dead, err = b.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: n.dead, Subjects: []string{n.deadSubj}, Description: "storyline messages moved aside, with their errors",
		Retention: jetstream.LimitsPolicy, MaxAge: o.DeadAge, MaxBytes: o.StreamBytes, Discard: jetstream.DiscardOld,
		MaxMsgSize: maxMsg, Storage: jetstream.FileStorage,
	})
	if err != nil {
		return fmt.Errorf("bus: stream %s: %w", n.dead, err)
	}
	if b.pages, err = b.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: n.pages, Description: "storyline messages too large to send inline", TTL: o.PagesTTL,
		MaxBytes: o.StreamBytes, Storage: jetstream.FileStorage,
	}); err != nil {
		return fmt.Errorf("bus: object store %s: %w", n.pages, err)
	}
	if b.state, err = b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: n.kvState, Description: "storyline assigner's position in the ingest sequence", Storage: jetstream.FileStorage,
	}); err != nil {
		return fmt.Errorf("bus: key-value %s: %w", n.kvState, err)
	}
	return nil
}

// consumer creates or updates a stream's one durable pull consumer.
func (b *Bus) consumer(ctx context.Context, s jetstream.Stream, name string, ackPending int) (jetstream.Consumer, error) {
	c, err := s.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable: name, AckPolicy: jetstream.AckExplicitPolicy, AckWait: b.opt.AckWait,
		// Unlimited: a message is never dropped by the server; the
		// handler moves it aside itself after MaxDeliver, with a reason.
		MaxDeliver: -1, MaxAckPending: ackPending,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: consumer %s: %w", name, err)
	}
	return c, nil
}

// message builds a message of kind wire for subject, its body inline or,
// when larger than MaxMsgBytes, put in the pages bucket under ref.
func (b *Bus) message(ctx context.Context, subject, wire, input, ref string, body []byte) (*nats.Msg, error) {
	m := nats.NewMsg(subject)
	m.Header.Set(hdrWire, wire)
	m.Header.Set(hdrInput, headerSafe(input))
	if len(body) <= b.opt.MaxMsgBytes {
		m.Data = body
		return m, nil
	}
	if _, err := b.pages.PutBytes(ctx, ref, body); err != nil {
		return nil, fmt.Errorf("bus: put %s (%d bytes) in %s: %w", input, len(body), b.names.pages, err)
	}
	m.Header.Set(hdrRef, ref)
	return m, nil
}

// errGone marks a message whose body, held by reference, is no longer in
// the pages bucket: it was consumed before (the object is deleted only
// once its message's effect is durable), so this is a redelivery.
var errGone = errors.New("body already consumed")

// body returns a received message's body, fetched from the pages bucket
// when it went by reference.
func (b *Bus) body(ctx context.Context, m jetstream.Msg) ([]byte, error) {
	ref := m.Headers().Get(hdrRef)
	if ref == "" {
		return m.Data(), nil
	}
	data, err := b.pages.GetBytes(ctx, ref)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("bus: object %s: %w", ref, errGone)
	}
	if err != nil {
		return nil, fmt.Errorf("bus: object %s: %w (%w)", ref, err, errRetry)
	}
	return data, nil
}

// release deletes the pages object a consumed message's body was in.
func (b *Bus) release(ctx context.Context, m jetstream.Msg) {
	if ref := m.Headers().Get(hdrRef); ref != "" {
		if err := b.pages.Delete(ctx, ref); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
			b.log.Warn("bus: delete consumed object", "object", ref, "err", err)
		}
	}
}

// moveAside copies a message to the dead-letter stream with the reason,
// waiting for JetStream's acknowledgement. The caller then acknowledges
// the original, so that it blocks nothing.
func (b *Bus) moveAside(ctx context.Context, m jetstream.Msg, reason error) error {
	d := nats.NewMsg(b.names.deadSubj)
	for k, v := range m.Headers() {
		d.Header[k] = v
	}
	d.Header.Set(hdrError, headerSafe(reason.Error()))
	if md, err := m.Metadata(); err == nil {
		d.Header.Set(hdrFromStream, md.Stream)
		d.Header.Set(hdrFromSeq, strconv.FormatUint(md.Sequence.Stream, 10))
		d.Header.Set(hdrDelivered, strconv.FormatUint(md.NumDelivered, 10))
	}
	d.Data = m.Data() // a body by reference stays in the pages bucket until its TTL
	if _, err := b.js.PublishMsg(ctx, d); err != nil {
		return fmt.Errorf("bus: move aside to %s: %w", b.names.dead, err)
	}
	b.log.Warn("bus: message moved aside", "input", m.Headers().Get(hdrInput), "stream", b.names.dead, "reason", reason)
	return nil
}

// headerSafe makes s fit a header value: one line, bounded.
func headerSafe(s string) string {
	const max = 1024
	out := make([]rune, 0, min(len(s), max))
	for _, r := range s {
		if len(out) == max {
			break
		}
		if r == '\r' || r == '\n' {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}

// keepAlive tells the server every AckWait/3 that the messages held are
// still being worked on, until stop is closed.
func (b *Bus) keepAlive(held func() []jetstream.Msg, stop <-chan struct{}) {
	t := time.NewTicker(b.opt.AckWait / 3)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			for _, m := range held() {
				_ = m.InProgress()
			}
		}
	}
}

// DeadLetter is a message moved aside.
type DeadLetter struct {
	Input, Error, Stream string
	Seq                  uint64
	Delivered            int
}

// DeadLetters lists the messages moved aside, oldest first.
func (b *Bus) DeadLetters(ctx context.Context) ([]DeadLetter, error) {
	info, err := b.dead.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("bus: %s: %w", b.names.dead, err)
	}
	var out []DeadLetter
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := b.dead.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("bus: %s #%d: %w", b.names.dead, seq, err)
		}
		d := DeadLetter{Input: m.Header.Get(hdrInput), Error: m.Header.Get(hdrError), Stream: m.Header.Get(hdrFromStream)}
		d.Seq, _ = strconv.ParseUint(m.Header.Get(hdrFromSeq), 10, 64)
		d.Delivered, _ = strconv.Atoi(m.Header.Get(hdrDelivered))
		out = append(out, d)
	}
	return out, nil
}

// Remove deletes the deployment's streams, consumers and buckets, with
// everything in them.
func (b *Bus) Remove(ctx context.Context) error {
	n := b.names
	var errs []error
	for _, s := range []string{n.raw, n.prep, n.dead} {
		if err := b.js.DeleteStream(ctx, s); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			errs = append(errs, fmt.Errorf("bus: delete stream %s: %w", s, err))
		}
	}
	if err := b.js.DeleteObjectStore(ctx, n.pages); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		errs = append(errs, fmt.Errorf("bus: delete object store %s: %w", n.pages, err))
	}
	for _, kv := range []string{n.kvState, n.lease} {
		if err := b.js.DeleteKeyValue(ctx, kv); err != nil && !errors.Is(err, jetstream.ErrBucketNotFound) {
			errs = append(errs, fmt.Errorf("bus: delete key-value %s: %w", kv, err))
		}
	}
	return errors.Join(errs...)
}

// giveBack stops consuming and gives back at once the messages the client
// had buffered and not handed over, so that the next consumer need not wait
// AckWait for them.
func giveBack(mc jetstream.MessagesContext) {
	mc.Drain()
	for {
		m, err := mc.Next(jetstream.NextMaxWait(time.Second))
		if err != nil {
			return
		}
		_ = m.Nak()
	}
}
