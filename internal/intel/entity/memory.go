package entity

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// Memory answers Registry.StoryVariants from memory, across the writer's
// transactions: the entities each stream story's latest articles name,
// and how each of those entities is written. Asked for every article, the
// store's answer reads every mention of up to 200 articles and a thousand
// spellings for a big story: the writer's largest single query, 9.1 s of
// its 91 s of CPU over 20k generated articles (storyline bench --articles
// 20000 --days 7 --cpuprofile), 1.5 s of 80 s through Memory. Its answers
// are the store's but for what the resolver does not read of them: each
// variant's Entity, Text, Norm, Key and Surname, the rest zero.
//
// Its answers stay true only while it sees every write that changes them:
// the writer tells it where articles are placed (Placed, Moved) and which
// entities they name (Named), a Cache it is given to (Cache.Remember)
// tells it of the spellings and merges it writes, and anything else that
// writes entities, mentions or stream stories — a person's correction, a
// rolled-back batch — must Reset it. So it serves one writer of a store
// that no other process writes (SQLite's, under its lock). It is not safe
// for concurrent use.
type Memory struct {
	articles int // how many of a story's latest articles name its entities
	max      int // stories held before the least recently asked are let go
	stories  map[int64]*window
	// holders are, for an entity, the stories whose window names it: most
	// often one.
	holders map[int64][]int64
	// variants are the spellings of entities named in a window held, as
	// the store orders them.
	variants map[int64][]spelling
	unheld   int // entities made since the last sweep (see made)
	asks     int64
	stats    MemoryStats
}

// MemoryStats counts StoryVariants answers: those Memory gave, and the
// loads from the store (of a story's window, or of entities' spellings).
type MemoryStats struct {
	Answers, StoryLoads, VariantLoads, Resets int
}

// Spelling returns what Memory keeps of v, and so answers with.
func Spelling(v Variant) Variant { return spellingOf(v).variant() }

// WindowArticle is one of a story's latest articles with the entities its
// mentions name (each once, whatever order).
type WindowArticle struct {
	ID       int64
	Entities []int64
}

// WindowSource is what Memory loads from: the transaction of the writer.
type WindowSource interface {
	// StoryWindow returns the latest n articles of stream story id,
	// oldest first.
	StoryWindow(ctx context.Context, id int64, n int) ([]WindowArticle, error)
	// VariantsOf returns the variants of the entities ids, ordered by
	// entity and norm as StoryVariants orders them: norms bytewise, as
	// Memory places a new spelling among them.
	VariantsOf(ctx context.Context, ids []int64) ([]Variant, error)
}

// spelling is what Memory keeps of a variant: what the resolver reads of
// a story's (see Registry.StoryVariants). Whole variants (their evidence,
// language, first sighting and count too) took 13.6 MB of heap at 40k
// generated articles, spellings 10.1 MB (storyline bench --articles 40000
// --days 15 --memprofile; Memory about 25 MB in all).
type spelling struct {
	entity                   int64
	text, norm, key, surname string
}

func (sp spelling) variant() Variant {
	return Variant{Entity: sp.entity, Text: sp.text, Norm: sp.norm, Key: sp.key, Surname: sp.surname}
}

func spellingOf(v Variant) spelling {
	return spelling{entity: v.Entity, text: v.Text, norm: v.Norm, key: v.Key, surname: v.Surname}
}

type window struct {
	arts  []int64   // ascending
	ents  [][]int64 // the entities each article names, sorted
	count map[int64]int
	asked int64
}

// memoryStories is how many stories' windows a Memory holds before
// it lets the less recently asked half go; a story let go is loaded again
// when asked. Chosen on the generated stream (storyline bench --articles
// 20000 --days 7): at 8,192 it held 2,975 stories and 70k entities at the
// end, at 2,048 1,163 and 36k, for 4,748 and 4,814 loads of a story in
// 20,000 answers; at 1,024, 5,278 loads.
const memoryStories = 2048

// NewMemory returns an empty Memory whose stories' entities are those
// their latest articles name (the store's StoryVariants window).
func NewMemory(articles int) *Memory {
	m := &Memory{articles: articles, max: memoryStories}
	m.forget()
	return m
}

// Reset forgets everything: the next answers are loaded from the store.
func (m *Memory) Reset() {
	m.forget()
	m.stats.Resets++
}

func (m *Memory) forget() {
	m.stories = map[int64]*window{}
	m.holders = map[int64][]int64{}
	m.variants = map[int64][]spelling{}
	m.unheld = 0
}

// Stats returns the counts so far.
func (m *Memory) Stats() MemoryStats { return m.stats }

// StoryVariants answers Registry.StoryVariants for stream story id,
// loading from src what it does not hold.
func (m *Memory) StoryVariants(ctx context.Context, src WindowSource, id int64) ([]Variant, error) {
	w, err := m.window(ctx, src, id)
	if err != nil {
		return nil, err
	}
	ids := slices.Sorted(maps.Keys(w.count))
	var missing []int64
	for _, e := range ids {
		if _, ok := m.variants[e]; !ok {
			missing = append(missing, e)
		}
	}
	if len(missing) > 0 {
		m.stats.VariantLoads++
		vs, err := src.VariantsOf(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, e := range missing {
			m.variants[e] = nil // held: an entity may have no spelling stored
		}
		for _, v := range vs {
			m.variants[v.Entity] = append(m.variants[v.Entity], spellingOf(v))
		}
	}
	m.stats.Answers++
	n := 0
	for _, e := range ids {
		n += len(m.variants[e])
	}
	// A copy: the caller holds it while the spellings it writes change
	// what Memory holds, as the store's answer would not.
	out := make([]Variant, 0, n)
	for _, e := range ids {
		for _, sp := range m.variants[e] {
			out = append(out, sp.variant())
		}
	}
	return out, nil
}

func (m *Memory) window(ctx context.Context, src WindowSource, id int64) (*window, error) {
	m.asks++
	if w, ok := m.stories[id]; ok {
		w.asked = m.asks
		return w, nil
	}
	m.stats.StoryLoads++
	arts, err := src.StoryWindow(ctx, id, m.articles)
	if err != nil {
		return nil, err
	}
	if len(m.stories) >= m.max {
		m.letGo()
	}
	w := &window{count: map[int64]int{}, asked: m.asks}
	m.stories[id] = w
	for _, a := range arts {
		w.arts = append(w.arts, a.ID)
		w.ents = append(w.ents, nil)
		m.name(id, w, len(w.arts)-1, a.Entities)
	}
	return w, nil
}

// letGo drops the less recently asked half of the stories held.
func (m *Memory) letGo() {
	ids := slices.Collect(maps.Keys(m.stories))
	slices.SortFunc(ids, func(a, b int64) int { return int(m.stories[a].asked - m.stories[b].asked) })
	for _, id := range ids[:len(ids)/2] {
		m.drop(id)
	}
	m.sweep()
}

// drop forgets story id's window, and the spellings of entities no other
// window held names.
func (m *Memory) drop(id int64) {
	w, ok := m.stories[id]
	if !ok {
		return
	}
	delete(m.stories, id)
	for e := range w.count {
		m.release(id, e)
	}
}

func (m *Memory) release(story, e int64) {
	hs := slices.DeleteFunc(m.holders[e], func(id int64) bool { return id == story })
	if len(hs) == 0 {
		delete(m.holders, e)
		delete(m.variants, e)
		return
	}
	m.holders[e] = hs
}

// name sets the entities article i of story id's window w names. The new
// ones count first, so that an entity named before and after keeps its
// spellings.
func (m *Memory) name(id int64, w *window, i int, ents []int64) {
	set := slices.Clone(ents)
	slices.Sort(set)
	set = slices.Compact(set)
	set = slices.DeleteFunc(set, func(e int64) bool { return e == 0 })
	for _, e := range set {
		if w.count[e]++; w.count[e] == 1 {
			m.holders[e] = append(m.holders[e], id)
		}
	}
	for _, e := range w.ents[i] {
		if w.count[e]--; w.count[e] == 0 {
			delete(w.count, e)
			m.release(id, e)
		}
	}
	w.ents[i] = set
}

// Placed tells Memory that a new article, the latest of all, joined
// stream story id.
func (m *Memory) Placed(id, article int64) {
	w, ok := m.stories[id]
	if !ok {
		return
	}
	if n := len(w.arts); n > 0 && w.arts[n-1] >= article {
		m.drop(id) // not the latest: let the store say
		return
	}
	w.arts = append(w.arts, article)
	w.ents = append(w.ents, nil)
	if len(w.arts) > m.articles {
		m.name(id, w, 0, nil)
		w.arts, w.ents = w.arts[1:], w.ents[1:]
	}
}

// Named tells Memory the entities an article of stream story id names
// (its mentions' entities, 0 for none), as stored.
func (m *Memory) Named(id, article int64, ents []int64) {
	w, ok := m.stories[id]
	if !ok {
		return
	}
	i, found := slices.BinarySearch(w.arts, article)
	if !found {
		m.drop(id)
		return
	}
	m.name(id, w, i, ents)
}

// Moved tells Memory that articles left or joined the stream stories ids
// otherwise than as Placed says.
func (m *Memory) Moved(ids ...int64) {
	for _, id := range ids {
		m.drop(id)
	}
}

// made tells Memory of an entity just made: it has no spelling yet, and
// every one it gets is written through the cache. (Most articles name
// someone new; without this, the next answer for their story would load
// the spellings just written.)
func (m *Memory) made(id int64) {
	m.variants[id] = nil
	m.unheld++
	if m.unheld > m.max {
		m.sweep()
	}
}

// sweep drops the spellings of entities no window held names: those made
// for articles of stories not held.
func (m *Memory) sweep() {
	for e := range m.variants {
		if len(m.holders[e]) == 0 {
			delete(m.variants, e)
		}
	}
	m.unheld = 0
}

// wrote tells Memory of a spelling written (PutVariant) to an entity known
// to be no merged one's: a new spelling takes its place in the store's
// order (a count added to a known one changes nothing Memory keeps).
func (m *Memory) wrote(v Variant) {
	vs, ok := m.variants[v.Entity]
	if !ok {
		return
	}
	if !storable(v.Text, v.Norm, v.Lang, v.Key, v.Surname, v.Evidence) {
		delete(m.variants, v.Entity) // stored as the store cleans it
		return
	}
	i, found := slices.BinarySearchFunc(vs, v.Norm, func(x spelling, norm string) int { return strings.Compare(x.norm, norm) })
	if !found {
		m.variants[v.Entity] = slices.Insert(vs, i, spellingOf(v))
	}
}

// merged tells Memory that entity from, no merged one's, was merged into
// into, none's either: mentions of from now name into, and both entities'
// spellings changed.
func (m *Memory) merged(into, from int64) {
	if into == from {
		return
	}
	delete(m.variants, into)
	delete(m.variants, from)
	for _, id := range slices.Clone(m.holders[from]) {
		w := m.stories[id]
		for i, ents := range w.ents {
			if j, ok := slices.BinarySearch(ents, from); ok {
				renamed := slices.Clone(ents)
				renamed[j] = into
				m.name(id, w, i, renamed)
			}
		}
	}
}
