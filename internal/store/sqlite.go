package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// FileName is the database file Open creates inside its folder.
const FileName = "storyline.db"

// SQLite is the embedded Store: one database file in WAL mode, so readers
// never wait for the writer. It implements Store.
type SQLite struct {
	db   *sql.DB
	path string
}

var _ Store = (*SQLite)(nil)

// Open opens (creating if needed) the database in dir/storyline.db and
// brings its schema up to date.
func Open(ctx context.Context, dir string) (*SQLite, error) {
	if strings.ContainsRune(dir, '?') {
		return nil, fmt.Errorf("store: open %q: folder name must not contain '?'", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// Every pooled connection runs these pragmas. busy_timeout makes a
	// second writer wait rather than fail; _txlock=immediate takes the write
	// lock at BEGIN, so two batches never deadlock upgrading read locks.
	// synchronous=FULL: a committed batch survives power loss, at one fsync
	// per batch. temp_store=memory keeps statement journals (written for
	// every multi-row insert) off the disk.
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=temp_store(memory)" +
		"&_pragma=cache_size(-16000)&_pragma=mmap_size(1073741824)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxIdleConns(4)
	s := &SQLite{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// Path returns the database file's path.
func (s *SQLite) Path() string { return s.path }

// Close closes the database.
func (s *SQLite) Close() error {
	// optimize keeps the planner's statistics fresh; failure is harmless.
	_, _ = s.db.Exec("PRAGMA optimize")
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// SchemaVersion returns the number of migrations applied.
func (s *SQLite) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

func (s *SQLite) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("schema_version: %w", err)
	}
	for {
		done, err := s.migrateOne(ctx)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next migration, if any, in one transaction; the
// version is read inside it so two processes opening at once apply it once.
func (s *SQLite) migrateOne(ctx context.Context) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v); err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	switch {
	case v > len(migrations):
		return false, fmt.Errorf("migrate: database schema version %d is newer than this program's %d", v, len(migrations))
	case v == len(migrations):
		return true, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM schema_version"); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version(version) VALUES (?)", v+1); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	return false, nil
}

// Begin starts a write transaction.
func (s *SQLite) Begin(ctx context.Context) (Tx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	return &sqliteTx{ctx: ctx, tx: tx}, nil
}

const articleColumns = `id, external_id, input, url, source, lang, title, text, author, dateline,
	published, fetched, related, related_of, content_hash, minhash, duplicate_of, story`

func scanArticle(sc interface{ Scan(...any) error }) (*article.Article, error) {
	var (
		a                        article.Article
		published, fetched, hash sql.NullString
		relatedOf, dupOf, story  sql.NullInt64
		minhash                  []byte
	)
	err := sc.Scan(&a.ID, &a.ExternalID, &a.Input, &a.URL, &a.Source, &a.Lang, &a.Title, &a.Text,
		&a.Author, &a.Dateline, &published, &fetched, &a.Related, &relatedOf, &hash, &minhash, &dupOf, &story)
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
	a.RelatedOf, a.ContentHash, a.DuplicateOf, a.Story = relatedOf.Int64, hash.String, dupOf.Int64, story.Int64
	return &a, nil
}

func (s *SQLite) walk(ctx context.Context, what, query string, fn func(*article.Article) error, args ...any) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return fmt.Errorf("store: %s: %w", what, err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// Articles calls fn for every article in ID order.
func (s *SQLite) Articles(ctx context.Context, fn func(*article.Article) error) error {
	return s.walk(ctx, "articles", "SELECT "+articleColumns+" FROM article ORDER BY id", fn)
}

// ArticlesSince calls fn for the articles dated at or after t, in ID order.
func (s *SQLite) ArticlesSince(ctx context.Context, t time.Time, fn func(*article.Article) error) error {
	if t.IsZero() {
		return s.Articles(ctx, fn)
	}
	since, err := encodeTime(t)
	if err != nil {
		return fmt.Errorf("store: articles since: %w", err)
	}
	return s.walk(ctx, "articles since", sinceQuery, fn, since)
}

// Latest returns the latest COALESCE(published, fetched, stored).
func (s *SQLite) Latest(ctx context.Context) (time.Time, error) {
	var v sql.NullString
	err := s.db.QueryRowContext(ctx,
		"SELECT MAX(COALESCE(published, fetched, stored)) FROM article INDEXED BY article_time").Scan(&v)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: latest: %w", err)
	}
	t, err := decodeTime(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: latest: %w", err)
	}
	return t, nil
}

// sinceQuery finds the IDs through the time index, then reads the rows in ID
// order; the sorted ID list is small where sorting whole rows would not be.
const sinceQuery = "SELECT " + articleColumns + ` FROM article WHERE id IN (
	SELECT id FROM article INDEXED BY article_time WHERE COALESCE(published, fetched, stored) >= ?)
	ORDER BY id`

// Article returns the article with this ID.
func (s *SQLite) Article(ctx context.Context, id int64) (*article.Article, error) {
	a, err := scanArticle(s.db.QueryRowContext(ctx, "SELECT "+articleColumns+" FROM article WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: article %d: %w", id, err)
	}
	return a, nil
}

const storyColumns = `id, headline, titles, first_seen, last_seen, articles, langs, outlets, top_terms`

// Stories returns every story, most recently seen first.
func (s *SQLite) Stories(ctx context.Context) ([]Story, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+storyColumns+` FROM story ORDER BY last_seen DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: stories: %w", err)
	}
	defer rows.Close()
	var out []Story
	for rows.Next() {
		st, err := scanStory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: stories: %w", err)
	}
	return out, nil
}

// Story returns one story, or an error matching ErrNotFound.
func (s *SQLite) Story(ctx context.Context, id int64) (Story, error) {
	st, err := scanStory(s.db.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM story WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Story{}, fmt.Errorf("store: story %d: %w", id, ErrNotFound)
	}
	return st, err
}

// scanStory reads the storyColumns of one row.
func scanStory(row interface{ Scan(...any) error }) (Story, error) {
	var (
		st                            Story
		titles, langs, outlets, terms sql.NullString
		first, last                   sql.NullString
	)
	err := row.Scan(&st.ID, &st.Headline, &titles, &first, &last, &st.Articles, &langs, &outlets, &terms)
	if errors.Is(err, sql.ErrNoRows) {
		return st, err
	}
	if err != nil {
		return st, fmt.Errorf("store: stories: %w", err)
	}
	if st.FirstSeen, err = decodeTime(first); err == nil {
		st.LastSeen, err = decodeTime(last)
	}
	for _, f := range []struct {
		src sql.NullString
		dst any
	}{{titles, &st.Titles}, {langs, &st.Langs}, {outlets, &st.Outlets}, {terms, &st.TopTerms}} {
		if err == nil && f.src.Valid {
			err = json.Unmarshal([]byte(f.src.String), f.dst)
		}
	}
	if err != nil {
		return st, fmt.Errorf("store: story %d: %w", st.ID, err)
	}
	return st, nil
}

// StoryEvents returns the events naming the story on either side, oldest first.
func (s *SQLite) StoryEvents(ctx context.Context, storyID int64) ([]StoryEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, story, other, at, detail FROM story_event
		WHERE story = ?1 OR other = ?1 ORDER BY at, id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("store: story %d events: %w", storyID, err)
	}
	defer rows.Close()
	var out []StoryEvent
	for rows.Next() {
		var (
			e  StoryEvent
			at sql.NullString
		)
		if err := rows.Scan(&e.ID, &e.Kind, &e.Story, &e.Other, &at, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: story %d events: %w", storyID, err)
		}
		if e.At, err = decodeTime(at); err != nil {
			return nil, fmt.Errorf("store: story event %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: story %d events: %w", storyID, err)
	}
	return out, nil
}

// MaxStoryID returns the highest story ID used by a story, an article or an
// event, so that IDs of merged-away stories are not handed out again.
func (s *SQLite) MaxStoryID(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(
		(SELECT COALESCE(MAX(id), 0) FROM story),
		(SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'story'),
		(SELECT COALESCE(MAX(story), 0) FROM article),
		(SELECT COALESCE(MAX(story), 0) FROM story_event),
		(SELECT COALESCE(MAX(other), 0) FROM story_event))`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: max story id: %w", err)
	}
	return id, nil
}

// Validators returns the stored ETag and Last-Modified of a URL.
func (s *SQLite) Validators(ctx context.Context, url string) (etag, lastModified string, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT etag, last_modified FROM validator WHERE url = ?", url).Scan(&etag, &lastModified)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("store: validators %s: %w", url, err)
	}
	return etag, lastModified, nil
}

// SetValidators records the ETag and Last-Modified of a URL; both empty
// forgets the URL.
func (s *SQLite) SetValidators(ctx context.Context, url, etag, lastModified string) error {
	var err error
	if etag == "" && lastModified == "" {
		_, err = s.db.ExecContext(ctx, "DELETE FROM validator WHERE url = ?", url)
	} else {
		now, _ := encodeTime(time.Now())
		_, err = s.db.ExecContext(ctx, `INSERT INTO validator(url, etag, last_modified, updated) VALUES (?, ?, ?, ?)
			ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			updated = excluded.updated`, url, etag, lastModified, now.String)
	}
	if err != nil {
		return fmt.Errorf("store: set validators %s: %w", url, err)
	}
	return nil
}

// Counts returns the numbers of articles and stories.
func (s *SQLite) Counts(ctx context.Context) (articles, stories int64, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM article), (SELECT COUNT(*) FROM story)").
		Scan(&articles, &stories)
	if err != nil {
		return 0, 0, fmt.Errorf("store: counts: %w", err)
	}
	return articles, stories, nil
}

// Search returns the IDs of up to limit articles matching an FTS5 query
// (https://sqlite.org/fts5.html#full_text_query_syntax) over title, text and
// stemmed, best first by BM25 with title matches weighted up. A malformed
// query is an error, not a panic.
func (s *SQLite) Search(ctx context.Context, query string, limit int) ([]int64, error) {
	if limit <= 0 || strings.TrimSpace(query) == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT rowid FROM article_fts WHERE article_fts MATCH ?
		ORDER BY bm25(article_fts, 4.0, 1.0, 1.0), rowid LIMIT ?`, query, limit)
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", query, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: search %q: %w", query, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search %q: %w", query, err)
	}
	return ids, nil
}

// timeLayout is fixed-width UTC, so stored times compare correctly as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func encodeTime(t time.Time) (sql.NullString, error) {
	if t.IsZero() {
		return sql.NullString{}, nil
	}
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return sql.NullString{}, fmt.Errorf("time %v out of range (years 0-9999)", t)
	}
	return sql.NullString{String: t.Format(timeLayout), Valid: true}, nil
}

func decodeTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return time.Parse(timeLayout, s.String)
}

func encodeMinHash(sig []uint64) []byte {
	if len(sig) == 0 {
		return nil
	}
	b := make([]byte, 8*len(sig))
	for i, v := range sig {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b
}

func decodeMinHash(b []byte) ([]uint64, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if len(b)%8 != 0 {
		return nil, fmt.Errorf("minhash of %d bytes", len(b))
	}
	sig := make([]uint64, len(b)/8)
	for i := range sig {
		sig[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return sig, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// isUniqueViolation reports a UNIQUE constraint failure.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}
