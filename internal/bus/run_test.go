package bus_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/bus/bustest"
	"github.com/storyline/storyline/internal/eval"
)

// TestRunOverBusSameStories: `storyline run --bus --drain` runs every
// role (publisher, worker, assigner) in one process and gives the stories
// of an in-process `storyline ingest` of the same file, each article
// stored once, in the order of the input.
func TestRunOverBusSameStories(t *testing.T) {
	const n = 300
	in := ecb(t, n)
	inProcess := t.TempDir()
	if code, out, errs := storyline(context.Background(), "ingest", "--data", inProcess, "--digests=false", in); code != 0 {
		t.Fatalf("in process: exit %d\n%s%s", code, out, errs)
	}
	want, wantOrder := storiesOf(t, inProcess)
	url, _ := bustest.Embedded(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	data := t.TempDir()
	start := time.Now()
	code, out, errs := storyline(ctx, "run", "--bus", url, "--name", bustest.Name(t), "--data", data, "--digests=false",
		"--drain", "--workers", "2", in)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("published %d items", n)) {
		t.Fatalf("run --bus: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(errs, "active: took the lease") {
		t.Errorf("run --bus: its assigner never said it took the lease:\n%s", errs)
	}
	got, order := storiesOf(t, data)
	if len(got) != n || !slices.Equal(order, wantOrder) {
		t.Errorf("run --bus: %d articles stored, want the %d of the input once each, in its order", len(got), n)
	}
	f := eval.BCubed(got, want)
	t.Logf("run --bus: %v; BCubed against in process F1 %.4f; stdout:\n%s", time.Since(start).Round(time.Millisecond), f.F1, out)
	if f.F1 != 1 {
		t.Errorf("BCubed F1 %.4f between run --bus and in process, want 1", f.F1)
	}
}
