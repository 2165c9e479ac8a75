package storetest

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

// Searcher is a store with store.SQLite's full-text search: SearchSpec's
// expressions are FTS5 query syntax over the columns title, text and
// stemmed (what search.compile writes).
type Searcher interface {
	store.Store
	SearchArticles(ctx context.Context, spec store.SearchSpec) ([]store.SearchRow, string, error)
	CountArticles(ctx context.Context, spec store.SearchSpec, atMost int) (int, error)
}

// RunSearch runs the search suite against stores open returns: new,
// empty, open for writing, closed when t ends. Their write transactions
// must be store.StemmedSetters.
func RunSearch(t *testing.T, open func(t *testing.T) Searcher) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, s Searcher, id []int64)
	}{
		{"Articles", testSearchArticles},
		{"Expressions", testSearchExpressions},
		{"Relevance", testSearchRelevance},
		{"RowFields", testSearchRowFields},
		{"Errors", testSearchErrors},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			c.fn(t, s, searchFixture(t, s))
		})
	}
}

// searchFixture stores articles in English and German, one story each
// language, and mentions of entity 7 in the German ones and entity 8 in
// every third article. It returns the IDs in insertion order.
func searchFixture(t *testing.T, s store.Store) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	batch(t, s, func(tx store.Tx) {
		ss, ok := tx.(store.StemmedSetter)
		if !ok {
			t.Fatal("the store's Tx is no StemmedSetter")
		}
		en, de := &store.Story{Headline: "en"}, &store.Story{Headline: "de"}
		putStory(t, tx, en)
		putStory(t, tx, de)
		day := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
		for i, a := range []article.Article{
			{Lang: "en", Source: "Euronews", Title: "Floods on the coast", Text: "Flooding hit the coast. The sea wall held."},
			{Lang: "en", Source: "BBC News", Title: "Rain in London", Text: "Rain and more rain; no floods."},
			{Lang: "de", Source: "Tagesschau", Title: "Hochwasser an der Küste", Text: "Überschwemmungen an der Küste, floods auf Englisch."},
			{Lang: "en", Source: "euronews.com", Title: "The wall", Text: "A wall by the sea, within reach of the floods."},
			{Lang: "de", Source: "Spiegel", Title: "Regen", Text: "Regen in Berlin."},
			{Lang: "en", Source: "Reuters", Title: "Flood defences", Text: "New flood defences for the coast."},
			{Lang: "en", Source: "Reuters", Title: "Same time", Text: "Floods, at the same time as another."},
		} {
			a.Input, a.ContentHash = fmt.Sprint(i), fmt.Sprint(i)
			a.Published = day.Add(time.Duration(min(i, 5)) * 24 * time.Hour) // the last two share a time
			story := en
			if a.Lang == "de" {
				story = de
			}
			insert(t, tx, &a)
			place(t, tx, a.ID, store.Placement{Story: story.ID, Stream: story.ID})
			if err := ss.SetStemmed(ctx, a.ID, text.Stemmed(a.Lang, a.Title+"\n"+a.Text)); err != nil {
				t.Fatal(err)
			}
			var in store.Intel
			if a.Lang == "de" {
				in.Mentions = append(in.Mentions, store.Mention{Field: 1, Start: 0, End: 1, Text: "x", Type: "person", Entity: 7})
			}
			if i%3 == 0 {
				in.Mentions = append(in.Mentions, store.Mention{Field: 1, Start: 2, End: 3, Text: "y", Type: "person", Entity: 8})
			}
			if err := tx.PutIntel(ctx, a.ID, in); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		if err := ss.SetStemmed(ctx, 987654, "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetStemmed of a missing article: %v, want ErrNotFound", err)
		}
	})
	return ids
}

// every returns all pages of a search, following cursors.
func every(t *testing.T, s Searcher, spec store.SearchSpec) []store.SearchRow {
	t.Helper()
	var out []store.SearchRow
	for range 100 {
		rows, next, err := s.SearchArticles(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rows...)
		if next == "" {
			return out
		}
		spec.Cursor = next
	}
	t.Fatal("pages do not end")
	return nil
}

func rowIDs(rows []store.SearchRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// searchCase is a search and the articles it finds, in order.
type searchCase struct {
	name string
	spec store.SearchSpec
	want []int64
}

// check runs each case whole, counted, and in pages of 1 to 3.
func check(t *testing.T, s Searcher, tests []searchCase) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rowIDs(every(t, s, tt.spec))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			n, err := s.CountArticles(context.Background(), tt.spec, 100)
			if err != nil || n != len(tt.want) {
				t.Errorf("count %d, %v; want %d", n, err, len(tt.want))
			}
			for _, size := range []int{1, 2, 3} {
				spec := tt.spec
				spec.Limit = size
				if paged := rowIDs(every(t, s, spec)); !slices.Equal(paged, got) {
					t.Errorf("in pages of %d: %v, want %v", size, paged, got)
				}
			}
		})
	}
}

func testSearchArticles(t *testing.T, s Searcher, id []int64) {
	// "floods" as English stems it, for English articles; as written for
	// every other language.
	floods := []store.SearchMatch{
		{Expr: `({title text} : "floods" OR stemmed : "flood")`, Langs: []string{"en"}},
		{Expr: `"floods"`, Langs: []string{"en"}, Others: true},
	}
	check(t, s, []searchCase{
		{"filters only: newest first, same time by higher ID", store.SearchSpec{}, []int64{id[6], id[5], id[4], id[3], id[2], id[1], id[0]}},
		{"lang", store.SearchSpec{Langs: []string{"de"}}, []int64{id[4], id[2]}},
		{"not lang", store.SearchSpec{NotLangs: []string{"en"}}, []int64{id[4], id[2]}},
		{"source substring, any case", store.SearchSpec{Sources: []string{"EURONEWS"}}, []int64{id[3], id[0]}},
		{"sources: any", store.SearchSpec{Sources: []string{"bbc", "spiegel"}}, []int64{id[4], id[1]}},
		{"not source", store.SearchSpec{NotSources: []string{"euronews", "reuters"}}, []int64{id[4], id[2], id[1]}},
		{"after, before", store.SearchSpec{After: time.Date(2025, 4, 2, 8, 0, 0, 0, time.UTC), Before: time.Date(2025, 4, 4, 8, 0, 0, 0, time.UTC)}, []int64{id[2], id[1]}},
		{"entity", store.SearchSpec{Entities: [][]int64{{7}}}, []int64{id[4], id[2]}},
		{"entities: all sets", store.SearchSpec{Entities: [][]int64{{7, 99}, {8}}}, []int64{}},
		{"entity set of several", store.SearchSpec{Entities: [][]int64{{7, 8}}, Langs: []string{"en"}}, []int64{id[6], id[3], id[0]}},
		{"entity set empty: nothing", store.SearchSpec{Entities: [][]int64{{8}, {}}}, []int64{}},
		{"not entity", store.SearchSpec{NotEntities: []int64{8}, Langs: []string{"en"}}, []int64{id[5], id[1]}},
		{"stems per language: German 'floods' as written", store.SearchSpec{Match: floods, Order: store.SearchRecent}, []int64{id[6], id[5], id[3], id[2], id[1], id[0]}},
		{"match and filters", store.SearchSpec{Match: floods, Langs: []string{"de"}}, []int64{id[2]}},
		{"match and entity", store.SearchSpec{Match: floods, Entities: [][]int64{{8}}, Order: store.SearchRecent}, []int64{id[6], id[3], id[0]}},
		{"exclude only", store.SearchSpec{Match: []store.SearchMatch{{Exclude: `"rain" OR "regen"`}}, Order: store.SearchRecent}, []int64{id[6], id[5], id[3], id[2], id[0]}},
		{"exclude in some languages", store.SearchSpec{Match: []store.SearchMatch{{Exclude: `"rain"`, Langs: []string{"en"}}}, Order: store.SearchRecent}, []int64{id[6], id[5], id[3], id[0]}},
		{"phrase", store.SearchSpec{Match: []store.SearchMatch{{Expr: `{title text} : "sea wall"`}}}, []int64{id[0]}},
		{"newest stored first", store.SearchSpec{Match: floods, Order: store.SearchNewest}, []int64{id[6], id[5], id[3], id[2], id[1], id[0]}},
		{"newest with filters", store.SearchSpec{Match: floods, Order: store.SearchNewest, Sources: []string{"reuters", "tagesschau"}}, []int64{id[6], id[5], id[2]}},
		{"newest without words", store.SearchSpec{Order: store.SearchNewest, Langs: []string{"de"}}, []int64{id[4], id[2]}},
		{"newest, exclude only", store.SearchSpec{Match: []store.SearchMatch{{Exclude: `"rain" OR "regen"`}}, Order: store.SearchNewest}, []int64{id[6], id[5], id[3], id[2], id[0]}},
		{"newest, entity", store.SearchSpec{Entities: [][]int64{{8}}, Order: store.SearchNewest}, []int64{id[6], id[3], id[0]}},
	})
}

// testSearchExpressions: the FTS5 syntax search.compile writes, and words
// cut and folded as FTS5's unicode61 tokenizer does (case, diacritics).
func testSearchExpressions(t *testing.T, s Searcher, id []int64) {
	expr := func(e string) store.SearchSpec {
		return store.SearchSpec{Match: []store.SearchMatch{{Expr: e}}, Order: store.SearchRecent}
	}
	check(t, s, []searchCase{
		{"one word, any case", expr(`"REGEN"`), []int64{id[4]}},
		{"diacritics folded", expr(`"kuste"`), []int64{id[2]}},
		{"diacritics folded in the query", expr(`"Kǘste"`), []int64{id[2]}},
		{"umlaut", expr(`"uberschwemmungen"`), []int64{id[2]}},
		{"all words", expr(`"coast" AND "wall"`), []int64{id[0]}},
		{"all words, implicit AND", expr(`"coast" "wall"`), []int64{id[0]}},
		{"any word", expr(`"regen" OR "london"`), []int64{id[4], id[1]}},
		{"not", expr(`"coast" NOT "wall"`), []int64{id[5]}},
		{"NOT binds tighter than OR", expr(`"regen" OR "coast" NOT "wall"`), []int64{id[5], id[4]}},
		{"parentheses", expr(`("regen" OR "coast") NOT "wall"`), []int64{id[5], id[4]}},
		{"prefix", expr(`"defen" *`), []int64{id[5]}},
		{"prefix of a phrase", expr(`"sea wa" *`), []int64{id[0]}},
		{"phrase in order only", expr(`"wall sea"`), nil},
		{"phrase across punctuation", expr(`"wall by the sea"`), []int64{id[3]}},
		{"phrase not across columns", expr(`"coast flooding"`), nil},
		{"title only", expr(`title : "wall"`), []int64{id[3]}},
		{"text only", expr(`text : "london"`), nil},
		{"title or text", expr(`{title text} : "london"`), []int64{id[1]}},
		{"stemmed only", expr(`stemmed : "defenc"`), []int64{id[5]}},
		{"not the stemmed column", expr(`- stemmed : "flood"`), []int64{id[5]}},
		{"a phrase of no words", expr(`"!!"`), nil},
		{"a phrase of no words, or a word", expr(`"!!" OR "regen"`), []int64{id[4]}},
		{"a word among others", expr(`"Englisch"`), []int64{id[2]}},
	})
}

// testSearchRelevance: best rank first, title matches weighted up; pages of
// any size give the same order.
func testSearchRelevance(t *testing.T, s Searcher, id []int64) {
	spec := store.SearchSpec{Match: []store.SearchMatch{{Expr: `"coast"`}}}
	rows := every(t, s, spec)
	if len(rows) != 2 || rows[0].Rank > rows[1].Rank || rows[0].ID != id[0] {
		t.Fatalf("coast: %+v, want article %d (coast in title and text) first", rows, id[0])
	}
	spec.Match = []store.SearchMatch{{Expr: `"floods" OR "flood" OR "wall" OR "coast"`}}
	all := every(t, s, spec)
	if len(all) != 6 {
		t.Errorf("%d found, want 6", len(all))
	}
	for i := 1; i < len(all); i++ {
		if a, b := all[i-1], all[i]; a.Rank > b.Rank || a.Rank == b.Rank && a.ID > b.ID {
			t.Errorf("out of order: %+v before %+v", a, b)
		}
	}
	for _, size := range []int{1, 2, 4} {
		spec.Limit = size
		if got := every(t, s, spec); !slices.Equal(rowIDs(got), rowIDs(all)) {
			t.Errorf("pages of %d: %v, want %v", size, rowIDs(got), rowIDs(all))
		}
	}
	if n, err := s.CountArticles(context.Background(), spec, 3); n != 3 || err != nil {
		t.Errorf("count at most 3: %d, %v", n, err)
	}
	// Without words there is no rank: newest first.
	rows, _, err := s.SearchArticles(context.Background(), store.SearchSpec{Order: store.SearchRelevance, Langs: []string{"de"}})
	if err != nil || !slices.Equal(rowIDs(rows), []int64{id[4], id[2]}) || rows[0].Rank != 0 {
		t.Errorf("relevance without words: %+v, %v", rows, err)
	}
}

func testSearchRowFields(t *testing.T, s Searcher, id []int64) {
	rows, next, err := s.SearchArticles(context.Background(), store.SearchSpec{
		Match:     []store.SearchMatch{{Expr: `"flooding"`}},
		Highlight: []string{"floods", "wall"},
	})
	if err != nil || next != "" || len(rows) != 1 {
		t.Fatal(rows, next, err)
	}
	r := rows[0]
	if r.Story == 0 || r.Rank >= 0 {
		t.Errorf("row %+v: want a story and a rank below 0", r)
	}
	want := store.SearchRow{ID: id[0], Title: "Floods on the coast", Lang: "en", Source: "Euronews",
		Published: time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC), Time: time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC),
		Snippet: "«Flooding» hit the coast. The sea «wall» held."}
	r.Story, r.Rank = 0, 0
	if r != want {
		t.Errorf("row\n %+v\nwant\n %+v", r, want)
	}
	// An untitled article is headed by its first words; its time is when
	// it was fetched, wanting a publication time.
	ctx := context.Background()
	fetched := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	batch(t, s, func(tx store.Tx) {
		insert(t, tx, &article.Article{Lang: "en", Text: "Quakes shook the island overnight.", Fetched: fetched})
	})
	rows, _, err = s.SearchArticles(ctx, store.SearchSpec{Match: []store.SearchMatch{{Expr: `"quakes"`}}})
	if err != nil || len(rows) != 1 || rows[0].Title != "Quakes shook the island overnight." || !rows[0].Published.IsZero() ||
		!rows[0].Time.Equal(fetched) || rows[0].Story != 0 {
		t.Errorf("untitled: %+v, %v", rows, err)
	}
}

func testSearchErrors(t *testing.T, s Searcher, _ []int64) {
	ctx := context.Background()
	_, next, err := s.SearchArticles(ctx, store.SearchSpec{Limit: 1})
	if err != nil || next == "" {
		t.Fatal(next, err)
	}
	cursor := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, spec := range []store.SearchSpec{
		{Cursor: "garbage!"},
		{Cursor: "cnwx"},
		{Cursor: next, Match: []store.SearchMatch{{Expr: `"coast"`}}}, // a recent-order cursor for a relevance search
		{Cursor: cursor("r|0001-01-01T00:00:00.000000000Z|0x")},
		{Cursor: cursor("r|yesterday|5")},
		{Cursor: cursor("b|0.5|5"), Match: []store.SearchMatch{{Expr: `"coast"`}}},
		{Cursor: cursor("r|x|5|6")},
	} {
		if _, _, err := s.SearchArticles(ctx, spec); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: %v, want ErrBadCursor", spec.Cursor, err)
		}
	}
	for name, spec := range map[string]store.SearchSpec{
		"too many full-text conditions": {Match: make([]store.SearchMatch, store.SearchMaxMatches+1)},
		"an empty full-text condition":  {Match: []store.SearchMatch{{}}},
		"an unknown order":              {Order: "alphabetical"},
		"too many languages":            {Langs: make([]string, store.SearchMaxValues+1)},
		"too many entities":             {Entities: [][]int64{make([]int64, store.SearchMaxValues+1)}},
		"a malformed expression":        {Match: []store.SearchMatch{{Expr: `"unbalanced`}}},
	} {
		if _, _, err := s.SearchArticles(ctx, spec); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
