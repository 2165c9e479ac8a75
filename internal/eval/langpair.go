package eval

import (
	"cmp"
	"slices"
)

// LangPair counts, for one pair of languages (A ≤ B; A == B for pairs in
// one language), how a clustering treats the item pairs that span them.
type LangPair struct {
	A, B string
	// Gold is the number of item pairs gold puts in one story; Joined,
	// how many of those the prediction puts in one story too (for a
	// translation set: how often a translation joins its source).
	Gold, Joined int
	// Wrong is the number of item pairs the prediction puts in one story
	// while gold keeps them apart (two different documents sharing a
	// story).
	Wrong int
}

// Recall is Joined/Gold (1 when gold joins nothing).
func (p LangPair) Recall() float64 {
	if p.Gold == 0 {
		return 1
	}
	return float64(p.Joined) / float64(p.Gold)
}

// ByLangPair breaks pairwise agreement down by the languages of the two
// items. lang maps an item to its language; items absent from gold are
// ignored, items absent from pred are singletons. The result is sorted by
// language pair.
func ByLangPair(pred, gold, lang map[string]string) []LangPair {
	// Items grouped by predicted story and by gold story: only pairs that
	// share one or the other matter, so the cost follows the cluster sizes,
	// not the square of the set.
	byPred := map[string][]string{}
	byGold := map[string][]string{}
	for item, g := range gold {
		byGold[g] = append(byGold[g], item)
		if p, ok := pred[item]; ok {
			byPred[p] = append(byPred[p], item)
		}
	}
	acc := map[[2]string]*LangPair{}
	get := func(x, y string) *LangPair {
		a, b := lang[x], lang[y]
		if b < a {
			a, b = b, a
		}
		k := [2]string{a, b}
		if acc[k] == nil {
			acc[k] = &LangPair{A: a, B: b}
		}
		return acc[k]
	}
	for _, items := range byGold {
		for i, x := range items {
			for _, y := range items[i+1:] {
				lp := get(x, y)
				lp.Gold++
				if px, ok := pred[x]; ok && px == pred[y] {
					lp.Joined++
				}
			}
		}
	}
	for _, items := range byPred {
		for i, x := range items {
			for _, y := range items[i+1:] {
				if gold[x] != gold[y] {
					get(x, y).Wrong++
				}
			}
		}
	}
	out := make([]LangPair, 0, len(acc))
	for _, lp := range acc {
		out = append(out, *lp)
	}
	slices.SortFunc(out, func(x, y LangPair) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return out
}
