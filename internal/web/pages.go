package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

// pathID is the {id} of a path; a malformed one is a page that does not
// exist.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// storiesData is the story list's.
type storiesData struct {
	Stories []store.Story
	Form    storyForm
	// Recent and Biggest are the list's two orders with the same filters.
	Recent, Biggest string
	Next            string // the next page's address, "" at the end
	Paged           bool   // this is not the first page
	Message         string // a filter that could not be read
}

// storyForm is the story list's filters as the form sent them.
type storyForm struct {
	Lang, Outlet, After, Before, Sort string
}

func (f storyForm) values() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"lang", f.Lang}, {"outlet", f.Outlet}, {"after", f.After}, {"before", f.Before}, {"sort", f.Sort}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v
}

// listURL is the story list's address for v.
func listURL(v url.Values) string {
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

// formValue is a query or form field, trimmed and bounded: nothing a
// reader types needs more than a few hundred characters.
func formValue(v url.Values, key string) string {
	s := strings.TrimSpace(v.Get(key))
	return short(300, s)
}

func (s *server) stories(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := storyForm{Lang: strings.ToLower(formValue(q, "lang")), Outlet: formValue(q, "outlet"),
		After: formValue(q, "after"), Before: formValue(q, "before"), Sort: formValue(q, "sort")}
	if f.Sort != "biggest" {
		f.Sort = ""
	}
	filter := service.StoryFilter{Lang: f.Lang, Outlet: f.Outlet, Sort: "recent"}
	if f.Sort == "biggest" {
		filter.Sort = "biggest"
	}
	d := storiesData{Form: f}
	status := http.StatusOK
	var err error
	// "Active on or after" a day: last seen from its start; "began on or
	// before" a day: first seen before the next day's start.
	if f.After != "" {
		if filter.After, err = time.Parse(time.DateOnly, f.After); err != nil {
			d.Message = "“Active on or after” must be a date like 2025-06-01."
		}
	}
	if f.Before != "" {
		var t time.Time
		if t, err = time.Parse(time.DateOnly, f.Before); err != nil {
			d.Message = "“Began on or before” must be a date like 2025-06-01."
		}
		filter.Before = t.AddDate(0, 0, 1)
	}
	if f.Lang != "" && langAttr(f.Lang) == "" {
		d.Message = "The language is a code like en or ar."
	}
	rec, big := f, f
	rec.Sort, big.Sort = "", "biggest"
	d.Recent, d.Biggest = listURL(rec.values()), listURL(big.values())
	if d.Message != "" {
		status = http.StatusBadRequest
	} else {
		cursor := formValue(q, "cursor")
		sp, err := s.r.Stories(r.Context(), filter, cursor, pageSize)
		if err != nil {
			return err
		}
		d.Stories, d.Paged = sp.Stories, cursor != ""
		if sp.Next != "" {
			v := f.values()
			v.Set("cursor", sp.Next)
			d.Next = listURL(v)
		}
	}
	title := "Latest stories"
	if f.Sort == "biggest" {
		title = "Biggest stories"
	}
	return s.render(w, r, status, "stories", s.newPage(r, title, d))
}

func (s *server) story(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	dg, err := s.r.Digest(r.Context(), id)
	if err != nil {
		return err
	}
	if dg == nil {
		return errNotFound
	}
	d := newStoryData(dg)
	p := s.newPage(r, dg.Story.Headline, d)
	p.Feeds = append(p.Feeds, feedLink{Title: "This story", URL: "/feeds/story/" + strconv.FormatInt(id, 10) + ".atom"})
	p.LD = storyLD(dg)
	return s.render(w, r, http.StatusOK, "story", p)
}

// articleData is the article page's.
type articleData struct {
	A          *article.Article
	URL        string // the original, when it is a web address
	Paragraphs []string
	Story      *store.Story
	Entities   []mentionRow
	Intel      store.Intel
}

// mentionRow is one entity an article names, as it writes it.
type mentionRow struct {
	Entity int64
	Text   string
	Type   string
	Count  int
}

func (s *server) article(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, in, err := s.r.Article(r.Context(), id)
	if err != nil {
		return err
	}
	if a == nil {
		return errNotFound
	}
	d := articleData{A: a, URL: httpURL(a.URL), Paragraphs: paragraphs(a.Text), Intel: in}
	if a.Story != 0 {
		st, err := s.r.Story(r.Context(), a.Story)
		switch {
		case err == nil:
			d.Story = &st
		case !errors.Is(err, service.ErrNotFound):
			return err
		}
	}
	d.Entities = mentionRows(in.Mentions)
	title := a.Title
	if title == "" {
		title = "Article " + strconv.FormatInt(a.ID, 10)
	}
	p := s.newPage(r, title, d)
	if d.Story != nil {
		p.Feeds = append(p.Feeds, feedLink{Title: "Its story", URL: "/feeds/story/" + strconv.FormatInt(d.Story.ID, 10) + ".atom"})
	}
	p.LD = articleLD(a, d.URL)
	return s.render(w, r, http.StatusOK, "article", p)
}

// paragraphs splits an article's text at its line breaks.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// mentionRows lists the names an article writes, once each with its
// count, the resolved ones first.
func mentionRows(ms []store.Mention) []mentionRow {
	type key struct {
		e int64
		t string
	}
	idx := map[key]int{}
	var out []mentionRow
	for _, m := range ms {
		k := key{m.Entity, m.Text}
		if i, ok := idx[k]; ok {
			out[i].Count++
			continue
		}
		idx[k] = len(out)
		out = append(out, mentionRow{Entity: m.Entity, Text: m.Text, Type: m.Type, Count: 1})
	}
	slices.SortStableFunc(out, func(a, b mentionRow) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Text, b.Text))
	})
	return out
}

func (s *server) entity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ep, err := s.r.Entity(r.Context(), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "entity", s.newPage(r, ep.Entity.Canonical, ep))
}

// outletData is the outlet page's.
type outletData struct {
	O     service.OutletPage
	Omits []omitRow
	Next  string
}

type omitRow struct {
	Kind  string
	Count int
}

func (s *server) outlet(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if name == "" {
		return errNotFound
	}
	cursor := formValue(r.URL.Query(), "cursor")
	op, err := s.r.Outlet(r.Context(), name, cursor, pageSize)
	if err != nil {
		return err
	}
	d := outletData{O: op}
	for k, n := range op.Omits {
		d.Omits = append(d.Omits, omitRow{Kind: k, Count: n})
	}
	slices.SortFunc(d.Omits, func(a, b omitRow) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Kind, b.Kind)) })
	if op.Next != "" {
		d.Next = outletURL(name) + "?" + url.Values{"cursor": {op.Next}}.Encode()
	}
	if op.Name == "" {
		d.O.Name = name
	}
	return s.render(w, r, http.StatusOK, "outlet", s.newPage(r, d.O.Name, d))
}

// searchData is the search page's.
type searchData struct {
	Q     string
	Res   *service.SearchPage
	Error string // the query did not parse: why
	Next  string
}

func (s *server) search(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := searchData{Q: strings.TrimSpace(q.Get("q"))}
	if len([]rune(d.Q)) > 500 {
		d.Q = ""
		d.Error = "The query is too long (500 characters at most)."
	}
	status := http.StatusOK
	if d.Q != "" {
		cursor := formValue(q, "cursor")
		res, err := s.r.Search(r.Context(), d.Q, cursor, pageSize)
		switch {
		case errors.Is(err, service.ErrBadQuery):
			// The reader's message is for people: show it with the form.
			d.Error = err.Error()
		case err != nil:
			return err
		default:
			d.Res = &res
			if res.Next != "" {
				d.Next = "/search?" + url.Values{"q": {d.Q}, "cursor": {res.Next}}.Encode()
			}
		}
	}
	if d.Error != "" {
		status = http.StatusBadRequest
	}
	title := "Search"
	if d.Q != "" {
		title = "Search: " + d.Q
	}
	p := s.newPage(r, title, d)
	p.Query = d.Q
	if d.Q != "" {
		p.Feeds = append(p.Feeds, feedLink{Title: "This search", URL: "/feeds/search.atom?" + url.Values{"q": {d.Q}}.Encode()})
	}
	return s.render(w, r, status, "search", p)
}
