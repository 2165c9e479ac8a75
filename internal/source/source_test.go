package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// collect runs Read to the end.
func collect(t testing.TB, inputs []string, opt Options) []Item {
	t.Helper()
	var items []Item
	for it := range Read(context.Background(), inputs, opt) {
		if it.Err == nil && !utf8.Valid(it.Page.Body) {
			t.Errorf("%s: body is not UTF-8", it.Page.Input)
		}
		if it.Page.Input == "" {
			t.Errorf("item without Input: %+v", it)
		}
		items = append(items, it)
	}
	return items
}

func encode(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

const (
	arabic    = "قال الأمين العام لحلف شمال الأطلسي مارك روته في طوكيو إن الأمن مترابط"
	japanese_ = "北大西洋条約機構のルッテ事務総長が東京で石破首相と会談した。"
)

func TestReadFiles(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("A line of plain text about the summit.\n", 20)
	html1256 := `<html><head><meta charset="windows-1256"><title>t</title></head><body><p>` + arabic + `</p></body></html>`
	htmlSJIS := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body><p>` + japanese_ + `</p></body></html>`
	full := gz(t, []byte(long))
	files := map[string][]byte{
		"a.txt":              []byte(long),
		"b.html":             encode(t, charmap.Windows1256, html1256),
		"c.html.gz":          gz(t, []byte("<html><body><p>"+long+"</p></body></html>")),
		"d.txt.gz":           full[:len(full)/2],
		"e.pdf":              []byte("%PDF-1.4"),
		"f.txt":              append([]byte("text\x00\x01\x02 more"), long...),
		"g.txt":              nil,
		"h.txt":              bytes.Repeat([]byte("x"), 5000),
		"i.txt":              encode(t, charmap.Windows1252, "Le café était fermé. "+long),
		"j.htm":              encode(t, japanese.ShiftJIS, htmlSJIS),
		"k.txt":              append([]byte("\xEF\xBB\xBF"), "With a BOM. "+long...),
		"sub/l.txt":          []byte(long),
		"sub/.hidden.txt":    []byte(long),
		".git/config.txt":    []byte(long),
		"m.txt":              []byte("  \n\t\n"),
		"n.txt.gz":           gz(t, bytes.Repeat([]byte("y"), 5000)),
		"o.TXT":              []byte(long),
		"p.txt":              []byte("\xFF\xFE \x00\n\x00"), // UTF-16 white space
		"zz/readme":          []byte(long),
		"zz/notgzip.html.gz": []byte("<html>plain</html>"),
		"zz/gzipped.txt":     gz(t, []byte(long)),
	}
	for name, b := range files {
		writeFile(t, filepath.Join(dir, name), b)
	}
	want := []struct {
		name     string
		err      error
		kind     article.Kind
		contains string
	}{
		{"a.txt", nil, article.KindText, "plain text"},
		{"b.html", nil, article.KindHTML, arabic},
		{"c.html.gz", nil, article.KindHTML, "<p>A line"},
		{"d.txt.gz", errors.New("truncated"), 0, ""},
		{"e.pdf", ErrUnsupported, 0, ""},
		{"f.txt", ErrBinary, 0, ""},
		{"g.txt", ErrEmpty, 0, ""},
		{"h.txt", ErrTooLarge, 0, ""},
		{"i.txt", nil, article.KindText, "Le café était fermé."},
		{"j.htm", nil, article.KindHTML, japanese_},
		{"k.txt", nil, article.KindText, "With a BOM."},
		{"m.txt", ErrEmpty, 0, ""},
		{"n.txt.gz", ErrTooLarge, 0, ""},
		{"o.TXT", nil, article.KindText, "plain text"},
		{"p.txt", ErrEmpty, 0, ""},
		{"sub/l.txt", nil, article.KindText, "plain text"},
		{"zz/gzipped.txt", nil, article.KindText, "plain text"},
		{"zz/notgzip.html.gz", nil, article.KindHTML, "plain"},
		{"zz/readme", ErrUnsupported, 0, ""},
	}
	items := collect(t, []string{dir}, Options{MaxBodyBytes: 4096})
	if len(items) != len(want) {
		for _, it := range items {
			t.Logf("%s %v", it.Page.Input, it.Err)
		}
		t.Fatalf("got %d items, want %d", len(items), len(want))
	}
	for i, w := range want {
		it := items[i]
		if got := filepath.ToSlash(strings.TrimPrefix(it.Page.Input, dir+string(filepath.Separator))); got != w.name {
			t.Errorf("item %d: Input %q, want %q", i, got, w.name)
			continue
		}
		switch {
		case w.err == nil && it.Err != nil:
			t.Errorf("%s: unexpected error %v", w.name, it.Err)
		case w.err != nil && it.Err == nil:
			t.Errorf("%s: no error, want %v", w.name, w.err)
		case w.err != nil && !errors.Is(it.Err, w.err) && !strings.Contains(it.Err.Error(), w.err.Error()):
			t.Errorf("%s: error %v, want %v", w.name, it.Err, w.err)
		case w.err == nil:
			if it.Page.Kind != w.kind {
				t.Errorf("%s: kind %v, want %v", w.name, it.Page.Kind, w.kind)
			}
			if !strings.Contains(string(it.Page.Body), w.contains) {
				t.Errorf("%s: body lacks %q: %.200q", w.name, w.contains, it.Page.Body)
			}
			if bytes.HasPrefix(it.Page.Body, bomUTF8) {
				t.Errorf("%s: body keeps its BOM", w.name)
			}
		}
	}
}

func TestReadNamedFileAndMissing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".x.txt")
	writeFile(t, p, []byte("a hidden file named on the command line is read"))
	var st Stats
	items := collect(t, []string{filepath.Join(dir, "missing.txt"), p}, Options{Stats: &st})
	if len(items) != 2 || items[0].Err == nil || items[1].Err != nil {
		t.Fatalf("got %+v", items)
	}
	if st.Pages.Load() != 1 || st.Errors.Load() != 1 {
		t.Errorf("stats pages=%d errors=%d, want 1 1", st.Pages.Load(), st.Errors.Load())
	}
}

func TestReadStopsOnCancelAndBreak(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		writeFile(t, filepath.Join(dir, n), []byte("some text in "+n))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for range Read(ctx, []string{dir}, Options{}) {
		n++
		cancel()
	}
	if n != 1 {
		t.Errorf("after cancel got %d items, want 1", n)
	}
	n = 0
	for range Read(context.Background(), []string{dir, dir}, Options{}) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("break: got %d", n)
	}
}

func TestReadItemInput(t *testing.T) {
	dir := t.TempDir()
	jl := filepath.Join(dir, "a.jsonl")
	writeFile(t, jl, []byte(`{"text":"one"}`+"\n"+`bad`+"\n"+`{"text":"three"}`+"\n"))
	recs, _ := testWARC(t)
	var members []byte
	for _, r := range recs {
		members = append(members, gz(t, r)...)
	}
	wz := filepath.Join(dir, "b.warc.gz")
	writeFile(t, wz, members)
	// Find a WARC page's Input the way a user would: from a full read.
	var warcInput string
	for _, it := range collect(t, []string{wz}, Options{}) {
		if it.Err == nil && it.Page.URL == "https://a.example/ar" {
			warcInput = it.Page.Input
		}
	}
	if warcInput == "" {
		t.Fatal("no Arabic page in the test WARC")
	}
	var st Stats
	items := collect(t, []string{jl + "#L3", jl + "#L2", jl + "#L9", warcInput, dir + "/nope.jsonl#L1"}, Options{Stats: &st})
	if len(items) != 5 {
		t.Fatalf("got %d items", len(items))
	}
	if items[0].Err != nil || string(items[0].Page.Body) != "three" || items[0].Page.Input != jl+"#L3" {
		t.Errorf("#L3: %+v", items[0])
	}
	if items[1].Err == nil || items[1].Page.Input != jl+"#L2" {
		t.Errorf("#L2: %+v", items[1])
	}
	if items[2].Err == nil || !strings.Contains(items[2].Err.Error(), "no such item") {
		t.Errorf("#L9: %+v", items[2])
	}
	if items[3].Err != nil || items[3].Page.Input != warcInput || !strings.Contains(string(items[3].Page.Body), arabic) {
		t.Errorf("warc item: %v %s", items[3].Err, items[3].Page.Input)
	}
	if items[4].Err == nil {
		t.Errorf("missing file: %+v", items[4])
	}
	if st.Pages.Load() != 2 || st.Errors.Load() != 3 {
		t.Errorf("stats: pages %d errors %d, want 2 3", st.Pages.Load(), st.Errors.Load())
	}
}

func TestReadStdin(t *testing.T) {
	recs, _ := testWARC(t)
	tests := []struct {
		name  string
		in    []byte
		pages int
		kind  article.Kind
		input string
	}{
		{"jsonl", []byte(`{"text":"a"}` + "\n" + `{"html":"<p>b</p>"}`), 2, article.KindClean, "-#L1"},
		{"jsonl.gz", gz(t, []byte(`{"text":"a"}`)), 1, article.KindClean, "-#L1"},
		{"warc", bytes.Join(recs[:3], nil), 1, article.KindHTML, "-#" + strconv.Itoa(len(recs[0])+len(recs[1]))},
		{"html", []byte("\n  <html><body>x</body></html>"), 1, article.KindHTML, "-"},
		{"text", []byte("just text"), 1, article.KindText, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := collect(t, []string{"-"}, Options{Stdin: bytes.NewReader(tt.in)})
			if len(items) != tt.pages {
				t.Fatalf("got %d items, want %d", len(items), tt.pages)
			}
			if items[0].Err != nil || items[0].Page.Kind != tt.kind || items[0].Page.Input != tt.input {
				t.Errorf("got %v kind %v input %q", items[0].Err, items[0].Page.Kind, items[0].Page.Input)
			}
		})
	}
}
