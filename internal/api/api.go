// Package api serves Storyline's JSON API, its OpenAPI description and its
// Atom and RSS feeds over HTTP. Handlers read through a service.Reader and
// change things only through a service.Writer.
//
// Routes (the OpenAPI document at GET /api/openapi.json has every
// parameter and schema):
//
//	GET  /api/stories                 stories, most recent first, cursor-paged
//	GET  /api/stories/{id}            one story's digest
//	GET  /api/articles/{id}           one article with its names, quotes and figures
//	GET  /api/entities/{id}           an entity, its spellings, stories and quotes
//	GET  /api/outlets/{name}          an outlet, cursor-paged stories
//	GET  /api/search?q=               search, grouped by story, cursor-paged
//	GET  /api/status                  how the service is doing
//	POST /api/articles                submit pages (JSON object, array or JSON lines; {"url":...} to fetch)
//	POST /api/corrections             record a correction
//	POST /api/corrections/{id}/undo   reverse one
//	GET  /feeds/stories.atom|.rss     stories, latest first
//	GET  /feeds/story/{id}.atom|.rss  one story's articles
//	GET  /feeds/search.atom|.rss?q=   any search
//
// Writes need "Authorization: Bearer TOKEN" with Options.WriteToken; without
// a configured token they are refused (403). Every response has a
// Content-Type and "X-Content-Type-Options: nosniff"; errors are JSON
// {"error": "...", "status": N}. No CORS headers are sent.
//
// Timeouts belong to the http.Server that serves this handler: set
// ReadHeaderTimeout, ReadTimeout (bounds a slow upload; bodies are limited to
// Options.MaxBody), WriteTimeout (bounds slow readers; POST /api/articles with
// {"url":...} waits for the fetch, so allow for it) and IdleTimeout. Handlers
// stop when the request's context ends. Mount the handler for the /api/ and
// /feeds/ prefixes; other paths get a JSON 404.
package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/service"
)

// DefaultMaxBody bounds a request body when Options.MaxBody is zero.
const DefaultMaxBody = 8 << 20

// Options configure the API.
type Options struct {
	// WriteToken is the bearer token writes need; "" disables writes.
	WriteToken string
	// BaseURL is the service's public root ("https://news.example.org"),
	// for the absolute links and IDs of feeds. "" uses the request's host.
	BaseURL string
	// MaxBody bounds a request body in bytes; 0 means DefaultMaxBody.
	MaxBody int64
	// Logger gets server-side errors and writes; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock, for feeds without dated entries; nil means time.Now.
	Now func() time.Time
}

// API is the handler New returns.
type API struct {
	r       service.Reader
	w       service.Writer
	opt     Options
	log     *slog.Logger
	token   [sha256.Size]byte // hash of WriteToken, compared in constant time
	writes  bool
	mux     *http.ServeMux
	openapi []byte
}

// New returns the API's handler. w may be nil when writes are not served.
func New(r service.Reader, w service.Writer, opt Options) http.Handler {
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultMaxBody
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	opt.BaseURL = strings.TrimRight(strings.TrimSpace(opt.BaseURL), "/")
	a := &API{r: r, w: w, opt: opt, log: opt.Logger, mux: http.NewServeMux()}
	a.writes = opt.WriteToken != "" && w != nil
	a.token = sha256.Sum256([]byte(opt.WriteToken))
	seen := map[string]bool{}
	for _, rt := range a.routes() {
		p := rt.muxPattern()
		if seen[p] {
			continue // one mux pattern serving several documented paths
		}
		seen[p] = true
		a.mux.Handle(p, a.wrap(rt))
	}
	a.openapi = openAPIDocument(a.routes())
	return a
}

// handlerFunc is a route's handler: it writes a response, or returns an
// error for wrap to write.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// wrap runs a route's handler: authorisation for writes, then the handler,
// then its error as JSON.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.write {
			if err := a.authorize(w, r); err != nil {
				a.fail(w, r, err)
				return
			}
			w.Header().Set("Cache-Control", "no-store")
			r.Body = http.MaxBytesReader(w, r.Body, a.opt.MaxBody)
			if r.ContentLength > a.opt.MaxBody {
				a.fail(w, r, tooLarge(a.opt.MaxBody))
				return
			}
		}
		if err := rt.h(w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

// ServeHTTP sets the headers every response carries, routes, and turns the
// router's own 404 and 405 into JSON errors.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.log.Error("api: panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			writeError(w, http.StatusInternalServerError, "internal error")
		}
	}()
	if _, pattern := a.mux.Handler(r); pattern == "" {
		// No route: the mux says 404 or 405 (with Allow) in plain text;
		// say it in JSON.
		rec := &statusRecorder{header: http.Header{}}
		a.mux.ServeHTTP(rec, r)
		if rec.status == http.StatusMethodNotAllowed {
			h.Set("Allow", rec.header.Get("Allow"))
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		if rec.status >= 300 && rec.status < 400 {
			// A redirect to the cleaned path.
			http.Redirect(w, r, rec.header.Get("Location"), rec.status)
			return
		}
		writeError(w, http.StatusNotFound, "no such endpoint")
		return
	}
	a.mux.ServeHTTP(w, r)
}

// statusRecorder keeps what the mux's fallback handler writes.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header { return s.header }
func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return len(b), nil
}
func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}

// Error is the body of every error response.
type Error struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// httpError is an error with the status and message clients see.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func notFound(what string) error { return &httpError{http.StatusNotFound, what + " not found"} }

func tooLarge(limit int64) error {
	return &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", limit)}
}

// fail writes err as a JSON error: its own status for an httpError, 404 for
// service.ErrNotFound, 400 with its message for service.ErrBadQuery, 409
// with its message for service.ErrRefused, 413
// for a body over the limit, else 500 with a generic message (the cause is
// logged).
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		writeError(w, he.status, he.msg)
	case errors.As(err, &mb):
		writeError(w, http.StatusRequestEntityTooLarge, tooLarge(mb.Limit).Error())
	case errors.Is(err, service.ErrBadQuery):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, service.ErrNotFound):
		writeError(w, http.StatusNotFound, "not found")
	case errors.Is(err, service.ErrRefused):
		// A well-formed correction the stories' state does not allow
		// (a closed story, an undo already done).
		writeError(w, http.StatusConflict, err.Error())
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away; nobody reads this.
		a.log.Debug("api: request canceled", "method", r.Method, "path", r.URL.Path)
		writeError(w, http.StatusServiceUnavailable, "request canceled")
	case errors.Is(err, context.DeadlineExceeded):
		a.log.Warn("api: timed out", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusServiceUnavailable, "timed out")
	default:
		a.log.Error("api: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, Error{Error: msg, Status: status})
}

// writeJSON writes v, which always encodes, as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	writeBody(w, status, "application/json; charset=utf-8", append(b, '\n'))
}

// respond writes v as JSON with status, or returns why it cannot (a NaN
// somewhere) before writing anything.
func respond(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("api: encode response: %w", err)
	}
	writeBody(w, status, "application/json; charset=utf-8", append(b, '\n'))
	return nil
}

func writeBody(w http.ResponseWriter, status int, contentType string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
