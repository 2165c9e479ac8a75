package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/store"
)

// querier is what the pool and a transaction share for reads.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const articleColumns = `id, external_id, input, url, source, lang, title, text, author, dateline,
	published, fetched, related, related_of, content_hash, minhash, duplicate_of, story`

// placementColumns follow articleColumns in the queries that need both.
const placementColumns = `stream_story, stream_at, evicted`

// scanArticle reads the articleColumns of a row, then any extra columns
// into extra.
func scanArticle(row pgx.Row, extra ...any) (*article.Article, error) {
	var (
		a                        article.Article
		published, fetched, hash *string
		relatedOf, dupOf, story  *int64
		minhash                  []byte
	)
	err := row.Scan(append([]any{&a.ID, &a.ExternalID, &a.Input, &a.URL, &a.Source, &a.Lang, &a.Title, &a.Text,
		&a.Author, &a.Dateline, &published, &fetched, &a.Related, &relatedOf, &hash, &minhash, &dupOf, &story},
		extra...)...)
	if err != nil {
		return nil, err
	}
	if a.Published, err = decodeTime(published); err != nil {
		return nil, fmt.Errorf("article %d published: %w", a.ID, err)
	}
	if a.Fetched, err = decodeTime(fetched); err != nil {
		return nil, fmt.Errorf("article %d fetched: %w", a.ID, err)
	}
	if a.MinHash, err = decodeMinHash(minhash); err != nil {
		return nil, fmt.Errorf("article %d: %w", a.ID, err)
	}
	if hash != nil {
		a.ContentHash = *hash
	}
	a.RelatedOf, a.DuplicateOf, a.Story = deref(relatedOf), deref(dupOf), deref(story)
	return &a, nil
}

func (s *Store) walk(ctx context.Context, what, query string, fn func(*article.Article) error, args ...any) error {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return fmt.Errorf("postgres: %s: %w", what, err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return nil
}

// Articles calls fn for every article in ID order.
func (s *Store) Articles(ctx context.Context, fn func(*article.Article) error) error {
	return s.walk(ctx, "articles", "SELECT "+articleColumns+" FROM article ORDER BY id", fn)
}

// replayQuery reads the articles after an ID and those active stream
// stories hold in memory, through article_stream, never the whole table.
const replayQuery = "SELECT " + articleColumns + ", " + placementColumns + ` FROM article
	WHERE id > $1 UNION ALL
	SELECT ` + articleColumns + ", " + placementColumns + ` FROM article WHERE id <= $1 AND NOT evicted
		AND stream_story IN (SELECT id FROM stream_story WHERE active)
	ORDER BY id`

// Replay calls fn for the articles after ID after and those active stream
// stories hold in memory, in ID order, with their placement.
func (s *Store) Replay(ctx context.Context, after int64, fn func(*article.Article, store.Placement) error) error {
	rows, err := s.pool.Query(ctx, replayQuery, after)
	if err != nil {
		return fmt.Errorf("postgres: replay: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			p      store.Placement
			stream *int64
			at     *string
		)
		a, err := scanArticle(rows, &stream, &at, &p.Evicted)
		if err == nil {
			p.At, err = decodeTime(at)
		}
		if err != nil {
			return fmt.Errorf("postgres: replay: %w", err)
		}
		p.Story, p.Stream = a.Story, deref(stream)
		if err := fn(a, p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: replay: %w", err)
	}
	return nil
}

// StreamStories returns the active stories of the stream, by ID.
func (s *Store) StreamStories(ctx context.Context) ([]store.StreamStory, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, first_at, last_at, restamped, changed FROM stream_story
		WHERE active ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: stream stories: %w", err)
	}
	defer rows.Close()
	var out []store.StreamStory
	for rows.Next() {
		st := store.StreamStory{Active: true}
		var first, last *string
		err := rows.Scan(&st.ID, &first, &last, &st.Restamped, &st.Changed)
		if err == nil {
			if st.First, err = decodeTime(first); err == nil {
				st.Last, err = decodeTime(last)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("postgres: stream stories: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: stream stories: %w", err)
	}
	return out, nil
}

// Evicted describes the evicted articles of each active stream story.
func (s *Store) Evicted(ctx context.Context) ([]store.EvictedTally, error) {
	rows, err := s.pool.Query(ctx, `SELECT stream_story, id, source, lang, title, stream_at, story
		FROM article WHERE evicted AND stream_story IN (SELECT id FROM stream_story WHERE active)
		ORDER BY stream_story, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: evicted: %w", err)
	}
	defer rows.Close()
	var (
		out            []store.EvictedTally
		outlets, langs map[string]bool
		cur            *store.EvictedTally
	)
	finish := func() {
		if cur != nil {
			cur.Outlets, cur.Langs = sortedSet(outlets), sortedSet(langs)
			out = append(out, *cur)
		}
	}
	for rows.Next() {
		var (
			stream, id          int64
			story               *int64
			source, lang, title string
			at                  *string
		)
		if err := rows.Scan(&stream, &id, &source, &lang, &title, &at, &story); err != nil {
			return nil, fmt.Errorf("postgres: evicted: %w", err)
		}
		if cur == nil || cur.Stream != stream {
			finish()
			cur = &store.EvictedTally{Stream: stream, Story: deref(story)}
			outlets, langs = map[string]bool{}, map[string]bool{}
		}
		cur.Articles++
		outlets[source], langs[lang] = source != "", lang != ""
		if title != "" {
			if _, ok := cur.Titles[lang]; !ok {
				if cur.Titles == nil {
					cur.Titles = map[string]string{}
				}
				cur.Titles[lang] = title
			}
		}
		t, err := decodeTime(at)
		if err != nil {
			return nil, fmt.Errorf("postgres: evicted: article %d: %w", id, err)
		}
		if !t.IsZero() && (cur.First.IsZero() || t.Before(cur.First)) {
			cur.First = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: evicted: %w", err)
	}
	finish()
	return out, nil
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k, ok := range m {
		if ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Parts returns the settled halves' IDs by first article.
func (s *Store) Parts(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.pool.Query(ctx, "SELECT founder, story FROM story_part")
	if err != nil {
		return nil, fmt.Errorf("postgres: parts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var f, id int64
		if err := rows.Scan(&f, &id); err != nil {
			return nil, fmt.Errorf("postgres: parts: %w", err)
		}
		out[f] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: parts: %w", err)
	}
	return out, nil
}

// Meta returns the value stored under key, nil when there is none.
func (s *Store) Meta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.pool.QueryRow(ctx, "SELECT value FROM meta WHERE key = $1", cleanText(key)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: meta %s: %w", key, err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// Article returns the article with this ID.
func (s *Store) Article(ctx context.Context, id int64) (*article.Article, error) {
	a, err := scanArticle(s.pool.QueryRow(ctx, "SELECT "+articleColumns+" FROM article WHERE id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: article %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: article %d: %w", id, err)
	}
	return a, nil
}

// StoryArticles calls fn for every article readers see in story id, in ID
// order.
func (s *Store) StoryArticles(ctx context.Context, id int64, fn func(*article.Article) error) error {
	return s.walk(ctx, "story articles", "SELECT "+articleColumns+" FROM article WHERE story = $1 ORDER BY id", fn, id)
}

const storyColumns = `id, headline, titles, first_seen, last_seen, articles, langs, outlets, top_terms`

// Stories returns every story, most recently seen first, undated last.
func (s *Store) Stories(ctx context.Context) ([]store.Story, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+storyColumns+` FROM story ORDER BY last_seen DESC NULLS LAST, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	defer rows.Close()
	var out []store.Story
	for rows.Next() {
		st, err := scanStory(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: stories: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	return out, nil
}

// Story returns one story, or an error matching store.ErrNotFound.
func (s *Store) Story(ctx context.Context, id int64) (store.Story, error) {
	st, err := scanStory(s.pool.QueryRow(ctx, `SELECT `+storyColumns+` FROM story WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Story{}, fmt.Errorf("postgres: story %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: story %d: %w", id, err)
	}
	return st, nil
}

// scanStory reads the storyColumns of one row.
func scanStory(row pgx.Row) (store.Story, error) {
	var (
		st          store.Story
		first, last *string
	)
	err := row.Scan(&st.ID, &st.Headline, &st.Titles, &first, &last, &st.Articles, &st.Langs, &st.Outlets, &st.TopTerms)
	if err != nil {
		return st, err
	}
	if st.FirstSeen, err = decodeTime(first); err == nil {
		st.LastSeen, err = decodeTime(last)
	}
	if err != nil {
		return st, fmt.Errorf("story %d: %w", st.ID, err)
	}
	return st, nil
}

// StoryEvents returns the events naming the story on either side, oldest
// first (undated before dated, as SQLite sorts NULL).
func (s *Store) StoryEvents(ctx context.Context, storyID int64) ([]store.StoryEvent, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, kind, story, other, at, detail, articles FROM story_event
		WHERE story = $1 OR other = $1 ORDER BY at NULLS FIRST, id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("postgres: story %d events: %w", storyID, err)
	}
	defer rows.Close()
	var out []store.StoryEvent
	for rows.Next() {
		var (
			e  store.StoryEvent
			at *string
		)
		if err := rows.Scan(&e.ID, &e.Kind, &e.Story, &e.Other, &at, &e.Detail, &e.Articles); err != nil {
			return nil, fmt.Errorf("postgres: story %d events: %w", storyID, err)
		}
		if e.At, err = decodeTime(at); err != nil {
			return nil, fmt.Errorf("postgres: story event %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: story %d events: %w", storyID, err)
	}
	return out, nil
}

// MaxStoryID returns the highest story ID used by a story (deleted ones
// included), a stream story, a part, an article or an event.
func (s *Store) MaxStoryID(ctx context.Context) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT GREATEST(
		(SELECT COALESCE(MAX(id), 0) FROM story),
		(SELECT COALESCE(MAX(id), 0) FROM stream_story),
		(SELECT COALESCE(MAX(story), 0) FROM story_part),
		(SELECT value FROM story_seq),
		(SELECT COALESCE(MAX(story), 0) FROM article),
		(SELECT COALESCE(MAX(story), 0) FROM story_event),
		(SELECT COALESCE(MAX(other), 0) FROM story_event))`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("postgres: max story id: %w", err)
	}
	return id, nil
}

// Validators returns the stored ETag and Last-Modified of a URL.
func (s *Store) Validators(ctx context.Context, url string) (etag, lastModified string, err error) {
	err = s.pool.QueryRow(ctx, "SELECT etag, last_modified FROM validator WHERE url = $1", cleanText(url)).Scan(&etag, &lastModified)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("postgres: validators %s: %w", url, err)
	}
	return etag, lastModified, nil
}

// Counts returns the numbers of articles and stories.
func (s *Store) Counts(ctx context.Context) (articles, stories int64, err error) {
	err = s.pool.QueryRow(ctx, "SELECT (SELECT COUNT(*) FROM article), (SELECT COUNT(*) FROM story)").Scan(&articles, &stories)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: counts: %w", err)
	}
	return articles, stories, nil
}

// Intel returns what an article says, in one round trip.
func (s *Store) Intel(ctx context.Context, articleID int64) (store.Intel, error) {
	var (
		in store.Intel
		b  pgx.Batch
	)
	b.Queue(`SELECT field, start, "end", text, type, title, entity FROM mention
		WHERE article = $1 ORDER BY field, start`, articleID).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var (
				m  store.Mention
				id *int64
			)
			if err := rows.Scan(&m.Field, &m.Start, &m.End, &m.Text, &m.Type, &m.Title, &id); err != nil {
				return err
			}
			m.Entity = deref(id)
			in.Mentions = append(in.Mentions, m)
		}
		return rows.Err()
	})
	b.Queue(`SELECT id, start, "end", text, speaker, speaker_entity, via, confidence FROM quote
		WHERE article = $1 ORDER BY start, id`, articleID).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			q := store.Quote{Article: articleID}
			var id *int64
			if err := rows.Scan(&q.ID, &q.Start, &q.End, &q.Text, &q.Speaker, &id, &q.Via, &q.Confidence); err != nil {
				return err
			}
			q.SpeakerEntity = deref(id)
			in.Quotes = append(in.Quotes, q)
		}
		return rows.Err()
	})
	b.Queue(`SELECT start, "end", text, value, unit, counts, year, approx, rounding FROM figure
		WHERE article = $1 ORDER BY start`, articleID).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			f := store.Figure{Article: articleID}
			if err := rows.Scan(&f.Start, &f.End, &f.Text, &f.Value, &f.Unit, &f.Counts, &f.Year, &f.Approx, &f.Rounding); err != nil {
				return err
			}
			in.Figures = append(in.Figures, f)
		}
		return rows.Err()
	})
	if err := s.pool.SendBatch(ctx, &b).Close(); err != nil {
		return store.Intel{}, fmt.Errorf("postgres: intel of article %d: %w", articleID, err)
	}
	return in, nil
}

// Entity returns an entity, following merges.
func (s *Store) Entity(ctx context.Context, id int64) (entity.Entity, error) {
	return entityByID(ctx, s.pool, id)
}

const entityQuery = `SELECT id, canonical, type, mentions, first_seen, story, merged_into FROM entity WHERE id = $1`

// maxMergeChain bounds how many merges a lookup follows: a cycle would be
// a bug, never a reason to hang.
const maxMergeChain = 64

func entityByID(ctx context.Context, q querier, id int64) (entity.Entity, error) {
	for range maxMergeChain {
		var (
			e            entity.Entity
			typ          string
			first        *string
			story, merge *int64
		)
		err := q.QueryRow(ctx, entityQuery, id).Scan(&e.ID, &e.Canonical, &typ, &e.Mentions, &first, &story, &merge)
		if errors.Is(err, pgx.ErrNoRows) {
			return e, fmt.Errorf("postgres: entity %d: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return e, fmt.Errorf("postgres: entity %d: %w", id, err)
		}
		if merge != nil {
			id = *merge
			continue
		}
		e.Type, e.Story = entity.Type(typ), deref(story)
		if e.FirstSeen, err = decodeTime(first); err != nil {
			return e, fmt.Errorf("postgres: entity %d: %w", id, err)
		}
		return e, nil
	}
	return entity.Entity{}, fmt.Errorf("postgres: entity %d: merges do not end", id)
}

const variantColumns = "entity, norm, text, lang, key, surname, mentions, first_seen, evidence"

func scanVariants(rows pgx.Rows, err error) ([]entity.Variant, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []entity.Variant
	for rows.Next() {
		var (
			v     entity.Variant
			first *string
		)
		if err := rows.Scan(&v.Entity, &v.Norm, &v.Text, &v.Lang, &v.Key, &v.Surname, &v.Mentions, &first, &v.Evidence); err != nil {
			return nil, err
		}
		if v.FirstSeen, err = decodeTime(first); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// EntityInfo returns an entity (following merges) with its variants, most
// written first, and the merges that made it.
func (s *Store) EntityInfo(ctx context.Context, id int64) (entity.Entity, []entity.Variant, []entity.Merge, error) {
	e, err := entityByID(ctx, s.pool, id)
	if err != nil {
		return e, nil, nil, err
	}
	vs, err := scanVariants(s.pool.Query(ctx, "SELECT "+variantColumns+" FROM entity_variant WHERE entity = $1 ORDER BY mentions DESC, norm", e.ID))
	if err != nil {
		return e, nil, nil, fmt.Errorf("postgres: entity %d: %w", e.ID, err)
	}
	rows, err := s.pool.Query(ctx, "SELECT into_id, from_id, by, evidence, at FROM entity_merge WHERE into_id = $1 ORDER BY id", e.ID)
	if err != nil {
		return e, nil, nil, fmt.Errorf("postgres: entity %d: %w", e.ID, err)
	}
	defer rows.Close()
	var ms []entity.Merge
	for rows.Next() {
		var (
			m  entity.Merge
			at *string
		)
		if err := rows.Scan(&m.Into, &m.From, &m.By, &m.Evidence, &at); err != nil {
			return e, nil, nil, fmt.Errorf("postgres: entity %d: %w", e.ID, err)
		}
		m.At, _ = decodeTime(at)
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return e, nil, nil, fmt.Errorf("postgres: entity %d: %w", e.ID, err)
	}
	return e, vs, ms, nil
}

// Digest returns the digest stored for a story since it last changed, nil
// when there is none.
func (s *Store) Digest(ctx context.Context, storyID int64) ([]byte, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, "SELECT body FROM story_digest WHERE story = $1", storyID).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: digest of story %d: %w", storyID, err)
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

// EntitiesNamed returns the entities (following merges) that have a
// variant written as name, most mentioned first.
func (s *Store) EntitiesNamed(ctx context.Context, name string) ([]entity.Entity, error) {
	rows, err := s.pool.Query(ctx, "SELECT DISTINCT entity FROM entity_variant WHERE norm = $1 ORDER BY entity", cleanText(entity.Norm(name)))
	if err != nil {
		return nil, fmt.Errorf("postgres: entities named %q: %w", name, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: entities named %q: %w", name, err)
	}
	var out []entity.Entity
	seen := map[int64]bool{}
	for _, id := range ids {
		e, err := entityByID(ctx, s.pool, id)
		if err != nil {
			return nil, err
		}
		if !seen[e.ID] {
			seen[e.ID] = true
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b entity.Entity) int { return b.Mentions - a.Mentions })
	return out, nil
}
