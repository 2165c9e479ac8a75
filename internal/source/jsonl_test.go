package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/shared"
)

func TestJSONL(t *testing.T) {
	big := strings.Repeat("word ", 1<<20) // 5 MiB on one line
	lines := []string{
		`{"id":"a1","url":"https://ex.com/a","title":" Title ","text":"Clean text.","lang":"EN-us","published":"2025-04-09T10:00:00+09:00","source":"Kyodo","extra":{"x":[1,2]}}`,
		`{"id":42,"html":"<p>Some html</p>","published":"2025-04-09"}`,
		``,
		`not json at all`,
		`{"id":"no-body","title":"t"}`,
		`{"text":"` + big + `"}`,
		"{\"text\":\"crlf line\"}\r",
		`{"text":"   ","html":"<p>html wins over blank text</p>","published":"Wed, 9 Apr 2025 14:03:00 EST"}`,
		`{"text":{"nested":"object"}}`,
		`{"text":"last line without newline","published":1744192800}`,
	}
	data := strings.Join(lines, "\n")
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.jsonl")
	zipped := filepath.Join(dir, "b.jsonl.gz")
	writeFile(t, plain, []byte(data))
	writeFile(t, zipped, gz(t, []byte(data)))

	type want struct {
		line  int
		err   error
		kind  article.Kind
		check func(article.Page) error
	}
	wants := []want{
		{1, nil, article.KindClean, func(p article.Page) error {
			if p.ExternalID != "a1" || p.URL != "https://ex.com/a" || p.Title != "Title" || p.Lang != "en" || p.Source != "Kyodo" ||
				string(p.Body) != "Clean text." || !p.Published.Equal(time.Date(2025, 4, 9, 1, 0, 0, 0, time.UTC)) {
				return fmt.Errorf("fields: %+v", p)
			}
			return nil
		}},
		{2, nil, article.KindHTML, func(p article.Page) error {
			if p.ExternalID != "42" || !p.Published.Equal(time.Date(2025, 4, 9, 0, 0, 0, 0, time.UTC)) {
				return fmt.Errorf("fields: %+v", p)
			}
			return nil
		}},
		{4, errors.New("not a JSON object"), 0, nil},
		{5, ErrNoContent, 0, nil},
		{6, nil, article.KindClean, func(p article.Page) error {
			if len(p.Body) != len(big) {
				return fmt.Errorf("long line body %d bytes, want %d", len(p.Body), len(big))
			}
			return nil
		}},
		{7, nil, article.KindClean, func(p article.Page) error {
			if string(p.Body) != "crlf line" {
				return fmt.Errorf("body %q", p.Body)
			}
			return nil
		}},
		{8, nil, article.KindHTML, func(p article.Page) error {
			if !p.Published.Equal(time.Date(2025, 4, 9, 19, 3, 0, 0, time.UTC)) {
				return fmt.Errorf("EST date read as %v", p.Published)
			}
			return nil
		}},
		{9, ErrNoContent, 0, nil},
		{10, nil, article.KindClean, func(p article.Page) error {
			if p.Published.Unix() != 1744192800 {
				return fmt.Errorf("unix date read as %v", p.Published)
			}
			return nil
		}},
	}
	for _, path := range []string{plain, zipped} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var st Stats
			items := collect(t, []string{path}, Options{Stats: &st})
			if len(items) != len(wants) {
				t.Fatalf("got %d items, want %d", len(items), len(wants))
			}
			for i, w := range wants {
				it := items[i]
				if in := fmt.Sprintf("%s#L%d", path, w.line); it.Page.Input != in {
					t.Errorf("item %d: Input %q, want %q", i, it.Page.Input, in)
				}
				switch {
				case w.err != nil:
					if it.Err == nil || (!errors.Is(it.Err, w.err) && !strings.Contains(it.Err.Error(), w.err.Error())) {
						t.Errorf("line %d: err %v, want %v", w.line, it.Err, w.err)
					} else if !strings.Contains(it.Err.Error(), fmt.Sprintf("#L%d", w.line)) {
						t.Errorf("line %d: error does not name the line: %v", w.line, it.Err)
					}
				case it.Err != nil:
					t.Errorf("line %d: %v", w.line, it.Err)
				default:
					if it.Page.Kind != w.kind {
						t.Errorf("line %d: kind %v want %v", w.line, it.Page.Kind, w.kind)
					}
					if err := w.check(it.Page); err != nil {
						t.Errorf("line %d: %v", w.line, err)
					}
				}
			}
			if st.Skipped.Load() != 1 {
				t.Errorf("skipped %d blank lines, want 1", st.Skipped.Load())
			}
		})
	}
}

// TestJSONLNoContent checks that a field is judged empty as it would be
// handed on, after NULs are dropped.
func TestJSONLNoContent(t *testing.T) {
	tests := []struct {
		line string
		kind article.Kind // 0: ErrNoContent
		body string
	}{
		{`{"html":"\u0000"}`, 0, ""},
		{`{"text":" \u0000\n"}`, 0, ""},
		{`{"text":"\u0000","html":"<p>x</p>"}`, article.KindHTML, "<p>x</p>"},
		{`{"text":"a\u0000b"}`, article.KindClean, "ab"},
	}
	for _, tt := range tests {
		p, err := ParseJSONLine([]byte(tt.line), "x#L1")
		if tt.kind == 0 {
			if !errors.Is(err, ErrNoContent) {
				t.Errorf("%s: err %v, body %q; want ErrNoContent", tt.line, err, p.Body)
			}
			continue
		}
		if err != nil || p.Kind != tt.kind || string(p.Body) != tt.body {
			t.Errorf("%s: %v kind %v body %q; want %v %q", tt.line, err, p.Kind, p.Body, tt.kind, tt.body)
		}
	}
}

func TestJSONLLineTooLong(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.jsonl")
	writeFile(t, p, []byte(`{"text":"`+strings.Repeat("x", 500)+`"}`+"\n"+`{"text":"next"}`+"\n"))
	items := collect(t, []string{p}, Options{MaxBodyBytes: 100})
	if len(items) != 2 || !errors.Is(items[0].Err, ErrTooLarge) || items[1].Err != nil || string(items[1].Page.Body) != "next" {
		t.Fatalf("got %+v", items)
	}
	if items[1].Page.Input != p+"#L2" {
		t.Errorf("line count off after a long line: %s", items[1].Page.Input)
	}
}

func TestJSONLTruncatedGzip(t *testing.T) {
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, `{"id":"%d","text":"article number %d with some words"}`+"\n", i, i)
	}
	z := gz(t, []byte(b.String()))
	dir := t.TempDir()
	p := filepath.Join(dir, "a.jsonl.gz")
	writeFile(t, p, z[:len(z)*2/3])
	items := collect(t, []string{p}, Options{})
	if len(items) < 2 {
		t.Fatalf("got %d items", len(items))
	}
	last := items[len(items)-1]
	if last.Err == nil {
		t.Fatalf("truncated gzip: last item has no error")
	}
	for _, it := range items[:len(items)-1] {
		if it.Err != nil {
			t.Fatalf("%s: %v", it.Page.Input, it.Err)
		}
	}
}

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2025-04-09T10:00:00Z", utc(2025, 4, 9, 10, 0, 0), true},
		{"2025-04-09T10:00:00.123+02:00", time.Date(2025, 4, 9, 8, 0, 0, 123e6, time.UTC), true},
		{"2025-04-09T10:00:00+0200", utc(2025, 4, 9, 8, 0, 0), true},
		{"2025-04-09T10:00:00", utc(2025, 4, 9, 10, 0, 0), true},
		{"2025-04-09 10:00:00", utc(2025, 4, 9, 10, 0, 0), true},
		{"2025-04-09", utc(2025, 4, 9, 0, 0, 0), true},
		{"2025/04/09", utc(2025, 4, 9, 0, 0, 0), true},
		{"20250409", utc(2025, 4, 9, 0, 0, 0), true},
		{"Wed, 09 Apr 2025 10:00:00 +0000", utc(2025, 4, 9, 10, 0, 0), true},
		{"Wed, 9 Apr 2025 10:00:00 GMT", utc(2025, 4, 9, 10, 0, 0), true},
		{"Thu, 9 Apr 2025 10:00:00 GMT", utc(2025, 4, 9, 10, 0, 0), true}, // wrong weekday
		{"Mi, 9 Apr 2025 10:00:00 +0200", utc(2025, 4, 9, 8, 0, 0), true},
		{"9 Apr 2025 10:00:00 PDT", utc(2025, 4, 9, 17, 0, 0), true},
		{"April 9, 2025", utc(2025, 4, 9, 0, 0, 0), true},
		{"9 April 2025", utc(2025, 4, 9, 0, 0, 0), true},
		{"1744192800", time.Unix(1744192800, 0), true},
		{"1744192800000", time.Unix(1744192800, 0), true},
		{"", time.Time{}, false},
		{"yesterday", time.Time{}, false},
		{"42", time.Time{}, false},
		{"0001-01-01T00:00:00Z", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseTime(tt.in)
		if ok != tt.ok || (ok && !got.Equal(tt.want)) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestJSONLShared reads the ECB+ dev file and checks every line becomes a
// clean page with an ID and a language.
func TestJSONLShared(t *testing.T) {
	p := shared.Path(t, "data/ecbplus-dev.jsonl")
	items := collect(t, []string{p}, Options{})
	if len(items) < 700 {
		t.Fatalf("got %d items", len(items))
	}
	for _, it := range items {
		if it.Err != nil || it.Page.Kind != article.KindClean || it.Page.ExternalID == "" || it.Page.Lang == "" || len(it.Page.Body) == 0 {
			t.Fatalf("%s: err=%v kind=%v id=%q lang=%q", it.Page.Input, it.Err, it.Page.Kind, it.Page.ExternalID, it.Page.Lang)
		}
	}
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"t","published":"2025-04-09"}` + "\n" + `{"html":"<p>x</p>"}`))
	f.Add([]byte("\xEF\xBB\xBF{\"text\":\"bom\"}\r\n\n{bad\n"))
	f.Add([]byte(`{"id":[1],"text":5,"html":"\u0000\ud800","published":99999999999999}`))
	f.Add([]byte(`{"html":"\u0000"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e := &emitter{ctx: context.Background(), opt: Options{MaxBodyBytes: 1 << 10}.withDefaults()}
		line := 0
		e.yield = func(it Item) bool {
			line++
			if !strings.Contains(it.Page.Input, "#L") {
				t.Fatalf("Input %q lacks a line", it.Page.Input)
			}
			if it.Err == nil {
				if !utf8.Valid(it.Page.Body) || len(bytes.TrimSpace(it.Page.Body)) == 0 {
					t.Fatalf("bad body %q", it.Page.Body)
				}
				if it.Page.Kind != article.KindClean && it.Page.Kind != article.KindHTML {
					t.Fatalf("kind %v", it.Page.Kind)
				}
			}
			return true
		}
		e.readJSONL(bytes.NewReader(data), "fuzz.jsonl")
		if nl := bytes.Count(data, []byte("\n")) + 1; line > nl {
			t.Fatalf("%d items from %d lines", line, nl)
		}
	})
}

func BenchmarkJSONL(b *testing.B) {
	var buf bytes.Buffer
	para := strings.Repeat("The NATO secretary general met the prime minister in Tokyo on Wednesday. ", 40)
	for i := 0; buf.Len() < 8<<20; i++ {
		fmt.Fprintf(&buf, `{"id":"%d","url":"https://example.com/%d","title":"Story %d","lang":"en","published":"2025-04-09T10:00:00Z","text":%q}`+"\n", i, i, i, para)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	pages := 0
	for b.Loop() {
		e := &emitter{ctx: context.Background(), opt: Options{}.withDefaults()}
		e.yield = func(it Item) bool {
			if it.Err != nil {
				b.Fatal(it.Err)
			}
			pages++
			return true
		}
		e.readJSONL(bufio.NewReader(bytes.NewReader(data)), "bench.jsonl")
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}
