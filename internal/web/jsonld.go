package web

import (
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/digest"
)

// ldThing is a schema.org thing known by its name.
type ldThing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// ldArticle is a schema.org NewsArticle. The template writes it inside a
// <script type="application/ld+json">, where html/template marshals it
// with encoding/json, which writes <, > and & as \u003c, \u003e and \u0026:
// a title holding </script> cannot end the block.
type ldArticle struct {
	Context       string      `json:"@context,omitempty"`
	Type          string      `json:"@type"`
	Headline      string      `json:"headline"`
	URL           string      `json:"url,omitempty"`
	InLanguage    any         `json:"inLanguage,omitempty"` // one code, or the story's list
	DatePublished string      `json:"datePublished,omitempty"`
	DateModified  string      `json:"dateModified,omitempty"`
	Author        *ldThing    `json:"author,omitempty"`
	Publisher     *ldThing    `json:"publisher,omitempty"`
	Abstract      string      `json:"abstract,omitempty"`
	About         []ldThing   `json:"about,omitempty"`
	Citation      []ldArticle `json:"citation,omitempty"`
}

// ldHeadline: search engines read at most 110 characters of a headline.
const ldHeadline = 110

func ldTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ldTypes maps the digest's entity types to schema.org's.
var ldTypes = map[string]string{"person": "Person", "org": "Organization", "place": "Place"}

// storyLD describes a story as one NewsArticle: its headline, its cited
// summary as the abstract, whom it is about, and its articles as
// citations.
func storyLD(dg *digest.Digest) ldArticle {
	st := dg.Story
	ld := ldArticle{Context: "https://schema.org", Type: "NewsArticle", Headline: short(ldHeadline, st.Headline),
		DatePublished: ldTime(st.FirstSeen), DateModified: ldTime(st.LastSeen)}
	if len(st.Langs) > 0 {
		ld.InLanguage = st.Langs
	}
	for i, x := range dg.Summary {
		if i > 0 {
			ld.Abstract += " "
		}
		ld.Abstract += x.Text
	}
	for _, e := range dg.Entities {
		t := ldTypes[e.Type]
		if t == "" {
			t = "Thing"
		}
		ld.About = append(ld.About, ldThing{Type: t, Name: e.Canonical})
	}
	for _, a := range dg.Articles {
		if a.Related || a.DuplicateOf != 0 {
			continue
		}
		c := ldArticle{Type: "NewsArticle", Headline: short(ldHeadline, a.Title), URL: httpURL(a.URL),
			DatePublished: ldTime(a.Published), Publisher: &ldThing{Type: "Organization", Name: a.Outlet}}
		if l := langAttr(a.Lang); l != "" {
			c.InLanguage = l
		}
		ld.Citation = append(ld.Citation, c)
	}
	return ld
}

// articleLD describes one article.
func articleLD(a *article.Article, link string) ldArticle {
	ld := ldArticle{Context: "https://schema.org", Type: "NewsArticle", Headline: short(ldHeadline, a.Title), URL: link,
		DatePublished: ldTime(a.Published)}
	if l := langAttr(a.Lang); l != "" {
		ld.InLanguage = l
	}
	if a.Author != "" {
		ld.Author = &ldThing{Type: "Person", Name: a.Author}
	}
	if a.Source != "" {
		ld.Publisher = &ldThing{Type: "Organization", Name: a.Source}
	}
	return ld
}
