package extract

import (
	"context"
	"fmt"
	"strings"
	"testing"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/shared"
)

// halfScores is one configuration's score on each half of the set.
type halfScores map[eval.Half]eval.PRF

// ablation scores configurations on the Scrapinghub pages. The extractors'
// raw output depends only on the focus and the readability switch, so it is
// computed once per page for each and the rules are applied to copies.
type ablation struct {
	pages []ScrapinghubPage
	raw   map[htmlConfig][]*extraction // by cfg with post-extraction rules cleared
}

// ruleConfigs returns the configurations that measure rule r: the kept
// rules with it (all kept, and r, for a dropped rule) and without it
// (leave one out); go-trafilatura with the kept focus plus r alone, and
// with no rule at all.
func ruleConfigs(r rule) (with, without, one, zero htmlConfig) {
	with = defaultConfig
	with.rules |= r
	without = with
	without.rules &^= r
	one, zero = defaultConfig, defaultConfig
	one.rules, zero.rules = r, 0
	return with, without, one, zero
}

func newAblation(t *testing.T) *ablation {
	pages, err := LoadScrapinghub(shared.Path(t, "data/extraction-scrapinghub"))
	if err != nil {
		t.Fatal(err)
	}
	return &ablation{pages: pages, raw: map[htmlConfig][]*extraction{}}
}

// score extracts every page with cfg and scores the tuning half, the
// checking half and the whole set.
func (ab *ablation) score(t *testing.T, cfg htmlConfig) halfScores {
	t.Helper()
	key := cfg
	key.rules &= preRules
	// With no combine rule readability's paragraphs are unused, so one
	// raw run serves configurations with and without it.
	key.readability = true
	raws, ok := ab.raw[key]
	if !ok {
		ctx := context.Background()
		raws = make([]*extraction, len(ab.pages))
		for i, pg := range ab.pages {
			x, err := extractRaw(ctx, article.Page{Input: pg.Hash, URL: pg.URL, Kind: article.KindHTML}, pg.HTML, key)
			if err != nil {
				t.Fatalf("%s: %v", pg.Hash, err)
			}
			raws[i] = x
		}
		ab.raw[key] = raws
	}
	acc := map[eval.Half]*eval.ShingleF1{eval.All: {}, eval.Tuning: {}, eval.Checking: {}}
	for i, pg := range ab.pages {
		pred := ""
		if paras, err := raws[i].paragraphs(cfg.rules, pg.URL); err == nil {
			pred = strings.Join(paras, "\n\n")
		}
		acc[eval.All].Add(pred, pg.Gold)
		acc[eval.HalfOf(pg.Hash)].Add(pred, pg.Gold)
	}
	out := halfScores{}
	for h, s := range acc {
		out[h] = s.Result()
	}
	return out
}

func fmtPRF(m eval.PRF) string { return fmt.Sprintf("P %.4f R %.4f F1 %.4f", m.P, m.R, m.F1) }

// TestRuleAblation measures every rule applied on top of go-trafilatura
// with and without it, and fails when a kept rule loses shingle F1 on the
// checking half (removing it scores higher) or when Storyline's recall
// or F1 there falls below go-trafilatura alone. -v prints the table.
func TestRuleAblation(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the rule ablation over the 181-page benchmark in -short mode")
	}
	ab := newAblation(t)
	alone := ab.score(t, trafilaturaAlone)
	kept := ab.score(t, defaultConfig)
	var b strings.Builder
	row := func(name string, s halfScores) {
		fmt.Fprintf(&b, "%-52s | %s | %s | %s\n", name, fmtPRF(s[eval.Tuning]), fmtPRF(s[eval.Checking]), fmtPRF(s[eval.All]))
	}
	fmt.Fprintf(&b, "%-52s | %-28s | %-28s | %s\n", "configuration", "tuning", "checking", "all")
	row("go-trafilatura alone", alone)
	recall := trafilaturaAlone
	recall.focus = trafilatura.FavorRecall
	row("go-trafilatura, FavorRecall", ab.score(t, recall))
	row("storyline (kept rules)", kept)
	other := defaultConfig
	other.focus = trafilatura.FavorRecall
	if defaultConfig.focus == trafilatura.FavorRecall {
		other.focus = trafilatura.Balanced
	}
	os := ab.score(t, other)
	focusName := map[trafilatura.ExtractionFocus]string{trafilatura.Balanced: "Balanced", trafilatura.FavorRecall: "FavorRecall"}
	row("storyline with focus "+focusName[other.focus], os)
	if d := kept[eval.Checking].F1 - os[eval.Checking].F1; d < 0 {
		t.Errorf("the other focus scores %.4f more F1 on the checking half", -d)
	}
	fmt.Fprintf(&b, "\nleave one out: kept rules with minus without this one; alone: go-trafilatura plus this rule only\n")
	fmt.Fprintf(&b, "%-52s | %-8s %-8s %-8s | %-12s | verdict\n", "rule", "ΔF1 tun", "ΔF1 chk", "ΔR chk", "alone ΔF1 chk")
	for _, rn := range ruleNames {
		with, without, one, zero := ruleConfigs(rn.r)
		ws := kept
		if with.rules != defaultConfig.rules {
			ws = ab.score(t, with)
		}
		wo := ab.score(t, without)
		dT := ws[eval.Tuning].F1 - wo[eval.Tuning].F1
		dC := ws[eval.Checking].F1 - wo[eval.Checking].F1
		dR := ws[eval.Checking].R - wo[eval.Checking].R
		ones, zs := ab.score(t, one), ab.score(t, zero)
		dA := ones[eval.Checking].F1 - zs[eval.Checking].F1
		isKept := keptRules&rn.r != 0
		verdict := "dropped"
		if isKept {
			verdict = "kept"
		}
		fmt.Fprintf(&b, "%-52s | %+.4f  %+.4f  %+.4f  | %+.4f        | %s\n", rn.name, dT, dC, dR, dA, verdict)
		if isKept && dC < 0 {
			t.Errorf("kept rule %q loses %.4f F1 on the checking half", rn.name, -dC)
		}
	}
	t.Logf("shingle P/R/F1 on the Scrapinghub set, halves by eval.HalfOf(page hash):\n%s", b.String())
	c, a := kept[eval.Checking], alone[eval.Checking]
	if c.R < a.R {
		t.Errorf("checking-half recall %.4f is below go-trafilatura alone's %.4f", c.R, a.R)
	}
	if c.F1 < a.F1 {
		t.Errorf("checking-half F1 %.4f is below go-trafilatura alone's %.4f", c.F1, a.F1)
	}
}
