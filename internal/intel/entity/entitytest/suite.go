package entitytest

import (
	"context"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/intel/entity"
)

// Harness is a Registry under test, with the things the contract does not
// say how to do: record that an article of a story mentions an entity, and
// that a person split two entities apart.
type Harness interface {
	entity.Registry
	Mention(story, entityID int64)
	Separate(a, b int64)
}

// Run is the conformance suite of entity.Registry: every implementation
// must pass it. open returns a fresh, empty registry.
func Run(t *testing.T, open func(t *testing.T) Harness) {
	ctx := context.Background()
	day := time.Date(2025, 4, 8, 0, 0, 0, 0, time.UTC)
	put := func(t *testing.T, r Harness, name string, typ entity.Type) int64 {
		t.Helper()
		e := entity.Entity{Canonical: name, Type: typ, FirstSeen: day, Mentions: 1}
		if err := r.PutEntity(ctx, &e); err != nil || e.ID == 0 {
			t.Fatalf("PutEntity: id %d, %v", e.ID, err)
		}
		return e.ID
	}
	variant := func(t *testing.T, r Harness, id int64, text, key, surname string, n int) {
		t.Helper()
		v := entity.Variant{Entity: id, Text: text, Norm: entity.Norm(text), Lang: "en", Key: key, Surname: surname,
			Mentions: n, FirstSeen: day, Evidence: "test"}
		if err := r.PutVariant(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("variants", func(t *testing.T) {
		r := open(t)
		a := put(t, r, "Mark Rutte", entity.Person)
		b := put(t, r, "Rutte", entity.Person)
		variant(t, r, a, "Mark Rutte", "mrk rt", "rt", 2)
		variant(t, r, a, "Mark Rutte", "mrk rt", "rt", 3)
		variant(t, r, b, "Rutte", "rt", "rt", 1)
		vs, err := r.VariantsByNorm(ctx, "mark rutte")
		if err != nil || len(vs) != 1 || vs[0].Entity != a || vs[0].Mentions != 5 || vs[0].Text != "Mark Rutte" || !vs[0].FirstSeen.Equal(day) {
			t.Errorf("VariantsByNorm = %+v, %v; want one variant of %d with 5 mentions", vs, err, a)
		}
		if vs, err := r.VariantsByKey(ctx, "rt"); err != nil || len(vs) != 1 || vs[0].Entity != b {
			t.Errorf("VariantsByKey(rt) = %+v, %v", vs, err)
		}
		if vs, err := r.VariantsByNorm(ctx, "nobody"); err != nil || len(vs) != 0 {
			t.Errorf("unknown norm: %+v, %v", vs, err)
		}
		e, err := r.Entity(ctx, a)
		if err != nil || e.Canonical != "Mark Rutte" || e.Type != entity.Person || !e.FirstSeen.Equal(day) {
			t.Errorf("Entity = %+v, %v", e, err)
		}
		e.Canonical, e.Story = "M. Rutte", 7
		if err := r.PutEntity(ctx, &e); err != nil || e.ID != a {
			t.Fatalf("update: id %d, %v", e.ID, err)
		}
		if e, _ := r.Entity(ctx, a); e.Canonical != "M. Rutte" || e.Story != 7 {
			t.Errorf("after update: %+v", e)
		}
	})
	t.Run("story", func(t *testing.T) {
		r := open(t)
		a := put(t, r, "Shigeru Ishiba", entity.Person)
		b := put(t, r, "Tokyo", entity.Place)
		c := put(t, r, "Paris", entity.Place)
		variant(t, r, a, "Shigeru Ishiba", "xgr axb", "axb", 1)
		variant(t, r, b, "Tokyo", "tk", "tk", 1)
		variant(t, r, c, "Paris", "brs", "brs", 1)
		r.Mention(10, a)
		r.Mention(10, b)
		r.Mention(11, c)
		vs, err := r.StoryVariants(ctx, 10)
		if err != nil || len(vs) != 2 {
			t.Fatalf("StoryVariants(10) = %+v, %v; want Ishiba and Tokyo", vs, err)
		}
		if vs, _ := r.StoryVariants(ctx, 99); len(vs) != 0 {
			t.Errorf("a story with no mentions has variants %+v", vs)
		}
	})
	t.Run("merge", func(t *testing.T) {
		r := open(t)
		a := put(t, r, "Mark Rutte", entity.Person)
		b := put(t, r, "Rutte", entity.Person)
		variant(t, r, a, "Mark Rutte", "mrk rt", "rt", 2)
		variant(t, r, a, "Rutte", "rt", "rt", 1)
		variant(t, r, b, "Rutte", "rt", "rt", 4)
		variant(t, r, b, "Rutt", "rt", "rt", 1)
		r.Mention(5, b)
		if err := r.MergeEntities(ctx, entity.Merge{Into: a, From: b, By: "auto", Evidence: "test", At: day}); err != nil {
			t.Fatal(err)
		}
		if e, err := r.Entity(ctx, b); err != nil || e.ID != a {
			t.Errorf("Entity(merged) = %+v, %v; want %d", e, err, a)
		}
		vs, _ := r.VariantsByNorm(ctx, "rutte")
		if len(vs) != 1 || vs[0].Entity != a || vs[0].Mentions != 5 {
			t.Errorf("merged variant: %+v; want one of %d with 5 mentions", vs, a)
		}
		if vs, _ := r.VariantsByNorm(ctx, "rutt"); len(vs) != 1 || vs[0].Entity != a {
			t.Errorf("moved variant: %+v", vs)
		}
		if vs, _ := r.StoryVariants(ctx, 5); len(vs) != 3 || vs[0].Entity != a {
			t.Errorf("the story of the merged entity: %+v", vs)
		}
		if e, _ := r.Entity(ctx, a); e.Mentions != 2 {
			t.Errorf("merged mentions %d, want 2", e.Mentions)
		}
		if sep, err := r.Separated(ctx, a, b); err != nil || sep {
			t.Errorf("Separated = %v, %v", sep, err)
		}
	})
	t.Run("split apart", func(t *testing.T) {
		r := open(t)
		a := put(t, r, "Jordan", entity.Person)
		b := put(t, r, "Jordan", entity.Place)
		c := put(t, r, "Jordan", entity.Org)
		if from, err := r.SplitFrom(ctx, a); err != nil || len(from) != 0 {
			t.Errorf("SplitFrom before any split = %v, %v", from, err)
		}
		r.Separate(a, b)
		r.Separate(c, a)
		if sep, err := r.Separated(ctx, b, a); err != nil || !sep {
			t.Errorf("Separated(b, a) = %v, %v; want true either way round", sep, err)
		}
		if from, err := r.SplitFrom(ctx, a); err != nil || len(from) != 2 || from[0] != b || from[1] != c {
			t.Errorf("SplitFrom(a) = %v, %v; want [%d %d]", from, err, b, c)
		}
		if from, err := r.SplitFrom(ctx, b); err != nil || len(from) != 1 || from[0] != a {
			t.Errorf("SplitFrom(b) = %v, %v; want [%d]", from, err, a)
		}
	})
}
