package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/bus"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/source"
)

// busFlags are the settings of the commands that meet on a NATS JetStream
// bus.
type busFlags struct {
	url, name *string
	// Registered by the commands that consume (nil otherwise):
	ackWait, leaseTTL *time.Duration
}

// addBusFlags registers --bus, its default from STORYLINE_BUS, saying
// what the command does with it, and --name; for the commands that
// consume, --ack-wait, and for those that assign, --lease-ttl.
func addBusFlags(fs *flag.FlagSet, what string) *busFlags {
	env := " (env STORYLINE_BUS)"
	switch fs.Name() {
	case "ingest", "run":
		env = " (env STORYLINE_BUS; empty: everything in this process)"
	}
	f := &busFlags{
		url: fs.String("bus", os.Getenv("STORYLINE_BUS"), "NATS server URL (nats://host:4222) of the deployment's JetStream streams: "+what+env),
		name: fs.String("name", "storyline", "the deployment's name, in its streams', consumers' and buckets' names: "+
			"several deployments share a server under different names"),
	}
	// run works on a bus only with --bus; worker and assign always do.
	with := ""
	if fs.Name() == "run" {
		with = "with --bus: "
	}
	if fs.Name() != "ingest" {
		f.ackWait = fs.Duration("ack-wait", 30*time.Second, with+"how long the items a dead worker or assigner held wait before "+
			"they are handed out again; live ones renew theirs. Shorter takes over sooner, at the cost of more keep-alive "+
			"messages; every worker and assigner of a deployment must be given the same")
	}
	if fs.Name() != "ingest" && fs.Name() != "worker" {
		f.leaseTTL = fs.Duration("lease-ttl", 6*time.Second, with+"how long the active assigner's lease outlives its last "+
			"refresh: a standby assigner takes over within about this long after the active one dies; too short, and a pause "+
			"of 2/3 of it (GC, network, a NATS restart) makes the active one give up and exit. All assigners of a deployment "+
			"must be given the same")
	}
	return f
}

// connect connects to the bus, which must be named.
func (f *busFlags) connect(ctx context.Context, e *env, command string) (*bus.Bus, error) {
	if *f.url == "" {
		return nil, usageErr("no --bus given (or STORYLINE_BUS): %s works on a NATS JetStream bus", command)
	}
	opt := bus.Options{Name: *f.name, Logger: e.log}
	if f.ackWait != nil {
		opt.AckWait = *f.ackWait
	}
	if f.leaseTTL != nil {
		opt.LeaseTTL = *f.leaseTTL
	}
	return bus.Connect(ctx, *f.url, opt)
}

// publishItems is `ingest --bus`: the items go to the raw stream, and the
// command returns once JetStream holds them all.
func publishItems(ctx context.Context, e *env, bf *busFlags, rf *readFlags, inputs []string, asJSON bool) error {
	opt, err := rf.sourceOptions(e, nil)
	if err != nil {
		return err
	}
	b, err := bf.connect(ctx, e, "ingest")
	if err != nil {
		return err
	}
	defer b.Close()
	rep, err := b.Publish(ctx, source.Read(ctx, inputs, opt))
	if rep != nil {
		if asJSON {
			json.NewEncoder(e.stdout).Encode(rep)
		} else {
			rep.WriteTo(e.stdout)
		}
	}
	if err != nil {
		return err
	}
	if rep.Failed > 0 {
		return errItems // the assigner's report says which, as skipped
	}
	return nil
}

func runWorker(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "worker", "")
	ef := addPrepareFlags(fs)
	ef.readFlags = &readFlags{langs: langsFlag(fs)}
	bf := addBusFlags(fs, "prepare the raw items there")
	workers := fs.Int("workers", 0, "items prepared at once (default: the number of CPUs)")
	drain := fs.Bool("drain", false, "stop once the raw stream is empty instead of waiting for more")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageErr("worker takes no arguments: %q", rest)
	}
	return work(ctx, e, bf, ef, bus.WorkOptions{Workers: *workers, Drain: *drain})
}

// work is `storyline worker` once its flags are read.
func work(ctx context.Context, e *env, bf *busFlags, ef *engineFlags, opt bus.WorkOptions) error {
	det, err := ef.detector()
	if err != nil {
		return err
	}
	lex, err := ef.lexicon(ctx, det)
	if err != nil {
		return err
	}
	// The stages of an in-process run (see openPipeline): the same
	// detector, lexicon and story features, so that the same input gives
	// the same stories. Workers and the assigner must be given the same
	// --langs, --lexicons and --window.
	feats := ef.assigner(lex).Features()
	st := ingest.Stages{Det: det, Features: &feats}
	if lex != nil {
		st.Words = lex
	}
	b, err := bf.connect(ctx, e, "worker")
	if err != nil {
		return err
	}
	defer b.Close()
	fmt.Fprintf(e.stderr, "storyline worker: preparing the raw items of %q on %s\n", *bf.name, *bf.url)
	opt.Setup = setup(det, lex)
	rep, err := b.Work(ctx, st, opt)
	if rep != nil {
		fmt.Fprintf(e.stdout, "prepared %d items, moved aside %d, redeliveries dropped %d\n", rep.Prepared, rep.MovedAside, rep.Again)
	}
	return err
}

func runAssign(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "assign", "")
	data := dataFlag(fs)
	ef := addEngineFlags(fs)
	bf := addBusFlags(fs, "assign the prepared items there to stories and store them")
	drain := fs.Bool("drain", false, "stop once both streams are empty and everything taken is stored, instead of waiting for more "+
		"(a standby stops as soon as it finds them empty)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageErr("assign takes no arguments: %q", rest)
	}
	return assign(ctx, e, bf, data, ef, bus.AssignOptions{Drain: *drain}, *asJSON)
}

// assign is `storyline assign` once its flags are read: a standby until
// it holds the deployment's lease, then its writer.
func assign(ctx context.Context, e *env, bf *busFlags, data *storeFlags, ef *engineFlags, opt bus.AssignOptions, asJSON bool) error {
	det, err := ef.detector()
	if err != nil {
		return err
	}
	lex, err := ef.lexicon(ctx, det)
	if err != nil {
		return err
	}
	opt.Setup = setup(det, lex)
	b, err := bf.connect(ctx, e, "assign")
	if err != nil {
		return err
	}
	defer b.Close()
	holder := bus.Holder()
	fmt.Fprintf(e.stderr, "storyline assign (%s): assigning the prepared items of %q on %s, into %s, once it holds the lease\n",
		holder, *bf.name, *bf.url, data)
	// The store is opened only once the lease is held: a SQLite store
	// admits one writing process, and the story window is restored from
	// what the last writer stored.
	var counts string
	open := func(ctx context.Context) (*ingest.Pipeline, func() error, error) {
		st, p, _, err := openPipeline(ctx, e, *data, "assign", ef, ingest.Options{Progress: e.stderr})
		if err != nil {
			return nil, nil, err
		}
		return p, func() error {
			if n, s, err := st.Counts(context.WithoutCancel(ctx)); err == nil {
				counts = fmt.Sprintf("store %s: %d articles in %d stories\n", data, n, s)
			}
			return st.Close()
		}, nil
	}
	rep, err := b.AssignStandby(ctx, holder, open, opt)
	if rep != nil {
		if asJSON {
			json.NewEncoder(e.stdout).Encode(rep)
		} else {
			rep.WriteTo(e.stdout)
			fmt.Fprint(e.stdout, counts)
		}
	}
	if err != nil {
		return err
	}
	if rep.Failed() {
		return errItems
	}
	return nil
}

// setup says how items are prepared here, for the assigner to compare
// with its workers': the languages told apart and those the lexicons link.
func setup(det *langid.Detector, lex *lexicon.Lexicon) string {
	return "langs=" + strings.Join(det.Languages(), ",") + " lexicons=" + strings.Join(lex.Langs(), ",")
}
