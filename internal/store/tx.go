package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
)

// sqliteTx is the SQLite Tx. Statements used once per article are prepared
// once per transaction.
type sqliteTx struct {
	ctx context.Context // Begin's, for the work Commit does
	tx  *sql.Tx
	// cache holds the writer's statements prepared on the database, and
	// prepared this transaction's copies of them: a batch commits every
	// quarter second, and compiling each statement again per batch, or
	// per call for a query passed as text, cost the writer as much as
	// running them (a tenth of its time, bench profile).
	cache    *stmtCache
	ckpt     *checkpointer // told of each commit
	prepared map[string]*sql.Stmt
	done     bool
	insert   *sql.Stmt
	place    *sql.Stmt
	stmts    intelStmts
	bands    *sql.Stmt // dedup.NumBands rows at once
	nearStmt *sql.Stmt // dedup.NumBands keys
	// unindexed lists the articles inserted by this batch, which Commit
	// adds to the full-text index in one statement.
	unindexed []int64
}

var (
	_ Tx            = (*sqliteTx)(nil)
	_ StemmedSetter = (*sqliteTx)(nil)
)

// intelStmts are the statements entity resolution runs for every article.
type intelStmts struct {
	byNorm, byKey, story, visible, entity, putEntity, putVariant, window *sql.Stmt
}

func (t *sqliteTx) prepare(ctx context.Context, p **sql.Stmt, query string) (*sql.Stmt, error) {
	if *p == nil {
		if st := t.stmt(ctx, query); st != nil {
			*p = st
			return st, nil
		}
		st, err := t.tx.PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		*p = st
	}
	return *p, nil
}

// stmt returns query prepared for this transaction, reusing the
// connection's compiled statement; nil when the cache is full or the
// query does not compile (running it unprepared reports the error).
func (t *sqliteTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if st, ok := t.prepared[query]; ok {
		return st
	}
	if t.cache == nil {
		return nil
	}
	base := t.cache.stmt(ctx, query)
	if base == nil {
		return nil
	}
	st := t.tx.StmtContext(ctx, base)
	if t.prepared == nil {
		t.prepared = map[string]*sql.Stmt{}
	}
	t.prepared[query] = st
	return st
}

// exec, query and queryRow run a statement of fixed text through stmt.
// Statements whose text varies with their arguments (IN lists of any
// length) go to t.tx directly, not to fill the cache.
func (t *sqliteTx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *sqliteTx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *sqliteTx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// byHashQuery goes through article_hash_any; the planner must not prefer a
// walk of the whole table in ID order to satisfy ORDER BY (TestQueryPlans).
const byHashQuery = "SELECT id FROM article WHERE content_hash = ? ORDER BY id LIMIT 1"

// ArticleByHash finds the earliest article, original or copy, with this
// content hash.
func (t *sqliteTx) ArticleByHash(ctx context.Context, hash string) (int64, bool, error) {
	if hash == "" {
		return 0, false, nil
	}
	var id int64
	err := t.queryRow(ctx, byHashQuery, hash).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("store: article by hash: %w", err)
	}
	return id, true, nil
}

// maxBandKeys bounds one NearDuplicates query well below SQLite's limit on
// bound parameters.
const maxBandKeys = 1024

func nearQuery(n int) string {
	// Count shared bands per article through the (key, article_id) primary
	// key: one index seek per band key, never a scan of the table.
	return `SELECT a.id, a.story, a.stream_story, a.minhash
		FROM (SELECT article_id, COUNT(*) AS n FROM band WHERE key IN (?` + strings.Repeat(",?", n-1) + `)
		      GROUP BY article_id ORDER BY n DESC, article_id LIMIT ` + fmt.Sprint(MaxCandidates) + `) AS c
		JOIN article AS a ON a.id = c.article_id
		WHERE a.duplicate_of IS NULL
		ORDER BY c.n DESC, a.id`
}

// NearDuplicates returns the originals sharing a band key with bands.
func (t *sqliteTx) NearDuplicates(ctx context.Context, bands []uint64) ([]Candidate, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	if len(bands) > maxBandKeys {
		return nil, fmt.Errorf("store: near duplicates: %d band keys, at most %d", len(bands), maxBandKeys)
	}
	args := make([]any, len(bands))
	for i, k := range bands {
		args[i] = int64(k) // SQLite integers are signed; the bits are kept
	}
	var (
		rows *sql.Rows
		err  error
	)
	if len(bands) == dedup.NumBands {
		var st *sql.Stmt
		if st, err = t.prepare(ctx, &t.nearStmt, nearQuery(dedup.NumBands)); err == nil {
			rows, err = st.QueryContext(ctx, args...)
		}
	} else {
		rows, err = t.query(ctx, nearQuery(len(bands)), args...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: near duplicates: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var (
			c             Candidate
			story, stream sql.NullInt64
			mh            []byte
		)
		if err := rows.Scan(&c.ID, &story, &stream, &mh); err != nil {
			return nil, fmt.Errorf("store: near duplicates: %w", err)
		}
		if c.MinHash, err = decodeMinHash(mh); err != nil {
			return nil, fmt.Errorf("store: near duplicates: article %d: %w", c.ID, err)
		}
		c.Story, c.Stream = story.Int64, stream.Int64
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: near duplicates: %w", err)
	}
	return out, nil
}

// InsertArticle stores a, sets a.ID and indexes its LSH bands.
func (t *sqliteTx) InsertArticle(ctx context.Context, a *article.Article) error {
	if a == nil {
		return errors.New("store: insert article: nil article")
	}
	published, err := encodeTime(a.Published)
	if err != nil {
		return fmt.Errorf("store: insert article %q: published: %w", a.Input, err)
	}
	fetched, err := encodeTime(a.Fetched)
	if err != nil {
		return fmt.Errorf("store: insert article %q: fetched: %w", a.Input, err)
	}
	stored, _ := encodeTime(time.Now())
	st, err := t.prepare(ctx, &t.insert, `INSERT INTO article (id, external_id, input, url, source, lang,
		title, text, author, dateline, published, fetched, stored, related, related_of, content_hash,
		minhash, duplicate_of, story) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("store: insert article: %w", err)
	}
	res, err := st.ExecContext(ctx, nullID(a.ID), a.ExternalID, a.Input, a.URL, a.Source, a.Lang,
		a.Title, a.Text, a.Author, a.Dateline, published, fetched, stored.String, a.Related,
		nullID(a.RelatedOf), nullString(a.ContentHash), encodeMinHash(a.MinHash), nullID(a.DuplicateOf),
		nullID(a.Story))
	if isUniqueViolation(err) && a.ContentHash != "" {
		return fmt.Errorf("store: insert article %q: %w", a.Input, ErrDuplicateHash)
	}
	if err != nil {
		return fmt.Errorf("store: insert article %q: %w", a.Input, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("store: insert article %q: %w", a.Input, err)
	}
	if a.DuplicateOf == 0 {
		// Copies are never candidates (their original is), so their bands
		// would only cost space and lookups.
		if err := t.insertBands(ctx, id, dedup.Bands(a.MinHash)); err != nil {
			return fmt.Errorf("store: insert article %q: bands: %w", a.Input, err)
		}
	}
	a.ID = id
	t.unindexed = append(t.unindexed, id)
	return nil
}

func (t *sqliteTx) insertBands(ctx context.Context, id int64, keys []uint64) error {
	if len(keys) != dedup.NumBands {
		return nil // no signature
	}
	st, err := t.prepare(ctx, &t.bands, "INSERT INTO band (key, article_id) VALUES (?, ?)"+
		strings.Repeat(", (?, ?)", dedup.NumBands-1))
	if err != nil {
		return err
	}
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, int64(k), id)
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// SetArticleStory moves an article to another story.
func (t *sqliteTx) SetArticleStory(ctx context.Context, articleID, storyID int64) error {
	res, err := t.exec(ctx, "UPDATE article SET story = ? WHERE id = ?", nullID(storyID), articleID)
	if err == nil {
		err = mustAffect(res, articleID)
	}
	if err != nil {
		return fmt.Errorf("store: set article %d story %d: %w", articleID, storyID, err)
	}
	return nil
}

// Place records where the stream put an article.
func (t *sqliteTx) Place(ctx context.Context, articleID int64, p Placement) error {
	at, err := encodeTime(p.At)
	if err != nil {
		return fmt.Errorf("store: place article %d: %w", articleID, err)
	}
	st, err := t.prepare(ctx, &t.place, "UPDATE article SET story = ?, stream_story = ?, stream_at = ?, evicted = ? WHERE id = ?")
	var res sql.Result
	if err == nil {
		res, err = st.ExecContext(ctx, nullID(p.Story), nullID(p.Stream), at, p.Evicted, articleID)
	}
	if err == nil {
		err = mustAffect(res, articleID)
	}
	if err != nil {
		return fmt.Errorf("store: place article %d: %w", articleID, err)
	}
	return nil
}

// SetEvicted marks articles as evicted from the assigner's memory.
func (t *sqliteTx) SetEvicted(ctx context.Context, ids []int64) error {
	for len(ids) > 0 {
		n := min(len(ids), maxBandKeys)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		_, err := t.tx.ExecContext(ctx, "UPDATE article SET evicted = 1 WHERE id IN (?"+strings.Repeat(",?", n-1)+")", args...)
		if err != nil {
			return fmt.Errorf("store: set evicted: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}

// SetEvictedStory moves the evicted articles of a stream story (all of its
// articles, with all) to a story of the readers' view.
func (t *sqliteTx) SetEvictedStory(ctx context.Context, stream, storyID int64, all bool) error {
	q := "UPDATE article SET story = ?1 WHERE stream_story = ?2 AND evicted = 1 AND story IS NOT ?1"
	if all {
		q = "UPDATE article SET story = ?1 WHERE stream_story = ?2 AND story IS NOT ?1"
	}
	if _, err := t.exec(ctx, q, nullID(storyID), stream); err != nil {
		return fmt.Errorf("store: stream story %d into story %d: %w", stream, storyID, err)
	}
	return nil
}

// PutStreamStory inserts or replaces the state of a stream story.
func (t *sqliteTx) PutStreamStory(ctx context.Context, s StreamStory) error {
	first, err := encodeTime(s.First)
	if err == nil {
		var last sql.NullString
		if last, err = encodeTime(s.Last); err == nil {
			_, err = t.exec(ctx, `INSERT INTO stream_story (id, first_at, last_at, restamped, changed, active)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET first_at = excluded.first_at,
				last_at = excluded.last_at, restamped = excluded.restamped, changed = excluded.changed,
				active = excluded.active`, s.ID, first, last, s.Restamped, s.Changed, s.Active)
		}
	}
	if err != nil {
		return fmt.Errorf("store: put stream story %d: %w", s.ID, err)
	}
	return nil
}

// PutParts replaces the settled halves' IDs.
func (t *sqliteTx) PutParts(ctx context.Context, parts map[int64]int64) error {
	if _, err := t.exec(ctx, "DELETE FROM story_part"); err != nil {
		return fmt.Errorf("store: put parts: %w", err)
	}
	for f, id := range parts {
		if _, err := t.exec(ctx, "INSERT INTO story_part (founder, story) VALUES (?, ?)", f, id); err != nil {
			return fmt.Errorf("store: put parts: %w", err)
		}
	}
	return nil
}

// SetMeta stores value under key.
func (t *sqliteTx) SetMeta(ctx context.Context, key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	_, err := t.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("store: set meta %s: %w", key, err)
	}
	return nil
}

// SetValidators records the ETag and Last-Modified of a URL; both empty
// forgets the URL.
func (t *sqliteTx) SetValidators(ctx context.Context, url, etag, lastModified string) error {
	var err error
	if etag == "" && lastModified == "" {
		_, err = t.exec(ctx, "DELETE FROM validator WHERE url = ?", url)
	} else {
		now, _ := encodeTime(time.Now())
		_, err = t.exec(ctx, `INSERT INTO validator(url, etag, last_modified, updated) VALUES (?, ?, ?, ?)
			ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			updated = excluded.updated`, url, etag, lastModified, now.String)
	}
	if err != nil {
		return fmt.Errorf("store: set validators %s: %w", url, err)
	}
	return nil
}

// SetStemmed fills the article's stemmed full-text column.
func (t *sqliteTx) SetStemmed(ctx context.Context, articleID int64, stemmed string) error {
	if err := t.setStemmed(ctx, articleID, stemmed); err != nil {
		return fmt.Errorf("store: set article %d stemmed: %w", articleID, err)
	}
	return nil
}

func (t *sqliteTx) setStemmed(ctx context.Context, id int64, stemmed string) error {
	if slices.Contains(t.unindexed, id) {
		// Not in the index yet: Commit indexes the new value.
		res, err := t.exec(ctx, "UPDATE article SET stemmed = ? WHERE id = ?", stemmed, id)
		if err != nil {
			return err
		}
		return mustAffect(res, id)
	}
	// An external-content FTS5 row is removed by giving it the values it
	// was indexed with, so the old row goes out before the column changes.
	res, err := t.exec(ctx, `INSERT INTO article_fts(article_fts, rowid, title, text, stemmed, lang_token)
		SELECT 'delete', id, title, text, stemmed, lang_token FROM article WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if err := mustAffect(res, id); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "UPDATE article SET stemmed = ? WHERE id = ?", stemmed, id); err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO article_fts(rowid, title, text, stemmed, lang_token)
		SELECT id, title, text, stemmed, lang_token FROM article WHERE id = ?`, id)
	return err
}

// index adds the batch's new articles to the full-text index.
func (t *sqliteTx) index(ctx context.Context) error {
	for ids := t.unindexed; len(ids) > 0; {
		n := min(len(ids), maxBandKeys)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		_, err := t.exec(ctx, `INSERT INTO article_fts(rowid, title, text, stemmed, lang_token)
			SELECT id, title, text, stemmed, lang_token FROM article WHERE id IN (?`+strings.Repeat(",?", n-1)+`)`, args...)
		if err != nil {
			return err
		}
		ids = ids[n:]
	}
	t.unindexed = nil
	return nil
}

func mustAffect(res sql.Result, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("article %d: %w", id, ErrNotFound)
	}
	return nil
}

// jsonOrNull encodes v, storing empty maps and lists as NULL.
func jsonOrNull(v any, empty bool) (sql.NullString, error) {
	if empty {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// PutStory inserts or replaces a story.
func (t *sqliteTx) PutStory(ctx context.Context, s *Story) error {
	if s == nil {
		return errors.New("store: put story: nil story")
	}
	first, err := encodeTime(s.FirstSeen)
	if err != nil {
		return fmt.Errorf("store: put story %d: first seen: %w", s.ID, err)
	}
	last, err := encodeTime(s.LastSeen)
	if err != nil {
		return fmt.Errorf("store: put story %d: last seen: %w", s.ID, err)
	}
	var enc [4]sql.NullString
	for i, f := range []struct {
		v     any
		empty bool
	}{{s.Titles, len(s.Titles) == 0}, {s.Langs, len(s.Langs) == 0}, {s.Outlets, len(s.Outlets) == 0}, {s.TopTerms, len(s.TopTerms) == 0}} {
		if enc[i], err = jsonOrNull(f.v, f.empty); err != nil {
			return fmt.Errorf("store: put story %d: %w", s.ID, err)
		}
	}
	res, err := t.exec(ctx, `INSERT INTO story (id, headline, titles, first_seen, last_seen,
		articles, langs, outlets, top_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET headline = excluded.headline, titles = excluded.titles,
		first_seen = excluded.first_seen, last_seen = excluded.last_seen, articles = excluded.articles,
		langs = excluded.langs, outlets = excluded.outlets, top_terms = excluded.top_terms`,
		nullID(s.ID), s.Headline, enc[0], first, last, s.Articles, enc[1], enc[2], enc[3])
	if err != nil {
		return fmt.Errorf("store: put story %d: %w", s.ID, err)
	}
	if s.ID == 0 {
		if s.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("store: put story: %w", err)
		}
	}
	// The story changed: its digest is out of date.
	if _, err := t.exec(ctx, "DELETE FROM story_digest WHERE story = ?", s.ID); err != nil {
		return fmt.Errorf("store: put story %d: %w", s.ID, err)
	}
	return nil
}

// PutDigest stores a story's digest.
func (t *sqliteTx) PutDigest(ctx context.Context, storyID int64, body []byte) error {
	now, _ := encodeTime(time.Now())
	_, err := t.exec(ctx, `INSERT INTO story_digest (story, built, body) VALUES (?, ?, ?)
		ON CONFLICT(story) DO UPDATE SET built = excluded.built, body = excluded.body`, storyID, now, body)
	if err != nil {
		return fmt.Errorf("store: put digest of story %d: %w", storyID, err)
	}
	return nil
}

// DeleteStory removes a story.
func (t *sqliteTx) DeleteStory(ctx context.Context, id int64) error {
	for _, q := range []string{"DELETE FROM story WHERE id = ?", "DELETE FROM story_digest WHERE story = ?"} {
		if _, err := t.exec(ctx, q, id); err != nil {
			return fmt.Errorf("store: delete story %d: %w", id, err)
		}
	}
	return nil
}

// MoveStream moves every article of stream story from into stream story
// to, those no longer in anyone's memory included; those readers saw in
// story from they now see in story.
func (t *sqliteTx) MoveStream(ctx context.Context, from, to, story int64) error {
	_, err := t.exec(ctx, `UPDATE article SET stream_story = ?2,
		story = CASE WHEN story = ?1 THEN ?3 ELSE story END WHERE stream_story = ?1`, from, to, nullID(story))
	if err != nil {
		return fmt.Errorf("store: move stream story %d into %d: %w", from, to, err)
	}
	return nil
}

// AddStoryEvent records a merge or split.
func (t *sqliteTx) AddStoryEvent(ctx context.Context, e StoryEvent) error {
	at, err := encodeTime(e.At)
	if err != nil {
		return fmt.Errorf("store: story %d event: %w", e.Story, err)
	}
	arts, err := jsonOrNull(e.Articles, len(e.Articles) == 0)
	if err != nil {
		return fmt.Errorf("store: story %d event: %w", e.Story, err)
	}
	_, err = t.exec(ctx, `INSERT INTO story_event (id, kind, story, other, at, detail, articles)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, nullID(e.ID), e.Kind, e.Story, e.Other, at, e.Detail, arts)
	if err != nil {
		return fmt.Errorf("store: story %d %s event: %w", e.Story, e.Kind, err)
	}
	return nil
}

// Commit makes the batch durable; deferred reference checks run here.
func (t *sqliteTx) Commit() error {
	if t.done {
		return errors.New("store: commit: transaction already ended")
	}
	t.done = true
	if err := t.index(t.ctx); err != nil {
		_ = t.tx.Rollback()
		return fmt.Errorf("store: commit: full-text index: %w", err)
	}
	// A failed COMMIT (a dangling reference, say) is rolled back by the
	// driver, so the batch is lost whole and the connection comes back clean.
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	if t.ckpt != nil {
		t.ckpt.committed()
	}
	return nil
}

// Rollback discards the batch; after Commit or Rollback it does nothing.
func (t *sqliteTx) Rollback() error {
	if t.done {
		return nil
	}
	t.done = true
	if err := t.tx.Rollback(); err != nil {
		return fmt.Errorf("store: rollback: %w", err)
	}
	return nil
}
