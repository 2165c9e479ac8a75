package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/service"
)

func TestCorrections(t *testing.T) {
	cases := []struct {
		name string
		form url.Values
		want service.Correction
		back string
	}{
		{"move", url.Values{"kind": {"move-article"}, "article": {"3"}, "other": {"8"}, "note": {" wrong harbour "}},
			service.Correction{Kind: "move-article", Article: 3, Other: 8, Note: "wrong harbour"}, "/story/8"},
		{"merge stories", url.Values{"kind": {"merge-stories"}, "story": {"7"}, "other": {"9"}},
			service.Correction{Kind: "merge-stories", Story: 7, Other: 9}, "/story/7"},
		{"split story", url.Values{"kind": {"split-story"}, "story": {"7"}, "articles": {"3", "4", "3"}},
			service.Correction{Kind: "split-story", Story: 7, Articles: []int64{3, 4}}, "/story/7"},
		{"merge entities", url.Values{"kind": {"merge-entities"}, "entity": {"1"}, "other": {"12"}},
			service.Correction{Kind: "merge-entities", Entity: 1, Other: 12}, "/entity/1"},
		{"split entity", url.Values{"kind": {"split-entity"}, "entity": {"1"}, "spelling": {"آنا برغ"}},
			service.Correction{Kind: "split-entity", Entity: 1, Spelling: "آنا برغ"}, "/entity/1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, h, _ := setup(t, Options{WriteToken: token})
			// No token, a wrong one, one in the query string only, one in
			// the cookie only: 403, and nothing reaches the writer.
			if w := post(h, "/correct", c.form); w.Code != http.StatusForbidden {
				t.Errorf("no token: %d", w.Code)
			}
			bad := cloneValues(c.form)
			bad.Set("token", "guess")
			if w := post(h, "/correct", bad); w.Code != http.StatusForbidden {
				t.Errorf("wrong token: %d", w.Code)
			}
			if w := post(h, "/correct?token="+token, c.form); w.Code != http.StatusForbidden {
				t.Errorf("token in the query: %d", w.Code)
			}
			if w := post(h, "/correct", c.form, &http.Cookie{Name: tokenCookie, Value: token}); w.Code != http.StatusForbidden {
				t.Errorf("cookie alone: %d", w.Code)
			}
			if len(f.corrections) != 0 {
				t.Fatalf("corrected without the token: %+v", f.corrections)
			}
			good := cloneValues(c.form)
			good.Set("token", token)
			login := &http.Cookie{Name: tokenCookie, Value: token}
			w := post(h, "/correct", good, login)
			if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/done?") {
				t.Fatalf("with the token: %d %q, want a redirect to /done\n%s", w.Code, w.Header().Get("Location"), w.Body)
			}
			if strings.Contains(w.Header().Get("Location"), token) {
				t.Errorf("the token is in the redirect: %s", w.Header().Get("Location"))
			}
			// The page it leads to says what was done and offers the
			// undo; reloading it does nothing again.
			w = getWith(h, w.Header().Get("Location"), login)
			if w.Code != http.StatusOK {
				t.Fatalf("the page after the correction: %d\n%s", w.Code, w.Body)
			}
			if len(f.corrections) != 1 || !reflect.DeepEqual(f.corrections[0], c.want) {
				t.Errorf("Correct(%+v), want %+v", f.corrections, c.want)
			}
			body := w.Body.String()
			for _, s := range []string{`<form class="inline" method="post" action="/undo">`, `<input type="hidden" name="id" value="42">`,
				`<input type="hidden" name="token" value="` + token + `">`, `<button type="submit" class="undo">Undo</button>`,
				`<a href="` + c.back + `">See the result</a>`} {
				if !strings.Contains(body, s) {
					t.Errorf("no %s in\n%s", s, body)
				}
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("a page holding the token is cached: %q", w.Header().Get("Cache-Control"))
			}
			// The undo button.
			if w := post(h, "/undo", url.Values{"id": {"42"}, "next": {c.back}}); w.Code != http.StatusForbidden {
				t.Errorf("undo without the token: %d", w.Code)
			}
			w = post(h, "/undo", url.Values{"id": {"42"}, "next": {c.back}, "token": {token}})
			if w.Code != http.StatusSeeOther || len(f.undone) != 1 || f.undone[0] != correctionID {
				t.Fatalf("undo: %d %v\n%s", w.Code, f.undone, w.Body)
			}
			w = getWith(h, w.Header().Get("Location"), login)
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Correction 42 is undone.") ||
				!strings.Contains(w.Body.String(), `<a href="`+c.back+`">See the result</a>`) {
				t.Errorf("after the undo: %d\n%s", w.Code, w.Body)
			}
			if len(f.corrections) != 1 || len(f.undone) != 1 {
				t.Errorf("the pages after a correction and an undo changed something: %d corrections, %d undone", len(f.corrections), len(f.undone))
			}
		})
	}
}

func TestBadCorrections(t *testing.T) {
	f, h, _ := setup(t, Options{WriteToken: token})
	for _, c := range []struct {
		form   url.Values
		status int
	}{
		{url.Values{"kind": {"delete-everything"}}, 400},
		{url.Values{"kind": {"move-article"}, "article": {"x"}, "other": {"8"}}, 400},
		{url.Values{"kind": {"move-article"}, "article": {"3"}}, 400},
		{url.Values{"kind": {"move-article"}, "article": {"-3"}, "other": {"8"}}, 400},
		{url.Values{"kind": {"merge-stories"}, "story": {"7"}, "other": {"7"}}, 400},
		{url.Values{"kind": {"split-story"}, "story": {"7"}}, 400},
		{url.Values{"kind": {"split-story"}, "story": {"7"}, "articles": {"3", "x"}}, 400},
		{url.Values{"kind": {"split-entity"}, "entity": {"1"}, "spelling": {"  "}}, 400},
		{url.Values{"kind": {"merge-entities"}, "entity": {"1"}, "other": {"1"}}, 400},
		// The writer says the story does not exist.
		{url.Values{"kind": {"move-article"}, "article": {"3"}, "other": {"404"}}, 404},
		{url.Values{"kind": {"move-article"}, "article": {"3"}, "other": {"400"}}, 400},
	} {
		c.form.Set("token", token)
		if w := post(h, "/correct", c.form); w.Code != c.status {
			t.Errorf("%v: %d, want %d", c.form, w.Code, c.status)
		}
	}
	if len(f.corrections) != 0 {
		t.Errorf("bad corrections reached the writer: %+v", f.corrections)
	}
	if w := post(h, "/undo", url.Values{"id": {"x"}, "token": {token}}); w.Code != 400 {
		t.Errorf("undo of no ID: %d", w.Code)
	}
	// A body over the limit.
	big := url.Values{"kind": {"split-story"}, "story": {"7"}, "token": {token}, "note": {strings.Repeat("x", maxBody)}}
	if w := post(h, "/correct", big); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("huge body: %d", w.Code)
	}
}

// TestLogin: the cookie fills in the forms' token; it alone authorises
// nothing.
func TestLogin(t *testing.T) {
	f, h, _ := setup(t, Options{WriteToken: token})
	if w := post(h, "/login", url.Values{"token": {"guess"}, "next": {"/story/7"}}); w.Code != http.StatusForbidden ||
		!strings.Contains(w.Body.String(), "missing or wrong") || len(w.Result().Cookies()) != 0 {
		t.Errorf("wrong token: %d %v", w.Code, w.Result().Cookies())
	}
	w := post(h, "/login", url.Values{"token": {token}, "next": {"//evil.example/"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/" {
		t.Errorf("login: %d to %q", w.Code, w.Header().Get("Location"))
	}
	w = post(h, "/login", url.Values{"token": {token}, "next": {"/story/7"}})
	cs := w.Result().Cookies()
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/story/7" || len(cs) != 1 {
		t.Fatalf("login: %d %q %v", w.Code, w.Header().Get("Location"), cs)
	}
	c := cs[0]
	if c.Name != tokenCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
		t.Errorf("cookie %+v", c)
	}
	r := newGet("/story/7")
	r.AddCookie(c)
	w = do(h, r)
	body := w.Body.String()
	if !strings.Contains(body, `<input type="hidden" name="token" value="`+token+`">`) || strings.Contains(body, `type="password"`) ||
		!strings.Contains(body, "Log out") || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("logged-in story page: %v", w.Header())
	}
	// A stale cookie (the token changed) is ignored.
	r = newGet("/story/7")
	r.AddCookie(&http.Cookie{Name: tokenCookie, Value: "old"})
	if body := do(h, r).Body.String(); strings.Contains(body, `value="old"`) || !strings.Contains(body, `type="password"`) {
		t.Error("a stale cookie fills in the token")
	}
	// The cookie without the token in the body: refused.
	if w := post(h, "/correct", url.Values{"kind": {"merge-stories"}, "story": {"7"}, "other": {"9"}}, c); w.Code != http.StatusForbidden || len(f.corrections) != 0 {
		t.Errorf("cookie alone: %d", w.Code)
	}
	w = post(h, "/logout", url.Values{"next": {"/story/7"}}, c)
	if w.Code != http.StatusSeeOther || len(w.Result().Cookies()) != 1 || w.Result().Cookies()[0].MaxAge >= 0 {
		t.Errorf("logout: %d %v", w.Code, w.Result().Cookies())
	}
}

// TestCorrectionsOff: without a write token there are no forms, and
// every change is refused, even one with an empty token.
func TestCorrectionsOff(t *testing.T) {
	f, h, _ := setup(t, Options{})
	for _, path := range []string{"/story/7", "/entity/1", "/article/1"} {
		if body := get(h, path).Body.String(); strings.Contains(body, `action="/correct"`) || strings.Contains(body, "Log in") {
			t.Errorf("%s: correction forms while corrections are off", path)
		}
	}
	for _, tok := range []string{"", "x"} {
		if w := post(h, "/correct", url.Values{"kind": {"merge-stories"}, "story": {"7"}, "other": {"9"}, "token": {tok}}); w.Code != http.StatusForbidden {
			t.Errorf("token %q: %d", tok, w.Code)
		}
		if w := post(h, "/login", url.Values{"token": {tok}}); w.Code != http.StatusForbidden {
			t.Errorf("login %q: %d", tok, w.Code)
		}
	}
	if len(f.corrections) != 0 {
		t.Error("corrected")
	}
	// A writer-less UI with a token: still off.
	h = New(f, nil, Options{WriteToken: token, Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)})
	if w := post(h, "/correct", url.Values{"kind": {"merge-stories"}, "story": {"7"}, "other": {"9"}, "token": {token}}); w.Code != http.StatusForbidden {
		t.Errorf("no writer: %d", w.Code)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func newGet(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }
