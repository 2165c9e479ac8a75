package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/storyline/storyline/internal/service"
)

// loginData is the login page's.
type loginData struct {
	Next    string
	Message string
}

// login shows the token form (GET) or checks the token and keeps it in a
// cookie (POST), so that correction forms can carry it for the person.
func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		d := loginData{Next: localPath(r.URL.Query().Get("next"))}
		return s.render(w, r, http.StatusOK, "login", s.newPage(r, "Log in to correct", d))
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	d := loginData{Next: localPath(r.PostForm.Get("next"))}
	if !s.validToken(r.PostForm.Get("token")) {
		d.Message = s.forbidden().msg
		return s.render(w, r, http.StatusForbidden, "login", s.newPage(r, "Log in to correct", d))
	}
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: r.PostForm.Get("token"), Path: "/", MaxAge: int(tokenCookieAge.Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

// logout forgets the token cookie. It needs no token: the worst a forged
// logout does is ask the person to log in again.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

// forbidden is the answer to a change without the right token.
func (s *server) forbidden() *httpError {
	if !s.writable() {
		return &httpError{code: http.StatusForbidden, msg: "Corrections are turned off on this server."}
	}
	return &httpError{code: http.StatusForbidden, msg: "That needs the write token, and the one given is missing or wrong."}
}

// formError turns a body that could not be read into a 400 (or a 413 for
// one over maxBody).
func formError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return badRequest("The form could not be read.")
}

// doneData is the page after a correction or an undo.
type doneData struct {
	Heading string
	Message string
	ID      int64  // the correction, for its undo button; 0 after an undo
	Back    string // where the change shows
	Next    string // where the undo returns
}

// correct applies one correction. The token must be in the body: a
// cookie alone, which a browser also sends with a forged cross-site form,
// is not enough.
func (s *server) correct(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	token := r.PostForm.Get("token")
	if !s.validToken(token) {
		return s.forbidden()
	}
	c, _, _, err := correctionFrom(r.PostForm)
	if err != nil {
		return err
	}
	id, err := s.w.Correct(r.Context(), c)
	if err != nil {
		return err
	}
	s.log.Info("web: correction", "id", id, "kind", c.Kind)
	// Post/Redirect/Get: reloading the page that says what was done must
	// not do it again. The correction's fields (not the token) go along,
	// for that page to say it in words.
	q := url.Values{}
	for k, vs := range r.PostForm {
		if k != "token" {
			q[k] = vs
		}
	}
	q.Set("correction", strconv.FormatInt(id, 10))
	http.Redirect(w, r, "/done?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// undo reverses a correction.
func (s *server) undo(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	token := r.PostForm.Get("token")
	if !s.validToken(token) {
		return s.forbidden()
	}
	id, err := formID(r.PostForm, "id", "The correction")
	if err != nil {
		return err
	}
	if err := s.w.Undo(r.Context(), id); err != nil {
		return err
	}
	s.log.Info("web: undo", "id", id)
	q := url.Values{"undone": {strconv.FormatInt(id, 10)}, "next": {localPath(r.PostForm.Get("next"))}}
	http.Redirect(w, r, "/done?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// done says what a correction or an undo did, with an undo button for a
// correction (its token from the login cookie). It changes nothing.
func (s *server) done(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var d doneData
	if q.Has("undone") {
		id, err := formID(q, "undone", "The correction")
		if err != nil {
			return err
		}
		d = doneData{Heading: "Correction undone", Message: fmt.Sprintf("Correction %d is undone.", id), Back: localPath(q.Get("next"))}
	} else {
		id, err := formID(q, "correction", "The correction")
		if err != nil {
			return err
		}
		_, back, msg, err := correctionFrom(q)
		if err != nil {
			return err
		}
		d = doneData{Heading: "Correction recorded", Message: msg, ID: id, Back: back, Next: back}
	}
	return s.render(w, r, http.StatusOK, "done", s.newPage(r, d.Heading, d))
}

// formID reads a positive ID from a form.
func formID(v url.Values, key, what string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v.Get(key)), 10, 64)
	if err != nil || n <= 0 {
		return 0, badRequest(what + " must be given as a number.")
	}
	return n, nil
}

// correctionFrom reads a correction from its form; it returns where the
// change shows and what was done, in words.
func correctionFrom(v url.Values) (c service.Correction, back, msg string, err error) {
	c = service.Correction{Kind: v.Get("kind"), Note: short(500, strings.TrimSpace(v.Get("note")))}
	switch c.Kind {
	case service.MoveArticle:
		if c.Article, err = formID(v, "article", "The article"); err != nil {
			return
		}
		if c.Other, err = formID(v, "other", "The story to move it to"); err != nil {
			return
		}
		back, msg = storyURL(c.Other), fmt.Sprintf("Article %d moved to story %d.", c.Article, c.Other)
	case service.MergeStories:
		if c.Story, err = formID(v, "story", "The story"); err != nil {
			return
		}
		if c.Other, err = formID(v, "other", "The story to merge in"); err != nil {
			return
		}
		if c.Story == c.Other {
			err = badRequest("A story cannot be merged with itself.")
			return
		}
		back, msg = storyURL(c.Story), fmt.Sprintf("Story %d merged into story %d.", c.Other, c.Story)
	case service.SplitStory:
		if c.Story, err = formID(v, "story", "The story"); err != nil {
			return
		}
		for _, s := range v["articles"] {
			n, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if perr != nil || n <= 0 {
				err = badRequest("Articles must be given as numbers.")
				return
			}
			if !slices.Contains(c.Articles, n) {
				c.Articles = append(c.Articles, n)
			}
		}
		if len(c.Articles) == 0 {
			err = badRequest("Choose the articles that make the new story.")
			return
		}
		back, msg = storyURL(c.Story), fmt.Sprintf("%s split off story %d into a new story.", plural(len(c.Articles), "article"), c.Story)
	case service.MergeEntities:
		if c.Entity, err = formID(v, "entity", "The entity"); err != nil {
			return
		}
		if c.Other, err = formID(v, "other", "The entity to merge in"); err != nil {
			return
		}
		if c.Entity == c.Other {
			err = badRequest("An entity cannot be merged with itself.")
			return
		}
		back, msg = entityURL(c.Entity), fmt.Sprintf("Entity %d merged into entity %d.", c.Other, c.Entity)
	case service.SplitEntity:
		if c.Entity, err = formID(v, "entity", "The entity"); err != nil {
			return
		}
		if c.Spelling = short(300, strings.TrimSpace(v.Get("spelling"))); c.Spelling == "" {
			err = badRequest("Choose the spelling to split off.")
			return
		}
		back, msg = entityURL(c.Entity), fmt.Sprintf("The spelling “%s” split off entity %d.", c.Spelling, c.Entity)
	default:
		err = badRequest("Unknown kind of correction.")
	}
	return
}
