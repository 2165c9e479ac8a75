package api

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"
)

// What a feed reader sees, parsed independently of the writer's types.
type parsedAtom struct {
	XMLName xml.Name `xml:"feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID    string `xml:"id"`
		Title struct {
			Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Body string `xml:",chardata"`
		} `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary    string `xml:"summary"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type parsedRSS struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Links []struct {
			XMLName xml.Name
			Rel     string `xml:"rel,attr"`
			Href    string `xml:"href,attr"`
			Body    string `xml:",chardata"`
		} `xml:"link"`
		Description string `xml:"description"`
		LastBuild   string `xml:"lastBuildDate"`
		Items       []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			Description string `xml:"description"`
			GUID        string `xml:"guid"`
			PubDate     string `xml:"pubDate"`
		} `xml:"item"`
	} `xml:"channel"`
}

const atomNS = "http://www.w3.org/2005/Atom"

func absolute(t *testing.T, what, u, base string) {
	t.Helper()
	if !strings.HasPrefix(u, base) && !strings.HasPrefix(u, "https://") {
		t.Errorf("%s %q is not absolute under %s", what, u, base)
	}
}

func getAtom(t *testing.T, h http.Handler, target, base string) parsedAtom {
	t.Helper()
	rec := do(t, h, "GET", target, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", target, ct)
	}
	if strings.Contains(rec.Body.String(), "<script>") {
		t.Errorf("%s: unescaped markup", target)
	}
	var f parsedAtom
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatalf("%s: not XML: %v\n%s", target, err, rec.Body)
	}
	if f.XMLName.Space != atomNS || f.XMLName.Local != "feed" {
		t.Errorf("%s: root %v", target, f.XMLName)
	}
	if f.ID == "" || f.Title == "" || f.Author.Name == "" {
		t.Errorf("%s: id %q title %q author %q", target, f.ID, f.Title, f.Author.Name)
	}
	absolute(t, "feed id", f.ID, base)
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("%s: updated %q", target, f.Updated)
	}
	self := false
	for _, l := range f.Links {
		absolute(t, "link", l.Href, base)
		self = self || l.Rel == "self"
	}
	if !self {
		t.Errorf("%s: no self link", target)
	}
	ids := map[string]bool{}
	for _, e := range f.Entries {
		absolute(t, "entry id", e.ID, base)
		absolute(t, "entry link", e.Link.Href, base)
		if ids[e.ID] {
			t.Errorf("%s: entry id %s twice", target, e.ID)
		}
		ids[e.ID] = true
		if e.Title.Body == "" {
			t.Errorf("%s: entry without a title", target)
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("%s: entry updated %q", target, e.Updated)
		}
	}
	return f
}

func getRSS(t *testing.T, h http.Handler, target, base string) parsedRSS {
	t.Helper()
	rec := do(t, h, "GET", target, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/rss+xml; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", target, ct)
	}
	if strings.Contains(rec.Body.String(), "<script>") {
		t.Errorf("%s: unescaped markup", target)
	}
	var f parsedRSS
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatalf("%s: not XML: %v\n%s", target, err, rec.Body)
	}
	if f.XMLName.Local != "rss" || f.Version != "2.0" || f.Channel.Title == "" || f.Channel.Description == "" {
		t.Errorf("%s: rss %v version %q title %q", target, f.XMLName, f.Version, f.Channel.Title)
	}
	links := 0
	for _, l := range f.Channel.Links {
		switch l.XMLName.Space {
		case "":
			absolute(t, "channel link", l.Body, base)
			links++
		case atomNS:
			if l.Rel != "self" {
				t.Errorf("%s: atom:link rel %q", target, l.Rel)
			}
			absolute(t, "self link", l.Href, base)
			links++
		}
	}
	if links != 2 {
		t.Errorf("%s: %d channel links, want link and atom:link", target, links)
	}
	if _, err := time.Parse(time.RFC1123Z, f.Channel.LastBuild); err != nil {
		t.Errorf("%s: lastBuildDate %q", target, f.Channel.LastBuild)
	}
	for _, it := range f.Channel.Items {
		absolute(t, "item link", it.Link, base)
		absolute(t, "item guid", it.GUID, base)
		if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
			t.Errorf("%s: pubDate %q", target, it.PubDate)
		}
	}
	return f
}

func TestFeeds(t *testing.T) {
	h, f := newTest(t)
	const base = "https://news.example.org"
	hostile := strings.ReplaceAll(hostileTitle, "\x01", "\uFFFD")

	a := getAtom(t, h, "/feeds/stories.atom", base)
	if len(a.Entries) != min(DefaultFeedLimit, len(f.stories)) {
		t.Errorf("%d entries", len(a.Entries))
	}
	if a.Entries[0].ID != base+"/story/1" || a.Entries[0].Link.Href != base+"/story/1" {
		t.Errorf("first entry %+v", a.Entries[0])
	}
	if a.Entries[1].Title.Body != hostile {
		t.Errorf("hostile title read back as %q", a.Entries[1].Title.Body)
	}
	if a.Updated != "2024-10-30T10:00:00Z" {
		t.Errorf("feed updated %s, want the latest story's", a.Updated)
	}
	if n := len(getAtom(t, h, "/feeds/stories.atom?limit=5", base).Entries); n != 5 {
		t.Errorf("limit=5: %d entries", n)
	}

	r := getRSS(t, h, "/feeds/stories.rss", base)
	if len(r.Channel.Items) != len(a.Entries) || r.Channel.Items[1].Title != hostile {
		t.Errorf("rss items %d, second %q", len(r.Channel.Items), r.Channel.Items[1].Title)
	}

	// One story: its articles, latest first, the undated last; an Arabic
	// title says so; a copy without a URL links to the API.
	s := getAtom(t, h, "/feeds/story/1.atom", base)
	var got []string
	for _, e := range s.Entries {
		got = append(got, e.ID)
	}
	want := []string{base + "/api/articles/102", base + "/api/articles/101", base + "/api/articles/103"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("story entries %v, want %v", got, want)
	}
	if e := s.Entries[0]; e.Title.Lang != "ar" || e.Title.Body != "فيضانات تقتل العشرات في فالنسيا" || e.Link.Href != "https://aljazeera.example/ar/floods" ||
		len(e.Categories) != 1 || e.Categories[0].Term != "ar" {
		t.Errorf("Arabic entry %+v", e)
	}
	if s.Entries[2].Link.Href != base+"/api/articles/103" || s.Entries[2].Published != "" {
		t.Errorf("undated copy %+v", s.Entries[2])
	}
	getRSS(t, h, "/feeds/story/1.rss", base)
	hs := getAtom(t, h, "/feeds/story/2.atom", base)
	if len(hs.Entries) != 1 || hs.Entries[0].Link.Href != base+"/api/articles/201" {
		t.Errorf("a javascript: URL must not be a link: %+v", hs.Entries)
	}
	if !strings.Contains(hs.Title, "<script>") {
		t.Errorf("feed title %q", hs.Title)
	}

	// Search, including Arabic.
	sa := getAtom(t, h, "/feeds/search.atom?q=valencia", base)
	if len(sa.Entries) != 2 || !strings.Contains(sa.Links[0].Href, "q=valencia") {
		t.Errorf("search feed: %d entries, links %+v", len(sa.Entries), sa.Links)
	}
	if n := len(getRSS(t, h, "/feeds/search.rss?q=%D9%81%D8%A7%D9%84%D9%86%D8%B3%D9%8A%D8%A7", base).Channel.Items); n != 1 {
		t.Errorf("Arabic search feed: %d items", n)
	}
	if n := len(getAtom(t, h, "/feeds/search.atom?q=nothing", base).Entries); n != 0 {
		t.Errorf("empty search: %d entries", n)
	}
}

func TestFeedsWithoutBaseURL(t *testing.T) {
	f := newFake()
	h := New(f, f, Options{Now: func() time.Time { return t0 }})
	a := getAtom(t, h, "/feeds/stories.atom", "http://example.com")
	if a.Entries[0].ID != "http://example.com/story/1" {
		t.Errorf("entry id %s", a.Entries[0].ID)
	}
}
