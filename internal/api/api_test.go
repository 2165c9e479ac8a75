package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/service"
)

const testToken = "s3cret-token"

func testOptions() Options {
	return Options{WriteToken: testToken, BaseURL: "https://news.example.org/", Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return t0.Add(72 * time.Hour) }}
}

func newTest(t testing.TB) (http.Handler, *fake) {
	t.Helper()
	f := newFake()
	return New(f, f, testOptions()), f
}

// do runs one request; headers are name, value pairs. Every response must
// have a Content-Type and nosniff.
func do(t testing.TB, h http.Handler, method, target string, body io.Reader, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Content-Type") == "" {
		t.Errorf("%s %s: no Content-Type", method, target)
	}
	if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s %s: X-Content-Type-Options %q", method, target, got)
	}
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("%s %s: CORS header %q", method, target, got)
	}
	return rec
}

func decode(t testing.TB, rec *httptest.ResponseRecorder) any {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON; body %s", ct, rec.Body)
	}
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, rec.Body)
	}
	return v
}

var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// checkKeys fails on any object key that is not snake_case: a Go field
// name that leaked.
func checkKeys(t testing.TB, where string, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			if !snake.MatchString(k) {
				t.Errorf("%s: key %q is not snake_case", where, k)
			}
			checkKeys(t, where+"."+k, y)
		}
	case []any:
		for i, y := range x {
			checkKeys(t, fmt.Sprintf("%s[%d]", where, i), y)
		}
	}
}

// wantError checks an error response: status, JSON {"error","status"}.
func wantError(t testing.TB, rec *httptest.ResponseRecorder, status int, contains string) {
	t.Helper()
	if rec.Code != status {
		t.Errorf("status %d, want %d; body %s", rec.Code, status, rec.Body)
		return
	}
	var e struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Errorf("error body %s: %v", rec.Body, err)
	}
	if e.Status != status || e.Error == "" {
		t.Errorf("error body %s: want status %d and a message", rec.Body, status)
	}
	if !strings.Contains(e.Error, contains) {
		t.Errorf("error %q does not say %q", e.Error, contains)
	}
}

func TestReadEndpoints(t *testing.T) {
	h, _ := newTest(t)
	doc := loadDoc(t, h)
	for _, c := range []struct {
		target, docPath string
		check           func(t *testing.T, v map[string]any)
	}{
		{"/api/stories", "/api/stories", func(t *testing.T, v map[string]any) {
			if n := len(v["stories"].([]any)); n != DefaultLimit {
				t.Errorf("%d stories, want the default %d", n, DefaultLimit)
			}
			if v["next"] == "" || v["next"] == nil {
				t.Errorf("no next")
			}
		}},
		{"/api/stories?lang=AR&sort=biggest&limit=3", "/api/stories", nil},
		{"/api/stories?outlet=" + url.QueryEscape("الجزيرة") + "&after=2024-10-01&before=2024-11-01T00:00:00Z", "/api/stories",
			func(t *testing.T, v map[string]any) {
				ss := v["stories"].([]any)
				if len(ss) != 1 || ss[0].(map[string]any)["id"] != float64(floodStory) {
					t.Errorf("stories %v, want the flood story", ss)
				}
				if _, ok := v["next"]; ok {
					t.Errorf("next on the last page")
				}
			}},
		{"/api/stories?lang=xx", "/api/stories", func(t *testing.T, v map[string]any) {
			if ss, ok := v["stories"].([]any); !ok || len(ss) != 0 {
				t.Errorf("stories %v, want []", v["stories"])
			}
		}},
		{"/api/stories/1", "/api/stories/{id}", func(t *testing.T, v map[string]any) {
			if v["story"].(map[string]any)["titles"].(map[string]any)["ar"] != "فيضانات تقتل العشرات في فالنسيا" {
				t.Errorf("Arabic title lost: %v", v["story"])
			}
			if len(v["articles"].([]any)) != 3 || v["omitted_articles"] != float64(1) {
				t.Errorf("articles %v omitted %v", v["articles"], v["omitted_articles"])
			}
		}},
		{"/api/stories/3", "/api/stories/{id}", nil},
		{"/api/articles/101", "/api/articles/{id}", func(t *testing.T, v map[string]any) {
			for k, want := range map[string]any{"id": float64(101), "external_id": "reuters-1", "input": "seed.jsonl#L1",
				"related": false, "lang": "en", "published": "2024-10-30T08:00:00Z", "source": "Reuters",
				"url": "https://reuters.example/floods", "story": float64(1)} {
				if v[k] != want {
					t.Errorf("%s = %v, want %v", k, v[k], want)
				}
			}
			ents := v["entities"].([]any)
			if len(ents) != 3 || ents[1].(map[string]any)["canonical"] != "Carlos Mazón" || ents[1].(map[string]any)["field"] != "text" {
				t.Errorf("entities %v", ents)
			}
			if _, ok := ents[2].(map[string]any)["entity"]; ok {
				t.Errorf("an ambiguous mention has an entity: %v", ents[2])
			}
			if q := v["quotes"].([]any); len(q) != 1 || q[0].(map[string]any)["speaker_entity"] != float64(mazon) {
				t.Errorf("quotes %v", q)
			}
			if f := v["figures"].([]any); len(f) != 1 || f[0].(map[string]any)["value"] != float64(62) {
				t.Errorf("figures %v", f)
			}
		}},
		{"/api/articles/102", "/api/articles/{id}", func(t *testing.T, v map[string]any) {
			if v["title"] != "فيضانات تقتل العشرات في فالنسيا" || v["lang"] != "ar" {
				t.Errorf("Arabic article: %v", v)
			}
		}},
		{"/api/articles/103", "/api/articles/{id}", func(t *testing.T, v map[string]any) {
			if v["duplicate_of"] != float64(101) {
				t.Errorf("duplicate_of %v", v["duplicate_of"])
			}
			if _, ok := v["published"]; ok {
				t.Errorf("an undated article has published %v", v["published"])
			}
			for _, k := range []string{"entities", "quotes", "figures"} {
				if l, ok := v[k].([]any); !ok || len(l) != 0 {
					t.Errorf("%s = %v, want []", k, v[k])
				}
			}
		}},
		{"/api/entities/7", "/api/entities/{id}", func(t *testing.T, v map[string]any) {
			e := v["entity"].(map[string]any)
			if e["canonical"] != "Carlos Mazón" || len(e["variants"].([]any)) != 2 {
				t.Errorf("entity %v", e)
			}
			if q := v["quotes"].([]any); len(q) != 2 || q[1].(map[string]any)["text"] != "نحن مدمرون" {
				t.Errorf("quotes %v", q)
			}
		}},
		{"/api/entities/8", "/api/entities/{id}", nil},
		{"/api/outlets/" + url.PathEscape("الجزيرة"), "/api/outlets/{name}", func(t *testing.T, v map[string]any) {
			if v["name"] != "الجزيرة" || v["articles"] != float64(1) {
				t.Errorf("outlet %v", v)
			}
		}},
		{"/api/outlets/Outlet%201?limit=2", "/api/outlets/{name}", nil},
		{"/api/search?q=valencia", "/api/search", func(t *testing.T, v map[string]any) {
			if v["total"] != float64(2) || len(v["groups"].([]any)) != 1 {
				t.Errorf("search %v", v)
			}
		}},
		{"/api/search?q=" + url.QueryEscape("فالنسيا"), "/api/search", func(t *testing.T, v map[string]any) {
			if v["total"] != float64(1) {
				t.Errorf("Arabic search %v", v)
			}
		}},
		{"/api/search?q=nothingmatches", "/api/search", func(t *testing.T, v map[string]any) {
			if g, ok := v["groups"].([]any); !ok || len(g) != 0 {
				t.Errorf("groups %v, want []", v["groups"])
			}
		}},
		{"/api/status", "/api/status", nil},
	} {
		t.Run(c.target, func(t *testing.T) {
			rec := do(t, h, "GET", c.target, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			v := decode(t, rec)
			checkKeys(t, c.target, v)
			doc.checkResponse(t, "get", c.docPath, rec.Code, v)
			if c.check != nil {
				c.check(t, v.(map[string]any))
			}
		})
	}
}

// pages follows next from first until it is absent, returning the IDs
// that id picks out of each page's items (under key).
func pages(t *testing.T, h http.Handler, first, key string, id func(any) []float64) []float64 {
	t.Helper()
	var ids []float64
	target := first
	for n := 0; ; n++ {
		if n > 1000 {
			t.Fatal("paging does not end")
		}
		rec := do(t, h, "GET", target, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		v := decode(t, rec).(map[string]any)
		for _, it := range v[key].([]any) {
			ids = append(ids, id(it)...)
		}
		next, _ := v["next"].(string)
		if next == "" {
			return ids
		}
		u, _ := url.Parse(target)
		q := u.Query()
		q.Set("cursor", next)
		u.RawQuery = q.Encode()
		target = u.String()
	}
}

func storyID(it any) []float64 { return []float64{it.(map[string]any)["id"].(float64)} }

// everyOnce checks that got holds each of want once.
func everyOnce(t *testing.T, got, want []float64) {
	t.Helper()
	seen := map[float64]int{}
	for _, id := range got {
		seen[id]++
		if seen[id] == 2 {
			t.Errorf("%v twice", id)
		}
	}
	for _, id := range want {
		if seen[id] == 0 {
			t.Errorf("%v never", id)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d items, want %d", len(got), len(want))
	}
}

func TestPaging(t *testing.T) {
	h, f := newTest(t)
	var all, arabic []float64
	for _, s := range f.stories {
		all = append(all, float64(s.ID))
		if slices.Contains(s.Langs, "ar") {
			arabic = append(arabic, float64(s.ID))
		}
	}
	for _, limit := range []int{1, 7, DefaultLimit, MaxLimit, 5000} {
		everyOnce(t, pages(t, h, fmt.Sprintf("/api/stories?limit=%d", limit), "stories", storyID), all)
	}
	everyOnce(t, pages(t, h, "/api/stories?sort=biggest&limit=4", "stories", storyID), all)
	everyOnce(t, pages(t, h, "/api/stories?lang=ar&limit=3", "stories", storyID), arabic)

	// Search: every matching article once, across pages of groups.
	var trade []float64
	for id, a := range f.articles {
		if strings.Contains(a.Title, "trade") {
			trade = append(trade, float64(id))
		}
	}
	hits := func(it any) []float64 {
		var ids []float64
		for _, a := range it.(map[string]any)["articles"].([]any) {
			ids = append(ids, a.(map[string]any)["id"].(float64))
		}
		return ids
	}
	everyOnce(t, pages(t, h, "/api/search?q=trade&limit=6", "groups", hits), trade)

	var outlet []float64
	for _, s := range f.stories {
		if slices.Contains(s.Outlets, "Outlet 2") {
			outlet = append(outlet, float64(s.ID))
		}
	}
	everyOnce(t, pages(t, h, "/api/outlets/Outlet%202?limit=2", "stories", storyID), outlet)

	// A limit over the maximum is reduced to it.
	rec := do(t, h, "GET", "/api/stories?limit=5000", nil)
	if n := len(decode(t, rec).(map[string]any)["stories"].([]any)); n != min(MaxLimit, len(all)) {
		t.Errorf("limit=5000 gave %d stories", n)
	}
}

func TestBadRequests(t *testing.T) {
	h, _ := newTest(t)
	for _, c := range []struct{ target, says string }{
		{"/api/stories?limit=0", "limit"},
		{"/api/stories?limit=-3", "limit"},
		{"/api/stories?limit=ten", "limit"},
		{"/api/stories?limit=99999999999999999999", "limit"},
		{"/api/stories?limit=1&limit=2", "limit given 2 times"},
		{"/api/stories?sort=newest", "sort"},
		{"/api/stories?after=yesterday", "after"},
		{"/api/stories?before=2024-13-45", "before"},
		{"/api/stories?lang=english", "lang"},
		{"/api/stories?lang=%ff", "lang"},
		{"/api/stories?outlet=a%00b", "outlet"},
		{"/api/stories?cursor=bogus", "bad query: cursor"},
		{"/api/stories?outlet=" + strings.Repeat("x", MaxParam+1), "outlet"},
		{"/api/stories/abc", "story ID"},
		{"/api/stories/0", "story ID"},
		{"/api/stories/-1", "story ID"},
		{"/api/articles/1.5", "article ID"},
		{"/api/entities/99999999999999999999", "entity ID"},
		{"/api/search", "q is required"},
		{"/api/search?q=%20%20", "q is required"},
		{"/api/search?q=%22unclosed", "quotation mark is not closed"},
		{"/api/search?q=x&cursor=o-1", "cursor"},
		{"/api/search?q=x&limit=x", "limit"},
		{"/feeds/search.atom", "q is required"},
		{"/feeds/search.rss?q=%22", "quotation mark"},
		{"/feeds/story/x.atom", "story ID"},
		{"/feeds/stories.atom?limit=0", "limit"},
	} {
		t.Run(c.target, func(t *testing.T) {
			wantError(t, do(t, h, "GET", c.target, nil), http.StatusBadRequest, c.says)
		})
	}
}

func TestNotFound(t *testing.T) {
	h, _ := newTest(t)
	for _, target := range []string{"/api/stories/999", "/api/articles/999", "/api/entities/999", "/api/outlets/Nobody",
		"/feeds/story/999.atom", "/feeds/story/999.rss", "/feeds/story/1.json", "/api/nope", "/api/stories/1/extra", "/", "/feeds/"} {
		wantError(t, do(t, h, "GET", target, nil), http.StatusNotFound, "")
	}
	rec := do(t, h, "DELETE", "/api/stories/1", nil)
	wantError(t, rec, http.StatusMethodNotAllowed, "method")
	if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") {
		t.Errorf("Allow %q", allow)
	}
	wantError(t, do(t, h, "GET", "/api/corrections", nil), http.StatusMethodNotAllowed, "")
	wantError(t, do(t, h, "PUT", "/api/articles", nil), http.StatusMethodNotAllowed, "")
}

// logBuffer is a concurrency-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestInternalErrorsAreGeneric(t *testing.T) {
	var logs logBuffer
	opt := testOptions()
	opt.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	f := newFake()
	h := New(broken{f}, f, opt)
	for _, target := range []string{"/api/stories", "/api/stories/1", "/api/articles/101", "/api/search?q=x",
		"/feeds/stories.atom", "/feeds/story/1.rss", "/feeds/search.atom?q=x"} {
		rec := do(t, h, "GET", target, nil)
		wantError(t, rec, http.StatusInternalServerError, "internal error")
		if strings.Contains(rec.Body.String(), "secret") {
			t.Errorf("%s: the cause leaked: %s", target, rec.Body)
		}
	}
	if !strings.Contains(logs.String(), "/var/secret/storyline.db") {
		t.Errorf("the cause was not logged: %s", logs.String())
	}
}

func TestServiceErrorMapping(t *testing.T) {
	a := &API{log: slog.New(slog.DiscardHandler)}
	for _, c := range []struct {
		err    error
		status int
		says   string
	}{
		{fmt.Errorf("story 3: %w", service.ErrNotFound), 404, "not found"},
		{fmt.Errorf("search: %w: unknown field lang2", service.ErrBadQuery), 400, "unknown field lang2"},
		{&http.MaxBytesError{Limit: 10}, 413, "10 bytes"},
		{fmt.Errorf("x: %w", errSecret), 500, "internal error"},
	} {
		rec := httptest.NewRecorder()
		a.fail(rec, httptest.NewRequest("GET", "/api/x", nil), c.err)
		wantError(t, rec, c.status, c.says)
	}
}

func TestUncleanPathRedirects(t *testing.T) {
	h, _ := newTest(t)
	rec := do(t, h, "GET", "/api//stories", nil)
	if rec.Code/100 != 3 || rec.Header().Get("Location") != "/api/stories" {
		t.Errorf("%d Location %q", rec.Code, rec.Header().Get("Location"))
	}
}

func TestHead(t *testing.T) {
	h, _ := newTest(t)
	rec := do(t, h, "HEAD", "/api/stories/1", nil)
	if rec.Code != http.StatusOK {
		t.Errorf("HEAD: %d", rec.Code)
	}
}
