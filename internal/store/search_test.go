package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/text"
)

// searchFixture stores articles in English and German, one story each
// language, and mentions of entity 7 in the German ones and entity 8 in
// every third article. It returns the store, its folder and the IDs in
// insertion order.
func searchFixture(t *testing.T) (*SQLite, string, []int64) {
	t.Helper()
	s, dir := openTest(t)
	ctx := context.Background()
	var ids []int64
	batch(t, s, func(tx Tx) {
		en, de := &Story{Headline: "en"}, &Story{Headline: "de"}
		for _, st := range []*Story{en, de} {
			if err := tx.PutStory(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
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
			if err := tx.Place(ctx, a.ID, Placement{Story: story.ID, Stream: story.ID}); err != nil {
				t.Fatal(err)
			}
			if err := tx.(StemmedSetter).SetStemmed(ctx, a.ID, text.Stemmed(a.Lang, a.Title+"\n"+a.Text)); err != nil {
				t.Fatal(err)
			}
			var in Intel
			if a.Lang == "de" {
				in.Mentions = append(in.Mentions, Mention{Field: 1, Start: 0, End: 1, Text: "x", Type: "person", Entity: 7})
			}
			if i%3 == 0 {
				in.Mentions = append(in.Mentions, Mention{Field: 1, Start: 2, End: 3, Text: "y", Type: "person", Entity: 8})
			}
			if err := tx.PutIntel(ctx, a.ID, in); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
	})
	return s, dir, ids
}

// every returns all pages of a search, following cursors.
func every(t *testing.T, s *SQLite, spec SearchSpec) []SearchRow {
	t.Helper()
	var out []SearchRow
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

func rowIDs(rows []SearchRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestSearchArticles(t *testing.T) {
	s, _, id := searchFixture(t)
	// "floods" as English stems it, for English articles; as written for
	// every other language.
	floods := []SearchMatch{
		{Expr: `({title text} : "floods" OR stemmed : "flood")`, Langs: []string{"en"}},
		{Expr: `"floods"`, Langs: []string{"en"}, Others: true},
	}
	tests := []struct {
		name string
		spec SearchSpec
		want []int64 // in order
	}{
		{"filters only: newest first, same time by higher ID", SearchSpec{}, []int64{id[6], id[5], id[4], id[3], id[2], id[1], id[0]}},
		{"lang", SearchSpec{Langs: []string{"de"}}, []int64{id[4], id[2]}},
		{"not lang", SearchSpec{NotLangs: []string{"en"}}, []int64{id[4], id[2]}},
		{"source substring, any case", SearchSpec{Sources: []string{"EURONEWS"}}, []int64{id[3], id[0]}},
		{"sources: any", SearchSpec{Sources: []string{"bbc", "spiegel"}}, []int64{id[4], id[1]}},
		{"not source", SearchSpec{NotSources: []string{"euronews", "reuters"}}, []int64{id[4], id[2], id[1]}},
		{"after, before", SearchSpec{After: time.Date(2025, 4, 2, 8, 0, 0, 0, time.UTC), Before: time.Date(2025, 4, 4, 8, 0, 0, 0, time.UTC)}, []int64{id[2], id[1]}},
		{"entity drives", SearchSpec{Entities: [][]int64{{7}}}, []int64{id[4], id[2]}},
		{"entities: all sets", SearchSpec{Entities: [][]int64{{7, 99}, {8}}}, []int64{}},
		{"entity set of several", SearchSpec{Entities: [][]int64{{7, 8}}, Langs: []string{"en"}}, []int64{id[6], id[3], id[0]}},
		{"entity set empty: nothing", SearchSpec{Entities: [][]int64{{8}, {}}}, []int64{}},
		{"not entity", SearchSpec{NotEntities: []int64{8}, Langs: []string{"en"}}, []int64{id[5], id[1]}},
		{"stems per language: German 'floods' as written", SearchSpec{Match: floods, Order: SearchRecent}, []int64{id[6], id[5], id[3], id[2], id[1], id[0]}},
		{"match and filters", SearchSpec{Match: floods, Langs: []string{"de"}}, []int64{id[2]}},
		{"match and entity", SearchSpec{Match: floods, Entities: [][]int64{{8}}, Order: SearchRecent}, []int64{id[6], id[3], id[0]}},
		{"exclude only", SearchSpec{Match: []SearchMatch{{Exclude: `"rain" OR "regen"`}}, Order: SearchRecent}, []int64{id[6], id[5], id[3], id[2], id[0]}},
		{"phrase", SearchSpec{Match: []SearchMatch{{Expr: `{title text} : "sea wall"`}}}, []int64{id[0]}},
		{"newest stored first", SearchSpec{Match: floods, Order: SearchNewest}, []int64{id[6], id[5], id[3], id[2], id[1], id[0]}},
		{"newest with filters", SearchSpec{Match: floods, Order: SearchNewest, Sources: []string{"reuters", "tagesschau"}}, []int64{id[6], id[5], id[2]}},
		{"newest without words", SearchSpec{Order: SearchNewest, Langs: []string{"de"}}, []int64{id[4], id[2]}},
		{"newest, exclude only", SearchSpec{Match: []SearchMatch{{Exclude: `"rain" OR "regen"`}}, Order: SearchNewest}, []int64{id[6], id[5], id[3], id[2], id[0]}},
		{"newest, entity", SearchSpec{Entities: [][]int64{{8}}, Order: SearchNewest}, []int64{id[6], id[3], id[0]}},
	}
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

// TestSearchRelevance: best rank first, title matches weighted up; pages of
// any size give the same order.
func TestSearchRelevance(t *testing.T) {
	s, _, id := searchFixture(t)
	spec := SearchSpec{Match: []SearchMatch{{Expr: `"coast"`}}}
	rows := every(t, s, spec)
	if len(rows) != 2 || rows[0].Rank > rows[1].Rank || rows[0].ID != id[0] {
		t.Fatalf("coast: %+v, want article %d (coast in title and text) first", rows, id[0])
	}
	spec.Match = []SearchMatch{{Expr: `"floods" OR "flood" OR "wall" OR "coast"`}}
	all := every(t, s, spec)
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
}

func TestSearchRowFields(t *testing.T) {
	s, _, id := searchFixture(t)
	rows, next, err := s.SearchArticles(context.Background(), SearchSpec{
		Match:     []SearchMatch{{Expr: `"flooding"`}},
		Highlight: []string{"floods", "wall"},
	})
	if err != nil || next != "" || len(rows) != 1 {
		t.Fatal(rows, next, err)
	}
	r := rows[0]
	want := SearchRow{ID: id[0], Title: "Floods on the coast", Lang: "en", Source: "Euronews",
		Published: time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC), Time: time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC),
		Snippet: "«Flooding» hit the coast. The sea «wall» held."}
	r.Story, r.Rank = 0, 0
	if r != want {
		t.Errorf("row\n %+v\nwant\n %+v", r, want)
	}
}

func TestSearchSnippet(t *testing.T) {
	long := strings.Repeat("word ", 40) + "the floods came " + strings.Repeat("more ", 40)
	tests := []struct {
		lang, text string
		terms      []string
		want       string
	}{
		{"en", "Flooding hit the coast.", []string{"floods"}, "«Flooding» hit the coast."},
		{"en", long, []string{"flood"}, "… word word word the «floods» came more more more more more more more more more more more more more more more more more more more more more more …"},
		{"en", "Nothing matches here.", []string{"flood"}, "Nothing matches here."},
		{"en", "The floodgates opened.", []string{"flood*"}, "The «floodgates» opened."},
		{"ar", "ضربت أمطار غزيرة المدينة", []string{"امطار", "المدينه"}, "ضربت «أمطار» غزيرة «المدينة»"},
		{"de", "", []string{"x"}, ""},
	}
	for _, tt := range tests {
		if got := searchSnippet(tt.lang, tt.text, tt.terms); got != tt.want {
			t.Errorf("snippet(%q, %q)\n got %q\nwant %q", tt.text, tt.terms, got, tt.want)
		}
	}
}

func TestSearchCursorErrors(t *testing.T) {
	s, _, _ := searchFixture(t)
	ctx := context.Background()
	_, next, err := s.SearchArticles(ctx, SearchSpec{Limit: 1})
	if err != nil || next == "" {
		t.Fatal(next, err)
	}
	for _, spec := range []SearchSpec{
		{Cursor: "garbage!"},
		{Cursor: "cnwx"},
		{Cursor: next, Match: []SearchMatch{{Expr: `"coast"`}}}, // a recent-order cursor for a relevance search
		{Cursor: encodeSearchCursor(SearchRecent, SearchRow{}) + "x"},
	} {
		if _, _, err := s.SearchArticles(ctx, spec); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: %v, want ErrBadCursor", spec.Cursor, err)
		}
	}
	if _, _, err := s.SearchArticles(ctx, SearchSpec{Match: make([]SearchMatch, SearchMaxMatches+1)}); err == nil {
		t.Error("too many full-text conditions: no error")
	}
	if _, _, err := s.SearchArticles(ctx, SearchSpec{Match: []SearchMatch{{}}}); err == nil {
		t.Error("an empty full-text condition: no error")
	}
}

func TestSearchReadOnly(t *testing.T) {
	_, dir, id := searchFixture(t)
	ro, err := OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	rows := every(t, ro, SearchSpec{Match: []SearchMatch{{Expr: `"coast"`}}, Entities: [][]int64{{8}}, Langs: []string{"en"}, Limit: 1})
	if got := rowIDs(rows); !slices.Equal(got, []int64{id[0]}) {
		t.Errorf("read-only search: %v", got)
	}
}

// TestSearchQueryPlans: entity and language filters go through indexes,
// never a scan of article or mention, and a page of newest-first results
// starts at its cursor in the article_time index.
func TestSearchQueryPlans(t *testing.T) {
	s, _ := openTest(t)
	scan := regexp.MustCompile(`SCAN (a|article|mention)\b`)
	cursor := encodeSearchCursor(SearchRecent, SearchRow{ID: 3, Time: time.Now()})
	tests := []struct {
		name string
		spec SearchSpec
		want []string
		scan bool // a scan of article in index order is the plan
	}{
		{"entity and lang", SearchSpec{Entities: [][]int64{{1, 2}}, Langs: []string{"ar"}},
			[]string{"SEARCH mention USING COVERING INDEX mention_entity (entity=?)", "SEARCH a USING INTEGER PRIMARY KEY"}, false},
		{"two entities and lang", SearchSpec{Entities: [][]int64{{1}, {2}}, Langs: []string{"ar"}},
			[]string{"mention_entity (entity=?)", "SEARCH a USING INTEGER PRIMARY KEY", "mention_entity (entity=? AND article=?)"}, false},
		{"words, entity and lang", SearchSpec{Match: []SearchMatch{{Expr: `"x"`, Langs: []string{"en"}}, {Expr: `"y"`, Langs: []string{"en"}, Others: true}},
			Langs: []string{"ar"}, Entities: [][]int64{{1}}}, []string{"VIRTUAL TABLE", "SEARCH a USING INTEGER PRIMARY KEY"}, false},
		{"dates, page after cursor", SearchSpec{After: time.Now().Add(-time.Hour), Langs: []string{"ar"}, Cursor: cursor},
			[]string{"SEARCH a USING INDEX article_time (<expr>>? AND <expr><?)"}, false},
		// Without an index on lang (see the report), a language alone
		// walks article_time newest first and stops at the page's end.
		{"lang alone", SearchSpec{Langs: []string{"ar"}}, []string{"SCAN a USING INDEX article_time"}, true},
	}
	for _, tt := range tests {
		q, args, _, err := searchQuery(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, append(args, 10)...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "\n")
		for _, w := range tt.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: plan\n%s\nwant %q", tt.name, all, w)
			}
		}
		if !tt.scan && scan.MatchString(all) {
			t.Errorf("%s: plan\n%s\nscans a table", tt.name, all)
		}
	}
}
