package api

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/source"
)

// authorize lets a write through with the right bearer token: 403 when
// writes are disabled, 401 (with WWW-Authenticate) when the token is
// missing or wrong. The token is compared by its SHA-256 in constant time,
// so neither its bytes nor its length leak through timing.
func (a *API) authorize(w http.ResponseWriter, r *http.Request) error {
	if !a.writes {
		return &httpError{http.StatusForbidden, "writes are disabled on this server"}
	}
	const challenge = `Bearer realm="storyline"`
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if h == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		w.Header().Set("WWW-Authenticate", challenge)
		return &httpError{http.StatusUnauthorized, "a bearer token is required"}
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(got[:], a.token[:]) != 1 {
		w.Header().Set("WWW-Authenticate", challenge+`, error="invalid_token"`)
		return &httpError{http.StatusUnauthorized, "wrong token"}
	}
	return nil
}

// readBody reads a request body (already limited by wrap).
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, err
		}
		return nil, badRequest("cannot read the body")
	}
	return b, nil
}

func (a *API) submit(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	pages, problems, err := decodePages(body)
	if err != nil {
		return err
	}
	if len(pages) == 0 {
		if len(problems) == 0 {
			return badRequest("no articles in the body")
		}
		return badRequest("no article could be read: %s", summarize(problems))
	}
	rep, err := a.w.Submit(r.Context(), pages)
	if err != nil {
		return err
	}
	rep.Errors = append(problems, rep.Errors...)
	rep.Stored = nonNil(rep.Stored)
	a.log.Info("api: submitted", "pages", len(pages), "stored", len(rep.Stored), "existing", len(rep.Existing), "errors", len(rep.Errors))
	status := http.StatusOK
	if len(rep.Stored) > 0 {
		status = http.StatusCreated
	}
	return respond(w, status, rep)
}

// summarize joins the first few problems.
func summarize(problems []string) string {
	const show = 5
	s := strings.Join(problems[:min(len(problems), show)], "; ")
	if len(problems) > show {
		s += fmt.Sprintf("; and %d more", len(problems)-show)
	}
	return s
}

// decodePages reads a POST /api/articles body: one JSON object, an array
// of objects, or JSON lines (one object a line). An item that is not an
// object, or has no text, html or url, is a problem (one line each, the
// others go on); a body that is none of the three is an error.
func decodePages(body []byte) (pages []article.Page, problems []string, err error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, nil, badRequest("no articles in the body")
	}
	add := func(input string, raw []byte) {
		p, err := pageOf(raw, input)
		if err != nil {
			problems = append(problems, err.Error())
			return
		}
		pages = append(pages, p)
	}
	switch {
	case trimmed[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, nil, badRequest("the body is not a JSON array of articles: %s", jsonProblem(err))
		}
		for i, raw := range items {
			add("api#"+strconv.Itoa(i+1), raw)
		}
	case trimmed[0] == '{' && json.Valid(trimmed):
		add("api#1", trimmed)
	default:
		// JSON lines: each line on its own, so that one bad line is one
		// problem.
		for n, line := range bytes.Split(body, []byte("\n")) {
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			add("api#L"+strconv.Itoa(n+1), line)
		}
	}
	return pages, problems, nil
}

// pageOf turns one submitted item into a page: the fields of a JSONL
// input line (source.ParseJSONLine), or only a url to fetch.
func pageOf(raw []byte, input string) (article.Page, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return article.Page{Input: input}, fmt.Errorf("%s: not a JSON object", input)
	}
	p, err := source.ParseJSONLine(raw, input)
	switch {
	case err == nil:
		return p, nil
	case !errors.Is(err, source.ErrNoContent):
		return p, fmt.Errorf("%s: not a JSON object: %s", input, jsonProblem(err))
	case p.URL == "":
		return p, fmt.Errorf("%s: no text, html or url", input)
	}
	// Only a URL: the writer fetches the page (through the fetcher's
	// address guard).
	u, err := url.Parse(p.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return p, fmt.Errorf("%s: url must be an http or https address to fetch", input)
	}
	p.Input = p.URL
	return p, nil
}

// jsonProblem describes a JSON error without echoing the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("%s must be %s", te.Field, te.Type)
		}
		return "wrong JSON type"
	}
	return "malformed JSON"
}

// CorrectionResult is what POST /api/corrections returns.
type CorrectionResult struct {
	ID int64 `json:"id"` // for POST /api/corrections/{id}/undo
}

// UndoResult is what POST /api/corrections/{id}/undo returns.
type UndoResult struct {
	ID     int64 `json:"id"`
	Undone bool  `json:"undone"`
}

func (a *API) correct(w http.ResponseWriter, r *http.Request) error {
	c, err := decodeCorrection(r.Body)
	if err != nil {
		return err
	}
	id, err := a.w.Correct(r.Context(), c)
	if err != nil {
		return err
	}
	a.log.Info("api: correction", "id", id, "kind", c.Kind)
	return respond(w, http.StatusCreated, CorrectionResult{ID: id})
}

// decodeCorrection reads one correction, strictly: unknown fields and
// trailing data are errors, and the fields its kind needs must be there.
func decodeCorrection(body io.Reader) (service.Correction, error) {
	var c service.Correction
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(&c)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			err = errors.New("trailing data")
		}
	}
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return c, err
		}
		msg := jsonProblem(err)
		if strings.HasPrefix(err.Error(), "json: unknown field") || err.Error() == "trailing data" {
			msg = strings.TrimPrefix(err.Error(), "json: ")
		}
		return c, badRequest("the body must be one JSON correction: %s", msg)
	}
	return c, validCorrection(c)
}

// validCorrection checks that a correction has what its kind needs.
func validCorrection(c service.Correction) error {
	if len(c.Note) > 10_000 {
		return badRequest("note is over 10000 bytes")
	}
	switch c.Kind {
	case service.MoveArticle:
		if c.Article <= 0 || c.Other <= 0 {
			return badRequest("%s needs article and other (the story it goes to)", c.Kind)
		}
	case service.MergeStories:
		if c.Story <= 0 || c.Other <= 0 || c.Story == c.Other {
			return badRequest("%s needs story and other, two different stories", c.Kind)
		}
	case service.SplitStory:
		if c.Story <= 0 || len(c.Articles) == 0 {
			return badRequest("%s needs story and articles", c.Kind)
		}
		for _, id := range c.Articles {
			if id <= 0 {
				return badRequest("articles must be positive IDs")
			}
		}
	case service.MergeEntities:
		if c.Entity <= 0 || c.Other <= 0 || c.Entity == c.Other {
			return badRequest("%s needs entity and other, two different entities", c.Kind)
		}
	case service.SplitEntity:
		if c.Entity <= 0 || strings.TrimSpace(c.Spelling) == "" {
			return badRequest("%s needs entity and spelling", c.Kind)
		}
	default:
		return badRequest("kind must be one of %s", strings.Join(correctionKinds, ", "))
	}
	return nil
}

var correctionKinds = []string{service.MoveArticle, service.MergeStories, service.SplitStory, service.MergeEntities, service.SplitEntity}

func (a *API) undo(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID("correction", r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := a.w.Undo(r.Context(), id); err != nil {
		return err
	}
	a.log.Info("api: correction undone", "id", id)
	return respond(w, http.StatusOK, UndoResult{ID: id, Undone: true})
}
