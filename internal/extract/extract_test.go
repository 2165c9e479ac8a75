package extract

import (
	"context"
	"testing"

	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/shared"
)

// TestScrapinghubF1 holds shingle F1 on the checking half of the
// Scrapinghub benchmark to a floor: go-trafilatura alone scores 0.964
// there, Storyline 0.978 (TestRuleAblation compares them rule by rule).
func TestScrapinghubF1(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the Scrapinghub benchmark in -short mode")
	}
	dir := shared.Path(t, "data/extraction-scrapinghub")
	prf, n, err := EvalScrapinghubWith(context.Background(), dir, EvalOptions{Half: eval.Checking})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scrapinghub, checking half: %d pages P=%.4f R=%.4f F1=%.4f", n, prf.P, prf.R, prf.F1)
	if n < 80 {
		t.Errorf("scored %d pages, want the whole checking half (about 90)", n)
	}
	if prf.F1 < 0.97 {
		t.Errorf("shingle F1 = %.4f, want >= 0.97", prf.F1)
	}
}

func TestSiteHost(t *testing.T) {
	for _, c := range []struct{ site, want string }{
		{"127.0.0.1:8080", "127.0.0.1"},
		{"www.Example.com", "example.com"},
		{"example.com:443", "example.com"},
		{"Reuters", "reuters"},
		{"", ""},
	} {
		if got := siteHost(c.site); got != c.want {
			t.Errorf("siteHost(%q) = %q, want %q", c.site, got, c.want)
		}
	}
}
