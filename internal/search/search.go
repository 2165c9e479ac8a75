package search

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

// Page sizes and counting.
const (
	// DefaultLimit is the page size when the caller gives none.
	DefaultLimit = 20
	// MaxLimit is the largest page; larger requests get this many.
	MaxLimit = store.SearchMaxLimit
	// MaxTotal is where counting matches stops: SearchPage.Total is at
	// least the number of matches, up to this.
	MaxTotal = 1000
)

// Store is what a search reads: the stories and entities of the store
// and its full-text search. Both stores are one (store.Backend).
type Store interface {
	Story(ctx context.Context, id int64) (store.Story, error)
	EntitiesNamed(ctx context.Context, name string) ([]entity.Entity, error)
	store.Searcher
}

// Run parses q and returns the page of its results after cursor (the
// previous page's Next, "" for the first), grouped by the story readers
// see each article in, stories in the order of their best article. A
// malformed query or cursor is an error wrapping service.ErrBadQuery.
//
// Results are ordered by relevance (BM25, title matches weighted up)
// when the query has words, newest first when it has only filters or
// matches more than MaxTotal articles (ranking would read them all), or as
// sort: says. A story may have articles on two pages.
func Run(ctx context.Context, st Store, q, cursor string, limit int) (service.SearchPage, error) {
	page := service.SearchPage{Query: q, Groups: []service.SearchGroup{}}
	pq, err := Parse(q)
	if err != nil {
		return page, err
	}
	spec, read, err := plan(ctx, st, pq)
	if err != nil {
		return page, err
	}
	page.Message = strings.Join(read, " · ")
	if spec == nil {
		return page, nil // nothing can match
	}
	spec.Cursor = cursor
	spec.Limit = limit
	if limit <= 0 {
		spec.Limit = DefaultLimit
	}
	spec.Limit = min(spec.Limit, MaxLimit)
	if page.Total, err = st.CountArticles(ctx, *spec, MaxTotal); err != nil {
		return page, fmt.Errorf("search %q: %w", q, err)
	}
	if spec.Order == "" && ranked(spec) && page.Total >= MaxTotal {
		// Ranking reads every match: for a word in most articles that is
		// most of the store, on every page. Newest stored first reads a
		// page's worth. The count only grows, so the next pages, and
		// their cursors, keep this order.
		spec.Order = store.SearchNewest
		page.Message = strings.TrimPrefix(page.Message+" · "+broadNote, " · ")
	}
	rows, next, err := st.SearchArticles(ctx, *spec)
	if errors.Is(err, store.ErrBadCursor) {
		return page, badQuery("this page link is not valid for this query: start again from the first page")
	}
	if err != nil {
		return page, fmt.Errorf("search %q: %w", q, err)
	}
	page.Next = next
	at := map[int64]int{} // story → its group
	for _, r := range rows {
		i, ok := at[r.Story]
		if !ok {
			s, err := story(ctx, st, r.Story)
			if err != nil {
				return page, fmt.Errorf("search %q: %w", q, err)
			}
			i = len(page.Groups)
			at[r.Story] = i
			page.Groups = append(page.Groups, service.SearchGroup{Story: s})
		}
		page.Groups[i].Articles = append(page.Groups[i].Articles, service.Hit{
			ID: r.ID, Title: r.Title, Lang: r.Lang, Outlet: r.Source, URL: r.URL,
			Published: r.Published, Snippet: r.Snippet,
		})
	}
	return page, nil
}

// story returns the story an article is in; an article not yet in one, or
// in one since removed, gets a story of its ID alone.
func story(ctx context.Context, st Store, id int64) (store.Story, error) {
	if id == 0 {
		return store.Story{}, nil
	}
	s, err := st.Story(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Story{ID: id}, nil
	}
	return s, err
}

// broadNote says why a query with many matches is not ranked.
var broadNote = fmt.Sprintf("over %d matches: newest first (add words or filters to rank them, or sort:relevance)", MaxTotal)

// ranked reports whether spec has words to rank by.
func ranked(spec *store.SearchSpec) bool {
	for _, m := range spec.Match {
		if m.Expr != "" {
			return true
		}
	}
	return false
}

// plan turns a parsed query into the store's search, resolving entity
// names, and says how the query was read. A nil spec means nothing can
// match (a name no entity has), which read explains.
func plan(ctx context.Context, st Store, q Query) (*store.SearchSpec, []string, error) {
	spec := &store.SearchSpec{
		Langs: q.Langs, NotLangs: q.NotLangs, Sources: q.Sources, NotSources: q.NotSources,
		After: q.After, Before: q.Before, Highlight: highlights(q.Expr),
	}
	switch q.Sort {
	case SortRecent:
		spec.Order = store.SearchRecent
	case SortRelevance:
		spec.Order = store.SearchRelevance
	}
	read := describe(q)
	nothing := false
	for _, name := range q.Entities {
		ids, desc, err := entities(ctx, st, name)
		if err != nil {
			return nil, nil, err
		}
		if len(ids) == 0 {
			read = append(read, fmt.Sprintf("entity: no entity is known as %q", name))
			nothing = true
			continue
		}
		spec.Entities = append(spec.Entities, ids)
		read = append(read, "entity: "+desc)
	}
	for _, name := range q.NotEntities {
		ids, desc, err := entities(ctx, st, name)
		if err != nil {
			return nil, nil, err
		}
		if len(ids) == 0 {
			read = append(read, fmt.Sprintf("not entity: no entity is known as %q, so none is left out", name))
			continue
		}
		spec.NotEntities = append(spec.NotEntities, ids...)
		read = append(read, "not entity: "+desc)
	}
	ms, ok := compile(q.Expr, q.Langs, q.NotLangs)
	if !ok {
		read = append(read, "no language is left once the excluded ones are taken out")
		nothing = true
	}
	spec.Match = ms
	read = append(read, q.Notes...)
	if nothing {
		return nil, read, nil
	}
	return spec, read, nil
}

// entities returns the IDs of the entities with a variant written as name
// (entity.Norm: case and spacing aside), in any script, and how to say
// which they are.
func entities(ctx context.Context, st Store, name string) ([]int64, string, error) {
	es, err := st.EntitiesNamed(ctx, name)
	if err != nil {
		return nil, "", fmt.Errorf("search: entity %q: %w", name, err)
	}
	if len(es) > MaxEntityIDs {
		es = es[:MaxEntityIDs] // the most mentioned
	}
	var (
		ids   []int64
		names []string
	)
	for _, e := range es {
		ids = append(ids, e.ID)
		if strings.EqualFold(e.Canonical, name) {
			names = append(names, e.Canonical)
		} else {
			names = append(names, fmt.Sprintf("%s (as %s)", e.Canonical, name))
		}
	}
	return ids, strings.Join(names, " or "), nil
}

// describe says, for people, how a query was read.
func describe(q Query) []string {
	var out []string
	if q.Expr != nil {
		out = append(out, describeExpr(q.Expr)...)
	}
	list := func(label string, vs []string) {
		if len(vs) > 0 {
			out = append(out, label+": "+strings.Join(vs, ", "))
		}
	}
	list("language", q.Langs)
	list("not language", q.NotLangs)
	list("source", q.Sources)
	list("not source", q.NotSources)
	if !q.After.IsZero() {
		out = append(out, "after "+day(q.After))
	}
	if !q.Before.IsZero() {
		out = append(out, "before "+day(q.Before))
	}
	switch q.Sort {
	case SortRecent:
		out = append(out, "newest first")
	case SortRelevance:
		out = append(out, "best match first")
	}
	return out
}

// describeExpr lists words, phrases and exclusions when the expression is
// only those, and shows it whole otherwise.
func describeExpr(n Node) []string {
	pos, neg := split(n)
	var words, phrases, without []string
	for _, c := range pos {
		switch c := c.(type) {
		case *Word:
			words = append(words, c.String())
		case *Phrase:
			phrases = append(phrases, c.String())
		default:
			return []string{"matching: " + n.String()}
		}
	}
	for _, c := range neg {
		switch c.(type) {
		case *Word, *Phrase:
			without = append(without, c.String())
		default:
			return []string{"matching: " + n.String()}
		}
	}
	var out []string
	if len(words) > 0 {
		out = append(out, "words: "+strings.Join(words, ", "))
	}
	if len(phrases) == 1 {
		out = append(out, "phrase: "+phrases[0])
	} else if len(phrases) > 1 {
		out = append(out, "phrases: "+strings.Join(phrases, ", "))
	}
	if len(without) > 0 {
		out = append(out, "without: "+strings.Join(without, ", "))
	}
	return out
}
