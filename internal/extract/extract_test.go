package extract

import (
	"context"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

// TestScrapinghubF1 runs the whole Scrapinghub article-extraction benchmark
// and holds the body text to shingle F1 >= 0.96 (go-trafilatura alone
// scores 0.960).
func TestScrapinghubF1(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 181-page benchmark in -short mode")
	}
	dir := shared.Path(t, "data/extraction-scrapinghub")
	prf, n, err := EvalScrapinghub(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scrapinghub: %d pages P=%.4f R=%.4f F1=%.4f", n, prf.P, prf.R, prf.F1)
	if n < 100 {
		t.Errorf("scored %d pages, want the whole set (181)", n)
	}
	if prf.F1 < 0.96 {
		t.Errorf("shingle F1 = %.4f, want >= 0.96", prf.F1)
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
