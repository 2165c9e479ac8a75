package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/story"
)

// TestFeedConditionalGETDuringRun: a feed read in full during a run has its
// validators stored by the run's own batch, so the next run gets 304 Not
// Modified and fetches nothing else. (Written on a second connection while
// the batch held the write lock, they stalled each feed and were lost.)
func TestFeedConditionalGETDuringRun(t *testing.T) {
	const items = 30
	var full, notModified, pages atomic.Int32
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Gazette</title>`)
		for i := range items {
			fmt.Fprintf(&b, `<item><title>Story %d</title><link>%s/a/%d</link><pubDate>Mon, 0%d Jun 2025 10:00:00 GMT</pubDate></item>`,
				i, srv.URL, i, 1+i%9)
		}
		b.WriteString(`</channel></rss>`)
		w.Write([]byte(b.String()))
	})
	mux.HandleFunc("/a/", func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		n := strings.TrimPrefix(r.URL.Path, "/a/")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>Report %s</title></head><body><article><h1>Report %s</h1>
<p>The harbour authority of district %s said on Monday that the ferry number %s had been moved to the northern quay after storm damage to the pier, and that repairs would take about %s weeks.</p>
<p>Fishermen in district %s told reporters that the closure had cost them %s days at sea, and the council promised compensation for every boat registered in the district before the storm.</p>
</article></body></html>`, n, n, n, n, n, n, n)
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()

	loopback, err := source.ParseAllowNets("loopback")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for run := 1; run <= 2; run++ {
		p, st := openWith(t, dir, story.Config{}, Options{Source: source.Options{AllowNets: loopback, Timeout: 5 * time.Second}})
		start := time.Now()
		rep, err := p.Run(context.Background(), []string{srv.URL + "/feed.xml"})
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		t.Logf("run %d: %+v in %v", run, rep, took)
		switch run {
		case 1:
			if rep.Stored+rep.Copies != items || len(rep.Skipped) != 0 {
				t.Errorf("first run stored %d of %d, skipped %v", rep.Stored, items, rep.Skipped)
			}
		case 2:
			if rep.NotModified != 1 || rep.Items != 0 {
				t.Errorf("second run: not modified %d, items %d; want the feed answered 304", rep.NotModified, rep.Items)
			}
		}
		// A stall on the write lock took 10 s a feed.
		if took > 5*time.Second {
			t.Errorf("run %d took %v", run, took)
		}
	}
	if full.Load() != 1 || notModified.Load() != 1 || pages.Load() != items {
		t.Errorf("server saw %d full feed fetches, %d 304s, %d pages; want 1, 1, %d", full.Load(), notModified.Load(), pages.Load(), items)
	}
}

// TestRunPagesFetchesURLs: a posted page that is only a URL is fetched as
// a run fetches one, through the address guard: refused on loopback unless
// the allow-list names it.
func TestRunPagesFetchesURLs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Quay reopens</title></head><body><article><h1>Quay reopens</h1>
<p>The northern quay of the harbour reopened on Tuesday after three weeks of repairs to the storm-damaged pier, the harbour authority said in a statement.</p>
<p>Ferries to the islands will run on the summer timetable from Friday, and the council said compensation for fishermen would be paid by the end of the month.</p>
</article></body></html>`)
	}))
	defer srv.Close()
	loopback, err := source.ParseAllowNets("loopback")
	if err != nil {
		t.Fatal(err)
	}
	pages := []article.Page{{URL: srv.URL + "/quay"}}
	for _, tc := range []struct {
		name   string
		allow  []netip.Prefix
		stored int
	}{{"guarded", nil, 0}, {"allowed", loopback, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			p, st := openWith(t, t.TempDir(), story.Config{}, Options{Source: source.Options{AllowNets: tc.allow, Timeout: 5 * time.Second}})
			defer st.Close()
			rep, ids, err := p.RunPages(context.Background(), pages)
			if err != nil {
				t.Fatal(err)
			}
			stored := 0
			for _, id := range ids {
				if id != 0 {
					stored++
				}
			}
			if stored != tc.stored || rep.Stored != tc.stored {
				t.Fatalf("stored %d (ids %v), want %d; skipped %v", rep.Stored, ids, tc.stored, rep.Skipped)
			}
			if tc.stored == 0 && len(rep.Skipped) != 1 {
				t.Errorf("a refused URL is one skipped item, got %v", rep.Skipped)
			}
			if tc.stored == 1 {
				a, err := st.Article(context.Background(), ids[0])
				if err != nil || a.Title != "Quay reopens" {
					t.Errorf("stored %+v, %v", a, err)
				}
			}
		})
	}
}
