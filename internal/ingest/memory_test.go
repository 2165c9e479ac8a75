package ingest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/story"
)

// storyVariantsChecked asks the entity memory (through the batch's cache)
// and the store for the same story's variants and records any difference.
type storyVariantsChecked struct {
	entity.Registry
	w      *writer
	asked  *int
	differ *[]string
}

func (r storyVariantsChecked) StoryVariants(ctx context.Context, id int64) ([]entity.Variant, error) {
	got, err := r.Registry.StoryVariants(ctx, id)
	if err != nil {
		return nil, err
	}
	want, err := r.w.tx.StoryVariants(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range want {
		want[i] = entity.Spelling(want[i])
	}
	*r.asked++
	if len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) && len(*r.differ) < 5 {
		*r.differ = append(*r.differ, fmt.Sprintf("story %d: memory\n%+v\nstore\n%+v", id, got, want))
	}
	return got, nil
}

// TestMemoryAnswersAsTheStore resolves the seeds, the WMT stories and
// ECB+ with the writer's entity memory and wants each of its answers to
// be the store's (what the resolver reads of it), asked at the same
// moment: across batches, settles and
// the stream's Maintain passes (every 100 articles here, so that ECB+'s
// stories merge, split and lend articles while their windows are held).
func TestMemoryAnswersAsTheStore(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the seeds, the WMT stories and ECB+")
	}
	for _, in := range entityInputs(t) {
		asked := 0
		var differ []string
		testHookRegistry = func(w *writer, reg entity.Registry) entity.Registry {
			return storyVariantsChecked{Registry: reg, w: w, asked: &asked, differ: &differ}
		}
		p, _ := openWith(t, t.TempDir(), story.Config{MaintainEvery: 100},
			Options{SettleEvery: 200 * time.Millisecond, CommitEvery: 20 * time.Millisecond})
		rep, err := p.Run(context.Background(), in)
		testHookRegistry = nil
		if err != nil {
			t.Fatal(err)
		}
		st := p.mem.Stats()
		t.Logf("%s: %d stored, %d answers asked, memory %+v", in, rep.Stored, asked, st)
		for _, d := range differ {
			t.Error(d)
		}
		if asked < rep.Stored/2 || st.Answers < asked || st.StoryLoads >= st.Answers {
			t.Errorf("%d answers asked for %d articles, memory %+v: memory did not answer", asked, rep.Stored, st)
		}
	}
}
