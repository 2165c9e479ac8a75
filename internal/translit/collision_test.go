package translit

import (
	"regexp"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

var capWord = regexp.MustCompile(`\b\p{Lu}\p{L}+`)

// TestKeyCollisionsECB measures how often different capitalised words of
// the ECB+ dev set share a key. Sentence-initial common words are included,
// so the rate is an upper bound for names.
func TestKeyCollisionsECB(t *testing.T) {
	types := map[string]bool{}
	for _, r := range shared.JSONL[struct{ Text string }](t, "data/ecbplus-dev.jsonl") {
		for _, w := range capWord.FindAllString(r.Text, -1) {
			types[Latin(w)] = true
		}
	}
	byKey := map[string]int{}
	for w := range types {
		byKey[Skeleton(w)]++
	}
	shared, long, longShared := 0, 0, 0
	var pairs float64
	for w := range types {
		n := byKey[Skeleton(w)]
		if n > 1 {
			shared++
		}
		if len(Skeleton(w)) >= 4 {
			long++
			if n > 1 {
				longShared++
			}
		}
	}
	for _, n := range byKey {
		pairs += float64(n) * float64(n-1) / 2
	}
	nt := float64(len(types))
	rate := float64(shared) / nt
	pairRate := pairs / (nt * (nt - 1) / 2)
	t.Logf("%d capitalised word types, %d keys; %.1f%% of types share a key with another type; "+
		"%.1f%% of the %d types with keys of >= 4 classes; random pair collision %.5f%%",
		len(types), len(byKey), 100*rate, 100*float64(longShared)/float64(long), long, 100*pairRate)
	// Keys of one or two classes (Paul/Bible/people: "bl") are ambiguous by
	// design; the bounds guard against a change that merges classes
	// wholesale (measured when written: 56.3%, 25.0%, 0.061%).
	if rate > 0.6 || float64(longShared)/float64(long) > 0.3 || pairRate > 0.001 {
		t.Errorf("keys too coarse: %.3f of types collide, %.3f of long keys, pair collision %.5f",
			rate, float64(longShared)/float64(long), pairRate)
	}
}
