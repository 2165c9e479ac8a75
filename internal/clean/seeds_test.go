package clean

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/shared"
)

// seed reads one of the shared seed scrapes by its number prefix.
func seed(t *testing.T, n string) string {
	t.Helper()
	dir := shared.Path(t, "seeds")
	m, err := filepath.Glob(filepath.Join(dir, n+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s: %v matches (%v)", n, m, err)
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// inputParas returns the trimmed non-empty lines of a scrape.
func inputParas(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func count(ps []string, p string) int {
	n := 0
	for _, q := range ps {
		if q == p {
			n++
		}
	}
	return n
}

func checkDate(t *testing.T, got time.Time, y int, m time.Month, d int) {
	t.Helper()
	if want := day(y, m, d); !got.Equal(want) {
		t.Errorf("Published = %v, want %v", got, want)
	}
}

// Seed 000: a repeated paragraph, platform disclaimers and an editor line.
func TestSeedRepeatAndDisclaimers(t *testing.T) {
	in := seed(t, "000")
	res := Text(in)
	main := paras(res.Main.Text)
	if len(main) < 5 {
		t.Fatalf("Main.Text has %d paragraphs, want the article", len(main))
	}
	checkLinesFromInput(t, in, res.Main.Text)
	ins := inputParas(in)
	repeated := 0
	for _, p := range ins {
		if count(ins, p) > 1 {
			repeated++
			if n := count(main, p); n != 1 {
				t.Errorf("repeated input paragraph appears %d times in Main.Text: %.60q", n, p)
			}
		}
	}
	if repeated == 0 {
		t.Fatal("seed 000 no longer has a repeated paragraph; test is void")
	}
	// Platform disclaimers open with a "statement"/"notice" label; the
	// editor line is bracketed.
	label := regexp.MustCompile(`(?i)^\W*(?:[a-z]+ )?(?:statement|notice|disclaimer)\s*:|^\W*\[?editor`)
	seen := 0
	for _, p := range ins {
		if label.MatchString(p) {
			seen++
			if strings.Contains(res.Main.Text, p) {
				t.Errorf("Main.Text keeps chrome paragraph %.60q", p)
			}
		}
	}
	if seen < 3 {
		t.Errorf("found %d disclaimer/editor paragraphs in the seed, want 3; test is void", seen)
	}
	if res.Main.Title == "" || strings.Contains(res.Main.Text, res.Main.Title) {
		t.Errorf("Title %q missing or left in the body", res.Main.Title)
	}
}

// Seed 001: an English wire story inside an Indonesian aggregator's chrome.
func TestSeedAggregatorChrome(t *testing.T) {
	in := seed(t, "001")
	res := Text(in)
	m := res.Main
	main := paras(m.Text)
	if len(main) < 10 {
		t.Fatalf("Main.Text has %d paragraphs, want the article", len(main))
	}
	checkLinesFromInput(t, in, m.Text)
	for _, p := range main {
		en, id := langStops("en", p), langStops("id", p)
		if en == 0 || id >= en {
			t.Errorf("Main.Text paragraph is not English prose (en=%d id=%d): %.60q", en, id, p)
		}
	}
	// Every input line that does not read as English is aggregator chrome.
	for _, p := range inputParas(in) {
		if langStops("en", p) <= langStops("id", p) && strings.Contains(m.Text, p) {
			t.Errorf("Main.Text keeps chrome line %.60q", p)
		}
	}
	checkDate(t, m.Published, 2025, time.April, 9)
	if m.Source != "Mainichi" {
		t.Errorf("Source = %q, want Mainichi", m.Source)
	}
	if m.Dateline != "TOKYO" || m.Agency != "Kyodo" {
		t.Errorf("Dateline, Agency = %q, %q; want TOKYO, Kyodo", m.Dateline, m.Agency)
	}
	if m.Title == "" || strings.Contains(m.Text, m.Title) {
		t.Errorf("Title %q missing or left in the body", m.Title)
	}
}

// Seed 002: date and outlet only in a trailing source URL.
func TestSeedSourceURL(t *testing.T) {
	in := seed(t, "002")
	m := Text(in).Main
	checkDate(t, m.Published, 2025, time.April, 8)
	if m.Source != "observador.pt" {
		t.Errorf("Source = %q, want observador.pt", m.Source)
	}
	if !strings.HasPrefix(m.URL, "https://observador.pt/") {
		t.Errorf("URL = %q", m.URL)
	}
	if strings.Contains(m.Text, "http") {
		t.Error("Main.Text keeps the source URL line")
	}
	if len(paras(m.Text)) < 10 {
		t.Errorf("Main.Text has %d paragraphs, want the article", len(paras(m.Text)))
	}
}

// Seed 003: Arabic text under an AP dateline.
func TestSeedArabicDateline(t *testing.T) {
	in := seed(t, "003")
	res := Text(in)
	m := res.Main
	if m.Dateline != "TOKYO" || m.Agency != "AP" {
		t.Errorf("Dateline, Agency = %q, %q; want TOKYO, AP", m.Dateline, m.Agency)
	}
	ins := inputParas(in)
	main := paras(m.Text)
	if len(main) != len(ins)-1 {
		t.Errorf("Main.Text has %d paragraphs, want all %d but the closing share prompt", len(main), len(ins)-1)
	}
	if strings.Contains(m.Text, ins[len(ins)-1]) {
		t.Errorf("Main.Text keeps the share prompt %q", ins[len(ins)-1])
	}
}

// Seed 004: the article, then "Related Articles" with other stories.
func TestSeedRelatedSplit(t *testing.T) {
	in := seed(t, "004")
	res := Text(in)
	m := res.Main
	checkDate(t, m.Published, 2025, time.April, 10)
	if m.Source != "Euronews" {
		t.Errorf("Source = %q, want Euronews", m.Source)
	}
	if m.Title == "" || strings.Contains(m.Text, m.Title) {
		t.Errorf("Title %q missing or left in the body", m.Title)
	}
	if len(res.Related) < 3 {
		t.Fatalf("got %d related docs, want several", len(res.Related))
	}
	main := paras(m.Text)
	if len(main) < 10 {
		t.Fatalf("Main.Text has %d paragraphs, want the article", len(main))
	}
	// Main.Text must end before the first related story starts.
	lastMain := strings.Index(in, main[len(main)-1])
	titles := map[string]bool{}
	for _, r := range res.Related {
		if r.Title == "" || len(r.Text) < 200 {
			t.Errorf("related doc %q has %d chars of text", r.Title, len(r.Text))
		}
		if titles[r.Title] {
			t.Errorf("related title %q twice", r.Title)
		}
		titles[r.Title] = true
		if strings.Contains(m.Text, r.Title) {
			t.Errorf("Main.Text holds related title %q", r.Title)
		}
		for _, p := range paras(r.Text) {
			if strings.Contains(m.Text, p) {
				t.Errorf("Main.Text holds related text %.60q", p)
			}
			if at := strings.Index(in, p); at < lastMain {
				t.Errorf("related text at %d precedes the end of Main.Text at %d", at, lastMain)
			}
		}
		checkLinesFromInput(t, in, r.Text)
	}
	// No chrome from the page's tail (short prompts, promos) in the body.
	for _, p := range main {
		if len(strings.Fields(p)) < 5 {
			t.Errorf("Main.Text keeps short line %q", p)
		}
	}
}
