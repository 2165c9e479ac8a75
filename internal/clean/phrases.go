package clean

import (
	"bufio"
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
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
	names, err := phraseFiles.ReadDir("phrases")
	if err != nil {
		return nil, fmt.Errorf("phrase files: %w", err)
	}
	d := phraseData{}
	for _, n := range names {
		if !strings.HasSuffix(n.Name(), ".txt") {
			continue
		}
		b, err := phraseFiles.ReadFile(path.Join("phrases", n.Name()))
		if err != nil {
			return nil, fmt.Errorf("phrase file %s: %w", n.Name(), err)
		}
		secs, err := parsePhrases(string(b))
		if err != nil {
			return nil, fmt.Errorf("phrase file %s: %w", n.Name(), err)
		}
		d[strings.TrimSuffix(n.Name(), ".txt")] = secs
	}
	return d, nil
}

// parsePhrases reads one phrase file: "# comment" lines, "[section]"
// headers, then one entry a line (stop sections: several words a line).
func parsePhrases(s string) (map[string][]string, error) {
	out := map[string][]string{}
	sec := ""
	sc := bufio.NewScanner(strings.NewReader(s))
	for ln := 1; sc.Scan(); ln++ {
		t := strings.TrimSpace(sc.Text())
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
			continue
		case strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]"):
			sec = t[1 : len(t)-1]
			if !slices.Contains(sections, sec) {
				return nil, fmt.Errorf("line %d: unknown section [%s]", ln, sec)
			}
		case sec == "":
			return nil, fmt.Errorf("line %d: %q before any [section]", ln, t)
		case sec == "stop" || sec == "stop-chars":
			out[sec] = append(out[sec], strings.Fields(strings.ToLower(t))...)
		default:
			out[sec] = append(out[sec], t)
		}
	}
	return out, sc.Err()
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
