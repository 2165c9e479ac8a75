package story

import (
	"math"
	"slices"
)

// A story's sums of member vectors are vecs too: sorted by term ID, added
// to by merging. As maps they cost about three times the memory (a window
// holds thousands of stories, most of one or two articles) and every
// score probed them term by term.

// addSum adds sign·v to the sorted sum, keeping |sum|² current. Terms that
// cancel out (|w| < 1e-12) leave the sum.
func addSum(sum *sumVec, norm2 *float64, v vec, sign float64) {
	s := *sum
	var d, vv float64
	fresh := 0 // v's terms s lacks, that will enter it
	i := 0
	for _, e := range v {
		w := float64(e.w)
		for i < len(s) && s[i].k < e.k {
			i++
		}
		if i < len(s) && s[i].k == e.k {
			d += s[i].w * w
		} else if math.Abs(sign*w) >= 1e-12 {
			fresh++
		}
		vv += w * w
	}
	*norm2 += 2*sign*d + vv
	if *norm2 < 1e-12 {
		*norm2 = 0
	}
	n := len(s)
	s = slices.Grow(s, fresh)[:n+fresh]
	// Merge from the back, so that nothing is moved twice and no second
	// slice is needed.
	i, k := n-1, n+fresh-1
	cancelled := false
	for j := len(v) - 1; j >= 0; j-- {
		e := v[j]
		w := float64(e.w)
		for i >= 0 && s[i].k > e.k {
			s[k] = s[i]
			i--
			k--
		}
		if i >= 0 && s[i].k == e.k {
			x := s[i].w + sign*w
			cancelled = cancelled || math.Abs(x) < 1e-12
			s[k] = sent{e.k, x}
			i--
			k--
			continue
		}
		if x := sign * w; math.Abs(x) >= 1e-12 {
			s[k] = sent{e.k, x}
			k--
		}
	}
	if cancelled {
		s = slices.DeleteFunc(s, func(e sent) bool { return math.Abs(e.w) < 1e-12 })
	}
	*sum = s
}

// get returns the weight of key k in the sorted v.
func get[W weight](v []entry[W], k termKey) float64 {
	if i, ok := slices.BinarySearchFunc(v, k, func(e entry[W], k termKey) int {
		switch {
		case e.k < k:
			return -1
		case e.k > k:
			return 1
		}
		return 0
	}); ok {
		return float64(v[i].w)
	}
	return 0
}

// each calls fn, in v's order, with each entry of v and the weight of its
// key in the sorted sum (0 when absent): a merge when the two are of like
// size, a binary search per entry when sum is much longer.
func each[V, S weight](v []entry[V], sum []entry[S], fn func(e entry[V], w float64)) {
	if len(sum) > 8*len(v) {
		for _, e := range v {
			fn(e, get(sum, e.k))
		}
		return
	}
	i := 0
	for _, e := range v {
		for i < len(sum) && sum[i].k < e.k {
			i++
		}
		if i < len(sum) && sum[i].k == e.k {
			fn(e, float64(sum[i].w))
		} else {
			fn(e, 0)
		}
	}
}
