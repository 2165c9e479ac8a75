// Package entitytest holds what tests of entity.Registry implementations
// share: an in-memory Registry, the reference, and a conformance suite that
// every implementation must pass.
package entitytest

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/storyline/storyline/internal/intel/entity"
)

// Mem is an in-memory entity.Registry. Mentions are recorded by Mention;
// StoryVariants looks at every mention of the story.
type Mem struct {
	entities map[int64]*entity.Entity
	into     map[int64]int64
	variants map[int64][]entity.Variant // by entity
	stories  map[int64]map[int64]bool   // story → entities mentioned
	separate map[[2]int64]bool
	Merges   []entity.Merge
	next     int64
}

// NewMem returns an empty registry.
func NewMem() *Mem {
	return &Mem{entities: map[int64]*entity.Entity{}, into: map[int64]int64{}, variants: map[int64][]entity.Variant{},
		stories: map[int64]map[int64]bool{}, separate: map[[2]int64]bool{}, next: 1}
}

func (m *Mem) root(id int64) int64 {
	for m.into[id] != 0 {
		id = m.into[id]
	}
	return id
}

// Mention notes that story mentions the entity (the store learns it from
// its mention rows).
func (m *Mem) Mention(story, id int64) {
	if m.stories[story] == nil {
		m.stories[story] = map[int64]bool{}
	}
	m.stories[story][m.root(id)] = true
}

// Separate records a person's split of a and b.
func (m *Mem) Separate(a, b int64) { m.separate[[2]int64{min(a, b), max(a, b)}] = true }

func (m *Mem) all(keep func(entity.Variant) bool) []entity.Variant {
	var out []entity.Variant
	ids := make([]int64, 0, len(m.variants))
	for id := range m.variants {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		for _, v := range m.variants[id] {
			if keep(v) {
				out = append(out, v)
			}
		}
	}
	return out
}

func (m *Mem) VariantsByNorm(_ context.Context, norm string) ([]entity.Variant, error) {
	return m.all(func(v entity.Variant) bool { return v.Norm == norm }), nil
}

func (m *Mem) VariantsByKey(_ context.Context, key string) ([]entity.Variant, error) {
	return m.all(func(v entity.Variant) bool { return v.Key == key }), nil
}

func (m *Mem) StoryVariants(_ context.Context, story int64) ([]entity.Variant, error) {
	in := map[int64]bool{}
	for id := range m.stories[story] {
		in[m.root(id)] = true
	}
	return m.all(func(v entity.Variant) bool { return in[v.Entity] }), nil
}

func (m *Mem) Entity(_ context.Context, id int64) (entity.Entity, error) {
	e, ok := m.entities[m.root(id)]
	if !ok {
		return entity.Entity{}, fmt.Errorf("entity %d: not found", id)
	}
	return *e, nil
}

func (m *Mem) PutEntity(_ context.Context, e *entity.Entity) error {
	if e.ID == 0 {
		e.ID = m.next
		m.next++
	}
	c := *e
	m.entities[e.ID] = &c
	return nil
}

func (m *Mem) PutVariant(_ context.Context, v entity.Variant) error {
	v.Entity = m.root(v.Entity)
	vs := m.variants[v.Entity]
	for i := range vs {
		if vs[i].Norm == v.Norm {
			vs[i].Mentions += v.Mentions
			return nil
		}
	}
	m.variants[v.Entity] = append(vs, v)
	return nil
}

func (m *Mem) MergeEntities(_ context.Context, g entity.Merge) error {
	into, from := m.root(g.Into), m.root(g.From)
	if into == from {
		return nil
	}
	for _, v := range m.variants[from] {
		v.Entity = into
		vs := m.variants[into]
		found := false
		for i := range vs {
			if vs[i].Norm == v.Norm {
				vs[i].Mentions += v.Mentions
				found = true
			}
		}
		if !found {
			m.variants[into] = append(vs, v)
		}
	}
	delete(m.variants, from)
	m.entities[into].Mentions += m.entities[from].Mentions
	m.into[from] = into
	for _, es := range m.stories {
		if es[from] {
			delete(es, from)
			es[into] = true
		}
	}
	m.Merges = append(m.Merges, g)
	return nil
}

func (m *Mem) Separated(_ context.Context, a, b int64) (bool, error) {
	a, b = m.root(a), m.root(b)
	return m.separate[[2]int64{min(a, b), max(a, b)}], nil
}

func (m *Mem) SplitFrom(_ context.Context, id int64) ([]int64, error) {
	id = m.root(id)
	var out []int64
	for k, sep := range m.separate {
		switch {
		case !sep:
		case k[0] == id:
			out = append(out, k[1])
		case k[1] == id:
			out = append(out, k[0])
		}
	}
	slices.Sort(out)
	return out, nil
}

// Variants returns an entity's variants.
func (m *Mem) Variants(id int64) []entity.Variant { return m.variants[m.root(id)] }

var _ entity.Registry = (*Mem)(nil)

// MoveVariant moves one spelling to another entity, as a person's split
// does in the store (SplitVariant).
func (m *Mem) MoveVariant(from int64, norm string, to int64) error {
	from, to = m.root(from), m.root(to)
	vs := m.variants[from]
	for i, v := range vs {
		if v.Norm == norm {
			v.Entity = to
			m.variants[to] = append(m.variants[to], v)
			m.variants[from] = append(vs[:i:i], vs[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("entity %d has no variant %q", from, norm)
}
