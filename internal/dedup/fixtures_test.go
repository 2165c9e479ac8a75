package dedup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureDoc reads a pair file of testdata/pairs: an optional first line
// "# title", then the extracted text.
func fixtureDoc(t *testing.T, path string) (title, body string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if rest, ok := strings.CutPrefix(s, "# "); ok {
		title, s, _ = strings.Cut(rest, "\n")
	}
	return title, s
}

type fixturePair struct {
	name         string
	a, b         Doc
	textA, textB string
	want         string // "copy" or "not"
	why          string // the Verdict expected for "not"
}

func loadPairs(t *testing.T) []fixturePair {
	t.Helper()
	dirs, err := filepath.Glob("testdata/pairs/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures under testdata/pairs: %v", err)
	}
	var out []fixturePair
	for _, d := range dirs {
		p := fixturePair{name: filepath.Base(d)}
		var ta, tb string
		ta, p.textA = fixtureDoc(t, filepath.Join(d, "a.txt"))
		tb, p.textB = fixtureDoc(t, filepath.Join(d, "b.txt"))
		lang := "en"
		if strings.HasSuffix(p.name, "-de") {
			lang = "de"
		}
		p.a = Doc{Title: ta, Lang: lang, Sig: Signature(p.textA)}
		p.b = Doc{Title: tb, Lang: lang, Sig: Signature(p.textB)}
		w, err := os.ReadFile(filepath.Join(d, "want"))
		if err != nil {
			t.Fatal(err)
		}
		p.want, p.why, _ = strings.Cut(strings.TrimSpace(string(w)), " ")
		out = append(out, p)
	}
	return out
}
