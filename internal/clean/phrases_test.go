package clean

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPhraseFiles checks the embedded phrase files: each opens with a
// header that names every section it uses, and every entry means
// something once reduced to a key.
func TestPhraseFiles(t *testing.T) {
	names, err := phraseFiles.ReadDir("phrases")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 10 {
		t.Fatalf("%d phrase files, want one per language", len(names))
	}
	for _, n := range names {
		b, err := phraseFiles.ReadFile("phrases/" + n.Name())
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if !strings.HasPrefix(s, "#") {
			t.Errorf("%s: no header comment", n.Name())
		}
		header, _, _ := strings.Cut(s, "\n[")
		secs, err := parsePhrases(s)
		if err != nil {
			t.Errorf("%s: %v", n.Name(), err)
			continue
		}
		for sec, entries := range secs {
			if !strings.Contains(header, "["+sec+"]") {
				t.Errorf("%s: header does not say what [%s] is for", n.Name(), sec)
			}
			for _, e := range entries {
				if sec != "stop" && sec != "stop-chars" && normKey(e) == "" {
					t.Errorf("%s [%s]: %q has no letters", n.Name(), sec, e)
				}
				// An [always] phrase fires inside sentences: one word
				// is an ordinary word of some language.
				if k := normKey(e); sec == "always" && !strings.Contains(k, " ") && !isCJK([]rune(k)[0]) {
					t.Errorf("%s [always]: %q is a single word", n.Name(), e)
				}
			}
		}
	}
}

// readLines returns the non-empty lines of a testdata file.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// proseLangs are the languages with ordinary news sentences in
// testdata/prose; each sample holds words that are chrome elsewhere
// ("notice", "tips", "yang pertama", 不代表, "Фото", "vor 20 Jahren").
var proseLangs = []string{"en", "id", "ar", "zh", "ja", "de", "fr", "es", "ru", "pt"}

// TestProseSentencesUntouched: no chrome, related, caption, comment, meta
// or link rule fires on an ordinary news sentence, in any language, and
// each reads as prose.
func TestProseSentencesUntouched(t *testing.T) {
	for _, lang := range proseLangs {
		t.Run(lang, func(t *testing.T) {
			sents := readLines(t, filepath.Join("testdata", "prose", lang+".txt"))
			if len(sents) < 10 {
				t.Fatalf("%d sentences, want 10 or more", len(sents))
			}
			for _, s := range sents {
				l := line{text: s}
				analyse(&l)
				markChrome(&l)
				l.meta = isMetaLine(&l)
				classify(&l)
				fired := map[string]bool{
					"chrome": l.chrome, "related": l.related, "caption": l.caption, "linky": l.linky,
					"comments": l.comments, "about": l.about, "ago": l.ago, "numeric": l.numeric,
					"meta": l.meta, "comment mark": isCommentMark(&l), "class bad": l.cls == bad,
				}
				for rule, on := range fired {
					if on {
						t.Errorf("%s rule fires on %q", rule, s)
					}
				}
				if !l.prose {
					t.Errorf("not read as prose (words=%d stop=%.2f): %q", l.words, l.stop, s)
				}
			}
		})
	}
}

// TestProseSentencesKept: a page of nothing but the sample sentences under
// a headline comes back whole.
func TestProseSentencesKept(t *testing.T) {
	for _, lang := range proseLangs {
		t.Run(lang, func(t *testing.T) {
			sents := readLines(t, filepath.Join("testdata", "prose", lang+".txt"))
			page := "A headline for the sample page\n" + strings.Join(sents, "\n")
			got := paras(Text(page).Main.Text)
			for _, s := range sents {
				if !slices.Contains(got, s) {
					t.Errorf("Main.Text lost %q", s)
				}
			}
		})
	}
}

// TestChromeLinesGo: the chrome in testdata/chrome is still flagged.
func TestChromeLinesGo(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "chrome", "*.txt"))
	if err != nil || len(files) < 9 {
		t.Fatalf("chrome fixtures: %v, %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			for _, s := range readLines(t, f) {
				l := line{text: s}
				analyse(&l)
				markChrome(&l)
				if !(l.chrome || l.related || l.caption || l.linky || l.comments) {
					t.Errorf("not flagged (prose=%v): %q", l.prose, s)
				}
			}
		})
	}
}

func TestIsOutletName(t *testing.T) {
	for in, want := range map[string]bool{
		"Sky News":        true,
		"Fox News":        true,
		"Kyodo News":      true,
		"BBC News":        true,
		"ABC News":        true,
		"Sky News Arabia": true,
		"Euronews":        true,
		"The Japan Times": true,
		"Al Jazeera":      true,
		"World News":      false,
		"Latest News":     false,
		"Breaking News":   false,
		"News":            false,
		"Published":       false,
		"Share":           false,
		"Monday":          false,
		"By Jane Doe":     false,
	} {
		if got := isOutletName(in); got != want {
			t.Errorf("isOutletName(%q) = %v, want %v", in, got, want)
		}
	}
}
