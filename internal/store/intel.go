package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
)

// Mention is a name in an article and the entity it names.
type Mention struct {
	Field      int // 0 title, 1 text
	Start, End int // byte offsets in the field
	Text       string
	Type       string
	Title      string // the title or cue that typed it
	Entity     int64  // 0: ambiguous
}

// Quote is a direct quotation in an article.
type Quote struct {
	ID            int64
	Article       int64
	Start, End    int // byte offsets in the text
	Text          string
	Speaker       string // as the text names them; "" unresolved
	SpeakerEntity int64
	Via           string // the cue that named the speaker
	Confidence    float64
}

// Figure is a quantity an article states.
type Figure struct {
	Article    int64
	Start, End int
	Text       string
	Value      float64
	Unit       string
	Counts     string // what it is of
	Year       string
	Approx     bool
	Rounding   float64 // how far the value may be off, as written
}

// Intel is what one article says: names, quotes, figures.
type Intel struct {
	Mentions []Mention
	Quotes   []Quote
	Figures  []Figure
}

// StoryVariantArticles bounds how far back StoryVariants looks in a story:
// the latest articles name whom the story is about now, and the lookup must
// not grow with a story that runs for months.
const StoryVariantArticles = 200

var _ entity.Registry = (*sqliteTx)(nil)

const variantColumns = "entity, norm, text, lang, key, surname, mentions, first_seen, evidence"

func scanVariants(rows *sql.Rows) ([]entity.Variant, error) {
	defer rows.Close()
	var out []entity.Variant
	for rows.Next() {
		var (
			v     entity.Variant
			first sql.NullString
		)
		if err := rows.Scan(&v.Entity, &v.Norm, &v.Text, &v.Lang, &v.Key, &v.Surname, &v.Mentions, &first, &v.Evidence); err != nil {
			return nil, err
		}
		var err error
		if v.FirstSeen, err = decodeTime(first); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// variants runs a variant query, prepared once a transaction in *stmt.
func (t *sqliteTx) variants(ctx context.Context, stmt **sql.Stmt, what, where string, args ...any) ([]entity.Variant, error) {
	st, err := t.prepare(ctx, stmt, "SELECT "+variantColumns+" FROM entity_variant WHERE "+where)
	var rows *sql.Rows
	if err == nil {
		rows, err = st.QueryContext(ctx, args...)
	}
	var vs []entity.Variant
	if err == nil {
		vs, err = scanVariants(rows)
	}
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return vs, nil
}

// VariantsByNorm returns the variants written as norm.
func (t *sqliteTx) VariantsByNorm(ctx context.Context, norm string) ([]entity.Variant, error) {
	return t.variants(ctx, &t.stmts.byNorm, fmt.Sprintf("variants %q", norm), "norm = ? ORDER BY entity", norm)
}

// VariantsByKey returns the variants whose full key is key.
func (t *sqliteTx) VariantsByKey(ctx context.Context, key string) ([]entity.Variant, error) {
	return t.variants(ctx, &t.stmts.byKey, fmt.Sprintf("variants by key %q", key), "key = ? ORDER BY entity", key)
}

// storyVariants is the condition of the variants of the entities the latest
// articles of a story mention, in one view or the other (column).
func storyVariants(column string) string {
	return `entity IN (SELECT DISTINCT entity FROM mention WHERE entity IS NOT NULL AND article IN (
		SELECT id FROM article WHERE ` + column + ` = ? ORDER BY id DESC LIMIT ?)) ORDER BY entity, norm`
}

// StoryVariants returns the variants of the entities the latest articles of
// stream story id mention.
func (t *sqliteTx) StoryVariants(ctx context.Context, id int64) ([]entity.Variant, error) {
	return t.variants(ctx, &t.stmts.story, fmt.Sprintf("story %d variants", id), storyVariants("stream_story"), id, StoryVariantArticles)
}

var _ entity.WindowSource = (*sqliteTx)(nil)

// StoryWindow returns the latest n articles of stream story id, oldest
// first, with the entities their mentions name: what StoryVariants reads
// (for an entity.Memory).
func (t *sqliteTx) StoryWindow(ctx context.Context, id int64, n int) ([]entity.WindowArticle, error) {
	st, err := t.prepare(ctx, &t.stmts.window, `SELECT a.id, m.entity FROM
		(SELECT id FROM article WHERE stream_story = ? ORDER BY id DESC LIMIT ?) a
		LEFT JOIN mention m ON m.article = a.id AND m.entity IS NOT NULL ORDER BY a.id`)
	var rows *sql.Rows
	if err == nil {
		rows, err = st.QueryContext(ctx, id, n)
	}
	if err != nil {
		return nil, fmt.Errorf("store: story %d window: %w", id, err)
	}
	defer rows.Close()
	var out []entity.WindowArticle
	for rows.Next() {
		var (
			art int64
			e   sql.NullInt64
		)
		if err := rows.Scan(&art, &e); err != nil {
			return nil, fmt.Errorf("store: story %d window: %w", id, err)
		}
		if len(out) == 0 || out[len(out)-1].ID != art {
			out = append(out, entity.WindowArticle{ID: art})
		}
		if e.Valid {
			last := &out[len(out)-1]
			last.Entities = append(last.Entities, e.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: story %d window: %w", id, err)
	}
	return out, nil
}

// maxVariantsOf is how many entities one VariantsOf statement asks for,
// well under SQLite's 32,766 parameters: a story's window names up to
// about a thousand, and most loads ask for a few.
const maxVariantsOf = 1024

// VariantsOf returns the variants of the entities ids, ordered as
// StoryVariants orders them.
func (t *sqliteTx) VariantsOf(ctx context.Context, ids []int64) ([]entity.Variant, error) {
	var out []entity.Variant
	for len(ids) > 0 {
		n := min(len(ids), maxVariantsOf)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := t.query(ctx, "SELECT "+variantColumns+" FROM entity_variant WHERE entity IN (?"+
			strings.Repeat(",?", n-1)+") ORDER BY entity, norm", args...)
		var vs []entity.Variant
		if err == nil {
			vs, err = scanVariants(rows)
		}
		if err != nil {
			return nil, fmt.Errorf("store: variants of %d entities: %w", n, err)
		}
		out = append(out, vs...)
		ids = ids[n:]
	}
	return out, nil
}

// VisibleStoryVariants returns the variants of the entities the latest
// articles readers see in story id mention.
func (t *sqliteTx) VisibleStoryVariants(ctx context.Context, id int64) ([]entity.Variant, error) {
	return t.variants(ctx, &t.stmts.visible, fmt.Sprintf("story %d variants", id), storyVariants("story"), id, StoryVariantArticles)
}

// Entity returns an entity, following merges.
func (t *sqliteTx) Entity(ctx context.Context, id int64) (entity.Entity, error) {
	st, err := t.prepare(ctx, &t.stmts.entity, entityQuery)
	if err != nil {
		return entity.Entity{}, fmt.Errorf("store: entity %d: %w", id, err)
	}
	return entityByID(ctx, stmtQueryer{st}, id)
}

// stmtQueryer runs the one query its statement was prepared for.
type stmtQueryer struct{ st *sql.Stmt }

func (q stmtQueryer) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return q.st.QueryRowContext(ctx, args...)
}

func (q stmtQueryer) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return q.st.QueryContext(ctx, args...)
}

const entityQuery = `SELECT id, canonical, type, mentions, first_seen, story, merged_into FROM entity WHERE id = ?`

// queryer is what *sql.DB and *sql.Tx share for reads.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// maxMergeChain bounds how many merges a lookup follows: a cycle would be
// a bug, never a reason to hang.
const maxMergeChain = 64

func entityByID(ctx context.Context, q queryer, id int64) (entity.Entity, error) {
	for range maxMergeChain {
		var (
			e            entity.Entity
			typ          string
			first        sql.NullString
			story, merge sql.NullInt64
		)
		err := q.QueryRowContext(ctx, entityQuery, id).Scan(&e.ID, &e.Canonical, &typ, &e.Mentions, &first, &story, &merge)
		if errors.Is(err, sql.ErrNoRows) {
			return e, fmt.Errorf("store: entity %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return e, fmt.Errorf("store: entity %d: %w", id, err)
		}
		if merge.Valid {
			id = merge.Int64
			continue
		}
		e.Type, e.Story = entity.Type(typ), story.Int64
		if e.FirstSeen, err = decodeTime(first); err != nil {
			return e, fmt.Errorf("store: entity %d: %w", id, err)
		}
		return e, nil
	}
	return entity.Entity{}, fmt.Errorf("store: entity %d: merges do not end", id)
}

// PutEntity inserts (zero ID) or updates an entity.
func (t *sqliteTx) PutEntity(ctx context.Context, e *entity.Entity) error {
	first, err := encodeTime(e.FirstSeen)
	if err != nil {
		return fmt.Errorf("store: put entity %d: %w", e.ID, err)
	}
	st, err := t.prepare(ctx, &t.stmts.putEntity, `INSERT INTO entity (id, canonical, type, mentions, first_seen, story)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET canonical = excluded.canonical,
		type = excluded.type, mentions = excluded.mentions, first_seen = excluded.first_seen, story = excluded.story`)
	var res sql.Result
	if err == nil {
		res, err = st.ExecContext(ctx, nullID(e.ID), e.Canonical, string(e.Type), e.Mentions, first, nullID(e.Story))
	}
	if err != nil {
		return fmt.Errorf("store: put entity %d: %w", e.ID, err)
	}
	if e.ID == 0 {
		if e.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("store: put entity: %w", err)
		}
	}
	return nil
}

// PutVariant records a variant, adding its mentions to those stored.
func (t *sqliteTx) PutVariant(ctx context.Context, v entity.Variant) error {
	first, err := encodeTime(v.FirstSeen)
	if err != nil {
		return fmt.Errorf("store: put variant %q: %w", v.Text, err)
	}
	st, err := t.prepare(ctx, &t.stmts.putVariant, `INSERT INTO entity_variant (`+variantColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(entity, norm) DO UPDATE SET mentions = mentions + excluded.mentions`)
	if err == nil {
		_, err = st.ExecContext(ctx, v.Entity, v.Norm, v.Text, v.Lang, v.Key, v.Surname, v.Mentions, first, v.Evidence)
	}
	if err != nil {
		return fmt.Errorf("store: put variant %q: %w", v.Text, err)
	}
	return nil
}

// MergeEntities makes m.From part of m.Into: variants, mentions and quotes
// move, and m.From points to m.Into.
func (t *sqliteTx) MergeEntities(ctx context.Context, m entity.Merge) error {
	into, err := t.Entity(ctx, m.Into)
	if err != nil {
		return err
	}
	from, err := t.Entity(ctx, m.From)
	if err != nil {
		return err
	}
	if into.ID == from.ID {
		return nil
	}
	at, _ := encodeTime(m.At)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO entity_variant (` + variantColumns + `) SELECT ?, norm, text, lang, key, surname, mentions, first_seen, evidence
			FROM entity_variant WHERE entity = ? ON CONFLICT(entity, norm) DO UPDATE SET mentions = mentions + excluded.mentions`,
			[]any{into.ID, from.ID}},
		{"DELETE FROM entity_variant WHERE entity = ?", []any{from.ID}},
		{"UPDATE mention SET entity = ? WHERE entity = ?", []any{into.ID, from.ID}},
		{"UPDATE quote SET speaker_entity = ? WHERE speaker_entity = ?", []any{into.ID, from.ID}},
		{"UPDATE entity SET mentions = mentions + ? WHERE id = ?", []any{from.Mentions, into.ID}},
		{"UPDATE entity SET merged_into = ? WHERE id = ?", []any{into.ID, from.ID}},
		{"INSERT INTO entity_merge (into_id, from_id, by, evidence, at) VALUES (?, ?, ?, ?, ?)",
			[]any{into.ID, from.ID, m.By, m.Evidence, at}},
	} {
		if _, err := t.exec(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("store: merge entity %d into %d: %w", from.ID, into.ID, err)
		}
	}
	return nil
}

// Separated reports whether a person split a and b apart.
func (t *sqliteTx) Separated(ctx context.Context, a, b int64) (bool, error) {
	var n int
	err := t.queryRow(ctx, "SELECT COUNT(*) FROM entity_split WHERE a = ? AND b = ?", min(a, b), max(a, b)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: separated %d %d: %w", a, b, err)
	}
	return n > 0, nil
}

// SplitFrom returns the entities a person split apart from id. The table
// holds people's corrections only: scanning it for b costs nothing.
func (t *sqliteTx) SplitFrom(ctx context.Context, id int64) ([]int64, error) {
	rows, err := t.query(ctx, "SELECT b FROM entity_split WHERE a = ? UNION SELECT a FROM entity_split WHERE b = ? ORDER BY 1", id, id)
	if err != nil {
		return nil, fmt.Errorf("store: split from %d: %w", id, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var e int64
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("store: split from %d: %w", id, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SplitVariant moves a variant of an entity (by its norm) with its
// mentions to a new entity, and records that a person separated the two:
// later articles write that spelling to the new entity, and the machine
// never merges them again. It returns the new entity's ID.
func (t *sqliteTx) SplitVariant(ctx context.Context, id int64, norm string) (int64, error) {
	e, err := t.Entity(ctx, id)
	if err != nil {
		return 0, err
	}
	var v entity.Variant
	rows, err := t.query(ctx, "SELECT "+variantColumns+" FROM entity_variant WHERE entity = ? AND norm = ?", e.ID, norm)
	if err != nil {
		return 0, fmt.Errorf("store: split entity %d: %w", e.ID, err)
	}
	vs, err := scanVariants(rows)
	if err != nil {
		return 0, fmt.Errorf("store: split entity %d: %w", e.ID, err)
	}
	if len(vs) == 0 {
		return 0, fmt.Errorf("store: split entity %d: no variant %q: %w", e.ID, norm, ErrNotFound)
	}
	v = vs[0]
	n := entity.Entity{Canonical: v.Text, Type: e.Type, Mentions: v.Mentions, FirstSeen: v.FirstSeen}
	if err := t.PutEntity(ctx, &n); err != nil {
		return 0, err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE entity_variant SET entity = ?, evidence = 'split off by a person' WHERE entity = ? AND norm = ?", []any{n.ID, e.ID, norm}},
		{`UPDATE mention SET entity = ?1 WHERE entity = ?2 AND lower(text) = ?3`, []any{n.ID, e.ID, norm}},
		{"UPDATE entity SET mentions = MAX(mentions - ?, 0) WHERE id = ?", []any{v.Mentions, e.ID}},
		{"INSERT OR IGNORE INTO entity_split (a, b) VALUES (?, ?)", []any{min(e.ID, n.ID), max(e.ID, n.ID)}},
	} {
		if _, err := t.exec(ctx, q.sql, q.args...); err != nil {
			return 0, fmt.Errorf("store: split entity %d: %w", e.ID, err)
		}
	}
	return n.ID, nil
}

// mentionRows is how many mentions one statement inserts. An article
// has twenty or so; a row at a time, it paid a statement's overhead
// (database/sql, the driver, the statement's reset) for each, and
// PutIntel was 4% of the writer's time (bench profile, 20k generated
// articles). 16 rows are 128 parameters, far under SQLite's
// limit; the texts for 1 to 16 rows take 16 of the statement cache's
// places.
const mentionRows = 16

const mentionColumns = 8

// mentionInserts[n] inserts n mentions (n ≤ mentionRows); one text for
// each n, so that each is prepared once.
var mentionInserts = func() []string {
	qs := make([]string, mentionRows+1)
	for n := 1; n <= mentionRows; n++ {
		qs[n] = "INSERT OR REPLACE INTO mention (article, field, start, end, text, type, title, entity) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?), ", n), ", ")
	}
	return qs
}()

// PutIntel replaces what an article says.
func (t *sqliteTx) PutIntel(ctx context.Context, articleID int64, in Intel) error {
	for _, q := range []string{"DELETE FROM mention WHERE article = ?", "DELETE FROM quote WHERE article = ?", "DELETE FROM figure WHERE article = ?"} {
		if _, err := t.exec(ctx, q, articleID); err != nil {
			return fmt.Errorf("store: intel of article %d: %w", articleID, err)
		}
	}
	args := make([]any, 0, mentionColumns*min(len(in.Mentions), mentionRows))
	for ms := in.Mentions; len(ms) > 0; {
		n := min(len(ms), mentionRows)
		args = args[:0]
		for _, m := range ms[:n] {
			args = append(args, articleID, m.Field, m.Start, m.End, m.Text, m.Type, m.Title, nullID(m.Entity))
		}
		if _, err := t.exec(ctx, mentionInserts[n], args...); err != nil {
			return fmt.Errorf("store: mentions in article %d: %w", articleID, err)
		}
		ms = ms[n:]
	}
	for _, q := range in.Quotes {
		_, err := t.exec(ctx, `INSERT INTO quote (article, start, end, text, speaker, speaker_entity, via, confidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, articleID, q.Start, q.End, q.Text, q.Speaker, nullID(q.SpeakerEntity), q.Via, q.Confidence)
		if err != nil {
			return fmt.Errorf("store: quote in article %d: %w", articleID, err)
		}
	}
	for _, f := range in.Figures {
		_, err := t.exec(ctx, `INSERT OR REPLACE INTO figure (article, start, end, text, value, unit, counts, year, approx, rounding)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, articleID, f.Start, f.End, f.Text, f.Value, f.Unit, f.Counts, f.Year, f.Approx, f.Rounding)
		if err != nil {
			return fmt.Errorf("store: figure in article %d: %w", articleID, err)
		}
	}
	return nil
}

// Intel returns what an article says.
func (s *SQLite) Intel(ctx context.Context, articleID int64) (Intel, error) {
	var in Intel
	rows, err := s.read.QueryContext(ctx, `SELECT field, start, end, text, type, title, entity FROM mention
		WHERE article = ? ORDER BY field, start`, articleID)
	if err != nil {
		return in, fmt.Errorf("store: intel of article %d: %w", articleID, err)
	}
	for rows.Next() {
		var (
			m  Mention
			id sql.NullInt64
		)
		if err := rows.Scan(&m.Field, &m.Start, &m.End, &m.Text, &m.Type, &m.Title, &id); err != nil {
			rows.Close()
			return in, fmt.Errorf("store: intel of article %d: %w", articleID, err)
		}
		m.Entity = id.Int64
		in.Mentions = append(in.Mentions, m)
	}
	rows.Close()
	if rows, err = s.read.QueryContext(ctx, `SELECT id, start, end, text, speaker, speaker_entity, via, confidence FROM quote
		WHERE article = ? ORDER BY start`, articleID); err != nil {
		return in, fmt.Errorf("store: intel of article %d: %w", articleID, err)
	}
	for rows.Next() {
		q := Quote{Article: articleID}
		var id sql.NullInt64
		if err := rows.Scan(&q.ID, &q.Start, &q.End, &q.Text, &q.Speaker, &id, &q.Via, &q.Confidence); err != nil {
			rows.Close()
			return in, fmt.Errorf("store: intel of article %d: %w", articleID, err)
		}
		q.SpeakerEntity = id.Int64
		in.Quotes = append(in.Quotes, q)
	}
	rows.Close()
	if rows, err = s.read.QueryContext(ctx, `SELECT start, end, text, value, unit, counts, year, approx, rounding FROM figure
		WHERE article = ? ORDER BY start`, articleID); err != nil {
		return in, fmt.Errorf("store: intel of article %d: %w", articleID, err)
	}
	defer rows.Close()
	for rows.Next() {
		f := Figure{Article: articleID}
		if err := rows.Scan(&f.Start, &f.End, &f.Text, &f.Value, &f.Unit, &f.Counts, &f.Year, &f.Approx, &f.Rounding); err != nil {
			return in, fmt.Errorf("store: intel of article %d: %w", articleID, err)
		}
		in.Figures = append(in.Figures, f)
	}
	return in, rows.Err()
}

// Entity returns an entity, following merges.
func (s *SQLite) Entity(ctx context.Context, id int64) (entity.Entity, error) {
	return entityByID(ctx, s.db, id)
}

// EntityInfo returns an entity (following merges) with its variants, most
// written first, and the merges that made it.
func (s *SQLite) EntityInfo(ctx context.Context, id int64) (entity.Entity, []entity.Variant, []entity.Merge, error) {
	e, err := entityByID(ctx, s.db, id)
	if err != nil {
		return e, nil, nil, err
	}
	rows, err := s.read.QueryContext(ctx, "SELECT "+variantColumns+" FROM entity_variant WHERE entity = ? ORDER BY mentions DESC, norm", e.ID)
	if err != nil {
		return e, nil, nil, fmt.Errorf("store: entity %d: %w", e.ID, err)
	}
	vs, err := scanVariants(rows)
	if err != nil {
		return e, nil, nil, fmt.Errorf("store: entity %d: %w", e.ID, err)
	}
	mrows, err := s.read.QueryContext(ctx, "SELECT into_id, from_id, by, evidence, at FROM entity_merge WHERE into_id = ? ORDER BY id", e.ID)
	if err != nil {
		return e, nil, nil, fmt.Errorf("store: entity %d: %w", e.ID, err)
	}
	defer mrows.Close()
	var ms []entity.Merge
	for mrows.Next() {
		var (
			m  entity.Merge
			at sql.NullString
		)
		if err := mrows.Scan(&m.Into, &m.From, &m.By, &m.Evidence, &at); err != nil {
			return e, nil, nil, fmt.Errorf("store: entity %d: %w", e.ID, err)
		}
		m.At, _ = decodeTime(at)
		ms = append(ms, m)
	}
	return e, vs, ms, mrows.Err()
}

// Digest returns the digest stored for a story since it last changed, nil
// when there is none.
func (s *SQLite) Digest(ctx context.Context, storyID int64) ([]byte, error) {
	var b []byte
	err := s.read.QueryRowContext(ctx, "SELECT body FROM story_digest WHERE story = ?", storyID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: digest of story %d: %w", storyID, err)
	}
	return b, nil
}

// EntitiesNamed returns the entities (following merges) that have a
// variant written as name, most mentioned first.
func (s *SQLite) EntitiesNamed(ctx context.Context, name string) ([]entity.Entity, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT DISTINCT entity FROM entity_variant WHERE norm = ?", entity.Norm(name))
	if err != nil {
		return nil, fmt.Errorf("store: entities named %q: %w", name, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: entities named %q: %w", name, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []entity.Entity
	seen := map[int64]bool{}
	for _, id := range ids {
		e, err := entityByID(ctx, s.db, id)
		if err != nil {
			return nil, err
		}
		if !seen[e.ID] {
			seen[e.ID] = true
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b entity.Entity) int { return b.Mentions - a.Mentions })
	return out, nil
}

// StoryArticles calls fn for every article readers see in story id, in ID
// order.
func (s *SQLite) StoryArticles(ctx context.Context, id int64, fn func(*article.Article) error) error {
	return s.walk(ctx, "story articles", "SELECT "+articleColumns+" FROM article WHERE story = ? ORDER BY id", fn, id)
}

// AddCorrection records a person's correction and returns its ID.
func (t *sqliteTx) AddCorrection(ctx context.Context, kind string, body []byte) (int64, error) {
	now, _ := encodeTime(time.Now())
	res, err := t.exec(ctx, "INSERT INTO correction (kind, body, at) VALUES (?, ?, ?)", kind, string(body), now)
	if err != nil {
		return 0, fmt.Errorf("store: add correction: %w", err)
	}
	return res.LastInsertId()
}

// Correction returns a recorded correction.
func (t *sqliteTx) Correction(ctx context.Context, id int64) (kind string, body []byte, undone bool, err error) {
	var b string
	err = t.queryRow(ctx, "SELECT kind, body, undone FROM correction WHERE id = ?", id).Scan(&kind, &b, &undone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, false, fmt.Errorf("store: correction %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("store: correction %d: %w", id, err)
	}
	return kind, []byte(b), undone, nil
}

// SetUndone marks a correction undone.
func (t *sqliteTx) SetUndone(ctx context.Context, id int64) error {
	if _, err := t.exec(ctx, "UPDATE correction SET undone = 1 WHERE id = ?", id); err != nil {
		return fmt.Errorf("store: correction %d: %w", id, err)
	}
	return nil
}

// UnmergeEntity undoes a merge of from into into: the spellings norms go
// back to from, with their mentions, and from stands on its own again.
func (t *sqliteTx) UnmergeEntity(ctx context.Context, into, from int64, norms []string) error {
	for _, n := range norms {
		for _, q := range []string{
			"UPDATE entity_variant SET entity = ?1 WHERE entity = ?2 AND norm = ?3",
			"UPDATE mention SET entity = ?1 WHERE entity = ?2 AND lower(text) = ?3",
		} {
			if _, err := t.exec(ctx, q, from, into, n); err != nil {
				return fmt.Errorf("store: unmerge entity %d from %d: %w", from, into, err)
			}
		}
	}
	if _, err := t.exec(ctx, "UPDATE entity SET merged_into = NULL WHERE id = ?", from); err != nil {
		return fmt.Errorf("store: unmerge entity %d from %d: %w", from, into, err)
	}
	return nil
}

// ForgetSplit undoes a person's separation of a and b.
func (t *sqliteTx) ForgetSplit(ctx context.Context, a, b int64) error {
	if _, err := t.exec(ctx, "DELETE FROM entity_split WHERE a = ? AND b = ?", min(a, b), max(a, b)); err != nil {
		return fmt.Errorf("store: forget split %d %d: %w", a, b, err)
	}
	return nil
}
