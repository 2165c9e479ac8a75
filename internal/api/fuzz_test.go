package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/article"
)

// FuzzQueryParams: no query string makes a read endpoint panic or answer
// with anything but 200, 400 or 404 in JSON (or a feed).
func FuzzQueryParams(f *testing.F) {
	for _, s := range []string{"", "limit=5&cursor=o5", "lang=ar&sort=biggest&after=2024-01-01&before=2024-12-31T00:00:00Z",
		"limit=0", "limit=-1", "limit=1e3", "cursor=%ff", "q=%22", "q=valencia&limit=1000", "after=2024-02-30",
		"lang=EN-gb", "outlet=%00", "sort=recent&sort=biggest", "q=%D9%81", "limit=+5", "limit=0x10", ";;&&==", "q"} {
		f.Add(s)
	}
	h, _ := newTest(f)
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err == nil {
			fl, p, err := parseStoryQuery(q)
			if err == nil && (p.Limit < 1 || p.Limit > MaxLimit || (fl.Sort != "recent" && fl.Sort != "biggest")) {
				t.Fatalf("%q: limit %d sort %q", raw, p.Limit, fl.Sort)
			}
			parseSearch(q)
		}
		for _, path := range []string{"/api/stories", "/api/search", "/api/outlets/Reuters", "/feeds/search.atom", "/feeds/stories.rss"} {
			req := &http.Request{Method: "GET", URL: &url.URL{Path: path, RawQuery: raw}, Header: http.Header{}, Host: "example.com"}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			switch rec.Code {
			case 200, 400, 404:
			default:
				t.Fatalf("%s?%s: %d %s", path, raw, rec.Code, rec.Body)
			}
			if rec.Code != 200 && !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s?%s: error is not JSON: %s", path, raw, rec.Body)
			}
		}
	})
}

// FuzzDecodePages: no body makes the decoder panic; every page it yields
// has a body or an http(s) URL to fetch, in valid UTF-8.
func FuzzDecodePages(f *testing.F) {
	for _, s := range []string{`{"text":"x"}`, `[{"html":"<p>x</p>"},{"url":"https://a.example/"}]`, "{\"text\":\"a\"}\n{\"text\":\"b\"}\n",
		`{"id":1,"title":true,"text":{"a":1},"html":null,"published":"1730282400","lang":["en"]}`, "\xef\xbb\xbf{\"text\":\"bom\"}",
		`[`, `]`, `{"url":"http://[::1]:80/"}`, `{"text":"\ud800"}`, "{\"text\":\"\xff\xfe\"}", `[[[[[]]]]]`, `{"text":"x"} trailing`} {
		f.Add([]byte(s))
	}
	h, fk := newTest(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		pages, problems, err := decodePages(body)
		if err == nil && len(pages) == 0 && len(problems) == 0 {
			var items []json.RawMessage
			if json.Unmarshal(body, &items) != nil || len(items) != 0 {
				t.Fatalf("%q: nothing, and no problem", body)
			}
		}
		for _, p := range pages {
			checkPage(t, body, p)
		}
		rec := do(t, h, "POST", "/api/articles", bytes.NewReader(body), bearer...)
		switch rec.Code {
		case 200, 201, 400:
		default:
			t.Fatalf("%q: %d %s", body, rec.Code, rec.Body)
		}
		fk.mu.Lock()
		fk.submitted = fk.submitted[:0]
		fk.mu.Unlock()
	})
}

func checkPage(t *testing.T, body []byte, p article.Page) {
	if len(p.Body) == 0 {
		u, err := url.Parse(p.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("%q: a page with no body and URL %q", body, p.URL)
		}
	}
	for _, s := range []string{string(p.Body), p.Title, p.URL, p.Source, p.ExternalID, p.Lang} {
		if strings.Contains(s, "\x00") {
			t.Fatalf("%q: NUL in %q", body, s)
		}
		if !isUTF8(s) {
			t.Fatalf("%q: invalid UTF-8 in %q", body, s)
		}
	}
}

func isUTF8(s string) bool { return strings.ToValidUTF8(s, "") == s }

// FuzzDecodeCorrection: no body panics the correction decoder, and what it
// accepts is valid.
func FuzzDecodeCorrection(f *testing.F) {
	for _, s := range []string{`{"kind":"merge-stories","story":1,"other":2}`, `{"kind":"split-story","story":1,"articles":[1,2]}`,
		`{}`, `{"kind":1}`, `{"story":1e309}`, `{"articles":[-1]}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := decodeCorrection(bytes.NewReader(body))
		if err == nil && validCorrection(c) != nil {
			t.Fatalf("%q accepted but invalid", body)
		}
	})
}
