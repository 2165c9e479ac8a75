package extract

import (
	"strings"

	trafilatura "github.com/markusmobius/go-trafilatura"
)

// Both extractors leave some chrome inside the article region: the
// headline repeated as the first paragraph, the page's URL, and the short
// lines chrome.go's patterns recognise. Each is a rule of its own
// (rules.go), kept only when it does not lose shingle F1 on the checking
// half of the Scrapinghub set.

// dropLeftovers removes chrome lines from extracted paragraphs: the title
// or page URL repeated at the top, and chrome lines (chromeLine), as far
// as rules allow. It never empties a text that had content.
func dropLeftovers(paras []string, m trafilatura.Metadata, pageURL string, rules rule) []string {
	title := normWords(m.Title)
	urls := []string{normWords(pageURL), normWords(m.URL)}
	out := paras[:0:0]
	for i, p := range paras {
		n := normWords(p)
		switch {
		case n == "":
			continue
		case rules&ruleTitleLine != 0 && i < 3 && title != "" && isTitleLine(p, n, title, m.Title):
			continue
		case rules&ruleURLLine != 0 && (n == urls[0] || n == urls[1]):
			continue
		case chromeLine(p, rules) != nil:
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return paras
	}
	return out
}

// isTitleLine reports whether paragraph p (n normalised) repeats the
// title: equal to it, the title followed by a short dateline, or a
// headline-like prefix of it.
func isTitleLine(p, n, title, rawTitle string) bool {
	switch {
	case n == title:
		return true
	case strings.HasPrefix(n, title) && wordCount(p) <= wordCount(rawTitle)+8:
		return true
	case strings.HasPrefix(title, n) && len(n) >= 20 && !endsSentence(p):
		return true
	}
	return false
}

// normWords lower-cases s and keeps only its words, single-spaced.
func normWords(s string) string {
	return strings.Join(words(strings.ToLower(s)), " ")
}
