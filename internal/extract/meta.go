package extract

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// htmldate, which trafilatura uses, reports the publication day only, and
// on some pages it settles on the modified or updated day. The page's own
// machine-readable dates usually carry the time as well. publishedTime
// reads them in two ranks:
//   - explicit publication dates — JSON-LD datePublished,
//     article:published_time and its og: spellings, itemprop=datePublished —
//     win over htmldate outright: they say "published" and nothing else;
//   - looser names (date, dc.date, pubdate, …) only refine the day htmldate
//     chose to the minute, as some sites fill them with the modified time.

// explicitPubNames are the meta names that declare the publication time
// and nothing else.
var explicitPubNames = map[string]bool{
	"article:published_time": true, "og:published_time": true, "og:article:published_time": true,
	"datepublished": true,
}

// loosePubNames are meta names that usually, not always, hold it.
var loosePubNames = map[string]bool{
	"pubdate": true, "publishdate": true, "publish_date": true, "publish-date": true,
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

// parseDate reads a full timestamp, or a bare day (midnight UTC), which an
// explicit publication date may be.
func parseDate(s string) (time.Time, bool) {
	if t, ok := parseTime(s); ok {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// pageMeta is what fromHTML reads from the page's markup itself, besides
// what the extractors report.
type pageMeta struct {
	explicitPub time.Time // an explicit publication date (see above)
	fromJSONLD  bool      // explicitPub came from JSON-LD
	loosePub    time.Time // the first looser one
	sites       []string  // og:site_name, application-name, JSON-LD publisher names
}

// readPageMeta scans doc's meta tags, <time> elements and JSON-LD.
func readPageMeta(doc *html.Node) pageMeta {
	var pm pageMeta
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "meta":
				key := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
				content := attr(n, "content")
				switch {
				case explicitPubNames[key]:
					if t, ok := parseDate(content); ok && pm.explicitPub.IsZero() {
						pm.explicitPub = t
					}
				case loosePubNames[key]:
					if t, ok := parseTime(content); ok && pm.loosePub.IsZero() {
						pm.loosePub = t
					}
				case key == "og:site_name" || key == "application-name":
					if s := strings.TrimSpace(content); s != "" {
						pm.sites = append(pm.sites, s)
					}
				}
			case "time":
				if attr(n, "itemprop") == "datePublished" {
					if t, ok := parseDate(attr(n, "datetime")); ok && pm.explicitPub.IsZero() {
						pm.explicitPub = t
					}
				} else if hasAttr(n, "pubdate") {
					if t, ok := parseTime(attr(n, "datetime")); ok && pm.loosePub.IsZero() {
						pm.loosePub = t
					}
				}
			case "script":
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					var v any
					if json.Unmarshal([]byte(n.FirstChild.Data), &v) == nil {
						// JSON-LD is the page's most deliberate statement:
						// it goes before a meta tag met earlier.
						if t, ok := jsonLDDate(v, 0); ok && !pm.fromJSONLD {
							pm.explicitPub, pm.fromJSONLD = t, true
						}
						pm.sites = append(pm.sites, jsonLDPublishers(v, 0)...)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return pm
}

// published returns the publication time: an explicit date, else a looser
// one on the day htmldate chose (or when htmldate has none), else
// htmldate's day.
func (pm pageMeta) published(htmldate time.Time) time.Time {
	switch {
	case !pm.explicitPub.IsZero():
		return pm.explicitPub
	case !pm.loosePub.IsZero() && (htmldate.IsZero() || pm.loosePub.Format(time.DateOnly) == htmldate.Format(time.DateOnly)):
		return pm.loosePub
	}
	return htmldate
}

// jsonLDDate finds the first datePublished in a decoded JSON-LD value.
func jsonLDDate(v any, depth int) (time.Time, bool) {
	if depth > 8 {
		return time.Time{}, false
	}
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["datePublished"].(string); ok {
			if t, ok := parseDate(s); ok {
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

// jsonLDPublishers returns the publisher names in a decoded JSON-LD value.
func jsonLDPublishers(v any, depth int) []string {
	if depth > 8 {
		return nil
	}
	var out []string
	switch x := v.(type) {
	case map[string]any:
		switch p := x["publisher"].(type) {
		case map[string]any:
			if s, ok := p["name"].(string); ok && strings.TrimSpace(s) != "" {
				out = append(out, strings.TrimSpace(s))
			}
		case string:
			if strings.TrimSpace(p) != "" {
				out = append(out, strings.TrimSpace(p))
			}
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			out = append(out, jsonLDPublishers(x[k], depth+1)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, jsonLDPublishers(e, depth+1)...)
		}
	}
	return out
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
