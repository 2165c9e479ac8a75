package extract

import (
	"embed"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/langdata"
)

// Chrome lines — "Read more:", "Jetzt abonnieren", "Seite 2 von 3", photo
// credits, bylines — are what the extractors most often leave inside the
// article region. The patterns live in chrome/<lang>.txt, one file per
// language (any.txt: language-neutral), and are matched language-blind:
// extraction runs before the language is known, and a German phrase costs
// nothing on an English page. Each kind is one rule of the ablation.
//
//go:embed chrome/*.txt
var chromeFiles embed.FS

// Guards on the chrome patterns. A call to action is a line, not a
// paragraph; and a pattern's words ("subscribe", "newsletter", "page")
// are ordinary words too, so a mid-line match never deletes a sentence.
const (
	// chromeMaxWords: longer paragraphs are never chrome lines. The
	// longest chrome paragraph the patterns met on the tuning half was a
	// 40-word author-promotion block; article paragraphs run longer.
	chromeMaxWords = 40
	// proseMinWords: a paragraph of at least this many words that ends
	// like a sentence reads as prose, and a pattern matching inside it
	// (not where one of its sentences starts) is ignored. Shorter
	// sentences are as often buttons ("Sign up for our newsletter.").
	proseMinWords = 8
)

// chromeKinds maps a file's [section] to its rule.
var chromeKinds = map[string]rule{
	"cue": ruleCue, "promo": rulePromo, "subscribe": ruleSubscribe,
	"paging": rulePaging, "caption": ruleCaption, "byline": ruleByline,
}

// chromePattern is one compiled pattern and the rule it belongs to.
type chromePattern struct {
	kind rule
	re   *regexp.Regexp
	src  string // file:line, for errors and tests
}

var chromePatterns = func() []chromePattern {
	ps, err := loadChrome()
	if err != nil {
		panic(err) // the files are compiled in: a bad pattern is a bug
	}
	return ps
}()

func loadChrome() ([]chromePattern, error) {
	files, err := langdata.ReadDir(chromeFiles, "chrome", chromeSections())
	if err != nil {
		return nil, fmt.Errorf("extract: chrome files: %w", err)
	}
	var out []chromePattern
	for _, f := range files {
		ps, err := compileChrome(f.Name, f.Entries)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// parseChrome reads one chrome file's text (see langdata for the format):
// one pattern a line under its [kind], compiled case-insensitively.
func parseChrome(name, s string) ([]chromePattern, error) {
	es, err := langdata.Parse(name, s, chromeSections())
	if err != nil {
		return nil, fmt.Errorf("chrome file %w", err)
	}
	return compileChrome(name, es)
}

func compileChrome(name string, es []langdata.Entry) ([]chromePattern, error) {
	out := make([]chromePattern, 0, len(es))
	for _, e := range es {
		re, err := regexp.Compile("(?i)" + e.Text)
		if err != nil {
			return nil, fmt.Errorf("chrome file %s:%d: %w", name, e.Line, err)
		}
		out = append(out, chromePattern{kind: chromeKinds[e.Section], re: re, src: fmt.Sprintf("%s:%d", name, e.Line)})
	}
	return out, nil
}

// chromeSections are the section names of chrome files: the kinds.
func chromeSections() []string {
	names := make([]string, 0, len(chromeKinds))
	for k := range chromeKinds {
		names = append(names, k)
	}
	return names
}

// chromeLine returns the pattern of a kind in rules that makes paragraph p
// a chrome line, or nil. Only short paragraphs qualify, and in one that
// reads as prose only a match where a sentence starts counts.
func chromeLine(p string, rules rule) *chromePattern {
	words := wordCount(p)
	if words > chromeMaxWords || rules&chromeRules == 0 {
		return nil
	}
	prose := words >= proseMinWords && endsSentence(p)
	for i := range chromePatterns {
		c := &chromePatterns[i]
		if rules&c.kind == 0 {
			continue
		}
		loc := c.re.FindStringIndex(p)
		if loc == nil {
			continue
		}
		if prose && !startsSentence(p, loc[0]) {
			continue
		}
		return c
	}
	return nil
}

// startsSentence reports whether byte offset i of p is where a sentence
// starts: the start of p, or after sentence punctuation, a colon or an
// opening bracket or quote and white space.
func startsSentence(p string, i int) bool {
	before := strings.TrimRightFunc(p[:i], unicode.IsSpace)
	if before == "" {
		return true
	}
	if len(before) == i {
		return false // the match starts inside a word run, not after a space
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(`.!?…:;|()[]"“”«»–—-。！？`, r)
}
