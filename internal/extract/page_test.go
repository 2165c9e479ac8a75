package extract

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.txt from the current output")

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenHTML checks metadata and text on hand-written pages; the text
// is compared with testdata/<name>.golden.txt (go test -update rewrites it).
func TestGoldenHTML(t *testing.T) {
	tests := []struct {
		file      string
		url       string
		wantURL   string
		title     string
		author    string
		source    string
		published time.Time
		contains  []string // in the text
		excludes  []string // chrome that must be gone
	}{
		{
			file:      "meta.html",
			url:       "", // falls back to the canonical URL
			wantURL:   "https://www.coastalcourier.example/news/2025/04/harbour-bridge-reopens",
			title:     "Harbour bridge reopens after repairs",
			author:    "Maria Jensen",
			source:    "The Coastal Courier",
			published: time.Date(2025, 4, 9, 7, 30, 0, 0, time.UTC),
			contains:  []string{"The harbour bridge reopened to traffic", "request of residents."},
			excludes:  []string{"Most read", "Related:", "All rights reserved", "By Maria Jensen", "Weather", "Harbour bridge reopens after repairs"},
		},
		{
			file:      "jsonld.html",
			url:       "https://tagesblatt.example/wirtschaft/bahnstrecke?utm_source=feed",
			wantURL:   "https://tagesblatt.example/wirtschaft/bahnstrecke?utm_source=feed",
			title:     "Neue Bahnstrecke zwischen Nord und Süd eröffnet",
			author:    "Jonas Weber",
			source:    "Tagesblatt Mitte",
			published: time.Date(2024, 11, 3, 8, 15, 0, 0, time.UTC),
			contains:  []string{"Nach sieben Jahren Bauzeit", "für den Güterverkehr zu nutzen."},
			excludes:  []string{"Impressum", "Politik"},
		},
		{
			file:    "nosite.html",
			url:     "https://www.example.org/2024/01/02/story.html",
			wantURL: "https://www.example.org/2024/01/02/story.html",
			title:   "Village fair draws record crowds",
			source:  "example.org", // no site name anywhere: the host
			// No date in the page: htmldate reads it from the URL.
			published: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
			contains:  []string{"The annual village fair"},
		},
		{
			// Subscription and paging chrome inside the article, and a
			// prose paragraph about a subscription that must stay.
			file:      "chrome-de.html",
			url:       "https://www.weserkurier-nord.example/region/hafenbahn",
			wantURL:   "https://www.weserkurier-nord.example/region/hafenbahn",
			title:     "Hafenbahn fährt wieder nach Süden", // "- Weserkurier Nord | 23.05.2011" stripped
			source:    "Weserkurier Nord",
			published: time.Date(2011, 5, 23, 4, 30, 0, 0, time.UTC),
			contains:  []string{"Nach zwei Jahren Pause", "Wer die Zeitung abonnieren möchte", "noch in diesem Jahr fertig werden sollen."},
			excludes:  []string{"Jetzt abonnieren", "Seite 1 von 3", "Weiterlesen mit Abo", "Zurück 1 2 3", "Startseite", "Impressum"},
		},
		{
			file:      "ruby.html",
			url:       "https://minato-nippo.example/local/library",
			wantURL:   "https://minato-nippo.example/local/library",
			title:     "市立図書館が新館を開館",
			source:    "みなと日報",
			published: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC),
			contains:  []string{"市立図書館の新しい建物", "蔵書は約三十万冊", "企画展も来月末まで"},
			excludes:  []string{"としょかん", "ぞうしょ", "きかくてん", "(", "（"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			body := readTestdata(t, tc.file)
			arts, err := Page(context.Background(), article.Page{Input: tc.file, URL: tc.url, Kind: article.KindHTML, Body: body, Fetched: time.Unix(1700000000, 0)})
			if err != nil {
				t.Fatal(err)
			}
			if len(arts) != 1 {
				t.Fatalf("got %d articles, want 1", len(arts))
			}
			a := arts[0]
			check := func(field, got, want string) {
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("Input", a.Input, tc.file)
			check("URL", a.URL, tc.wantURL)
			check("Title", a.Title, tc.title)
			check("Author", a.Author, tc.author)
			check("Source", a.Source, tc.source)
			if !a.Published.Equal(tc.published) {
				t.Errorf("Published = %v, want %v", a.Published, tc.published)
			}
			if !a.Fetched.Equal(time.Unix(1700000000, 0)) {
				t.Errorf("Fetched = %v, not copied from the page", a.Fetched)
			}
			for _, s := range tc.contains {
				if !strings.Contains(a.Text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range tc.excludes {
				if strings.Contains(a.Text, s) {
					t.Errorf("text keeps chrome %q", s)
				}
			}
			golden := filepath.Join("testdata", strings.TrimSuffix(tc.file, ".html")+".golden.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(a.Text+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if a.Text != strings.TrimSuffix(string(want), "\n") {
				t.Errorf("text differs from %s:\n%s", golden, a.Text)
			}
		})
	}
}

// TestHints checks that the page's hints survive where the HTML says
// nothing better, and give way where it does.
func TestHints(t *testing.T) {
	hinted := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	p := article.Page{
		Input: "x.jsonl#3", URL: "https://news.example.com/a", Kind: article.KindHTML,
		ExternalID: "id-7", Title: "Hint title", Source: "Hint Source", Lang: "fr", Published: hinted,
		Body: readTestdata(t, "nosite.html"),
	}
	arts, err := Page(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	a := arts[0]
	if a.ExternalID != "id-7" || a.Lang != "fr" || a.Input != "x.jsonl#3" {
		t.Errorf("ExternalID, Lang, Input = %q, %q, %q: not copied", a.ExternalID, a.Lang, a.Input)
	}
	if a.Title != "Village fair draws record crowds" {
		t.Errorf("Title = %q, want the page's own", a.Title)
	}
	if a.Source != "Hint Source" {
		t.Errorf("Source = %q, want the hint (the page names no site)", a.Source)
	}
	if !a.Published.Equal(hinted) {
		t.Errorf("Published = %v, want the hint %v (neither the page nor its URL has a date)", a.Published, hinted)
	}
}

func TestNoText(t *testing.T) {
	tests := []struct {
		name string
		kind article.Kind
		body []byte
	}{
		{"notext.html", article.KindHTML, readTestdata(t, "notext.html")},
		{"scriptonly.html", article.KindHTML, readTestdata(t, "scriptonly.html")},
		{"empty", article.KindHTML, nil},
		{"blank", article.KindUnknown, []byte(" \n\t \n")},
		{"empty clean", article.KindClean, []byte("\n\n")},
		{"binary", article.KindUnknown, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")},
		{"tags only", article.KindHTML, []byte("<html><body><div><span></span></div></body></html>")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			arts, err := Page(context.Background(), article.Page{Input: tc.name, Kind: tc.kind, Body: tc.body})
			if !errors.Is(err, ErrNoText) {
				t.Fatalf("err = %v (articles %d), want ErrNoText", err, len(arts))
			}
			if !strings.Contains(err.Error(), tc.name) {
				t.Errorf("error %q does not name the input", err)
			}
		})
	}
}

func TestHostileHTML(t *testing.T) {
	para := "<p>The council approved the new budget on Tuesday after a long debate about schools and roads.</p>"
	tests := []struct {
		name    string
		body    string
		wantErr error  // nil: a result is expected
		want    string // in the text
	}{
		{"deep nesting", "<html><body>" + strings.Repeat("<div>", 20000) + para + strings.Repeat("</div>", 20000) + "</body></html>", nil, "approved the new budget"},
		{"unclosed inline nesting", "<html><body><p>" + strings.Repeat("<span><b>", 20000) + "The council approved the new budget on Tuesday after a long debate.</p></body></html>", nil, "approved the new budget"},
		{"huge attribute", `<html><body><div class="` + strings.Repeat("x", 3<<20) + `" data-x="` + strings.Repeat("y", 1<<20) + `">` + para + para + `</div></body></html>`, nil, "approved the new budget"},
		{"invalid utf-8", "<html><body><p>The council \xff\xfe approved the new budget on Tuesday after a long debate about schools.</p></body></html>", nil, "approved the new budget"},
		{"too many elements", "<html><body>" + strings.Repeat("<i></i>", MaxElements+10) + "</body></html>", ErrTooLarge, ""},
		{"over size limit", "<html><body>" + strings.Repeat("a", MaxBodySize) + "</body></html>", ErrTooLarge, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			arts, err := Page(context.Background(), article.Page{Input: tc.name, Kind: article.KindHTML, Body: []byte(tc.body)})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(arts[0].Text, tc.want) {
				t.Errorf("text %q lacks %q", arts[0].Text, tc.want)
			}
			if !utf8.ValidString(arts[0].Text) {
				t.Error("text is not valid UTF-8")
			}
		})
	}
}

// TestLargePage checks that a page far above the size of any real article
// still yields its text, through the readability-only path.
func TestLargePage(t *testing.T) {
	para := "<p>Paragraph of a very long report that goes on and on about the same thing.</p>\n"
	body := "<html><body><article>" + strings.Repeat(para, (fullTextMax*2)/len(para)) + "</article></body></html>"
	arts, err := Page(context.Background(), article.Page{Input: "large", Kind: article.KindHTML, Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(arts[0].Text, "\n\n") + 1; n > MaxParagraphs {
		t.Errorf("%d paragraphs, want at most MaxParagraphs = %d", n, MaxParagraphs)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Page(ctx, article.Page{Input: "c", Kind: article.KindHTML, Body: readTestdata(t, "meta.html")})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestKinds(t *testing.T) {
	scrape := "Home | World | Sport\n\nHarbour bridge reopens\n\nThe harbour bridge reopened to traffic on Wednesday morning after eight months of repairs.\n"
	tests := []struct {
		name string
		kind article.Kind
		body string
		want string // the whole text
	}{
		{"clean", article.KindClean, "  First   paragraph\tof text.\r\n\r\n\n Second\u00a0paragraph. \n", "First paragraph of text.\n\nSecond paragraph."},
		{"unknown text", article.KindUnknown, "Just a plain line of text that is long enough to be kept.\nAnd another one.", ""},
		{"text", article.KindText, scrape, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			arts, err := Page(context.Background(), article.Page{Input: tc.name, URL: "https://www.example.com/x", Kind: tc.kind, Body: []byte(tc.body)})
			if err != nil {
				t.Fatal(err)
			}
			a := arts[0]
			if tc.want != "" && a.Text != tc.want {
				t.Errorf("text = %q, want %q", a.Text, tc.want)
			}
			if strings.Contains(a.Text, "\n\n\n") || strings.TrimSpace(a.Text) != a.Text {
				t.Errorf("text %q is not normalised into paragraphs", a.Text)
			}
			// Text scrapes get their source from package clean when the
			// text names an outlet; clean text only from the URL.
			if tc.kind == article.KindClean && a.Source != "example.com" {
				t.Errorf("Source = %q, want the URL's host", a.Source)
			}
			if a.Source == "" {
				t.Error("Source is empty, want at least the URL's host")
			}
		})
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		body string
		want article.Kind
	}{
		{"<!DOCTYPE html><html><body>x</body></html>", article.KindHTML},
		{"\ufeff  <html lang=en>", article.KindHTML},
		{"<div class=a><p>One</p><p>Two</p></div>", article.KindHTML},
		{"A plain text article.\nWith a second line about a < b.", article.KindText},
		{"Prices rose <5% this year, officials said.", article.KindText},
	}
	for _, tc := range tests {
		if got := Sniff([]byte(tc.body)); got != tc.want {
			t.Errorf("Sniff(%q) = %v, want %v", tc.body, got, tc.want)
		}
	}
	// Sniffed HTML goes through the HTML path: no tags in the text.
	arts, err := Page(context.Background(), article.Page{Input: "sniff", Body: readTestdata(t, "meta.html")})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(arts[0].Text, "<p>") || arts[0].Title != "Harbour bridge reopens after repairs" {
		t.Errorf("sniffed page not read as HTML: title %q", arts[0].Title)
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"a\nb", "a\n\nb"},
		{"  a  \t b \r\n\r\n\r\n c\u200b \n", "a b\n\nc"},
		{"x\x00y", "xy"},
	}
	for _, tc := range tests {
		if got := Paragraphs(tc.in); got != tc.want {
			t.Errorf("Paragraphs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzPage(f *testing.F) {
	for _, name := range []string{"meta.html", "jsonld.html", "notext.html", "scriptonly.html", "nosite.html", "ruby.html", "chrome-de.html"} {
		f.Add(readTestdata(f, name), uint8(article.KindUnknown))
	}
	f.Add([]byte("<div><div><p>a</div></p></span>"), uint8(article.KindHTML))
	f.Add([]byte("plain text\n\nmore text."), uint8(article.KindText))
	f.Add([]byte("\xff\xfe<html>\x00"), uint8(article.KindClean))
	f.Fuzz(func(t *testing.T, body []byte, kind uint8) {
		arts, err := Page(context.Background(), article.Page{Input: "fuzz", Kind: article.Kind(kind % 5), Body: body})
		if err != nil {
			if len(arts) != 0 {
				t.Errorf("error %v with %d articles", err, len(arts))
			}
			return
		}
		if len(arts) == 0 || arts[0].Related {
			t.Fatalf("no main article without an error")
		}
		for _, a := range arts {
			if !utf8.ValidString(a.Text) || !utf8.ValidString(a.Title) {
				t.Errorf("invalid UTF-8 in output")
			}
			if bytes.Contains([]byte(a.Text), []byte("\n\n\n")) {
				t.Errorf("text not normalised: %q", a.Text)
			}
		}
	})
}

func TestDateline(t *testing.T) {
	tests := []struct{ text, want string }{
		{"TOKYO (AP) — NATO Secretary General Mark Rutte said on Wednesday", "TOKYO"},
		{"SANTA FE, N.M. (AP) — A cat who has been missing for five years", "SANTA FE"},
		{"WASHINGTON (Reuters) - The U.S. Senate voted", "WASHINGTON"},
		{"BERLIN -- Chancellor Merz met", "BERLIN"},
		{"The harbour bridge reopened — after eight months", ""},
		{"NATO said on Tuesday that", ""},
		{"US - China talks resumed", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := dateline(tc.text); got != tc.want {
			t.Errorf("dateline(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
