// Package cli implements the storyline subcommands. It parses flags and wires
// packages together; the work itself lives in the stage packages.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // the command ran but some items failed
	exitUsage  = 2
	// exitInterrupted is the shells' status for a command stopped by
	// SIGINT (128+2), whichever signal stopped it.
	exitInterrupted = 130
)

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"run", "[SOURCE...]", "the live service: ingest, poll feeds, watch folders, serve the web UI and JSON API", runRun},
		{"ingest", "SOURCE...", "ingest files, folders, JSONL, WARC, feed and page URLs into the data directory (or publish them: --bus)", runIngest},
		{"worker", "--bus URL", "prepare the raw items published on a NATS JetStream bus (any number, anywhere)", runWorker},
		{"assign", "--bus URL", "the bus's single writer: assign the prepared items to stories and store them", runAssign},
		{"extract", "PATH|URL...", "print the articles each input holds, one JSON object a line (stores nothing)", runExtract},
		{"export", "", "print every stored article as JSON lines", runExport},
		{"stories", "", "list stories, most recent first", runStories},
		{"story", "ID", "one story: summary, entities, quotes, figures, coverage, timeline, why together", runStory},
		{"entity", "show|merge|split ...", "show an entity with its spellings; merge or split entities by hand", runEntity},
		{"eval", "extraction|plaintext|clusters|pairs ...", "measure quality on a benchmark or dev set", runEval},
		{"migrate", "--from URL --to URL", "copy a store, stories and history included, to another (sqlite:DIR, postgres://…); run again to finish an interrupted copy", runMigrate},
		{"bench", "[SOURCE...]", "measure speed, ingest→visible latency and memory on a generated stream or SOURCE", runBench},
	}
}

// env is what every command gets: output streams and a logger.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

// errItems marks a run in which some items failed: exit status 1, the
// report already said which.
var errItems = errors.New("some items failed")

// Run executes one storyline command line and returns the exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	e := &env{stdout: stdout, stderr: stderr, log: newLogger(stderr)}
	// Packages without a logger of their own (lexicon loading) log
	// through the default; give it the same level and stream.
	slog.SetDefault(e.log)
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, errItems):
			return exitFailed
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.Is(err, context.Canceled) && ctx.Err() != nil:
			// The report, printed already, says what was kept.
			fmt.Fprintf(stderr, "storyline %s: interrupted\n", c.name)
			return exitInterrupted
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "storyline %s: %v\nusage: storyline %s %s\n", c.name, err, c.name, c.args)
			return exitUsage
		default:
			fmt.Fprintf(stderr, "storyline %s: %v\n", c.name, err)
			return exitFailed
		}
	}
	fmt.Fprintf(stderr, "storyline: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

var errUsage = errors.New("bad usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: storyline COMMAND [flags] [args]")
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %-26s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes -h for its flags. Data lives in --data DIR (default ./storyline-data, env STORYLINE_DATA),\n"+
		"or in the store --store URL names: sqlite:DIR or postgres://… (env STORYLINE_STORE).")
}

// newLogger logs at INFO unless STORYLINE_LOG says otherwise: a run's
// progress, when stderr is no terminal, goes there every few seconds.
func newLogger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if v := os.Getenv("STORYLINE_LOG"); v != "" {
		_ = level.UnmarshalText([]byte(v))
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: storyline %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may come before or after positional arguments,
// so `storyline ingest seeds/ --data d` works as people type it.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	addNameFlag(fs)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
