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
	"slices"
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
	db       *sql.DB
	read     *stmtCache // the reading queries, prepared
	write    *stmtCache // the writer's statements, prepared once (see sqliteTx.stmt)
	path     string
	readOnly bool
	lock     *dirLock      // held by a writable store
	ckpt     *checkpointer // a writable store's
}

var _ Store = (*SQLite)(nil)

// maxIdleConns is how many pooled connections stay open between uses.
// Each new connection runs the pragmas and prepares its statements again;
// with 50 clients at once and 4 kept, most requests paid for that.
const maxIdleConns = 32

// ErrReadOnly is returned by writes to a store opened with OpenReadOnly.
var ErrReadOnly = errors.New("store: opened read-only")

// Options tune Open.
type Options struct {
	// Waiting is called once, with the holder's description, when another
	// process holds the store's write lock; Open then waits for it (or for
	// ctx). Nil waits silently.
	Waiting func(holder string)
	// Holder describes this process in the lock file for others' Waiting
	// ("storyline ingest"); the process ID is added.
	Holder string
}

// Open opens (creating if needed) the database in dir/storyline.db for
// writing and brings its schema up to date. One process writes a store at
// a time: Open takes an exclusive lock on the folder, waiting while another
// process holds it, and Close releases it.
func Open(ctx context.Context, dir string, opt ...Options) (*SQLite, error) {
	var o Options
	if len(opt) > 0 {
		o = opt[0]
	}
	if strings.ContainsRune(dir, '?') {
		return nil, fmt.Errorf("store: open %q: folder name must not contain '?'", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	lock, err := lockDir(ctx, dir, o.Holder, o.Waiting)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dir, err)
	}
	s, err := openDB(ctx, dir)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func openDB(ctx context.Context, dir string) (*SQLite, error) {
	path := filepath.Join(dir, FileName)
	// Every pooled connection runs these pragmas. busy_timeout makes a
	// second writer wait rather than fail; _txlock=immediate takes the write
	// lock at BEGIN, so two batches never deadlock upgrading read locks.
	// synchronous=FULL: a committed batch survives power loss, at one fsync
	// per batch. temp_store=memory keeps statement journals (written for
	// every multi-row insert) off the disk. mmap_size(0): nothing of the
	// database is mapped into memory. Mapped pages count in the process's
	// RSS as far as they are read, once for each connection that maps
	// them: at 64 MiB a connection, the ingest's file-backed RSS swung
	// between 64 and 165 MiB from 50k to 140k generated articles (the
	// writer's and a reader's maps both full), and RSS with it, above 1 GB.
	// Unmapped, pages are read through the OS page cache, which counts in
	// no process's RSS, into SQLite's own cache (cache_size, 16 MiB a
	// connection, a bound). 64 MiB → 0 on the 20k generated run
	// (storyline bench --articles 20000 --days 7): file-backed RSS 102–108
	// → 46–47 MiB, no CPU cost seen (9.38 against 9.02 ms an article, one
	// pair in turn; runs of one binary differ by ±4%); BenchmarkSearch's
	// queries no slower (p50 3–41 ms against 5–47). wal_autocheckpoint:
	// see autoCheckpointPages.
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=temp_store(memory)" +
		"&_pragma=cache_size(-16000)&_pragma=mmap_size(0)" +
		fmt.Sprintf("&_pragma=wal_autocheckpoint(%d)", autoCheckpointPages) + "&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxIdleConns(maxIdleConns)
	s := &SQLite{db: db, path: path, read: &stmtCache{db: db}, write: &stmtCache{db: db}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.ckpt = startCheckpointer(db)
	return s, nil
}

// OpenReadOnly opens the existing database in dir for reading. It takes no
// lock and writes nothing, not even a migration, so it never waits for a
// writer: in WAL mode readers see the last committed batch.
func OpenReadOnly(ctx context.Context, dir string) (*SQLite, error) {
	path := filepath.Join(dir, FileName)
	if strings.ContainsRune(dir, '?') {
		return nil, fmt.Errorf("store: open %q: folder name must not contain '?'", dir)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// mode=ro: no write can start, so no lock beyond WAL's shared reads.
	// query_only stops a stray write early with a clear error. mmap_size
	// as the writer's, for the same reason, the more so as a server keeps
	// up to maxIdleConns readers, each of which would map the file anew.
	dsn := "file:" + path + "?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)" +
		"&_pragma=cache_size(-16000)&_pragma=mmap_size(0)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxIdleConns(maxIdleConns)
	s := &SQLite{db: db, path: path, readOnly: true, read: &stmtCache{db: db}}
	v, err := s.SchemaVersion(ctx)
	if err == nil && v != len(migrations) {
		err = fmt.Errorf("schema version %d, this program's is %d: run a writing command (storyline ingest) first to upgrade it", v, len(migrations))
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// Path returns the database file's path.
func (s *SQLite) Path() string { return s.path }

// Close closes the database and releases the write lock.
func (s *SQLite) Close() error {
	if !s.readOnly {
		// optimize keeps the planner's statistics fresh; failure is harmless.
		_, _ = s.db.Exec("PRAGMA optimize")
	}
	if s.ckpt != nil {
		s.ckpt.close()
	}
	s.read.close()
	if s.write != nil {
		s.write.close()
	}
	err := s.db.Close()
	s.lock.release()
	if err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// SchemaVersion returns the number of migrations applied.
func (s *SQLite) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.read.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v)
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
	if s.readOnly {
		return nil, fmt.Errorf("store: begin: %w", ErrReadOnly)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	return &sqliteTx{ctx: ctx, tx: tx, cache: s.write, ckpt: s.ckpt}, nil
}

const articleColumns = `id, external_id, input, url, source, lang, title, text, author, dateline,
	published, fetched, related, related_of, content_hash, minhash, duplicate_of, story`

// placementColumns follow articleColumns in the queries that need both.
const placementColumns = `stream_story, stream_at, evicted`

// scanArticle reads the articleColumns of a row, then any extra columns
// into extra.
func scanArticle(sc interface{ Scan(...any) error }, extra ...any) (*article.Article, error) {
	var (
		a                        article.Article
		published, fetched, hash sql.NullString
		relatedOf, dupOf, story  sql.NullInt64
		minhash                  []byte
	)
	err := sc.Scan(append([]any{&a.ID, &a.ExternalID, &a.Input, &a.URL, &a.Source, &a.Lang, &a.Title, &a.Text,
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
	a.RelatedOf, a.ContentHash, a.DuplicateOf, a.Story = relatedOf.Int64, hash.String, dupOf.Int64, story.Int64
	return &a, nil
}

func (s *SQLite) walk(ctx context.Context, what, query string, fn func(*article.Article) error, args ...any) error {
	rows, err := s.read.QueryContext(ctx, query, args...)
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

// replayQuery reads the articles after an ID through the primary key and
// those held in memory through article_stream, never the whole table.
const replayQuery = "SELECT " + articleColumns + ", " + placementColumns + ` FROM article
	WHERE id > ?1 UNION ALL
	SELECT ` + articleColumns + ", " + placementColumns + ` FROM article WHERE id <= ?1 AND evicted = 0
		AND stream_story IN (SELECT id FROM stream_story WHERE active = 1)
	ORDER BY id`

// Replay calls fn for the articles after ID after and those active stream
// stories hold in memory, in ID order, with their placement.
func (s *SQLite) Replay(ctx context.Context, after int64, fn func(*article.Article, Placement) error) error {
	rows, err := s.read.QueryContext(ctx, replayQuery, after)
	if err != nil {
		return fmt.Errorf("store: replay: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			p      Placement
			stream sql.NullInt64
			at     sql.NullString
		)
		a, err := scanArticle(rows, &stream, &at, &p.Evicted)
		if err == nil {
			p.At, err = decodeTime(at)
		}
		if err != nil {
			return fmt.Errorf("store: replay: %w", err)
		}
		p.Story, p.Stream = a.Story, stream.Int64
		if err := fn(a, p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: replay: %w", err)
	}
	return nil
}

// StreamStories returns the active stories of the stream, by ID.
func (s *SQLite) StreamStories(ctx context.Context) ([]StreamStory, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, first_at, last_at, restamped, changed FROM stream_story
		WHERE active = 1 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: stream stories: %w", err)
	}
	defer rows.Close()
	var out []StreamStory
	for rows.Next() {
		st := StreamStory{Active: true}
		var first, last sql.NullString
		err := rows.Scan(&st.ID, &first, &last, &st.Restamped, &st.Changed)
		if err == nil {
			if st.First, err = decodeTime(first); err == nil {
				st.Last, err = decodeTime(last)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("store: stream stories: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: stream stories: %w", err)
	}
	return out, nil
}

// Evicted describes the evicted articles of each active stream story.
func (s *SQLite) Evicted(ctx context.Context) ([]EvictedTally, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT stream_story, id, source, lang, title, stream_at, story
		FROM article WHERE evicted = 1 AND stream_story IN (SELECT id FROM stream_story WHERE active = 1)
		ORDER BY stream_story, id`)
	if err != nil {
		return nil, fmt.Errorf("store: evicted: %w", err)
	}
	defer rows.Close()
	var (
		out            []EvictedTally
		outlets, langs map[string]bool
		cur            *EvictedTally
	)
	finish := func() {
		if cur != nil {
			cur.Outlets, cur.Langs = sortedSet(outlets), sortedSet(langs)
			out = append(out, *cur)
		}
	}
	for rows.Next() {
		var (
			stream, id, story   int64
			source, lang, title string
			at                  sql.NullString
		)
		if err := rows.Scan(&stream, &id, &source, &lang, &title, &at, &story); err != nil {
			return nil, fmt.Errorf("store: evicted: %w", err)
		}
		if cur == nil || cur.Stream != stream {
			finish()
			cur = &EvictedTally{Stream: stream, Story: story}
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
			return nil, fmt.Errorf("store: evicted: article %d: %w", id, err)
		}
		if !t.IsZero() && (cur.First.IsZero() || t.Before(cur.First)) {
			cur.First = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: evicted: %w", err)
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
func (s *SQLite) Parts(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT founder, story FROM story_part")
	if err != nil {
		return nil, fmt.Errorf("store: parts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var f, id int64
		if err := rows.Scan(&f, &id); err != nil {
			return nil, fmt.Errorf("store: parts: %w", err)
		}
		out[f] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: parts: %w", err)
	}
	return out, nil
}

// Meta returns the value stored under key, nil when there is none.
func (s *SQLite) Meta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.read.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: meta %s: %w", key, err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// Article returns the article with this ID.
func (s *SQLite) Article(ctx context.Context, id int64) (*article.Article, error) {
	a, err := scanArticle(s.read.QueryRowContext(ctx, "SELECT "+articleColumns+" FROM article WHERE id = ?", id))
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
	rows, err := s.read.QueryContext(ctx, `SELECT `+storyColumns+` FROM story ORDER BY last_seen DESC, id DESC`)
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
	st, err := scanStory(s.read.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM story WHERE id = ?`, id))
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
	rows, err := s.read.QueryContext(ctx, `SELECT id, kind, story, other, at, detail, articles FROM story_event
		WHERE story = ?1 OR other = ?1 ORDER BY at, id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("store: story %d events: %w", storyID, err)
	}
	defer rows.Close()
	var out []StoryEvent
	for rows.Next() {
		var (
			e        StoryEvent
			at, arts sql.NullString
		)
		if err := rows.Scan(&e.ID, &e.Kind, &e.Story, &e.Other, &at, &e.Detail, &arts); err != nil {
			return nil, fmt.Errorf("store: story %d events: %w", storyID, err)
		}
		if arts.Valid {
			if err := json.Unmarshal([]byte(arts.String), &e.Articles); err != nil {
				return nil, fmt.Errorf("store: story event %d: %w", e.ID, err)
			}
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
	err := s.read.QueryRowContext(ctx, `SELECT MAX(
		(SELECT COALESCE(MAX(id), 0) FROM story),
		(SELECT COALESCE(MAX(id), 0) FROM stream_story),
		(SELECT COALESCE(MAX(story), 0) FROM story_part),
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
	err = s.read.QueryRowContext(ctx, "SELECT etag, last_modified FROM validator WHERE url = ?", url).Scan(&etag, &lastModified)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("store: validators %s: %w", url, err)
	}
	return etag, lastModified, nil
}

// Counts returns the numbers of articles and stories.
func (s *SQLite) Counts(ctx context.Context) (articles, stories int64, err error) {
	err = s.read.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM article), (SELECT COUNT(*) FROM story)").
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
	rows, err := s.read.QueryContext(ctx, `SELECT rowid FROM article_fts WHERE article_fts MATCH ?
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
