package entity

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// Cache is a write-through cache of a Registry for the span of one
// transaction: the writer resolves a batch of articles in one, and they
// ask for the same entities, spellings and splits again and again. It
// answers as the Registry it wraps would, writes go through at once, and
// what a write changes is updated in place or forgotten.
//
// A Cache must not outlive its transaction: between two, other processes
// (another assigner on PostgreSQL, a person's correction) may write;
// within one, none can, since the stores' write transactions exclude
// each other. Nor may anything write entities, variants or splits in the
// transaction other than through it. Times come back in UTC, as the
// stores keep them. It is not safe for concurrent use.
//
// StoryVariants goes to the store every time unless a Memory answers it
// (Remember; its answers leave out what the resolver does not read): it
// depends on the mentions the writer stores after each article (not
// through the Registry) and on the story's latest articles, and a story's
// next article asks for it only after its previous one changed it, so a
// cache of one transaction would seldom answer.
type Cache struct {
	reg Registry
	// entities are by the ID they have; roots maps an ID asked for to the
	// entity it names now (itself, unless it was merged). An ID mapped to
	// itself is known to be no merged one's.
	entities map[int64]Entity
	roots    map[int64]int64
	byNorm   map[string][]Variant
	byKey    map[string][]Variant
	// keysOf holds, for a norm, the keys of the byKey lists that held it
	// when cached (some may be gone since): where a write of that spelling
	// may have to be counted.
	keysOf    map[string][]string
	separated map[[2]int64]bool
	splits    map[int64][]int64
	// made are the entities this transaction made: none was split from
	// another, since people split in transactions of their own, entities
	// that were (and entities are never deleted, so IDs never return).
	made  map[int64]bool
	stats CacheStats
	// mem, when set, answers StoryVariants and hears of the writes that
	// change its answers (see Remember).
	mem *Memory
}

// CacheStats counts a Cache's reads: those it answered, and those it
// passed to the Registry (writes always go through).
type CacheStats struct {
	Hits, Misses int
}

// NewCache returns an empty cache of reg, for one transaction.
func NewCache(reg Registry) *Cache {
	c := &Cache{reg: reg}
	c.clear()
	return c
}

var _ Registry = (*Cache)(nil)

func (c *Cache) clear() {
	c.entities = map[int64]Entity{}
	c.roots = map[int64]int64{}
	c.byNorm = map[string][]Variant{}
	c.byKey = map[string][]Variant{}
	c.keysOf = map[string][]string{}
	c.separated = map[[2]int64]bool{}
	c.splits = map[int64][]int64{}
	c.made = map[int64]bool{}
}

// Stats returns the counts of reads so far.
func (c *Cache) Stats() CacheStats { return c.stats }

// storable reports whether the stores keep s as it is: PostgreSQL's text
// holds neither NUL nor invalid UTF-8, and the store replaces them, so a
// value carrying them is not cached as written.
func storable(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			return false
		}
	}
	return true
}

func (c *Cache) hit() { c.stats.Hits++ }

func (c *Cache) miss() { c.stats.Misses++ }

// VariantsByNorm returns the variants written as norm.
func (c *Cache) VariantsByNorm(ctx context.Context, norm string) ([]Variant, error) {
	if vs, ok := c.byNorm[norm]; ok {
		c.hit()
		return slices.Clone(vs), nil
	}
	c.miss()
	vs, err := c.reg.VariantsByNorm(ctx, norm)
	if err != nil || !storable(norm) {
		return vs, err
	}
	c.byNorm[norm] = slices.Clone(vs)
	return vs, nil
}

// VariantsByKey returns the variants whose full key is key.
func (c *Cache) VariantsByKey(ctx context.Context, key string) ([]Variant, error) {
	if vs, ok := c.byKey[key]; ok {
		c.hit()
		return slices.Clone(vs), nil
	}
	c.miss()
	vs, err := c.reg.VariantsByKey(ctx, key)
	if err != nil || !storable(key) {
		return vs, err
	}
	c.byKey[key] = slices.Clone(vs)
	for _, v := range vs {
		c.keysOf[v.Norm] = append(c.keysOf[v.Norm], key)
	}
	return vs, nil
}

// Remember has StoryVariants answered by m, which the cache tells of the
// spellings and merges it writes; it does nothing when the Registry cannot
// fill m (is no WindowSource). m outlives the cache: see Memory for who
// else must tell it what.
func (c *Cache) Remember(m *Memory) {
	if _, ok := c.reg.(WindowSource); ok {
		c.mem = m
	}
}

// StoryVariants asks the Memory it remembers with, or else the Registry
// (see Cache).
func (c *Cache) StoryVariants(ctx context.Context, story int64) ([]Variant, error) {
	if c.mem != nil {
		c.hit()
		return c.mem.StoryVariants(ctx, c.reg.(WindowSource), story)
	}
	c.miss()
	return c.reg.StoryVariants(ctx, story)
}

// forgetAll drops what the cache and its Memory hold: after a failed
// write, or one whose effect they cannot follow.
func (c *Cache) forgetAll() {
	c.clear()
	if c.mem != nil {
		c.mem.Reset()
	}
}

// Entity returns an entity, the one it was merged into if it was.
func (c *Cache) Entity(ctx context.Context, id int64) (Entity, error) {
	if root, ok := c.roots[id]; ok {
		if e, ok := c.entities[root]; ok {
			c.hit()
			return e, nil
		}
	}
	c.miss()
	e, err := c.reg.Entity(ctx, id)
	if err != nil {
		return e, err
	}
	c.roots[id], c.roots[e.ID] = e.ID, e.ID
	if storable(e.Canonical, string(e.Type)) {
		c.entities[e.ID] = e
	} else {
		delete(c.entities, e.ID)
	}
	return e, nil
}

// PutEntity inserts (zero ID, set on return) or updates an entity.
func (c *Cache) PutEntity(ctx context.Context, e *Entity) error {
	isNew := e.ID == 0
	if err := c.reg.PutEntity(ctx, e); err != nil {
		c.forgetAll() // whatever the store did or did not keep
		return err
	}
	switch {
	case isNew:
		c.roots[e.ID] = e.ID
		c.made[e.ID] = true
		if c.mem != nil {
			c.mem.made(e.ID)
		}
	case c.roots[e.ID] != e.ID:
		// Merged into another, whose entry this does not change, or not
		// known to be no merged one's: a read will tell.
		return nil
	}
	if !storable(e.Canonical, string(e.Type)) {
		delete(c.entities, e.ID)
		return nil
	}
	s := *e
	s.FirstSeen = s.FirstSeen.UTC() // as the stores keep it
	c.entities[e.ID] = s
	return nil
}

// PutVariant records a variant, adding its Mentions to any stored. The
// stores count mentions of an entity's spelling they hold and keep the
// rest as first written; a new spelling joins the lists of its norm and
// key.
func (c *Cache) PutVariant(ctx context.Context, v Variant) error {
	if err := c.reg.PutVariant(ctx, v); err != nil {
		c.forgetAll()
		return err
	}
	if c.mem != nil {
		if c.roots[v.Entity] == v.Entity {
			c.mem.wrote(v)
		} else {
			// Where a merged entity's spelling goes is the store's
			// business (see below).
			c.mem.Reset()
		}
	}
	if !storable(v.Text, v.Norm, v.Lang, v.Key, v.Surname, v.Evidence) {
		// Stored as another norm and key, the store's cleaning's: which
		// lists that changes is the store's business.
		c.byNorm, c.byKey, c.keysOf = map[string][]Variant{}, map[string][]Variant{}, map[string][]string{}
		return nil
	}
	if c.roots[v.Entity] != v.Entity {
		// A merged entity's, or one not known: the stores differ in
		// where it goes (SQLite: the ID as given; the reference
		// follows the merge).
		c.forgetVariant(v)
		return nil
	}
	if vs, ok := c.byNorm[v.Norm]; ok {
		i, found := slices.BinarySearchFunc(vs, v.Entity, func(x Variant, id int64) int { return cmpID(x.Entity, id) })
		if found {
			vs[i].Mentions += v.Mentions
			c.countInKey(vs[i].Key, v)
			return nil
		}
		n := v
		n.FirstSeen = n.FirstSeen.UTC()
		c.byNorm[v.Norm] = slices.Insert(vs, i, n)
		c.joinKey(n)
		return nil
	}
	// Whether the spelling was stored is not known: count it where a
	// cached list holds it, and forget the list a new one joins.
	for _, k := range c.keysOf[v.Norm] {
		if c.countInKey(k, v) {
			return nil
		}
	}
	delete(c.byKey, v.Key)
	return nil
}

// joinKey adds the new variant v to the cached list of its key, where the
// stores order by entity. Another variant of v's entity leaves the order
// to them (SQLite's in no set order, PostgreSQL's norms in collation
// order): then the list is forgotten.
func (c *Cache) joinKey(v Variant) {
	vs, ok := c.byKey[v.Key]
	if !ok {
		return
	}
	i, tie := slices.BinarySearchFunc(vs, v.Entity, func(x Variant, id int64) int { return cmpID(x.Entity, id) })
	if tie {
		delete(c.byKey, v.Key)
		return
	}
	c.byKey[v.Key] = slices.Insert(vs, i, v)
	c.keysOf[v.Norm] = append(c.keysOf[v.Norm], v.Key)
}

// countInKey adds v's mentions to the variant of v's entity and norm in
// the cached list of key, reporting whether it was there.
func (c *Cache) countInKey(key string, v Variant) bool {
	vs := c.byKey[key]
	for i := range vs {
		if vs[i].Entity == v.Entity && vs[i].Norm == v.Norm {
			vs[i].Mentions += v.Mentions
			return true
		}
	}
	return false
}

// forgetVariant drops every cached list a write of v may have changed.
func (c *Cache) forgetVariant(v Variant) {
	delete(c.byNorm, v.Norm)
	delete(c.byKey, v.Key)
	for _, k := range c.keysOf[v.Norm] {
		delete(c.byKey, k)
	}
	delete(c.keysOf, v.Norm)
}

func cmpID(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MergeEntities makes m.From part of m.Into: their variants, and the
// entity into, change, and lookups of from find into. Whether the other
// lookups change is the store's business when either entity is not known
// by the entity it names now: the cache starts afresh.
func (c *Cache) MergeEntities(ctx context.Context, m Merge) error {
	into, from := c.roots[m.Into], c.roots[m.From]
	if into == 0 || from == 0 || c.roots[into] != into || c.roots[from] != from {
		c.forgetAll()
		return c.reg.MergeEntities(ctx, m)
	}
	if err := c.reg.MergeEntities(ctx, m); err != nil {
		c.forgetAll()
		return err
	}
	if into == from {
		return nil
	}
	if c.mem != nil {
		c.mem.merged(into, from)
	}
	delete(c.entities, into) // its mentions grow
	delete(c.entities, from)
	for id, root := range c.roots {
		if root == from {
			c.roots[id] = into
		}
	}
	for _, lists := range []map[string][]Variant{c.byNorm, c.byKey} {
		for k, vs := range lists {
			if slices.ContainsFunc(vs, func(v Variant) bool { return v.Entity == into || v.Entity == from }) {
				delete(lists, k)
			}
		}
	}
	// The stores ask about the IDs given, the reference about the
	// entities they name: forget what from was asked about.
	delete(c.splits, from)
	delete(c.made, from)
	for k := range c.separated {
		if k[0] == from || k[1] == from {
			delete(c.separated, k)
		}
	}
	return nil
}

// Separated reports whether a person split a and b apart. Only people's
// corrections split, in transactions of their own.
func (c *Cache) Separated(ctx context.Context, a, b int64) (bool, error) {
	if c.made[a] || c.made[b] {
		c.hit()
		return false, nil
	}
	k := [2]int64{min(a, b), max(a, b)}
	if sep, ok := c.separated[k]; ok {
		c.hit()
		return sep, nil
	}
	c.miss()
	sep, err := c.reg.Separated(ctx, a, b)
	if err == nil {
		c.separated[k] = sep
	}
	return sep, err
}

// SplitFrom returns the entities a person split apart from id.
func (c *Cache) SplitFrom(ctx context.Context, id int64) ([]int64, error) {
	if c.made[id] {
		c.hit()
		return nil, nil
	}
	if from, ok := c.splits[id]; ok {
		c.hit()
		return slices.Clone(from), nil
	}
	c.miss()
	from, err := c.reg.SplitFrom(ctx, id)
	if err == nil {
		c.splits[id] = slices.Clone(from)
	}
	return from, err
}
