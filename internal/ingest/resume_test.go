package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// busy makes every stream mechanism fire on a few hundred articles:
// Maintain, epochs, evictions.
var busy = story.Config{MaintainEvery: 60, EpochMax: 80, MaxMembers: 8}

// openWith opens a pipeline on dir with an assigner configured as cfg.
func openWith(t *testing.T, dir string, cfg story.Config, opt Options) (*Pipeline, *store.SQLite) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opt.Source.Validators = st
	p, err := Open(ctx, st, langid.Default(), story.New(cfg, nil), opt)
	if err != nil {
		t.Fatal(err)
	}
	return p, st
}

// ecbLines writes the first n lines of the ECB+ dev file into parts files
// of about equal size and returns their paths.
func ecbLines(t *testing.T, n int, parts int) []string {
	t.Helper()
	f, err := os.Open(shared.Path(t, "data/ecbplus-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() && len(lines) < n {
		lines = append(lines, sc.Text())
	}
	dir := t.TempDir()
	var paths []string
	for i := 0; i < parts; i++ {
		p := filepath.Join(dir, fmt.Sprintf("part%d.jsonl", i))
		chunk := lines[i*len(lines)/parts : (i+1)*len(lines)/parts]
		if err := os.WriteFile(p, []byte(strings.Join(chunk, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// dump is everything a store holds about stories, both views, in a form
// two stores can be compared by.
type dump struct {
	Articles []string
	Stories  []store.Story
	Streams  []store.StreamStory
	Meta     map[string]string
}

func dumpStore(t *testing.T, st store.Store) dump {
	t.Helper()
	ctx := context.Background()
	var d dump
	err := st.Replay(ctx, 0, func(a *article.Article, p store.Placement) error {
		d.Articles = append(d.Articles, fmt.Sprintf("%d story %d stream %d at %v evicted %v dup %d",
			a.ID, a.Story, p.Stream, p.At, p.Evicted, a.DuplicateOf))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.Stories, err = st.Stories(ctx); err != nil {
		t.Fatal(err)
	}
	if d.Streams, err = st.StreamStories(ctx); err != nil {
		t.Fatal(err)
	}
	d.Meta = map[string]string{}
	for _, k := range []string{metaCheckpoint, metaModel, metaSettled} {
		v, err := st.Meta(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		d.Meta[k] = string(v)
	}
	return d
}

// stories returns the readers' view as a partition of the articles' input
// IDs, each story named by its first member, so that two stores compare
// whatever IDs their stories got.
func stories(t *testing.T, st store.Store) []string {
	t.Helper()
	by := map[int64][]string{}
	for _, a := range articles(t, st) {
		key := a.ExternalID
		if key == "" {
			key = a.Input
		}
		by[a.Story] = append(by[a.Story], key)
	}
	var out []string
	for _, ids := range by {
		slices.Sort(ids)
		out = append(out, strings.Join(ids, " "))
	}
	slices.Sort(out)
	return out
}

// TestNoOpRunChangesNothing: a run that stores nothing leaves the store as
// it was, to the byte of every story row: no lost last_seen, no new
// headline, no merge made on the way back in.
func TestNoOpRunChangesNothing(t *testing.T) {
	inputs := append(ecbLines(t, 150, 1), shared.Path(t, "seeds"))
	for _, cfg := range []story.Config{{}, busy} {
		dir := t.TempDir()
		p, st := openWith(t, dir, cfg, Options{})
		if _, err := p.Run(context.Background(), inputs); err != nil {
			t.Fatal(err)
		}
		before := dumpStore(t, st)
		st.Close()
		for range 2 {
			p, st = openWith(t, dir, cfg, Options{})
			rep, err := p.Run(context.Background(), inputs)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Stored+rep.Copies+rep.Related != 0 {
				t.Fatalf("re-run stored something: %+v", rep)
			}
			after := dumpStore(t, st)
			st.Close()
			if !reflect.DeepEqual(before, after) {
				diff(t, before, after)
			}
		}
	}
}

func diff(t *testing.T, before, after dump) {
	t.Helper()
	for i := range min(len(before.Articles), len(after.Articles)) {
		if before.Articles[i] != after.Articles[i] {
			t.Errorf("article changed:\n  %s\n  %s", before.Articles[i], after.Articles[i])
			break
		}
	}
	if !reflect.DeepEqual(before.Stories, after.Stories) {
		t.Errorf("story rows changed:\n%+v\n%+v", before.Stories, after.Stories)
	}
	if !reflect.DeepEqual(before.Streams, after.Streams) {
		t.Errorf("stream stories changed")
	}
	for _, k := range slices.Sorted(maps.Keys(before.Meta)) {
		if before.Meta[k] != after.Meta[k] {
			t.Errorf("meta %s changed: %.200q → %.200q", k, before.Meta[k], after.Meta[k])
		}
	}
}

// TestRunsCutAnywhereEqualOneRun: the same input ingested in one run, in
// two, or in five gives the same stories, with every stream mechanism
// firing in between (busy): restarting costs nothing.
func TestRunsCutAnywhereEqualOneRun(t *testing.T) {
	const n = 300
	for _, cfg := range []story.Config{{}, busy} {
		whole := ecbLines(t, n, 1)
		p, st := openWith(t, t.TempDir(), cfg, Options{})
		if _, err := p.Run(context.Background(), whole); err != nil {
			t.Fatal(err)
		}
		want := stories(t, st)
		for _, parts := range []int{2, 5} {
			dir := t.TempDir()
			for _, in := range ecbLines(t, n, parts) {
				p, st := openWith(t, dir, cfg, Options{})
				if _, err := p.Run(context.Background(), []string{in}); err != nil {
					t.Fatal(err)
				}
				st.Close()
			}
			_, st := openWith(t, dir, cfg, Options{})
			if got := stories(t, st); !slices.Equal(got, want) {
				t.Errorf("config %+v, %d runs: %d stories, one run %d; the stories differ", cfg, parts, len(got), len(want))
			}
		}
	}
}

// cancelAfter is a reader of JSONL lines that cancels a context once it has
// handed out k lines: an interrupt in the middle of a batch.
type cancelAfter struct {
	lines  []string
	k      int
	cancel func()
	buf    strings.Reader
	i      int
}

func (r *cancelAfter) Read(p []byte) (int, error) {
	for r.buf.Len() == 0 {
		if r.i == r.k {
			r.cancel()
			time.Sleep(50 * time.Millisecond) // let the cancellation land mid-batch
		}
		if r.i == len(r.lines) {
			return 0, io.EOF
		}
		r.buf.Reset(r.lines[r.i] + "\n")
		r.i++
	}
	return r.buf.Read(p)
}

// TestInterruptKeepsWhatItReports: Ctrl-C in the middle of a batch commits
// the articles in hand; the report counts exactly what is stored; running
// again completes the input, and the stories are those of one clean run.
func TestInterruptKeepsWhatItReports(t *testing.T) {
	path := ecbLines(t, 120, 1)[0]
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")

	p, st := openWith(t, t.TempDir(), busy, Options{})
	if _, err := p.Run(context.Background(), []string{path}); err != nil {
		t.Fatal(err)
	}
	want := stories(t, st)

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := &cancelAfter{lines: lines, k: 70, cancel: cancel}
	p, st = openWith(t, dir, busy, Options{Source: source.Options{Stdin: in}, BatchSize: 1000, CommitEvery: time.Hour})
	rep, err := p.Run(ctx, []string{"-"})
	if !errors.Is(err, context.Canceled) || !rep.Interrupted {
		t.Fatalf("interrupted run: err %v, report %+v", err, rep)
	}
	n, _, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != rep.Stored+rep.Copies+rep.Related || n == 0 || rep.Lost != 0 {
		t.Errorf("report says %d stored, %d copies, %d lost; the store holds %d", rep.Stored, rep.Copies, rep.Lost, n)
	}
	if len(rep.Skipped) != 0 {
		t.Errorf("the interrupt made skips: %+v", rep.Skipped)
	}
	var out strings.Builder
	rep.WriteTo(&out)
	if !strings.Contains(out.String(), "interrupted") {
		t.Errorf("report does not say it was interrupted:\n%s", out.String())
	}
	st.Close()

	p, st = openWith(t, dir, busy, Options{})
	if _, err := p.Run(context.Background(), []string{path}); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := st.Counts(context.Background()); int(n) != len(lines) {
		t.Errorf("after the second run %d articles, want %d", n, len(lines))
	}
	if got := stories(t, st); !slices.Equal(got, want) {
		t.Errorf("interrupted and resumed: stories differ from one clean run")
	}
}
