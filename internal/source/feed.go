package source

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
	"time"
)

// feed is an RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 or JSON Feed
// document reduced to what the pipeline uses.
type feed struct {
	Title string
	Lang  string
	Items []feedItem
}

type feedItem struct {
	ID      string
	Link    string
	Title   string
	Lang    string
	Content string // HTML: full content when the feed has it, else the summary
	Author  string // byline: the item's own, else the feed's
	// Source names the outlet an aggregated item came from (RSS <source>,
	// Atom <source><title>); "" when the item is the feed's own.
	Source    string
	Published time.Time
}

// isFeed reports whether a response body is a feed. It sniffs rather than
// trusting the content type: feeds are served as text/html, text/plain or
// application/octet-stream as often as under their own types.
func isFeed(body []byte) bool { return feedKind(body) != "" }

// isJSONFeed reports whether body is a JSON object whose "version" is a
// JSON Feed version URL. It decodes rather than matching bytes: JSON may
// escape the URL's slashes ("https:\/\/jsonfeed.org\/version\/1"), and
// "version" may come after the items.
func isJSONFeed(body []byte) bool {
	var v struct {
		Version json.RawMessage `json:"version"`
	}
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	var version string
	if json.Unmarshal(v.Version, &version) != nil {
		return false
	}
	version = strings.TrimSpace(version)
	return strings.HasPrefix(version, "https://jsonfeed.org/version/") || strings.HasPrefix(version, "http://jsonfeed.org/version/")
}

// feedKind sniffs a body: "rss", "atom", "rdf", "json" or "".
func feedKind(body []byte) string {
	body = bytes.TrimPrefix(body, bomUTF8)
	head := bytes.TrimLeft(body[:min(len(body), sniffLen)], " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		if isJSONFeed(body) {
			return "json"
		}
		return ""
	}
	// Skip the XML declaration, comments, processing instructions and a
	// DOCTYPE to reach the root element.
	for len(head) > 0 {
		head = bytes.TrimLeft(head, " \t\r\n")
		switch {
		case bytes.HasPrefix(head, []byte("<?")):
			i := bytes.Index(head, []byte("?>"))
			if i < 0 {
				return ""
			}
			head = head[i+2:]
		case bytes.HasPrefix(head, []byte("<!--")):
			i := bytes.Index(head, []byte("-->"))
			if i < 0 {
				return ""
			}
			head = head[i+3:]
		case bytes.HasPrefix(head, []byte("<!")):
			i := bytes.IndexByte(head, '>')
			if i < 0 {
				return ""
			}
			head = head[i+1:]
		case bytes.HasPrefix(head, []byte("<")):
			end := bytes.IndexAny(head[1:], " \t\r\n/>")
			if end < 0 {
				return ""
			}
			name := strings.ToLower(string(head[1 : end+1]))
			if i := strings.IndexByte(name, ':'); i >= 0 {
				name = name[i+1:]
			}
			switch name {
			case "rss":
				return "rss"
			case "feed":
				return "atom"
			case "rdf":
				return "rdf"
			}
			return ""
		default:
			return ""
		}
	}
	return ""
}

// parseFeed parses a feed body; contentType (may be "") supplies a
// charset when the document declares none.
func parseFeed(body []byte, contentType string) (*feed, error) {
	switch feedKind(body) {
	case "json":
		return parseJSONFeed(body)
	case "rss", "atom", "rdf":
		return parseXMLFeed(body, contentType)
	}
	return nil, errors.New("not an RSS, Atom or JSON feed")
}

var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']`)

type xmlLink struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr"`
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// xmlText is an Atom text construct or a plain RSS element.
type xmlText struct {
	XMLName xml.Name
	Type    string `xml:"type,attr"`
	Inner   string `xml:",innerxml"`
	Text    string `xml:",chardata"`
}

// html returns the construct as HTML.
func (t xmlText) html() string {
	switch strings.ToLower(t.Type) {
	case "xhtml", "application/xhtml+xml":
		return strings.TrimSpace(t.Inner)
	case "text", "text/plain":
		return textToHTML(t.Text)
	}
	return strings.TrimSpace(t.Text)
}

// plain returns the construct as plain text (for titles).
func (t xmlText) plain() string {
	s := t.Text
	switch strings.ToLower(t.Type) {
	case "html", "text/html":
		s = stripTags(s)
	case "xhtml", "application/xhtml+xml":
		s = stripTags(t.Inner)
	}
	return strings.Join(strings.Fields(s), " ")
}

// xmlTitles holds every child element named title, whatever its
// namespace: encoding/xml matches an unqualified tag in any namespace, so a
// single field would end up holding the last of <title>, <itunes:title>
// and <media:title>.
type xmlTitles []xmlText

// Namespaces whose <title> is the element's own title.
var titleSpaces = map[string]bool{
	"":                                           true,
	"http://www.w3.org/2005/Atom":                true,
	"http://purl.org/atom/ns#":                   true, // Atom 0.3
	"http://purl.org/rss/1.0/":                   true,
	"http://my.netscape.com/rdf/simple/0.9/":     true,
	"http://backend.userland.com/rss2":           true,
	"http://purl.org/dc/elements/1.1/":           false, // dc:title: next best
	"http://search.yahoo.com/mrss/":              false,
	"http://www.itunes.com/dtds/podcast-1.0.dtd": false,
}

// plain returns the first non-empty title in the element's own namespace,
// else a dc:title, else any.
func (ts xmlTitles) plain() string {
	for _, pass := range []func(xml.Name) bool{
		func(n xml.Name) bool { return titleSpaces[n.Space] },
		func(n xml.Name) bool { return n.Space == "http://purl.org/dc/elements/1.1/" || n.Space == "dc" },
		func(xml.Name) bool { return true },
	} {
		for _, t := range ts {
			if !pass(t.XMLName) {
				continue
			}
			if s := t.plain(); s != "" {
				return s
			}
		}
	}
	return ""
}

// xmlAuthor is an Atom person construct, or an RSS <author> (an e-mail
// address, often followed by the name in parentheses).
type xmlAuthor struct {
	Name string `xml:"name"`
	Text string `xml:",chardata"`
}

type rssItem struct {
	Title       xmlTitles   `xml:"title"`
	Links       []xmlLink   `xml:"link"`
	GUID        string      `xml:"guid"`
	About       string      `xml:"about,attr"`
	Description string      `xml:"description"`
	Encoded     string      `xml:"encoded"`
	PubDate     string      `xml:"pubDate"`
	Date        string      `xml:"date"`
	Lang        string      `xml:"language"`
	Creators    []string    `xml:"creator"`
	Authors     []xmlAuthor `xml:"author"`
	Source      struct {
		Text  string    `xml:",chardata"`
		Title xmlTitles `xml:"title"` // an atom:source inside an RSS item
	} `xml:"source"`
}

type atomEntry struct {
	ID        string      `xml:"id"`
	Lang      string      `xml:"lang,attr"`
	Title     xmlTitles   `xml:"title"`
	Links     []xmlLink   `xml:"link"`
	Content   xmlText     `xml:"content"`
	Summary   xmlText     `xml:"summary"`
	Published string      `xml:"published"`
	Issued    string      `xml:"issued"`
	Updated   string      `xml:"updated"`
	Modified  string      `xml:"modified"`
	Authors   []xmlAuthor `xml:"author"`
	Source    struct {
		Title   xmlTitles   `xml:"title"`
		Authors []xmlAuthor `xml:"author"`
	} `xml:"source"`
}

type xmlFeed struct {
	XMLName xml.Name
	Lang    string      `xml:"lang,attr"`
	Title   xmlTitles   `xml:"title"`
	Authors []xmlAuthor `xml:"author"`
	Channel struct {
		Title    xmlTitles `xml:"title"`
		Language string    `xml:"language"`
		Items    []rssItem `xml:"item"`
	} `xml:"channel"`
	Items   []rssItem   `xml:"item"` // RSS 1.0 puts items beside the channel
	Entries []atomEntry `xml:"entry"`
}

func parseXMLFeed(body []byte, contentType string) (*feed, error) {
	// Transcode up front so the decoder only ever sees UTF-8, whatever the
	// declaration says.
	if headerCharset(contentType) == nil {
		if m := xmlDeclEncoding.FindSubmatch(body[:min(len(body), 512)]); m != nil {
			contentType = "text/xml; charset=" + string(m[1])
		}
	}
	body, err := toUTF8(body, contentType, false)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	// Lenient: feeds carry HTML entities and stray ampersands. No
	// AutoClose: it would close RSS <link> as if it were HTML.
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var x xmlFeed
	if err := d.Decode(&x); err != nil {
		return nil, fmt.Errorf("xml: %w", err)
	}
	f := &feed{}
	switch strings.ToLower(x.XMLName.Local) {
	case "feed":
		f.Title, f.Lang = x.Title.plain(), x.Lang
		feedAuthor := atomAuthor(x.Authors)
		for _, en := range x.Entries {
			it := feedItem{ID: strings.TrimSpace(en.ID), Title: en.Title.plain(), Lang: en.Lang, Link: atomLink(en.Links)}
			it.Source = en.Source.Title.plain()
			it.Author = atomAuthor(en.Authors)
			if it.Author == "" {
				it.Author = atomAuthor(en.Source.Authors)
			}
			if it.Author == "" && it.Source == "" {
				// The feed's author speaks for its own entries only, not
				// for ones it aggregates from elsewhere.
				it.Author = feedAuthor
			}
			it.Content = en.Content.html()
			if strings.TrimSpace(it.Content) == "" {
				it.Content = en.Summary.html()
			}
			for _, d := range []string{en.Published, en.Issued, en.Updated, en.Modified} {
				if t, ok := ParseTime(d); ok {
					it.Published = t
					break
				}
			}
			f.Items = append(f.Items, it)
		}
	default: // rss, rdf
		f.Title, f.Lang = x.Channel.Title.plain(), x.Channel.Language
		items := x.Channel.Items
		if len(items) == 0 {
			items = x.Items
		}
		for _, ri := range items {
			it := feedItem{ID: strings.TrimSpace(ri.GUID), Title: ri.Title.plain(), Lang: ri.Lang, Link: rssLink(ri)}
			it.Source = oneLine(ri.Source.Text)
			if it.Source == "" {
				it.Source = ri.Source.Title.plain()
			}
			it.Author = rssAuthor(ri.Creators, ri.Authors)
			if it.ID == "" {
				it.ID = strings.TrimSpace(ri.About)
			}
			it.Content = strings.TrimSpace(ri.Encoded)
			if it.Content == "" {
				it.Content = strings.TrimSpace(ri.Description)
			}
			for _, d := range []string{ri.PubDate, ri.Date} {
				if t, ok := ParseTime(d); ok {
					it.Published = t
					break
				}
			}
			f.Items = append(f.Items, it)
		}
	}
	return f, nil
}

// atomAuthor joins the names of Atom person constructs.
func atomAuthor(as []xmlAuthor) string {
	var names []string
	for _, a := range as {
		if n := oneLine(a.Name); n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// rssAuthorName matches "jo@example.com (Jo Bloggs)", RSS 2.0's form.
var rssAuthorName = regexp.MustCompile(`^\S+@\S+\s*\((.+)\)$`)

// rssAuthor returns an RSS item's byline: its dc:creator names, else the
// names in its <author> addresses. A bare address is no byline.
func rssAuthor(creators []string, authors []xmlAuthor) string {
	var names []string
	for _, c := range creators {
		if c = oneLine(c); c != "" {
			names = append(names, c)
		}
	}
	if len(names) == 0 {
		for _, a := range authors {
			s := oneLine(a.Text)
			if s == "" {
				s = oneLine(a.Name) // an atom:author
			}
			if m := rssAuthorName.FindStringSubmatch(s); m != nil {
				s = strings.TrimSpace(m[1])
			} else if strings.Contains(s, "@") && !strings.Contains(s, " ") {
				s = ""
			}
			if s != "" {
				names = append(names, s)
			}
		}
	}
	return strings.Join(names, ", ")
}

// oneLine collapses white space runs to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// atomLink picks the alternate HTML link of an Atom entry.
func atomLink(links []xmlLink) string {
	best := ""
	for _, l := range links {
		rel := strings.ToLower(strings.TrimSpace(l.Rel))
		if rel != "" && rel != "alternate" {
			continue
		}
		href := strings.TrimSpace(l.Href)
		if href == "" {
			continue
		}
		if t := strings.ToLower(l.Type); t == "" || strings.Contains(t, "html") {
			return href
		}
		if best == "" {
			best = href
		}
	}
	return best
}

// rssLink picks an RSS item's link: <link>, else an alternate atom:link,
// else a permalink GUID.
func rssLink(ri rssItem) string {
	for _, l := range ri.Links {
		if v := strings.TrimSpace(l.Value); v != "" {
			return v
		}
	}
	if l := atomLink(ri.Links); l != "" {
		return l
	}
	if g := strings.TrimSpace(ri.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		return g
	}
	return ""
}

// jsonAuthors reads a JSON Feed "author" (1.0: one object) or "authors"
// (1.1: an array), leniently: a bare string is taken for a name, and
// anything else is no author rather than a broken feed.
type jsonAuthors []string

func (a *jsonAuthors) UnmarshalJSON(b []byte) error {
	type person struct {
		Name looseString `json:"name"`
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '[':
		var raw []json.RawMessage
		if json.Unmarshal(b, &raw) != nil {
			return nil
		}
		for _, r := range raw {
			var more jsonAuthors
			if more.UnmarshalJSON(r) == nil {
				*a = append(*a, more...)
			}
		}
	case '{':
		var p person
		if json.Unmarshal(b, &p) == nil {
			if n := oneLine(string(p.Name)); n != "" {
				*a = append(*a, n)
			}
		}
	case '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			if s = oneLine(s); s != "" {
				*a = append(*a, s)
			}
		}
	}
	return nil
}

func (a jsonAuthors) String() string { return strings.Join(a, ", ") }

type jsonFeed struct {
	Title    looseString `json:"title"`
	Language looseString `json:"language"`
	Author   jsonAuthors `json:"author"`
	Authors  jsonAuthors `json:"authors"`
	Items    []struct {
		Author        jsonAuthors `json:"author"`
		Authors       jsonAuthors `json:"authors"`
		ID            looseString `json:"id"`
		URL           looseString `json:"url"`
		ExternalURL   looseString `json:"external_url"`
		Title         looseString `json:"title"`
		ContentHTML   looseString `json:"content_html"`
		ContentText   looseString `json:"content_text"`
		Summary       looseString `json:"summary"`
		DatePublished looseString `json:"date_published"`
		DateModified  looseString `json:"date_modified"`
		Language      looseString `json:"language"`
	} `json:"items"`
}

func parseJSONFeed(body []byte) (*feed, error) {
	var j jsonFeed
	if err := json.Unmarshal(bytes.TrimPrefix(body, bomUTF8), &j); err != nil {
		return nil, fmt.Errorf("json feed: %w", err)
	}
	f := &feed{Title: oneLine(string(j.Title)), Lang: string(j.Language)}
	feedAuthor := firstNonEmpty(j.Authors.String(), j.Author.String())
	for _, ji := range j.Items {
		it := feedItem{
			ID:     strings.TrimSpace(string(ji.ID)),
			Link:   strings.TrimSpace(string(ji.URL)),
			Title:  oneLine(string(ji.Title)),
			Lang:   string(ji.Language),
			Author: firstNonEmpty(ji.Authors.String(), ji.Author.String(), feedAuthor),
		}
		if it.Link == "" {
			it.Link = strings.TrimSpace(string(ji.ExternalURL))
		}
		switch {
		case strings.TrimSpace(string(ji.ContentHTML)) != "":
			it.Content = string(ji.ContentHTML)
		case strings.TrimSpace(string(ji.ContentText)) != "":
			it.Content = textToHTML(string(ji.ContentText))
		case strings.TrimSpace(string(ji.Summary)) != "":
			it.Content = textToHTML(string(ji.Summary))
		}
		for _, d := range []looseString{ji.DatePublished, ji.DateModified} {
			if t, ok := ParseTime(string(d)); ok {
				it.Published = t
				break
			}
		}
		f.Items = append(f.Items, it)
	}
	return f, nil
}

// textToHTML escapes plain text into one <p> per blank-line-separated
// paragraph, so extraction sees paragraph breaks.
func textToHTML(s string) string {
	var b strings.Builder
	for _, para := range paraBreak.Split(strings.TrimSpace(s), -1) {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>")
			b.WriteString(html.EscapeString(para))
			b.WriteString("</p>\n")
		}
	}
	return b.String()
}

var paraBreak = regexp.MustCompile(`\n\s*\n`)

var tagRE = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return html.UnescapeString(tagRE.ReplaceAllString(s, " ")) }

// itemDocument wraps a feed item's own content, used when its page cannot
// be had, in an HTML document whose head declares what the feed says
// about the item. Extraction reads a page's own metadata before any hint,
// and on a bare fragment it would take the link's host for the outlet
// and whatever date or heading the text holds for the rest; declared
// here, the feed's outlet name, byline, title and date win instead.
func itemDocument(outlet string, it feedItem, lang string) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html")
	if lang != "" {
		fmt.Fprintf(&b, ` lang="%s"`, html.EscapeString(lang))
	}
	b.WriteString(">\n<head>\n<meta charset=\"utf-8\">\n")
	meta := func(attr, key, val string) {
		if val != "" {
			fmt.Fprintf(&b, "<meta %s=\"%s\" content=\"%s\">\n", attr, key, html.EscapeString(val))
		}
	}
	if it.Title != "" {
		fmt.Fprintf(&b, "<title>%s</title>\n", html.EscapeString(it.Title))
	}
	meta("property", "og:title", it.Title)
	meta("property", "og:site_name", outlet)
	meta("name", "author", it.Author)
	if !it.Published.IsZero() {
		meta("property", "article:published_time", it.Published.Format(time.RFC3339))
	}
	b.WriteString("</head>\n<body>\n<article>\n")
	b.WriteString(it.Content)
	b.WriteString("\n</article>\n</body>\n</html>\n")
	return validUTF8([]byte(b.String()))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
