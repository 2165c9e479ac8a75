package postgres

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// ecbParts writes the first n lines of the ECB+ dev file into parts files
// and returns their paths.
func ecbParts(t *testing.T, n, parts int) []string {
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
	for i := range parts {
		p := filepath.Join(dir, fmt.Sprintf("part%d.jsonl", i))
		chunk := lines[i*len(lines)/parts : (i+1)*len(lines)/parts]
		if err := os.WriteFile(p, []byte(strings.Join(chunk, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// snapshot is everything a store says about its articles, stories and
// entities, but when rows were written.
type snapshot struct {
	Articles []string
	Stories  []store.Story
	Streams  []store.StreamStory
	Evicted  []store.EvictedTally
	Parts    map[int64]int64
	Events   map[int64][]store.StoryEvent
	Intel    map[int64]store.Intel
	Entities map[int64]string
	Meta     map[string]string
	MaxStory int64
}

func snap(t *testing.T, st store.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	s := snapshot{Events: map[int64][]store.StoryEvent{}, Intel: map[int64]store.Intel{}, Entities: map[int64]string{},
		Meta: map[string]string{}}
	entities := map[int64]bool{}
	err := st.Replay(ctx, 0, func(a *article.Article, p store.Placement) error {
		s.Articles = append(s.Articles, fmt.Sprintf("%d %q story %d stream %d at %v evicted %v dup %d related %d %v hash %s pub %v",
			a.ID, a.ExternalID, a.Story, p.Stream, p.At, p.Evicted, a.DuplicateOf, a.RelatedOf, a.Related, a.ContentHash, a.Published))
		in, err := st.Intel(ctx, a.ID)
		if err != nil {
			return err
		}
		if in.Mentions != nil || in.Quotes != nil || in.Figures != nil {
			for i := range in.Quotes {
				in.Quotes[i].ID = 0 // numbered in the order written either way; not compared
			}
			s.Intel[a.ID] = in
		}
		for _, m := range in.Mentions {
			if m.Entity != 0 {
				entities[m.Entity] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Stories, err = st.Stories(ctx); err != nil {
		t.Fatal(err)
	}
	for _, x := range s.Stories {
		if s.Events[x.ID], err = st.StoryEvents(ctx, x.ID); err != nil {
			t.Fatal(err)
		}
	}
	if s.Streams, err = st.StreamStories(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Evicted, err = st.Evicted(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Parts, err = st.Parts(ctx); err != nil {
		t.Fatal(err)
	}
	if s.MaxStory, err = st.MaxStoryID(ctx); err != nil {
		t.Fatal(err)
	}
	for id := range entities {
		e, vs, ms, err := st.EntityInfo(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ms {
			ms[i].At = time.Time{} // when the merge was made
		}
		s.Entities[id] = fmt.Sprintf("%+v %+v %+v", e, vs, ms)
	}
	for _, k := range []string{"checkpoint", "model", "settled"} {
		v, err := st.Meta(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		s.Meta[k] = string(v)
	}
	return s
}

// TestPipelineSameAsSQLite: the ingest pipeline, restarted between runs
// and with every stream mechanism firing, stores the same articles,
// stories, history and entities on PostgreSQL as on SQLite.
func TestPipelineSameAsSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 300 articles twice")
	}
	needDB(t)
	ctx := context.Background()
	busy := story.Config{MaintainEvery: 60, EpochMax: 80, MaxMembers: 8}
	parts := ecbParts(t, 300, 2)
	parts = append(parts, shared.Path(t, "seeds"))
	run := func(open func() store.Store, done func(store.Store)) snapshot {
		var st store.Store
		for _, in := range parts {
			st = open()
			// Settles only at the end of each run: a settle on the clock
			// (every 10 s by default) falls at other points of a slower
			// run, and the settled view's story IDs with it.
			p, err := ingest.Open(ctx, st, langid.Default(), story.New(busy, nil), ingest.Options{SettleEvery: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Run(ctx, []string{in}); err != nil {
				t.Fatal(err)
			}
			done(st)
		}
		st = open()
		defer done(st)
		return snap(t, st)
	}
	dir := t.TempDir()
	start := time.Now()
	lite := run(func() store.Store {
		st, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}, func(st store.Store) { st.Close() })
	tookLite := time.Since(start)
	name := freshName(t)
	start = time.Now()
	pg := run(func() store.Store {
		st, err := Open(ctx, testURL(), Options{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}, func(st store.Store) { st.Close() })
	t.Logf("SQLite %v, PostgreSQL %v: %d articles, %d stories, %d stream stories, %d with intel, %d entities",
		tookLite, time.Since(start), len(lite.Articles), len(lite.Stories), len(lite.Streams), len(lite.Intel), len(lite.Entities))
	if len(lite.Articles) < 300 || len(lite.Stories) < 10 || len(lite.Events) == 0 {
		t.Fatalf("the run stored too little to compare: %d articles, %d stories", len(lite.Articles), len(lite.Stories))
	}
	v := reflect.ValueOf(lite)
	w := reflect.ValueOf(pg)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if !reflect.DeepEqual(v.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("%s differ:\nSQLite     %.1500v\nPostgreSQL %.1500v", name, firstDiff(v.Field(i).Interface(), w.Field(i).Interface()),
				firstDiff(w.Field(i).Interface(), v.Field(i).Interface()))
		}
	}
}

// firstDiff returns, for lists, the first element of a that b lacks at its
// place; a itself otherwise.
func firstDiff(a, b any) any {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() != reflect.Slice {
		return a
	}
	for i := range va.Len() {
		if i >= vb.Len() || !reflect.DeepEqual(va.Index(i).Interface(), vb.Index(i).Interface()) {
			return fmt.Sprintf("[%d of %d] %+v", i, va.Len(), va.Index(i).Interface())
		}
	}
	return fmt.Sprintf("(%d, a prefix)", va.Len())
}
