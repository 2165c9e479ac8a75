package web

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/service"
)

const token = "s3cret-token"

// setup returns the fake, the UI over it, and its log.
func setup(t *testing.T, opt Options) (*fake, http.Handler, *bytes.Buffer) {
	t.Helper()
	f := newFake()
	var logs bytes.Buffer
	opt.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	opt.Now = func() time.Time { return now }
	return f, New(f, f, opt), &logs
}

func do(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	return do(h, httptest.NewRequest(http.MethodGet, path, nil))
}

func getWith(h http.Handler, path string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return do(h, r)
}

func post(h http.Handler, path string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return do(h, r)
}

func TestPages(t *testing.T) {
	_, h, _ := setup(t, Options{WriteToken: token})
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"<h1>Latest stories</h1>", `<a href="/story/7" dir="auto">Ostmark harbour reopens after storm</a>`, "Westland votes",
			`href="/?cursor=page2"`, `<link rel="alternate" type="application/atom+xml" title="Latest stories" href="/feeds/stories.atom">`,
			`Last update <time datetime="2025-06-03T11:55:00Z">2025-06-03 11:55 UTC</time> (5 minutes ago)`, "5 articles, 2 stories",
			`<abbr title="Arabic">ar</abbr>`, `<td class="num">3</td>`, `<input id="q" type="search" name="q"`, `<html lang="en" dir="ltr">`}},
		{"/?sort=biggest", 200, []string{"<h1>Biggest stories</h1>", `<a href="/?sort=biggest" aria-current="page">Biggest</a>`,
			`href="/?cursor=page2&amp;sort=biggest"`}},
		{"/?after=yesterday", 400, []string{"must be a date like 2025-06-01", `<form class="filters"`}},
		{"/story/7", 200, []string{
			`<h1 dir="auto">Ostmark harbour reopens after storm</h1>`,
			`<span lang="ar" dir="rtl">` + arabicTitle + `</span>`,
			// The cited summary, each sentence to its article.
			`The harbour of Ostmark reopened on Monday after a storm closed it for a week. <a class="cite" href="#article-1" dir="auto">[Herald]</a>`,
			// The timeline.
			`<svg xmlns="http://www.w3.org/2000/svg" class="chart"`, `role="img" aria-label="Timeline: 4 articles in 2 languages (Arabic, English), from 2025-06-01 to 2025-06-02, 1 undated; 1 merge."`,
			`<title>Herald · English · 2025-06-01 09:00 UTC — Ostmark harbour reopens after storm</title>`, `<g class="mark merge"><title>Merged with story 9`,
			`>undated</text>`,
			// Articles by language and outlet, Arabic right to left.
			`<h3>Arabic <span class="count">(2)</span></h3>`, `<li id="article-3">`,
			`<a href="/article/3" lang="ar" dir="rtl">` + arabicTitle + `</a>`,
			`<a href="https://herald.example/ostmark" rel="noopener noreferrer nofollow" class="original">original</a>`,
			`Why it is here: 48% of its weight shared`, `<span dir="auto">أوستمارك</span> <span class="kind">(name across scripts; in 2 other articles)</span>`,
			// Entities with their variants.
			`<a href="/entity/1" dir="auto">Anna Berg</a>`, `<li dir="auto">آنا برغ</li>`,
			// Quotes with speakers and drift.
			`<blockquote dir="auto">We will rebuild the pier stone by stone</blockquote>`, `worded differently by outlet`,
			`<q lang="en" dir="auto">We will rebuild this pier stone by stone</q>`,
			// Figures with conflicts.
			`<li id="figure-0" class="conflict">`, `⚠ outlets disagree`,
			// Coverage.
			`<table class="coverage">`, `<td class="omits">✗`, `<td class="only">★`, `leaves out: <span dir="auto">Anna Berg: We will rebuild the pier stone by stone</span>`,
			`only here: <span dir="auto">آنا برغ: سنعيد بناء الرصيف حجراً حجراً</span>`,
			// Merges.
			`Why story 9 was merged in (<span dir="auto">average-link similarity 0.41</span>)`,
			// Feeds, data, corrections.
			`href="/feeds/story/7.atom"`, `<script type="application/ld+json">`, `<input type="hidden" name="kind" value="split-story">`,
			`<input type="password" name="token" required`}},
		{"/story/8", 200, []string{"Westland votes", "<svg", `aria-label="Timeline: 1 article in 1 language (English), on 2025-06-02."`}},
		{"/article/3", 200, []string{`<article class="article" lang="ar" dir="rtl">`, `<h1>` + arabicTitle + `</h1>`,
			`<p>قالت رئيسة البلدية آنا برغ: «سنعيد بناء الرصيف حجراً حجراً».</p>`, `<a href="/entity/1" dir="auto">آنا برغ</a>`,
			`<blockquote lang="ar" dir="rtl">سنعيد بناء الرصيف حجراً حجراً</blockquote>`, `<a href="/story/7" dir="auto">Ostmark harbour reopens after storm</a>`,
			`<script type="application/ld+json">`, `href="/outlet/%D8%A7%D9%84%D8%B3%D8%A7%D8%AD%D9%84"`}},
		{"/article/1", 200, []string{`<article class="article" lang="en" dir="auto">`, "Jo Reed", `<a href="/entity/2" dir="auto">Ostmark</a> <span class="kind">place</span> ×2`,
			`confidence 90%`, `Move this article to story number`}},
		{"/article/4", 200, []string{"undated"}},
		{"/entity/1", 200, []string{`<h1 dir="auto">Anna Berg</h1>`, `<td lang="ar" dir="rtl">آنا برغ</td>`, "same name across scripts (ana barg)",
			"Entity 12, automatically", `<a href="/story/7" dir="auto">`, `<blockquote dir="auto">سنعيد بناء الرصيف حجراً حجراً</blockquote>`,
			`<option value="Berg" dir="auto">Berg (English, 1)</option>`}},
		{"/outlet/Herald", 200, []string{`<h1 dir="auto">Herald</h1>`, "<li>quote: 2</li>", `href="/outlet/Herald?cursor=c2"`, `href="/?outlet=Herald"`}},
		{"/outlet/" + url.PathEscape("الساحل"), 200, []string{`<h1 dir="auto">الساحل</h1>`, "Arabic"}},
		{"/search?q=ostmark", 200, []string{`The harbour of <mark>Ostmark</mark> reopened`, `<span class="snippet" lang="ar" dir="rtl">أعيد فتح ميناء <mark>أوستمارك</mark> يوم الاثنين</span>`,
			`href="/feeds/search.atom?q=ostmark"`, "searching for ostmark in every language", `value="ostmark"`, `href="/search?cursor=s2&amp;q=ostmark"`,
			"2 matching articles in 1 story"}},
		{"/search", 200, []string{`<form class="search-big"`}},
		{"/search?q=%22ostmark", 400, []string{`<p class="error" role="alert" dir="auto">bad query: unbalanced quote in &#34;\&#34;ostmark&#34;</p>`, `<form class="search-big"`}},
		{"/login?next=/story/7", 200, []string{`<input type="hidden" name="next" value="/story/7">`}},
		{"/story/999", 404, []string{"There is nothing at this address."}},
		{"/story/abc", 404, nil},
		{"/story/", 404, nil},
		{"/entity/99", 404, nil},
		{"/article/99", 404, nil},
		{"/outlet/Nobody", 404, nil},
		{"/no/such/page", 404, []string{`<form class="search" role="search"`}},
		{"/static/nope.css", 404, nil},
	}
	for _, c := range cases {
		w := get(h, c.path)
		body := w.Body.String()
		if w.Code != c.status {
			t.Errorf("GET %s: %d, want %d", c.path, w.Code, c.status)
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", c.path, ct)
		}
		for _, s := range c.want {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s: no %s", c.path, s)
			}
		}
		checkMarkup(t, c.path, body, false)
		if t.Failed() && testing.Verbose() {
			t.Logf("%s:\n%s", c.path, body)
		}
	}
}

func TestStoryFilters(t *testing.T) {
	f, h, _ := setup(t, Options{})
	w := get(h, "/?sort=biggest&lang=AR&outlet=Herald&after=2025-06-01&before=2025-06-02&cursor=page2")
	if w.Code != 200 {
		t.Fatalf("%d", w.Code)
	}
	want := service.StoryFilter{Lang: "ar", Outlet: "Herald", After: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Before: time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC), Sort: "biggest"}
	if len(f.filters) != 1 || f.filters[0] != want || f.cursors[0] != "page2" {
		t.Errorf("Stories(%+v, %q), want %+v, page2", f.filters, f.cursors, want)
	}
	body := w.Body.String()
	for _, s := range []string{`value="Herald"`, `value="2025-06-01"`, `<a href="/?after=2025-06-01&amp;before=2025-06-02&amp;lang=ar&amp;outlet=Herald">First page</a>`,
		`<a href="/?after=2025-06-01&amp;before=2025-06-02&amp;lang=ar&amp;outlet=Herald">Newest</a>`} {
		if !strings.Contains(body, s) {
			t.Errorf("no %s", s)
		}
	}
	if strings.Contains(body, "Next page") {
		t.Error("a next page after the last")
	}
	if w := get(h, "/?lang=%3Cscript%3E"); w.Code != 400 || len(f.filters) != 1 {
		t.Errorf("a language that is no code: %d, Stories called %d times", w.Code, len(f.filters))
	}
}

// TestReaderErrors: a failing reader is a 500 page that tells nothing of
// the cause, which goes to the log.
func TestReaderErrors(t *testing.T) {
	_, h, logs := setup(t, Options{})
	for _, path := range []string{"/story/500", "/search?q=boom", "/?outlet=boom"} {
		logs.Reset()
		w := get(h, path)
		if w.Code != 500 {
			t.Errorf("%s: %d, want 500", path, w.Code)
		}
		if strings.Contains(w.Body.String(), "secret") || strings.Contains(w.Body.String(), "sqlite") {
			t.Errorf("%s: the page leaks the error", path)
		}
		if !strings.Contains(w.Body.String(), "Something went wrong") {
			t.Errorf("%s: no error page", path)
		}
		if !strings.Contains(logs.String(), "secret/storyline.db") {
			t.Errorf("%s: error not logged: %s", path, logs.String())
		}
	}
}

// TestHeaders: every response, pages, errors, redirects and assets, has
// the security headers.
func TestHeaders(t *testing.T) {
	_, h, _ := setup(t, Options{WriteToken: token})
	reqs := []*http.Request{
		httptest.NewRequest("GET", "/", nil),
		httptest.NewRequest("GET", "/story/7", nil),
		httptest.NewRequest("GET", "/story/500", nil),
		httptest.NewRequest("GET", "/nothing", nil),
		httptest.NewRequest("GET", "/static/style.css", nil),
		httptest.NewRequest("GET", "/search?q=%22", nil),
		httptest.NewRequest("HEAD", "/article/1", nil),
		httptest.NewRequest("POST", "/story/7", nil),
		httptest.NewRequest("GET", "/correct", nil),
		httptest.NewRequest("POST", "/correct", nil),
		httptest.NewRequest("POST", "/logout", nil),
	}
	for _, r := range reqs {
		w := do(h, r)
		hd := w.Header()
		if hd.Get("Content-Security-Policy") != csp || hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("Referrer-Policy") == "" ||
			hd.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s %s (%d): headers %v", r.Method, r.URL, w.Code, hd)
		}
	}
	for _, part := range []string{"default-src 'self'", "script-src 'none'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'",
		"base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP without %s", part)
		}
	}
}

func TestMethods(t *testing.T) {
	_, h, _ := setup(t, Options{WriteToken: token})
	for _, c := range []struct{ method, path, allow string }{
		{"GET", "/correct", "POST"}, {"GET", "/undo", "POST"}, {"GET", "/logout", "POST"},
		{"POST", "/story/7", "GET, HEAD"}, {"PUT", "/", "GET, HEAD"}, {"DELETE", "/login", "GET, HEAD, POST"},
	} {
		w := do(h, httptest.NewRequest(c.method, c.path, nil))
		if w.Code != 405 || w.Header().Get("Allow") != c.allow {
			t.Errorf("%s %s: %d, Allow %q; want 405, %q", c.method, c.path, w.Code, w.Header().Get("Allow"), c.allow)
		}
	}
	if w := do(h, httptest.NewRequest("HEAD", "/story/7", nil)); w.Code != 200 {
		t.Errorf("HEAD: %d", w.Code)
	}
}

func TestStatic(t *testing.T) {
	_, h, _ := setup(t, Options{})
	page := get(h, "/").Body.String()
	m := regexp.MustCompile(`href="(/static/style\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no versioned stylesheet link")
	}
	w := get(h, m[1])
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") ||
		w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(w.Body.String(), "svg.chart") {
		t.Fatalf("stylesheet: %d %v", w.Code, w.Header())
	}
	r := httptest.NewRequest("GET", m[1], nil)
	r.Header.Set("If-None-Match", w.Header().Get("ETag"))
	if w := do(h, r); w.Code != 304 {
		t.Errorf("If-None-Match: %d, want 304", w.Code)
	}
	if w := get(h, "/static/icon.svg"); w.Code != 200 || w.Header().Get("Content-Type") != "image/svg+xml" ||
		!strings.Contains(w.Header().Get("Cache-Control"), "max-age=3600") {
		t.Errorf("icon: %d %v", w.Code, w.Header())
	}
}

// jsonLD returns the contents of a page's JSON-LD blocks.
func jsonLD(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestJSONLD(t *testing.T) {
	f, h, _ := setup(t, Options{})
	// A title that tries to end the block.
	f.digests[7].Story.Headline = `Harbour </script><script>alert(1)</script> & "more"`
	f.articles[1].Title = `</SCRIPT><!-- x`
	for path, headline := range map[string]string{"/story/7": f.digests[7].Story.Headline, "/article/1": f.articles[1].Title} {
		body := get(h, path).Body.String()
		lds := jsonLD(t, body)
		if len(lds) != 1 {
			t.Fatalf("%s: %d JSON-LD blocks", path, len(lds))
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(lds[0]), &v); err != nil {
			t.Fatalf("%s: JSON-LD does not parse: %v\n%s", path, err, lds[0])
		}
		if v["@type"] != "NewsArticle" || v["@context"] != "https://schema.org" || v["headline"] != headline {
			t.Errorf("%s: %v", path, v)
		}
		if strings.Contains(strings.ToLower(lds[0]), "</script") || strings.Contains(lds[0], "<!--") {
			t.Errorf("%s: the block holds markup: %s", path, lds[0])
		}
		if path == "/story/7" {
			cites, _ := v["citation"].([]any)
			if len(cites) != 4 || v["abstract"] == "" || len(v["about"].([]any)) != 2 {
				t.Errorf("story JSON-LD: %v", v)
			}
		}
	}
}

// TestTimelineSVG: the chart is well-formed XML, whatever the story's
// dates: spread over days, one day, one instant, none.
func TestTimelineSVG(t *testing.T) {
	f, h, _ := setup(t, Options{})
	d := f.digests[8]
	svgOf := func(path string) string {
		t.Helper()
		body := get(h, path).Body.String()
		i, j := strings.Index(body, "<svg"), strings.Index(body, "</svg>")
		if i < 0 || j < i {
			t.Fatalf("%s: no svg", path)
		}
		s := body[i : j+len("</svg>")]
		dec := xml.NewDecoder(strings.NewReader(s))
		dec.Strict = true
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: the svg is not well-formed XML: %v\n%s", path, err, s)
			}
		}
		if !strings.Contains(s, `role="img"`) || !strings.Contains(s, `aria-label="Timeline: `) || !strings.Contains(s, "<title>Timeline: ") {
			t.Errorf("%s: svg without its accessible name", path)
		}
		return s
	}
	svgOf("/story/7")
	// One instant: an axis two hours wide, hour ticks.
	if s := svgOf("/story/8"); !strings.Contains(s, "Jun 2 08:00 UTC") || strings.Count(s, "<circle") != 1 {
		t.Errorf("one-article story:\n%s", s)
	}
	// No dates at all.
	for i := range d.Timeline {
		d.Timeline[i].At = time.Time{}
	}
	d.Timeline = append(d.Timeline, d.Timeline[0], d.Timeline[0])
	if s := svgOf("/story/8"); !strings.Contains(s, "no article is dated") || strings.Count(s, "<circle") != 3 {
		t.Errorf("undated story:\n%s", s)
	}
	// Only a merge, no article: still a chart.
	d.Timeline = []digest.Event{{At: at(2, 8), Kind: "merge", Other: 3}}
	svgOf("/story/8")
	// Nothing at all: no chart.
	d.Timeline = nil
	if body := get(h, "/story/8").Body.String(); strings.Contains(body, "<svg") {
		t.Error("a chart of nothing")
	}
}

func TestChartLayout(t *testing.T) {
	f := newFake()
	c := newChart(f.digests[7])
	if len(c.Lanes) != 2 || c.Lanes[0].Lang != "ar" || c.Lanes[1].Lang != "en" {
		t.Errorf("lanes %+v", c.Lanes)
	}
	if len(c.Dots) != 4 || len(c.Marks) != 1 || !c.Undated {
		t.Fatalf("dots %+v marks %+v", c.Dots, c.Marks)
	}
	for _, d := range c.Dots {
		if d.X < chartLeft || d.X > chartWidth-chartRight || d.Y < chartTop || d.Y > c.AxisY {
			t.Errorf("dot off the chart: %+v", d)
		}
	}
	// Dots in time order left to right; the undated one in its column.
	byArticle := map[int64]dot{}
	for _, d := range c.Dots {
		byArticle[d.Article] = d
	}
	if !(byArticle[1].X < byArticle[2].X && byArticle[2].X < byArticle[3].X && byArticle[3].X < c.UndatedX && byArticle[4].X >= c.UndatedX) {
		t.Errorf("dots out of order: %+v", byArticle)
	}
	if m := c.Marks[0]; !(m.X > byArticle[1].X && m.X < byArticle[2].X) {
		t.Errorf("merge at %v, between %v and %v", m.X, byArticle[1].X, byArticle[2].X)
	}
	if len(c.Ticks) < 2 || len(c.Ticks) > 2*maxTicks {
		t.Errorf("ticks %+v", c.Ticks)
	}
}

func TestHelpers(t *testing.T) {
	for in, want := range map[string]string{"https://a.example/x?y=1": "https://a.example/x?y=1", "http://a.example": "http://a.example",
		"javascript:alert(1)": "", " JavaScript:alert(1)": "", "data:text/html,x": "", "//evil.example/x": "", "/relative": "", "ftp://a.example/": "",
		"https:///nohost": ""} {
		if got := httpURL(in); got != want {
			t.Errorf("httpURL(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"/story/7": "/story/7", "//evil.example": "/", "https://evil.example/": "/", "/\\evil.example": "/",
		"": "/", "story": "/", "/search?q=x": "/search?q=x"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string][2]string{"ar": {"ar", "rtl"}, "fa-IR": {"fa-IR", "rtl"}, "en": {"en", "auto"}, "": {"", "auto"},
		`"><x`: {"", "auto"}} {
		if langAttr(in) != want[0] || dirAttr(in) != want[1] {
			t.Errorf("%q: lang %q dir %q, want %v", in, langAttr(in), dirAttr(in), want)
		}
	}
	got := marked("a «b» c «d")
	if len(got) != 3 || !got[1].Match || got[1].Text != "b" || got[2].Text != " c «d" {
		t.Errorf("marked: %+v", got)
	}
	if plural(2, "story") != "2 stories" || plural(1, "story") != "1 story" || plural(0, "article") != "0 articles" {
		t.Error("plural")
	}
	if ago(now, now.Add(-3*time.Hour)) != "3 hours ago" || ago(now, time.Time{}) != "" || ago(now, now.Add(-72*time.Hour)) != "3 days ago" {
		t.Error("ago")
	}
}
