package extract

import (
	"embed"
	"fmt"
	"regexp"
	"regexp/syntax"
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
	// need holds strings, case-folded (fold), one of which every match
	// contains; nil when the pattern has none worth looking for. Most
	// patterns are a word anywhere in the line ("\bsubscribe\b"), which
	// the regexp package tries at every offset, case-insensitively, with
	// no literal to skip ahead to: they were most of chromeLine's cost,
	// and chromeLine a tenth of HTML extraction's (BenchmarkHTML).
	need []string
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
		tree, err := syntax.Parse("(?i)"+e.Text, syntax.Perl)
		if err != nil {
			return nil, fmt.Errorf("chrome file %s:%d: %w", name, e.Line, err)
		}
		out = append(out, chromePattern{kind: chromeKinds[e.Section], re: re, src: fmt.Sprintf("%s:%d", name, e.Line),
			need: needed(tree)})
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
	var folded string
	for i := range chromePatterns {
		c := &chromePatterns[i]
		if rules&c.kind == 0 {
			continue
		}
		if c.need != nil {
			if folded == "" {
				folded = fold(p)
			}
			if !containsAny(folded, c.need) {
				continue
			}
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

// minNeed is the shortest string, in runes, worth looking for before a
// pattern runs: one or two letters are in nearly every line.
const minNeed = 3

// needed returns strings, folded, one of which every match of re
// contains, or nil. It reads only what surely must match: literals,
// groups, alternations whose every branch needs something, repetitions
// of at least one, and the best-needing part of a sequence.
func needed(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) < minNeed {
			return nil
		}
		return []string{fold(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return needed(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil
		}
		return needed(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			n := needed(sub)
			if n == nil {
				return nil
			}
			out = append(out, n...)
		}
		return out
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if n := needed(sub); n != nil && (best == nil || shortest(n) > shortest(best)) {
				best = n
			}
		}
		return best
	}
	return nil
}

func shortest(ss []string) int {
	m := -1
	for _, s := range ss {
		if n := utf8.RuneCountInString(s); m < 0 || n < m {
			m = n
		}
	}
	return m
}

// fold maps each rune of s to the least rune of its case-folding orbit
// (s, S and ſ to S), as the regexp package folds under (?i): a match of a
// pattern in s is a match of its folded literals in fold(s). Bytes that
// are not UTF-8 become U+FFFD, which no literal of the files holds.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
			r -= 'a' - 'A' // the orbits of a–z hold nothing below A–Z
		case r >= utf8.RuneSelf:
			m := r
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				m = min(m, f)
			}
			r = m
		}
		b.WriteRune(r)
	}
	return b.String()
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
