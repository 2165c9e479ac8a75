package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/storyline/storyline/internal/store"
)

var (
	_ store.RowReader = (*Store)(nil)
	_ store.RowWriter = (*pgTx)(nil)
)

// copyTable returns the table of store.CopyTables named as t is, so that
// no name from elsewhere reaches a query.
func copyTable(t store.CopyTable) (store.CopyTable, error) {
	for _, c := range store.CopyTables {
		if c.Name == t.Name {
			return c, nil
		}
	}
	return store.CopyTable{}, fmt.Errorf("no table %q to copy", t.Name)
}

func columnNames(cs []store.CopyColumn) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

func columnList(cs []store.CopyColumn) string {
	names := columnNames(cs)
	for i, n := range names {
		names[i] = pgx.Identifier{n}.Sanitize()
	}
	return strings.Join(names, ", ")
}

// ReadRows returns rows of t after the key after, in key order (see
// store.RowReader).
func (s *Store) ReadRows(ctx context.Context, t store.CopyTable, after []any, limit int) ([][]any, error) {
	t, err := copyTable(t)
	if err != nil {
		return nil, fmt.Errorf("postgres: read rows: %w", err)
	}
	if t.Name == store.StorySeqTable {
		var v int64
		if err := s.pool.QueryRow(ctx, "SELECT value FROM story_seq").Scan(&v); err != nil {
			return nil, fmt.Errorf("postgres: read rows of %s: %w", t.Name, err)
		}
		if after != nil || v == 0 {
			return nil, nil
		}
		return [][]any{{v}}, nil
	}
	keys := columnList(t.Columns[:t.Key])
	q := "SELECT " + columnList(t.Columns) + " FROM " + pgx.Identifier{t.Name}.Sanitize()
	var args []any
	if after != nil {
		if len(after) != t.Key {
			return nil, fmt.Errorf("postgres: read rows of %s: key of %d columns, want %d", t.Name, len(after), t.Key)
		}
		marks := make([]string, len(after))
		for i := range after {
			marks[i] = "$" + strconv.Itoa(i+1)
		}
		q += " WHERE (" + keys + ") > (" + strings.Join(marks, ", ") + ")"
		args = append(args, after...)
	}
	q += " ORDER BY " + keys + " LIMIT $" + strconv.Itoa(len(args)+1)
	rows, err := s.pool.Query(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("postgres: read rows of %s: %w", t.Name, err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		dest := make([]any, len(t.Columns))
		for i, c := range t.Columns {
			dest[i] = newDest(c.Kind)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("postgres: read rows of %s: %w", t.Name, err)
		}
		row := make([]any, len(dest))
		for i := range dest {
			row[i] = destValue(dest[i])
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: read rows of %s: %w", t.Name, err)
	}
	return out, nil
}

// newDest returns where a column of kind k scans to, NULL included.
func newDest(k store.ColumnKind) any {
	switch k {
	case store.KindInt:
		return new(*int64)
	case store.KindText:
		return new(*string)
	case store.KindBytes:
		return new([]byte)
	case store.KindFloat:
		return new(*float64)
	case store.KindBool:
		return new(*bool)
	case store.KindStrings:
		return new([]string)
	case store.KindTitles:
		return new(map[string]string)
	case store.KindIDs:
		return new([]int64)
	}
	return new(any)
}

// destValue returns the value newDest's d scanned, nil for NULL (and for
// empty lists, which the stores keep as NULL).
func destValue(d any) any {
	switch d := d.(type) {
	case **int64:
		if *d != nil {
			return **d
		}
	case **string:
		if *d != nil {
			return **d
		}
	case **float64:
		if *d != nil {
			return **d
		}
	case **bool:
		if *d != nil {
			return **d
		}
	case *[]byte:
		if *d != nil {
			return *d
		}
	case *[]string:
		if len(*d) > 0 {
			return *d
		}
	case *map[string]string:
		if len(*d) > 0 {
			return *d
		}
	case *[]int64:
		if len(*d) > 0 {
			return *d
		}
	case *any:
		return *d
	}
	return nil
}

// toPostgres makes a value of its kind storable (cleanText), keeping
// empty lists as NULL as the writer does.
func toPostgres(v any) any {
	switch x := v.(type) {
	case string:
		return cleanText(x)
	case []string:
		if len(x) == 0 {
			return nil
		}
		return clean([]any{x})[0]
	case map[string]string:
		if len(x) == 0 {
			return nil
		}
		return clean([]any{x})[0]
	case []int64:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}

// WriteRows inserts rows of t with COPY, then writes the full-text index
// of the articles among them (see store.RowWriter).
func (t *pgTx) WriteRows(ctx context.Context, tbl store.CopyTable, rows [][]any) error {
	if t.done {
		return errEnded
	}
	tbl, err := copyTable(tbl)
	if err != nil {
		return fmt.Errorf("postgres: write rows: %w", err)
	}
	if tbl.Name == store.StorySeqTable {
		for _, r := range rows {
			if _, err := t.exec(ctx, "UPDATE story_seq SET value = GREATEST(value, $1)", r[0]); err != nil {
				return fmt.Errorf("postgres: write rows of %s: %w", tbl.Name, err)
			}
		}
		return nil
	}
	out := make([][]any, len(rows))
	for i, r := range rows {
		if len(r) != len(tbl.Columns) {
			return fmt.Errorf("postgres: write rows of %s: a row of %d values, want %d", tbl.Name, len(r), len(tbl.Columns))
		}
		out[i] = make([]any, len(r))
		for j := range r {
			out[i][j] = toPostgres(r[j])
		}
	}
	if tbl.Name == "article" {
		if err := t.insertArticles(ctx, tbl, out); err != nil {
			return fmt.Errorf("postgres: write rows of %s: %w", tbl.Name, err)
		}
		return nil
	}
	if err := t.flush(ctx); err != nil {
		return fmt.Errorf("postgres: write rows of %s: %w", tbl.Name, err)
	}
	if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{tbl.Name}, columnNames(tbl.Columns), pgx.CopyFromRows(out)); err != nil {
		return fmt.Errorf("postgres: write rows of %s: %w", tbl.Name, err)
	}
	return nil
}

// insertArticles inserts copied articles with their full-text index,
// written as the writer writes it (InsertArticle, then SetStemmed), so
// that they are found and ranked as the articles stored here are. One
// statement over arrays, a column each: COPY, then an UPDATE of the
// index, wrote every row twice and took a third longer.
func (t *pgTx) insertArticles(ctx context.Context, tbl store.CopyTable, rows [][]any) error {
	cols := make([]any, len(tbl.Columns))
	types := make([]string, len(tbl.Columns))
	names := make([]string, len(tbl.Columns))
	var title, text, stemmed int
	for j, c := range tbl.Columns {
		names[j] = pgx.Identifier{c.Name}.Sanitize()
		switch c.Name {
		case "title":
			title = j
		case "text":
			text = j
		case "stemmed":
			stemmed = j
		}
		switch c.Kind {
		case store.KindInt:
			col := make([]*int64, len(rows))
			for i, r := range rows {
				if v, ok := r[j].(int64); ok {
					col[i] = &v
				}
			}
			cols[j], types[j] = col, "bigint[]"
		case store.KindText:
			col := make([]*string, len(rows))
			for i, r := range rows {
				if v, ok := r[j].(string); ok {
					col[i] = &v
				}
			}
			cols[j], types[j] = col, "text[]"
		case store.KindBytes:
			col := make([][]byte, len(rows))
			for i, r := range rows {
				col[i], _ = r[j].([]byte)
			}
			cols[j], types[j] = col, "bytea[]"
		case store.KindBool:
			col := make([]*bool, len(rows))
			for i, r := range rows {
				if v, ok := r[j].(bool); ok {
					col[i] = &v
				}
			}
			cols[j], types[j] = col, "boolean[]"
		default:
			return fmt.Errorf("column %s of kind %d", c.Name, c.Kind)
		}
	}
	str := func(v any) string { s, _ := v.(string); return s }
	arts := make([]string, len(rows))
	stems := make([]string, len(rows))
	for i, r := range rows {
		arts[i] = articleVector(str(r[title]), str(r[text]))
		stems[i] = stemmedVector(str(r[stemmed]))
	}
	args := append(cols, arts, stems)
	params := make([]string, len(args))
	for j := range params {
		typ := "text[]"
		if j < len(types) {
			typ = types[j]
		}
		params[j] = fmt.Sprintf("$%d::%s", j+1, typ)
	}
	list := strings.Join(names, ", ")
	_, err := t.exec(ctx, "INSERT INTO article ("+list+", fts) SELECT "+list+
		", v.art_fts::tsvector || v.stem_fts::tsvector FROM unnest("+strings.Join(params, ", ")+
		") AS v ("+list+", art_fts, stem_fts)", args...)
	return err
}
