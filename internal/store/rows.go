package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

var (
	_ RowReader = (*SQLite)(nil)
	_ RowWriter = (*sqliteTx)(nil)
)

// copyTable returns the table of CopyTables named as t is, so that no
// name from elsewhere reaches a query.
func copyTable(t CopyTable) (CopyTable, error) {
	for _, c := range CopyTables {
		if c.Name == t.Name {
			return c, nil
		}
	}
	return CopyTable{}, fmt.Errorf("no table %q to copy", t.Name)
}

// columnList returns the names of cs, quoted, comma-separated.
func columnList(cs []CopyColumn) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + c.Name + `"`)
	}
	return b.String()
}

// ReadRows returns rows of t after the key after, in key order (see
// RowReader).
func (s *SQLite) ReadRows(ctx context.Context, t CopyTable, after []any, limit int) ([][]any, error) {
	t, err := copyTable(t)
	if err != nil {
		return nil, fmt.Errorf("store: read rows: %w", err)
	}
	if t.Name == StorySeqTable {
		var seq int64
		err := s.db.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = 'story'").Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) || after != nil {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("store: read rows of %s: %w", t.Name, err)
		}
		return [][]any{{seq}}, nil
	}
	keys := columnList(t.Columns[:t.Key])
	q := "SELECT " + columnList(t.Columns) + ` FROM "` + t.Name + `"`
	var args []any
	if after != nil {
		if len(after) != t.Key {
			return nil, fmt.Errorf("store: read rows of %s: key of %d columns, want %d", t.Name, len(after), t.Key)
		}
		q += " WHERE (" + keys + ") > (?" + strings.Repeat(", ?", t.Key-1) + ")"
		args = append(args, after...)
	}
	q += " ORDER BY " + keys + " LIMIT ?"
	rows, err := s.db.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: read rows of %s: %w", t.Name, err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		row := make([]any, len(t.Columns))
		dest := make([]any, len(row))
		for i := range row {
			dest[i] = &row[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: read rows of %s: %w", t.Name, err)
		}
		for i, c := range t.Columns {
			if row[i], err = fromSQLite(c.Kind, row[i]); err != nil {
				return nil, fmt.Errorf("store: read rows of %s: %s: %w", t.Name, c.Name, err)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read rows of %s: %w", t.Name, err)
	}
	return out, nil
}

// fromSQLite turns a value as SQLite gives it into its kind's.
func fromSQLite(k ColumnKind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	text := func() (string, bool) {
		switch x := v.(type) {
		case string:
			return x, true
		case []byte:
			return string(x), true
		}
		return "", false
	}
	switch k {
	case KindInt:
		if x, ok := v.(int64); ok {
			return x, nil
		}
	case KindText:
		if s, ok := text(); ok {
			return s, nil
		}
	case KindBytes:
		switch x := v.(type) {
		case []byte:
			if x == nil {
				x = []byte{} // a zero-length blob is not NULL
			}
			return x, nil
		case string:
			return []byte(x), nil
		}
	case KindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case KindBool:
		if x, ok := v.(int64); ok {
			return x != 0, nil
		}
	case KindStrings, KindTitles, KindIDs:
		s, ok := text()
		if !ok {
			break
		}
		var (
			out any
			err error
		)
		switch k {
		case KindStrings:
			var l []string
			err = json.Unmarshal([]byte(s), &l)
			if len(l) > 0 {
				out = l
			}
		case KindTitles:
			var m map[string]string
			err = json.Unmarshal([]byte(s), &m)
			if len(m) > 0 {
				out = m
			}
		default:
			var l []int64
			err = json.Unmarshal([]byte(s), &l)
			if len(l) > 0 {
				out = l
			}
		}
		return out, err
	}
	return nil, fmt.Errorf("value %T where kind %d is kept", v, k)
}

// toSQLite turns a value of its kind into what SQLite keeps.
func toSQLite(k ColumnKind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case KindStrings, KindTitles, KindIDs:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	case KindBool:
		if b, ok := v.(bool); ok && b {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return v, nil
}

// WriteRows inserts rows of t; Commit adds the articles to the full-text
// index, as it does the batch's own.
func (t *sqliteTx) WriteRows(ctx context.Context, tbl CopyTable, rows [][]any) error {
	tbl, err := copyTable(tbl)
	if err != nil {
		return fmt.Errorf("store: write rows: %w", err)
	}
	if tbl.Name == StorySeqTable {
		for _, r := range rows {
			res, err := t.exec(ctx, "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'story'", r[0])
			var n int64
			if err == nil {
				n, err = res.RowsAffected()
			}
			if err == nil && n == 0 {
				_, err = t.exec(ctx, "INSERT INTO sqlite_sequence (name, seq) VALUES ('story', ?)", r[0])
			}
			if err != nil {
				return fmt.Errorf("store: write rows of %s: %w", tbl.Name, err)
			}
		}
		return nil
	}
	q := `INSERT INTO "` + tbl.Name + `" (` + columnList(tbl.Columns) + ") VALUES (?" +
		strings.Repeat(", ?", len(tbl.Columns)-1) + ")"
	args := make([]any, len(tbl.Columns))
	for _, r := range rows {
		if len(r) != len(tbl.Columns) {
			return fmt.Errorf("store: write rows of %s: a row of %d values, want %d", tbl.Name, len(r), len(tbl.Columns))
		}
		for i, c := range tbl.Columns {
			if args[i], err = toSQLite(c.Kind, r[i]); err != nil {
				return fmt.Errorf("store: write rows of %s: %s: %w", tbl.Name, c.Name, err)
			}
		}
		if _, err := t.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: write rows of %s: %w", tbl.Name, err)
		}
		if id, ok := r[0].(int64); ok && tbl.Name == "article" {
			t.unindexed = append(t.unindexed, id)
		}
	}
	return nil
}
