package clean

import (
	"os"
	"sort"
	"testing"

	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/shared"
)

// f1Floor gates shingle F1 on the checking half of plaintext-scrapinghub
// (the 86 pages whose eval.HalfOf(hash) is Checking), which no rule was
// tuned on. Measured 0.9324 there (tuning half 0.9461). Letting prefix and
// contains rules fire only on lines that do not read as prose cost 0.0014
// on this half (0.9338 before): promos written as full sentences ("Get
// the day's top headlines delivered to your inbox every morning.") now
// stay when they sit next to the body. That is the right trade for never
// deleting a sentence of the article. The floor sits a little under the
// measurement so that a real regression fails and a rounding change does
// not.
const f1Floor = 0.93

func TestPlaintextScrapinghub(t *testing.T) {
	dir := shared.Path(t, "data/plaintext-scrapinghub")
	gt := shared.Path(t, "data/extraction-scrapinghub/ground-truth.json")
	for _, h := range []eval.Half{eval.Tuning, eval.Checking} {
		prf, scores, err := evalPlaintext(dir, gt, h)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("plaintext-scrapinghub %s half: %d pages P=%.4f R=%.4f F1=%.4f", h, len(scores), prf.P, prf.R, prf.F1)
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
		if h == eval.Checking && prf.F1 < f1Floor {
			t.Errorf("checking-half F1 %.4f below floor %.3f", prf.F1, f1Floor)
		}
	}
}
