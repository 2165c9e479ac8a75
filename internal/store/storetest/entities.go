package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/entity/entitytest"
	"github.com/storyline/storyline/internal/store"
)

// testIntel: PutIntel replaces what an article says; Intel reads it back
// in order (mentions by field and offset, quotes and figures by offset).
func testIntel(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	var x, y int64
	first := store.Intel{
		Mentions: []store.Mention{
			{Field: 1, Start: 40, End: 45, Text: "Tokyo", Type: "place", Entity: 3},
			{Field: 0, Start: 0, End: 5, Text: "Rutte", Type: "person", Title: "NATO chief", Entity: 2},
			{Field: 1, Start: 4, End: 9, Text: "Rutte", Type: "person"},
		},
		Quotes: []store.Quote{
			{Start: 90, End: 120, Text: "„Wir stehen zusammen“", Speaker: "Rutte", SpeakerEntity: 2, Via: "said", Confidence: 0.75},
			{Start: 10, End: 30, Text: "«Nous sommes prêts»", Confidence: 0.25},
		},
		Figures: []store.Figure{
			{Start: 70, End: 80, Text: "2.5 million", Value: 2.5e6, Unit: "euro", Counts: "damage", Year: "2025", Approx: true, Rounding: 5e5},
			{Start: 50, End: 52, Text: "12", Value: 12, Counts: "people"},
		},
	}
	batch(t, s, func(tx store.Tx) {
		for _, id := range []*int64{&x, &y} {
			a := &article.Article{Title: "t"}
			insert(t, tx, a)
			*id = a.ID
		}
		if err := tx.PutIntel(ctx, x, first); err != nil {
			t.Fatal(err)
		}
		if err := tx.PutIntel(ctx, y, store.Intel{Mentions: first.Mentions[:1]}); err != nil {
			t.Fatal(err)
		}
	})
	got, err := s.Intel(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	wantM := []store.Mention{first.Mentions[1], first.Mentions[2], first.Mentions[0]}
	if !reflect.DeepEqual(got.Mentions, wantM) {
		t.Errorf("mentions\n%+v\nwant\n%+v", got.Mentions, wantM)
	}
	if len(got.Quotes) != 2 {
		t.Fatalf("quotes %+v", got.Quotes)
	}
	for i, want := range []store.Quote{first.Quotes[1], first.Quotes[0]} {
		q := got.Quotes[i]
		if q.ID == 0 {
			t.Errorf("quote %d has no ID", i)
		}
		want.ID, want.Article = q.ID, x
		if q != want {
			t.Errorf("quote %d: %+v, want %+v", i, q, want)
		}
	}
	wantF := []store.Figure{first.Figures[1], first.Figures[0]}
	for i := range wantF {
		wantF[i].Article = x
	}
	if !reflect.DeepEqual(got.Figures, wantF) {
		t.Errorf("figures\n%+v\nwant\n%+v", got.Figures, wantF)
	}
	// Replaced, not added to; another article's untouched.
	batch(t, s, func(tx store.Tx) {
		if err := tx.PutIntel(ctx, x, store.Intel{Quotes: first.Quotes[:1]}); err != nil {
			t.Fatal(err)
		}
	})
	if got, _ := s.Intel(ctx, x); got.Mentions != nil || got.Figures != nil || len(got.Quotes) != 1 || got.Quotes[0].Start != 90 {
		t.Errorf("after replacing: %+v", got)
	}
	if got, _ := s.Intel(ctx, y); len(got.Mentions) != 1 || got.Quotes != nil {
		t.Errorf("the other article: %+v", got)
	}

	// Many mentions (stores write them in batches of rows), two at one
	// place: the later one is kept, wherever the batches cut.
	var many []store.Mention
	for i := range 40 {
		many = append(many, store.Mention{Field: 1, Start: 10 * i, End: 10*i + 5, Text: fmt.Sprint("name", i), Type: "person", Entity: int64(i % 3)})
	}
	many = append(many, store.Mention{Field: 1, Start: 30, End: 36, Text: "again", Type: "place"})
	batch(t, s, func(tx store.Tx) {
		if err := tx.PutIntel(ctx, y, store.Intel{Mentions: many}); err != nil {
			t.Fatal(err)
		}
	})
	want := slices.Clone(many[:40])
	want[3] = many[40]
	if got, _ := s.Intel(ctx, y); !reflect.DeepEqual(got.Mentions, want) {
		t.Errorf("40 mentions, one place twice:\n%+v\nwant\n%+v", got.Mentions, want)
	}
}

// registryHarness is a write transaction under the entity.Registry suite.
type registryHarness struct {
	store.Tx
	t        *testing.T
	separate func(ctx context.Context, tx store.Tx, a, b int64) error
	n        int
}

// Mention stores an article of the stream story with a mention of the
// entity.
func (h *registryHarness) Mention(story, id int64) {
	ctx := context.Background()
	h.n++
	a := &article.Article{Title: fmt.Sprint("a", h.n), ContentHash: fmt.Sprint("h", h.n)}
	if err := h.InsertArticle(ctx, a); err != nil {
		h.t.Fatal(err)
	}
	if err := h.Place(ctx, a.ID, store.Placement{Stream: story}); err != nil {
		h.t.Fatal(err)
	}
	if err := h.PutIntel(ctx, a.ID, store.Intel{Mentions: []store.Mention{{Field: 1, Start: 0, End: 4, Text: "name", Type: "person", Entity: id}}}); err != nil {
		h.t.Fatal(err)
	}
}

func (h *registryHarness) Separate(a, b int64) {
	if err := h.separate(context.Background(), h.Tx, a, b); err != nil {
		h.t.Fatal(err)
	}
}

// testRegistry: a write transaction is an entity.Registry.
func testRegistry(t *testing.T, b Backend) {
	entitytest.Run(t, func(t *testing.T) entitytest.Harness {
		return &registryHarness{Tx: begin(t, b.Open(t)), t: t, separate: b.Separate}
	})
}

// testSplitVariant: a person's split moves the spelling and its mentions to
// a new entity, and marks the two as separated; ForgetSplit undoes the mark.
func testSplitVariant(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	var a, n int64
	art := &article.Article{Title: "x"}
	batch(t, s, func(tx store.Tx) {
		e := entity.Entity{Canonical: "Jordan", Type: entity.Person, Mentions: 4}
		if err := tx.PutEntity(ctx, &e); err != nil {
			t.Fatal(err)
		}
		a = e.ID
		for _, v := range []string{"Michael Jordan", "Jordan"} {
			if err := tx.PutVariant(ctx, entity.Variant{Entity: a, Text: v, Norm: entity.Norm(v), Mentions: 2}); err != nil {
				t.Fatal(err)
			}
		}
		insert(t, tx, art)
		if err := tx.PutIntel(ctx, art.ID, store.Intel{Mentions: []store.Mention{
			{Field: 1, Start: 0, End: 6, Text: "Jordan", Type: "place", Entity: a},
			{Field: 1, Start: 10, End: 24, Text: "Michael Jordan", Type: "person", Entity: a},
		}}); err != nil {
			t.Fatal(err)
		}
		var err error
		if n, err = tx.SplitVariant(ctx, a, "jordan"); err != nil {
			t.Fatal(err)
		}
		if sep, err := tx.Separated(ctx, n, a); err != nil || !sep {
			t.Errorf("Separated after split = %v, %v", sep, err)
		}
		if _, err := tx.SplitVariant(ctx, a, "nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("splitting a missing variant: %v, want ErrNotFound", err)
		}
	})
	_, vs, _, err := s.EntityInfo(ctx, a)
	if err != nil || len(vs) != 1 || vs[0].Text != "Michael Jordan" {
		t.Errorf("the old entity keeps %+v, %v", vs, err)
	}
	if e, _ := s.Entity(ctx, a); e.Mentions != 2 {
		t.Errorf("the old entity has %d mentions, want 2", e.Mentions)
	}
	e, vs, _, err := s.EntityInfo(ctx, n)
	if err != nil || e.Canonical != "Jordan" || e.Type != entity.Person || e.Mentions != 2 || len(vs) != 1 || vs[0].Entity != n {
		t.Errorf("the new entity: %+v %+v %v", e, vs, err)
	}
	in, err := s.Intel(ctx, art.ID)
	if err != nil || len(in.Mentions) != 2 || in.Mentions[0].Entity != n || in.Mentions[1].Entity != a {
		t.Errorf("the mention moved: %+v %v", in, err)
	}
	batch(t, s, func(tx store.Tx) {
		if err := tx.ForgetSplit(ctx, n, a); err != nil {
			t.Fatal(err)
		}
		if sep, err := tx.Separated(ctx, a, n); err != nil || sep {
			t.Errorf("Separated after ForgetSplit = %v, %v", sep, err)
		}
	})
}

// testEntityInfo: lookups follow merges; variants come most written first,
// entities by a name most mentioned first, with the merges that made them.
func testEntityInfo(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	day := time.Date(2025, 4, 8, 9, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	ids := map[string]int64{}
	batch(t, s, func(tx store.Tx) {
		for _, e := range []entity.Entity{
			{Canonical: "Mark Rutte", Type: entity.Person, Mentions: 9, FirstSeen: day},
			{Canonical: "Rutte", Type: entity.Person, Mentions: 3},
			{Canonical: "Jordan", Type: entity.Place, Mentions: 5},
			{Canonical: "Jordan", Type: entity.Person, Mentions: 7},
		} {
			if err := tx.PutEntity(ctx, &e); err != nil {
				t.Fatal(err)
			}
			ids[e.Canonical+string(e.Type)] = e.ID
		}
		for _, v := range []entity.Variant{
			{Entity: ids["Mark Rutte"+string(entity.Person)], Text: "Rutte", Mentions: 2, Lang: "en", Key: "rt", FirstSeen: day},
			{Entity: ids["Mark Rutte"+string(entity.Person)], Text: "Mark Rutte", Mentions: 5, Lang: "en", Key: "mrk rt", Surname: "rt"},
			{Entity: ids["Mark Rutte"+string(entity.Person)], Text: "M. Rutte", Mentions: 2, Evidence: "initial"},
			{Entity: ids["Rutte"+string(entity.Person)], Text: "روته", Mentions: 3, Lang: "ar", Key: "rt"},
			{Entity: ids["Jordan"+string(entity.Place)], Text: "Jordan", Mentions: 5},
			{Entity: ids["Jordan"+string(entity.Person)], Text: "Jordan", Mentions: 7},
		} {
			v.Norm = entity.Norm(v.Text)
			if err := tx.PutVariant(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.MergeEntities(ctx, entity.Merge{Into: ids["Mark Rutte"+string(entity.Person)], From: ids["Rutte"+string(entity.Person)],
			By: "person", Evidence: "same man", At: day}); err != nil {
			t.Fatal(err)
		}
	})
	rutte, rutteAR := ids["Mark Rutte"+string(entity.Person)], ids["Rutte"+string(entity.Person)]
	e, vs, ms, err := s.EntityInfo(ctx, rutteAR)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != rutte || e.Canonical != "Mark Rutte" || e.Mentions != 12 || !e.FirstSeen.Equal(day) || !utc(e.FirstSeen) {
		t.Errorf("EntityInfo of the merged entity: %+v", e)
	}
	var texts []string
	for _, v := range vs {
		texts = append(texts, v.Text)
		if v.Entity != rutte || !utc(v.FirstSeen) {
			t.Errorf("variant %+v", v)
		}
	}
	if want := []string{"Mark Rutte", "روته", "M. Rutte", "Rutte"}; !slices.Equal(texts, want) {
		t.Errorf("variants %q, want %q (most written first, then by norm)", texts, want)
	}
	if len(vs) == 4 && (vs[3].Key != "rt" || vs[3].Lang != "en" || !vs[3].FirstSeen.Equal(day) || vs[2].Evidence != "initial") {
		t.Errorf("variant fields: %+v", vs)
	}
	wantMs := []entity.Merge{{Into: rutte, From: rutteAR, By: "person", Evidence: "same man", At: day}}
	if len(ms) != 1 || ms[0].Into != rutte || ms[0].From != rutteAR || ms[0].By != "person" || ms[0].Evidence != "same man" ||
		!ms[0].At.Equal(day) || !utc(ms[0].At) {
		t.Errorf("merges %+v, want %+v", ms, wantMs)
	}
	for _, tt := range []struct {
		name string
		want []int64
	}{
		{"روته", []int64{rutte}},
		{"  MARK   rutte ", []int64{rutte}},
		{"Jordan", []int64{ids["Jordan"+string(entity.Person)], ids["Jordan"+string(entity.Place)]}},
		{"nobody", nil},
	} {
		es, err := s.EntitiesNamed(ctx, tt.name)
		var got []int64
		for _, e := range es {
			got = append(got, e.ID)
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("EntitiesNamed(%q) = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if _, err := s.Entity(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing entity: %v", err)
	}
}

// testUnmergeEntity: undoing a merge gives the spellings back, with their
// mentions, and the entity stands on its own again.
func testUnmergeEntity(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	var a, c int64
	art := &article.Article{Title: "x"}
	batch(t, s, func(tx store.Tx) {
		ea, ec := entity.Entity{Canonical: "Mark Rutte", Type: entity.Person}, entity.Entity{Canonical: "Rutte", Type: entity.Person}
		for _, e := range []*entity.Entity{&ea, &ec} {
			if err := tx.PutEntity(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		a, c = ea.ID, ec.ID
		for _, v := range []entity.Variant{{Entity: a, Text: "Mark Rutte", Mentions: 1}, {Entity: c, Text: "Rutte", Mentions: 1}} {
			v.Norm = entity.Norm(v.Text)
			if err := tx.PutVariant(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		insert(t, tx, art)
		if err := tx.PutIntel(ctx, art.ID, store.Intel{Mentions: []store.Mention{
			{Field: 1, Start: 0, End: 10, Text: "Mark Rutte", Type: "person", Entity: a},
			{Field: 1, Start: 20, End: 25, Text: "Rutte", Type: "person", Entity: c}}}); err != nil {
			t.Fatal(err)
		}
		if err := tx.MergeEntities(ctx, entity.Merge{Into: a, From: c, By: "auto"}); err != nil {
			t.Fatal(err)
		}
	})
	if in, _ := s.Intel(ctx, art.ID); len(in.Mentions) != 2 || in.Mentions[1].Entity != a {
		t.Fatalf("after the merge: %+v", in)
	}
	batch(t, s, func(tx store.Tx) {
		if err := tx.UnmergeEntity(ctx, a, c, []string{"rutte"}); err != nil {
			t.Fatal(err)
		}
		if vs, err := tx.VariantsByNorm(ctx, "rutte"); err != nil || len(vs) != 1 || vs[0].Entity != c {
			t.Errorf("VariantsByNorm after unmerge: %+v, %v", vs, err)
		}
	})
	if e, err := s.Entity(ctx, c); err != nil || e.ID != c {
		t.Errorf("Entity(%d) after unmerge: %+v, %v", c, e, err)
	}
	if in, _ := s.Intel(ctx, art.ID); len(in.Mentions) != 2 || in.Mentions[0].Entity != a || in.Mentions[1].Entity != c {
		t.Errorf("mentions after unmerge: %+v", in)
	}
}

// testStoryVariants: the variants of the entities the latest
// StoryVariantArticles articles of a story mention, in the stream's view
// (StoryVariants) or the readers' (VisibleStoryVariants), ordered by
// entity and norm.
func testStoryVariants(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	vis := &store.Story{Headline: "seen"}
	ents := map[string]int64{}
	const stream = 70
	batch(t, s, func(tx store.Tx) {
		putStory(t, tx, vis)
		for _, name := range []string{"Old", "Paris", "Tokyo", "Elsewhere"} {
			e := entity.Entity{Canonical: name, Type: entity.Place}
			if err := tx.PutEntity(ctx, &e); err != nil {
				t.Fatal(err)
			}
			ents[name] = e.ID
			for _, v := range []string{name, name + "-ville"} {
				if err := tx.PutVariant(ctx, entity.Variant{Entity: e.ID, Text: v, Norm: entity.Norm(v)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		mention := func(p store.Placement, name string) {
			a := &article.Article{Title: name}
			insert(t, tx, a)
			place(t, tx, a.ID, p)
			if err := tx.PutIntel(ctx, a.ID, store.Intel{Mentions: []store.Mention{{Text: name, Type: "place", Entity: ents[name]}}}); err != nil {
				t.Fatal(err)
			}
		}
		both := store.Placement{Story: vis.ID, Stream: stream}
		mention(both, "Old") // pushed out by the articles after it
		for i := range store.StoryVariantArticles - 1 {
			mention(both, []string{"Tokyo", "Paris"}[i%2])
		}
		mention(store.Placement{Story: vis.ID, Stream: stream + 1}, "Elsewhere") // seen here, held elsewhere
	})
	names := func(vs []entity.Variant, err error) []string {
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range vs {
			out = append(out, v.Text)
		}
		return out
	}
	tx := begin(t, s)
	// Entities in ID order: Old, Paris, Tokyo, Elsewhere.
	if got, want := names(tx.StoryVariants(ctx, stream)), []string{"Old", "Old-ville", "Paris", "Paris-ville", "Tokyo", "Tokyo-ville"}; !slices.Equal(got, want) {
		t.Errorf("StoryVariants = %q, want %q", got, want)
	}
	if got, want := names(tx.VisibleStoryVariants(ctx, vis.ID)), []string{"Paris", "Paris-ville", "Tokyo", "Tokyo-ville", "Elsewhere", "Elsewhere-ville"}; !slices.Equal(got, want) {
		t.Errorf("VisibleStoryVariants = %q, want %q", got, want)
	}
	if got := names(tx.StoryVariants(ctx, 999)); got != nil {
		t.Errorf("StoryVariants of no story = %q", got)
	}
	// A store that fills an entity.Memory answers through it as itself,
	// in what the resolver reads.
	src, ok := tx.(entity.WindowSource)
	if !ok {
		return
	}
	w, err := src.StoryWindow(ctx, stream, store.StoryVariantArticles)
	if err != nil || len(w) != store.StoryVariantArticles || !slices.IsSortedFunc(w, func(a, b entity.WindowArticle) int { return int(a.ID - b.ID) }) {
		t.Fatalf("StoryWindow: %d articles, err %v; want the latest %d, oldest first", len(w), err, store.StoryVariantArticles)
	}
	if got := w[0].Entities; !slices.Equal(got, []int64{ents["Old"]}) {
		t.Errorf("StoryWindow's oldest article names %v, want Old's entity %d", got, ents["Old"])
	}
	if w, err := src.StoryWindow(ctx, stream, 2); err != nil || len(w) != 2 || !slices.Equal(w[1].Entities, []int64{ents["Tokyo"]}) {
		t.Errorf("StoryWindow of 2: %+v, %v; want the last two, the latest naming Tokyo", w, err)
	}
	m := entity.NewMemory(store.StoryVariantArticles)
	for _, id := range []int64{stream, stream + 1, 999} {
		want, err := tx.StoryVariants(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i] = entity.Spelling(want[i])
		}
		got, err := m.StoryVariants(ctx, src, id)
		if err != nil || len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Errorf("story %d: Memory %+v, %v; StoryVariants %+v", id, got, err, want)
		}
	}
}
