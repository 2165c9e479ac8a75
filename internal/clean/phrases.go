package clean

import (
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/storyline/storyline/internal/langdata"
)

// The chrome phrases, related and comment headers, stop words and other
// language data live in phrases/<lang>.txt, one file per language (any.txt
// holds brand names and other language-neutral labels). en.txt's header
// says what each section is for. Matching is language-blind: a line is
// checked against the union of every language's phrases, which needs no
// language guess and costs nothing when a phrase is chrome in its own
// language only.
//
//go:embed phrases/*.txt
var phraseFiles embed.FS

// sections are the sections a phrase file may have.
var sections = []string{
	"exact", "label", "always", "prefix", "contains",
	"related", "inline-related", "comments", "comment-buttons", "about", "ago", "credit", "social",
	"not-outlet", "not-outlet-name", "not-dateline", "stop", "stop-chars",
}

// phraseData maps language → section → entries, as written in the files.
type phraseData map[string]map[string][]string

// rawPhrases is the parsed phrase files. It is built without normKey, so
// that the stop words it holds can feed analyse.
var rawPhrases = func() phraseData {
	d, err := loadPhrases()
	if err != nil {
		panic(err) // the files are compiled in: a parse error is a bug
	}
	return d
}()

func loadPhrases() (phraseData, error) {
	files, err := langdata.ReadDir(phraseFiles, "phrases", sections)
	if err != nil {
		return nil, fmt.Errorf("clean: phrase files: %w", err)
	}
	d := phraseData{}
	for _, f := range files {
		d[f.Lang] = bySection(f.Entries)
	}
	return d, nil
}

// parsePhrases reads one phrase file's text (see langdata for the format).
func parsePhrases(s string) (map[string][]string, error) {
	es, err := langdata.Parse("phrases", s, sections)
	if err != nil {
		return nil, err
	}
	return bySection(es), nil
}

// bySection groups entries by section; a stop section holds several words
// a line.
func bySection(es []langdata.Entry) map[string][]string {
	out := map[string][]string{}
	for _, e := range es {
		if e.Section == "stop" || e.Section == "stop-chars" {
			out[e.Section] = append(out[e.Section], strings.Fields(strings.ToLower(e.Text))...)
		} else {
			out[e.Section] = append(out[e.Section], e.Text)
		}
	}
	return out
}

// phraseKeys returns a section's entries over all languages in key form
// (normKey), without duplicates, in a fixed order.
func phraseKeys(sec string) []string {
	langs := make([]string, 0, len(rawPhrases))
	for l := range rawPhrases {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	seen := map[string]bool{}
	var out []string
	for _, l := range langs {
		for _, p := range rawPhrases[l][sec] {
			k := normKey(p)
			if k != "" && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// phraseKeySet is phraseKeys as a set.
func phraseKeySet(sec string) map[string]bool {
	m := map[string]bool{}
	for _, k := range phraseKeys(sec) {
		m[k] = true
	}
	return m
}
