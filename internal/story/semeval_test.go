package story

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/text"
)

type semPair struct {
	Pair    string  `json:"pair"`
	Lang1   string  `json:"lang1"`
	Lang2   string  `json:"lang2"`
	Text1   string  `json:"text1"`
	Text2   string  `json:"text2"`
	Overall float64 `json:"overall"`
}

type semResult struct {
	all, same, cross, f1 float64
	byLangs              map[string]float64 // Pearson per language pair ("de-en")
}

// runSemEval scores every pair with IDF fitted on all pair texts (as the
// reference did) and correlates the scores with -overall.
func runSemEval(pairs []semPair, p Pair) semResult {
	model := text.NewModel()
	dx := make([]*text.Doc, len(pairs))
	dy := make([]*text.Doc, len(pairs))
	for i, q := range pairs {
		dx[i] = p.Analyze(q.Lang1, "", q.Text1)
		dy[i] = p.Analyze(q.Lang2, "", q.Text2)
		model.Add(dx[i])
		model.Add(dy[i])
	}
	var sa, ga, ss, gs, sc, gc, sf []float64
	var pos []bool
	type series struct{ s, g []float64 }
	groups := make(map[string]*series)
	for i, q := range pairs {
		s := p.Docs(dx[i], dy[i], model)
		k := q.Lang1 + "-" + q.Lang2
		if groups[k] == nil {
			groups[k] = &series{}
		}
		groups[k].s, groups[k].g = append(groups[k].s, s), append(groups[k].g, -q.Overall)
		sa, ga = append(sa, s), append(ga, -q.Overall)
		if q.Lang1 == q.Lang2 {
			ss, gs = append(ss, s), append(gs, -q.Overall)
		} else {
			sc, gc = append(sc, s), append(gc, -q.Overall)
		}
		if q.Overall <= 1.5 || q.Overall >= 3 {
			sf = append(sf, s)
			pos = append(pos, q.Overall <= 1.5)
		}
	}
	by := make(map[string]float64, len(groups))
	for k, g := range groups {
		by[k] = pearson(g.s, g.g)
	}
	return semResult{pearson(sa, ga), pearson(ss, gs), pearson(sc, gc), bestF1(sf, pos), by}
}

func TestSemEvalPairs(t *testing.T) {
	pairs := readJSONL[semPair](t, shared.Path(t, "data/semeval8-pairs-dev.jsonl"))
	// Floors sit just under what the defaults reach (0.695 overall, 0.631
	// cross-language without a lexicon; 0.707 / 0.654 with one); the
	// reference TF-IDF cosine reaches 0.472 / 0.563.
	check := func(name string, r semResult, minAll, minCross float64) {
		t.Logf("SemEval-8 dev (%d pairs), %s: Pearson %.3f (same-language %.3f, cross-language %.3f), same-story F1 %.3f",
			len(pairs), name, r.all, r.same, r.cross, r.f1)
		keys := make([]string, 0, len(r.byLangs))
		for k := range r.byLangs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var sb strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&sb, " %s %.3f", k, r.byLangs[k])
		}
		t.Logf("%s, Pearson by language pair:%s", name, sb.String())
		if r.all < minAll || r.cross < minCross {
			t.Errorf("%s: Pearson %.3f / cross-language %.3f below floors %.3f / %.3f", name, r.all, r.cross, minAll, minCross)
		}
	}
	check("no lexicon", runSemEval(pairs, Pair{}), 0.69, 0.625)
	lex := loadLexicon(t, "ar", "de", "es", "fr", "it", "pl", "pt", "ru", "tr", "id")
	if lex == nil {
		return
	}
	var p Pair
	p.Analyzer.Translator = lex
	check("lexicon", runSemEval(pairs, p), 0.70, 0.645)
}

// loadLexicon loads the system's FreeDict dictionaries, or returns nil when
// they are not installed.
func loadLexicon(tb testing.TB, langs ...string) *lexicon.Lexicon {
	const dir = "/usr/share/dictd"
	if _, err := os.Stat(dir); err != nil {
		// CI installs them (.ci/apt-packages): there, a missing folder
		// would let the lexicon floors pass unchecked.
		if os.Getenv("CI") == "true" {
			tb.Fatalf("no dictionaries in %s (apt-get install $(grep -v '^#' .ci/apt-packages))", dir)
		}
		tb.Logf("no dictionaries in %s: running without a lexicon", dir)
		return nil
	}
	lex, err := lexicon.Load(context.Background(), dir, langs)
	if err != nil {
		tb.Fatalf("lexicon: %v", err)
	}
	return lex
}
