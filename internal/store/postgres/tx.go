package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
	"github.com/storyline/storyline/internal/store"
)

// pgTx is the PostgreSQL store.Tx: one transaction holding the writer's
// advisory lock. pgx prepares each statement once per connection.
//
// Writes that return nothing and whose arguments are checked before they
// are queued (PutVariant, PutIntel, PutStreamStory; PutEntity and
// PutStory given an ID; SetStemmed and Place of an article this
// transaction inserted, which cannot miss it) wait for the next
// statement, to go in its round
// trip: entity resolution alternates lookups and upserts, so an upsert
// costs no round trip of its own. A queued write that the server refuses
// fails the call that sent it, which names the write; as after any failed
// statement, the transaction is lost (store.Tx). Commit sends what is
// still queued.
type pgTx struct {
	s       *Store
	ctx     context.Context // Begin's, for Commit
	tx      pgx.Tx
	done    bool
	pending []queued
	mine    map[int64]bool // the articles InsertArticle stored
}

// queued is a write waiting for the next round trip; what names it in
// its error.
type queued struct {
	stmt
	what string
}

var (
	_ store.Tx            = (*pgTx)(nil)
	_ store.StemmedSetter = (*pgTx)(nil)
)

// errEnded is returned by methods called after Commit or Rollback.
var errEnded = errors.New("transaction already ended")

// queue holds a write for the next round trip.
func (t *pgTx) queue(what, sql string, args ...any) error {
	if t.done {
		return errEnded
	}
	t.pending = append(t.pending, queued{stmt{sql, clean(args)}, what})
	return nil
}

// send sends the queued writes, then stmts, in one round trip, and reads
// the writes' results: the caller reads stmts' and closes the results.
func (t *pgTx) send(ctx context.Context, stmts ...stmt) (pgx.BatchResults, error) {
	var b pgx.Batch
	for _, q := range t.pending {
		b.Queue(q.sql, q.args...)
	}
	for _, s := range stmts {
		b.Queue(s.sql, clean(s.args)...)
	}
	pending := t.pending
	t.pending = nil
	br := t.tx.SendBatch(ctx, &b)
	for _, q := range pending {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, fmt.Errorf("%s: %w", q.what, err)
		}
	}
	return br, nil
}

// flush sends the queued writes, if any.
func (t *pgTx) flush(ctx context.Context) error {
	if len(t.pending) == 0 {
		return nil
	}
	br, err := t.send(ctx)
	if err != nil {
		return err
	}
	return br.Close()
}

func (t *pgTx) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t.done {
		return pgconn.CommandTag{}, errEnded
	}
	if len(t.pending) == 0 {
		return t.tx.Exec(ctx, sql, clean(args)...)
	}
	br, err := t.send(ctx, stmt{sql, args})
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (t *pgTx) query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if t.done {
		return nil, errEnded
	}
	if len(t.pending) == 0 {
		return t.tx.Query(ctx, sql, clean(args)...)
	}
	br, err := t.send(ctx, stmt{sql, args})
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (t *pgTx) queryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if t.done {
		return errRow{errEnded}
	}
	if len(t.pending) == 0 {
		return t.tx.QueryRow(ctx, sql, clean(args)...)
	}
	br, err := t.send(ctx, stmt{sql, args})
	if err != nil {
		return errRow{err}
	}
	return batchRow{br.QueryRow(), br}
}

// errRow is a row that fails to scan.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// batchRow is the row of a query sent after queued writes; Scan ends the
// batch, freeing the connection.
type batchRow struct {
	row pgx.Row
	br  pgx.BatchResults
}

func (r batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

// batchRows are the rows of a query sent after queued writes; closing
// them, or reading past the last, ends the batch, freeing the connection.
type batchRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
	err    error
}

func (r *batchRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *batchRows) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.Rows.Close()
	r.err = r.br.Close()
}

func (r *batchRows) Err() error {
	if err := r.Rows.Err(); err != nil {
		return err
	}
	return r.err
}

// batch sends statements in one round trip; each runs after the one
// before, so later ones see earlier ones' rows.
func (t *pgTx) batch(ctx context.Context, stmts ...stmt) error {
	if t.done {
		return errEnded
	}
	br, err := t.send(ctx, stmts...)
	if err != nil {
		return err
	}
	return br.Close()
}

type stmt struct {
	sql  string
	args []any
}

// ArticleByHash finds the earliest article, original or copy, with this
// content hash.
func (t *pgTx) ArticleByHash(ctx context.Context, hash string) (int64, bool, error) {
	if hash == "" {
		return 0, false, nil
	}
	var id int64
	err := t.queryRow(ctx, "SELECT id FROM article WHERE content_hash = $1 ORDER BY id LIMIT 1", hash).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("postgres: article by hash: %w", err)
	}
	return id, true, nil
}

// nearQuery counts shared bands per article through band's primary key,
// one index range per key, never a scan of the table.
var nearQuery = `SELECT a.id, a.story, a.stream_story, a.minhash
	FROM (SELECT article_id, COUNT(*) AS n FROM band WHERE key = ANY($1)
	      GROUP BY article_id ORDER BY n DESC, article_id LIMIT ` + fmt.Sprint(store.MaxCandidates) + `) AS c
	JOIN article AS a ON a.id = c.article_id
	WHERE a.duplicate_of IS NULL
	ORDER BY c.n DESC, a.id`

// NearDuplicates returns the originals sharing a band key with bands.
func (t *pgTx) NearDuplicates(ctx context.Context, bands []uint64) ([]store.Candidate, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	rows, err := t.query(ctx, nearQuery, bandKeys(bands))
	if err != nil {
		return nil, fmt.Errorf("postgres: near duplicates: %w", err)
	}
	defer rows.Close()
	var out []store.Candidate
	for rows.Next() {
		var (
			c             store.Candidate
			story, stream *int64
			mh            []byte
		)
		if err := rows.Scan(&c.ID, &story, &stream, &mh); err != nil {
			return nil, fmt.Errorf("postgres: near duplicates: %w", err)
		}
		if c.MinHash, err = decodeMinHash(mh); err != nil {
			return nil, fmt.Errorf("postgres: near duplicates: article %d: %w", c.ID, err)
		}
		c.Story, c.Stream = deref(story), deref(stream)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: near duplicates: %w", err)
	}
	return out, nil
}

// bandKeys are the keys as stored: their bits as signed integers.
func bandKeys(keys []uint64) []int64 {
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = int64(k)
	}
	return out
}

// insertQuery stores an article and its bands in one statement: the ID
// is one more than the highest unless given, and an original whose hash
// is taken inserts nothing (ErrDuplicateHash) rather than failing, which
// would end the transaction.
const insertQuery = `WITH a AS (
	INSERT INTO article (id, external_id, input, url, source, lang, title, text, author, dateline, published,
		fetched, stored, related, related_of, content_hash, minhash, duplicate_of, story, fts)
	VALUES (COALESCE($1, (SELECT COALESCE(MAX(id), 0) + 1 FROM article)), $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12, $13, $14, $15, $16, $17, $18, $19, $21::tsvector)
	ON CONFLICT (content_hash) WHERE content_hash IS NOT NULL AND duplicate_of IS NULL DO NOTHING
	RETURNING id
), b AS (
	INSERT INTO band (key, article_id) SELECT k, a.id FROM a, unnest($20::bigint[]) AS k
)
SELECT id FROM a`

// InsertArticle stores a, sets a.ID and indexes its LSH bands.
func (t *pgTx) InsertArticle(ctx context.Context, a *article.Article) error {
	if a == nil {
		return errors.New("postgres: insert article: nil article")
	}
	published, err := encodeTime(a.Published)
	if err != nil {
		return fmt.Errorf("postgres: insert article %q: published: %w", a.Input, err)
	}
	fetched, err := encodeTime(a.Fetched)
	if err != nil {
		return fmt.Errorf("postgres: insert article %q: fetched: %w", a.Input, err)
	}
	// Copies are never candidates (their original is), so their bands
	// would only cost space and lookups.
	var keys []int64
	if a.DuplicateOf == 0 {
		if bs := dedup.Bands(a.MinHash); len(bs) == dedup.NumBands {
			keys = bandKeys(bs)
		}
	}
	var hash any
	if a.ContentHash != "" {
		hash = a.ContentHash
	}
	var id int64
	err = t.queryRow(ctx, insertQuery, nullID(a.ID), a.ExternalID, a.Input, a.URL, a.Source, a.Lang, a.Title, a.Text,
		a.Author, a.Dateline, published, fetched, nowText(), a.Related, nullID(a.RelatedOf), hash,
		encodeMinHash(a.MinHash), nullID(a.DuplicateOf), nullID(a.Story), keys, articleVector(a.Title, a.Text)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: insert article %q: %w", a.Input, store.ErrDuplicateHash)
	}
	if err != nil {
		return fmt.Errorf("postgres: insert article %q: %w", a.Input, err)
	}
	a.ID = id
	if t.mine == nil {
		t.mine = map[int64]bool{}
	}
	t.mine[id] = true
	return nil
}

// SetStemmed fills the article's stemmed full-text column: its words
// replace those of weight C in the index. An article not yet indexed
// stays so, for Open to index whole.
func (t *pgTx) SetStemmed(ctx context.Context, articleID int64, stemmed string) error {
	const query = `UPDATE article SET stemmed = $1,
		fts = CASE WHEN fts IS NULL THEN NULL ELSE ts_filter(fts, '{a,b}') || $3::tsvector END
		WHERE id = $2`
	if t.mine[articleID] {
		what := fmt.Sprintf("postgres: set article %d stemmed", articleID)
		if err := t.queue(what, query, stemmed, articleID, stemmedVector(stemmed)); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	tag, err := t.exec(ctx, query, stemmed, articleID, stemmedVector(stemmed))
	if err == nil {
		err = mustAffect(tag, articleID)
	}
	if err != nil {
		return fmt.Errorf("postgres: set article %d stemmed: %w", articleID, err)
	}
	return nil
}

func mustAffect(tag pgconn.CommandTag, id int64) error {
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("article %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// SetArticleStory moves an article to another story.
func (t *pgTx) SetArticleStory(ctx context.Context, articleID, storyID int64) error {
	tag, err := t.exec(ctx, "UPDATE article SET story = $1 WHERE id = $2", nullID(storyID), articleID)
	if err == nil {
		err = mustAffect(tag, articleID)
	}
	if err != nil {
		return fmt.Errorf("postgres: set article %d story %d: %w", articleID, storyID, err)
	}
	return nil
}

// Place records where the stream put an article.
func (t *pgTx) Place(ctx context.Context, articleID int64, p store.Placement) error {
	at, err := encodeTime(p.At)
	if err != nil {
		return fmt.Errorf("postgres: place article %d: %w", articleID, err)
	}
	const query = "UPDATE article SET story = $1, stream_story = $2, stream_at = $3, evicted = $4 WHERE id = $5"
	args := []any{nullID(p.Story), nullID(p.Stream), at, p.Evicted, articleID}
	if t.mine[articleID] {
		what := fmt.Sprintf("postgres: place article %d", articleID)
		if err := t.queue(what, query, args...); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	tag, err := t.exec(ctx, query, args...)
	if err == nil {
		err = mustAffect(tag, articleID)
	}
	if err != nil {
		return fmt.Errorf("postgres: place article %d: %w", articleID, err)
	}
	return nil
}

// SetEvicted marks articles as evicted from the assigner's memory.
func (t *pgTx) SetEvicted(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := t.exec(ctx, "UPDATE article SET evicted = true WHERE id = ANY($1)", ids); err != nil {
		return fmt.Errorf("postgres: set evicted: %w", err)
	}
	return nil
}

// SetEvictedStory moves the evicted articles of a stream story (all of its
// articles, with all) to a story of the readers' view.
func (t *pgTx) SetEvictedStory(ctx context.Context, stream, storyID int64, all bool) error {
	_, err := t.exec(ctx, `UPDATE article SET story = $1::bigint
		WHERE stream_story = $2 AND (evicted OR $3) AND story IS DISTINCT FROM $1::bigint`, nullID(storyID), stream, all)
	if err != nil {
		return fmt.Errorf("postgres: stream story %d into story %d: %w", stream, storyID, err)
	}
	return nil
}

// PutStreamStory inserts or replaces the state of a stream story.
func (t *pgTx) PutStreamStory(ctx context.Context, s store.StreamStory) error {
	first, err := encodeTime(s.First)
	if err == nil {
		var last any
		if last, err = encodeTime(s.Last); err == nil {
			err = t.queue(fmt.Sprintf("postgres: put stream story %d", s.ID), `INSERT INTO stream_story (id, first_at, last_at, restamped, changed, active)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET first_at = excluded.first_at,
				last_at = excluded.last_at, restamped = excluded.restamped, changed = excluded.changed,
				active = excluded.active`, s.ID, first, last, s.Restamped, s.Changed, s.Active)
		}
	}
	if err != nil {
		return fmt.Errorf("postgres: put stream story %d: %w", s.ID, err)
	}
	return nil
}

// PutParts replaces the settled halves' IDs.
func (t *pgTx) PutParts(ctx context.Context, parts map[int64]int64) error {
	founders, stories := make([]int64, 0, len(parts)), make([]int64, 0, len(parts))
	for f, id := range parts {
		founders, stories = append(founders, f), append(stories, id)
	}
	err := t.batch(ctx, stmt{"DELETE FROM story_part", nil},
		stmt{"INSERT INTO story_part (founder, story) SELECT * FROM unnest($1::bigint[], $2::bigint[])", []any{founders, stories}})
	if err != nil {
		return fmt.Errorf("postgres: put parts: %w", err)
	}
	return nil
}

// SetMeta stores value under key.
func (t *pgTx) SetMeta(ctx context.Context, key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	_, err := t.exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("postgres: set meta %s: %w", key, err)
	}
	return nil
}

// SetValidators records the ETag and Last-Modified of a URL; both empty
// forgets the URL.
func (t *pgTx) SetValidators(ctx context.Context, url, etag, lastModified string) error {
	var err error
	if etag == "" && lastModified == "" {
		_, err = t.exec(ctx, "DELETE FROM validator WHERE url = $1", url)
	} else {
		_, err = t.exec(ctx, `INSERT INTO validator (url, etag, last_modified, updated) VALUES ($1, $2, $3, $4)
			ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			updated = excluded.updated`, url, etag, lastModified, nowText())
	}
	if err != nil {
		return fmt.Errorf("postgres: set validators %s: %w", url, err)
	}
	return nil
}

// putStoryQuery takes the story's ID (the next of story_seq unless
// given, which story_seq then keeps if it is the highest), writes the
// story and drops its digest, in one statement.
const putStoryQuery = `WITH seq AS (
	UPDATE story_seq SET value = CASE WHEN $1::bigint IS NULL THEN value + 1 ELSE GREATEST(value, $1::bigint) END
	RETURNING COALESCE($1::bigint, value) AS id
), d AS (
	DELETE FROM story_digest WHERE story = (SELECT id FROM seq)
)
INSERT INTO story (id, headline, titles, first_seen, last_seen, articles, langs, outlets, top_terms)
SELECT id, $2, $3, $4, $5, $6, $7, $8, $9 FROM seq
ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, titles = excluded.titles,
	first_seen = excluded.first_seen, last_seen = excluded.last_seen, articles = excluded.articles,
	langs = excluded.langs, outlets = excluded.outlets, top_terms = excluded.top_terms
RETURNING id`

// PutStory inserts or replaces a story, and drops its digest. A story
// with an ID, whose write returns nothing new, waits for the next round
// trip (pgTx).
func (t *pgTx) PutStory(ctx context.Context, s *store.Story) error {
	if s == nil {
		return errors.New("postgres: put story: nil story")
	}
	first, err := encodeTime(s.FirstSeen)
	if err != nil {
		return fmt.Errorf("postgres: put story %d: first seen: %w", s.ID, err)
	}
	last, err := encodeTime(s.LastSeen)
	if err != nil {
		return fmt.Errorf("postgres: put story %d: last seen: %w", s.ID, err)
	}
	var titles any
	if len(s.Titles) > 0 {
		titles = s.Titles
	}
	args := []any{nullID(s.ID), s.Headline, titles, first, last, s.Articles,
		nullList(s.Langs), nullList(s.Outlets), nullList(s.TopTerms)}
	if s.ID != 0 {
		what := fmt.Sprintf("postgres: put story %d", s.ID)
		if err := t.queue(what, putStoryQuery, args...); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	var id int64
	err = t.queryRow(ctx, putStoryQuery, args...).Scan(&id)
	if err != nil {
		return fmt.Errorf("postgres: put story %d: %w", s.ID, err)
	}
	s.ID = id
	return nil
}

// nullList stores an empty list as NULL.
func nullList(l []string) any {
	if len(l) == 0 {
		return nil
	}
	return l
}

// PutDigest stores a story's digest.
func (t *pgTx) PutDigest(ctx context.Context, storyID int64, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	_, err := t.exec(ctx, `INSERT INTO story_digest (story, built, body) VALUES ($1, $2, $3)
		ON CONFLICT (story) DO UPDATE SET built = excluded.built, body = excluded.body`, storyID, nowText(), body)
	if err != nil {
		return fmt.Errorf("postgres: put digest of story %d: %w", storyID, err)
	}
	return nil
}

// DeleteStory removes a story and its digest.
func (t *pgTx) DeleteStory(ctx context.Context, id int64) error {
	_, err := t.exec(ctx, `WITH d AS (DELETE FROM story_digest WHERE story = $1) DELETE FROM story WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: delete story %d: %w", id, err)
	}
	return nil
}

// MoveStream moves every article of stream story from into stream story
// to; those readers saw in story from they now see in story.
func (t *pgTx) MoveStream(ctx context.Context, from, to, story int64) error {
	_, err := t.exec(ctx, `UPDATE article SET stream_story = $2,
		story = CASE WHEN story = $1 THEN $3::bigint ELSE story END WHERE stream_story = $1`, from, to, nullID(story))
	if err != nil {
		return fmt.Errorf("postgres: move stream story %d into %d: %w", from, to, err)
	}
	return nil
}

// AddStoryEvent records a merge or split.
func (t *pgTx) AddStoryEvent(ctx context.Context, e store.StoryEvent) error {
	// Checked here, not only by the table: a failed statement would end
	// the transaction.
	if e.Kind != store.EventMerge && e.Kind != store.EventSplit {
		return fmt.Errorf("postgres: story %d event: unknown kind %q", e.Story, e.Kind)
	}
	at, err := encodeTime(e.At)
	if err != nil {
		return fmt.Errorf("postgres: story %d event: %w", e.Story, err)
	}
	var arts any
	if len(e.Articles) > 0 {
		arts = e.Articles
	}
	_, err = t.exec(ctx, `INSERT INTO story_event (id, kind, story, other, at, detail, articles)
		VALUES (COALESCE($1, (SELECT COALESCE(MAX(id), 0) + 1 FROM story_event)), $2, $3, $4, $5, $6, $7)`,
		nullID(e.ID), e.Kind, e.Story, e.Other, at, e.Detail, arts)
	if err != nil {
		return fmt.Errorf("postgres: story %d %s event: %w", e.Story, e.Kind, err)
	}
	return nil
}

// Commit makes the batch durable; deferred reference checks run here.
// Whatever happens, the transaction ends and the writer's lock is freed.
func (t *pgTx) Commit() error {
	if t.done {
		return fmt.Errorf("postgres: commit: %w", errEnded)
	}
	t.done = true
	defer t.release()
	err := t.flush(t.ctx)
	if err == nil {
		err = t.tx.Commit(t.ctx)
	}
	if err != nil {
		rollback(t.ctx, t.tx)
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// Rollback discards the batch; after Commit or Rollback it does nothing.
func (t *pgTx) Rollback() error {
	if t.done {
		return nil
	}
	t.done = true
	t.pending = nil
	defer t.release()
	if err := rollback(t.ctx, t.tx); err != nil {
		return fmt.Errorf("postgres: rollback: %w", err)
	}
	return nil
}

func (t *pgTx) release() { <-t.s.writer }
