package source

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"golang.org/x/net/html"
)

// Feeds for the fallback tests. LINK is replaced by the path prefix of
// the item links: "/missing/" (404) or "/ok/" (an HTML page).
const (
	fallbackRSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Harbour Gazette</title>
<itunes:title>Harbour Gazette Daily Podcast</itunes:title>
<image><title>Harbour Gazette logo</title><url>http://x/logo.png</url></image>
<item><title>Ferry strike ends</title><link>LINKrss-1</link><dc:creator>Ana Lima</dc:creator>
<pubDate>Tue, 08 Apr 2025 06:30:00 +0100</pubDate><content:encoded><![CDATA[<h2>Update</h2><p>Ferry crews voted to return to work.</p>]]></content:encoded></item>
<item><title>Port fees rise</title><link>LINKrss-2</link><author>desk@gazette.example (Ben Ode)</author>
<pubDate>Wed, 09 Apr 2025 10:00:00 GMT</pubDate><description>&lt;p&gt;Harbour fees go up in May.&lt;/p&gt;</description></item>
<item><title>Wire: storm warning</title><link>LINKrss-3</link><author>wire@agency.example</author><source url="http://agency.example/rss">Coastal Wire Agency</source>
<pubDate>Thu, 10 Apr 2025 12:00:00 GMT</pubDate><description>Gales expected overnight.</description></item>
</channel></rss>`

	fallbackAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="pt">
<title type="html">Di&amp;aacute;rio &lt;i&gt;do Porto&lt;/i&gt;</title>
<author><name>Redação</name></author>
<entry><id>urn:a:1</id><title>Cais reabre</title><media:title>thumbnail caption</media:title><link rel="alternate" href="LINKatom-1"/>
<author><name>Rui Costa</name></author><published>2025-04-08T09:15:00+01:00</published><updated>2025-04-09T00:00:00Z</updated>
<content type="html">&lt;p&gt;O cais reabriu.&lt;/p&gt;</content></entry>
<entry><id>urn:a:2</id><title>Sem autor</title><link href="LINKatom-2"/><updated>2025-04-11T18:00:00Z</updated>
<summary>Resumo em texto.</summary></entry>
</feed>`

	fallbackJSON = `{"version":"https://jsonfeed.org/version/1.1","title":" Bay  Times ","language":"en-US",
"authors":[{"name":"Bay Times staff"}],
"items":[
{"id":"b1","url":"LINKjson-1","title":"Tide record","authors":[{"name":"Cy Dee"},{"url":"x"},{"name":"Eve Fox"}],"date_published":"2025-04-12T07:00:00Z","content_html":"<p>Highest tide in years.</p>"},
{"id":"b2","url":"LINKjson-2","title":"Pier closed","author":{"name":"Old Style"},"date_modified":"2025-04-13T08:00:00-04:00","content_text":"Pier closed for repairs."},
{"id":"b3","url":"LINKjson-3","title":"Gulls","authors":[7,null,{"name":" "}],"date_published":"2025-04-14T00:00:00Z","summary":"Gulls everywhere."}]}`

	fallbackRDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://x/"><title>Lighthouse Notes</title><dc:title>Other</dc:title></channel>
<item rdf:about="LINKrdf-1"><title>Lamp replaced</title><link>LINKrdf-1</link><dc:creator>Ida Rao</dc:creator><dc:date>2025-04-15T20:00:00Z</dc:date><description>New lamp fitted.</description></item>
</rdf:RDF>`
)

// headMeta parses an HTML document and returns the <title> and the
// content of the <meta> elements in its head, keyed by property or name;
// the first of a name counts.
func headMeta(t *testing.T, body []byte) map[string]string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	m := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "body" {
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "title":
				if _, seen := m["title"]; !seen && n.FirstChild != nil {
					m["title"] = n.FirstChild.Data
				}
			case "meta":
				var key, content string
				for _, a := range n.Attr {
					switch a.Key {
					case "property", "name":
						key = a.Val
					case "content":
						content = a.Val
					}
				}
				if _, seen := m[key]; !seen && key != "" {
					m[key] = content
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

func TestFeedItemFallback(t *testing.T) {
	feeds := map[string]string{"rss": fallbackRSS, "atom": fallbackAtom, "json": fallbackJSON, "rdf": fallbackRDF}
	mux := http.NewServeMux()
	// /missing/... is left to the mux's 404.
	mux.HandleFunc("/feed/{links}/{kind}", func(w http.ResponseWriter, r *http.Request) {
		body, ok := feeds[r.PathValue("kind")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(strings.ReplaceAll(body, "LINK", "/"+r.PathValue("links")+"/")))
	})
	mux.HandleFunc("/ok/{item}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(htmlDoc("", "page body for "+r.PathValue("item"))))
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()

	d := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	type want struct {
		item, title, source, author, content string
		published                            time.Time
	}
	tests := []struct {
		kind  string
		wants []want
	}{
		{"rss", []want{
			{"rss-1", "Ferry strike ends", "Harbour Gazette", "Ana Lima", "<p>Ferry crews voted to return to work.</p>", d("2025-04-08T05:30:00Z")},
			{"rss-2", "Port fees rise", "Harbour Gazette", "Ben Ode", "<p>Harbour fees go up in May.</p>", d("2025-04-09T10:00:00Z")},
			// An aggregated item names its own outlet; a bare address is no byline.
			{"rss-3", "Wire: storm warning", "Coastal Wire Agency", "", "Gales expected overnight.", d("2025-04-10T12:00:00Z")},
		}},
		{"atom", []want{
			{"atom-1", "Cais reabre", "Diário do Porto", "Rui Costa", "<p>O cais reabriu.</p>", d("2025-04-08T08:15:00Z")},
			{"atom-2", "Sem autor", "Diário do Porto", "Redação", "Resumo em texto.", d("2025-04-11T18:00:00Z")},
		}},
		{"json", []want{
			{"json-1", "Tide record", "Bay Times", "Cy Dee, Eve Fox", "<p>Highest tide in years.</p>", d("2025-04-12T07:00:00Z")},
			{"json-2", "Pier closed", "Bay Times", "Old Style", "<p>Pier closed for repairs.</p>", d("2025-04-13T12:00:00Z")},
			{"json-3", "Gulls", "Bay Times", "Bay Times staff", "<p>Gulls everywhere.</p>", d("2025-04-14T00:00:00Z")},
		}},
		{"rdf", []want{
			{"rdf-1", "Lamp replaced", "Lighthouse Notes", "Ida Rao", "New lamp fitted.", d("2025-04-15T20:00:00Z")},
		}},
	}
	for _, links := range []string{"missing", "ok"} {
		for _, tt := range tests {
			t.Run(links+"/"+tt.kind, func(t *testing.T) {
				items := collect(t, []string{ts.URL + "/feed/" + links + "/" + tt.kind}, Options{AllowNets: loopback})
				if len(items) != len(tt.wants) {
					t.Fatalf("got %d items, want %d", len(items), len(tt.wants))
				}
				for i, w := range tt.wants {
					it, p := items[i], items[i].Page
					link := ts.URL + "/" + links + "/" + w.item
					if it.Err != nil {
						t.Errorf("%s: %v", w.item, it.Err)
						continue
					}
					if p.Input != link || p.URL != link {
						t.Errorf("%s: Input %q URL %q, want %q", w.item, p.Input, p.URL, link)
					}
					if p.Title != w.title || p.Source != w.source || !p.Published.Equal(w.published) || p.Kind != article.KindHTML {
						t.Errorf("%s: title %q source %q published %v kind %v; want %q %q %v",
							w.item, p.Title, p.Source, p.Published, p.Kind, w.title, w.source, w.published)
					}
					if links == "ok" {
						// The page itself is handed on untouched.
						if !bytes.Equal(p.Body, []byte(htmlDoc("", "page body for "+w.item))) {
							t.Errorf("%s: body %.200q", w.item, p.Body)
						}
						continue
					}
					if !strings.Contains(string(p.Body), w.content) {
						t.Errorf("%s: body lacks %q: %.300q", w.item, w.content, p.Body)
					}
					// The fallback document declares what the feed says,
					// so that extraction prefers it to guesses.
					m := headMeta(t, p.Body)
					for key, v := range map[string]string{
						"title": w.title, "og:title": w.title, "og:site_name": w.source, "author": w.author,
					} {
						if m[key] != v {
							t.Errorf("%s: head %s = %q, want %q", w.item, key, m[key], v)
						}
					}
					if pt, err := time.Parse(time.RFC3339, m["article:published_time"]); err != nil || !pt.Equal(w.published) {
						t.Errorf("%s: declared date %q, want %v", w.item, m["article:published_time"], w.published)
					}
				}
			})
		}
	}
}

// TestFeedTitles checks that the title of the feed and of its items is the
// element's own, not a namespaced extension's.
func TestFeedTitles(t *testing.T) {
	tests := []struct {
		name, body, feed, item string
	}{
		{"itunes after", `<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Real</title><itunes:title>Podcast</itunes:title><item><title>A</title><description>x</description></item></channel></rss>`, "Real", "A"},
		{"itunes before", `<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><itunes:title>Podcast</itunes:title><title>Real</title><item><title>A</title><description>x</description></item></channel></rss>`, "Real", "A"},
		{"undeclared prefix", `<rss><channel><title>Real</title><media:title>M</media:title><item><media:title>M</media:title><title>A</title></item></channel></rss>`, "Real", "A"},
		{"dc only", `<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><dc:title>Dublin</dc:title><item><dc:title>D</dc:title></item></channel></rss>`, "Dublin", "D"},
		{"empty own title", `<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title> </title><dc:title>Dublin</dc:title><item><title/></item></channel></rss>`, "Dublin", ""},
		{"atom media", `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"><media:title>M</media:title><title>Own</title><entry><media:title>M</media:title><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X <b>Y</b></div></title></entry></feed>`, "Own", "X Y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseFeed([]byte(tt.body), "")
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tt.feed || len(f.Items) != 1 || f.Items[0].Title != tt.item {
				t.Errorf("feed %q items %+v; want %q, item %q", f.Title, f.Items, tt.feed, tt.item)
			}
		})
	}
}

func TestRSSAuthor(t *testing.T) {
	tests := []struct {
		creators []string
		authors  []string
		want     string
	}{
		{nil, []string{"jo@example.com (Jo Bloggs)"}, "Jo Bloggs"},
		{nil, []string{"jo@example.com"}, ""},
		{nil, []string{"  Jo   Bloggs "}, "Jo Bloggs"},
		{[]string{"Ana Lima", " ", "Ben Ode"}, []string{"x@y (Other)"}, "Ana Lima, Ben Ode"},
		{nil, []string{"a@x (A)", "b@x (B)"}, "A, B"},
		{nil, nil, ""},
	}
	for _, tt := range tests {
		var as []xmlAuthor
		for _, a := range tt.authors {
			as = append(as, xmlAuthor{Text: a})
		}
		if got := rssAuthor(tt.creators, as); got != tt.want {
			t.Errorf("rssAuthor(%q, %q) = %q, want %q", tt.creators, tt.authors, got, tt.want)
		}
	}
}

// FuzzItemDocument checks that whatever a feed holds, its fallback
// document is valid UTF-8 and declares the feed's outlet and the item's
// title as they were.
func FuzzItemDocument(f *testing.F) {
	f.Add("Harbour Gazette", "Ferry strike ends", "Ana Lima", "<p>Body</p>", int64(1744094400))
	f.Add(`"><script>x</script>`, "A & B <i>", "\xff", "</article></html><meta property=og:site_name content=Evil>", int64(0))
	f.Fuzz(func(t *testing.T, outlet, title, author, content string, unix int64) {
		outlet, title, author = oneLine(outlet), oneLine(title), oneLine(author)
		it := feedItem{Title: title, Author: author, Content: content}
		if unix > 0 && unix < 1<<40 {
			it.Published = time.Unix(unix, 0).UTC()
		}
		b := itemDocument(outlet, it, "en")
		if !utf8.Valid(b) {
			t.Fatalf("invalid UTF-8: %q", b)
		}
		m := headMeta(t, b)
		if !utf8.Valid([]byte(outlet)) || !utf8.Valid([]byte(title)) || strings.ContainsRune(outlet+title, 0) {
			return // validUTF8 rewrites these
		}
		if outlet != "" && m["og:site_name"] != outlet {
			t.Errorf("og:site_name %q, want %q", m["og:site_name"], outlet)
		}
		if title != "" && m["og:title"] != title {
			t.Errorf("og:title %q, want %q", m["og:title"], title)
		}
	})
}

func BenchmarkParseFeed(b *testing.B) {
	for _, tt := range []struct{ name, body string }{
		{"rss", fallbackRSS}, {"atom", fallbackAtom}, {"json", fallbackJSON},
	} {
		body := []byte(strings.ReplaceAll(tt.body, "LINK", "http://x/"))
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			items := 0
			for b.Loop() {
				f, err := parseFeed(body, "")
				if err != nil {
					b.Fatal(err)
				}
				items += len(f.Items)
			}
			b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
