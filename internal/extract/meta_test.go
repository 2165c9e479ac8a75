package extract

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/storyline/storyline/internal/article"
)

// TestPublished checks that an explicit publication date wins over the
// modified and updated times a page also carries, wherever they stand.
func TestPublished(t *testing.T) {
	tests := []struct {
		file  string
		want  time.Time
		title string
	}{
		// JSON-LD datePublished after a modified <meta name=date>,
		// article:modified_time, og:updated_time and a visible "Aktualisiert".
		{"date-jsonld-modified.html", time.Date(2024, 6, 18, 5, 10, 0, 0, time.UTC), "Stadtrat beschließt neuen Radweg am Fluss"},
		// og:article:published_time after og:updated_time and a modified date.
		{"date-og-modified.html", time.Date(2023, 11, 28, 6, 0, 0, 0, time.UTC), "Ferry operator adds winter sailings"},
		// <time itemprop=datePublished> after <time itemprop=dateModified>.
		{"date-time-itemprop.html", time.Date(2022, 2, 12, 7, 30, 0, 0, time.UTC), "El ayuntamiento amplía el horario de la biblioteca"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			arts, err := Page(context.Background(), article.Page{Input: tc.file, URL: "https://news.example/a", Kind: article.KindHTML, Body: readTestdata(t, tc.file)})
			if err != nil {
				t.Fatal(err)
			}
			if !arts[0].Published.Equal(tc.want) {
				t.Errorf("Published = %v, want %v", arts[0].Published, tc.want)
			}
			if arts[0].Title != tc.title {
				t.Errorf("Title = %q, want %q", arts[0].Title, tc.title)
			}
		})
	}
}

func TestPageMetaPublished(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 3, d, 0, 0, 0, 0, time.UTC) }
	at := func(d, h int) time.Time { return time.Date(2024, 3, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		pm       pageMeta
		htmldate time.Time
		want     time.Time
	}{
		{"explicit beats htmldate's other day", pageMeta{explicitPub: at(2, 9)}, day(5), at(2, 9)},
		{"explicit beats a loose one", pageMeta{explicitPub: at(2, 9), loosePub: at(5, 10)}, time.Time{}, at(2, 9)},
		{"loose refines htmldate's day", pageMeta{loosePub: at(5, 10)}, day(5), at(5, 10)},
		{"loose on another day loses", pageMeta{loosePub: at(6, 10)}, day(5), day(5)},
		{"loose alone", pageMeta{loosePub: at(6, 10)}, time.Time{}, at(6, 10)},
		{"nothing", pageMeta{}, time.Time{}, time.Time{}},
	}
	for _, tc := range tests {
		if got := tc.pm.published(tc.htmldate); !got.Equal(tc.want) {
			t.Errorf("%s: published = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestReadPageMeta(t *testing.T) {
	page := `<html><head>
<meta property="article:published_time" content="2024-03-01T08:00:00Z">
<meta name="date" content="2024-03-04T12:00:00Z">
<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2024-03-02","publisher":{"name":"Der Bote"}}]}</script>
<meta property="og:site_name" content="Bote Online">
</head><body><time itemprop="datePublished" datetime="2024-03-03T10:00:00Z">3.3.</time></body></html>`
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	pm := readPageMeta(doc)
	// JSON-LD wins over the meta tag before it and the <time> after it.
	if want := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC); !pm.explicitPub.Equal(want) {
		t.Errorf("explicitPub = %v, want %v", pm.explicitPub, want)
	}
	if want := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC); !pm.loosePub.Equal(want) {
		t.Errorf("loosePub = %v, want %v", pm.loosePub, want)
	}
	if strings.Join(pm.sites, ";") != "Der Bote;Bote Online" {
		t.Errorf("sites = %q", pm.sites)
	}
}

func FuzzReadPageMeta(f *testing.F) {
	for _, name := range []string{"date-jsonld-modified.html", "date-og-modified.html", "date-time-itemprop.html", "jsonld.html"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(`<script type="application/ld+json">[[[{"datePublished":7,"publisher":"x"}]]]</script>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := html.Parse(strings.NewReader(string(body)))
		if err != nil {
			return
		}
		pm := readPageMeta(doc)
		pub := pm.published(time.Time{})
		if !pm.explicitPub.IsZero() && !pub.Equal(pm.explicitPub) {
			t.Errorf("published %v is not the explicit date %v", pub, pm.explicitPub)
		}
		for _, s := range pm.sites {
			if strings.TrimSpace(s) == "" {
				t.Errorf("blank site name in %q", pm.sites)
			}
		}
	})
}
