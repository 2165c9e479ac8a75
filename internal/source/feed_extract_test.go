package source_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/extract"
	"github.com/storyline/storyline/internal/source"
)

const harbourStory = `<p>Ferry crews in the harbour voted on Monday evening to end a nine-day strike over pay, after the operator raised its offer for the second time in a week.</p>
<p>The union said the new deal restored the overtime rates cut last year and added a bonus for crews on the night routes, which had been the main sticking point.</p>
<p>Services will resume on Tuesday morning with a reduced timetable, and the operator expects to run a full schedule again by the weekend, a spokeswoman said.</p>`

// TestFeedArticlesExtracted runs feed items through extraction, as ingest
// does, and checks the outlet each article ends up with: the page's own
// site name when it declares one, else the feed's title — also when the
// item's page cannot be fetched and its own content stands in for it.
func TestFeedArticlesExtracted(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		b.WriteString(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Harbour Gazette</title>`)
		for _, link := range []string{"/gone/strike", "/plain/strike", "/named/strike"} {
			b.WriteString(`<item><title>Ferry strike ends after nine days</title><link>` + link + `</link><dc:creator>Ana Lima</dc:creator>` +
				`<pubDate>Tue, 08 Apr 2025 06:30:00 +0100</pubDate><description><![CDATA[<h2>Harbour news</h2>` + harbourStory + `]]></description></item>`)
		}
		b.WriteString(`</channel></rss>`)
		w.Write([]byte(b.String()))
	})
	page := func(head string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<!DOCTYPE html><html><head><title>Ferry strike ends after nine days</title>` + head +
				`</head><body><article><h1>Ferry strike ends after nine days</h1>` + harbourStory + `</article></body></html>`))
		}
	}
	mux.HandleFunc("/plain/strike", page(""))
	mux.HandleFunc("/named/strike", page(`<meta property="og:site_name" content="The Harbour Gazette Online">`))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	// The client dials the test server whatever the host, but a literal
	// loopback IP in a URL is still refused unless allowed.
	loopback, err := source.ParseAllowNets("loopback")
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2025, 4, 8, 5, 30, 0, 0, time.UTC)
	tests := []struct {
		name, host, path, source, author string
	}{
		{"link 404", "news.harbour.example", "/gone/strike", "Harbour Gazette", "Ana Lima"},
		{"page without site name", "news.harbour.example", "/plain/strike", "Harbour Gazette", ""},
		{"page names itself", "news.harbour.example", "/named/strike", "The Harbour Gazette Online", ""},
		// A port in the link must not leak the host into the outlet.
		{"link 404, port", "127.0.0.1:8080", "/gone/strike", "Harbour Gazette", "Ana Lima"},
	}
	// Every host resolves to the test server, so links carry real-looking
	// host names.
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, ts.Listener.Addr().String())
		},
	}}
	byHost := map[string][]source.Item{}
	for _, tt := range tests {
		if _, ok := byHost[tt.host]; ok {
			continue
		}
		for it := range source.Read(context.Background(), []string{"http://" + tt.host + "/rss"}, source.Options{HTTPClient: client, AllowNets: loopback}) {
			byHost[tt.host] = append(byHost[tt.host], it)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := "http://" + tt.host + tt.path
			var found bool
			for _, it := range byHost[tt.host] {
				if it.Page.Input != url {
					continue
				}
				found = true
				if it.Err != nil {
					t.Fatal(it.Err)
				}
				arts, err := extract.Page(context.Background(), it.Page)
				if err != nil {
					t.Fatal(err)
				}
				a := arts[0]
				if a.Source != tt.source || a.Title != "Ferry strike ends after nine days" || a.URL != url || !a.Published.Equal(published) {
					t.Errorf("source %q title %q url %q published %v; want %q, %q", a.Source, a.Title, a.URL, a.Published, tt.source, url)
				}
				if tt.author != "" && a.Author != tt.author {
					t.Errorf("author %q, want %q", a.Author, tt.author)
				}
				if !strings.Contains(a.Text, "Ferry crews in the harbour voted") {
					t.Errorf("text %.200q", a.Text)
				}
			}
			if !found {
				t.Fatalf("no item for %s", url)
			}
		})
	}
}
