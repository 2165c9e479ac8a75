package postgres

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storyline/storyline/internal/store"
)

// The listings the web UI and API page through, as the SQLite store's
// (store/browse.go) with the same cursors, so that a cursor made by
// either store reads the same position in the other.

// StoriesPage returns a page of stories, most recent (or biggest) first,
// undated last, and the cursor of the next page ("" at the end).
func (s *Store) StoriesPage(ctx context.Context, q store.StoryQuery) ([]store.Story, string, error) {
	limit := min(max(q.Limit, 1), store.MaxPage)
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Lang != "" {
		where = append(where, "EXISTS (SELECT 1 FROM article WHERE article.story = story.id AND article.lang = "+arg(cleanText(q.Lang))+")")
	}
	if q.Outlet != "" {
		where = append(where, "EXISTS (SELECT 1 FROM article WHERE article.story = story.id AND article.source = "+arg(cleanText(q.Outlet))+")")
	}
	for _, b := range []struct {
		t    time.Time
		cond string
	}{{q.After, "last_seen >= "}, {q.Before, "first_seen < "}} {
		if b.t.IsZero() {
			continue
		}
		enc, err := encodeTime(b.t)
		if err != nil {
			return nil, "", fmt.Errorf("postgres: stories: %w", err)
		}
		where = append(where, b.cond+arg(enc))
	}
	// Keyset paging: the cursor holds the last row's sort key and ID.
	key, order := "last_seen", "last_seen DESC NULLS LAST, id DESC"
	if q.Biggest {
		key, order = "articles", "articles DESC, id DESC"
	}
	if q.Cursor != "" {
		k, id, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, "", fmt.Errorf("postgres: stories: %w", err)
		}
		switch {
		case q.Biggest:
			n, err := strconv.Atoi(k)
			if err != nil {
				return nil, "", errors.New("postgres: stories: bad cursor")
			}
			a, i := arg(n), arg(id)
			where = append(where, "(articles < "+a+" OR articles = "+a+" AND id < "+i+")")
		case k == "":
			where = append(where, "(last_seen IS NULL AND id < "+arg(id)+")")
		default:
			c, i := arg(cleanText(k)), arg(id)
			where = append(where, "(last_seen < "+c+" OR last_seen IS NULL OR last_seen = "+c+" AND id < "+i+")")
		}
	}
	query := "SELECT " + storyColumns + ", COALESCE(" + key + "::text, '') FROM story"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY " + order + " LIMIT " + arg(limit+1)
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("postgres: stories: %w", err)
	}
	defer rows.Close()
	var (
		out  []store.Story
		keys []string
	)
	for rows.Next() {
		var k string
		st, err := scanStory(extraScan{rows, &k})
		if err != nil {
			return nil, "", fmt.Errorf("postgres: stories: %w", err)
		}
		out = append(out, st)
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("postgres: stories: %w", err)
	}
	next := ""
	if len(out) > limit {
		out, keys = out[:limit], keys[:limit]
		next = encodeCursor(keys[limit-1], out[limit-1].ID)
	}
	return out, next, nil
}

// extraScan scans a row into the destinations it is given, then extra.
type extraScan struct {
	row   pgx.Row
	extra any
}

func (e extraScan) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra)...) }

// encodeCursor makes an opaque cursor of a sort key and an ID, as
// store.SQLite does.
func encodeCursor(key string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "\x00" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (string, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", 0, errors.New("bad cursor")
	}
	k, idText, ok := strings.Cut(string(b), "\x00")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		return "", 0, errors.New("bad cursor")
	}
	return k, id, nil
}

// EntityStories returns the latest stories readers see that name an
// entity (following merges: mentions moved with them), most recent first.
func (s *Store) EntityStories(ctx context.Context, entityID int64, limit int) ([]store.Story, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+storyColumns+` FROM story WHERE id IN (
		SELECT a.story FROM mention m JOIN article a ON a.id = m.article WHERE m.entity = $1)
		ORDER BY last_seen DESC NULLS LAST, id DESC LIMIT $2`, entityID, min(max(limit, 1), store.MaxPage))
	if err != nil {
		return nil, fmt.Errorf("postgres: stories of entity %d: %w", entityID, err)
	}
	defer rows.Close()
	var out []store.Story
	for rows.Next() {
		st, err := scanStory(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: stories of entity %d: %w", entityID, err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// SpeakerQuotes returns the latest quotes an entity said.
func (s *Store) SpeakerQuotes(ctx context.Context, entityID int64, limit int) ([]store.Quote, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, article, start, "end", text, speaker, speaker_entity, via, confidence
		FROM quote WHERE speaker_entity = $1 ORDER BY article DESC, start, id LIMIT $2`, entityID, min(max(limit, 1), store.MaxPage))
	if err != nil {
		return nil, fmt.Errorf("postgres: quotes of entity %d: %w", entityID, err)
	}
	defer rows.Close()
	var out []store.Quote
	for rows.Next() {
		var (
			q  store.Quote
			id *int64
		)
		if err := rows.Scan(&q.ID, &q.Article, &q.Start, &q.End, &q.Text, &q.Speaker, &id, &q.Via, &q.Confidence); err != nil {
			return nil, fmt.Errorf("postgres: quotes of entity %d: %w", entityID, err)
		}
		q.SpeakerEntity = deref(id)
		out = append(out, q)
	}
	return out, rows.Err()
}

// OutletLangs returns the languages an outlet writes in and how many of its
// articles are stored.
func (s *Store) OutletLangs(ctx context.Context, outlet string) ([]string, int, error) {
	rows, err := s.pool.Query(ctx, "SELECT lang, COUNT(*) FROM article WHERE source = $1 GROUP BY lang ORDER BY lang", cleanText(outlet))
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: outlet %q: %w", outlet, err)
	}
	defer rows.Close()
	var langs []string
	total := 0
	for rows.Next() {
		var (
			l string
			n int
		)
		if err := rows.Scan(&l, &n); err != nil {
			return nil, 0, fmt.Errorf("postgres: outlet %q: %w", outlet, err)
		}
		if l != "" {
			langs = append(langs, l)
		}
		total += n
	}
	return langs, total, rows.Err()
}

// LastStored returns when the latest article was stored (zero for none).
func (s *Store) LastStored(ctx context.Context) (time.Time, error) {
	var v *string
	err := s.pool.QueryRow(ctx, "SELECT stored FROM article ORDER BY id DESC LIMIT 1").Scan(&v)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, fmt.Errorf("postgres: last stored: %w", err)
	}
	return decodeTime(v)
}
