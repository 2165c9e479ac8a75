package extract

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// htmldate, which trafilatura uses, reports the publication day only. The
// page's own machine-readable dates usually carry the time as well;
// publishedTime finds the first of them so that the day trafilatura chose
// can be refined to the minute.

var pubMetaNames = map[string]bool{
	"article:published_time": true, "og:published_time": true, "og:article:published_time": true,
	"datepublished": true, "pubdate": true, "publishdate": true, "publish_date": true, "publish-date": true,
	"dc.date": true, "dc.date.issued": true, "dcterms.created": true, "dcterms.issued": true,
	"sailthru.date": true, "parsely-pub-date": true, "article.published": true, "date": true,
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	time.RFC1123Z,
	time.RFC1123,
}

// parseTime reads the timestamp formats pages put in metadata.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 16 || len(s) > 64 {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// publishedTime returns the first full timestamp (date and time) the
// page's meta tags, <time> elements or JSON-LD give for publication.
func publishedTime(doc *html.Node) (time.Time, bool) {
	var found time.Time
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "meta":
				key := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
				if pubMetaNames[key] {
					if t, ok := parseTime(attr(n, "content")); ok {
						found = t
						return true
					}
				}
			case "time":
				if attr(n, "itemprop") == "datePublished" || hasAttr(n, "pubdate") {
					if t, ok := parseTime(attr(n, "datetime")); ok {
						found = t
						return true
					}
				}
			case "script":
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					var v any
					if json.Unmarshal([]byte(n.FirstChild.Data), &v) == nil {
						if t, ok := jsonLDDate(v, 0); ok {
							found = t
							return true
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(doc)
	return found, !found.IsZero()
}

// jsonLDDate finds the first datePublished in a decoded JSON-LD value.
func jsonLDDate(v any, depth int) (time.Time, bool) {
	if depth > 8 {
		return time.Time{}, false
	}
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["datePublished"].(string); ok {
			if t, ok := parseTime(s); ok {
				return t, true
			}
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if t, ok := jsonLDDate(x[k], depth+1); ok {
				return t, true
			}
		}
	case []any:
		for _, e := range x {
			if t, ok := jsonLDDate(e, depth+1); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// datelineRe matches a wire-style dateline opening a story: a place in
// capitals, optionally a region and an agency in parentheses, then a dash,
// as in "TOKYO (AP) — " or "SANTA FE, N.M. (AP) — ".
var datelineRe = regexp.MustCompile(`^(\p{Lu}[\p{Lu}\p{M}'’.-]+(?:\s\p{Lu}[\p{Lu}\p{M}'’.-]+){0,3})(?:,\s[\p{L}.\s]{2,30}?)?(?:\s\([\p{L}\s.&-]{1,30}\))?\s?(?:—|–|--|-)\s`)

// dateline returns the place of a wire-style dateline opening text, or "".
func dateline(text string) string {
	if m := datelineRe.FindStringSubmatch(text); m != nil && utf8.RuneCountInString(m[1]) >= 3 {
		return m[1]
	}
	return ""
}
