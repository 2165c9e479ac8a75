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
	ID        string
	Link      string
	Title     string
	Lang      string
	Content   string // HTML: full content when the feed has it, else the summary
	Published time.Time
}

// isFeed reports whether a response body is a feed. It sniffs rather than
// trusting the content type: feeds are served as text/html, text/plain or
// application/octet-stream as often as under their own types.
func isFeed(body []byte) bool { return feedKind(body) != "" }

var jsonFeedVersion = regexp.MustCompile(`"version"\s*:\s*"https?://jsonfeed\.org/version/`)

// feedKind sniffs a body: "rss", "atom", "rdf", "json" or "".
func feedKind(body []byte) string {
	head := body[:min(len(body), sniffLen)]
	head = bytes.TrimPrefix(head, bomUTF8)
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		if jsonFeedVersion.Match(head) {
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
	Type  string `xml:"type,attr"`
	Inner string `xml:",innerxml"`
	Text  string `xml:",chardata"`
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

type rssItem struct {
	Title       xmlText   `xml:"title"`
	Links       []xmlLink `xml:"link"`
	GUID        string    `xml:"guid"`
	About       string    `xml:"about,attr"`
	Description string    `xml:"description"`
	Encoded     string    `xml:"encoded"`
	PubDate     string    `xml:"pubDate"`
	Date        string    `xml:"date"`
	Lang        string    `xml:"language"`
}

type atomEntry struct {
	ID        string    `xml:"id"`
	Lang      string    `xml:"lang,attr"`
	Title     xmlText   `xml:"title"`
	Links     []xmlLink `xml:"link"`
	Content   xmlText   `xml:"content"`
	Summary   xmlText   `xml:"summary"`
	Published string    `xml:"published"`
	Issued    string    `xml:"issued"`
	Updated   string    `xml:"updated"`
	Modified  string    `xml:"modified"`
}

type xmlFeed struct {
	XMLName xml.Name
	Lang    string  `xml:"lang,attr"`
	Title   xmlText `xml:"title"`
	Channel struct {
		Title    xmlText   `xml:"title"`
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
		for _, en := range x.Entries {
			it := feedItem{ID: strings.TrimSpace(en.ID), Title: en.Title.plain(), Lang: en.Lang, Link: atomLink(en.Links)}
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

type jsonFeed struct {
	Title    looseString `json:"title"`
	Language looseString `json:"language"`
	Items    []struct {
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
	f := &feed{Title: strings.TrimSpace(string(j.Title)), Lang: string(j.Language)}
	for _, ji := range j.Items {
		it := feedItem{
			ID:    strings.TrimSpace(string(ji.ID)),
			Link:  strings.TrimSpace(string(ji.URL)),
			Title: strings.TrimSpace(string(ji.Title)),
			Lang:  string(ji.Language),
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
