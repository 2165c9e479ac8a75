package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/store"
)

var _ entity.Registry = (*pgTx)(nil)

// txQuerier reads through a transaction, its arguments cleaned.
type txQuerier struct{ t *pgTx }

func (q txQuerier) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return q.t.query(ctx, sql, args...)
}

func (q txQuerier) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return q.t.queryRow(ctx, sql, args...)
}

func (t *pgTx) variants(ctx context.Context, what, where string, args ...any) ([]entity.Variant, error) {
	vs, err := scanVariants(t.query(ctx, "SELECT "+variantColumns+" FROM entity_variant WHERE "+where, args...))
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return vs, nil
}

// VariantsByNorm returns the variants written as norm.
func (t *pgTx) VariantsByNorm(ctx context.Context, norm string) ([]entity.Variant, error) {
	return t.variants(ctx, fmt.Sprintf("variants %q", norm), "norm = $1 ORDER BY entity", norm)
}

// VariantsByKey returns the variants whose full key is key.
func (t *pgTx) VariantsByKey(ctx context.Context, key string) ([]entity.Variant, error) {
	return t.variants(ctx, fmt.Sprintf("variants by key %q", key), "key = $1 ORDER BY entity, norm", key)
}

// storyVariants is the condition of the variants of the entities the latest
// articles of a story mention, in one view or the other (column).
func storyVariants(column string) string {
	return `entity IN (SELECT DISTINCT entity FROM mention WHERE entity IS NOT NULL AND article IN (
		SELECT id FROM article WHERE ` + column + ` = $1 ORDER BY id DESC LIMIT $2)) ORDER BY entity, norm`
}

// StoryVariants returns the variants of the entities the latest articles of
// stream story id mention.
func (t *pgTx) StoryVariants(ctx context.Context, id int64) ([]entity.Variant, error) {
	return t.variants(ctx, fmt.Sprintf("story %d variants", id), storyVariants("stream_story"), id, store.StoryVariantArticles)
}

// VisibleStoryVariants returns the variants of the entities the latest
// articles readers see in story id mention.
func (t *pgTx) VisibleStoryVariants(ctx context.Context, id int64) ([]entity.Variant, error) {
	return t.variants(ctx, fmt.Sprintf("story %d variants", id), storyVariants("story"), id, store.StoryVariantArticles)
}

// Entity returns an entity, following merges, as this transaction sees it.
func (t *pgTx) Entity(ctx context.Context, id int64) (entity.Entity, error) {
	return entityByID(ctx, txQuerier{t}, id)
}

// putEntityQuery inserts an entity, one more than the highest unless its
// ID is given, or updates it.
const putEntityQuery = `INSERT INTO entity (id, canonical, type, mentions, first_seen, story)
	VALUES (COALESCE($1, (SELECT COALESCE(MAX(id), 0) + 1 FROM entity)), $2, $3, $4, $5, $6)
	ON CONFLICT (id) DO UPDATE SET canonical = excluded.canonical, type = excluded.type,
	mentions = excluded.mentions, first_seen = excluded.first_seen, story = excluded.story
	RETURNING id`

// PutEntity inserts (zero ID: one more than the highest) or updates an
// entity. An entity with an ID, whose write returns nothing new, waits
// for the next round trip (pgTx).
func (t *pgTx) PutEntity(ctx context.Context, e *entity.Entity) error {
	first, err := encodeTime(e.FirstSeen)
	if err != nil {
		return fmt.Errorf("postgres: put entity %d: %w", e.ID, err)
	}
	args := []any{nullID(e.ID), e.Canonical, string(e.Type), e.Mentions, first, nullID(e.Story)}
	if e.ID != 0 {
		what := fmt.Sprintf("postgres: put entity %d", e.ID)
		if err := t.queue(what, putEntityQuery, args...); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	var id int64
	err = t.queryRow(ctx, putEntityQuery, args...).Scan(&id)
	if err != nil {
		return fmt.Errorf("postgres: put entity %d: %w", e.ID, err)
	}
	e.ID = id
	return nil
}

// PutVariant records a variant, adding its mentions to those stored.
func (t *pgTx) PutVariant(ctx context.Context, v entity.Variant) error {
	first, err := encodeTime(v.FirstSeen)
	if err == nil {
		err = t.queue(fmt.Sprintf("postgres: put variant %q", v.Text), `INSERT INTO entity_variant (`+variantColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (entity, norm) DO UPDATE SET mentions = entity_variant.mentions + excluded.mentions`,
			v.Entity, v.Norm, v.Text, v.Lang, v.Key, v.Surname, v.Mentions, first, v.Evidence)
	}
	if err != nil {
		return fmt.Errorf("postgres: put variant %q: %w", v.Text, err)
	}
	return nil
}

// MergeEntities makes m.From part of m.Into: variants, mentions and quotes
// move, and m.From points to m.Into.
func (t *pgTx) MergeEntities(ctx context.Context, m entity.Merge) error {
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
	at, err := encodeTime(m.At)
	if err != nil {
		return fmt.Errorf("postgres: merge entity %d into %d: %w", from.ID, into.ID, err)
	}
	err = t.batch(ctx,
		stmt{`INSERT INTO entity_variant (` + variantColumns + `) SELECT $1, norm, text, lang, key, surname, mentions, first_seen, evidence
			FROM entity_variant WHERE entity = $2
			ON CONFLICT (entity, norm) DO UPDATE SET mentions = entity_variant.mentions + excluded.mentions`,
			[]any{into.ID, from.ID}},
		stmt{"DELETE FROM entity_variant WHERE entity = $1", []any{from.ID}},
		stmt{"UPDATE mention SET entity = $1 WHERE entity = $2", []any{into.ID, from.ID}},
		stmt{"UPDATE quote SET speaker_entity = $1 WHERE speaker_entity = $2", []any{into.ID, from.ID}},
		stmt{"UPDATE entity SET mentions = mentions + $1 WHERE id = $2", []any{from.Mentions, into.ID}},
		stmt{"UPDATE entity SET merged_into = $1 WHERE id = $2", []any{into.ID, from.ID}},
		stmt{`INSERT INTO entity_merge (id, into_id, from_id, by, evidence, at)
			VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM entity_merge), $1, $2, $3, $4, $5)`,
			[]any{into.ID, from.ID, m.By, m.Evidence, at}},
	)
	if err != nil {
		return fmt.Errorf("postgres: merge entity %d into %d: %w", from.ID, into.ID, err)
	}
	return nil
}

// Separated reports whether a person split a and b apart.
func (t *pgTx) Separated(ctx context.Context, a, b int64) (bool, error) {
	var sep bool
	err := t.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM entity_split WHERE a = $1 AND b = $2)", min(a, b), max(a, b)).Scan(&sep)
	if err != nil {
		return false, fmt.Errorf("postgres: separated %d %d: %w", a, b, err)
	}
	return sep, nil
}

// SplitFrom returns the entities a person split apart from id.
func (t *pgTx) SplitFrom(ctx context.Context, id int64) ([]int64, error) {
	rows, err := t.query(ctx, "SELECT b FROM entity_split WHERE a = $1 UNION SELECT a FROM entity_split WHERE b = $1 ORDER BY 1", id)
	if err != nil {
		return nil, fmt.Errorf("postgres: split from %d: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: split from %d: %w", id, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// mentionTexts returns the distinct texts of an entity's mentions that
// are written as one of norms: which mentions a spelling takes with it.
// The spelling's form is entity.Norm's, decided here rather than by SQL's
// lower(), which differs from it beyond ASCII.
func (t *pgTx) mentionTexts(ctx context.Context, entityID int64, norms ...string) ([]string, error) {
	rows, err := t.query(ctx, "SELECT DISTINCT text FROM mention WHERE entity = $1", entityID)
	if err != nil {
		return nil, err
	}
	texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range norms {
		want[n] = true
	}
	var out []string
	for _, s := range texts {
		if want[entity.Norm(s)] {
			out = append(out, s)
		}
	}
	return out, nil
}

// SplitVariant moves a variant of an entity (by its norm) with its
// mentions to a new entity, and records that a person separated the two.
// It returns the new entity's ID.
func (t *pgTx) SplitVariant(ctx context.Context, id int64, norm string) (int64, error) {
	e, err := t.Entity(ctx, id)
	if err != nil {
		return 0, err
	}
	vs, err := scanVariants(t.query(ctx, "SELECT "+variantColumns+" FROM entity_variant WHERE entity = $1 AND norm = $2", e.ID, norm))
	if err != nil {
		return 0, fmt.Errorf("postgres: split entity %d: %w", e.ID, err)
	}
	if len(vs) == 0 {
		return 0, fmt.Errorf("postgres: split entity %d: no variant %q: %w", e.ID, norm, store.ErrNotFound)
	}
	v := vs[0]
	texts, err := t.mentionTexts(ctx, e.ID, norm)
	if err != nil {
		return 0, fmt.Errorf("postgres: split entity %d: %w", e.ID, err)
	}
	n := entity.Entity{Canonical: v.Text, Type: e.Type, Mentions: v.Mentions, FirstSeen: v.FirstSeen}
	if err := t.PutEntity(ctx, &n); err != nil {
		return 0, err
	}
	err = t.batch(ctx,
		stmt{"UPDATE entity_variant SET entity = $1, evidence = 'split off by a person' WHERE entity = $2 AND norm = $3", []any{n.ID, e.ID, norm}},
		stmt{"UPDATE mention SET entity = $1 WHERE entity = $2 AND text = ANY($3)", []any{n.ID, e.ID, texts}},
		stmt{"UPDATE entity SET mentions = GREATEST(mentions - $1, 0) WHERE id = $2", []any{v.Mentions, e.ID}},
		stmt{"INSERT INTO entity_split (a, b, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", []any{min(e.ID, n.ID), max(e.ID, n.ID), nowText()}},
	)
	if err != nil {
		return 0, fmt.Errorf("postgres: split entity %d: %w", e.ID, err)
	}
	return n.ID, nil
}

// Statements of PutIntel, a list a column: one statement a table however
// many rows. A second mention or figure at one place replaces the first,
// as SQLite's INSERT OR REPLACE does; the lists hold the last of each
// place only (intelRows), since one statement cannot update a row twice.
const (
	deleteIntelQuery = `WITH m AS (DELETE FROM mention WHERE article = $1), q AS (DELETE FROM quote WHERE article = $1)
		DELETE FROM figure WHERE article = $1`
	insertMentionsQuery = `INSERT INTO mention (article, field, start, "end", text, type, title, entity)
		SELECT $1, u.field, u.start, u."end", u.text, u.type, u.title, NULLIF(u.entity, 0)
		FROM unnest($2::integer[], $3::integer[], $4::integer[], $5::text[], $6::text[], $7::text[], $8::bigint[])
			AS u (field, start, "end", text, type, title, entity)
		ON CONFLICT (article, field, start) DO UPDATE SET "end" = excluded."end",
		text = excluded.text, type = excluded.type, title = excluded.title, entity = excluded.entity`
	// Quotes take the next IDs in their order, as one INSERT each would.
	insertQuotesQuery = `INSERT INTO quote (id, article, start, "end", text, speaker, speaker_entity, via, confidence)
		SELECT (SELECT COALESCE(MAX(id), 0) FROM quote) + u.n, $1, u.start, u."end", u.text, u.speaker,
			NULLIF(u.speaker_entity, 0), u.via, u.confidence
		FROM unnest($2::integer[], $3::integer[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::double precision[])
			WITH ORDINALITY AS u (start, "end", text, speaker, speaker_entity, via, confidence, n)`
	insertFiguresQuery = `INSERT INTO figure (article, start, "end", text, value, unit, counts, year, approx, rounding)
		SELECT $1, u.start, u."end", u.text, u.value, u.unit, u.counts, u.year, u.approx, u.rounding
		FROM unnest($2::integer[], $3::integer[], $4::text[], $5::double precision[], $6::text[], $7::text[], $8::text[],
			$9::boolean[], $10::double precision[]) AS u (start, "end", text, value, unit, counts, year, approx, rounding)
		ON CONFLICT (article, start) DO UPDATE SET "end" = excluded."end",
		text = excluded.text, value = excluded.value, unit = excluded.unit, counts = excluded.counts, year = excluded.year,
		approx = excluded.approx, rounding = excluded.rounding`
)

// PutIntel replaces what an article says in at most four statements,
// queued for the next round trip (pgTx).
func (t *pgTx) PutIntel(ctx context.Context, articleID int64, in store.Intel) error {
	stmts := []stmt{{deleteIntelQuery, []any{articleID}}}
	if ms := lastAt(in.Mentions, func(m store.Mention) [2]int { return [2]int{m.Field, m.Start} }); len(ms) > 0 {
		var (
			field, start, end = make([]int, len(ms)), make([]int, len(ms)), make([]int, len(ms))
			text, typ, title  = make([]string, len(ms)), make([]string, len(ms)), make([]string, len(ms))
			entities          = make([]int64, len(ms))
		)
		for i, m := range ms {
			field[i], start[i], end[i], text[i], typ[i], title[i], entities[i] = m.Field, m.Start, m.End, m.Text, m.Type, m.Title, m.Entity
		}
		stmts = append(stmts, stmt{insertMentionsQuery, []any{articleID, field, start, end, text, typ, title, entities}})
	}
	if qs := in.Quotes; len(qs) > 0 {
		var (
			start, end         = make([]int, len(qs)), make([]int, len(qs))
			text, speaker, via = make([]string, len(qs)), make([]string, len(qs)), make([]string, len(qs))
			entities           = make([]int64, len(qs))
			confidence         = make([]float64, len(qs))
		)
		for i, q := range qs {
			start[i], end[i], text[i], speaker[i], entities[i], via[i], confidence[i] = q.Start, q.End, q.Text, q.Speaker, q.SpeakerEntity, q.Via, q.Confidence
		}
		stmts = append(stmts, stmt{insertQuotesQuery, []any{articleID, start, end, text, speaker, entities, via, confidence}})
	}
	if fs := lastAt(in.Figures, func(f store.Figure) int { return f.Start }); len(fs) > 0 {
		var (
			start, end               = make([]int, len(fs)), make([]int, len(fs))
			text, unit, counts, year = make([]string, len(fs)), make([]string, len(fs)), make([]string, len(fs)), make([]string, len(fs))
			value, rounding          = make([]float64, len(fs)), make([]float64, len(fs))
			approx                   = make([]bool, len(fs))
		)
		for i, f := range fs {
			start[i], end[i], text[i], value[i], unit[i], counts[i], year[i], approx[i], rounding[i] = f.Start, f.End, f.Text, f.Value, f.Unit, f.Counts, f.Year, f.Approx, f.Rounding
		}
		stmts = append(stmts, stmt{insertFiguresQuery, []any{articleID, start, end, text, value, unit, counts, year, approx, rounding}})
	}
	what := fmt.Sprintf("postgres: intel of article %d", articleID)
	for _, s := range stmts {
		if err := t.queue(what, s.sql, s.args...); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

// lastAt returns rows without those a later row at the same place (key)
// replaces, in their order.
func lastAt[T any, K comparable](rows []T, key func(T) K) []T {
	last := make(map[K]int, len(rows))
	for i, r := range rows {
		last[key(r)] = i
	}
	if len(last) == len(rows) {
		return rows
	}
	out := make([]T, 0, len(last))
	for i, r := range rows {
		if last[key(r)] == i {
			out = append(out, r)
		}
	}
	return out
}

// AddCorrection records a person's correction and returns its ID.
func (t *pgTx) AddCorrection(ctx context.Context, kind string, body []byte) (int64, error) {
	if body == nil {
		body = []byte{}
	}
	var id int64
	err := t.queryRow(ctx, `INSERT INTO correction (id, kind, body, at)
		VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM correction), $1, $2, $3) RETURNING id`, kind, body, nowText()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("postgres: add correction: %w", err)
	}
	return id, nil
}

// Correction returns a recorded correction.
func (t *pgTx) Correction(ctx context.Context, id int64) (kind string, body []byte, undone bool, err error) {
	err = t.queryRow(ctx, "SELECT kind, body, undone FROM correction WHERE id = $1", id).Scan(&kind, &body, &undone)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, false, fmt.Errorf("postgres: correction %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("postgres: correction %d: %w", id, err)
	}
	return kind, body, undone, nil
}

// SetUndone marks a correction undone.
func (t *pgTx) SetUndone(ctx context.Context, id int64) error {
	if _, err := t.exec(ctx, "UPDATE correction SET undone = true WHERE id = $1", id); err != nil {
		return fmt.Errorf("postgres: correction %d: %w", id, err)
	}
	return nil
}

// UnmergeEntity undoes a merge of from into into: the spellings norms go
// back to from, with their mentions, and from stands on its own again.
func (t *pgTx) UnmergeEntity(ctx context.Context, into, from int64, norms []string) error {
	texts, err := t.mentionTexts(ctx, into, norms...)
	if err != nil {
		return fmt.Errorf("postgres: unmerge entity %d from %d: %w", from, into, err)
	}
	err = t.batch(ctx,
		stmt{"UPDATE entity_variant SET entity = $1 WHERE entity = $2 AND norm = ANY($3)", []any{from, into, norms}},
		stmt{"UPDATE mention SET entity = $1 WHERE entity = $2 AND text = ANY($3)", []any{from, into, texts}},
		stmt{"UPDATE entity SET merged_into = NULL WHERE id = $1", []any{from}},
	)
	if err != nil {
		return fmt.Errorf("postgres: unmerge entity %d from %d: %w", from, into, err)
	}
	return nil
}

// ForgetSplit undoes a person's separation of a and b.
func (t *pgTx) ForgetSplit(ctx context.Context, a, b int64) error {
	if _, err := t.exec(ctx, "DELETE FROM entity_split WHERE a = $1 AND b = $2", min(a, b), max(a, b)); err != nil {
		return fmt.Errorf("postgres: forget split %d %d: %w", a, b, err)
	}
	return nil
}
