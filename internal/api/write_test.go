package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/service"
)

var bearer = []string{"Authorization", "Bearer " + testToken}

func TestAuth(t *testing.T) {
	writes := []struct{ target, body string }{
		{"/api/articles", `{"title":"t","text":"some text"}`},
		{"/api/corrections", `{"kind":"merge-stories","story":1,"other":2}`},
		{"/api/corrections/1001/undo", ``},
	}
	f := newFake()
	disabled := New(f, f, Options{})
	noWriter := New(f, nil, Options{WriteToken: testToken})
	h, _ := newTest(t)
	for _, w := range writes {
		t.Run(w.target, func(t *testing.T) {
			wantError(t, do(t, disabled, "POST", w.target, strings.NewReader(w.body), bearer...), http.StatusForbidden, "disabled")
			wantError(t, do(t, noWriter, "POST", w.target, strings.NewReader(w.body), bearer...), http.StatusForbidden, "disabled")
			for _, c := range []struct {
				name   string
				header []string
				error  bool // error="invalid_token" in the challenge
			}{
				{"none", nil, false},
				{"empty", []string{"Authorization", ""}, false},
				{"basic", []string{"Authorization", "Basic dXNlcjpwYXNz"}, false},
				{"bearer alone", []string{"Authorization", "Bearer"}, false},
				{"wrong", []string{"Authorization", "Bearer wrong"}, true},
				{"prefix", []string{"Authorization", "Bearer " + testToken[:5]}, true},
				{"longer", []string{"Authorization", "Bearer " + testToken + "x"}, true},
				{"empty token", []string{"Authorization", "Bearer "}, true},
			} {
				rec := do(t, h, "POST", w.target, strings.NewReader(w.body), c.header...)
				wantError(t, rec, http.StatusUnauthorized, "")
				ch := rec.Header().Get("WWW-Authenticate")
				if !strings.HasPrefix(ch, "Bearer ") || strings.Contains(ch, "invalid_token") != c.error {
					t.Errorf("%s: WWW-Authenticate %q", c.name, ch)
				}
			}
		})
	}
	// The right token, in any case of the scheme.
	rec := do(t, h, "POST", "/api/articles", strings.NewReader(writes[0].body), "Authorization", "bearer "+testToken)
	if rec.Code != http.StatusCreated {
		t.Errorf("right token: %d %s", rec.Code, rec.Body)
	}
	rec = do(t, h, "POST", "/api/corrections", strings.NewReader(writes[1].body), bearer...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("right token: %d %s", rec.Code, rec.Body)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	rec = do(t, h, "POST", "/api/corrections/1002/undo", nil, bearer...)
	if rec.Code != http.StatusOK {
		t.Errorf("undo: %d %s", rec.Code, rec.Body)
	}
}

func TestSubmit(t *testing.T) {
	h, f := newTest(t)
	doc := loadDoc(t, h)
	post := func(body string, headers ...string) *httptest.ResponseRecorder {
		return do(t, h, "POST", "/api/articles", strings.NewReader(body), append(headers, bearer...)...)
	}
	last := func(n int) []article.Page {
		f.mu.Lock()
		defer f.mu.Unlock()
		return append([]article.Page(nil), f.submitted[len(f.submitted)-n:]...)
	}

	// One object, with every field.
	rec := post(`{"id":"ext-1","title":" Floods ","text":"Flash floods\u0000 hit Valencia.","url":"https://x.example/a","source":"X",
		"published":"Wed, 30 Oct 2024 10:00:00 +0100","lang":"en-GB","extra":{"ignored":true}}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("object: %d %s", rec.Code, rec.Body)
	}
	v := decode(t, rec)
	checkKeys(t, "submit", v)
	doc.checkResponse(t, "post", "/api/articles", rec.Code, v)
	p := last(1)[0]
	if p.ExternalID != "ext-1" || p.Title != "Floods" || p.Kind != article.KindClean || string(p.Body) != "Flash floods hit Valencia." ||
		p.Lang != "en" || p.Source != "X" || p.URL != "https://x.example/a" || !p.Published.Equal(time.Date(2024, 10, 30, 9, 0, 0, 0, time.UTC)) ||
		p.Input != "api#1" {
		t.Errorf("page %+v", p)
	}

	// An array: HTML, loose types, a repeat (existing).
	rec = post(`[{"id":42,"html":"<html><body><p>فيضانات</p></body></html>","lang":"ar","published":1730282400},
		{"id":"ext-1","text":"again"}]`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("array: %d %s", rec.Code, rec.Body)
	}
	ps := last(2)
	if ps[0].ExternalID != "42" || ps[0].Kind != article.KindHTML || ps[0].Lang != "ar" || ps[0].Published.IsZero() || ps[1].Input != "api#2" {
		t.Errorf("array pages %+v", ps)
	}
	var rep struct {
		Stored   []int64 `json:"stored"`
		Existing []int64 `json:"existing"`
	}
	decodeInto(t, rec, &rep)
	if len(rep.Stored) != 1 || len(rep.Existing) != 1 {
		t.Errorf("report %s", rec.Body)
	}

	// JSON lines: a bad line is one error, the others go on.
	rec = post("{\"text\":\"one\"}\n\nnot json\n{\"title\":\"no body\"}\r\n[1]\n{\"text\":\"two\"}\n", "Content-Type", "application/x-ndjson")
	if rec.Code != http.StatusCreated {
		t.Fatalf("lines: %d %s", rec.Code, rec.Body)
	}
	var rep2 service.SubmitReport
	decodeInto(t, rec, &rep2)
	if len(rep2.Stored) != 2 || len(rep2.Errors) != 3 || !strings.Contains(rep2.Errors[0], "api#L3") || !strings.Contains(rep2.Errors[1], "no text, html or url") {
		t.Errorf("lines report %+v", rep2)
	}
	if ps := last(2); ps[0].Input != "api#L1" || ps[1].Input != "api#L6" {
		t.Errorf("line inputs %q %q", ps[0].Input, ps[1].Input)
	}

	// Only a URL: the writer fetches it.
	rec = post(`{"url":"https://news.example.com/story.html"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("url: %d %s", rec.Code, rec.Body)
	}
	if p := last(1)[0]; p.URL != "https://news.example.com/story.html" || p.Body != nil || p.Input != p.URL {
		t.Errorf("url page %+v", p)
	}

	// Nothing new: 200.
	rec = post(`{"id":"ext-1","text":"x"}`)
	if rec.Code != http.StatusOK {
		t.Errorf("existing: %d %s", rec.Code, rec.Body)
	}

	for _, c := range []struct{ body, says string }{
		{"", "no articles"},
		{"  \n ", "no articles"},
		{"[]", "no articles"},
		{`{"url":"file:///etc/passwd"}`, "http or https"},
		{`{"url":"http://user:pw@x.example/"}`, "http or https"},
		{`{"url":"/relative"}`, "http or https"},
		{`{"title":"t"}`, "no text, html or url"},
		{`{"text":"   "}`, "no text"},
		{`{"text":"\u0000"}`, "no text"},
		{`[{"text":"x"},`, "not a JSON array"},
		{`[1,"two",null]`, "not a JSON object"},
		{`"just a string"`, "not a JSON object"},
		{`{"text": "x"`, "not a JSON object"},
	} {
		wantError(t, post(c.body), http.StatusBadRequest, c.says)
	}
}

func decodeInto(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
}

func TestBodyLimit(t *testing.T) {
	f := newFake()
	opt := testOptions()
	opt.MaxBody = 1 << 10
	h := New(f, f, opt)
	big := `{"text":"` + strings.Repeat("x", 2<<10) + `"}`
	// With a Content-Length, and streamed without one.
	wantError(t, do(t, h, "POST", "/api/articles", strings.NewReader(big), bearer...), http.StatusRequestEntityTooLarge, "1024 bytes")
	req := httptest.NewRequest("POST", "/api/articles", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	wantError(t, rec, http.StatusRequestEntityTooLarge, "")
	wantError(t, do(t, h, "POST", "/api/corrections", strings.NewReader(`{"kind":"split-entity","entity":1,"spelling":"`+strings.Repeat("y", 2<<10)+`"}`), bearer...),
		http.StatusRequestEntityTooLarge, "")
	// Just under the limit is fine.
	ok := `{"text":"` + strings.Repeat("x", 1000) + `"}`
	if rec := do(t, h, "POST", "/api/articles", strings.NewReader(ok), bearer...); rec.Code != http.StatusCreated {
		t.Errorf("under the limit: %d %s", rec.Code, rec.Body)
	}
	// Without the token, the body is not read: 401, not 413.
	wantError(t, do(t, h, "POST", "/api/articles", strings.NewReader(big)), http.StatusUnauthorized, "")
	// The default is 8 MiB.
	if a := New(f, f, Options{}).(*API); a.opt.MaxBody != 8<<20 {
		t.Errorf("default MaxBody %d", a.opt.MaxBody)
	}
}

func TestCorrections(t *testing.T) {
	h, f := newTest(t)
	doc := loadDoc(t, h)
	post := func(target, body string) *httptest.ResponseRecorder {
		return do(t, h, "POST", target, strings.NewReader(body), bearer...)
	}
	for _, body := range []string{
		`{"kind":"move-article","article":101,"other":2,"note":"not about floods"}`,
		`{"kind":"merge-stories","story":1,"other":2}`,
		`{"kind":"split-story","story":1,"articles":[102,103]}`,
		`{"kind":"merge-entities","entity":7,"other":9}`,
		`{"kind":"split-entity","entity":7,"spelling":"كارلوس مازون"}`,
	} {
		rec := post("/api/corrections", body)
		if rec.Code != http.StatusCreated {
			t.Errorf("%s: %d %s", body, rec.Code, rec.Body)
			continue
		}
		v := decode(t, rec)
		doc.checkResponse(t, "post", "/api/corrections", rec.Code, v)
		id := int64(v.(map[string]any)["id"].(float64))
		f.mu.Lock()
		_, ok := f.corrections[id]
		f.mu.Unlock()
		if !ok {
			t.Errorf("correction %d not recorded", id)
		}
		rec = post("/api/corrections/"+itoa(id)+"/undo", "")
		if rec.Code != http.StatusOK {
			t.Errorf("undo %d: %d %s", id, rec.Code, rec.Body)
		}
		doc.checkResponse(t, "post", "/api/corrections/{id}/undo", rec.Code, decode(t, rec))
		wantError(t, post("/api/corrections/"+itoa(id)+"/undo", ""), http.StatusConflict, "undone already")
	}
	for _, c := range []struct{ body, says string }{
		{``, "one JSON correction"},
		{`[]`, "one JSON correction"},
		{`{"kind":"merge-stories","story":1,"other":2,"bogus":1}`, `unknown field "bogus"`},
		{`{"kind":"merge-stories","story":1,"other":2} {}`, "trailing data"},
		{`{"kind":"merge-stories","story":"1","other":2}`, "story must be int64"},
		{`{"kind":"delete-everything"}`, "kind must be one of move-article"},
		{`{"kind":"merge-stories","story":1,"other":1}`, "two different stories"},
		{`{"kind":"merge-stories","story":1}`, "needs story and other"},
		{`{"kind":"move-article","other":2}`, "needs article"},
		{`{"kind":"split-story","story":1,"articles":[]}`, "needs story and articles"},
		{`{"kind":"split-story","story":1,"articles":[0]}`, "positive"},
		{`{"kind":"merge-entities","entity":7}`, "needs entity and other"},
		{`{"kind":"split-entity","entity":7,"spelling":"  "}`, "needs entity and spelling"},
	} {
		wantError(t, post("/api/corrections", c.body), http.StatusBadRequest, c.says)
	}
	wantError(t, post("/api/corrections", `{"kind":"merge-stories","story":1,"other":999999}`), http.StatusNotFound, "")
	wantError(t, post("/api/corrections/abc/undo", ""), http.StatusBadRequest, "correction ID")
	wantError(t, post("/api/corrections/0/undo", ""), http.StatusBadRequest, "correction ID")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
