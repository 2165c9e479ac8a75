package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/postgres/pgtest"
	"github.com/storyline/storyline/internal/store/storetest"
	"github.com/storyline/storyline/internal/store/storeurl"
)

// TestMigrateToPostgres: the seeds and 200 ECB+ articles ingested into
// SQLite, copied to PostgreSQL with an interruption after a few batches
// and `storyline migrate` run again to finish, read the same on both
// (every read method), and `stories --store postgres://…` lists the
// stories `stories --data` does.
func TestMigrateToPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 200 articles and copies them")
	}
	pgtest.Need(t)
	ctx := context.Background()
	b, err := os.ReadFile(shared.Path(t, "data/ecbplus-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ecb.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(strings.SplitAfter(string(b), "\n")[:200], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(t, "ingest", "--data", data, file, shared.Path(t, "seeds")); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	url, name := pgtest.URL(), pgtest.Name(t)

	// The first copy stops after 5 batches of 100 rows, as Ctrl-C would.
	src, err := storeurl.Open(ctx, "sqlite:"+data, storeurl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dst, err := storeurl.Open(ctx, url, storeurl.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	batches := 0
	var at store.CopyProgress
	_, err = store.Copy(cctx, dst, src, store.CopyOptions{Batch: 100, Progress: func(p store.CopyProgress) {
		if batches++; batches == 5 {
			at = p
			cancel()
		}
	}})
	cancel()
	src.Close()
	dst.Close()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted copy: %v", err)
	}
	t.Logf("interrupted after %d rows, in %s", at.Total, at.Table)

	code, out, errs := run(t, "migrate", "--from", "sqlite:"+data, "--to", url, "--name", name, "--batch", "100")
	if code != exitOK || !strings.Contains(out, "finished the interrupted copy") {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errs)
	}
	t.Log(strings.TrimSpace(out))
	code, out, errs = run(t, "migrate", "--from", "sqlite:"+data, "--to", url, "--name", name)
	if code != exitOK || !strings.Contains(out, "nothing to do") {
		t.Errorf("migrate again: exit %d\n%s%s", code, out, errs)
	}

	lite, err := storeurl.Open(ctx, "sqlite:"+data, storeurl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pg, err := storeurl.Open(ctx, url, storeurl.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	n, s, err := lite.Counts(ctx)
	if err != nil || n < 200 || s < 20 {
		t.Fatalf("the SQLite store holds too little to compare: %d articles, %d stories, %v", n, s, err)
	}
	storetest.SameStore(t, lite, pg)
	lite.Close()
	pg.Close()

	for _, args := range [][]string{{"stories", "-n", "0"}, {"stories", "-n", "0", "--json"}, {"export"}} {
		_, want, _ := run(t, append(args, "--data", data)...)
		code, got, errs := run(t, append(args, "--store", url, "--name", name)...)
		if code != exitOK || got != want || want == "" {
			t.Errorf("%v on PostgreSQL: exit %d, %s\n%.800s\non SQLite:\n%.800s", args, code, errs, got, want)
		}
	}
}
