package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ColumnKind is the Go type a column's values have between stores (Copy):
// each store reads its own representation into it and writes it back in
// its own. Any value may also be nil, for NULL.
type ColumnKind uint8

// Kinds of column.
const (
	KindInt     ColumnKind = iota // int64
	KindText                      // string
	KindBytes                     // []byte
	KindFloat                     // float64
	KindBool                      // bool
	KindStrings                   // []string: SQLite's JSON array, PostgreSQL's text[]
	KindTitles                    // map[string]string: SQLite's JSON object, PostgreSQL's jsonb
	KindIDs                       // []int64: SQLite's JSON array, PostgreSQL's bigint[]
)

// CopyColumn is one column of a CopyTable.
type CopyColumn struct {
	Name string
	Kind ColumnKind
}

// CopyTable is one table as Copy moves it: the columns both stores keep
// (not what a store derives, such as its full-text index), the first Key
// of them its primary key, in whose order it is read and copied.
type CopyTable struct {
	Name    string
	Key     int
	Columns []CopyColumn
}

// StorySeqTable is no table but the highest story ID ever handed out
// (SQLite's sqlite_sequence row, PostgreSQL's story_seq), one row of one
// column, so that a copy never hands out a deleted story's ID again.
const StorySeqTable = "story_seq"

func cols(spec ...any) []CopyColumn {
	out := make([]CopyColumn, 0, len(spec)/2)
	for i := 0; i < len(spec); i += 2 {
		out = append(out, CopyColumn{Name: spec[i].(string), Kind: spec[i+1].(ColumnKind)})
	}
	return out
}

// CopyTables are a store's tables in the order Copy moves them: stories
// before the articles that refer to them; an article refers only to
// earlier ones (its original, its page's main article).
var CopyTables = []CopyTable{
	{Name: "story", Key: 1, Columns: cols("id", KindInt, "headline", KindText, "titles", KindTitles,
		"first_seen", KindText, "last_seen", KindText, "articles", KindInt, "langs", KindStrings,
		"outlets", KindStrings, "top_terms", KindStrings)},
	{Name: "article", Key: 1, Columns: cols("id", KindInt, "external_id", KindText, "input", KindText,
		"url", KindText, "source", KindText, "lang", KindText, "title", KindText, "text", KindText,
		"author", KindText, "dateline", KindText, "published", KindText, "fetched", KindText,
		"stored", KindText, "related", KindBool, "related_of", KindInt, "content_hash", KindText,
		"minhash", KindBytes, "duplicate_of", KindInt, "story", KindInt, "stemmed", KindText,
		"stream_story", KindInt, "stream_at", KindText, "evicted", KindBool)},
	{Name: "band", Key: 2, Columns: cols("key", KindInt, "article_id", KindInt)},
	{Name: "story_event", Key: 1, Columns: cols("id", KindInt, "kind", KindText, "story", KindInt,
		"other", KindInt, "at", KindText, "detail", KindText, "articles", KindIDs)},
	{Name: "validator", Key: 1, Columns: cols("url", KindText, "etag", KindText, "last_modified", KindText,
		"updated", KindText)},
	{Name: "stream_story", Key: 1, Columns: cols("id", KindInt, "first_at", KindText, "last_at", KindText,
		"restamped", KindBool, "changed", KindBool, "active", KindBool)},
	{Name: "story_part", Key: 1, Columns: cols("founder", KindInt, "story", KindInt)},
	{Name: "meta", Key: 1, Columns: cols("key", KindText, "value", KindBytes)},
	{Name: "entity", Key: 1, Columns: cols("id", KindInt, "canonical", KindText, "type", KindText,
		"mentions", KindInt, "first_seen", KindText, "story", KindInt, "merged_into", KindInt)},
	{Name: "entity_variant", Key: 2, Columns: cols("entity", KindInt, "norm", KindText, "text", KindText,
		"lang", KindText, "key", KindText, "surname", KindText, "mentions", KindInt, "first_seen", KindText,
		"evidence", KindText)},
	{Name: "entity_merge", Key: 1, Columns: cols("id", KindInt, "into_id", KindInt, "from_id", KindInt,
		"by", KindText, "evidence", KindText, "at", KindText)},
	{Name: "entity_split", Key: 2, Columns: cols("a", KindInt, "b", KindInt, "at", KindText)},
	{Name: "mention", Key: 3, Columns: cols("article", KindInt, "field", KindInt, "start", KindInt,
		"end", KindInt, "text", KindText, "type", KindText, "title", KindText, "entity", KindInt)},
	{Name: "quote", Key: 1, Columns: cols("id", KindInt, "article", KindInt, "start", KindInt, "end", KindInt,
		"text", KindText, "speaker", KindText, "speaker_entity", KindInt, "via", KindText, "confidence", KindFloat)},
	{Name: "figure", Key: 2, Columns: cols("article", KindInt, "start", KindInt, "end", KindInt, "text", KindText,
		"value", KindFloat, "unit", KindText, "counts", KindText, "year", KindText, "approx", KindBool,
		"rounding", KindFloat)},
	{Name: "correction", Key: 1, Columns: cols("id", KindInt, "kind", KindText, "body", KindBytes,
		"at", KindText, "undone", KindBool)},
	{Name: "story_digest", Key: 1, Columns: cols("story", KindInt, "built", KindText, "body", KindBytes)},
	{Name: StorySeqTable, Key: 1, Columns: cols("value", KindInt)},
}

// RowReader is implemented by stores Copy reads (both stores).
type RowReader interface {
	// ReadRows returns up to limit rows of t whose key comes after after
	// (nil: from the first), in key order: each row's values in
	// t.Columns' order, of their kinds, nil for NULL.
	ReadRows(ctx context.Context, t CopyTable, after []any, limit int) ([][]any, error)
}

// RowWriter is implemented by the transactions of stores Copy writes
// (both stores).
type RowWriter interface {
	// WriteRows inserts rows of t, as ReadRows gives them, and whatever
	// the store derives from them (its full-text index). A row whose key
	// is already stored is an error.
	WriteRows(ctx context.Context, t CopyTable, rows [][]any) error
}

// CopyMetaKey is the meta key under which Copy records, in the target,
// how far it got; it is not copied itself.
const CopyMetaKey = "copy"

// CopyOptions tune Copy.
type CopyOptions struct {
	// Batch is how many rows one transaction of the target writes, and
	// so how much an interruption redoes and a batch holds in memory.
	// Default 1000: copying 3,088 ECB+ articles (3 KB each, their 32
	// bands and 10 mentions) from SQLite to PostgreSQL (BenchmarkCopy,
	// on a shared 2-core machine) ran at 330 articles/s in batches of
	// 100, 460 in batches of 1000 and 560 in batches of 5000, whose
	// articles are some 15 MB a transaction, and many times that for
	// stores of long pages.
	Batch int
	// Progress, when set, is called after each batch is committed.
	Progress func(CopyProgress)
}

// CopyProgress says how far a copy is.
type CopyProgress struct {
	Table string // the table being copied
	Rows  int64  // rows of it copied, by this run and earlier ones
	Total int64  // rows copied of every table
}

// CopyReport says what a copy did.
type CopyReport struct {
	// Rows are the rows copied of each table, by this run and the
	// earlier ones it finished.
	Rows map[string]int64
	// Resumed: an earlier run was interrupted and this one went on from
	// where it stopped; AlreadyDone: an earlier run had finished.
	Resumed, AlreadyDone bool
	Took                 time.Duration
}

// copyRecord is what the target keeps under CopyMetaKey.
type copyRecord struct {
	Source string           `json:"source"` // a fingerprint of the source
	Table  string           `json:"table"`  // the table in hand
	After  []any            `json:"after"`  // the key of its last row copied
	Rows   map[string]int64 `json:"rows"`
	Done   bool             `json:"done"`
}

// ErrCopyTarget is returned by Copy when the target holds another store,
// or part of a copy of another source, or of this source before it
// changed.
var ErrCopyTarget = errors.New("store: copy: the target is not empty")

// Copy copies every row of src into dst, which must be empty: articles
// with their placements and bands, stories, their events, the stream's
// state and meta, entities with their variants, merges and separations,
// mentions, quotes, figures, corrections, digests and conditional-GET
// state, with their IDs and times, so that dst then reads as src does.
// src must be a RowReader and dst's transactions RowWriters (both stores
// are).
//
// It copies table after table in key order, a batch per transaction,
// recording in each how far it got (in dst's meta, under CopyMetaKey).
// Interrupted, it is run again with the same stores to finish: it goes
// on after the last batch committed, so nothing is copied twice. Nothing
// may write src meanwhile: a rerun refuses a source whose articles,
// stories or stream state have changed. Run again after it finished,
// it does nothing.
func Copy(ctx context.Context, dst, src Store, opt CopyOptions) (*CopyReport, error) {
	start := time.Now()
	if opt.Batch <= 0 {
		opt.Batch = 1000
	}
	rr, ok := src.(RowReader)
	if !ok {
		return nil, fmt.Errorf("store: copy: the source (%T) cannot be read row by row", src)
	}
	fp, err := fingerprint(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("store: copy: %w", err)
	}
	rec, err := copyStart(ctx, dst, fp)
	if err != nil {
		return nil, err
	}
	rep := &CopyReport{Rows: rec.Rows, Resumed: rec.Table != "" && !rec.Done, AlreadyDone: rec.Done}
	if rec.Done {
		rep.Took = time.Since(start)
		return rep, nil
	}
	var total int64
	for _, n := range rec.Rows {
		total += n
	}
	from := 0
	for i, t := range CopyTables {
		if t.Name == rec.Table {
			from = i
		}
	}
	for _, t := range CopyTables[from:] {
		after := []any(nil)
		if t.Name == rec.Table {
			if after, err = decodeKey(t, rec.After); err != nil {
				return rep, fmt.Errorf("store: copy %s: resuming: %w", t.Name, err)
			}
		}
		for {
			rows, err := rr.ReadRows(ctx, t, after, opt.Batch)
			if err != nil {
				return rep, fmt.Errorf("store: copy %s: %w", t.Name, err)
			}
			n := len(rows)
			if n == 0 {
				break
			}
			after = rows[n-1][:t.Key]
			if t.Name == "meta" {
				rows = withoutKey(rows, CopyMetaKey)
			}
			rec.Table, rec.After = t.Name, after
			rec.Rows[t.Name] += int64(len(rows))
			if err := copyBatch(ctx, dst, t, rows, rec); err != nil {
				rec.Rows[t.Name] -= int64(len(rows))
				return rep, fmt.Errorf("store: copy %s: %w", t.Name, err)
			}
			total += int64(len(rows))
			if opt.Progress != nil {
				opt.Progress(CopyProgress{Table: t.Name, Rows: rec.Rows[t.Name], Total: total})
			}
			if n < opt.Batch {
				break
			}
		}
	}
	rec.Done = true
	if err := copyBatch(ctx, dst, CopyTable{}, nil, rec); err != nil {
		return rep, fmt.Errorf("store: copy: %w", err)
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// fingerprint sums up what changes when anything writes a store: its
// counts, its highest story ID and the stream's and people's state.
func fingerprint(ctx context.Context, st Store) (string, error) {
	arts, stories, err := st.Counts(ctx)
	if err != nil {
		return "", err
	}
	maxStory, err := st.MaxStoryID(ctx)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%d %d %d", arts, stories, maxStory)
	for _, k := range []string{"checkpoint", "settled", "constraints"} {
		v, err := st.Meta(ctx, k)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "\x00%s\x00%d\x00", k, len(v))
		h.Write(v)
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// copyStart reads dst's record of an earlier copy, checking that it was
// of this source; without one, dst must be empty.
func copyStart(ctx context.Context, dst Store, fp string) (copyRecord, error) {
	rec := copyRecord{Source: fp, Rows: map[string]int64{}}
	b, err := dst.Meta(ctx, CopyMetaKey)
	if err != nil {
		return rec, fmt.Errorf("store: copy: %w", err)
	}
	if b == nil {
		arts, stories, err := dst.Counts(ctx)
		if err != nil {
			return rec, fmt.Errorf("store: copy: %w", err)
		}
		if arts > 0 || stories > 0 {
			return rec, fmt.Errorf("%w: it holds %d articles and %d stories", ErrCopyTarget, arts, stories)
		}
		return rec, nil
	}
	var old copyRecord
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&old); err != nil {
		return rec, fmt.Errorf("store: copy: the target's record of an earlier copy: %w", err)
	}
	if old.Source != fp {
		if old.Done {
			return rec, fmt.Errorf("%w: it holds a copy of another store, or of this one before it changed", ErrCopyTarget)
		}
		return rec, fmt.Errorf("%w: it holds part of a copy of another store, or of this one before it changed: "+
			"copy into an empty store", ErrCopyTarget)
	}
	if old.Rows == nil {
		old.Rows = map[string]int64{}
	}
	return old, nil
}

// copyBatch writes rows of t and the record in one transaction.
func copyBatch(ctx context.Context, dst Store, t CopyTable, rows [][]any, rec copyRecord) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	tx, err := dst.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if len(rows) > 0 {
		w, ok := tx.(RowWriter)
		if !ok {
			return fmt.Errorf("the target's transactions (%T) cannot write rows", tx)
		}
		if err := w.WriteRows(ctx, t, rows); err != nil {
			return err
		}
	}
	if err := tx.SetMeta(ctx, CopyMetaKey, b); err != nil {
		return err
	}
	return tx.Commit()
}

// decodeKey turns a key read back from JSON into t's kinds.
func decodeKey(t CopyTable, key []any) ([]any, error) {
	if key == nil {
		return nil, nil
	}
	if len(key) != t.Key {
		return nil, fmt.Errorf("key %v of %d columns, want %d", key, len(key), t.Key)
	}
	out := make([]any, len(key))
	for i, v := range key {
		switch t.Columns[i].Kind {
		case KindInt:
			n, ok := v.(json.Number)
			if !ok {
				return nil, fmt.Errorf("key %v: column %s not a number", key, t.Columns[i].Name)
			}
			x, err := strconv.ParseInt(string(n), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("key %v: %w", key, err)
			}
			out[i] = x
		case KindText:
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("key %v: column %s not text", key, t.Columns[i].Name)
			}
			out[i] = s
		default:
			return nil, fmt.Errorf("key column %s of kind %d", t.Columns[i].Name, t.Columns[i].Kind)
		}
	}
	return out, nil
}

// withoutKey drops the row whose first column is key.
func withoutKey(rows [][]any, key string) [][]any {
	out := rows[:0:0]
	for _, r := range rows {
		if k, _ := r[0].(string); k != key {
			out = append(out, r)
		}
	}
	return out
}
