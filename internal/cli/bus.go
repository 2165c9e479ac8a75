package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

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
}

// addBusFlags registers --bus, its default from STORYLINE_BUS, saying
// what the command does with it, and --name.
func addBusFlags(fs *flag.FlagSet, what string) *busFlags {
	env := " (env STORYLINE_BUS)"
	if fs.Name() == "ingest" {
		env = " (env STORYLINE_BUS; empty: everything in this process)"
	}
	return &busFlags{
		url: fs.String("bus", os.Getenv("STORYLINE_BUS"), "NATS server URL (nats://host:4222) of the deployment's JetStream streams: "+what+env),
		name: fs.String("name", "storyline", "the deployment's name, in its streams', consumers' and buckets' names: "+
			"several deployments share a server under different names"),
	}
}

// connect connects to the bus, which must be named.
func (f *busFlags) connect(ctx context.Context, e *env, command string) (*bus.Bus, error) {
	if *f.url == "" {
		return nil, usageErr("no --bus given (or STORYLINE_BUS): %s works on a NATS JetStream bus", command)
	}
	return bus.Connect(ctx, *f.url, bus.Options{Name: *f.name, Logger: e.log})
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
	rep, err := b.Work(ctx, st, bus.WorkOptions{Workers: *workers, Drain: *drain, Setup: setup(det, lex)})
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
	drain := fs.Bool("drain", false, "stop once both streams are empty and everything taken is stored, instead of waiting for more")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageErr("assign takes no arguments: %q", rest)
	}
	b, err := bf.connect(ctx, e, "assign")
	if err != nil {
		return err
	}
	defer b.Close()
	st, p, lex, err := openPipeline(ctx, e, *data, "assign", ef, ingest.Options{Progress: e.stderr})
	if err != nil {
		return err
	}
	defer st.Close()
	det, err := ef.detector()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "storyline assign: storing the prepared items of %q on %s in %s\n", *bf.name, *bf.url, *data)
	rep, err := b.Assign(ctx, p, bus.AssignOptions{Drain: *drain, Setup: setup(det, lex)})
	if rep != nil {
		if *asJSON {
			json.NewEncoder(e.stdout).Encode(rep)
		} else {
			rep.WriteTo(e.stdout)
			if n, s, cerr := st.Counts(context.WithoutCancel(ctx)); cerr == nil {
				fmt.Fprintf(e.stdout, "store %s: %d articles in %d stories\n", *data, n, s)
			}
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
