package bus_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/bus/bustest"
	"github.com/storyline/storyline/internal/cli"
	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/store"
)

// storyline runs one command line of the binary in this process.
func storyline(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = cli.Run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

// storiesOf maps every stored article (by its input ID) to its story,
// and lists them in the order they were stored.
func storiesOf(t *testing.T, dir string) (map[string]string, []string) {
	t.Helper()
	st, err := store.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := map[string]string{}
	var order []string
	err = st.Articles(context.Background(), func(a *article.Article) error {
		if _, dup := m[a.ExternalID]; dup {
			t.Errorf("article %s stored twice", a.ExternalID)
		}
		m[a.ExternalID] = fmt.Sprint(a.Story)
		order = append(order, a.ExternalID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, order
}

// stored waits until the store in dir holds at least n articles.
func stored(t *testing.T, ctx context.Context, dir string, n int) {
	t.Helper()
	for ctx.Err() == nil {
		if st, err := store.OpenReadOnly(ctx, dir); err == nil {
			c, _, err := st.Counts(ctx)
			st.Close()
			if err == nil && c >= int64(n) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("store %s never held %d articles", dir, n)
}

// TestCommandsOverBusSameStories: a few hundred ECB+ articles through
// `storyline ingest --bus`, two `storyline worker`s and `storyline
// assign` on an embedded NATS server give the stories of an in-process
// `storyline ingest` of the same file (BCubed F1 1 between the two), with
// nothing lost or stored twice, also when one worker is stopped mid-run
// and the assigner is stopped mid-run and started again.
func TestCommandsOverBusSameStories(t *testing.T) {
	const n = 300
	in := ecb(t, n)
	inProcess := t.TempDir()
	if code, out, errs := storyline(context.Background(), "ingest", "--data", inProcess, "--digests=false", in); code != 0 {
		t.Fatalf("in process: exit %d\n%s%s", code, out, errs)
	}
	want, wantOrder := storiesOf(t, inProcess)
	if len(want) != n {
		t.Fatalf("in process: %d articles stored, want %d", len(want), n)
	}
	url, _ := bustest.Embedded(t)
	for _, c := range []struct {
		name string
		kill bool
	}{{"undisturbed", false}, {"worker and assigner stopped mid-run", true}} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			bus := []string{"--bus", url, "--name", bustest.Name(t)}
			code, out, errs := storyline(ctx, append([]string{"ingest", in}, bus...)...)
			if code != 0 || !strings.Contains(out, fmt.Sprintf("published %d items", n)) {
				t.Fatalf("ingest --bus: exit %d\n%s%s", code, out, errs)
			}
			data := t.TempDir()
			var (
				wg    sync.WaitGroup
				exits [3]int
			)
			worker := func(ctx context.Context, i int) {
				defer wg.Done()
				code, out, errs := storyline(ctx, append([]string{"worker", "--drain", "--workers", "1"}, bus...)...)
				exits[i] = code
				if code != 0 && ctx.Err() == nil {
					t.Errorf("worker %d: exit %d\n%s%s", i, code, out, errs)
				}
				t.Logf("worker %d: exit %d: %s", i, code, strings.TrimSpace(out))
			}
			killed, kill := context.WithCancel(ctx)
			defer kill()
			wg.Add(2)
			go worker(killed, 1)
			go worker(ctx, 2)
			assign := append([]string{"assign", "--drain", "--data", data, "--digests=false"}, bus...)
			if c.kill {
				// Worker 1 is stopped once a tenth is stored, while it
				// still has items to prepare; the first assigner once a
				// third is.
				go func() { stored(t, ctx, data, n/10); kill() }()
				first, stop := context.WithCancel(ctx)
				done := make(chan struct{})
				go func() {
					defer close(done)
					code, out, errs := storyline(first, assign...)
					if code != 130 {
						t.Errorf("first assigner: exit %d, want 130 (interrupted)\n%s%s", code, out, errs)
					}
				}()
				stored(t, ctx, data, n/3)
				stop()
				<-done
			}
			code, out, errs = storyline(ctx, assign...)
			if code != 0 {
				t.Fatalf("assign: exit %d\n%s%s", code, out, errs)
			}
			wg.Wait()
			if c.kill && exits[1] != 130 {
				t.Errorf("worker 1 exited %d, not stopped mid-run (130)", exits[1])
			}
			got, order := storiesOf(t, data)
			if !slices.Equal(order, wantOrder) {
				t.Errorf("over the bus the articles were not stored in the order of the input")
			}
			if len(got) != n {
				t.Errorf("over the bus: %d articles stored, want %d", len(got), n)
			}
			f := eval.BCubed(got, want)
			t.Logf("over the bus: %d articles; BCubed against in process P %.4f R %.4f F1 %.4f; assigner: %s",
				len(got), f.P, f.R, f.F1, strings.TrimSpace(out))
			if f.F1 != 1 {
				t.Errorf("BCubed F1 %.4f between the stories over the bus and in process, want 1", f.F1)
			}
		})
	}
}
