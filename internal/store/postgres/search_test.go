package postgres

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

// searcher is what both stores' searches offer.
type searcher interface {
	store.Store
	SearchArticles(ctx context.Context, spec store.SearchSpec) ([]store.SearchRow, string, error)
	CountArticles(ctx context.Context, spec store.SearchSpec, atMost int) (int, error)
}

// loadWMT stores the WMT dev stories (746 articles, 9 languages, 4
// scripts) in s with their stemmed column, one published a day apart in
// turn, and returns them.
func loadWMT(t *testing.T, s store.Store) []article.Article {
	t.Helper()
	f, err := os.Open(shared.Path(t, "data/wmt-dev-stories.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var arts []article.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r struct{ ID, Title, Text, Lang string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		n := len(arts)
		arts = append(arts, article.Article{ExternalID: r.ID, Title: r.Title, Text: r.Text, Lang: r.Lang,
			Source:    []string{"Reuters", "Tagesschau", "Le Monde", "NHK"}[n%4],
			Published: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n%40) * 24 * time.Hour)})
	}
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := range arts {
		a := &arts[i]
		if err := tx.InsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := tx.(store.StemmedSetter).SetStemmed(ctx, a.ID, text.Stemmed(a.Lang, a.Title+"\n"+a.Text)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return arts
}

// wmtQueries are searches as search.compile writes them, of words from
// the stories' titles: as written, by each language's stems, prefixes,
// phrases, AND, OR, NOT and exclusions, with and without filters.
func wmtQueries(arts []article.Article) []store.SearchSpec {
	var specs []store.SearchSpec
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	for i := 0; i < len(arts); i += 47 {
		a := arts[i]
		words := strings.FieldsFunc(a.Title, func(r rune) bool {
			return r == ' ' || r == ',' || r == '.' || r == ':' || r == '"' || r == '«' || r == '»' || r == '„' || r == '“' || r == '”'
		})
		if len(words) < 2 {
			continue
		}
		w, w2 := words[len(words)/2], words[len(words)/2-1]
		stemmed := text.Stemmed(a.Lang, w)
		byStem := store.SearchMatch{Expr: "({title text} : " + quote(w) + " OR stemmed : " + quote(stemmed) + ")", Langs: []string{a.Lang}}
		others := store.SearchMatch{Expr: quote(w), Langs: []string{a.Lang}, Others: true}
		pre := w
		if utf8.RuneCountInString(w) > 3 {
			pre = string([]rune(w)[:3])
		}
		specs = append(specs,
			store.SearchSpec{Match: []store.SearchMatch{{Expr: quote(w)}}},
			store.SearchSpec{Match: []store.SearchMatch{byStem, others}},
			store.SearchSpec{Match: []store.SearchMatch{{Expr: quote(pre) + " *"}}},
			store.SearchSpec{Match: []store.SearchMatch{{Expr: "{title text} : " + quote(w2+" "+w)}}},
			store.SearchSpec{Match: []store.SearchMatch{{Expr: "(" + quote(w) + " OR " + quote(w2) + ") NOT " + quote(words[0])}}},
			store.SearchSpec{Match: []store.SearchMatch{{Expr: quote(w) + " AND " + quote(w2)}}, Langs: []string{a.Lang}},
			store.SearchSpec{Match: []store.SearchMatch{{Exclude: quote(w)}}, Langs: []string{a.Lang}, Sources: []string{"reut", "NHK"}},
			store.SearchSpec{Match: []store.SearchMatch{{Expr: quote(pre) + " *"}}, After: a.Published, NotLangs: []string{"en"}},
		)
	}
	return specs
}

func walk(t *testing.T, s searcher, spec store.SearchSpec) []int64 {
	t.Helper()
	var out []int64
	for range 500 {
		rows, next, err := s.SearchArticles(context.Background(), spec)
		if err != nil {
			t.Fatalf("%+v: %v", spec, err)
		}
		for _, r := range rows {
			out = append(out, r.ID)
		}
		if next == "" {
			return out
		}
		spec.Cursor = next
	}
	t.Fatal("pages do not end")
	return nil
}

// TestSearchSameAsSQLite: on 746 articles in nine languages and four
// scripts, every search finds the same articles on PostgreSQL as on
// SQLite, in the same order by time and by ID, page after page; by
// relevance the same articles.
func TestSearchSameAsSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 746 articles twice and searches both")
	}
	needDB(t)
	ctx := context.Background()
	lite, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := openTest(t)
	arts := loadWMT(t, lite)
	loadWMT(t, pg)
	specs := wmtQueries(arts)
	if len(specs) < 100 {
		t.Fatalf("%d searches, want more", len(specs))
	}
	found, differ := 0, 0
	var tookLite, tookPG time.Duration
	for _, spec := range specs {
		for _, order := range []string{store.SearchRecent, store.SearchNewest, store.SearchRelevance} {
			spec.Order, spec.Limit = order, 100
			start := time.Now()
			want := walk(t, lite, spec)
			tookLite += time.Since(start)
			start = time.Now()
			got := walk(t, pg, spec)
			tookPG += time.Since(start)
			if order == store.SearchRelevance {
				slices.Sort(want)
				slices.Sort(got)
			}
			found += len(want)
			if !slices.Equal(got, want) {
				differ++
				if differ <= 10 {
					t.Errorf("%s %+v:\nSQLite     %v\nPostgreSQL %v", order, spec.Match, want, got)
				}
			}
		}
		nl, err1 := lite.CountArticles(ctx, spec, 50)
		np, err2 := pg.CountArticles(ctx, spec, 50)
		if nl != np || err1 != nil || err2 != nil {
			t.Errorf("count %+v: SQLite %d %v, PostgreSQL %d %v", spec.Match, nl, err1, np, err2)
		}
	}
	t.Logf("%d searches in 3 orders found %d articles; %d differ; SQLite took %v, PostgreSQL %v", len(specs), found, differ, tookLite, tookPG)
	if found < 5*len(specs) {
		t.Errorf("the searches found too little (%d) to compare", found)
	}
}

// TestSearchRaw: Search reads FTS5 query syntax, as SQLite's does.
func TestSearchRaw(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var rutte, heist int64
	batch(t, s, func(tx store.Tx) {
		for _, a := range []*article.Article{
			{Title: "Rutte meets Ishiba", Text: "The NATO chief met the prime minister in Tokyo."},
			{Title: "Jewellery heist", Text: "Robbers hit a store; NATO was not involved. Tokyo police unrelated."},
		} {
			if err := tx.InsertArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			if a.Title == "Jewellery heist" {
				heist = a.ID
			} else {
				rutte = a.ID
			}
		}
		if err := tx.(store.StemmedSetter).SetStemmed(ctx, heist, "robber hit store jewel"); err != nil {
			t.Fatal(err)
		}
	})
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{"tokyo", []int64{rutte, heist}},
		{"title:heist", []int64{heist}},
		{"stemmed:jewel", []int64{heist}},
		{"nato NOT rutte", []int64{heist}},
		{`"prime minister"`, []int64{rutte}},
		{"rutte", []int64{rutte}},
		{"absent", nil},
		{"", nil},
	} {
		got, err := s.Search(ctx, tt.query, 10)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v, %v; want %v", tt.query, got, err, tt.want)
		}
	}
	for _, bad := range []string{`"unbalanced`, "AND", "title:", "nosuchcol:x", "(", "*"} {
		if _, err := s.Search(ctx, bad, 10); err == nil {
			t.Errorf("Search(%q): no error", bad)
		}
	}
}

// TestStemmedReplaced: SetStemmed again replaces the stemmed words in the
// index, and the title's and text's stay.
func TestStemmedReplaced(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a := &article.Article{Title: "Floods", Text: "The river rose."}
	for _, st := range []string{"flood river rose", "deluge"} {
		batch(t, s, func(tx store.Tx) {
			if a.ID == 0 {
				if err := tx.InsertArticle(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			if err := tx.(store.StemmedSetter).SetStemmed(ctx, a.ID, st); err != nil {
				t.Fatal(err)
			}
		})
	}
	for q, want := range map[string]int{"stemmed:deluge": 1, "stemmed:flood": 0, "river": 1, "title:floods": 1} {
		if got, err := s.Search(ctx, q, 10); len(got) != want || err != nil {
			t.Errorf("Search(%q) = %v, %v; want %d", q, got, err, want)
		}
	}
}

// TestIndexMissing: articles stored without the full-text index are
// indexed when the store is next opened for writing.
func TestIndexMissing(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	batch(t, s, func(tx store.Tx) {
		for i := range indexBatch + 3 {
			a := &article.Article{Title: fmt.Sprint("article ", i), Text: "unindexed words"}
			if err := tx.InsertArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			if err := tx.(store.StemmedSetter).SetStemmed(ctx, a.ID, "stemword"); err != nil {
				t.Fatal(err)
			}
		}
	})
	if _, err := s.pool.Exec(ctx, "UPDATE article SET fts = NULL"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Search(ctx, "unindexed", 1000); len(got) != 0 {
		t.Fatalf("found %d before indexing", len(got))
	}
	s2, err := Open(ctx, testURL(), Options{Name: s.Name()})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for _, q := range []string{"unindexed", "stemmed:stemword", `title:"article 502"`} {
		want := indexBatch + 3
		if strings.Contains(q, "502") {
			want = 1
		}
		if got, err := s2.Search(ctx, q, 1000); len(got) != want || err != nil {
			t.Errorf("Search(%q) after reopening: %d, %v; want %d", q, len(got), err, want)
		}
	}
}
