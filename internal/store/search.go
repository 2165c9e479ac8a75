package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/text"
)

// Limits of SearchArticles.
const (
	// SearchMaxLimit bounds a page of results.
	SearchMaxLimit = 100
	// SearchMaxMatches bounds the full-text conditions of one search (see
	// SearchMatch): each is one pass over the full-text index.
	SearchMaxMatches = 48
	// SearchMaxValues bounds the values of one filter list.
	SearchMaxValues = 64
	// searchMaxParams bounds the bound parameters of one query, below
	// SQLite's limit (32766): filters are repeated in every full-text
	// condition.
	searchMaxParams = 32000
	// searchSnippetWords is how many words a snippet shows.
	searchSnippetWords = 28
	// searchSnippetScan bounds how much of an article's text a snippet
	// looks through for a match, so a huge article costs no more than a
	// long one.
	searchSnippetScan = 64 << 10
)

// Orders of SearchArticles.
const (
	// SearchRelevance: best BM25 first (title matches weighted up), then
	// lower ID. Without a full-text condition every rank is 0, so it is
	// SearchRecent.
	SearchRelevance = "relevance"
	// SearchRecent: newest article time first (published, else fetched,
	// else stored), then higher ID.
	SearchRecent = "recent"
	// SearchNewest: the latest stored first (higher ID). Each full-text
	// condition walks its index from the end and stops at the page's end,
	// so a word in most articles costs what a rare one does; ranking or
	// ordering by time must read every match first.
	SearchNewest = "newest"
)

// ErrBadCursor marks a search cursor that SearchArticles did not make, or
// made for the other order.
var ErrBadCursor = errors.New("store: bad search cursor")

// SearchMatch is a full-text condition for the articles of some
// languages. A query's words are matched in each article's language by
// that language's stems, so one query becomes one SearchMatch per group of
// languages whose stems of its words agree; together they cover every
// language once.
type SearchMatch struct {
	// Expr is an FTS5 expression over article_fts (columns title, text,
	// stemmed); "" with Exclude. The index's fourth column, lang_token,
	// holds the article's language as one word (text.LangToken): the
	// store adds Langs (and SearchSpec's) to Expr as words of it, so Expr
	// names only the other three.
	Expr string
	// Exclude, set only when Expr is "", matches the articles that do not
	// match it: a query that only excludes words (lang:ar -sport).
	Exclude string
	// Langs are the languages the condition applies to (article.lang);
	// with Others, every language but these. Empty: every language.
	Langs  []string
	Others bool
}

// SearchSpec is one search: all its conditions hold for every result.
type SearchSpec struct {
	// Match: an article matches one of them; none: no full-text condition.
	Match []SearchMatch
	// Langs: the article is in one of them; NotLangs: in none.
	Langs, NotLangs []string
	// Sources: the outlet's name contains one of them, ignoring ASCII
	// case; NotSources: none of them.
	Sources, NotSources []string
	// After (inclusive) and Before (exclusive) bound the article's time:
	// published, else fetched, else stored. Zero: unbounded.
	After, Before time.Time
	// Entities: for each set, the article mentions one of its entities.
	// An empty set matches nothing (a name no entity has).
	Entities [][]int64
	// NotEntities: the article mentions none of these.
	NotEntities []int64
	// Order is SearchRelevance, SearchRecent or SearchNewest; "" is
	// SearchRelevance with a full-text condition and SearchRecent without.
	Order string
	// Highlight are the words the snippet marks, in any form of the
	// article's language; a trailing * marks words starting so.
	Highlight []string
	// Cursor is the previous page's next cursor, "" for the first page.
	Cursor string
	// Limit is the page size, at most SearchMaxLimit; 0 means the most.
	Limit int

	// timeIDs is set by the store when After and Before hold at most
	// searchTimeIDsMax articles: a full-text condition then takes the
	// range's IDs from the article_time index (searchFilters).
	timeIDs bool
}

// SearchRow is one article found.
type SearchRow struct {
	ID, Story                int64  // Story: the story readers see it in, 0 for none yet
	Title, Lang, Source, URL string // Title: for an untitled article its first words (article.Heading)
	Published                time.Time
	// Time is what After, Before and SearchRecent go by.
	Time time.Time
	// Rank is the article's BM25 rank, lower is better; 0 without a
	// full-text condition.
	Rank float64
	// Snippet is plain text from the article's text around its first
	// match, the matched words between « and ».
	Snippet string
}

// articleTime is the expression of the article_time index.
const articleTime = "COALESCE(a.published, a.fetched, a.stored)"

// searchTimeIDsMax bounds the articles of a time range (After, Before)
// that a full-text condition reads the IDs of from the article_time index,
// once, to test its matches against (SearchSpec.timeIDs): testing a match
// itself reads its row up to the time, past its text, on overflow pages.
// Measured on 20,000 articles of 2.5 KB: reading the IDs costs about a
// fifth of testing as many matches, so a narrow range gains much on a
// common word, and a wide one (most of the store) loses, for a count or a
// page that stops early.
const searchTimeIDsMax = 5000

// SearchArticles returns a page of articles matching spec, in its order,
// and the cursor of the next page ("" after the last). It only reads, so
// it works on a store opened with OpenReadOnly. The cursor is a position
// in the order (rank or time, then ID), so pages neither repeat nor skip
// articles while the store does not change; articles stored since the
// first page come in by their position. A cursor SearchArticles did not
// make is an error matching ErrBadCursor.
func (s *SQLite) SearchArticles(ctx context.Context, spec SearchSpec) ([]SearchRow, string, error) {
	if err := s.searchTimeIDs(ctx, &spec); err != nil {
		return nil, "", fmt.Errorf("store: search: %w", err)
	}
	query, args, order, err := searchQuery(spec)
	if err != nil {
		return nil, "", fmt.Errorf("store: search: %w", err)
	}
	if searchEmpty(spec) {
		return nil, "", nil
	}
	limit := spec.Limit
	if limit <= 0 || limit > SearchMaxLimit {
		limit = SearchMaxLimit
	}
	// The query finds the page's IDs and sort keys only: the columns
	// after text (story, published, fetched, stored) lie past a long
	// text's overflow pages, read here for the page's articles alone.
	rows, err := s.read.QueryContext(ctx, query, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	var out []SearchRow
	for rows.Next() {
		var r SearchRow
		var key any
		if err := rows.Scan(&r.ID, &key); err != nil {
			return nil, "", fmt.Errorf("store: search: %w", err)
		}
		if f, ok := key.(float64); ok {
			r.Rank = f
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store: search: %w", err)
	}
	rows.Close()
	more := len(out) > limit // the extra row only says there is a next page
	out = out[:min(len(out), limit)]
	if err := s.searchRows(ctx, out, spec.Highlight); err != nil {
		return nil, "", fmt.Errorf("store: search: %w", err)
	}
	var next string
	if more {
		next = encodeSearchCursor(order, out[limit-1])
	}
	return out, next, nil
}

// CountArticles counts the articles matching spec (its Cursor, Limit and
// Order aside), stopping at atMost: counting every match of a common word
// would cost as much as the search again.
func (s *SQLite) CountArticles(ctx context.Context, spec SearchSpec, atMost int) (int, error) {
	if searchEmpty(spec) || atMost <= 0 {
		return 0, nil
	}
	if err := s.searchTimeIDs(ctx, &spec); err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	arms, args, err := searchArms(spec, "")
	if err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	var n int
	err = s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+strings.Join(arms, " UNION ALL ")+" LIMIT ?)",
		append(args, atMost)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	return n, nil
}

// searchTimeIDs sets spec.timeIDs when spec has words and a time range
// that holds at most searchTimeIDsMax articles, which it counts, up to
// one more, through the article_time index.
func (s *SQLite) searchTimeIDs(ctx context.Context, spec *SearchSpec) error {
	spec.timeIDs = false
	words := false
	for _, m := range spec.Match {
		words = words || m.Expr != ""
	}
	if !words || spec.After.IsZero() && spec.Before.IsZero() {
		return nil
	}
	conds, args, err := searchTimeConds(*spec, "a")
	if err != nil {
		return nil // searchQuery says what is wrong
	}
	var n int
	err = s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM article AS a WHERE "+
		strings.Join(conds, " AND ")+" LIMIT ?)", append(args, searchTimeIDsMax+1)...).Scan(&n)
	if err != nil {
		return err
	}
	spec.timeIDs = n <= searchTimeIDsMax
	return nil
}

// searchTimeConds returns spec's time range (After, Before) as conditions
// on the article_time expression of article AS alias.
func searchTimeConds(spec SearchSpec, alias string) ([]string, []any, error) {
	var (
		conds []string
		args  []any
	)
	for _, b := range []struct {
		t  time.Time
		op string
	}{{spec.After, ">="}, {spec.Before, "<"}} {
		if b.t.IsZero() {
			continue
		}
		enc, err := encodeTime(b.t)
		if err != nil {
			return nil, nil, err
		}
		conds = append(conds, strings.ReplaceAll(articleTime, "a.", alias+".")+" "+b.op+" ?")
		args = append(args, enc.String)
	}
	return conds, args, nil
}

// searchEmpty reports whether spec can match nothing without asking: an
// entity set no entity is in.
func searchEmpty(spec SearchSpec) bool {
	for _, set := range spec.Entities {
		if len(set) == 0 {
			return true
		}
	}
	return false
}

// searchQuery builds the page query of spec, which selects each article's
// ID and sort key (rank or time); its last parameter, not in args, is the
// number of rows. order is the order it sorts by.
func searchQuery(spec SearchSpec) (query string, args []any, order string, err error) {
	ranked := false
	for _, m := range spec.Match {
		ranked = ranked || m.Expr != ""
	}
	order = spec.Order
	switch order {
	case "":
		order = SearchRecent
		if ranked {
			order = SearchRelevance
		}
	case SearchRelevance, SearchRecent:
		if !ranked {
			order = SearchRecent
		}
	case SearchNewest:
	default:
		return "", nil, "", fmt.Errorf("unknown order %q", spec.Order)
	}
	var (
		curKey any // rank (float64) or time (text, as stored)
		curID  int64
	)
	if spec.Cursor != "" {
		kind, key, id, err := decodeSearchCursor(spec.Cursor)
		if err != nil || kind != order[:1] {
			return "", nil, "", ErrBadCursor
		}
		curID, curKey = id, key
		switch order {
		case SearchRelevance:
			if curKey, err = strconv.ParseFloat(key, 64); err != nil {
				return "", nil, "", ErrBadCursor
			}
		case SearchRecent:
			if _, err := time.Parse(timeLayout, key); err != nil {
				return "", nil, "", ErrBadCursor
			}
		} // SearchNewest: the ID is the position
	}
	if order == SearchNewest {
		q, args, err := newestQuery(spec, curID)
		return q, args, order, err
	}
	keyCol := "t"
	if order == SearchRelevance {
		keyCol = "rank"
	}
	arms, args, err := searchArms(spec, keyCol)
	if err != nil {
		return "", nil, "", err
	}
	if order == SearchRecent && len(arms) == 1 && !ranked {
		// One arm without rank: its WHERE takes the cursor and the ORDER BY
		// goes on it directly, so the article_time index gives rows in
		// order and the query stops at the page's end.
		q := arms[0]
		if spec.Cursor != "" {
			// The first condition is the index range the page starts in;
			// SQLite seeks no index with the row value alone.
			q += " AND " + articleTime + " <= ? AND (" + articleTime + ", a.id) < (?, ?)"
			args = append(args, curKey, curKey, curID)
		}
		return q + " ORDER BY " + articleTime + " DESC, a.id DESC LIMIT ?", args, order, nil
	}
	q := "SELECT id, " + keyCol + " FROM (" + strings.Join(arms, " UNION ALL ") + ")"
	if order == SearchRelevance {
		if spec.Cursor != "" {
			q += " WHERE (rank, id) > (?, ?)"
			args = append(args, curKey, curID)
		}
		return q + " ORDER BY rank, id LIMIT ?", args, order, nil
	}
	if spec.Cursor != "" {
		q += " WHERE (t, id) < (?, ?)"
		args = append(args, curKey, curID)
	}
	return q + " ORDER BY t DESC, id DESC LIMIT ?", args, order, nil
}

// newestQuery is searchQuery for SearchNewest: each condition's latest
// matches, below the cursor's ID (0: none), as many as a page holds, then
// the latest of those.
func newestQuery(spec SearchSpec, cursor int64) (string, []any, error) {
	limit := spec.Limit
	if limit <= 0 || limit > SearchMaxLimit {
		limit = SearchMaxLimit
	}
	ms := spec.Match
	if len(ms) == 0 {
		ms = []SearchMatch{{}} // the arm without a full-text condition
	}
	var (
		parts []string
		args  []any
	)
	for _, m := range ms {
		one := spec
		one.Match = nil
		if m.Expr != "" || m.Exclude != "" {
			one.Match = []SearchMatch{m}
		}
		arms, a, err := searchArms(one, "")
		if err != nil {
			return "", nil, err
		}
		// On the full-text table's rowid the index is walked in order and
		// the cursor is a range on it.
		col := "a.id"
		if m.Expr != "" {
			col = "article_fts.rowid"
		}
		q := arms[0]
		if cursor > 0 {
			q += " AND " + col + " < ?"
			a = append(a, cursor)
		}
		parts = append(parts, "SELECT id FROM ("+q+" ORDER BY "+col+" DESC LIMIT ?)")
		args = append(append(args, a...), limit+1)
	}
	return "SELECT id, id FROM (" + strings.Join(parts, " UNION ALL ") + ") ORDER BY id DESC LIMIT ?", args, nil
}

// searchArms returns one SELECT per full-text condition of spec, each with
// every filter, and their parameters in order. Each selects the article's
// ID AS id and, with key "rank" or "t", its rank or time under that name.
//
// An arm with a full-text expression is driven by article_fts, and its
// language conditions (the arm's and the query's) are words of the
// expression (lang_token, text.LangToken), so the index intersects
// doclists; article is joined only for what the index does not hold
// (source, time), and each entity condition goes by the full-text rowid.
// Every other arm tests the article's columns.
func searchArms(spec SearchSpec, key string) ([]string, []any, error) {
	if len(spec.Match) > SearchMaxMatches {
		return nil, nil, fmt.Errorf("%d full-text conditions, at most %d", len(spec.Match), SearchMaxMatches)
	}
	for _, l := range [][]string{spec.Langs, spec.NotLangs, spec.Sources, spec.NotSources} {
		if len(l) > SearchMaxValues {
			return nil, nil, fmt.Errorf("%d values in a filter, at most %d", len(l), SearchMaxValues)
		}
	}
	for _, set := range spec.Entities {
		if len(set) > SearchMaxValues {
			return nil, nil, fmt.Errorf("%d entities in a filter, at most %d", len(set), SearchMaxValues)
		}
	}
	if len(spec.NotEntities) > SearchMaxValues {
		return nil, nil, fmt.Errorf("%d entities in a filter, at most %d", len(spec.NotEntities), SearchMaxValues)
	}
	var (
		arms []string
		args []any
	)
	arm := func(m *SearchMatch) error {
		if m != nil && m.Expr == "" && m.Exclude == "" {
			return errors.New("a full-text condition with neither Expr nor Exclude")
		}
		fts := m != nil && m.Expr != ""
		id := "a.id"
		if fts {
			id = "article_fts.rowid"
		}
		fc, fargs, joinA, err := searchFilters(spec, fts, id)
		if err != nil {
			return err
		}
		var (
			b     strings.Builder
			conds []string
		)
		b.WriteString("SELECT " + id + " AS id")
		switch {
		case key == "t":
			b.WriteString(", " + articleTime + " AS t")
			joinA = true
		case key == "rank" && fts:
			// lang_token weighs nothing: a language is no better a match.
			b.WriteString(", bm25(article_fts, 4.0, 1.0, 1.0, 0.0) AS rank")
		case key == "rank":
			b.WriteString(", 0.0 AS rank")
		}
		// The arm's own conditions come first, in the order their
		// parameters are added.
		switch {
		case fts:
			b.WriteString(" FROM article_fts")
			if joinA {
				b.WriteString(" JOIN article AS a ON a.id = article_fts.rowid")
			}
			expr, langs, none := searchMatchLangs(m, spec)
			switch {
			case none:
				conds = append(conds, "FALSE") // no language is left: the index is not read
			case langs && key == "rank":
				// bm25 weighs every phrase of its MATCH by how rare it
				// is, counting the phrase's rows first: a language's word
				// would cost a pass over a good part of the index. So the
				// ranked MATCH is the words alone, and the articles in
				// the languages are the rows of a second one (its
				// matches only, materialized once) that each match of the
				// first is looked up in before anything else (+: not a
				// rowid constraint on the ranked MATCH).
				conds = append(conds, "article_fts MATCH ?",
					"+article_fts.rowid IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)")
				args = append(args, m.Expr, expr)
			default:
				conds = append(conds, "article_fts MATCH ?")
				args = append(args, expr)
			}
		case len(spec.Entities) > 0:
			// The first entity set drives: its mentions through
			// mention_entity, then each article by its ID, never a scan
			// of article (CROSS JOIN fixes the order).
			b.WriteString(" FROM (SELECT DISTINCT article FROM mention WHERE entity IN (" + searchMarks(len(spec.Entities[0])) +
				")) AS em CROSS JOIN article AS a ON a.id = em.article")
			args = searchInt64s(args, spec.Entities[0])
		default:
			b.WriteString(" FROM article AS a")
		}
		if m != nil && !fts {
			conds = append(conds, "a.id NOT IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)")
			args = append(args, m.Exclude)
			if len(m.Langs) > 0 {
				op := "IN"
				if m.Others {
					op = "NOT IN"
				}
				conds = append(conds, "a.lang "+op+" ("+searchMarks(len(m.Langs))+")")
				args = searchStrings(args, m.Langs)
			}
		}
		conds, args = append(conds, fc...), append(args, fargs...)
		if len(conds) == 0 {
			conds = append(conds, "TRUE") // so that a cursor's condition can follow
		}
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
		arms = append(arms, b.String())
		return nil
	}
	if len(spec.Match) == 0 {
		if err := arm(nil); err != nil {
			return nil, nil, err
		}
	}
	for i := range spec.Match {
		if err := arm(&spec.Match[i]); err != nil {
			return nil, nil, err
		}
	}
	if len(args) > searchMaxParams {
		return nil, nil, fmt.Errorf("search too large: %d parameters, at most %d", len(args), searchMaxParams)
	}
	return arms, args, nil
}

// searchMatchLangs returns m's expression with the languages it applies
// to (m.Langs or Others, and spec.Langs and NotLangs) as conditions on
// the lang_token column: one of some languages' words, or none of them.
// langs reports whether there is such a condition; none, that no language
// is left, so nothing can match.
func searchMatchLangs(m *SearchMatch, spec SearchSpec) (expr string, langs, none bool) {
	var (
		in  []string // the article's language is one of these, when only
		out []string // and none of these
	)
	only := false
	if len(m.Langs) > 0 && !m.Others {
		in, only = m.Langs, true
	} else {
		out = append(out, m.Langs...)
	}
	if len(spec.Langs) > 0 {
		if only {
			in = slices.DeleteFunc(slices.Clone(in), func(l string) bool { return !slices.Contains(spec.Langs, l) })
		} else {
			in, only = spec.Langs, true
		}
	}
	out = append(out, spec.NotLangs...)
	expr = "(" + m.Expr + ")"
	if only {
		// Those listed and not excluded: the exclusions are then implied.
		in = slices.DeleteFunc(slices.Clone(in), func(l string) bool { return slices.Contains(out, l) })
		if len(in) == 0 {
			return expr, true, true
		}
		return "(" + expr + " AND " + searchLangTokens(in) + ")", true, false
	}
	if len(out) > 0 {
		return "(" + expr + " NOT " + searchLangTokens(out) + ")", true, false
	}
	return expr, false, false
}

// searchLangTokens is an FTS5 expression matching the articles in any of
// langs: their words (text.LangToken) in the lang_token column.
func searchLangTokens(langs []string) string {
	var (
		parts []string
		seen  = map[string]bool{}
	)
	for _, l := range langs {
		if !seen[l] {
			seen[l] = true
			parts = append(parts, `"`+text.LangToken(l)+`"`)
		}
	}
	// One column filter for them all: FTS5 reads it quicker than one each.
	return "(lang_token : (" + strings.Join(parts, " OR ") + "))"
}

// searchFilters returns spec's filters as conditions on article AS a and
// the article's ID (the expression id), and whether any reads article AS
// a. With fts the full-text index drives the query: the languages are in
// its expression (searchMatchLangs) and every entity set is a condition;
// without, the languages are conditions and the first entity set drives
// (searchArms).
func searchFilters(spec SearchSpec, fts bool, id string) (conds []string, args []any, joinA bool, err error) {
	if len(spec.Langs) > 0 && !fts {
		conds = append(conds, "a.lang IN ("+searchMarks(len(spec.Langs))+")")
		args = searchStrings(args, spec.Langs)
	}
	if len(spec.NotLangs) > 0 && !fts {
		conds = append(conds, "a.lang NOT IN ("+searchMarks(len(spec.NotLangs))+")")
		args = searchStrings(args, spec.NotLangs)
	}
	if len(spec.Sources) > 0 {
		or := make([]string, len(spec.Sources))
		for i, src := range spec.Sources {
			or[i] = "instr(lower(a.source), ?) > 0"
			args = append(args, strings.ToLower(src))
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
		joinA = true
	}
	for _, src := range spec.NotSources {
		conds = append(conds, "instr(lower(a.source), ?) = 0")
		args = append(args, strings.ToLower(src))
		joinA = true
	}
	tc, targs, err := searchTimeConds(spec, "a")
	switch {
	case err != nil:
		return nil, nil, false, err
	case len(tc) > 0 && fts && spec.timeIDs:
		// The range's IDs, once from the article_time index, not each
		// match's row (searchTimeIDsMax).
		tc, _, _ = searchTimeConds(spec, "t")
		conds = append(conds, "+"+id+" IN (SELECT t.id FROM article AS t WHERE "+strings.Join(tc, " AND ")+")")
		args = append(args, targs...)
	case len(tc) > 0:
		conds, args = append(conds, tc...), append(args, targs...)
		joinA = true
	}
	sets := spec.Entities
	if !fts && len(sets) > 0 {
		sets = sets[1:]
	}
	for _, set := range sets {
		// mention's primary key starts with article: a seek per article.
		conds = append(conds, "EXISTS (SELECT 1 FROM mention WHERE mention.article = "+id+" AND mention.entity IN ("+searchMarks(len(set))+"))")
		args = searchInt64s(args, set)
	}
	if len(spec.NotEntities) > 0 {
		conds = append(conds, "NOT EXISTS (SELECT 1 FROM mention WHERE mention.article = "+id+" AND mention.entity IN ("+searchMarks(len(spec.NotEntities))+"))")
		args = searchInt64s(args, spec.NotEntities)
	}
	return conds, args, joinA, nil
}

func searchMarks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func searchStrings(args []any, vs []string) []any {
	for _, v := range vs {
		args = append(args, v)
	}
	return args
}

func searchInt64s(args []any, vs []int64) []any {
	for _, v := range vs {
		args = append(args, v)
	}
	return args
}

// A cursor is the order's initial, the last row's rank or time, and its
// ID, base64url encoded so that people treat it as opaque.
func encodeSearchCursor(order string, r SearchRow) string {
	key := strconv.FormatFloat(r.Rank, 'g', -1, 64) // exact: the next page compares it with SQLite's double
	switch order {
	case SearchRecent:
		key = r.Time.UTC().Format(timeLayout)
	case SearchNewest:
		key = ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(order[:1] + "|" + key + "|" + strconv.FormatInt(r.ID, 10)))
}

func decodeSearchCursor(c string) (kind, key string, id int64, err error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", 0, err
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 {
		return "", "", 0, ErrBadCursor
	}
	id, err = strconv.ParseInt(parts[2], 10, 64)
	return parts[0], parts[1], id, err
}

// searchRows fills the rows (ID and Rank set) with their articles'
// columns and snippets, from their text (the title when there is none).
func (s *SQLite) searchRows(ctx context.Context, rows []SearchRow, highlight []string) error {
	if len(rows) == 0 {
		return nil
	}
	args := []any{searchSnippetScan}
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		args = append(args, r.ID)
		at[r.ID] = i
	}
	// substr: a huge article's text is not read whole.
	q, err := s.read.QueryContext(ctx, `SELECT a.id, a.story, a.title, a.lang, a.source, a.url, a.published, `+articleTime+`,
		substr(a.text, 1, ?) FROM article AS a WHERE a.id IN (`+searchMarks(len(rows))+`)`, args...)
	if err != nil {
		return err
	}
	defer q.Close()
	for q.Next() {
		var (
			r     SearchRow
			story sql.NullInt64
			pub   sql.NullString
			when  string
			txt   string
		)
		if err := q.Scan(&r.ID, &story, &r.Title, &r.Lang, &r.Source, &r.URL, &pub, &when, &txt); err != nil {
			return err
		}
		r.Story = story.Int64
		if r.Published, err = decodeTime(pub); err == nil {
			r.Time, err = decodeTime(sql.NullString{String: when, Valid: true})
		}
		if err != nil {
			return fmt.Errorf("article %d: %w", r.ID, err)
		}
		if strings.TrimSpace(txt) == "" {
			txt = r.Title
		}
		r.Snippet = searchSnippet(r.Lang, txt, highlight)
		r.Title = article.Heading(r.Title, txt)
		i := at[r.ID]
		r.Rank = rows[i].Rank
		rows[i] = r
	}
	return q.Err()
}

// searchSnippet returns about searchSnippetWords words of s (in language lang)
// as one line, from a little before the first word matching one of terms,
// with every matching word between « and »: a word matches a term written
// the same (ignoring case) or with the same stem in lang, or starting with
// a term that ends in *. Without a match it is the start of s.
func searchSnippet(lang, s string, terms []string) string {
	st := text.NewStemmer(lang)
	var (
		raw, stems = map[string]bool{}, map[string]bool{}
		prefixes   []string
	)
	for _, t := range terms {
		if p, ok := strings.CutSuffix(t, "*"); ok {
			prefixes = append(prefixes, text.NormalizeArabic(strings.ToLower(p)))
			continue
		}
		for _, w := range searchWords(t) {
			lw := strings.ToLower(t[w[0]:w[1]])
			raw[lw], stems[st.Stem(lw)] = true, true
		}
	}
	match := func(w string) bool {
		lw := strings.ToLower(w)
		if raw[lw] || stems[st.Stem(lw)] {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(text.NormalizeArabic(lw), p) {
				return true
			}
		}
		return false
	}
	if len(s) > searchSnippetScan {
		end := searchSnippetScan
		for end > 0 && !utf8.RuneStart(s[end]) {
			end-- // not inside a character
		}
		s = s[:end]
	}
	ws := searchWords(s)
	first := -1
	for i, w := range ws {
		if match(s[w[0]:w[1]]) {
			first = i
			break
		}
	}
	from := 0
	if first > 4 {
		from = first - 4 // a little context before the match
	}
	to := min(len(ws), from+searchSnippetWords)
	if to-from < searchSnippetWords {
		from = max(0, to-searchSnippetWords)
	}
	if from >= to {
		return ""
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	pos := ws[from][0]
	for _, w := range ws[from:to] {
		b.WriteString(s[pos:w[0]])
		if first >= 0 && match(s[w[0]:w[1]]) {
			b.WriteString("«" + s[w[0]:w[1]] + "»")
		} else {
			b.WriteString(s[w[0]:w[1]])
		}
		pos = w[1]
	}
	if to < len(ws) {
		b.WriteString(" …")
	} else {
		b.WriteString(s[pos:])
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// searchWords returns the byte ranges of the words of s: runs of letters, digits
// and marks, as text.Tokenize reads them.
func searchWords(s string) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range s {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}
