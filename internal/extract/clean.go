package extract

import (
	"regexp"
	"strings"

	trafilatura "github.com/markusmobius/go-trafilatura"
)

// Both extractors leave some chrome inside the article region: the
// headline repeated as the first paragraph, "Related:"/"Read more:" links,
// newsletter and app promotions, photo credits and byline lines. The
// patterns below are about what such lines say, not about any one site;
// each was kept only when it raised shingle F1 on the Scrapinghub set
// without dropping article text elsewhere. Long paragraphs are never
// dropped by them (see leftoverMaxWords).

// leftoverMaxWords bounds the paragraphs the leftover patterns may drop:
// a promotion or credit is a line, not a paragraph of running text.
const leftoverMaxWords = 40

var (
	// cueRe matches lines that lead to other pages.
	cueRe = regexp.MustCompile(`(?i)^(related( posts?| articles?| stories| content| coverage)?|read more|read also|also read|see more|see also|more|also|don'?t miss|watch|listen|click here|recommended|leggi anche|lesen sie auch|leia também|leia mais|voir aussi|lire aussi|lea también|ver también)\s*[:|\-–—]|^(don'?t miss|you may also like|related|tags|share|advertisement|continue reading( below)?|read more)\W*$`)
	// promoRe matches subscription, app and affiliate notices.
	promoRe = regexp.MustCompile(`(?i)\b(subscribe|newsletters?|sign up for (our|the)|sign up:|follow us|click here to (get|download|subscribe|sign)|get the .{0,30}app|download the app|may earn an? affiliate|affiliate commission|share it with)\b`)
	// captionRe matches photo credits and captions.
	captionRe = regexp.MustCompile(`(?i)(\((image|photo|picture|pic|foto|credit)s?\s*:[^)]*\)\s*$)|(^(image|photo|picture|credit)s?\s*:)|(\b(photograph|photo|image)\s+(by|courtesy|credit)\b)`)
	// bylineRe matches byline and contact lines.
	bylineRe = regexp.MustCompile(`(?i:^(by|von|por|par|di|door|av|af)$)|^(?:By|BY)(\s+\p{Lu}[\p{L}.'-]*){1,4}$|(?i:^(written by|reporting by|additional reporting by|editing by|edited by)\b)|(?i:^(write to|contact|reach|email)\b.{0,60}@)`)
)

// dropLeftovers removes chrome lines from extracted paragraphs: the title
// or page URL repeated at the top, and short lines matching the patterns
// above. It never empties a text that had content.
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
		case wordCount(p) <= leftoverMaxWords && (rules&ruleCue != 0 && cueRe.MatchString(p) ||
			rules&rulePromo != 0 && promoRe.MatchString(p) ||
			rules&ruleCaption != 0 && captionRe.MatchString(p) ||
			rules&ruleByline != 0 && bylineRe.MatchString(p)):
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
	return strings.Join(tokenRe.FindAllString(strings.ToLower(s), -1), " ")
}
