// Package web is Storyline's server-rendered reading UI: the story list, a
// story's digest (cited summary, timeline chart, articles by language and
// outlet, entities, quotes, figures, coverage, why together), articles,
// entities, outlets, search, and people's corrections behind a write token.
//
// It is html/template and one stylesheet, both embedded: no JavaScript, so
// every page works in any browser and the Content-Security-Policy can
// forbid scripts outright. Everything a page shows from an article is
// untrusted and reaches the page only through html/template's escaping.
//
// Routes (all GET or HEAD unless said):
//
//	/                  stories, newest or biggest (?sort=recent|biggest), filtered
//	                   by ?lang=, ?outlet=, ?after=, ?before= (YYYY-MM-DD), paged by ?cursor=
//	/story/{id}        one story's digest
//	/article/{id}      one article with what it says
//	/entity/{id}       an entity under every spelling, its merges, stories, quotes
//	/outlet/{name}     an outlet's stories, languages, what it tends to leave out
//	/search?q=         results grouped by story; a malformed query is a 400 with its message
//	/login             GET: a form for the write token; POST: sets the token cookie
//	/logout            POST: clears it
//	/correct           POST: one correction (kind=move-article|merge-stories|
//	                   split-story|merge-entities|split-entity); answers with an undo button
//	/undo              POST: undoes a correction by its ID
//	/static/{file}     the embedded stylesheet and icon, cached for a year (versioned URLs)
//
// Authorisation of changes: a POST to /correct or /undo must carry the write
// token in its body (form field "token"). The cookie /login sets only lets
// pages fill that field in for the person who logged in; a cookie alone,
// which a browser sends along with a forged cross-site form, authorises
// nothing. With Options.WriteToken empty, or no Writer, corrections are off.
package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/storyline/storyline/internal/service"
)

// Options configure the UI.
type Options struct {
	// WriteToken authorises corrections; empty disables them.
	WriteToken string
	// SiteName titles every page. Default "Storyline".
	SiteName string
	// Logger receives errors readers do not see. Default slog.Default().
	Logger *slog.Logger
	// Now is the clock ("updated 5 minutes ago"); tests fix it. Default
	// time.Now.
	Now func() time.Time
}

// Limits.
const (
	// maxBody bounds a request body: the largest legitimate one is a split
	// form listing a few hundred article IDs.
	maxBody = 64 << 10
	// pageSize is how many stories or results a page lists.
	pageSize = 30
	// tokenCookie holds the write token once a person logged in.
	tokenCookie = "storyline_write"
	// tokenCookieAge is how long a login lasts.
	tokenCookieAge = 30 * 24 * time.Hour
)

// csp allows the page's own stylesheet and nothing else: no scripts at all
// (the JSON-LD data block is not a script a browser runs, so CSP does not
// apply to it), no plugins, no framing, forms posting only here.
const csp = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type server struct {
	r     service.Reader
	w     service.Writer
	opt   Options
	log   *slog.Logger
	tmpl  *templates
	token [sha256.Size]byte // of opt.WriteToken, compared in constant time
}

// New returns the UI's handler. w may be nil for a read-only UI.
func New(r service.Reader, w service.Writer, opt Options) http.Handler {
	if opt.SiteName == "" {
		opt.SiteName = "Storyline"
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &server{r: r, w: w, opt: opt, log: opt.Logger, tmpl: mustTemplates(), token: sha256.Sum256([]byte(opt.WriteToken))}
	mux := http.NewServeMux()
	mux.Handle("/{$}", s.get(s.stories))
	mux.Handle("/story/{id}", s.get(s.story))
	mux.Handle("/article/{id}", s.get(s.article))
	mux.Handle("/entity/{id}", s.get(s.entity))
	mux.Handle("/outlet/{name}", s.get(s.outlet))
	mux.Handle("/search", s.get(s.search))
	mux.Handle("/login", s.handle(s.login, http.MethodGet, http.MethodHead, http.MethodPost))
	mux.Handle("/logout", s.handle(s.logout, http.MethodPost))
	mux.Handle("/correct", s.handle(s.correct, http.MethodPost))
	mux.Handle("/undo", s.handle(s.undo, http.MethodPost))
	mux.Handle("/done", s.get(s.done))
	mux.Handle("/static/{file}", s.get(s.static))
	mux.Handle("/", s.get(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))
	return s.secure(mux)
}

// writable says whether corrections are on.
func (s *server) writable() bool { return s.opt.WriteToken != "" && s.w != nil }

// validToken compares a presented token with the write token in constant
// time (hashes first, so that not even the length leaks).
func (s *server) validToken(t string) bool {
	if !s.writable() || t == "" {
		return false
	}
	h := sha256.Sum256([]byte(t))
	return subtle.ConstantTimeCompare(h[:], s.token[:]) == 1
}

// cookieToken is the write token the login cookie holds, "" when there is
// none or it is wrong (the token changed since).
func (s *server) cookieToken(r *http.Request) string {
	c, err := r.Cookie(tokenCookie)
	if err != nil || !s.validToken(c.Value) {
		return ""
	}
	return c.Value
}

// secure sets the security headers on every response, bounds request
// bodies, and turns a panic into a 500 page.
func (s *server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("web: panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// handlerFunc is a handler that returns its failure for one place to turn
// into an error page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *server) get(h handlerFunc) http.Handler {
	return s.handle(h, http.MethodGet, http.MethodHead)
}

// handle serves h for the given methods and 405 for others.
func (s *server) handle(h handlerFunc, methods ...string) http.Handler {
	allow := ""
	for i, m := range methods {
		if i > 0 {
			allow += ", "
		}
		allow += m
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := false
		for _, m := range methods {
			ok = ok || r.Method == m
		}
		if !ok {
			w.Header().Set("Allow", allow)
			s.fail(w, r, &httpError{code: http.StatusMethodNotAllowed, msg: "This address does not take " + r.Method + " requests."})
			return
		}
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}
