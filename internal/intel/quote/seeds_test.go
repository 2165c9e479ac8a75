package quote

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

// seed reads one of the shared seed scrapes by its number prefix.
func seed(t *testing.T, n string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(shared.Path(t, "seeds"), n+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s: %v matches (%v)", n, m, err)
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSeeds finds Ishiba's quote in two English reports of the NATO
// chief's Tokyo visit, and Nakatani's and Rutte's in the Arabic one, with
// and without the people an entity stage would give.
func TestSeeds(t *testing.T) {
	tests := []struct {
		seed, lang, quote, speaker string
		people                     []string
	}{
		{"001", "en", "A stronger NATO will benefit Japan greatly", "Ishiba", []string{"Shigeru Ishiba", "Ishiba", "Mark Rutte", "Rutte"}},
		{"004", "en", "A stronger NATO will benefit Japan greatly", "Ishiba", []string{"Shigeru Ishiba", "Ishiba", "Mark Rutte", "Rutte"}},
		{"003", "ar", "تواجه كل من اليابان وناتو", "ناكاتاني", []string{"ناكاتاني", "مارك روت", "روت", "روتي"}},
		{"003", "ar", "الصين تدعم جهود روسيا", "روتي", []string{"ناكاتاني", "مارك روت", "روت", "روتي"}},
	}
	for _, tt := range tests {
		text := seed(t, tt.seed)
		for _, people := range [][]Span{nil, spansOf(text, tt.people)} {
			found := false
			for _, q := range Extract(tt.lang, text, people) {
				if strings.HasPrefix(q.Text, tt.quote) {
					found = true
					if q.Speaker != tt.speaker {
						t.Errorf("seed %s, %d people: %q said by %q (%s), want %q", tt.seed, len(people), tt.quote, q.Speaker, q.Via, tt.speaker)
					}
				}
			}
			if !found {
				t.Errorf("seed %s: quote %q not found", tt.seed, tt.quote)
			}
		}
	}
}
