package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/service"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the templates, each one file under templates/ that fills
// the base layout's blocks.
var pageNames = []string{"stories", "story", "article", "entity", "outlet", "search", "login", "done", "error"}

// templates holds one parsed template per page, each a clone of the base
// layout and the partials with the page's own blocks.
type templates struct {
	pages map[string]*template.Template
}

func mustTemplates() *templates {
	base := template.Must(template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/base.html", "templates/partials.html"))
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		c := template.Must(base.Clone())
		t.pages[name] = template.Must(c.ParseFS(templateFS, "templates/"+name+".html"))
	}
	return t
}

// page is what the base layout shows around every page's own Data.
type page struct {
	Site   string
	Title  string
	Query  string // the search box's text
	Status service.Status
	// Updated says how long ago the last update ran, by Options.Now.
	Updated string
	Feeds   []feedLink
	// LD is the page's schema.org data, marshalled by html/template's
	// JSON escaper in a <script type="application/ld+json">, which
	// writes <, > and & as \u003c, \u003e, \u0026.
	LD any
	// Write: corrections are on. Token: the write token, from the login
	// cookie or the form just posted, which correction forms carry back.
	Write bool
	Token string
	Here  string // this page's path and query, where login returns to
	CSS   string
	Icon  string
	Data  any
}

// feedLink is an Atom feed of what the page shows.
type feedLink struct {
	Title string
	URL   string
}

// newPage starts a page: the footer's status, the site's feed, the
// reader's token.
func (s *server) newPage(r *http.Request, title string, data any) *page {
	st := s.r.Status(r.Context())
	p := &page{Site: s.opt.SiteName, Title: title, Status: st, Updated: ago(s.opt.Now(), st.LastUpdate),
		Feeds: []feedLink{{Title: "Latest stories", URL: "/feeds/stories.atom"}},
		Write: s.writable(), Token: s.cookieToken(r), Here: r.URL.RequestURI(), CSS: staticURL("style.css"), Icon: staticURL("icon.svg"), Data: data}
	return p
}

// render writes a page. It executes into a buffer first, so that a
// template failure is a clean 500, never half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) error {
	var buf bytes.Buffer
	if err := s.tmpl.pages[name].ExecuteTemplate(&buf, "base", p); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if p.Token != "" {
		// The page holds the write token in its forms: keep it out of
		// every cache.
		h.Set("Cache-Control", "no-store")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Add("Vary", "Cookie")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		// The client went away; nothing to tell it.
		s.log.Debug("web: write", "path", r.URL.Path, "err", err)
	}
	return nil
}

// httpError is a failure the reader is told about, with its status.
type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

var errNotFound = &httpError{code: http.StatusNotFound, msg: "There is nothing at this address."}

func badRequest(msg string) error { return &httpError{code: http.StatusBadRequest, msg: msg} }

// errorData is the error page's.
type errorData struct {
	Code    int
	Heading string
	Message string
}

// fail answers with an error page: its own message for an httpError, 404
// for service.ErrNotFound, 400 for service.ErrRefused, else a 500 that says nothing of the cause,
// which is logged.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, service.ErrNotFound):
		he = errNotFound
	case errors.Is(err, service.ErrRefused):
		// The writer's message says what to change; it is escaped like
		// any other text.
		he = &httpError{code: http.StatusBadRequest, msg: "That correction cannot be made: " + err.Error() + "."}
	case errors.As(err, &mbe):
		he = &httpError{code: http.StatusRequestEntityTooLarge, msg: "The request is too large."}
	default:
		s.log.Error("web: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		he = &httpError{code: http.StatusInternalServerError, msg: "Something went wrong on our side. It has been logged; please try again later."}
	}
	d := errorData{Code: he.code, Heading: http.StatusText(he.code), Message: he.msg}
	if err := s.render(w, r, he.code, "error", s.newPage(r, d.Heading, d)); err != nil {
		// The error page itself failed: plain text, still no details.
		s.log.Error("web: error page", "path", r.URL.Path, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(he.code)
		_, _ = w.Write([]byte(http.StatusText(he.code) + "\n"))
	}
}

// ago says how long before now t was, for people.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	default:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	}
}

// localPath keeps a "next" address that stays on this site; anything else
// (another host, "//evil", a scheme) goes to the front page.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// staticFS is what /static/ serves.
//
//go:embed static
var staticFS embed.FS

func staticSub() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded folder is part of the build
	}
	return sub
}
