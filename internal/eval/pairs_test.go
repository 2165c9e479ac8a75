package eval

import (
	"math"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

func TestPearson(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		want float64
	}{
		// x mean 2, y mean 13/3; dx = -1 0 1, dy = -7/3 -1/3 8/3;
		// sxy = 7/3 + 8/3 = 5, sxx = 2, syy = 114/9; r = 5/√(228/9) = 0.993399...
		{"hand", []float64{1, 2, 3}, []float64{2, 4, 7}, 5 / math.Sqrt(228.0/9)},
		{"perfect negative", []float64{1, 2, 3}, []float64{3, 2, 1}, -1},
		{"constant", []float64{1, 1, 1}, []float64{1, 2, 3}, 0},
		{"one point", []float64{1}, []float64{2}, 0},
		{"empty", nil, nil, 0},
		{"length mismatch", []float64{1, 2}, []float64{1, 2, 3}, 0},
	}
	for _, tt := range tests {
		if got := Pearson(tt.x, tt.y); !near(got, tt.want) {
			t.Errorf("%s: Pearson = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBestThresholdF1(t *testing.T) {
	tests := []struct {
		name      string
		scores    []float64
		same      []bool
		f1, thres float64
	}{
		// 3 positives. Cut at 0.9: tp 1 fp 0, F1 = 2·1·(1/3)/(4/3) = 0.5;
		// at 0.8 (both ties in): tp 2 fp 1, F1 = 2/3; at 0.3: tp 3 fp 1,
		// P 3/4 R 1, F1 = 6/7; at 0.1: tp 3 fp 2, F1 = 0.75. Best 6/7 at 0.3.
		{"hand", []float64{0.9, 0.8, 0.8, 0.3, 0.1}, []bool{true, false, true, true, false}, 6.0 / 7, 0.3},
		{"separable", []float64{0.1, 0.9, 0.8}, []bool{false, true, true}, 1, 0.8},
		// All tied: one cut only, P 1/2, R 1, F1 2/3.
		{"ties", []float64{0.5, 0.5}, []bool{true, false}, 2.0 / 3, 0.5},
		{"no positives", []float64{0.5, 0.2}, []bool{false, false}, 0, 0},
		{"empty", nil, nil, 0, 0},
		{"nan ignored", []float64{math.NaN(), 0.7}, []bool{false, true}, 1, 0.7},
	}
	for _, tt := range tests {
		f, th := BestThresholdF1(tt.scores, tt.same)
		if !near(f, tt.f1) || !near(th, tt.thres) {
			t.Errorf("%s: BestThresholdF1 = %v, %v; want %v, %v", tt.name, f, th, tt.f1, tt.thres)
		}
	}
}

func TestScorePairs(t *testing.T) {
	ps := []ScoredPair{
		{Score: 0.9, Overall: 1.0},
		{Score: 0.7, Overall: 2.0, Cross: true}, // excluded from F1 (1.5 < 2 < 3)
		{Score: 0.2, Overall: 4.0},
		{Score: 0.4, Overall: 3.0, Cross: true},
		{Score: 0.8, Overall: 1.5, Cross: true},
	}
	rep := ScorePairs(ps)
	// All: x mean 0.6, y = -overall mean -2.3; dx = .3 .1 -.4 -.2 .2,
	// dy = 1.3 .3 -1.7 -.7 .8; sxy = 1.4, sxx = .34, syy = 5.8;
	// r = 1.4/√1.972 = 0.99695.
	// Same-language: two points, rising together: 1.
	// Cross: x .7 .4 .8 (mean 1.9/3), y -2 -3 -1.5 (mean -6.5/3);
	// dx = .2/3 -.7/3 .5/3, dy = .5/3 -2.5/3 2/3 → sxy = (.1+1.75+1)/9 = 2.85/9,
	// sxx = .78/9, syy = 10.5/9; r = 2.85/√(.78·10.5) = 0.99587.
	// F1: same = pairs 1 and 5 (scores .9 .8), different = 3 and 4 (.2 .4):
	// separable at 0.8, F1 1.
	want := PairsReport{
		N: 5, NSame: 2, NCross: 3,
		Pearson:      1.4 / math.Sqrt(0.34*5.8),
		PearsonSame:  1,
		PearsonCross: 2.85 / math.Sqrt(0.78*10.5),
		F1:           1, Threshold: 0.8, NPos: 2, NNeg: 2,
	}
	if rep.N != want.N || rep.NSame != want.NSame || rep.NCross != want.NCross ||
		rep.NPos != want.NPos || rep.NNeg != want.NNeg ||
		!near(rep.Pearson, want.Pearson) || !near(rep.PearsonSame, want.PearsonSame) ||
		!near(rep.PearsonCross, want.PearsonCross) || !near(rep.F1, want.F1) || !near(rep.Threshold, want.Threshold) {
		t.Errorf("ScorePairs = %+v\nwant %+v", rep, want)
	}
	if got := ScorePairs(nil); got != (PairsReport{}) {
		t.Errorf("ScorePairs(nil) = %+v, want zero", got)
	}
}

// TestScorePairsSemEval checks the report on the dev pairs with the gold
// itself as the score (an oracle): correlations must be 1 and F1 1.
func TestScorePairsSemEval(t *testing.T) {
	const path = "data/semeval8-pairs-dev.jsonl"
	type rec struct {
		Lang1, Lang2 string
		Overall      float64
	}
	var ps []ScoredPair
	for _, r := range shared.JSONL[rec](t, path) {
		ps = append(ps, ScoredPair{Score: -r.Overall, Overall: r.Overall, Cross: r.Lang1 != r.Lang2})
	}
	rep := ScorePairs(ps)
	t.Logf("oracle on %s: %+v", path, rep)
	if rep.NCross == 0 || rep.NSame == 0 || rep.NPos == 0 || rep.NNeg == 0 {
		t.Fatalf("split is empty: %+v", rep)
	}
	if !near(rep.Pearson, 1) || !near(rep.PearsonSame, 1) || !near(rep.PearsonCross, 1) || !near(rep.F1, 1) {
		t.Errorf("oracle report = %+v, want correlations and F1 of 1", rep)
	}
}
