package figure

import (
	"os"
	"path/filepath"
	"testing"
	"unicode"

	"github.com/storyline/storyline/internal/shared"
)

// TestSeeds runs Extract on the shared seed pages (real scraped articles
// about one event). It asserts little on purpose: every figure's offsets
// are sound, and the English pages' defence targets as a share of GDP are
// found at least once.
func TestSeeds(t *testing.T) {
	dir := shared.Path(t, "seeds")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed pages in %s: %v", dir, err)
	}
	gdp := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		lang := "en"
		if mostlyArabic(s) {
			lang = "ar"
		}
		for _, fig := range Extract(lang, s) {
			if !validUTF8Offsets(s, fig.Start, fig.End) || s[fig.Start:fig.End] != fig.Text {
				t.Errorf("%s: bad offsets %d..%d for %q", filepath.Base(f), fig.Start, fig.End, fig.Text)
			}
			if fig.Unit == "%" && ofKey(lang, fig, false, nil) == "gdp" {
				gdp++
			}
		}
	}
	if gdp == 0 {
		t.Errorf("no %% of GDP figure found in the seed pages")
	}
}

func mostlyArabic(s string) bool {
	ar, letters := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Arabic, r) {
				ar++
			}
		}
	}
	return ar*2 > letters
}
