package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
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
// starts at its cursor in the article_time index. With words, languages
// are tested inside the full-text MATCH, so article is not read at all
// unless a filter needs its row (source, a wide time range).
func TestSearchQueryPlans(t *testing.T) {
	s, _ := openTest(t)
	scan := regexp.MustCompile(`SCAN (a|article|mention)\b`)
	lookup := regexp.MustCompile(`(SCAN|SEARCH) a\b`)
	words := []SearchMatch{{Expr: `"x"`, Langs: []string{"en", "de"}}, {Expr: `"y"`, Langs: []string{"en", "de"}, Others: true}}
	cursor := encodeSearchCursor(SearchRecent, SearchRow{ID: 3, Time: time.Now()})
	tests := []struct {
		name string
		spec SearchSpec
		want []string
		scan bool // a scan of article in index order is the plan
		// article is read (a lookup per match): a filter needs its row
		lookup bool
	}{
		{"entity and lang", SearchSpec{Entities: [][]int64{{1, 2}}, Langs: []string{"ar"}},
			[]string{"SEARCH mention USING COVERING INDEX mention_entity (entity=?)", "SEARCH a USING INTEGER PRIMARY KEY"}, false, true},
		{"two entities and lang", SearchSpec{Entities: [][]int64{{1}, {2}}, Langs: []string{"ar"}},
			[]string{"mention_entity (entity=?)", "SEARCH a USING INTEGER PRIMARY KEY", "mention_entity (entity=? AND article=?)"}, false, true},
		// The entity by the full-text rowid, the languages in the MATCH.
		{"words, entity and lang", SearchSpec{Match: []SearchMatch{{Expr: `"x"`, Langs: []string{"en"}}, {Expr: `"y"`, Langs: []string{"en"}, Others: true}},
			Langs: []string{"ar"}, Entities: [][]int64{{1}}}, []string{"VIRTUAL TABLE", "mention_entity (entity=? AND article=?)"}, false, false},
		{"dates, page after cursor", SearchSpec{After: time.Now().Add(-time.Hour), Langs: []string{"ar"}, Cursor: cursor},
			[]string{"SEARCH a USING INDEX article_time (<expr>>? AND <expr><?)"}, false, true},
		// Without an index on lang (see the report), a language alone
		// walks article_time newest first and stops at the page's end.
		{"lang alone", SearchSpec{Langs: []string{"ar"}}, []string{"SCAN a USING INDEX article_time"}, true, true},
		{"words and lang, ranked", SearchSpec{Match: words, Langs: []string{"en"}, NotLangs: []string{"de"}},
			[]string{"VIRTUAL TABLE", "LIST SUBQUERY"}, false, false},
		{"words and lang, newest", SearchSpec{Match: words, Langs: []string{"en"}, Order: SearchNewest},
			[]string{"VIRTUAL TABLE"}, false, false},
		{"words and entity, newest", SearchSpec{Match: words, Entities: [][]int64{{1}}, NotEntities: []int64{2}, Order: SearchNewest},
			[]string{"VIRTUAL TABLE", "mention_entity (entity=? AND article=?)"}, false, false},
		// A narrow time range: its IDs from article_time, once.
		{"words and narrow dates", SearchSpec{Match: words, After: time.Now().Add(-time.Hour), Before: time.Now(), timeIDs: true},
			[]string{"VIRTUAL TABLE", "SEARCH t USING COVERING INDEX article_time (<expr>>? AND <expr><?)"}, false, false},
		// A wide one, and a source: the row.
		{"words and wide dates", SearchSpec{Match: words, After: time.Now().Add(-time.Hour)},
			[]string{"VIRTUAL TABLE", "SEARCH a USING INTEGER PRIMARY KEY"}, false, true},
		{"words and source", SearchSpec{Match: words, Sources: []string{"bbc"}, Order: SearchNewest},
			[]string{"VIRTUAL TABLE", "SEARCH a USING INTEGER PRIMARY KEY"}, false, true},
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
		langs := len(tt.spec.Langs)+len(tt.spec.NotLangs) > 0
		for _, m := range tt.spec.Match {
			langs = langs || len(m.Langs) > 0
		}
		if inMatch := strings.Contains(fmt.Sprint(args...), "lang_token : "); len(tt.spec.Match) > 0 && inMatch != langs {
			t.Errorf("%s: languages in the MATCH %v, want %v: %v", tt.name, inMatch, langs, args)
		}
		if !tt.lookup && lookup.MatchString(all) {
			t.Errorf("%s: plan\n%s\nreads article for each match", tt.name, all)
		}
		// Without words, on the article's row.
		if onRow := strings.Contains(q, "a.lang"); langs && onRow != (len(tt.spec.Match) == 0) {
			t.Errorf("%s: languages tested on article's row %v:\n%s", tt.name, onRow, q)
		}
	}
}

// TestSearchLanguagesInIndex: with words, the languages are words of the
// full-text index (lang_token); they select the same articles as the
// articles' lang did, in every order, and leave the ranks alone.
func TestSearchLanguagesInIndex(t *testing.T) {
	s, _, id := searchFixture(t)
	ctx := context.Background()
	// "floods": by English stems in English articles, as written in
	// every other language; the German article says "floods" too.
	en := SearchMatch{Expr: `({title text} : "floods" OR stemmed : "flood")`, Langs: []string{"en"}}
	others := SearchMatch{Expr: `"floods"`, Langs: []string{"en"}, Others: true}
	english := []int64{id[0], id[1], id[3], id[5], id[6]}
	tests := []struct {
		name string
		spec SearchSpec
		want []int64 // any order
	}{
		{"lang:de", SearchSpec{Match: []SearchMatch{en, others}, Langs: []string{"de"}}, []int64{id[2]}},
		{"lang:en", SearchSpec{Match: []SearchMatch{en, others}, Langs: []string{"en"}}, english},
		{"-lang:en", SearchSpec{Match: []SearchMatch{en, others}, NotLangs: []string{"en"}}, []int64{id[2]}},
		{"-lang:de", SearchSpec{Match: []SearchMatch{en, others}, NotLangs: []string{"de"}}, english},
		{"lang:en,de -lang:en", SearchSpec{Match: []SearchMatch{en, others}, Langs: []string{"en", "de"}, NotLangs: []string{"en"}}, []int64{id[2]}},
		{"a language no article has", SearchSpec{Match: []SearchMatch{en, others}, Langs: []string{"fr"}}, nil},
		{"every language but English", SearchSpec{Match: []SearchMatch{others}}, []int64{id[2]}},
		{"English only", SearchSpec{Match: []SearchMatch{en}}, english},
		{"arm in English, query in German: none", SearchSpec{Match: []SearchMatch{en}, Langs: []string{"de"}}, nil},
		{"languages of an arm", SearchSpec{Match: []SearchMatch{{Expr: `"floods"`, Langs: []string{"de", "fr"}}}}, []int64{id[2]}},
		{"with an entity", SearchSpec{Match: []SearchMatch{en, others}, Langs: []string{"en"}, Entities: [][]int64{{8}}}, []int64{id[0], id[3], id[6]}},
		{"with a source", SearchSpec{Match: []SearchMatch{en, others}, NotLangs: []string{"de"}, Sources: []string{"reuters", "tagesschau"}}, []int64{id[5], id[6]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Sorted(slices.Values(tt.want))
			for _, order := range []string{SearchRelevance, SearchRecent, SearchNewest} {
				spec := tt.spec
				spec.Order = order
				rows := every(t, s, spec)
				if got := slices.Sorted(slices.Values(rowIDs(rows))); !slices.Equal(got, want) {
					t.Errorf("%s: got %v, want %v", order, got, want)
				}
				if order != SearchRelevance {
					continue
				}
				// The rank is the words' alone: as without the languages.
				for _, r := range rows {
					var m SearchMatch
					for _, m = range spec.Match {
						if n, err := s.CountArticles(ctx, SearchSpec{Match: []SearchMatch{m}, Langs: []string{r.Lang}}, 1); n == 1 && err == nil {
							break
						}
					}
					all := every(t, s, SearchSpec{Match: []SearchMatch{{Expr: m.Expr}}})
					i := slices.IndexFunc(all, func(a SearchRow) bool { return a.ID == r.ID })
					if i < 0 || all[i].Rank != r.Rank {
						t.Errorf("article %d: rank %v, without languages %+v", r.ID, r.Rank, all)
					}
				}
			}
			if n, err := s.CountArticles(ctx, tt.spec, 100); n != len(want) || err != nil {
				t.Errorf("count %d, %v; want %d", n, err, len(want))
			}
		})
	}
}

// TestSearchTimeIDs: a time range is the same whether the matches' times
// are read from their rows or the range's IDs from article_time.
func TestSearchTimeIDs(t *testing.T) {
	s, _, id := searchFixture(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2025, 4, d, 8, 0, 0, 0, time.UTC) }
	floods := []SearchMatch{
		{Expr: `({title text} : "floods" OR stemmed : "flood")`, Langs: []string{"en"}},
		{Expr: `"floods"`, Langs: []string{"en"}, Others: true},
	}
	for _, tt := range []struct {
		name string
		spec SearchSpec
		want []int64
	}{
		{"after", SearchSpec{Match: floods, After: day(4)}, []int64{id[3], id[5], id[6]}},
		{"before", SearchSpec{Match: floods, Before: day(3)}, []int64{id[0], id[1]}},
		{"between, lang", SearchSpec{Match: floods, After: day(2), Before: day(5), NotLangs: []string{"en"}}, []int64{id[2]}},
		{"between, source", SearchSpec{Match: floods, After: day(2), Before: day(7), Sources: []string{"euronews"}}, []int64{id[3]}},
	} {
		for _, order := range []string{SearchRelevance, SearchRecent, SearchNewest} {
			for _, ids := range []bool{false, true} {
				spec := tt.spec
				spec.Order, spec.timeIDs = order, ids
				q, args, _, err := searchQuery(spec)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(q, "SELECT t.id FROM article AS t") != ids {
					t.Errorf("%s, %s, IDs %v: query %s", tt.name, order, ids, q)
				}
				rows, err := s.db.QueryContext(ctx, q, append(args, 100)...)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for rows.Next() {
					var id int64
					var key any
					if err := rows.Scan(&id, &key); err != nil {
						t.Fatal(err)
					}
					got = append(got, id)
				}
				rows.Close()
				if slices.Sort(got); !slices.Equal(got, tt.want) {
					t.Errorf("%s, %s, IDs %v: got %v, want %v", tt.name, order, ids, got, tt.want)
				}
			}
		}
		// The store reads a range this narrow by its IDs.
		spec := tt.spec
		if err := s.searchTimeIDs(ctx, &spec); err != nil || !spec.timeIDs {
			t.Errorf("%s: IDs %v, %v", tt.name, spec.timeIDs, err)
		}
	}
}

// ftsIntegrity fails t unless article_fts indexes exactly article's rows.
func ftsIntegrity(t *testing.T, db *sql.DB) {
	t.Helper()
	if _, err := db.Exec("INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		t.Errorf("full-text index: %v", err)
	}
}

// TestLangTokenSQL: the store's lang_token column is text.LangToken of the
// article's language, and a search by a language finds its articles only.
func TestLangTokenSQL(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	langs := []string{"en", "de", "", "und", "en-us", "pt_BR", "EN", "zh-Hant", "ελ", "a'b\"c", "0"}
	ids := map[string]int64{}
	batch(t, s, func(tx Tx) {
		for i, l := range langs {
			a := &article.Article{Input: fmt.Sprint(i), Lang: l, Title: "Harbour news", Text: "The harbour is open."}
			insert(t, tx, a)
			ids[l] = a.ID
		}
	})
	for _, l := range langs {
		var tok string
		if err := s.db.QueryRow("SELECT lang_token FROM article WHERE id = ?", ids[l]).Scan(&tok); err != nil {
			t.Fatal(err)
		}
		if tok != text.LangToken(l) {
			t.Errorf("lang %q: SQL %q, Go %q", l, tok, text.LangToken(l))
		}
		for _, order := range []string{SearchRelevance, SearchNewest} {
			rows := every(t, s, SearchSpec{Match: []SearchMatch{{Expr: `"harbour"`}}, Langs: []string{l}, Order: order})
			if got := rowIDs(rows); !slices.Equal(got, []int64{ids[l]}) {
				t.Errorf("lang %q, %s: %v, want %d", l, order, got, ids[l])
			}
			rows = every(t, s, SearchSpec{Match: []SearchMatch{{Expr: `"harbour"`, Langs: []string{l}, Others: true}}, Order: order})
			if len(rows) != len(langs)-1 || slices.Contains(rowIDs(rows), ids[l]) {
				t.Errorf("not lang %q, %s: %v", l, order, rowIDs(rows))
			}
		}
	}
	// An article's stemmed column set in a later batch is indexed again,
	// language and all.
	batch(t, s, func(tx Tx) {
		if err := tx.(StemmedSetter).SetStemmed(ctx, ids["de"], "hafen"); err != nil {
			t.Fatal(err)
		}
	})
	rows := every(t, s, SearchSpec{Match: []SearchMatch{{Expr: `"hafen"`}}, Langs: []string{"de"}})
	if got := rowIDs(rows); !slices.Equal(got, []int64{ids["de"]}) {
		t.Errorf("after SetStemmed: %v", got)
	}
	ftsIntegrity(t, s.db)
}

// TestMigrateLangToken: a store written before the languages were in the
// full-text index (schema 3) is indexed again when opened, and finds
// articles by words and language; the index matches the articles, before
// and after the next batch.
func TestMigrateLangToken(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	stmts := append(slices.Clone(migrations[:3]),
		"CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (3)")
	arts := []struct {
		lang, title, text string
	}{
		{"en", "Floods on the coast", "Flooding hit the coast."},
		{"de", "Hochwasser", "Überschwemmungen an der Küste, floods auf Englisch."},
		{"de", "Regen", "Regen in Berlin."},
		{"", "Floods", "Unknown language."},
	}
	for i, a := range arts {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO article (id, lang, title, text, stored, stemmed) VALUES (%d, '%s', '%s', '%s', '2025-04-0%dT00:00:00.000000000Z', '%s')`,
			i+1, a.lang, a.title, a.text, i+1, text.Stemmed(a.lang, a.title+"\n"+a.text)))
	}
	// As the store indexed them then: three columns.
	stmts = append(stmts, "INSERT INTO article_fts(rowid, title, text, stemmed) SELECT id, title, text, stemmed FROM article")
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	ctx := context.Background()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); v != len(migrations) || err != nil {
		t.Fatalf("schema version %d, %v", v, err)
	}
	ftsIntegrity(t, s.db)
	floods := []SearchMatch{
		{Expr: `({title text} : "floods" OR stemmed : "flood")`, Langs: []string{"en", "de"}},
		{Expr: `"floods"`, Langs: []string{"en", "de"}, Others: true},
	}
	for _, tt := range []struct {
		name string
		spec SearchSpec
		want []int64
	}{
		{"words", SearchSpec{Match: floods}, []int64{1, 2, 4}},
		{"lang:de", SearchSpec{Match: floods, Langs: []string{"de"}}, []int64{2}},
		{"-lang:de", SearchSpec{Match: floods, NotLangs: []string{"de"}}, []int64{1, 4}},
		{"German stems", SearchSpec{Match: []SearchMatch{{Expr: `({title text} : "überschwemmung" OR stemmed : "uberschwemm")`, Langs: []string{"de"}}}}, []int64{2}},
		{"no language", SearchSpec{Match: floods, Langs: []string{""}}, []int64{4}},
	} {
		for _, order := range []string{SearchRelevance, SearchNewest} {
			tt.spec.Order = order
			if got := slices.Sorted(slices.Values(rowIDs(every(t, s, tt.spec)))); !slices.Equal(got, tt.want) {
				t.Errorf("%s, %s: %v, want %v", tt.name, order, got, tt.want)
			}
		}
	}
	batch(t, s, func(tx Tx) {
		a := &article.Article{Input: "new", Lang: "de", Title: "Floods", Text: "Hochwasser"}
		insert(t, tx, a)
		if err := tx.(StemmedSetter).SetStemmed(ctx, a.ID, text.Stemmed(a.Lang, a.Title+"\n"+a.Text)); err != nil {
			t.Fatal(err)
		}
	})
	if got := rowIDs(every(t, s, SearchSpec{Match: floods, Langs: []string{"de"}, Order: SearchNewest})); !slices.Equal(got, []int64{5, 2}) {
		t.Errorf("after a batch, lang:de: %v", got)
	}
	ftsIntegrity(t, s.db)
}
