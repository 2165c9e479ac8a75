package postgres

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
)

// The search of store.SQLite (store/search.go) on PostgreSQL: the same
// SearchSpec finds the same articles, in the same order by time or by
// ID, with the same cursors and snippets. By relevance the order is
// ts_rank's, title matches weighted 4 to 1 as SQLite's BM25 weighs them,
// not BM25 itself: PostgreSQL keeps no document frequencies to rank by.

// rankWeights are ts_rank's weights of the columns, {D, C, B, A}: the
// stemmed column and the text 1, the title 4, as SQLite's bm25 call.
const rankWeights = `'{0.1, 0.25, 0.25, 1.0}'`

// rankNormalization divides a rank by 1 + the log of the article's
// length, as BM25 favours the shorter of two articles saying a word as
// often.
const rankNormalization = 1

// articleTime is the expression of the article_time index.
const articleTime = "COALESCE(a.published, a.fetched, a.stored)"

// SearchArticles returns a page of articles matching spec, in its order,
// and the cursor of the next page ("" after the last). A cursor it did not
// make is an error matching store.ErrBadCursor.
func (s *Store) SearchArticles(ctx context.Context, spec store.SearchSpec) ([]store.SearchRow, string, error) {
	q := &sqlArgs{}
	query, order, err := searchQuery(spec, q)
	if err != nil {
		return nil, "", fmt.Errorf("postgres: search: %w", err)
	}
	if searchEmpty(spec) {
		return nil, "", nil
	}
	limit := spec.Limit
	if limit <= 0 || limit > store.SearchMaxLimit {
		limit = store.SearchMaxLimit
	}
	rows, err := s.pool.Query(ctx, query+" LIMIT "+q.add(limit+1), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("postgres: search: %w", err)
	}
	var out []store.SearchRow
	for rows.Next() {
		var (
			r store.SearchRow
			t string // the cursor takes it from the row's Time
		)
		if err := rows.Scan(&r.ID, &r.Rank, &t); err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("postgres: search: %w", err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("postgres: search: %w", err)
	}
	more := len(out) > limit // the extra row only says there is a next page
	out = out[:min(len(out), limit)]
	if err := s.searchRows(ctx, out, spec.Highlight); err != nil {
		return nil, "", fmt.Errorf("postgres: search: %w", err)
	}
	var next string
	if more {
		next = encodeSearchCursor(order, out[limit-1])
	}
	return out, next, nil
}

// CountArticles counts the articles matching spec (its Cursor, Limit and
// Order aside), stopping at atMost.
func (s *Store) CountArticles(ctx context.Context, spec store.SearchSpec, atMost int) (int, error) {
	if searchEmpty(spec) || atMost <= 0 {
		return 0, nil
	}
	q := &sqlArgs{}
	arms, err := searchArms(spec, "", q)
	if err != nil {
		return 0, fmt.Errorf("postgres: count: %w", err)
	}
	var n int
	err = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM ("+strings.Join(arms, " UNION ALL ")+" LIMIT "+q.add(atMost)+") AS m",
		q.args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: count: %w", err)
	}
	return n, nil
}

// Search returns the IDs of up to limit articles matching an FTS5 query
// over title, text and stemmed, best first (title matches weighted up).
// A malformed query is an error.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]int64, error) {
	if limit <= 0 || strings.TrimSpace(query) == "" {
		return nil, nil
	}
	n, err := ftsQuery(query)
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", query, err)
	}
	q := &sqlArgs{}
	cond := matchCond(n, q)
	rows, err := s.pool.Query(ctx, "SELECT a.id FROM article AS a WHERE "+cond+" ORDER BY "+rankExpr(n, q)+", a.id LIMIT "+q.add(limit), q.args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", query, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("postgres: search %q: %w", query, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", query, err)
	}
	return ids, nil
}

// sqlArgs numbers a query's parameters as they are added.
type sqlArgs struct{ args []any }

func (q *sqlArgs) add(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// matchCond is the condition that an article matches n.
func matchCond(n ftsNode, q *sqlArgs) string {
	if n.query == "" {
		return strings.ToUpper(strconv.FormatBool(n.value))
	}
	return "a.fts @@ " + q.add(n.query) + "::tsquery"
}

// rankExpr is an article's rank for n: lower is better, as SQLite's bm25.
func rankExpr(n ftsNode, q *sqlArgs) string {
	if n.query == "" {
		return "0.0::float8"
	}
	return "(-ts_rank(" + rankWeights + ", a.fts, " + q.add(n.query) + "::tsquery, " + strconv.Itoa(rankNormalization) + "))::float8"
}

func searchEmpty(spec store.SearchSpec) bool {
	for _, set := range spec.Entities {
		if len(set) == 0 {
			return true
		}
	}
	return false
}

// searchQuery builds the page query of spec (its LIMIT to add), which
// selects each article's ID, rank and time; order is the order it sorts
// by.
func searchQuery(spec store.SearchSpec, q *sqlArgs) (query, order string, err error) {
	ranked := false
	for _, m := range spec.Match {
		ranked = ranked || m.Expr != ""
	}
	order = spec.Order
	switch order {
	case "":
		order = store.SearchRecent
		if ranked {
			order = store.SearchRelevance
		}
	case store.SearchRelevance, store.SearchRecent:
		if !ranked {
			order = store.SearchRecent
		}
	case store.SearchNewest:
	default:
		return "", "", fmt.Errorf("unknown order %q", spec.Order)
	}
	var (
		curRank float64
		curTime string
		curID   int64
	)
	if spec.Cursor != "" {
		kind, key, id, err := decodeSearchCursor(spec.Cursor)
		if err != nil || kind != order[:1] {
			return "", "", store.ErrBadCursor
		}
		curID = id
		switch order {
		case store.SearchRelevance:
			if curRank, err = strconv.ParseFloat(key, 64); err != nil {
				return "", "", store.ErrBadCursor
			}
		case store.SearchRecent:
			if _, err := time.Parse(timeLayout, key); err != nil {
				return "", "", store.ErrBadCursor
			}
			curTime = key
		}
	}
	arms, err := searchArms(spec, order, q)
	if err != nil {
		return "", "", err
	}
	query = "SELECT id, rank, t FROM (" + strings.Join(arms, " UNION ALL ") + ") AS m"
	switch order {
	case store.SearchRelevance:
		if spec.Cursor != "" {
			query += " WHERE (rank, id) > (" + q.add(curRank) + "::float8, " + q.add(curID) + "::bigint)"
		}
		query += " ORDER BY rank, id"
	case store.SearchRecent:
		if spec.Cursor != "" {
			query += " WHERE (t, id) < (" + q.add(curTime) + "::text COLLATE \"C\", " + q.add(curID) + "::bigint)"
		}
		query += " ORDER BY t DESC, id DESC"
	case store.SearchNewest:
		if spec.Cursor != "" {
			query += " WHERE id < " + q.add(curID) + "::bigint"
		}
		query += " ORDER BY id DESC"
	}
	return query, order, nil
}

// searchArms returns one SELECT per full-text condition of spec, each with
// every filter; each selects the article's ID AS id, its rank AS rank (0
// unless order ranks) and its time AS t.
func searchArms(spec store.SearchSpec, order string, q *sqlArgs) ([]string, error) {
	if len(spec.Match) > store.SearchMaxMatches {
		return nil, fmt.Errorf("%d full-text conditions, at most %d", len(spec.Match), store.SearchMaxMatches)
	}
	for _, l := range [][]string{spec.Langs, spec.NotLangs, spec.Sources, spec.NotSources} {
		if len(l) > store.SearchMaxValues {
			return nil, fmt.Errorf("%d values in a filter, at most %d", len(l), store.SearchMaxValues)
		}
	}
	for _, set := range append(spec.Entities, spec.NotEntities) {
		if len(set) > store.SearchMaxValues {
			return nil, fmt.Errorf("%d entities in a filter, at most %d", len(set), store.SearchMaxValues)
		}
	}
	filters, err := searchFilters(spec, q)
	if err != nil {
		return nil, err
	}
	arm := func(m *store.SearchMatch) (string, error) {
		var (
			conds []string
			rank  = "0.0::float8"
		)
		if m != nil {
			if m.Expr == "" && m.Exclude == "" {
				return "", errors.New("a full-text condition with neither Expr nor Exclude")
			}
			expr := m.Expr
			if expr == "" {
				expr = m.Exclude
			}
			n, err := ftsQuery(expr)
			if err != nil {
				return "", err
			}
			if m.Expr != "" {
				conds = append(conds, matchCond(n, q))
				if order == store.SearchRelevance {
					rank = rankExpr(n, q)
				}
			} else {
				conds = append(conds, "NOT COALESCE("+matchCond(n, q)+", false)")
			}
			if len(m.Langs) > 0 {
				op := "a.lang = ANY("
				if m.Others {
					op = "NOT a.lang = ANY("
				}
				conds = append(conds, op+q.add(cleanList(m.Langs))+")")
			}
		}
		conds = append(conds, filters...)
		if len(conds) == 0 {
			conds = append(conds, "TRUE")
		}
		return "SELECT a.id AS id, " + rank + " AS rank, " + articleTime + " AS t FROM article AS a WHERE " +
			strings.Join(conds, " AND "), nil
	}
	var arms []string
	if len(spec.Match) == 0 {
		a, err := arm(nil)
		if err != nil {
			return nil, err
		}
		arms = append(arms, a)
	}
	for i := range spec.Match {
		a, err := arm(&spec.Match[i])
		if err != nil {
			return nil, err
		}
		arms = append(arms, a)
	}
	return arms, nil
}

// searchFilters returns spec's filters as conditions on article AS a.
func searchFilters(spec store.SearchSpec, q *sqlArgs) ([]string, error) {
	var conds []string
	if len(spec.Langs) > 0 {
		conds = append(conds, "a.lang = ANY("+q.add(cleanList(spec.Langs))+")")
	}
	if len(spec.NotLangs) > 0 {
		conds = append(conds, "NOT a.lang = ANY("+q.add(cleanList(spec.NotLangs))+")")
	}
	// The source's name ignoring ASCII case: lower() in the "C"
	// collation lowers ASCII only, as SQLite's does.
	if len(spec.Sources) > 0 {
		or := make([]string, len(spec.Sources))
		for i, src := range spec.Sources {
			or[i] = "strpos(lower(a.source), " + q.add(cleanText(strings.ToLower(src))) + "::text COLLATE \"C\") > 0"
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	for _, src := range spec.NotSources {
		conds = append(conds, "strpos(lower(a.source), "+q.add(cleanText(strings.ToLower(src)))+"::text COLLATE \"C\") = 0")
	}
	for _, b := range []struct {
		t  time.Time
		op string
	}{{spec.After, ">="}, {spec.Before, "<"}} {
		if b.t.IsZero() {
			continue
		}
		enc, err := encodeTime(b.t)
		if err != nil {
			return nil, err
		}
		conds = append(conds, articleTime+" "+b.op+" "+q.add(enc)+"::text COLLATE \"C\"")
	}
	for _, set := range spec.Entities {
		conds = append(conds, "EXISTS (SELECT 1 FROM mention WHERE mention.article = a.id AND mention.entity = ANY("+q.add(set)+"))")
	}
	if len(spec.NotEntities) > 0 {
		conds = append(conds, "NOT EXISTS (SELECT 1 FROM mention WHERE mention.article = a.id AND mention.entity = ANY("+q.add(spec.NotEntities)+"))")
	}
	return conds, nil
}

func cleanList(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = cleanText(s)
	}
	return out
}

// A cursor is the order's initial, the last row's rank or time, and its
// ID, base64url encoded, as store.SQLite writes it.
func encodeSearchCursor(order string, r store.SearchRow) string {
	key := strconv.FormatFloat(r.Rank, 'g', -1, 64) // exact: the next page compares it with the same float8
	switch order {
	case store.SearchRecent:
		key = r.Time.UTC().Format(timeLayout)
	case store.SearchNewest:
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
		return "", "", 0, store.ErrBadCursor
	}
	id, err = strconv.ParseInt(parts[2], 10, 64)
	return parts[0], parts[1], id, err
}

// searchRows fills the rows (ID and Rank set) with their articles'
// columns and snippets, from their text (the title when there is none).
func (s *Store) searchRows(ctx context.Context, rows []store.SearchRow, highlight []string) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		at[r.ID] = i
	}
	// substr: a huge article's text is not read whole.
	q, err := s.pool.Query(ctx, `SELECT a.id, a.story, a.title, a.lang, a.source, a.url, a.published, `+articleTime+`,
		substr(a.text, 1, $1) FROM article AS a WHERE a.id = ANY($2)`, store.SearchSnippetScan, ids)
	if err != nil {
		return err
	}
	defer q.Close()
	for q.Next() {
		var (
			r     store.SearchRow
			story *int64
			pub   *string
			when  string
			txt   string
		)
		if err := q.Scan(&r.ID, &story, &r.Title, &r.Lang, &r.Source, &r.URL, &pub, &when, &txt); err != nil {
			return err
		}
		r.Story = deref(story)
		if r.Published, err = decodeTime(pub); err == nil {
			r.Time, err = decodeTime(&when)
		}
		if err != nil {
			return fmt.Errorf("article %d: %w", r.ID, err)
		}
		if strings.TrimSpace(txt) == "" {
			txt = r.Title
		}
		r.Snippet = store.SearchSnippet(r.Lang, txt, highlight)
		r.Title = article.Heading(r.Title, txt)
		i := at[r.ID]
		r.Rank = rows[i].Rank
		rows[i] = r
	}
	return q.Err()
}
