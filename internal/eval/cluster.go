package eval

// Story clustering is scored on the items of the gold map: an item that the
// prediction does not mention counts as a story of its own, and predicted
// items absent from gold are ignored (they cannot be judged).

// clusterKey names a predicted cluster; single marks the implicit
// singleton of an item missing from pred, so it can never collide with a
// real label.
type clusterKey struct {
	label  string
	single bool
}

// contingency counts, over gold items, how many fall in each (predicted,
// gold) cluster pair, and the sizes of both sides' clusters.
type contingency struct {
	cells map[[2]clusterKey]int
	pred  map[clusterKey]int
	gold  map[clusterKey]int
	n     int
}

func newContingency(pred, gold map[string]string) contingency {
	c := contingency{
		cells: make(map[[2]clusterKey]int, len(gold)),
		pred:  make(map[clusterKey]int),
		gold:  make(map[clusterKey]int),
		n:     len(gold),
	}
	for item, g := range gold {
		p, ok := pred[item]
		pk := clusterKey{label: p}
		if !ok {
			pk = clusterKey{label: item, single: true}
		}
		gk := clusterKey{label: g}
		c.cells[[2]clusterKey{pk, gk}]++
		c.pred[pk]++
		c.gold[gk]++
	}
	return c
}

func pairs(n int) float64 { return float64(n) * float64(n-1) / 2 }

// Pairwise scores the pairs of items placed in one story: precision is the
// share of predicted same-story pairs that gold also joins, recall the
// share of gold pairs that the prediction joins. pred and gold map each
// item to its cluster label; items missing from pred are singletons.
//
// A side without pairs has nothing wrong on it: precision is 1 when pred
// joins nothing (all singletons), recall is 1 when gold joins nothing.
// Empty gold scores 1, 1, 1.
func Pairwise(pred, gold map[string]string) PRF {
	c := newContingency(pred, gold)
	var tp, np, ng float64
	for _, n := range c.cells {
		tp += pairs(n)
	}
	for _, n := range c.pred {
		np += pairs(n)
	}
	for _, n := range c.gold {
		ng += pairs(n)
	}
	p, r := 1.0, 1.0
	if np > 0 {
		p = tp / np
	}
	if ng > 0 {
		r = tp / ng
	}
	return PRF{P: p, R: r, F1: f1(p, r)}
}

// BCubed averages over items: an item's precision is the share of its
// predicted cluster that shares its gold cluster, its recall the share of
// its gold cluster found in its predicted cluster (Bagga & Baldwin 1998;
// Amigó et al. 2009). F1 is taken from the averaged precision and recall.
// Items missing from pred are singletons; empty gold scores 1, 1, 1.
func BCubed(pred, gold map[string]string) PRF {
	c := newContingency(pred, gold)
	if c.n == 0 {
		return PRF{P: 1, R: 1, F1: 1}
	}
	// Every item of cell (p, g) has n_pg/|p| precision and n_pg/|g| recall.
	var sp, sr float64
	for k, n := range c.cells {
		fn := float64(n)
		sp += fn * fn / float64(c.pred[k[0]])
		sr += fn * fn / float64(c.gold[k[1]])
	}
	p, r := sp/float64(c.n), sr/float64(c.n)
	return PRF{P: p, R: r, F1: f1(p, r)}
}
