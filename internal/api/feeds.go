package api

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

// A feed, before it is written as Atom or RSS. Its links and IDs are
// absolute URLs under the base URL: stories link to the web UI's
// /stories/{id}, articles to their own page (or, without one, to
// /api/articles/{id}), and IDs are those URLs, which do not change.
type feed struct {
	Title    string
	Subtitle string
	ID       string // also the alternate link
	Self     string // the feed's own URL
	Updated  time.Time
	Entries  []entry
}

type entry struct {
	ID         string
	Title      string
	Link       string
	Summary    string
	Author     string
	Lang       string
	Categories []string
	Published  time.Time
	Updated    time.Time
}

// base is the absolute root URL of links: Options.BaseURL, else the
// request's scheme and host.
func (a *API) base(r *http.Request) string {
	if a.opt.BaseURL != "" {
		return a.opt.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// feedFormat reads a feed's format from its path's extension.
func feedFormat(name string) (stem, format string, ok bool) {
	for _, f := range []string{"atom", "rss"} {
		if s, ok := strings.CutSuffix(name, "."+f); ok {
			return s, f, true
		}
	}
	return "", "", false
}

// storyLink is the story's page in the web UI (package web serves it).
func storyLink(base string, id int64) string { return base + "/story/" + strconv.FormatInt(id, 10) }

func (a *API) storiesFeed(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := parsePage(r.URL.Query(), DefaultFeedLimit)
		if err != nil {
			return err
		}
		sp, err := a.r.Stories(r.Context(), service.StoryFilter{Sort: "recent"}, "", p.Limit)
		if err != nil {
			return err
		}
		base := a.base(r)
		f := feed{Title: "Storyline: latest stories", ID: base + "/", Self: base + "/feeds/stories." + format}
		for _, s := range sp.Stories {
			f.Entries = append(f.Entries, storyEntry(base, s))
		}
		return a.writeFeed(w, format, f)
	}
}

func storyEntry(base string, s store.Story) entry {
	e := entry{ID: storyLink(base, s.ID), Link: storyLink(base, s.ID), Title: s.Headline,
		Published: s.FirstSeen, Updated: cmp.Or(s.LastSeen, s.FirstSeen), Categories: s.Langs}
	if e.Title == "" {
		e.Title = fmt.Sprintf("Story %d", s.ID)
	}
	arts := "articles"
	if s.Articles == 1 {
		arts = "article"
	}
	e.Summary = fmt.Sprintf("%d %s", s.Articles, arts)
	if len(s.Outlets) > 0 {
		e.Summary += " from " + strings.Join(s.Outlets, ", ")
	}
	if len(s.Langs) > 0 {
		e.Summary += " in " + strings.Join(s.Langs, ", ")
	}
	e.Summary += "."
	if len(s.TopTerms) > 0 {
		e.Summary += " " + strings.Join(s.TopTerms, ", ")
	}
	return e
}

// storyFeed serves /feeds/story/{id}.atom and .rss: the story's articles,
// latest first.
func (a *API) storyFeed(w http.ResponseWriter, r *http.Request) error {
	stem, format, ok := feedFormat(r.PathValue("file"))
	if !ok {
		return notFound("feed")
	}
	id, err := parseID("story", stem)
	if err != nil {
		return err
	}
	p, err := parsePage(r.URL.Query(), DefaultFeedLimit)
	if err != nil {
		return err
	}
	d, err := a.r.Digest(r.Context(), id)
	if err != nil {
		return err
	}
	if d == nil {
		return notFound("story")
	}
	base := a.base(r)
	title := d.Story.Headline
	if title == "" {
		title = fmt.Sprintf("Story %d", id)
	}
	f := feed{Title: "Storyline: " + title, ID: storyLink(base, id), Self: fmt.Sprintf("%s/feeds/story/%d.%s", base, id, format)}
	var sum []string
	for _, s := range d.Summary {
		sum = append(sum, s.Text)
	}
	f.Subtitle = strings.Join(sum, " ")
	arts := slices.Clone(d.Articles)
	slices.SortStableFunc(arts, func(x, y digest.ArticleRef) int {
		return cmp.Or(y.Published.Compare(x.Published), cmp.Compare(y.ID, x.ID))
	})
	for _, ar := range arts {
		if ar.Related {
			continue
		}
		if len(f.Entries) == p.Limit {
			break
		}
		e := entry{ID: articleID(base, ar.ID), Link: articleLink(base, ar.ID, ar.URL), Title: ar.Title, Author: ar.Outlet,
			Lang: ar.Lang, Published: ar.Published, Updated: cmp.Or(ar.Published, d.Story.LastSeen)}
		e.Summary = ar.Outlet
		if ar.DuplicateOf != 0 {
			e.Summary += fmt.Sprintf(" (a copy of article %d)", ar.DuplicateOf)
		}
		if ar.Lang != "" {
			e.Categories = []string{ar.Lang}
		}
		f.Entries = append(f.Entries, e)
	}
	if len(f.Entries) == 0 {
		f.Updated = d.Story.LastSeen
	}
	return a.writeFeed(w, format, f)
}

// articleID is an article's entry ID; articleLink where it links: the
// article's own page when it has an http(s) URL.
func articleID(base string, id int64) string {
	return base + "/api/articles/" + strconv.FormatInt(id, 10)
}

func articleLink(base string, id int64, u string) string {
	if p, err := url.Parse(u); err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" {
		return p.String()
	}
	return articleID(base, id)
}

func (a *API) searchFeed(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		query, err := parseSearch(q)
		if err != nil {
			return err
		}
		p, err := parsePage(q, DefaultFeedLimit)
		if err != nil {
			return err
		}
		sp, err := a.r.Search(r.Context(), query, "", p.Limit)
		if err != nil {
			return err
		}
		base := a.base(r)
		qs := url.Values{"q": {query}}.Encode()
		f := feed{Title: "Storyline: search for " + query, ID: base + "/search?" + qs,
			Self: base + "/feeds/search." + format + "?" + qs, Subtitle: sp.Message}
		for _, g := range sp.Groups {
			for _, h := range g.Articles {
				e := entry{ID: articleID(base, h.ID), Link: articleLink(base, h.ID, h.URL), Title: h.Title, Author: h.Outlet,
					Lang: h.Lang, Summary: h.Snippet, Published: h.Published, Updated: cmp.Or(h.Published, g.Story.LastSeen)}
				if h.Lang != "" {
					e.Categories = []string{h.Lang}
				}
				f.Entries = append(f.Entries, e)
			}
		}
		return a.writeFeed(w, format, f)
	}
}

// writeFeed fills in the times a feed needs and writes it.
func (a *API) writeFeed(w http.ResponseWriter, format string, f feed) error {
	now := a.opt.Now().UTC()
	for i := range f.Entries {
		e := &f.Entries[i]
		if e.Updated.IsZero() {
			e.Updated = now
		}
		if e.Title == "" {
			e.Title = "(untitled)"
		}
		if e.Updated.After(f.Updated) {
			f.Updated = e.Updated
		}
	}
	if f.Updated.IsZero() {
		f.Updated = now
	}
	var (
		v     any
		ctype string
	)
	if format == "rss" {
		v, ctype = rssOf(f), "application/rss+xml; charset=utf-8"
	} else {
		v, ctype = atomOf(f), "application/atom+xml; charset=utf-8"
	}
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("api: feed: %w", err)
	}
	writeBody(w, http.StatusOK, ctype, append([]byte(xml.Header), append(b, '\n')...))
	return nil
}

// Atom 1.0 (RFC 4287).

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
}

func atomTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func atomOf(f feed) atomFeed {
	out := atomFeed{Title: atomText{Type: "text", Body: f.Title}, ID: f.ID, Updated: atomTime(f.Updated),
		Links:  []atomLink{{Rel: "self", Type: "application/atom+xml", Href: f.Self}, {Rel: "alternate", Href: f.ID}},
		Author: atomPerson{Name: "Storyline"}, Gen: "Storyline"}
	if f.Subtitle != "" {
		out.Subtitle = &atomText{Type: "text", Body: f.Subtitle}
	}
	for _, e := range f.Entries {
		ae := atomEntry{ID: e.ID, Title: atomText{Type: "text", Lang: e.Lang, Body: e.Title}, Updated: atomTime(e.Updated),
			Published: atomTime(e.Published), Links: []atomLink{{Rel: "alternate", Href: e.Link}}}
		if e.Author != "" {
			ae.Author = &atomPerson{Name: e.Author}
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Lang: e.Lang, Body: e.Summary}
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: c})
		}
		out.Entries = append(out.Entries, ae)
	}
	return out
}

// RSS 2.0.

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	AtomLink    rssSelf   `xml:"http://www.w3.org/2005/Atom link"`
	LastBuild   string    `xml:"lastBuildDate"`
	Generator   string    `xml:"generator"`
	Items       []rssItem `xml:"item"`
}

type rssSelf struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	Description string   `xml:"description,omitempty"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate,omitempty"`
	Categories  []string `xml:"category"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	ID          string `xml:",chardata"`
}

func rssTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC1123Z)
}

func rssOf(f feed) rssDoc {
	desc := f.Subtitle
	if desc == "" {
		desc = f.Title
	}
	ch := rssChannel{Title: f.Title, Link: f.ID, Description: desc, LastBuild: rssTime(f.Updated), Generator: "Storyline",
		AtomLink: rssSelf{Rel: "self", Type: "application/rss+xml", Href: f.Self}}
	for _, e := range f.Entries {
		it := rssItem{Title: e.Title, Link: e.Link, GUID: rssGUID{IsPermaLink: e.ID == e.Link, ID: e.ID},
			PubDate: rssTime(cmp.Or(e.Published, e.Updated)), Categories: e.Categories}
		it.Description = e.Summary
		if e.Author != "" && e.Summary != e.Author {
			it.Description = strings.TrimSpace(e.Author + ": " + e.Summary)
		}
		ch.Items = append(ch.Items, it)
	}
	return rssDoc{Version: "2.0", Channel: ch}
}
