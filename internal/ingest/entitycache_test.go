package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// entityTables returns, as text, every entity with its variants and
// merges, and every article's story and intel (mentions with their
// entities, quotes, figures).
func entityTables(t *testing.T, st *store.SQLite) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for id := int64(1); ; id++ {
		e, vs, ms, err := st.EntityInfo(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("entity %d: %+v %+v %+v", id, e, vs, ms))
	}
	for _, a := range articles(t, st) {
		in, err := st.Intel(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("article %d %s story %d: %+v", a.ID, a.Input, a.Story, in))
	}
	return out
}

// entityInputs are the runs entity tests ingest: the seeds with the WMT
// stories (names in four scripts), and ECB+ (long English articles, many
// in a story).
func entityInputs(t *testing.T) [][]string {
	return [][]string{
		{shared.Path(t, "seeds"), shared.Path(t, "data/wmt-dev-stories.jsonl")},
		{shared.Path(t, "data/ecbplus-dev.jsonl")},
	}
}

// TestEntityCacheSameTables ingests the same input without the writer's
// entity cache, with it, and with it over one transaction for the whole
// run, and wants the same entities, variants, merges and mentions. The
// runs settle only at their end: a settle on the clock consolidates
// entities at a point that differs from run to run.
func TestEntityCacheSameTables(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the seeds, the WMT stories and ECB+ three times each")
	}
	for _, in := range entityInputs(t) {
		var want []string
		for _, run := range []struct {
			name   string
			cached bool
			opt    Options
		}{
			{"uncached", false, Options{SettleEvery: time.Hour}},
			{"cached", true, Options{SettleEvery: time.Hour}},
			{"cached, one transaction", true, Options{SettleEvery: time.Hour, CommitEvery: time.Hour, BatchSize: 1 << 20}},
		} {
			testHookNoEntityCache = !run.cached
			p, st := openWith(t, t.TempDir(), story.Config{}, run.opt)
			rep, err := p.Run(context.Background(), in)
			testHookNoEntityCache = false
			if err != nil {
				t.Fatal(err)
			}
			got := entityTables(t, st)
			t.Logf("%s, %s: %d stored, %d entities and articles", in, run.name, rep.Stored, len(got))
			if want == nil {
				want = got
				continue
			}
			if !slices.Equal(got, want) {
				n := 0
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] && n < 5 {
						t.Errorf("%s:\n%s\nuncached:\n%s", run.name, got[i], want[i])
						n++
					}
				}
				t.Errorf("%s, %s: %d rows, %d uncached; they differ", in, run.name, len(got), len(want))
			}
		}
	}
}
