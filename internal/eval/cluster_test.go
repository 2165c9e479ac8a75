package eval

import (
	"fmt"
	"math"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func checkPRF(t *testing.T, name string, got, want PRF) {
	t.Helper()
	if !near(got.P, want.P) || !near(got.R, want.R) || !near(got.F1, want.F1) {
		t.Errorf("%s = %+v, want %+v", name, got, want)
	}
}

// Hand-made gold: G1 = {a b c}, G2 = {d e}, G3 = {f}.
var handGold = map[string]string{"a": "G1", "b": "G1", "c": "G1", "d": "G2", "e": "G2", "f": "G3"}

func TestClusterMetrics(t *testing.T) {
	tests := []struct {
		name         string
		pred         map[string]string
		pairs, bcube PRF
	}{
		{
			// pred P1 = {a b}, P2 = {c d e}, f missing (a singleton), z not in
			// gold (ignored).
			// Pairwise: gold pairs ab ac bc de = 4; pred pairs ab cd ce de = 4;
			// both: ab de = 2. P = 2/4, R = 2/4, F1 = 0.5.
			// BCubed per item (P, R): a (2/2, 2/3), b (1, 2/3), c (1/3, 1/3),
			// d (2/3, 2/2), e (2/3, 1), f (1, 1).
			// P = (1+1+1/3+2/3+2/3+1)/6 = (14/3)/6 = 7/9;
			// R = (2/3+2/3+1/3+1+1+1)/6 = (14/3)/6 = 7/9; F1 = 7/9.
			name:  "mixed",
			pred:  map[string]string{"a": "P1", "b": "P1", "c": "P2", "d": "P2", "e": "P2", "z": "P1"},
			pairs: PRF{0.5, 0.5, 0.5},
			bcube: PRF{7.0 / 9, 7.0 / 9, 7.0 / 9},
		},
		{
			// All singletons: no predicted pairs, so pairwise P = 1 (nothing
			// wrong), R = 0, F1 = 0. BCubed P = 1; R = (3·1/3 + 2·1/2 + 1)/6 = 1/2;
			// F1 = 2·1·0.5/1.5 = 2/3.
			name:  "all singletons",
			pred:  map[string]string{},
			pairs: PRF{1, 0, 0},
			bcube: PRF{1, 0.5, 2.0 / 3},
		},
		{
			// One cluster: pred pairs C(6,2) = 15, of which 4 gold: P = 4/15,
			// R = 1, F1 = (8/15)/(19/15) = 8/19. BCubed P = (3·3/6 + 2·2/6 +
			// 1/6)/6 = 7/18, R = 1, F1 = (14/18)/(25/18) = 14/25.
			name:  "one cluster",
			pred:  map[string]string{"a": "X", "b": "X", "c": "X", "d": "X", "e": "X", "f": "X"},
			pairs: PRF{4.0 / 15, 1, 8.0 / 19},
			bcube: PRF{7.0 / 18, 1, 14.0 / 25},
		},
		{
			name:  "perfect, other labels",
			pred:  map[string]string{"a": "1", "b": "1", "c": "1", "d": "2", "e": "2", "f": "3"},
			pairs: PRF{1, 1, 1},
			bcube: PRF{1, 1, 1},
		},
		{
			// The implicit singleton of f must not join a real cluster that
			// happens to be labelled "f": pred is {a b c} = "f", {d e} = "x",
			// f missing, which is the gold partition.
			name:  "label equal to a missing item",
			pred:  map[string]string{"a": "f", "b": "f", "c": "f", "d": "x", "e": "x"},
			pairs: PRF{1, 1, 1},
			bcube: PRF{1, 1, 1},
		},
	}
	for _, tt := range tests {
		checkPRF(t, tt.name+" Pairwise", Pairwise(tt.pred, handGold), tt.pairs)
		checkPRF(t, tt.name+" BCubed", BCubed(tt.pred, handGold), tt.bcube)
	}
}

func TestClusterMetricsEmpty(t *testing.T) {
	one := PRF{1, 1, 1}
	checkPRF(t, "Pairwise(nil, nil)", Pairwise(nil, nil), one)
	checkPRF(t, "BCubed(nil, nil)", BCubed(nil, nil), one)
	// Gold without pairs: pairwise recall is vacuous, precision counts the
	// wrong joins.
	gold := map[string]string{"a": "1", "b": "2"}
	checkPRF(t, "Pairwise singletons gold", Pairwise(map[string]string{"a": "x", "b": "x"}, gold), PRF{0, 1, 0})
	checkPRF(t, "BCubed singletons gold", BCubed(map[string]string{"a": "x", "b": "x"}, gold), PRF{0.5, 1, 2.0 / 3})
}

// TestClusterMetricsECB scores the trivial baselines on the ECB+ gold: the
// gold against itself is perfect, and all-singletons has BCubed precision
// 1 and the recall implied by the story sizes.
func TestClusterMetricsECB(t *testing.T) {
	const path = "data/ecbplus-dev.jsonl"
	gold := map[string]string{}
	for _, r := range shared.JSONL[struct{ ID, Story string }](t, path) {
		gold[r.ID] = r.Story
	}
	if len(gold) < 100 {
		t.Fatalf("only %d articles in %s", len(gold), path)
	}
	checkPRF(t, "BCubed(gold, gold)", BCubed(gold, gold), PRF{1, 1, 1})
	checkPRF(t, "Pairwise(gold, gold)", Pairwise(gold, gold), PRF{1, 1, 1})
	sizes := map[string]int{}
	for _, s := range gold {
		sizes[s]++
	}
	// Each item of a story of n recalls 1/n of it, so the recall sums to
	// the number of stories.
	wantR := float64(len(sizes)) / float64(len(gold))
	got := BCubed(nil, gold)
	if !near(got.P, 1) || !near(got.R, wantR) {
		t.Errorf("BCubed(singletons) = %+v, want P 1, R %v", got, wantR)
	}
	checkPRF(t, "Pairwise(singletons)", Pairwise(nil, gold), PRF{1, 0, 0})
	t.Logf("ECB+ %d articles, %d stories; singletons BCubed R %.3f", len(gold), len(sizes), wantR)
}

func FuzzClusterMetrics(f *testing.F) {
	f.Add([]byte("aab"), []byte("abb"))
	f.Add([]byte(""), []byte("x"))
	f.Fuzz(func(t *testing.T, p, g []byte) {
		gold, pred := map[string]string{}, map[string]string{}
		for i, c := range g {
			gold[string(rune('A'+i%50))+string(rune(i))] = string(c)
		}
		i := 0
		for k := range gold {
			if i < len(p) && p[i]%5 != 0 {
				pred[k] = string(p[i])
			}
			i++
		}
		for _, m := range []PRF{Pairwise(pred, gold), BCubed(pred, gold)} {
			for _, v := range []float64{m.P, m.R, m.F1} {
				if math.IsNaN(v) || v < 0 || v > 1+1e-12 {
					t.Fatalf("metric out of range: %+v", m)
				}
			}
		}
		if m := BCubed(gold, gold); !near(m.F1, 1) {
			t.Fatalf("BCubed(gold, gold) = %+v", m)
		}
	})
}

func BenchmarkBCubed(b *testing.B) {
	gold, pred := map[string]string{}, map[string]string{}
	for i := 0; i < 10000; i++ {
		k := string(rune(0x4E00 + i))
		gold[k] = string(rune('a' + i%60))
		pred[k] = string(rune('a' + i%45))
	}
	b.ReportAllocs()
	for b.Loop() {
		BCubed(pred, gold)
		Pairwise(pred, gold)
	}
	b.ReportMetric(float64(len(gold)*b.N)/b.Elapsed().Seconds(), "items/s")
}

func TestHalfOfIsFixedAndBalanced(t *testing.T) {
	// The split must never move: these halves were computed once outside
	// Go (FNV-1a by hand) and pin the hash.
	for id, want := range map[string]Half{"a": Tuning, "cnn.304478": Tuning, "w22-000000": Checking} {
		if got := HalfOf(id); got != want {
			t.Errorf("HalfOf(%q) = %v, want %v", id, got, want)
		}
	}
	n := [3]int{}
	for i := range 1000 {
		n[HalfOf(fmt.Sprintf("doc-%d", i))]++
	}
	if n[Tuning] < 450 || n[Checking] < 450 {
		t.Errorf("split of 1000 ids: %d tuning, %d checking; want about half each", n[Tuning], n[Checking])
	}
	if !All.In("x") || Tuning.In("x") == Checking.In("x") {
		t.Error("an id must be in All and in exactly one half")
	}
	for _, s := range []string{"all", "tuning", "checking"} {
		if h, ok := ParseHalf(s); !ok || h.String() != s {
			t.Errorf("ParseHalf(%q) = %v, %v", s, h, ok)
		}
	}
}
