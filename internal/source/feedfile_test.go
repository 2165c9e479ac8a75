package source

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
)

// escapedJSONFeed writes its version URL with escaped slashes, as some
// publishers' JSON encoders do.
const escapedJSONFeed = `{"version":"https:\/\/jsonfeed.org\/version\/1","title":"Escaped Wire","items":[` +
	`{"id":"e1","url":"LINK\/e1","title":"Slashes","content_html":"<p>Escaped feed item.<\/p>"}]}`

func TestFeedKindJSON(t *testing.T) {
	tests := []struct {
		body string
		want string
	}{
		{`{"version":"https://jsonfeed.org/version/1.1","items":[]}`, "json"},
		{"\xEF\xBB\xBF \n{\"version\":\"http://jsonfeed.org/version/1\"}", "json"},
		{strings.ReplaceAll(escapedJSONFeed, "LINK", "http://x"), "json"},
		{`{"items":[{"title":"x"}],"version":"https://jsonfeed.org/version/1"}`, "json"},
		{`{"version":"1.0","items":[]}`, ""},
		{`{"version":5}`, ""},
		{`{"title":"x","note":"\"version\": \"https://jsonfeed.org/version/1\""}`, ""},
		{`{"version":"https://jsonfeed.org/version/1","items":[`, ""},
		{`[{"version":"https://jsonfeed.org/version/1"}]`, ""},
	}
	for _, tt := range tests {
		if got := feedKind([]byte(tt.body)); got != tt.want {
			t.Errorf("feedKind(%.60q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

// TestFetchJSONFeedEscaped fetches a JSON Feed whose version URL has
// escaped slashes.
func TestFetchJSONFeedEscaped(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(strings.ReplaceAll(escapedJSONFeed, "LINK", "\\/missing")))
	}))
	defer ts.Close()
	items := collect(t, []string{ts.URL + "/feed.json"}, Options{AllowNets: loopback})
	if len(items) != 1 || items[0].Err != nil || items[0].Page.Source != "Escaped Wire" || !strings.Contains(string(items[0].Page.Body), "Escaped feed item.") {
		t.Fatalf("got %+v", items)
	}
}

func TestReadFeedFiles(t *testing.T) {
	// Item links point at a live server: were a link fetched, it would
	// answer, and the hit would show.
	srv, hits := countingServer(t)
	link := srv.URL + "/story"
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>File Wire</title><language>fr</language>
<item><title>One</title><link>` + link + `1</link><guid>g1</guid><description>&lt;p&gt;First item body.&lt;/p&gt;</description><pubDate>Wed, 09 Apr 2025 10:00:00 GMT</pubDate></item>
<item><title>Two</title><link>` + link + `2</link><description>Second item body.</description></item>
<item><title>Three, no content</title><link>` + link + `3</link></item>
</channel></rss>`
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom File</title><entry><id>a1</id><title>Entry</title><link href="/relative"/><content type="html">&lt;p&gt;Atom entry body.&lt;/p&gt;</content></entry></feed>`
	dir := t.TempDir()
	files := map[string][]byte{
		"a.rss":      []byte(rss),
		"b.atom":     []byte(atom),
		"c.xml":      []byte(rss),
		"d.xml":      []byte(`<?xml version="1.0"?><catalog><book/></catalog>`),
		"e.json":     []byte(strings.ReplaceAll(escapedJSONFeed, "LINK", srv.URL)),
		"f.json":     []byte(`{"title":"not a feed","items":[]}`),
		"g.rss.gz":   gz(t, []byte(rss)),
		"h.xml.gz":   gz(t, []byte(atom)),
		"i.rss":      []byte("  \n"),
		"j.atom":     []byte(`<html><body>a page</body></html>`),
		"k.json.gz":  gz(t, []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"k","content_text":"Gzipped JSON."}]}`)),
		"l.xml":      []byte(`<rss><channel><item><title>broken`),
		"m.jsonfeed": []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[]}`),
	}
	for name, b := range files {
		writeFile(t, filepath.Join(dir, name), b)
	}
	type want struct {
		input    string
		err      error
		contains string
		source   string
		url      string
	}
	rssWants := func(name string) []want {
		return []want{
			{name + "#item1", nil, "<p>First item body.</p>", "File Wire", link + "1"},
			{name + "#item2", nil, "Second item body.", "File Wire", link + "2"},
			{name + "#item3", ErrNoContent, "", "", ""},
		}
	}
	var wants []want
	wants = append(wants, rssWants("a.rss")...)
	wants = append(wants, want{"b.atom#item1", nil, "<p>Atom entry body.</p>", "Atom File", ""})
	wants = append(wants, rssWants("c.xml")...)
	wants = append(wants,
		want{"d.xml", ErrUnsupported, "", "", ""},
		want{"e.json#item1", nil, "<p>Escaped feed item.</p>", "Escaped Wire", srv.URL + "/e1"},
		want{"f.json", ErrUnsupported, "", "", ""},
	)
	wants = append(wants, rssWants("g.rss.gz")...)
	wants = append(wants,
		want{"h.xml.gz#item1", nil, "<p>Atom entry body.</p>", "Atom File", ""},
		want{"i.rss", ErrEmpty, "", "", ""},
		want{"j.atom", ErrUnsupported, "", "", ""},
		want{"k.json.gz#item1", nil, "<p>Gzipped JSON.</p>", "", ""},
		want{"l.xml", errors.New("feed "), "", "", ""},
		want{"m.jsonfeed", ErrUnsupported, "", "", ""},
	)
	items := collect(t, []string{dir}, Options{AllowNets: loopback})
	if len(items) != len(wants) {
		for _, it := range items {
			t.Logf("%s %v", it.Page.Input, it.Err)
		}
		t.Fatalf("got %d items, want %d", len(items), len(wants))
	}
	for i, w := range wants {
		it, p := items[i], items[i].Page
		if got := filepath.Base(p.Input); got != w.input {
			t.Errorf("item %d: Input %q, want %q", i, got, w.input)
			continue
		}
		if w.err != nil {
			if it.Err == nil || (!errors.Is(it.Err, w.err) && !strings.Contains(it.Err.Error(), w.err.Error())) {
				t.Errorf("%s: err %v, want %v", w.input, it.Err, w.err)
			}
			continue
		}
		if it.Err != nil {
			t.Errorf("%s: %v", w.input, it.Err)
			continue
		}
		if p.Kind != article.KindHTML || p.Source != w.source || p.URL != w.url || !p.Fetched.IsZero() {
			t.Errorf("%s: kind %v source %q url %q fetched %v; want %q %q", w.input, p.Kind, p.Source, p.URL, p.Fetched, w.source, w.url)
		}
		if !strings.Contains(string(p.Body), w.contains) {
			t.Errorf("%s: body lacks %q: %.300q", w.input, w.contains, p.Body)
		}
	}
	if p := items[0].Page; p.Title != "One" || p.Lang != "fr" || p.ExternalID != "g1" || p.Published.IsZero() {
		t.Errorf("item fields: %+v", p)
	}
	for _, name := range []string{"d.xml", "f.json"} {
		for _, it := range items {
			if filepath.Base(it.Page.Input) == name && !strings.Contains(it.Err.Error(), "not a") {
				t.Errorf("%s: unclear error %v", name, it.Err)
			}
		}
	}
	if hits.Load() != 0 {
		t.Errorf("reading feed files made %d requests", hits.Load())
	}
}

// TestReadFeedFileItem reads single feed items again by their Input.
func TestReadFeedFileItem(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "feed.rss.gz")
	writeFile(t, p, gz(t, []byte(`<rss><channel><title>T</title>
<item><title>a</title><description>body a</description></item>
<item><title>b</title><description>body b</description></item>
<item><title>c</title></item></channel></rss>`)))
	var st Stats
	items := collect(t, []string{p + "#item2", p + "#item3", p + "#item9"}, Options{Stats: &st})
	if len(items) != 3 {
		t.Fatalf("got %+v", items)
	}
	if it := items[0]; it.Err != nil || it.Page.Input != p+"#item2" || it.Page.Title != "b" || !strings.Contains(string(it.Page.Body), "body b") {
		t.Errorf("#item2: %v %+v", it.Err, it.Page)
	}
	if it := items[1]; !errors.Is(it.Err, ErrNoContent) || it.Page.Input != p+"#item3" {
		t.Errorf("#item3: %v %s", it.Err, it.Page.Input)
	}
	if it := items[2]; it.Err == nil || !strings.Contains(it.Err.Error(), "no such item") {
		t.Errorf("#item9: %v", it.Err)
	}
	if st.Pages.Load() != 1 || st.Errors.Load() != 2 {
		t.Errorf("stats: pages %d errors %d, want 1 2", st.Pages.Load(), st.Errors.Load())
	}
}

func FuzzFeedFile(f *testing.F) {
	f.Add([]byte(`<rss><channel><title>t</title><item><description>d</description></item><item/></channel></rss>`), false)
	f.Add([]byte(strings.ReplaceAll(escapedJSONFeed, "LINK", "http://x")), true)
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"content_text":"\u0000"},{"summary":5}]}`), true)
	f.Add([]byte("\xEF\xBB\xBF<feed><entry><content type=\"xhtml\"><div>x</div></content></entry></feed>"), false)
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		format := fmtXML
		if asJSON {
			format = fmtJSON
		}
		e := &emitter{ctx: context.Background(), opt: Options{MaxBodyBytes: 1 << 12}.withDefaults()}
		n := 0
		e.yield = func(it Item) bool {
			n++
			if it.Err == nil {
				want := "fuzz#item" + strconv.Itoa(n)
				if it.Page.Input != want || it.Page.Kind != article.KindHTML || !utf8.Valid(it.Page.Body) {
					t.Fatalf("page %s (want %s) kind %v body %q", it.Page.Input, want, it.Page.Kind, it.Page.Body)
				}
			} else if it.Page.Input != "fuzz" && it.Page.Input != "fuzz#item"+strconv.Itoa(n) {
				t.Fatalf("failure named %q", it.Page.Input)
			}
			return true
		}
		e.readFeedFile(bytes.NewReader(data), "fuzz", format)
	})
}
