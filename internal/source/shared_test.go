package source

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/shared"
)

var wordRE = regexp.MustCompile(`[\p{L}\p{N}_]{4,}`)

// TestSharedHTML reads the 181 gzipped benchmark pages, in whatever
// charsets they were saved, and checks that the words of each page's gold
// article text appear in the decoded body: mojibake from a wrong charset
// would lose the non-ASCII words.
func TestSharedHTML(t *testing.T) {
	dir := shared.Path(t, "data/extraction-scrapinghub")
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gold map[string]struct {
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatal(err)
	}
	items := collect(t, []string{filepath.Join(dir, "html")}, Options{})
	if len(items) != len(gold) {
		t.Fatalf("got %d pages, want %d", len(items), len(gold))
	}
	var sum float64
	worst, worstPage, checked := 1.0, "", 0
	for _, it := range items {
		if it.Err != nil {
			t.Errorf("%s: %v", it.Page.Input, it.Err)
			continue
		}
		if it.Page.Kind != article.KindHTML {
			t.Errorf("%s: kind %v", it.Page.Input, it.Page.Kind)
		}
		key := strings.TrimSuffix(filepath.Base(it.Page.Input), ".html.gz")
		body := html.UnescapeString(string(it.Page.Body))
		have := make(map[string]bool)
		for _, w := range wordRE.FindAllString(body, -1) {
			have[w] = true
		}
		var found, total int
		for _, w := range wordRE.FindAllString(gold[key].ArticleBody, -1) {
			if !isASCII(w) {
				total++
				if have[w] {
					found++
				}
			}
		}
		if total < 5 {
			sum++
			continue
		}
		r := float64(found) / float64(total)
		sum += r
		checked++
		if r < worst {
			worst, worstPage = r, key
		}
	}
	mean := sum / float64(len(items))
	t.Logf("non-ASCII gold words found in decoded bodies: mean %.3f, worst %.3f (%s), %d pages checked", mean, worst, worstPage, checked)
	if checked < 10 {
		t.Errorf("only %d pages with non-ASCII words: the check says nothing", checked)
	}
	if mean < 0.97 || worst < 0.5 {
		t.Errorf("charset decoding loses words: mean %.3f worst %.3f (%s)", mean, worst, worstPage)
	}
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

func TestSharedSeeds(t *testing.T) {
	dir := shared.Path(t, "seeds")
	items := collect(t, []string{dir}, Options{})
	if len(items) != 5 {
		t.Fatalf("got %d seed pages, want 5", len(items))
	}
	arabicLetters := 0
	for _, it := range items {
		if it.Err != nil || it.Page.Kind != article.KindText || len(it.Page.Body) < 500 {
			t.Errorf("%s: err %v kind %v len %d", it.Page.Input, it.Err, it.Page.Kind, len(it.Page.Body))
		}
		for _, r := range string(it.Page.Body) {
			if unicode.Is(unicode.Arabic, r) {
				arabicLetters++
			}
		}
	}
	if arabicLetters < 100 {
		t.Errorf("only %d Arabic letters in the seeds; one seed is Arabic", arabicLetters)
	}
}

func TestSharedPlainText(t *testing.T) {
	dir := shared.Path(t, "data/plaintext-scrapinghub")
	var st Stats
	items := collect(t, []string{dir}, Options{Stats: &st})
	if len(items) < 100 {
		t.Fatalf("got %d items", len(items))
	}
	for _, it := range items {
		if it.Err != nil || it.Page.Kind != article.KindText || len(it.Page.Body) == 0 {
			t.Errorf("%s: err %v kind %v", it.Page.Input, it.Err, it.Page.Kind)
		}
	}
	if st.Skipped.Load() != 0 {
		t.Errorf("%d files skipped", st.Skipped.Load())
	}
}
