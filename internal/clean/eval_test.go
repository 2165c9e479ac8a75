package clean

import (
	"os"
	"sort"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

// f1Floor is a little under the score measured when the heuristics were
// last tuned; a drop below it is a regression.
const f1Floor = 0.93

func TestPlaintextScrapinghub(t *testing.T) {
	dir := shared.Path(t, "data/plaintext-scrapinghub")
	gt := shared.Path(t, "data/extraction-scrapinghub/ground-truth.json")
	prf, scores, err := evalPlaintext(dir, gt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("plaintext-scrapinghub: %d pages P=%.4f R=%.4f F1=%.4f", len(scores), prf.P, prf.R, prf.F1)
	// CLEAN_WORST=1 lists the 40 worst pages, CLEAN_WORST=all every page.
	if os.Getenv("CLEAN_WORST") != "" {
		sort.Slice(scores, func(i, j int) bool {
			return scores[i].P+scores[i].R < scores[j].P+scores[j].R
		})
		n := 40
		if os.Getenv("CLEAN_WORST") == "all" {
			n = len(scores)
		}
		for _, s := range scores[:min(n, len(scores))] {
			t.Logf("%s P=%.2f R=%.2f", s.Hash[:12], s.P, s.R)
		}
	}
	if prf.F1 < f1Floor {
		t.Errorf("F1 %.4f below floor %.2f", prf.F1, f1Floor)
	}
}
