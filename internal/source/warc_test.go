package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"golang.org/x/text/encoding/charmap"
)

// warcRec builds one WARC record.
func warcRec(typ, uri, contentType string, block []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: 2025-04-09T10:00:00Z\r\n"+
		"WARC-Record-ID: <urn:uuid:%08d>\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
		typ, uri, len(block), contentType, len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// httpResp builds a stored HTTP response.
func httpResp(status string, headers []string, body []byte) []byte {
	var b bytes.Buffer
	b.WriteString(status + "\r\n")
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

func chunked(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		n := min(len(b), 100)
		fmt.Fprintf(&out, "%x\r\n%s\r\n", n, b[:n])
		b = b[n:]
	}
	out.WriteString("0\r\n\r\n")
	return out.Bytes()
}

const httpCT = "application/http; msgtype=response"

type warcCase struct {
	uri      string // "" for records that yield nothing
	contains string
	err      error
}

// testWARC returns records and what each should yield.
func testWARC(t testing.TB) ([][]byte, []warcCase) {
	page := func(s string) []byte {
		return []byte("<!DOCTYPE html><html><head><title>T</title></head><body><article><p>" + s + "</p></article></body></html>")
	}
	arabicPage := encode(t, charmap.Windows1256, string(page(arabic)))
	big := page(strings.Repeat("long page ", 10000))
	recs := []struct {
		rec []byte
		c   warcCase
	}{
		{warcRec("warcinfo", "", "application/warc-fields", []byte("software: test\r\n")), warcCase{}},
		{warcRec("request", "https://a.example/1", "application/http; msgtype=request", []byte("GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n")), warcCase{}},
		{warcRec("response", "https://a.example/1", httpCT, httpResp("HTTP/1.1 200 OK", []string{"Content-Type: text/html; charset=utf-8"}, page("Plain UTF-8 page. Ishiba met Rutte."))), warcCase{"https://a.example/1", "Ishiba met Rutte", nil}},
		{warcRec("response", "https://a.example/img.png", httpCT, httpResp("HTTP/1.1 200 OK", []string{"Content-Type: image/png"}, []byte("\x89PNG\r\n\x1a\n\x00\x00"))), warcCase{}},
		{warcRec("response", "https://a.example/404", httpCT, httpResp("HTTP/1.1 404 Not Found", []string{"Content-Type: text/html"}, page("not found"))), warcCase{}},
		{warcRec("response", "https://a.example/ar", httpCT, httpResp("HTTP/1.1 200 OK", []string{"Content-Type: text/html; charset=windows-1256", "Content-Encoding: gzip", "Transfer-Encoding: chunked"}, chunked(gz(t, arabicPage)))), warcCase{"https://a.example/ar", arabic, nil}},
		{warcRec("response", "https://a.example/dechunked", httpCT, httpResp("HTTP/1.1 200 OK", []string{"Content-Type: text/html", "Transfer-Encoding: chunked", "Content-Encoding: gzip"}, page("Stored de-chunked and decoded."))), warcCase{"https://a.example/dechunked", "de-chunked", nil}},
		{warcRec("metadata", "https://a.example/1", "application/warc-fields", []byte("fetchTimeMs: 12\r\n")), warcCase{}},
		{warcRec("resource", "file:///saved.html", "text/html", page("A resource record.")), warcCase{"file:///saved.html", "resource record", nil}},
		{warcRec("response", "https://a.example/h2", httpCT, httpResp("HTTP/2 200", []string{"server: x"}, page("HTTP/2 without a content type."))), warcCase{"https://a.example/h2", "HTTP/2 without", nil}},
		{warcRec("response", "https://a.example/big", httpCT, httpResp("HTTP/1.1 200 OK", []string{"Content-Type: text/html"}, big)), warcCase{"https://a.example/big", "", ErrTooLarge}},
		{warcRec("response", "https://a.example/bigimg", httpCT, httpResp("HTTP/1.1 200 OK", []string{"Content-Type: image/jpeg"}, bytes.Repeat([]byte{0xff}, 100000))), warcCase{}},
		{warcRec("response", "https://a.example/continue", httpCT, append([]byte("HTTP/1.1 100 Continue\r\n\r\n"), httpResp("HTTP/1.1 200 OK", []string{"Content-Type: text/html"}, page("After an interim response."))...)), warcCase{"https://a.example/continue", "After an interim", nil}},
		{warcRec("response", "https://a.example/last", httpCT, httpResp("HTTP/1.0 200 OK", []string{"Content-Type: application/xhtml+xml"}, page("Last page."))), warcCase{"https://a.example/last", "Last page.", nil}},
	}
	var out [][]byte
	var cases []warcCase
	for _, r := range recs {
		out = append(out, r.rec)
		cases = append(cases, r.c)
	}
	return out, cases
}

// offsets returns where each record starts in a stream of the
// given record sizes.
func offsets(sizes ...[]byte) []int {
	var out []int
	off := 0
	for _, s := range sizes {
		out = append(out, off)
		off += len(s)
	}
	return out
}

func checkWARC(t *testing.T, items []Item, path string, offs []int, cases []warcCase) {
	t.Helper()
	var wantItems []Item
	for i, c := range cases {
		if c.uri != "" {
			wantItems = append(wantItems, Item{Page: article.Page{Input: path + "#" + strconv.Itoa(offs[i]), URL: c.uri, Body: []byte(c.contains)}, Err: c.err})
		}
	}
	if len(items) != len(wantItems) {
		for _, it := range items {
			t.Logf("got %s %s %v", it.Page.Input, it.Page.URL, it.Err)
		}
		t.Fatalf("got %d items, want %d", len(items), len(wantItems))
	}
	for i, w := range wantItems {
		it := items[i]
		if it.Page.Input != w.Page.Input {
			t.Errorf("item %d: Input %q want %q", i, it.Page.Input, w.Page.Input)
		}
		if w.Err != nil {
			if !errors.Is(it.Err, w.Err) {
				t.Errorf("%s: err %v, want %v", w.Page.URL, it.Err, w.Err)
			}
			continue
		}
		if it.Err != nil {
			t.Errorf("%s: %v", w.Page.URL, it.Err)
			continue
		}
		p := it.Page
		if p.URL != w.Page.URL || p.Kind != article.KindHTML || !p.Fetched.Equal(time.Date(2025, 4, 9, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("page %d: URL %q kind %v fetched %v", i, p.URL, p.Kind, p.Fetched)
		}
		if !bytes.Contains(p.Body, w.Page.Body) {
			t.Errorf("%s: body lacks %q: %.300q", p.URL, w.Page.Body, p.Body)
		}
	}
}

func TestWARC(t *testing.T) {
	recs, cases := testWARC(t)
	plain := bytes.Join(recs, nil)
	var members []byte
	var zipped [][]byte
	for _, r := range recs {
		z := gz(t, r)
		zipped = append(zipped, z)
		members = append(members, z...)
	}
	dir := t.TempDir()
	files := map[string]struct {
		data []byte
		offs []int
	}{
		"plain.warc": {plain, offsets(recs...)},
		// One gzip member per record, as Common Crawl writes: records are
		// named by their member's offset in the file.
		"members.warc.gz": {members, offsets(zipped...)},
		// One member for all: the first record starts it, the others are
		// named by their decompressed offset.
		"single.warc.gz": {gz(t, plain), offsets(recs...)},
	}
	for name, f := range files {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			writeFile(t, p, f.data)
			var st Stats
			items := collect(t, []string{p}, Options{MaxBodyBytes: 64 << 10, Stats: &st})
			checkWARC(t, items, p, f.offs, cases)
			if got := st.Skipped.Load(); got != 6 {
				t.Errorf("skipped %d records, want 6", got)
			}
		})
	}
}

func TestWARCTruncated(t *testing.T) {
	recs, cases := testWARC(t)
	const keep = 8 // records kept whole; the next is cut in half
	var plain, members []byte
	var zipped [][]byte
	for _, r := range recs[:keep+1] {
		z := gz(t, r)
		zipped = append(zipped, z)
		plain = append(plain, r...)
		members = append(members, z...)
	}
	plain = plain[:len(plain)-len(recs[keep])/2]
	members = members[:len(members)-len(zipped[keep])/2]
	dir := t.TempDir()
	for name, f := range map[string]struct {
		data []byte
		offs []int
	}{"plain.warc": {plain, offsets(recs...)}, "members.warc.gz": {members, offsets(zipped...)}} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			writeFile(t, p, f.data)
			items := collect(t, []string{p}, Options{})
			wantCases := append(append([]warcCase(nil), cases[:keep]...), warcCase{uri: "broken", err: errTruncated})
			if strings.HasSuffix(name, ".gz") {
				// The gzip reader fails before the record is seen whole.
				if len(items) == 0 || items[len(items)-1].Err == nil {
					t.Fatalf("no error for the truncated member: %+v", items)
				}
				items[len(items)-1].Err = fmt.Errorf("%w", errTruncated)
			}
			checkWARC(t, items, p, f.offs, wantCases)
		})
	}
}

func TestWARCGarbage(t *testing.T) {
	recs, cases := testWARC(t)
	badLen := []byte("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\nsome block\r\n\r\n")
	var data []byte
	var wantRecs [][]byte
	var wantCases []warcCase
	for i, r := range recs {
		if i == 3 {
			g := []byte("this is not\r\na WARC record\r\n")
			data = append(data, g...)
			wantRecs = append(wantRecs, g)
			wantCases = append(wantCases, warcCase{uri: "garbage", err: errNotWARC})
		}
		if i == 6 {
			data = append(data, badLen...)
			wantRecs = append(wantRecs, badLen)
			wantCases = append(wantCases, warcCase{uri: "badlen", err: errors.New("Content-Length")})
		}
		data = append(data, r...)
		wantRecs = append(wantRecs, r)
		wantCases = append(wantCases, cases[i])
	}
	p := filepath.Join(t.TempDir(), "g.warc")
	writeFile(t, p, data)
	items := collect(t, []string{p}, Options{MaxBodyBytes: 64 << 10})
	for i := range items {
		if items[i].Err != nil && strings.Contains(items[i].Err.Error(), "Content-Length") {
			items[i].Err = errNotWARC // compare as one kind of error below
		}
	}
	wantCases[7].err = errNotWARC
	checkWARC(t, items, p, offsets(wantRecs...), wantCases)
}

func FuzzWARC(f *testing.F) {
	recs, _ := testWARC(f)
	f.Add(bytes.Join(recs[:6], nil))
	f.Add(recs[5][:300])
	f.Add(append(gz(f, recs[2]), gz(f, recs[5])...))
	f.Add([]byte("WARC/1.0\nContent-Length: 5\nWARC-Type: resource\nContent-Type: text/html\n\n<p>x</p>\n\ngarbage\nWARC/1.1\n"))
	f.Add([]byte("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 30\r\n\r\nHTTP/1.1 200\n\n<html>\x00\xff</html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e := &emitter{ctx: context.Background(), opt: Options{MaxBodyBytes: 4 << 10}.withDefaults()}
		n := 0
		e.yield = func(it Item) bool {
			n++
			if !strings.HasPrefix(it.Page.Input, "fuzz.warc#") {
				t.Fatalf("Input %q", it.Page.Input)
			}
			if it.Err == nil && (!utf8.Valid(it.Page.Body) || it.Page.Kind != article.KindHTML) {
				t.Fatalf("bad page %+v", it.Page)
			}
			return true
		}
		var r io.Reader = bytes.NewReader(data)
		zipped := len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b
		if zipped {
			mr, err := newMemberReader(r, 0)
			if err != nil {
				return
			}
			r = mr
		}
		e.readWARC(r, "fuzz.warc", 0)
		if max := bytes.Count(data, []byte("WARC/")) + 1; !zipped && n > 2*max {
			t.Fatalf("%d items from %d version lines", n, max)
		}
	})
}

func BenchmarkWARC(b *testing.B) {
	para := "<p>" + strings.Repeat("The NATO secretary general met the prime minister in Tokyo on Wednesday. ", 30) + "</p>\n"
	html := []byte("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>x</title></head><body>" + strings.Repeat(para, 10) + "</body></html>")
	var plain, members []byte
	for i := 0; len(plain) < 8<<20; i++ {
		uri := fmt.Sprintf("https://example.com/%d", i)
		var rec []byte
		if i%2 == 0 {
			rec = warcRec("response", uri, httpCT, httpResp("HTTP/1.1 200 OK", []string{"Content-Type: text/html; charset=utf-8"}, html))
		} else {
			rec = warcRec("response", uri, httpCT, httpResp("HTTP/1.1 200 OK", []string{"Content-Type: text/html", "Content-Encoding: gzip"}, gz(b, html)))
		}
		req := warcRec("request", uri, "application/http; msgtype=request", []byte("GET / HTTP/1.1\r\n\r\n"))
		plain = append(append(plain, req...), rec...)
		members = append(append(members, gz(b, req)...), gz(b, rec)...)
	}
	for _, bc := range []struct {
		name string
		data []byte
		gz   bool
	}{{"warc", plain, false}, {"warc.gz", members, true}} {
		b.Run(bc.name, func(b *testing.B) {
			dir := b.TempDir()
			p := filepath.Join(dir, "bench."+bc.name)
			writeFile(b, p, bc.data)
			b.SetBytes(int64(len(plain))) // MB/s of uncompressed WARC
			b.ReportAllocs()
			pages := 0
			for b.Loop() {
				for it := range Read(context.Background(), []string{p}, Options{}) {
					if it.Err != nil {
						b.Fatal(it.Err)
					}
					pages++
				}
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// TestWARCSeek reads one record of a gzipped WARC by its member offset in
// a file whose first member is corrupt: only a seek reaches it.
func TestWARCSeek(t *testing.T) {
	recs, _ := testWARC(t)
	bad := gz(t, []byte("WARC/1.0\r\nbroken"))
	bad = bad[:len(bad)-6]
	data := append([]byte(nil), bad...)
	var arOff int
	for i, r := range recs {
		if i == 5 {
			arOff = len(data)
		}
		data = append(data, gz(t, r)...)
	}
	p := filepath.Join(t.TempDir(), "seek.warc.gz")
	writeFile(t, p, data)
	if items := collect(t, []string{p}, Options{}); len(items) != 1 || items[0].Err == nil {
		t.Fatalf("full read of the corrupt file: %+v", items)
	}
	in := p + "#" + strconv.Itoa(arOff)
	items := collect(t, []string{in}, Options{})
	if len(items) != 1 || items[0].Err != nil || items[0].Page.Input != in || !bytes.Contains(items[0].Page.Body, []byte(arabic)) {
		t.Fatalf("seek read: %+v", items)
	}
}
