package extract

import (
	"regexp"
	"strings"
	"unicode"
)

// Page titles carry the outlet's name and sometimes a date around the
// headline: "Floods hit the coast - BBC News", "Merkel in Paris | DW |
// 23.05.2011", "Le Monde — Le gouvernement recule". cleanTitle removes such
// segments when they name the site (as og:site_name, a JSON-LD publisher,
// readability or the host name it) or are a date, and keeps every other
// segment: a headline may itself contain " - " ("Liverpool 2 - 1 Chelsea",
// "Brexit - what happens next").

// titleSepRe matches the separators sites put between headline and name.
var titleSepRe = regexp.MustCompile(`\s+(?:-|–|—|\||·|•|::|»)\s+`)

// titleDateRe matches a segment that is only a date.
var titleDateRe = regexp.MustCompile(`^(?:\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.?\s+\p{L}+\.?\s+\d{4}|\p{L}+\.?\s+\d{1,2},?\s+\d{4})$`)

const (
	// titleTailWords: a segment after the site's name is stripped with it
	// when it is this short ("BBC News - World", "SPIEGEL ONLINE -
	// Nachrichten"): a section name, not part of the headline.
	titleTailWords = 3
	// siteMinLen: a site name shorter than this (in letters and digits)
	// is too likely to match a word by chance ("Le", "24").
	siteMinLen = 2
)

// cleanTitle strips leading and trailing site-name and date segments from
// title. sites are the names the page gives for itself; hosts the page's
// host names. It never returns an empty title for a non-empty one.
func cleanTitle(title string, sites []string) string {
	title = strings.TrimSpace(title)
	seps := titleSepRe.FindAllStringIndex(title, -1)
	if len(seps) == 0 {
		return title
	}
	// segs[i] is the text between separators i-1 and i.
	segs := make([]string, 0, len(seps)+1)
	prev := 0
	for _, s := range seps {
		segs = append(segs, title[prev:s[0]])
		prev = s[1]
	}
	segs = append(segs, title[prev:])
	isChrome := func(seg string) bool {
		return titleDateRe.MatchString(strings.TrimSpace(seg)) || namesSite(seg, sites)
	}
	// Trailing: walking from the right, a segment naming the site or a
	// date cuts the headline there, and so does each such segment left of
	// it ("| DW | 23.05.2011"); short segments right of a cut go with it
	// (a section name). A long segment, or any segment left of a cut,
	// belongs to the headline.
	end := len(segs)
	for i := len(segs) - 1; i >= 1; i-- {
		if isChrome(segs[i]) {
			end = i
			continue
		}
		if end < len(segs) || len(strings.Fields(segs[i])) > titleTailWords {
			break
		}
	}
	start := 0
	if end > 1 && namesSite(segs[0], sites) {
		start = 1
	}
	if start >= end {
		return title
	}
	headline := title[segStart(seps, start):segEnd(seps, end, len(title))]
	if strings.TrimSpace(headline) == "" {
		return title
	}
	return strings.TrimSpace(headline)
}

// segStart is the byte offset where segment i starts.
func segStart(seps [][]int, i int) int {
	if i == 0 {
		return 0
	}
	return seps[i-1][1]
}

// segEnd is the byte offset where segment i-1 ends, i.e. the end of the
// first i segments.
func segEnd(seps [][]int, i, n int) int {
	if i > len(seps) {
		return n
	}
	return seps[i-1][0]
}

// namesSite reports whether title segment seg is one of the site names: the
// same letters, or one's words opening the other's ("BBC News" and the
// host's "bbc"; "Le Monde.fr" and "Le Monde").
func namesSite(seg string, sites []string) bool {
	sw := nameWords(seg)
	if len(sw) == 0 {
		return false
	}
	sj := strings.Join(sw, "")
	for _, site := range sites {
		nw := nameWords(site)
		nj := strings.Join(nw, "")
		if len(nj) < siteMinLen {
			continue
		}
		switch {
		case sj == nj:
			return true
		case hasWordPrefix(sw, nw), len(sj) > siteMinLen && hasWordPrefix(nw, sw):
			return true
		}
	}
	return false
}

func hasWordPrefix(words, prefix []string) bool {
	if len(prefix) > len(words) {
		return false
	}
	for i, p := range prefix {
		if words[i] != p {
			return false
		}
	}
	return true
}

// nameWords lower-cases s and splits it into runs of letters and digits.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// hostName returns the name part of a host: "www.bbc.co.uk" → "bbc",
// "edition.cnn.com" → "cnn", "lemonde.fr" → "lemonde".
func hostName(host string) string {
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(labels) < 2 {
		return ""
	}
	labels = labels[:len(labels)-1] // the top-level domain
	if n := len(labels); n >= 2 && secondLevel[labels[n-1]] {
		labels = labels[:n-1]
	}
	return labels[len(labels)-1]
}

// secondLevel are the generic second-level labels under country domains
// ("co.uk", "com.br").
var secondLevel = map[string]bool{"co": true, "com": true, "org": true, "net": true, "gov": true, "ac": true, "edu": true, "gob": true, "or": true, "ne": true}
