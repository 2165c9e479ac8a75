package story

import (
	"strconv"

	"github.com/storyline/storyline/internal/eval"
)

// The dev-set metrics come from internal/eval, as `storyline eval` reports
// them; these wrappers take parallel slices of labels.

func labelMaps(pred, gold []string) (map[string]string, map[string]string) {
	p, g := make(map[string]string, len(pred)), make(map[string]string, len(gold))
	for i := range pred {
		k := strconv.Itoa(i)
		p[k], g[k] = pred[i], gold[i]
	}
	return p, g
}

func bcubed(pred, gold []string) eval.PRF   { return eval.BCubed(labelMaps(pred, gold)) }
func pairwise(pred, gold []string) eval.PRF { return eval.Pairwise(labelMaps(pred, gold)) }
func pearson(x, y []float64) float64        { return eval.Pearson(x, y) }

func bestF1(score []float64, pos []bool) float64 {
	f, _ := eval.BestThresholdF1(score, pos)
	return f
}
