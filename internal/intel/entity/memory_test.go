package entity

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// windowStore is a store's answers by their definition: the latest n
// articles of a stream story, the entities their mentions name, and
// those entities' variants ordered by entity and norm.
type windowStore struct {
	stream   map[int64]int64   // article → stream story
	named    map[int64][]int64 // article → its mentions' entities (0: none)
	variants map[int64]map[string]Variant
}

func (s *windowStore) StoryWindow(_ context.Context, id int64, n int) ([]WindowArticle, error) {
	var arts []int64
	for a, st := range s.stream {
		if st == id {
			arts = append(arts, a)
		}
	}
	slices.Sort(arts)
	arts = arts[max(len(arts)-n, 0):]
	out := make([]WindowArticle, len(arts))
	for i, a := range arts {
		out[i] = WindowArticle{ID: a}
		for _, e := range s.named[a] {
			if e != 0 {
				out[i].Entities = append(out[i].Entities, e)
			}
		}
	}
	return out, nil
}

func (s *windowStore) VariantsOf(_ context.Context, ids []int64) ([]Variant, error) {
	ids = slices.Sorted(slices.Values(ids))
	var out []Variant
	for _, e := range ids {
		for _, n := range slices.Sorted(maps.Keys(s.variants[e])) {
			out = append(out, s.variants[e][n])
		}
	}
	return out, nil
}

func (s *windowStore) storyVariants(id int64, n int) []Variant {
	w, _ := s.StoryWindow(context.Background(), id, n)
	set := map[int64]bool{}
	for _, a := range w {
		for _, e := range a.Entities {
			set[e] = true
		}
	}
	vs, _ := s.VariantsOf(context.Background(), slices.Collect(maps.Keys(set)))
	for i := range vs {
		vs[i] = Spelling(vs[i])
	}
	return vs
}

// TestMemoryAsTheStore applies random placements, mentions, spellings,
// merges and moves to a store and tells a Memory of them as the writer
// does, and wants each of its answers to be the store's: with windows of
// four articles that slide, and room for three stories at a time.
func TestMemoryAsTheStore(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		st := &windowStore{stream: map[int64]int64{}, named: map[int64][]int64{}, variants: map[int64]map[string]Variant{}}
		m := NewMemory(4)
		m.max = 3
		var (
			lastArticle int64
			entities    []int64 // not merged into another
			nextEntity  int64
			log         []string
		)
		newEntity := func() int64 {
			nextEntity++
			entities = append(entities, nextEntity)
			st.variants[nextEntity] = map[string]Variant{}
			m.made(nextEntity)
			return nextEntity
		}
		for range 5 {
			newEntity()
		}
		story := func() int64 { return 1 + r.Int64N(5) }
		for step := range 200 {
			switch op := r.IntN(10); {
			case op < 3: // a new article, named at once as the writer does
				lastArticle++
				s := story()
				st.stream[lastArticle] = s
				m.Placed(s, lastArticle)
				var ents []int64
				for range r.IntN(4) {
					if r.IntN(4) == 0 {
						ents = append(ents, 0)
					} else {
						ents = append(ents, entities[r.IntN(len(entities))])
					}
				}
				st.named[lastArticle] = ents
				m.Named(s, lastArticle, ents)
				log = append(log, fmt.Sprintf("article %d in %d names %v", lastArticle, s, ents))
			case op < 5: // a spelling written
				e := entities[r.IntN(len(entities))]
				v := Variant{Entity: e, Norm: fmt.Sprintf("n%d", r.IntN(4)), Text: "T", Mentions: 1 + r.IntN(3)}
				if old, ok := st.variants[e][v.Norm]; ok {
					old.Mentions += v.Mentions
					st.variants[e][v.Norm] = old
				} else {
					st.variants[e][v.Norm] = v
				}
				m.wrote(v)
				log = append(log, fmt.Sprintf("spelling %s of %d", v.Norm, e))
			case op < 6:
				log = append(log, fmt.Sprintf("entity %d made", newEntity()))
			case op < 7 && len(entities) > 2: // a merge
				i, j := r.IntN(len(entities)), r.IntN(len(entities))
				if i == j {
					continue
				}
				into, from := entities[i], entities[j]
				for a, ents := range st.named {
					for k, e := range ents {
						if e == from {
							st.named[a][k] = into
						}
					}
				}
				for n, v := range st.variants[from] {
					if old, ok := st.variants[into][n]; ok {
						old.Mentions += v.Mentions
						st.variants[into][n] = old
					} else {
						v.Entity = into
						st.variants[into][n] = v
					}
				}
				delete(st.variants, from)
				entities = slices.Delete(entities, j, j+1)
				m.merged(into, from)
				log = append(log, fmt.Sprintf("entity %d merged into %d", from, into))
			case op < 8 && lastArticle > 0: // an article moves
				a := 1 + r.Int64N(lastArticle)
				from, to := st.stream[a], story()
				st.stream[a] = to
				m.Moved(from, to)
				log = append(log, fmt.Sprintf("article %d moved from %d to %d", a, from, to))
			default:
				s := story()
				got, err := m.StoryVariants(ctx, st, s)
				if err != nil {
					t.Fatal(err)
				}
				if want := st.storyVariants(s, 4); len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d, step %d: story %d:\nmemory %+v\nstore  %+v\nafter:\n%s",
						seed, step, s, got, want, strings.Join(log[max(len(log)-12, 0):], "\n"))
				}
				log = append(log, fmt.Sprintf("asked story %d", s))
			}
		}
	}
}

// TestMemoryAnswersFromMemory: once a story's window is held, its next
// answers are given without the store, as its articles come and are
// named.
func TestMemoryAnswersFromMemory(t *testing.T) {
	ctx := context.Background()
	st := &windowStore{stream: map[int64]int64{}, named: map[int64][]int64{}, variants: map[int64]map[string]Variant{}}
	m := NewMemory(200)
	for a := int64(1); a <= 10; a++ {
		st.stream[a], st.named[a] = 1, []int64{a}
		st.variants[a] = map[string]Variant{"x": {Entity: a, Norm: "x"}}
		m.Placed(1, a)
		m.Named(1, a, []int64{a})
		if _, err := m.StoryVariants(ctx, st, 1); err != nil {
			t.Fatal(err)
		}
		m.made(a + 100)
		m.wrote(Variant{Entity: a + 100, Norm: "y"})
	}
	if s := m.Stats(); s.StoryLoads != 1 || s.Answers != 10 {
		t.Errorf("stats %+v, want 1 story load for 10 answers", s)
	}
}
