package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/postgres"
	"github.com/storyline/storyline/internal/store/storeurl"
)

// migrateProgressEvery is how often a copy logs how far it is.
const migrateProgressEvery = 5 * time.Second

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "")
	from := fs.String("from", "", "the store to copy: sqlite:DIR (or DIR) or postgres://…")
	to := fs.String("to", "", "the store to copy it into, empty or new: sqlite:DIR or postgres://…")
	name := fs.String("name", postgres.DefaultName, "the deployment's name, the PostgreSQL schema of either store (unless --from-name or --to-name says otherwise)")
	fromName := fs.String("from-name", "", "the schema of a PostgreSQL --from (default: --name)")
	toName := fs.String("to-name", "", "the schema of a PostgreSQL --to (default: --name)")
	batch := fs.Int("batch", 0, "rows a transaction of the target writes, and an interruption redoes (default 1000)")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageErr("migrate takes no arguments: %q", rest)
	}
	if *from == "" || *to == "" {
		return usageErr("give the store to copy (--from) and where to (--to)")
	}
	srcLoc, err := storeurl.Parse(*from)
	if err != nil {
		return usageErr("--from: %v", err)
	}
	dstLoc, err := storeurl.Parse(*to)
	if err != nil {
		return usageErr("--to: %v", err)
	}
	srcOpt := storeurl.Options{Name: cmp.Or(*fromName, *name), Holder: "storyline migrate"}
	dstOpt := storeurl.Options{Name: cmp.Or(*toName, *name), Holder: "storyline migrate"}
	if srcLoc == dstLoc && (srcLoc.Kind == storeurl.SQLite || srcOpt.Name == dstOpt.Name) {
		return usageErr("--from and --to are the same store")
	}
	srcName, dstName := describe(srcLoc, srcOpt.Name), describe(dstLoc, dstOpt.Name)

	// The source must exist: opened for writing, a folder would be made.
	ro, err := srcLoc.Open(ctx, storeurl.Options{Name: srcOpt.Name, ReadOnly: true})
	if err != nil {
		return err
	}
	ro.Close()
	waiting := func(what string) func(string) {
		return func(holder string) {
			fmt.Fprintf(e.stderr, "storyline migrate: waiting for %s to finish writing %s\n", holder, what)
		}
	}
	srcOpt.Waiting, dstOpt.Waiting = waiting(srcName), waiting(dstName)
	src, err := srcLoc.Open(ctx, srcOpt)
	if err != nil {
		return err
	}
	defer src.Close()
	// A write transaction held on the source, never committed, keeps
	// every other writer out until the copy is over, in this process or
	// another, on either backend; readers go on.
	hold, err := src.Begin(ctx)
	if err != nil {
		return fmt.Errorf("holding %s still: %w", srcName, err)
	}
	defer hold.Rollback()
	dst, err := dstLoc.Open(ctx, dstOpt)
	if err != nil {
		return err
	}
	defer dst.Close()

	fmt.Fprintf(e.stderr, "storyline migrate: copying %s into %s\n", srcName, dstName)
	last := time.Now()
	rep, err := store.Copy(ctx, dst, src, store.CopyOptions{Batch: *batch, Progress: func(p store.CopyProgress) {
		if time.Since(last) >= migrateProgressEvery {
			last = time.Now()
			e.log.Info("migrate", "table", p.Table, "rows", p.Rows, "all rows", p.Total)
		}
	}})
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(e.stdout, "interrupted: %s holds what was copied so far; run the same command again to finish\n", dstName)
		return err
	case errors.Is(err, store.ErrCopyTarget):
		return fmt.Errorf("%s: %w", dstName, err)
	case err != nil:
		return err
	case rep.AlreadyDone:
		fmt.Fprintf(e.stdout, "%s already holds a finished copy of %s: nothing to do\n", dstName, srcName)
		return nil
	}
	var parts []string
	for _, t := range store.CopyTables {
		if n := rep.Rows[t.Name]; n > 0 && t.Name != store.StorySeqTable {
			parts = append(parts, fmt.Sprintf("%s %d", t.Name, n))
		}
	}
	how := "copied"
	if rep.Resumed {
		how = "finished the interrupted copy of"
	}
	fmt.Fprintf(e.stdout, "%s %s into %s in %.1fs; rows: %s\n", how, srcName, dstName, rep.Took.Seconds(), strings.Join(parts, ", "))
	arts, stories, err := dst.Counts(context.WithoutCancel(ctx))
	if err == nil {
		fmt.Fprintf(e.stdout, "store %s: %d articles in %d stories\n", dstName, arts, stories)
	}
	return nil
}

// describe names a store for messages: a folder, or a URL (no password)
// with its schema.
func describe(l storeurl.Location, name string) string {
	if l.Kind == storeurl.Postgres {
		return fmt.Sprintf("%s (schema %s)", l, name)
	}
	return l.String()
}
