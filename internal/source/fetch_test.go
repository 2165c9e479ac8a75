package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// loopback lets tests fetch from their httptest servers.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

const (
	korean_  = "나토 사무총장이 도쿄에서 이시바 총리와 회담했다"
	chinese_ = "北约秘书长吕特在东京与石破茂首相举行会谈"
	latin1   = "Café crème à Zürich, où l'été est doux"
)

func htmlDoc(meta, body string) string {
	return "<!DOCTYPE html><html><head>" + meta + "<title>Test page</title></head><body><article><p>" + body + "</p></article></body></html>"
}

// testServer serves pages in many charsets and encodings, and feeds.
type testServer struct {
	*httptest.Server
	mu        sync.Mutex
	userAgent string
	condReqs  []string // If-None-Match / If-Modified-Since seen on feeds
}

func newTestServer(t *testing.T) *testServer {
	ts := &testServer{}
	mux := http.NewServeMux()
	serve := func(path, ct string, body []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			w.Write(body)
		})
	}
	serve("/utf8", "text/html; charset=utf-8", []byte(htmlDoc("", "UTF-8 page about Rutte in Tokyo")))
	serve("/cp1256", "text/html; charset=windows-1256", encode(t, charmap.Windows1256, htmlDoc("", arabic)))
	serve("/sjis", "text/html", encode(t, japanese.ShiftJIS, htmlDoc(`<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">`, japanese_)))
	serve("/latin1", "text/html; charset=ISO-8859-1", encode(t, charmap.ISO8859_1, htmlDoc("", latin1)))
	serve("/euckr", "text/html; charset=EUC-KR", encode(t, korean.EUCKR, htmlDoc("", korean_)))
	serve("/gbk", "text/html", encode(t, simplifiedchinese.GBK, htmlDoc(`<meta charset="gbk">`, chinese_)))
	serve("/nodecl1256", "text/html", encode(t, charmap.Windows1256, htmlDoc("", strings.Repeat(arabic+" ", 5))))
	serve("/nodeclsjis", "text/html", encode(t, japanese.ShiftJIS, htmlDoc("", strings.Repeat(japanese_, 3))))
	serve("/nodecl1252", "", encode(t, charmap.Windows1252, htmlDoc("", latin1+" — “quoted”")))
	serve("/nodeclgbk", "text/html", encode(t, simplifiedchinese.GBK, htmlDoc("", strings.Repeat(chinese_, 3))))
	serve("/mislabeled", "text/html; charset=iso-8859-1", []byte(htmlDoc("", latin1)))
	serve("/liar-utf8", "text/html; charset=utf-8", encode(t, charmap.Windows1256, htmlDoc(`<meta charset="windows-1256">`, arabic)))
	serve("/text", "text/plain; charset=utf-8", []byte("Plain text page.\nSecond line."))
	serve("/image", "image/png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00"))
	serve("/empty", "text/html", nil)
	serve("/empty16", "text/plain; charset=utf-16le", []byte(" \x00\n\x00"))
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz(t, []byte(htmlDoc("", "Compressed page body"))))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; the client's timeout ends it
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(htmlDoc("", strings.Repeat("x", 5000))))
	})
	mux.HandleFunc("/bigchunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for range 10 {
			w.Write(bytes.Repeat([]byte("y"), 500))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/utf8", http.StatusFound)
	})
	mux.HandleFunc("/ua", func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.userAgent = r.UserAgent()
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(htmlDoc("", "ua")))
	})
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	serve("/rss", "application/rss+xml", []byte(`<?xml version="1.0" encoding="utf-8"?>
<!-- a comment -->
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Test Wire</title><language>en-gb</language>
<item><title>First &amp; foremost</title><link>/utf8</link><guid isPermaLink="false">id-1</guid><pubDate>Wed, 09 Apr 2025 10:00:00 GMT</pubDate><description>summary one</description></item>
<item><title>Link fails, description kept</title><link>/fail</link><description><![CDATA[<p>Fallback &nbsp;description body</p>]]></description><dc:date>2025-04-10T08:00:00Z</dc:date></item>
<item><title>Link fails, nothing else</title><link>/fail</link></item>
<item><title>No link</title><content:encoded><![CDATA[<p>Full content without a link</p>]]></content:encoded></item>
</channel></rss>`))
	serve("/atom", "application/atom+xml", []byte(`<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title type="html">Atom &lt;b&gt;Feed&lt;/b&gt;</title>
<entry><id>urn:x:1</id><title>Eins</title><link rel="self" href="/fail"/><link rel="alternate" type="text/html" href="/latin1"/><published>2025-04-09T10:00:00+02:00</published></entry>
<entry><id>urn:x:2</id><title>Zwei</title><link href="/fail"/><updated>2025-04-10T10:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>XHTML content</p></div></content></entry>
<entry><id>urn:x:3</id><title>Drei</title><summary type="text">Text &lt;summary&gt; only</summary></entry>
</feed>`))
	serve("/jsonfeed", "application/feed+json", []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"JSON Wire","language":"ja",
"items":[{"id":"j1","url":"/sjis","title":"One","date_published":"2025-04-09T10:00:00Z"},
{"id":2,"url":"/image","title":"Two","content_text":"Plain text\n\nsecond paragraph & more"},
{"id":"j3","title":"Three","content_html":"<p>HTML content</p>"}]}`))
	serve("/feed-as-html", "text/html", []byte(`<rss version="2.0"><channel><title>Mislabelled</title><item><link>/text</link></item></channel></rss>`))
	serve("/rss-latin1", "text/xml", encode(t, charmap.ISO8859_1, `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Été</title><item><title>`+latin1+`</title><description>`+latin1+`</description></item></channel></rss>`))
	serve("/notafeed", "application/xml", []byte(`<?xml version="1.0"?><catalog><book/></catalog>`))
	cond := func(path string, set func(http.Header), match func(*http.Request) bool) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			ts.mu.Lock()
			ts.condReqs = append(ts.condReqs, r.Header.Get("If-None-Match")+"|"+r.Header.Get("If-Modified-Since"))
			ts.mu.Unlock()
			set(w.Header())
			if match(r) {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<rss><channel><title>C</title><item><title>only</title><description>conditional body</description></item></channel></rss>`))
		})
	}
	cond("/etag", func(h http.Header) { h.Set("ETag", `"v1"`) }, func(r *http.Request) bool { return r.Header.Get("If-None-Match") == `"v1"` })
	lm := "Wed, 09 Apr 2025 10:00:00 GMT"
	cond("/lastmod", func(h http.Header) { h.Set("Last-Modified", lm) }, func(r *http.Request) bool { return r.Header.Get("If-Modified-Since") == lm })
	mux.HandleFunc("/etag-broken", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"b1"`)
		w.Write([]byte(`<rss><channel><item><link>/fail</link></item></channel></rss>`))
	})
	ts.Server = httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func TestFetchPages(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path     string
		err      error
		kind     article.Kind
		contains string
		url      string
	}{
		{"/utf8", nil, article.KindHTML, "UTF-8 page about Rutte", ""},
		{"/cp1256", nil, article.KindHTML, arabic, ""},
		{"/sjis", nil, article.KindHTML, japanese_, ""},
		{"/latin1", nil, article.KindHTML, latin1, ""},
		{"/euckr", nil, article.KindHTML, korean_, ""},
		{"/gbk", nil, article.KindHTML, chinese_, ""},
		{"/nodecl1256", nil, article.KindHTML, arabic, ""},
		{"/nodeclsjis", nil, article.KindHTML, japanese_, ""},
		{"/nodecl1252", nil, article.KindHTML, latin1 + " — “quoted”", ""},
		{"/nodeclgbk", nil, article.KindHTML, chinese_, ""},
		{"/mislabeled", nil, article.KindHTML, latin1, ""},
		{"/liar-utf8", nil, article.KindHTML, arabic, ""},
		{"/text", nil, article.KindText, "Plain text page.", ""},
		{"/gzip", nil, article.KindHTML, "Compressed page body", ""},
		{"/redirect", nil, article.KindHTML, "UTF-8 page", "/utf8"},
		{"/image", ErrUnsupported, 0, "", ""},
		{"/empty", ErrEmpty, 0, "", ""},
		{"/empty16", ErrEmpty, 0, "", ""},
		{"/nope", ErrHTTPStatus, 0, "", ""},
		{"/fail", ErrHTTPStatus, 0, "", ""},
		{"/big", ErrTooLarge, 0, "", ""},
		{"/bigchunked", ErrTooLarge, 0, "", ""},
		{"/slow", errors.New("timeout"), 0, "", ""},
		{"/notafeed", ErrUnsupported, 0, "", ""},
	}
	var inputs []string
	for _, tt := range tests {
		inputs = append(inputs, ts.URL+tt.path)
	}
	items := collect(t, inputs, Options{MaxBodyBytes: 4096, Timeout: 200 * time.Millisecond, AllowNets: loopback})
	if len(items) != len(tests) {
		t.Fatalf("got %d items, want %d", len(items), len(tests))
	}
	for i, tt := range tests {
		it := items[i]
		if it.Page.Input != ts.URL+tt.path {
			t.Errorf("item %d: Input %q", i, it.Page.Input)
		}
		if tt.err != nil {
			if it.Err == nil || (!errors.Is(it.Err, tt.err) && !strings.Contains(it.Err.Error(), tt.err.Error())) {
				t.Errorf("%s: err %v, want %v", tt.path, it.Err, tt.err)
			}
			continue
		}
		if it.Err != nil {
			t.Errorf("%s: %v", tt.path, it.Err)
			continue
		}
		if it.Page.Kind != tt.kind {
			t.Errorf("%s: kind %v, want %v", tt.path, it.Page.Kind, tt.kind)
		}
		if !strings.Contains(string(it.Page.Body), tt.contains) {
			t.Errorf("%s: body lacks %q: %.300q", tt.path, tt.contains, it.Page.Body)
		}
		wantURL := ts.URL + tt.path
		if tt.url != "" {
			wantURL = ts.URL + tt.url
		}
		if it.Page.URL != wantURL || it.Page.Fetched.IsZero() {
			t.Errorf("%s: URL %q fetched %v", tt.path, it.Page.URL, it.Page.Fetched)
		}
	}
}

func TestFetchUserAgentAndClient(t *testing.T) {
	ts := newTestServer(t)
	collect(t, []string{ts.URL + "/ua"}, Options{AllowNets: loopback})
	if ts.userAgent != DefaultUserAgent {
		t.Errorf("User-Agent %q", ts.userAgent)
	}
	// A client whose transport refuses compression still gets gzip decoded.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	items := collect(t, []string{ts.URL + "/gzip"}, Options{HTTPClient: client, UserAgent: "x/1", AllowNets: loopback})
	if len(items) != 1 || items[0].Err != nil || !strings.Contains(string(items[0].Page.Body), "Compressed") {
		t.Fatalf("got %+v", items)
	}
}

type feedWant struct {
	input, url, title, source, lang, contains string
	published                                 time.Time
	err                                       bool
}

func checkFeed(t *testing.T, items []Item, wants []feedWant) {
	t.Helper()
	if len(items) != len(wants) {
		for _, it := range items {
			t.Logf("%s %v", it.Page.Input, it.Err)
		}
		t.Fatalf("got %d items, want %d", len(items), len(wants))
	}
	for i, w := range wants {
		it, p := items[i], items[i].Page
		if p.Input != w.input {
			t.Errorf("item %d: Input %q, want %q", i, p.Input, w.input)
		}
		if w.err {
			if it.Err == nil {
				t.Errorf("item %d: no error", i)
			}
			continue
		}
		if it.Err != nil {
			t.Errorf("item %d: %v", i, it.Err)
			continue
		}
		if p.URL != w.url || p.Title != w.title || p.Source != w.source || p.Lang != w.lang || p.Kind != article.KindHTML {
			t.Errorf("item %d: url %q title %q source %q lang %q kind %v; want %q %q %q %q", i, p.URL, p.Title, p.Source, p.Lang, p.Kind, w.url, w.title, w.source, w.lang)
		}
		if !p.Published.Equal(w.published) {
			t.Errorf("item %d: published %v, want %v", i, p.Published, w.published)
		}
		if !strings.Contains(string(p.Body), w.contains) {
			t.Errorf("item %d: body lacks %q: %.200q", i, w.contains, p.Body)
		}
	}
}

func TestFeeds(t *testing.T) {
	ts := newTestServer(t)
	u := ts.URL
	d := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	tests := []struct {
		path  string
		wants []feedWant
	}{
		{"/rss", []feedWant{
			{u + "/utf8", u + "/utf8", "First & foremost", "Test Wire", "en", "UTF-8 page about Rutte", d("2025-04-09T10:00:00Z"), false},
			{u + "/fail", u + "/fail", "Link fails, description kept", "Test Wire", "en", "Fallback &nbsp;description body", d("2025-04-10T08:00:00Z"), false},
			{u + "/fail", "", "", "", "", "", time.Time{}, true},
			{u + "/rss#item4", "", "No link", "Test Wire", "en", "Full content without a link", time.Time{}, false},
		}},
		{"/atom", []feedWant{
			{u + "/latin1", u + "/latin1", "Eins", "Atom Feed", "de", latin1, d("2025-04-09T08:00:00Z"), false},
			{u + "/fail", u + "/fail", "Zwei", "Atom Feed", "de", "<p>XHTML content</p>", d("2025-04-10T10:00:00Z"), false},
			{u + "/atom#item3", "", "Drei", "Atom Feed", "de", "<p>Text &lt;summary&gt; only</p>", time.Time{}, false},
		}},
		{"/jsonfeed", []feedWant{
			{u + "/sjis", u + "/sjis", "One", "JSON Wire", "ja", japanese_, d("2025-04-09T10:00:00Z"), false},
			{u + "/image", u + "/image", "Two", "JSON Wire", "ja", "<p>second paragraph &amp; more</p>", time.Time{}, false},
			{u + "/jsonfeed#item3", "", "Three", "JSON Wire", "ja", "<p>HTML content</p>", time.Time{}, false},
		}},
		{"/feed-as-html", []feedWant{{u + "/text", u + "/text", "", "Mislabelled", "", "", time.Time{}, true}}},
		{"/rss-latin1", []feedWant{{u + "/rss-latin1#item1", "", latin1, "Été", "", latin1, time.Time{}, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			items := collect(t, []string{u + tt.path}, Options{AllowNets: loopback})
			// A feed item whose link is a plain-text page is fetched as such;
			// the table marks it as an error only to skip field checks.
			if tt.path == "/feed-as-html" {
				if len(items) != 1 || items[0].Err != nil || items[0].Page.Kind != article.KindText || items[0].Page.Source != "Mislabelled" {
					t.Fatalf("got %+v", items)
				}
				return
			}
			checkFeed(t, items, tt.wants)
		})
	}
}

// readRecording runs Read as the pipeline's writer would: pages are
// collected and validators recorded in store as they come.
func readRecording(t *testing.T, inputs []string, opt Options, store *MemValidators) (items []Item, vals []FeedValidators) {
	t.Helper()
	for _, it := range collect(t, inputs, opt) {
		if it.Validators == nil {
			items = append(items, it)
			continue
		}
		if it.Err != nil || it.Page.Input != it.Validators.URL || len(it.Page.Body) != 0 {
			t.Errorf("validators item %+v", it)
		}
		vals = append(vals, *it.Validators)
		if store != nil {
			store.Record(*it.Validators)
		}
	}
	return items, vals
}

func TestFeedConditionalGET(t *testing.T) {
	for _, path := range []string{"/etag", "/lastmod"} {
		t.Run(path, func(t *testing.T) {
			ts := newTestServer(t)
			store := &MemValidators{}
			var st Stats
			opt := Options{Validators: store, Stats: &st, AllowNets: loopback}
			all := collect(t, []string{ts.URL + path, ts.URL + "/utf8"}, opt)
			// The feed's item, its validators, then the next input.
			if len(all) != 3 || all[0].Err != nil || all[0].Validators != nil || all[1].Validators == nil || all[2].Page.Input != ts.URL+"/utf8" {
				t.Fatalf("first read: %+v", all)
			}
			if st.Pages.Load() != 2 || st.Errors.Load() != 0 {
				t.Errorf("validators counted: pages %d errors %d, want 2 0", st.Pages.Load(), st.Errors.Load())
			}
			if etag, lm, _ := store.Validators(context.Background(), ts.URL+path); etag != "" || lm != "" {
				t.Fatal("Read recorded validators itself")
			}
			store.Record(*all[1].Validators)
			if items, vals := readRecording(t, []string{ts.URL + path}, opt, store); len(items) != 0 || len(vals) != 0 {
				t.Fatalf("second read yielded %+v %+v", items, vals)
			}
			if st.NotModified.Load() != 1 {
				t.Errorf("NotModified = %d", st.NotModified.Load())
			}
			if len(ts.condReqs) != 2 || ts.condReqs[0] != "|" || ts.condReqs[1] == "|" {
				t.Errorf("conditional headers seen: %q", ts.condReqs)
			}
		})
	}
}

func TestFeedValidatorsWithheld(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name  string
		path  string
		store ValidatorReader
		items int
	}{
		// An item failed: next time the feed must come in full.
		{"failed item", "/etag-broken", &MemValidators{}, 1},
		// Nobody reads validators, so nobody needs to record them.
		{"no reader", "/etag", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, vals := readRecording(t, []string{ts.URL + tt.path}, Options{Validators: tt.store, AllowNets: loopback}, nil)
			if len(items) != tt.items || len(vals) != 0 {
				t.Errorf("got %d items, validators %+v", len(items), vals)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var got []Item
		for it := range Read(ctx, []string{ts.URL + "/etag"}, Options{Validators: &MemValidators{}, AllowNets: loopback}) {
			got = append(got, it)
			cancel()
		}
		if len(got) != 1 || got[0].Validators != nil {
			t.Errorf("after cancel got %+v", got)
		}
	})
}

// failingStore checks a broken store does not break the fetch.
type failingStore struct{}

func (failingStore) Validators(context.Context, string) (string, string, error) {
	return "", "", errors.New("db down")
}

func TestFeedStoreErrors(t *testing.T) {
	ts := newTestServer(t)
	items, vals := readRecording(t, []string{ts.URL + "/etag"}, Options{Validators: failingStore{}, AllowNets: loopback}, nil)
	if len(items) != 1 || items[0].Err != nil || len(vals) != 1 || vals[0] != (FeedValidators{URL: ts.URL + "/etag", ETag: `"v1"`}) {
		t.Fatalf("got %+v %+v", items, vals)
	}
}

func TestFetchCancel(t *testing.T) {
	ts := newTestServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for it := range Read(ctx, []string{ts.URL + "/rss", ts.URL + "/utf8"}, Options{AllowNets: loopback}) {
		n++
		if it.Err != nil {
			t.Errorf("unexpected %v", it.Err)
		}
		cancel()
	}
	if n != 1 {
		t.Errorf("got %d items after cancel, want 1", n)
	}
}

func FuzzFeed(f *testing.F) {
	f.Add([]byte(`<rss><channel><title>x</title><item><title>a</title><link>http://x/</link><description>&nbsp;d</description></item></channel></rss>`))
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1251"?><feed><entry><link href="/a"/><content type="xhtml"><div>x</div></content></entry></feed>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"url":5,"content_text":"x"}]}`))
	f.Add([]byte(`<rdf:RDF><channel/><item rdf:about="http://x/1"><title>t</title></item></rdf:RDF>`))
	f.Add([]byte(`<rss><channel><title>a</title><itunes:title>b</itunes:title><item><author>x@y (N)</author><source url="u">S</source><dc:creator>C</dc:creator></item></channel></rss>`))
	f.Add([]byte(`<feed><author><name>F</name></author><entry><source><title>S</title><author><name>A</name></author></source></entry></feed>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","authors":[{"name":"a"},"b",3],"items":[{"author":{"name":{}},"authors":{"name":"c"}}]}`))
	f.Add([]byte(`{"items":[{"url":"http:\/\/x\/1","content_html":"<p>x<\/p>"}],"version":"https:\/\/jsonfeed.org\/version\/1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fd, err := parseFeed(data, "")
		if err != nil {
			return
		}
		for _, it := range fd.Items {
			for _, s := range []string{it.Title, it.Content, it.Link, it.ID, it.Author, it.Source} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 in %+v", it)
				}
			}
		}
		_ = fmt.Sprint(fd)
	})
}

// TestFeedPrefetchOrder checks that prefetched feed pages still come in
// feed order, with no more than FeedConcurrency fetches in flight.
func TestFeedPrefetchOrder(t *testing.T) {
	const n, conc = 9, 3
	var (
		mu       sync.Mutex
		inFlight int
		maxSeen  int
	)
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString("<rss><channel><title>P</title>")
		for i := range n {
			fmt.Fprintf(&b, "<item><link>/p/%d</link></item>", i)
		}
		b.WriteString("</channel></rss>")
		w.Write([]byte(b.String()))
	})
	mux.HandleFunc("/p/{i}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		maxSeen = max(maxSeen, inFlight)
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(htmlDoc("", "page "+r.PathValue("i"))))
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	items := collect(t, []string{ts.URL + "/feed"}, Options{FeedConcurrency: conc, AllowNets: loopback})
	if len(items) != n {
		t.Fatalf("got %d items", len(items))
	}
	for i, it := range items {
		if it.Err != nil || !strings.Contains(string(it.Page.Body), fmt.Sprintf("page %d<", i)) {
			t.Errorf("item %d: %v %.100q", i, it.Err, it.Page.Body)
		}
	}
	if maxSeen > conc {
		t.Errorf("%d fetches in flight, limit %d", maxSeen, conc)
	}
}
