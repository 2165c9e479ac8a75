package search

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

// TestRunLanguages: the languages a query names (lang:, -lang:, and those
// its words are stemmed for) are words of the full-text index; a word
// written alike in English and German articles is found in the language
// asked for, each article still by its own language's stems.
func TestRunLanguages(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	names := map[int64]string{}
	day := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	for i, a := range []struct{ name, lang, title, body string }{
		{"en", "en", "Floods hit the coast", "Flooding in the town; the harbour walls held."},
		{"de", "de", "Hochwasser an der Küste", "Überschwemmungen im Hafen. Die Engländer sagen floods."},
		{"de-2", "de", "Überschwemmung im Süden", "Eine Überschwemmung traf den Hafen."},
		{"fr", "fr", "Inondations", "Les inondations (floods) au port."},
		{"none", "", "Floods", "Floods everywhere, in no known language."},
	} {
		art := &article.Article{Input: a.name, ContentHash: a.name, Lang: a.lang, Title: a.title, Text: a.body,
			Published: day.Add(time.Duration(i) * 24 * time.Hour)}
		if err := tx.InsertArticle(ctx, art); err != nil {
			t.Fatal(err)
		}
		if err := tx.(store.StemmedSetter).SetStemmed(ctx, art.ID, text.Stemmed(a.lang, a.title+"\n"+a.body)); err != nil {
			t.Fatal(err)
		}
		names[art.ID] = a.name
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"floods", []string{"en", "de", "fr", "none"}},
		{"floods lang:de", []string{"de"}},
		{"floods lang:en", []string{"en"}},
		{"flooding lang:en", []string{"en"}}, // English stems: floods
		{"flooding lang:de", nil},            // German ones: only "floods" as written
		{"flooding", []string{"en"}},
		{"floods -lang:de", []string{"en", "fr", "none"}},
		{"floods -lang:de -lang:en", []string{"fr", "none"}},
		{"floods lang:de,fr", []string{"de", "fr"}},
		{"floods lang:it", nil},
		{"überschwemmungen lang:de", []string{"de", "de-2"}}, // German stems
		{"überschwemmungen", []string{"de", "de-2"}},
		{"überschwemmungen lang:en", nil},
		{"hafen -lang:en", []string{"de", "de-2"}},
		{"harbours", []string{"en"}},
		{"harbours lang:de", nil},
		{"floods OR hafen lang:de", []string{"de", "de-2"}},
		{"floods -hafen", []string{"en", "fr", "none"}},
		{"floods after:2025-04-02 -lang:fr", []string{"de", "none"}},
		{"floods before:2025-04-04 lang:de,en sort:recent", []string{"en", "de"}},
		{"floods* lang:en", []string{"en"}},
	} {
		p, err := Run(ctx, st, tt.q, "", 20)
		if err != nil {
			t.Fatalf("Run(%q): %v", tt.q, err)
		}
		var got []string
		for _, g := range p.Groups {
			for _, h := range g.Articles {
				got = append(got, names[h.ID])
			}
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(got, want) || p.Total != len(want) {
			t.Errorf("Run(%q) = %v (total %d), want %v (%s)", tt.q, got, p.Total, want, p.Message)
		}
	}
}
