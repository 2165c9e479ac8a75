package entity_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/entity/entitytest"
)

// cached is a Cache over the reference registry. What the Registry does
// not write (mentions, people's splits) comes in another transaction, as
// in the store: the cache starts afresh.
type cached struct {
	*entity.Cache
	mem *entitytest.Mem
}

func newCached() *cached {
	m := entitytest.NewMem()
	return &cached{Cache: entity.NewCache(m), mem: m}
}

func (c *cached) Mention(story, id int64) { c.mem.Mention(story, id) } // StoryVariants is never cached

func (c *cached) Separate(a, b int64) {
	c.mem.Separate(a, b)
	c.Cache = entity.NewCache(c.mem)
}

func TestCacheConforms(t *testing.T) {
	entitytest.Run(t, func(*testing.T) entitytest.Harness { return newCached() })
}

// TestCacheSameAsRegistry runs random operations on the reference registry
// and on a Cache over another, and wants every answer the same: reads
// after writes, spellings counted again, writes to merged entities, merges
// and splits between transactions.
func TestCacheSameAsRegistry(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2025, 4, 8, 0, 0, 0, 0, time.UTC)
	norms := []string{"mark rutte", "rutte", "rutt", "jordan", "tokyo", "東京"}
	keys := []string{"mrk rt", "rt", "rt", "jrdn", "tk", "tk"} // the usual key of each norm
	var hits int
	for seed := range uint64(1000) {
		rng := rand.New(rand.NewPCG(seed, 1))
		ref, c := entitytest.NewMem(), newCached()
		var ids []int64 // of the entities made, merged ones too
		anID := func() int64 {
			if len(ids) == 0 || rng.IntN(10) == 0 {
				return int64(rng.IntN(3) + 100) // none such
			}
			return ids[rng.IntN(len(ids))]
		}
		same := func(op string, a, b any, errA, errB error) {
			t.Helper()
			if !reflect.DeepEqual(a, b) || fmt.Sprint(errA) != fmt.Sprint(errB) {
				t.Fatalf("seed %d: %s: registry %+v, %v; cache %+v, %v", seed, op, a, errA, b, errB)
			}
		}
		for step := range 300 {
			at := day.Add(time.Duration(rng.IntN(1000)) * time.Second)
			switch rng.IntN(13) {
			case 0: // a new entity
				e := entity.Entity{Canonical: norms[rng.IntN(len(norms))], Type: entity.Person, FirstSeen: at, Mentions: 1}
				if rng.IntN(3) == 0 {
					e.Story = int64(rng.IntN(3))
				}
				f := e
				errA, errB := ref.PutEntity(ctx, &e), c.PutEntity(ctx, &f)
				same("PutEntity new", e, f, errA, errB)
				ids = append(ids, e.ID)
			case 1: // an entity updated as read, or as a merged ID
				id := anID()
				e, errA := ref.Entity(ctx, id)
				f, errB := c.Entity(ctx, id)
				same(fmt.Sprintf("Entity(%d) before update", id), e, f, errA, errB)
				if errA != nil || len(ids) == 0 {
					continue
				}
				if rng.IntN(4) == 0 {
					e.ID = ids[rng.IntN(len(ids))]
					f.ID = e.ID
				}
				e.Mentions += 2
				e.Canonical += "x"
				e.Type = entity.Place
				e.FirstSeen = at
				f.Mentions, f.Canonical, f.Type, f.FirstSeen = e.Mentions, e.Canonical, e.Type, e.FirstSeen
				same("PutEntity update", nil, nil, ref.PutEntity(ctx, &e), c.PutEntity(ctx, &f))
			case 2, 3:
				id := anID()
				a, errA := ref.Entity(ctx, id)
				b, errB := c.Entity(ctx, id)
				same(fmt.Sprintf("Entity(%d)", id), a, b, errA, errB)
			case 4, 5:
				if len(ids) == 0 {
					continue
				}
				i := rng.IntN(len(norms))
				key := keys[i]
				if rng.IntN(3) == 0 {
					key = keys[rng.IntN(len(keys))]
				}
				v := entity.Variant{Entity: ids[rng.IntN(len(ids))], Text: norms[i], Norm: norms[i], Lang: "en", Key: key,
					Surname: key, Mentions: rng.IntN(3) + 1, FirstSeen: at, Evidence: fmt.Sprint("step ", step)}
				same("PutVariant", nil, nil, ref.PutVariant(ctx, v), c.PutVariant(ctx, v))
			case 6:
				n := norms[rng.IntN(len(norms))]
				a, errA := ref.VariantsByNorm(ctx, n)
				b, errB := c.VariantsByNorm(ctx, n)
				same("VariantsByNorm "+n, a, b, errA, errB)
			case 7:
				k := keys[rng.IntN(len(keys))]
				a, errA := ref.VariantsByKey(ctx, k)
				b, errB := c.VariantsByKey(ctx, k)
				same("VariantsByKey "+k, a, b, errA, errB)
			case 8:
				s := int64(rng.IntN(3))
				if rng.IntN(2) == 0 && len(ids) > 0 {
					id := ids[rng.IntN(len(ids))]
					ref.Mention(s, id)
					c.Mention(s, id)
				}
				a, errA := ref.StoryVariants(ctx, s)
				b, errB := c.StoryVariants(ctx, s)
				same("StoryVariants", a, b, errA, errB)
			case 9:
				if len(ids) < 2 || rng.IntN(3) != 0 {
					continue
				}
				m := entity.Merge{Into: ids[rng.IntN(len(ids))], From: ids[rng.IntN(len(ids))], By: "auto", At: at}
				same("MergeEntities", nil, nil, ref.MergeEntities(ctx, m), c.MergeEntities(ctx, m))
			case 10:
				a, b := anID(), anID()
				if rng.IntN(8) == 0 {
					ref.Separate(a, b)
					c.Separate(a, b)
				}
				x, errA := ref.Separated(ctx, a, b)
				y, errB := c.Separated(ctx, b, a)
				same("Separated", x, y, errA, errB)
				fa, errA := ref.SplitFrom(ctx, a)
				fb, errB := c.SplitFrom(ctx, a)
				same("SplitFrom", fa, fb, errA, errB)
			case 11, 12: // the next transaction
				c.Cache = entity.NewCache(c.mem)
			}
		}
		hits += c.Stats().Hits
		for _, id := range ids {
			if a, b := ref.Variants(id), c.mem.Variants(id); !reflect.DeepEqual(a, b) {
				t.Fatalf("seed %d: variants of %d: registry %+v, cache's %+v", seed, id, a, b)
			}
		}
	}
	if hits == 0 {
		t.Error("the cache answered nothing")
	}
}

// TestCacheResolvesAlike resolves the gold stories through a Cache, one
// transaction per story, and wants the mentions, entities, variants and
// merges of resolving them without one.
func TestCacheResolvesAlike(t *testing.T) {
	g := readGold(t)
	ctx := context.Background()
	r := entity.Resolver{Words: words(t)}
	ref, mem := entitytest.NewMem(), entitytest.NewMem()
	var stats entity.CacheStats
	id := int64(0)
	for _, s := range g.Stories {
		c := entity.NewCache(mem)
		for _, a := range s.Articles {
			id++
			art := entity.Article{ID: id, Story: s.ID, Lang: a.Lang, Text: a.Text, At: time.Unix(id, 0).UTC()}
			want, errA := r.Resolve(ctx, ref, art, entity.Find(a.Lang, "", a.Text, r.Words))
			got, errB := r.Resolve(ctx, c, art, entity.Find(a.Lang, "", a.Text, r.Words))
			if errA != nil || errB != nil || !reflect.DeepEqual(want, got) {
				t.Fatalf("article %d: without the cache %+v, %v; with %+v, %v", id, want, errA, got, errB)
			}
			for _, m := range want {
				if m.Entity != 0 {
					ref.Mention(s.ID, m.Entity)
					mem.Mention(s.ID, m.Entity)
				}
			}
		}
		st := c.Stats()
		stats.Hits += st.Hits
		stats.Misses += st.Misses
	}
	for e := int64(1); ; e++ {
		a, errA := ref.Entity(ctx, e)
		b, errB := mem.Entity(ctx, e)
		if !reflect.DeepEqual(a, b) || fmt.Sprint(errA) != fmt.Sprint(errB) {
			t.Fatalf("entity %d: without the cache %+v, %v; with %+v, %v", e, a, errA, b, errB)
		}
		if errA != nil {
			break
		}
		// Resolve writes an article's spellings in no set order.
		byNorm := func(a, b entity.Variant) int { return strings.Compare(a.Norm, b.Norm) }
		va, vb := slices.SortedFunc(slices.Values(ref.Variants(e)), byNorm), slices.SortedFunc(slices.Values(mem.Variants(e)), byNorm)
		if !reflect.DeepEqual(va, vb) {
			t.Fatalf("variants of %d: without the cache %+v; with %+v", e, va, vb)
		}
	}
	if !reflect.DeepEqual(ref.Merges, mem.Merges) {
		t.Errorf("merges: without the cache %+v; with %+v", ref.Merges, mem.Merges)
	}
	t.Logf("%d articles: the cache answered %d reads, passed %d on", id, stats.Hits, stats.Misses)
	if stats.Hits == 0 {
		t.Error("the cache answered nothing")
	}
}

// TestCacheMergedAway: an entity the transaction made, merged into one a
// person split from another, is asked about as the Registry answers (the
// reference follows the merge).
func TestCacheMergedAway(t *testing.T) {
	ctx := context.Background()
	mem := entitytest.NewMem()
	a, b := entity.Entity{Canonical: "Jordan", Type: entity.Person}, entity.Entity{Canonical: "Jordan", Type: entity.Place}
	if err := mem.PutEntity(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := mem.PutEntity(ctx, &b); err != nil {
		t.Fatal(err)
	}
	mem.Separate(a.ID, b.ID)
	c := entity.NewCache(mem)
	n := entity.Entity{Canonical: "Jordan", Type: entity.Person}
	if err := c.PutEntity(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if sep, err := c.Separated(ctx, n.ID, b.ID); err != nil || sep {
		t.Fatalf("Separated(new, %d) = %v, %v", b.ID, sep, err)
	}
	if _, err := c.Entity(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.MergeEntities(ctx, entity.Merge{Into: a.ID, From: n.ID, By: "auto"}); err != nil {
		t.Fatal(err)
	}
	want, _ := mem.SplitFrom(ctx, n.ID)
	if got, err := c.SplitFrom(ctx, n.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("SplitFrom(merged) = %v, %v; want %v", got, err, want)
	}
	if sep, err := c.Separated(ctx, n.ID, b.ID); err != nil || !sep {
		t.Errorf("Separated(merged, %d) = %v, %v; want true, as the reference", b.ID, sep, err)
	}
	if e, err := c.Entity(ctx, n.ID); err != nil || e.ID != a.ID {
		t.Errorf("Entity(merged) = %+v, %v; want %d", e, err, a.ID)
	}
}
