package story

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"sort"
	"testing"
)

// prf is precision, recall and F1.
type prf struct{ P, R, F1 float64 }

func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// bcubed scores predicted clusters against gold ones, averaged over items.
func bcubed(pred, gold []string) prf {
	pc, gc, both := map[string]int{}, map[string]int{}, map[[2]string]int{}
	for i := range pred {
		pc[pred[i]]++
		gc[gold[i]]++
		both[[2]string{pred[i], gold[i]}]++
	}
	var p, r float64
	for i := range pred {
		n := float64(both[[2]string{pred[i], gold[i]}])
		p += n / float64(pc[pred[i]])
		r += n / float64(gc[gold[i]])
	}
	p /= float64(len(pred))
	r /= float64(len(pred))
	return prf{p, r, harmonic(p, r)}
}

// pairwise scores predicted clusters over pairs of items placed together.
func pairwise(pred, gold []string) prf {
	pairs := func(m map[string]int) float64 {
		var s float64
		for _, n := range m {
			s += float64(n*(n-1)) / 2
		}
		return s
	}
	pc, gc, both := map[string]int{}, map[string]int{}, map[string]int{}
	for i := range pred {
		pc[pred[i]]++
		gc[gold[i]]++
		both[pred[i]+"\x00"+gold[i]]++
	}
	tp, pp, gp := pairs(both), pairs(pc), pairs(gc)
	var p, r float64
	if pp > 0 {
		p = tp / pp
	}
	if gp > 0 {
		r = tp / gp
	}
	return prf{p, r, harmonic(p, r)}
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// bestF1 is the best-threshold F1 of score ≥ t for positives among items
// that are labelled either way.
func bestF1(score []float64, pos []bool) float64 {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
	total := 0
	for _, p := range pos {
		if p {
			total++
		}
	}
	best, tp := 0.0, 0
	for k, i := range idx {
		if pos[i] {
			tp++
		}
		if f := harmonic(float64(tp)/float64(k+1), float64(tp)/float64(total)); f > best {
			best = f
		}
	}
	return best
}

func readJSONL[T any](tb testing.TB, path string) []T {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestMetrics(t *testing.T) {
	gold := []string{"a", "a", "b", "b"}
	if got := bcubed(gold, gold); got.F1 != 1 {
		t.Errorf("bcubed perfect = %v", got)
	}
	one := []string{"x", "x", "x", "x"}
	if got := bcubed(one, gold); got.R != 1 || got.P != 0.5 {
		t.Errorf("bcubed one cluster = %v", got)
	}
	if got := pairwise(one, gold); got.R != 1 || math.Abs(got.P-2.0/6) > 1e-9 {
		t.Errorf("pairwise one cluster = %v", got)
	}
	if got := pearson([]float64{1, 2, 3}, []float64{2, 4, 6}); math.Abs(got-1) > 1e-9 {
		t.Errorf("pearson = %v", got)
	}
}
