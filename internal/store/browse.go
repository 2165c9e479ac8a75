package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StoryQuery selects a page of stories for browsing.
type StoryQuery struct {
	Lang    string    // with an article in this language
	Outlet  string    // with an article from this outlet
	After   time.Time // last seen at or after
	Before  time.Time // first seen before
	Biggest bool      // by article count rather than by last seen
	Cursor  string    // the previous page's next cursor
	Limit   int
}

// MaxPage bounds a page of any listing; every item stays reachable by
// following the cursors.
const MaxPage = 500

// StoriesPage returns a page of stories, most recent (or biggest) first,
// and the cursor of the next page ("" at the end).
func (s *SQLite) StoriesPage(ctx context.Context, q StoryQuery) ([]Story, string, error) {
	limit := min(max(q.Limit, 1), MaxPage)
	var where []string
	var args []any
	if q.Lang != "" {
		where = append(where, "EXISTS (SELECT 1 FROM article WHERE article.story = story.id AND article.lang = ?)")
		args = append(args, q.Lang)
	}
	if q.Outlet != "" {
		where = append(where, "EXISTS (SELECT 1 FROM article WHERE article.story = story.id AND article.source = ?)")
		args = append(args, q.Outlet)
	}
	if !q.After.IsZero() {
		t, err := encodeTime(q.After)
		if err != nil {
			return nil, "", fmt.Errorf("store: stories: %w", err)
		}
		where = append(where, "last_seen >= ?")
		args = append(args, t)
	}
	if !q.Before.IsZero() {
		t, err := encodeTime(q.Before)
		if err != nil {
			return nil, "", fmt.Errorf("store: stories: %w", err)
		}
		where = append(where, "first_seen < ?")
		args = append(args, t)
	}
	// Keyset paging: the cursor holds the last row's sort key and ID.
	// Undated stories (NULL last seen) come last when sorting by time.
	key := "last_seen"
	if q.Biggest {
		key = "articles"
	}
	if q.Cursor != "" {
		k, id, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, "", fmt.Errorf("store: stories: %w", err)
		}
		switch {
		case q.Biggest:
			n, err := strconv.Atoi(k)
			if err != nil {
				return nil, "", fmt.Errorf("store: stories: bad cursor")
			}
			where = append(where, "(articles < ? OR articles = ? AND id < ?)")
			args = append(args, n, n, id)
		case k == "":
			where = append(where, "(last_seen IS NULL AND id < ?)")
			args = append(args, id)
		default:
			where = append(where, "(last_seen < ? OR last_seen IS NULL OR last_seen = ? AND id < ?)")
			args = append(args, k, k, id)
		}
	}
	query := "SELECT " + storyColumns + ", COALESCE(" + key + ", '') FROM story"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY " + key + " DESC, id DESC LIMIT ?"
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("store: stories: %w", err)
	}
	defer rows.Close()
	var (
		out  []Story
		keys []string
	)
	for rows.Next() {
		var k string
		st, err := scanStory(scanner(func(dest ...any) error { return rows.Scan(append(dest, &k)...) }))
		if err != nil {
			return nil, "", err
		}
		out = append(out, st)
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store: stories: %w", err)
	}
	next := ""
	if len(out) > limit {
		out, keys = out[:limit], keys[:limit]
		next = encodeCursor(keys[limit-1], out[limit-1].ID)
	}
	return out, next, nil
}

// scanner adapts a function to the Scan interface scanStory takes.
type scanner func(dest ...any) error

func (f scanner) Scan(dest ...any) error { return f(dest...) }

// encodeCursor makes an opaque cursor of a sort key and an ID.
func encodeCursor(key string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "\x00" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (string, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", 0, fmt.Errorf("bad cursor")
	}
	k, idText, ok := strings.Cut(string(b), "\x00")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		return "", 0, fmt.Errorf("bad cursor")
	}
	return k, id, nil
}

// EntityStories returns the latest stories readers see that name an
// entity (following merges: mentions moved with them), most recent first.
func (s *SQLite) EntityStories(ctx context.Context, entityID int64, limit int) ([]Story, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+storyColumns+` FROM story WHERE id IN (
		SELECT DISTINCT a.story FROM mention m JOIN article a ON a.id = m.article WHERE m.entity = ?)
		ORDER BY last_seen DESC, id DESC LIMIT ?`, entityID, min(max(limit, 1), MaxPage))
	if err != nil {
		return nil, fmt.Errorf("store: stories of entity %d: %w", entityID, err)
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
	return out, rows.Err()
}

// SpeakerQuotes returns the latest quotes an entity said.
func (s *SQLite) SpeakerQuotes(ctx context.Context, entityID int64, limit int) ([]Quote, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, article, start, end, text, speaker, speaker_entity, via, confidence
		FROM quote WHERE speaker_entity = ? ORDER BY article DESC, start LIMIT ?`, entityID, min(max(limit, 1), MaxPage))
	if err != nil {
		return nil, fmt.Errorf("store: quotes of entity %d: %w", entityID, err)
	}
	defer rows.Close()
	var out []Quote
	for rows.Next() {
		var (
			q  Quote
			id sql.NullInt64
		)
		if err := rows.Scan(&q.ID, &q.Article, &q.Start, &q.End, &q.Text, &q.Speaker, &id, &q.Via, &q.Confidence); err != nil {
			return nil, fmt.Errorf("store: quotes of entity %d: %w", entityID, err)
		}
		q.SpeakerEntity = id.Int64
		out = append(out, q)
	}
	return out, rows.Err()
}

// OutletLangs returns the languages an outlet writes in and how many of its
// articles are stored.
func (s *SQLite) OutletLangs(ctx context.Context, outlet string) ([]string, int, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT lang, COUNT(*) FROM article WHERE source = ? GROUP BY lang ORDER BY lang", outlet)
	if err != nil {
		return nil, 0, fmt.Errorf("store: outlet %q: %w", outlet, err)
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
			return nil, 0, fmt.Errorf("store: outlet %q: %w", outlet, err)
		}
		if l != "" {
			langs = append(langs, l)
		}
		total += n
	}
	return langs, total, rows.Err()
}

// LastStored returns when the latest article was stored (zero for none).
func (s *SQLite) LastStored(ctx context.Context) (time.Time, error) {
	var v sql.NullString
	if err := s.read.QueryRowContext(ctx, "SELECT stored FROM article ORDER BY id DESC LIMIT 1").Scan(&v); err != nil && err != sql.ErrNoRows {
		return time.Time{}, fmt.Errorf("store: last stored: %w", err)
	}
	return decodeTime(v)
}
