package bus_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/bus"
	"github.com/storyline/storyline/internal/bus/bustest"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// cfg makes every stream mechanism fire on a few hundred articles, so that
// a wrong order shows.
var cfg = story.Config{MaintainEvery: 60, EpochMax: 80, MaxMembers: 8}

// ecb writes the first n lines of the ECB+ dev file to a file and returns
// its path.
func ecb(t *testing.T, n int) string {
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
	p := filepath.Join(t.TempDir(), "ecb.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openPipeline(t *testing.T) (*ingest.Pipeline, *store.SQLite) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := ingest.Open(ctx, st, langid.Default(), story.New(cfg, nil), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, st
}

// partition is the stories as sets of the articles' input IDs, each story
// named by its members, so that two stores compare whatever IDs they gave.
func partition(t *testing.T, st store.Store) []string {
	t.Helper()
	by := map[int64][]string{}
	err := st.Articles(context.Background(), func(a *article.Article) error {
		key := a.ExternalID
		if key == "" {
			key = a.Input
		}
		by[a.Story] = append(by[a.Story], key)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ids := range by {
		slices.Sort(ids)
		out = append(out, strings.Join(ids, " "))
	}
	slices.Sort(out)
	return out
}

func connect(t *testing.T, url string, opt bus.Options) *bus.Bus {
	t.Helper()
	b, err := bus.Connect(context.Background(), url, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// stages are the worker's stages, as an in-process run's.
func stages() ingest.Stages {
	feats := story.New(cfg, nil).Features()
	return ingest.Stages{Det: langid.Default(), Features: &feats}
}

// through runs inputs through the bus: published, prepared by workers
// worker processes, assigned into a new store; it returns the store and
// the assigner's report.
func through(t *testing.T, url string, opt bus.Options, inputs []string, workers int) (*store.SQLite, *ingest.Report) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	pub := connect(t, url, opt)
	if _, err := pub.Publish(ctx, source.Read(ctx, inputs, source.Options{})); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := connect(t, url, opt)
			if _, err := w.Work(ctx, stages(), bus.WorkOptions{Workers: 2, Drain: true}); err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
		}()
	}
	p, st := openPipeline(t)
	rep, err := connect(t, url, opt).Assign(ctx, p, bus.AssignOptions{Drain: true})
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	return st, rep
}

// TestSameStoriesAsInProcess: items published, prepared by two workers
// and assigned give the stories an in-process run gives.
func TestSameStoriesAsInProcess(t *testing.T) {
	in := ecb(t, 150)
	p, want := openPipeline(t)
	wantRep, err := p.Run(context.Background(), []string{in})
	if err != nil {
		t.Fatal(err)
	}
	url, _ := bustest.Embedded(t)
	st, rep := through(t, url, bus.Options{Name: bustest.Name(t)}, []string{in}, 2)
	if rep.Stored != wantRep.Stored || rep.Copies != wantRep.Copies || len(rep.Skipped) != len(wantRep.Skipped) {
		t.Errorf("over the bus: stored %d, copies %d, skipped %d; in process %d, %d, %d",
			rep.Stored, rep.Copies, len(rep.Skipped), wantRep.Stored, wantRep.Copies, len(wantRep.Skipped))
	}
	if got, w := partition(t, st), partition(t, want); !slices.Equal(got, w) {
		t.Errorf("over the bus %d stories, in process %d: they differ", len(got), len(w))
	}
	t.Logf("over the bus: items %d stored %d copies %d skipped %d duplicates %d; %d stories", rep.Items, rep.Stored, rep.Copies, len(rep.Skipped), rep.Duplicates, len(partition(t, st)))
}

// TestRealServer: the same against the machine's NATS server (skipped
// when it is unreachable, except in CI), under a deployment name of its
// own, removed after.
func TestRealServer(t *testing.T) {
	url := bustest.Real(t)
	in := ecb(t, 60)
	p, want := openPipeline(t)
	if _, err := p.Run(context.Background(), []string{in}); err != nil {
		t.Fatal(err)
	}
	opt := bus.Options{Name: bustest.Name(t)}
	b := connect(t, url, opt)
	t.Cleanup(func() {
		if err := b.Remove(context.Background()); err != nil {
			t.Error(err)
		}
	})
	st, rep := through(t, url, opt, []string{in}, 2)
	if got, w := partition(t, st), partition(t, want); rep.Stored != 60 || !slices.Equal(got, w) {
		t.Errorf("over the bus: stored %d (want 60), %d stories, in process %d; equal: %v", rep.Stored, len(got), len(w), slices.Equal(got, w))
	}
}
