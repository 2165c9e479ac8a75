package story

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/eval"
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
	all := shared.JSONL[semPair](t, "data/semeval8-pairs-dev.jsonl")
	lex := loadLexicon(t, "ar", "de", "es", "fr", "it", "pl", "pt", "ru", "tr", "id")
	// Floors are gated on the checking half (cut by the pair id's hash),
	// which no tuning looked at, just under what the defaults reach
	// there; the tuning half is logged. The reference TF-IDF cosine
	// reaches 0.472 overall / 0.563 cross-language on the whole set.
	floors := map[bool][2]float64{false: {0.66, 0.61}, true: {0.67, 0.63}} // by lexicon: overall, cross-language
	for _, half := range []eval.Half{eval.Tuning, eval.Checking} {
		var pairs []semPair
		for _, p := range all {
			if half.In(p.Pair) {
				pairs = append(pairs, p)
			}
		}
		check := func(withLex bool, r semResult) {
			name := fmt.Sprintf("%s half, lexicon %v", half, withLex)
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
			f := floors[withLex]
			if half == eval.Checking && (r.all < f[0] || r.cross < f[1]) {
				t.Errorf("%s: Pearson %.3f / cross-language %.3f below floors %.3f / %.3f", name, r.all, r.cross, f[0], f[1])
			}
		}
		check(false, runSemEval(pairs, Pair{}))
		if lex == nil {
			continue
		}
		var p Pair
		p.Analyzer.Translator = lex
		check(true, runSemEval(pairs, p))
	}
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
