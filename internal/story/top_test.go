package story

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// heaviest must keep what sorting the whole vector and cutting it kept,
// in the same order, ties included.
func TestHeaviestAsFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 500 {
		m := rng.IntN(200)
		n := rng.IntN(60) - 5 // zero and below keep nothing
		var v vec
		var s sumVec
		k := termKey(0)
		for range m {
			k += termKey(1 + rng.IntN(5))
			w := float32(rng.IntN(8)) / 4 // few weights: many ties
			v = append(v, ent{k, w})
			s.k = append(s.k, k)
			s.w = append(s.w, float64(w))
		}
		want := make([]sent, len(v))
		for i, e := range v {
			want[i] = sent{e.k, float64(e.w)}
		}
		sort.Slice(want, func(i, j int) bool {
			if want[i].w != want[j].w {
				return want[i].w > want[j].w
			}
			return want[i].k < want[j].k
		})
		want = want[:max(min(n, len(want)), 0)]
		if got := heaviest(v, n); !slices.Equal(got, want) {
			t.Fatalf("round %d (m %d, n %d): heaviest\n got %v\nwant %v", round, m, n, got, want)
		}
		if got := s.heaviest(n); !slices.Equal(got, want) {
			t.Fatalf("round %d (m %d, n %d): sumVec.heaviest\n got %v\nwant %v", round, m, n, got, want)
		}
	}
}

// The candidates a query keeps are the heaviest, ties to the lower ID, as
// a full sort would keep them.
func TestTopCandidatesAsFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 500 {
		n := rng.IntN(50)
		var all []cand
		for _, id := range rng.Perm(rng.IntN(300)) {
			all = append(all, cand{int64(id), float64(rng.IntN(6)) / 2})
		}
		tp := newTop[cand](n, len(all))
		for _, c := range all {
			tp.add(c)
		}
		sort.Slice(all, func(i, j int) bool {
			if all[i].w != all[j].w {
				return all[i].w > all[j].w
			}
			return all[i].id < all[j].id
		})
		want := all[:min(n, len(all))]
		if got := tp.sorted(); !slices.Equal(got, want) {
			t.Fatalf("round %d (n %d): got %v, want %v", round, n, got, want)
		}
	}
}
