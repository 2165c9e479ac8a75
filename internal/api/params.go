package api

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/service"
)

// Paging: a list returns at most limit items (DefaultLimit when not given,
// MaxLimit at most: larger values are reduced to it) and a next cursor
// while there are more. Every item is reached by following next.
const (
	DefaultLimit     = 20
	MaxLimit         = 100
	DefaultFeedLimit = 50
	// MaxParam bounds any one query parameter's length in bytes (a search
	// query, an outlet's name, a cursor).
	MaxParam = 2048
)

// page is the paging of a list request.
type page struct {
	Cursor string
	Limit  int
}

// param returns a query parameter, refusing repeats, invalid UTF-8 and
// lengths over MaxParam.
func param(q url.Values, name string) (string, error) {
	vs := q[name]
	switch {
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", badRequest("%s given %d times", name, len(vs))
	}
	v := vs[0]
	if len(v) > MaxParam {
		return "", badRequest("%s is over %d bytes", name, MaxParam)
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return "", badRequest("%s is not valid text", name)
	}
	return v, nil
}

// parsePage reads cursor and limit; def is the limit when none is given.
func parsePage(q url.Values, def int) (page, error) {
	var p page
	var err error
	if p.Cursor, err = param(q, "cursor"); err != nil {
		return p, err
	}
	s, err := param(q, "limit")
	if err != nil {
		return p, err
	}
	p.Limit = def
	if s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, badRequest("limit must be a whole number from 1 to %d", MaxLimit)
		}
		p.Limit = min(n, MaxLimit)
	}
	return p, nil
}

// parseStoryQuery reads GET /api/stories' parameters.
func parseStoryQuery(q url.Values) (service.StoryFilter, page, error) {
	var f service.StoryFilter
	p, err := parsePage(q, DefaultLimit)
	if err != nil {
		return f, p, err
	}
	lang, err := param(q, "lang")
	if err != nil {
		return f, p, err
	}
	if f.Lang, err = parseLang(lang); err != nil {
		return f, p, err
	}
	if f.Outlet, err = param(q, "outlet"); err != nil {
		return f, p, err
	}
	f.Outlet = strings.TrimSpace(f.Outlet)
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"after", &f.After}, {"before", &f.Before}} {
		s, err := param(q, t.name)
		if err != nil {
			return f, p, err
		}
		if *t.to, err = parseTime(t.name, s); err != nil {
			return f, p, err
		}
	}
	if f.Sort, err = param(q, "sort"); err != nil {
		return f, p, err
	}
	switch f.Sort {
	case "", "recent", "biggest":
	default:
		return f, p, badRequest("sort must be recent or biggest")
	}
	if f.Sort == "" {
		f.Sort = "recent"
	}
	return f, p, nil
}

// parseLang reads a language code: ISO 639-1 or -3, or a tag whose
// primary subtag is one ("en-GB" → "en").
func parseLang(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return "", nil
	}
	if len(s) < 2 || len(s) > 3 || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") != "" {
		return "", badRequest("lang must be a language code such as en or ar")
	}
	return s, nil
}

// parseTime reads an RFC 3339 time or a date (midnight UTC).
func parseTime(name, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, badRequest("%s must be a date (2006-01-02) or an RFC 3339 time (2006-01-02T15:04:05Z)", name)
}

// parseID reads a path's numeric ID.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, badRequest("%s ID must be a positive whole number", what)
	}
	return id, nil
}

// parseSearch reads a search's q, which must be given.
func parseSearch(q url.Values) (string, error) {
	s, err := param(q, "q")
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(s) == "" {
		return "", badRequest("q is required")
	}
	return s, nil
}
