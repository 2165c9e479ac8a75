package story

import (
	"fmt"
	"github.com/storyline/storyline/internal/article"
	"math"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/text"
)

// TestECBSweep explores parameters on the dev set; it runs only with
// STORY_SWEEP=1 and is a tuning aid, not a check.
func TestECBSweep(t *testing.T) {
	if os.Getenv("STORY_SWEEP") == "" {
		t.Skip("set STORY_SWEEP=1 to sweep parameters")
	}
	docs := readJSONL[ecbDoc](t, shared.Path(t, "data/ecbplus-dev.jsonl"))
	for _, th := range []float64{0.1, 0.13, 0.16, 0.2, 0.25} {
		bc, pw := runECB(docs, Config{Threshold: th, AverageLink: true}, 0)
		t.Logf("avg th %.2f: B3 P %.3f R %.3f F1 %.3f pw F1 %.3f", th, bc.P, bc.R, bc.F1, pw.F1)
	}
}

func TestECBDiag(t *testing.T) {
	if os.Getenv("STORY_SWEEP") == "" {
		t.Skip("set STORY_SWEEP=1")
	}
	docs := readJSONL[ecbDoc](t, shared.Path(t, "data/ecbplus-dev.jsonl"))
	w := text.DefaultWeights
	w.Entity, w.Number = 2, 1
	a := New(Config{Threshold: 0.3, Link: 0.01, Weights: w}, nil)
	pred := map[int64][]int{}
	for i, d := range docs {
		art := &article.Article{ID: int64(i + 1), Lang: d.Lang, Text: d.Text}
		a.Assign(art)
		pred[art.Story] = append(pred[art.Story], i)
	}
	topic := func(s string) string { return strings.TrimRight(s, "ab") }
	var within, across, pure int
	for _, ids := range pred {
		c := map[string]int{}
		for _, i := range ids {
			c[docs[i].Story]++
		}
		if len(c) == 1 {
			pure++
			continue
		}
		tops := map[string]bool{}
		for g := range c {
			tops[topic(g)] = true
		}
		if len(tops) == 1 {
			within++
		} else {
			across++
		}
		t.Logf("mixed story %v", c)
	}
	t.Logf("stories %d pure %d mixed-within-topic %d mixed-across %d", len(pred), pure, within, across)
	frag := map[string]map[int64]int{}
	for sid, ids := range pred {
		for _, i := range ids {
			g := docs[i].Story
			if frag[g] == nil {
				frag[g] = map[int64]int{}
			}
			frag[g][sid]++
		}
	}
	for g, m := range frag {
		if len(m) > 2 {
			t.Logf("gold %s split into %v", g, m)
		}
	}
}

func TestSplitDiag(t *testing.T) {
	if os.Getenv("STORY_SWEEP") == "" {
		t.Skip("set STORY_SWEEP=1")
	}
	docs := readJSONL[ecbDoc](t, shared.Path(t, "data/ecbplus-dev.jsonl"))
	w := text.DefaultWeights
	w.Entity, w.Number = 2, 1
	a := New(Config{Threshold: 0.3, Weights: w}, nil)
	for i, d := range docs {
		a.Assign(&article.Article{ID: int64(i + 1), Lang: d.Lang, Text: d.Text})
	}
	for _, id := range a.sortedIDs() {
		s := a.stories[id]
		a.refresh(s)
		if len(s.members) < 6 {
			continue
		}
		x, y := bisect(s.members)
		wx, b := cohesion(x, y)
		wy, _ := cohesion(y, nil)
		gx, gy := map[string]int{}, map[string]int{}
		for _, m := range x {
			gx[docs[m.id-1].Story]++
		}
		for _, m := range y {
			gy[docs[m.id-1].Story]++
		}
		ex, ey := map[uint32]float64{}, map[uint32]float64{}
		var nx, ny float64
		for _, m := range x {
			addVec(ex, &nx, m.ents, 1)
		}
		for _, m := range y {
			addVec(ey, &ny, m.ents, 1)
		}
		var d float64
		for k, w := range ex {
			d += w * ey[k]
		}
		ec := d / math.Sqrt(nx*ny)
		t.Logf("story %d: within %.3f %.3f between %.3f ratio %.2f ent %.2f  %v | %v", id, wx, wy, b, b/math.Min(wx, wy), ec, gx, gy)
	}
}

func TestSemSweep(t *testing.T) {
	if os.Getenv("STORY_SWEEP") == "" {
		t.Skip("set STORY_SWEEP=1")
	}
	pairs := readJSONL[semPair](t, shared.Path(t, "data/semeval8-pairs-dev.jsonl"))
	for _, pow := range []float64{0.5} {
		for _, ent := range []float64{1, 2} {
			for _, num := range []float64{0, 0.5, 1} {
				for _, cross := range []float64{1, 1.5} {
					w := text.DefaultWeights
					w.Entity, w.Cognate = ent, num
					r := runSemEval(pairs, Pair{Weights: w, Cross: cross, Power: pow})
					t.Logf("pow %.1f ent %.1f cog %.1f cross %.1f: all %.3f same %.3f cross %.3f f1 %.3f", pow, ent, num, cross, r.all, r.same, r.cross, r.f1)
				}
			}
		}
	}
}

func TestSemLangs(t *testing.T) {
	if os.Getenv("STORY_SWEEP") == "" {
		t.Skip("set STORY_SWEEP=1")
	}
	pairs := readJSONL[semPair](t, shared.Path(t, "data/semeval8-pairs-dev.jsonl"))
	for _, tr := range []float64{1, 0.3} {
		for _, cog := range []float64{0.5, 1} {
			w := PairWeights
			w.Translit, w.Cognate = tr, cog
			p := Pair{Weights: w}
			model := text.NewModel()
			dx := make([]*text.Doc, len(pairs))
			dy := make([]*text.Doc, len(pairs))
			for i, q := range pairs {
				dx[i] = p.Analyzer.Analyze(q.Lang1, "", q.Text1)
				dy[i] = p.Analyzer.Analyze(q.Lang2, "", q.Text2)
				model.Add(dx[i])
				model.Add(dy[i])
			}
			s, g := map[string][]float64{}, map[string][]float64{}
			var all, allg []float64
			for i, q := range pairs {
				k := q.Lang1 + "-" + q.Lang2
				v := p.Docs(dx[i], dy[i], model)
				s[k] = append(s[k], v)
				g[k] = append(g[k], -q.Overall)
				all, allg = append(all, v), append(allg, -q.Overall)
			}
			var ks []string
			for k := range s {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			line := fmt.Sprintf("tr %.1f cog %.1f all %.3f:", tr, cog, pearson(all, allg))
			for _, k := range ks {
				line += fmt.Sprintf(" %s %.2f", k, pearson(s[k], g[k]))
			}
			t.Log(line)
		}
	}
}

func TestMaintainDiag(t *testing.T) {
	if os.Getenv("STORY_SWEEP") == "" {
		t.Skip("set STORY_SWEEP=1")
	}
	docs := readJSONL[ecbDoc](t, shared.Path(t, "data/ecbplus-dev.jsonl"))
	a := New(Config{}, nil)
	arts := make([]*article.Article, len(docs))
	for i, d := range docs {
		arts[i] = &article.Article{ID: int64(i + 1), Lang: d.Lang, Text: d.Text}
		a.Assign(arts[i])
	}
	measure := func(step string) {
		pred := make([]string, len(docs))
		gold := make([]string, len(docs))
		for i, d := range docs {
			pred[i] = fmt.Sprint(a.owner[int64(i+1)])
			gold[i] = d.Story
		}
		bc := bcubed(pred, gold)
		t.Logf("%s: stories %d B3 P %.3f R %.3f F1 %.3f", step, len(a.stories), bc.P, bc.R, bc.F1)
	}
	measure("stream")
	for _, id := range a.sortedIDs() {
		s := a.stories[id]
		s.docsAt = 0
		a.refresh(s)
	}
	measure("refresh")
	for round := 0; round < 3; round++ {
		n := 0
		for _, id := range a.sortedIDs() {
			if s := a.stories[id]; s != nil {
				n += len(a.reassign(s, 0))
			}
		}
		measure(fmt.Sprintf("reassign %d (%d moves)", round, n))
	}
	n := 0
	for _, id := range a.sortedIDs() {
		if s := a.stories[id]; s != nil {
			if _, ok := a.trySplit(s); ok {
				n++
			}
		}
	}
	measure(fmt.Sprintf("split (%d)", n))
}
