package story

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// randKeys returns n distinct sorted keys below limit.
func randKeys(r *rand.Rand, n, limit int) []termKey {
	seen := map[termKey]bool{}
	for len(seen) < n {
		seen[termKey(r.IntN(limit))] = true
	}
	ks := make([]termKey, 0, n)
	for k := range seen {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func randVecOf(r *rand.Rand, n, limit int) vec {
	var v vec
	for _, k := range randKeys(r, n, limit) {
		v = append(v, ent{k, r.Float32()})
	}
	return v
}

func randSumOf(r *rand.Rand, n, limit int) sumVec {
	s := sumVec{k: randKeys(r, n, limit)}
	for range s.k {
		s.w = append(s.w, r.Float64()-0.1)
	}
	return s
}

// TestDotSum checks dotSum and sumDot against the plainest sums, term by
// term in the same order, to the bit: scores must not move when the merge
// changes. Sizes cover both of their paths (merge and search) and lists
// that end before the other.
func TestDotSum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		limit := 20 + r.IntN(5000)
		nv, ns := r.IntN(min(limit, 300)), r.IntN(min(limit, 3000))
		v, sum := randVecOf(r, nv, limit), randSumOf(r, ns, limit)
		var want, wantTop float64
		for _, e := range v {
			c := float64(e.w) * sum.get(e.k)
			want += c
			wantTop = max(wantTop, c)
		}
		if d, top := dotSum(v, sum); d != want || top != wantTop {
			t.Fatalf("case %d (%d terms, sum of %d): dotSum %v, %v; want %v, %v", i, nv, ns, d, top, want, wantTop)
		}
		other := randSumOf(r, r.IntN(min(limit, 3000)), limit)
		x, y := sum, other
		if x.len() > y.len() {
			x, y = y, x
		}
		var wantDot float64
		for j, k := range x.k {
			wantDot += x.w[j] * y.get(k)
		}
		if d := sumDot(sum, other); d != wantDot {
			t.Fatalf("case %d: sumDot %v, want %v", i, d, wantDot)
		}
	}
}

// BenchmarkDotSum scores a member of 400 terms against story sums of 400
// to 3,200 (a window's stories hold one to dozens of articles), half of
// the member's terms in the sum.
func BenchmarkDotSum(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	v := randVecOf(r, 400, 1<<20)
	var sums []sumVec
	for _, n := range []int{400, 800, 1600, 3200} {
		s := randSumOf(r, n, 1<<20)
		for j, e := range v {
			if j%2 == 0 {
				if i, ok := slices.BinarySearch(s.k, e.k); !ok {
					s.k = slices.Insert(s.k, i, e.k)
					s.w = slices.Insert(s.w, i, 0.5)
				}
			}
		}
		sums = append(sums, s)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, s := range sums {
			dotSum(v, s)
		}
	}
}
