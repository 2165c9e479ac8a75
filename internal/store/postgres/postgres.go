// Package postgres is the store.Store on PostgreSQL, for deployments that
// outgrow one machine: any number of processes on any machines read it,
// and one transaction writes at a time, whichever process holds it.
//
// Each deployment keeps its tables in a PostgreSQL schema of its own,
// named for it (Options.Name), so that several deployments and test runs
// share one database. The schema is created and brought up to date by
// Open, in versioned steps as the SQLite store's.
//
// Writers take a transaction-scoped advisory lock named for the schema
// after BEGIN, so a second Begin, in this process or another, waits for
// the first transaction to end; readers never wait (MVCC) and see only
// committed data. Transactions are READ COMMITTED: the writer's statements
// see everything committed before it took the lock.
//
// Beyond the contract it offers what the web UI and API read of the
// SQLite store, with the same results and cursors: the listings
// (browse.go) and full-text search (search.go, over an index in fts.go);
// storetest's suites check both stores against each other. It reads and
// writes rows for store.Copy (rows.go), to and from either store.
//
// Times are kept as fixed-width UTC text in the SQLite store's layout, not
// timestamptz: timestamptz keeps microseconds, and the assigner's state
// must come back to the nanosecond for a restart to resume it exactly.
// Text PostgreSQL cannot hold (NUL, bytes that are not UTF-8) is written
// with U+FFFD in its place (store's package comment).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/storyline/storyline/internal/store"
)

// DefaultName is the deployment name, and so the schema, when
// Options.Name is empty.
const DefaultName = "storyline"

// Options tune Open.
type Options struct {
	// Name is the deployment's name: the PostgreSQL schema its tables are
	// in, and part of its lock's name. Lower-case letters, digits and _,
	// starting with a letter, at most 63 bytes. Empty: DefaultName.
	Name string
	// ReadOnly opens an existing store for reading: nothing is created
	// or migrated, and Begin fails with store.ErrReadOnly.
	ReadOnly bool
}

// Store is the PostgreSQL store.Store. Its methods are safe for
// concurrent use. The pool's size is the URL's pool_max_conns (pgxpool's
// default otherwise, the greater of 4 and the number of CPUs); a writer
// holds one connection for its transaction, readers share the rest.
type Store struct {
	pool     *pgxpool.Pool
	schema   string
	readOnly bool
	// writer admits one Begin of this process at a time, so that waiting
	// writers do not each hold a pooled connection that readers need; the
	// advisory lock orders processes.
	writer    chan struct{}
	writerKey int64
}

var _ store.Backend = (*Store)(nil)

// ErrNoStore is returned by a read-only Open of a deployment whose schema
// does not exist.
var ErrNoStore = errors.New("no store of that name in the database")

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Open connects to the database at url (postgres://…, as pgx reads it)
// and opens the store of deployment opt.Name, creating its schema or
// bringing it up to date unless opt.ReadOnly.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	name := opt.Name
	if name == "" {
		name = DefaultName
	}
	if !nameRE.MatchString(name) {
		return nil, fmt.Errorf("postgres: open: deployment name %q: want lower-case letters, digits and _, starting with a letter, at most 63", name)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	// Every query names its tables unqualified; the schema is the
	// deployment. pg_catalog stays first, implicitly.
	cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{name}.Sanitize()
	if opt.ReadOnly {
		// A stray write fails in the server too, not only at Begin.
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "storyline " + name
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	s := &Store{pool: pool, schema: name, readOnly: opt.ReadOnly, writer: make(chan struct{}, 1),
		writerKey: lockKey("writer", name)}
	if opt.ReadOnly {
		err = s.checkVersion(ctx)
	} else if err = s.migrate(ctx); err == nil {
		err = s.indexMissing(ctx)
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	return s, nil
}

// lockKey is the advisory lock of one purpose for one deployment.
// Deployments whose keys collide only wait for each other.
func lockKey(purpose, schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("storyline " + purpose + "\x00" + schema))
	return int64(h.Sum64())
}

// Name returns the deployment's name, the schema its tables are in.
func (s *Store) Name() string { return s.schema }

// Close closes the pool's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Size returns the bytes the deployment's tables take on disk, their
// indexes and TOAST included.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind = 'r'`, s.schema).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: size: %w", err)
	}
	return n, nil
}

// SchemaVersion returns the number of migrations applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: schema version: %w", err)
	}
	return v, nil
}

func (s *Store) checkVersion(ctx context.Context) error {
	v, err := s.SchemaVersion(ctx)
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "42P01" {
		return fmt.Errorf("%w (run a writing command, storyline ingest, first)", ErrNoStore)
	}
	if err == nil && v != len(migrations) {
		err = fmt.Errorf("schema version %d, this program's is %d: run a writing command (storyline ingest) first to upgrade it", v, len(migrations))
	}
	return err
}

// migrate creates the schema and applies the migrations it lacks, each in
// its own transaction under an advisory lock, so that processes opening
// at once apply each step once.
func (s *Store) migrate(ctx context.Context) error {
	for {
		done, err := s.migrateOne(ctx)
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) migrateOne(ctx context.Context) (done bool, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	schema := pgx.Identifier{s.schema}.Sanitize()
	for _, q := range []string{
		fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", lockKey("migrate", s.schema)),
		"CREATE SCHEMA IF NOT EXISTS " + schema,
		"CREATE TABLE IF NOT EXISTS " + schema + ".schema_version (version integer NOT NULL)",
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return false, fmt.Errorf("migrate: %w", err)
		}
	}
	var v int
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v); err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	switch {
	case v > len(migrations):
		return false, fmt.Errorf("migrate: database schema version %d is newer than this program's %d", v, len(migrations))
	case v == len(migrations):
		return true, tx.Commit(ctx)
	}
	if _, err := tx.Exec(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM schema_version"); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO schema_version (version) VALUES ($1)", v+1); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	return false, nil
}

// indexBatch is how many articles one transaction of indexMissing
// indexes: each holds the writer's lock, which a live writer waits for.
const indexBatch = 500

// indexMissing writes the full-text index of the articles that lack it
// (stored before the index was), in batches, as the writer.
func (s *Store) indexMissing(ctx context.Context) error {
	// Asked first without the writer's lock, so that opening a store
	// another process writes does not wait for its batch.
	var missing bool
	if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM article WHERE fts IS NULL)").Scan(&missing); err != nil || !missing {
		return err
	}
	for {
		tx, err := s.Begin(ctx)
		if err != nil {
			return err
		}
		t := tx.(*pgTx)
		rows, err := t.query(ctx, "SELECT id, title, text, stemmed FROM article WHERE fts IS NULL ORDER BY id LIMIT $1", indexBatch)
		var b pgx.Batch
		if err == nil {
			for rows.Next() {
				var (
					id                   int64
					title, text, stemmed string
				)
				if err = rows.Scan(&id, &title, &text, &stemmed); err != nil {
					break
				}
				b.Queue("UPDATE article SET fts = $1::tsvector WHERE id = $2", fullVector(title, text, stemmed), id)
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		if err == nil && b.Len() > 0 {
			err = t.tx.SendBatch(ctx, &b).Close()
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("full-text index: %w", err)
		}
		if b.Len() < indexBatch {
			return nil
		}
	}
}

// fullVector is an article's full-text index: every column's words.
func fullVector(title, text, stemmed string) string {
	var v vectorBuilder
	v.add(title, weightTitle)
	v.add(text, weightText)
	v.add(stemmed, weightStemmed)
	return cleanText(v.String())
}

// Begin starts a write transaction, waiting (or until ctx ends) while
// another, in this process or another, is open.
func (s *Store) Begin(ctx context.Context) (store.Tx, error) {
	if s.readOnly {
		return nil, fmt.Errorf("postgres: begin: %w", store.ErrReadOnly)
	}
	select {
	case s.writer <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("postgres: begin: %w", ctx.Err())
	}
	ptx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		<-s.writer
		return nil, fmt.Errorf("postgres: begin: %w", err)
	}
	if _, err := ptx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", s.writerKey); err != nil {
		rollback(ctx, ptx)
		<-s.writer
		return nil, fmt.Errorf("postgres: begin: waiting for the writer's lock: %w", err)
	}
	return &pgTx{s: s, ctx: ctx, tx: ptx}, nil
}

// rollbackTimeout bounds a rollback on a connection gone quiet; pgx closes
// the connection on failure, and the server rolls back what it held.
const rollbackTimeout = 10 * time.Second

func rollback(ctx context.Context, tx pgx.Tx) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	return tx.Rollback(ctx)
}

// timeLayout is the SQLite store's: fixed-width UTC, so that stored times
// compare correctly as text (in the "C" collation the columns use).
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// encodeTime returns t as stored: nil for the zero time.
func encodeTime(t time.Time) (any, error) {
	if t.IsZero() {
		return nil, nil
	}
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("time %v out of range (years 0-9999)", t)
	}
	return t.Format(timeLayout), nil
}

func decodeTime(s *string) (time.Time, error) {
	if s == nil {
		return time.Time{}, nil
	}
	return time.Parse(timeLayout, *s)
}

func nowText() string { return time.Now().UTC().Format(timeLayout) }

// nullID returns nil for the zero ID, the ID otherwise.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func encodeMinHash(sig []uint64) []byte {
	if len(sig) == 0 {
		return nil
	}
	b := make([]byte, 8*len(sig))
	for i, v := range sig {
		for j := range 8 {
			b[8*i+j] = byte(v >> (8 * j)) // little-endian, as SQLite's
		}
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
		for j := range 8 {
			sig[i] |= uint64(b[8*i+j]) << (8 * j)
		}
	}
	return sig, nil
}

// cleanText makes s storable in a PostgreSQL text column: each run of
// bytes that is not UTF-8, and each NUL, becomes U+FFFD.
func cleanText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// clean returns args with every string, and every string of a list or
// map, made storable (cleanText); args are copied only when one changes.
func clean(args []any) []any {
	out := args
	set := func(i int, v any) {
		if &out[0] == &args[0] {
			out = append([]any(nil), args...)
		}
		out[i] = v
	}
	for i, a := range args {
		switch v := a.(type) {
		case string:
			if c := cleanText(v); c != v {
				set(i, c)
			}
		case []string:
			for j, s := range v {
				if c := cleanText(s); c != s {
					cp := append([]string(nil), v...)
					for k := j; k < len(cp); k++ {
						cp[k] = cleanText(cp[k])
					}
					set(i, cp)
					break
				}
			}
		case map[string]string:
			for k, s := range v {
				if cleanText(k) != k || cleanText(s) != s {
					cp := make(map[string]string, len(v))
					for k, s := range v {
						cp[cleanText(k)] = cleanText(s)
					}
					set(i, cp)
					break
				}
			}
		}
	}
	return out
}

// isUnique reports a unique violation of the named index or constraint.
func isUnique(err error, name string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == name
}
