package eval

import (
	"math"
	"sort"
)

// Pearson is the sample correlation of x and y. It returns 0 when it is
// undefined: fewer than two points, lengths that differ, or a constant
// side. (0 rather than NaN keeps reports JSON-encodable.)
func Pearson(x, y []float64) float64 {
	n := len(x)
	if n < 2 || n != len(y) {
		return 0
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	r := sxy / math.Sqrt(sxx*syy)
	return max(-1, min(1, r))
}

// BestThresholdF1 finds the threshold t for which calling a pair "same"
// when score >= t gives the best F1 against same, and returns that F1 and
// t. Tied scores always fall on the same side. Without any positive in
// same, or with no scores, it returns 0, 0. NaN scores never count as
// "same".
func BestThresholdF1(scores []float64, same []bool) (f1Best, threshold float64) {
	n := min(len(scores), len(same))
	idx := make([]int, 0, n)
	pos := 0
	for i := 0; i < n; i++ {
		if same[i] {
			pos++
		}
		if !math.IsNaN(scores[i]) {
			idx = append(idx, i)
		}
	}
	if pos == 0 || len(idx) == 0 {
		return 0, 0
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	tp, fp := 0, 0
	for k := 0; k < len(idx); {
		t := scores[idx[k]]
		for k < len(idx) && scores[idx[k]] == t {
			if same[idx[k]] {
				tp++
			} else {
				fp++
			}
			k++
		}
		p := float64(tp) / float64(tp+fp)
		r := float64(tp) / float64(pos)
		if f := f1(p, r); f > f1Best {
			f1Best, threshold = f, t
		}
	}
	return f1Best, threshold
}

// ScoredPair is one rated article pair with the system's same-story score
// (higher = more alike) and the human "overall" rating of SemEval-2022
// Task 8 (1 = same story … 4 = unrelated).
type ScoredPair struct {
	Score   float64
	Overall float64
	Cross   bool // the two articles are in different languages
}

// Thresholds for the same/different split of ../shared/README.md.
const (
	SameMaxOverall      = 1.5 // overall <= 1.5: same story
	DifferentMinOverall = 3.0 // overall >= 3: different; between: excluded
)

// PairsReport holds the pair-similarity metrics: Pearson correlation of
// the score with -overall over all pairs and per language condition, and
// the best-threshold F1 of "same story" against "different".
type PairsReport struct {
	N, NSame, NCross int // pairs: all, same-language, cross-language

	Pearson      float64 // all pairs, against -overall
	PearsonSame  float64 // same-language pairs
	PearsonCross float64 // cross-language pairs

	F1        float64 // best-threshold F1 of same (overall <= 1.5) vs different (>= 3)
	Threshold float64 // score threshold reaching F1
	NPos      int     // pairs rated same story
	NNeg      int     // pairs rated different
}

// ScorePairs computes a PairsReport.
func ScorePairs(ps []ScoredPair) PairsReport {
	var rep PairsReport
	var all, allY, same, sameY, cross, crossY, fs []float64
	var fl []bool
	for _, p := range ps {
		y := -p.Overall
		all, allY = append(all, p.Score), append(allY, y)
		if p.Cross {
			cross, crossY = append(cross, p.Score), append(crossY, y)
		} else {
			same, sameY = append(same, p.Score), append(sameY, y)
		}
		switch {
		case p.Overall <= SameMaxOverall:
			fs, fl = append(fs, p.Score), append(fl, true)
			rep.NPos++
		case p.Overall >= DifferentMinOverall:
			fs, fl = append(fs, p.Score), append(fl, false)
			rep.NNeg++
		}
	}
	rep.N, rep.NSame, rep.NCross = len(all), len(same), len(cross)
	rep.Pearson = Pearson(all, allY)
	rep.PearsonSame = Pearson(same, sameY)
	rep.PearsonCross = Pearson(cross, crossY)
	rep.F1, rep.Threshold = BestThresholdF1(fs, fl)
	return rep
}
