package source

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
)

// Limits on WARC and HTTP header blocks, which hostile input could make
// arbitrarily long.
const (
	maxHeaderLine  = 64 << 10
	maxHeaderBlock = 1 << 20
)

var errTruncated = errors.New("truncated record")

// warcRecord is one WARC record. Block is read only for records that can
// hold a page; for others it is nil.
type warcRecord struct {
	Offset      int64 // of the record's first byte in the (decompressed) stream
	Type        string
	TargetURI   string
	Date        time.Time
	ContentType string
	Length      int64
	Block       []byte
	Oversize    bool // Length is over the limit; Block holds its head only
}

// warcReader reads WARC records from a decompressed stream.
type warcReader struct {
	cr    *countingReader
	br    *bufio.Reader
	limit int64

	// After garbage, next stops at the following version line and reports
	// the garbage; the call after that reads the record it stopped at.
	pending   bool
	pendingAt int64
	// quiet suppresses the garbage report after a record whose length was
	// unreadable: its block is the garbage, already reported.
	quiet bool
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func newWARCReader(r io.Reader, limit int64) *warcReader {
	cr := &countingReader{r: r}
	return &warcReader{cr: cr, br: bufio.NewReaderSize(cr, 64<<10), limit: limit}
}

func (w *warcReader) offset() int64 { return w.cr.n - int64(w.br.Buffered()) }

// warcError is a failure to read one record. Fatal errors (truncation,
// read errors) end the archive; after others the reader goes on with the
// next record.
type warcError struct {
	Offset int64
	Err    error
	Fatal  bool
}

func (e *warcError) Error() string { return e.Err.Error() }
func (e *warcError) Unwrap() error { return e.Err }

var errNotWARC = errors.New("not a WARC record")

// next returns the next record, io.EOF at a clean end, or a *warcError.
// A record whose block exceeds the limit comes with only the head of its
// block and Oversize set.
func (w *warcReader) next() (warcRecord, error) {
	if w.pending {
		w.pending = false
		return w.readRecord(w.pendingAt)
	}
	garbageAt := int64(-1)
	for {
		off := w.offset()
		line, tooLong, err := readLine(w.br, nil, maxHeaderLine)
		if !tooLong && bytes.HasPrefix(line, []byte("WARC/")) {
			if garbageAt >= 0 && !w.quiet {
				w.pending, w.pendingAt = true, off
				return warcRecord{}, &warcError{Offset: garbageAt, Err: fmt.Errorf("%w; skipped to the next one", errNotWARC)}
			}
			w.quiet = false
			return w.readRecord(off)
		}
		if garbageAt < 0 && (tooLong || len(bytes.TrimSpace(line)) > 0) {
			garbageAt = off
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return warcRecord{}, &warcError{Offset: off, Err: err, Fatal: true}
			}
			if garbageAt >= 0 && !w.quiet {
				return warcRecord{}, &warcError{Offset: garbageAt, Err: errNotWARC, Fatal: true}
			}
			return warcRecord{}, io.EOF
		}
	}
}

// readRecord reads the header block and content block of the record whose
// version line, at off, was just consumed.
func (w *warcReader) readRecord(off int64) (warcRecord, error) {
	rec := warcRecord{Offset: off}
	h, err := readHeaders(w.br)
	if err != nil {
		return rec, &warcError{Offset: off, Err: fmt.Errorf("%w: header: %w", errTruncated, err), Fatal: true}
	}
	rec.Type = strings.ToLower(strings.TrimSpace(h.Get("WARC-Type")))
	rec.TargetURI = strings.Trim(strings.TrimSpace(h.Get("WARC-Target-URI")), "<>")
	rec.Date, _ = time.Parse(time.RFC3339Nano, strings.TrimSpace(h.Get("WARC-Date")))
	rec.ContentType = h.Get("Content-Type")
	rec.Length, err = strconv.ParseInt(strings.TrimSpace(h.Get("Content-Length")), 10, 64)
	if err != nil || rec.Length < 0 {
		w.quiet = true
		return rec, &warcError{Offset: off, Err: fmt.Errorf("bad Content-Length %q", h.Get("Content-Length"))}
	}
	keep := rec.Length
	if rec.Type != "response" && rec.Type != "resource" {
		keep = 0
	} else if rec.Length > w.limit {
		rec.Oversize = true
		keep = min(rec.Length, sniffLen)
	}
	if keep > 0 {
		rec.Block = make([]byte, keep)
		if _, err := io.ReadFull(w.br, rec.Block); err != nil {
			return rec, &warcError{Offset: off, Err: fmt.Errorf("%w: %w", errTruncated, err), Fatal: true}
		}
	}
	if rest := rec.Length - keep; rest > 0 {
		if n, err := io.CopyN(io.Discard, w.br, rest); err != nil {
			return rec, &warcError{Offset: off, Err: fmt.Errorf("%w: %d of %d bytes: %w", errTruncated, keep+n, rec.Length, err), Fatal: true}
		}
	}
	return rec, nil
}

// readHeaders reads "Name: value" lines up to a blank line.
func readHeaders(br *bufio.Reader) (http.Header, error) {
	var block []byte
	for {
		line, tooLong, err := readLine(br, nil, maxHeaderLine)
		if tooLong {
			return nil, errors.New("header line too long")
		}
		if len(line) == 0 && err == nil {
			return parseHeaderLines(block), nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if len(block)+len(line) > maxHeaderBlock {
			return nil, errors.New("header block too long")
		}
		block = append(append(block, line...), '\n')
	}
}

// parseHeaderLines reads "Name: value" lines, folding continuation lines
// and ignoring lines without a colon.
func parseHeaderLines(block []byte) http.Header {
	h := make(http.Header)
	last := ""
	for len(block) > 0 {
		var line []byte
		line, block, _ = bytes.Cut(block, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if last != "" && len(h[last]) > 0 {
				v := h[last]
				v[len(v)-1] += " " + strings.TrimSpace(string(line))
			}
			continue
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(bytes.TrimSpace(name)) == 0 {
			continue
		}
		last = textproto.CanonicalMIMEHeaderKey(string(bytes.TrimSpace(name)))
		h[last] = append(h[last], strings.TrimSpace(string(value)))
	}
	return h
}

// readWARC yields the HTML pages of a WARC stream named p. Items are
// named p#offset: for a gzipped WARC whose records each start a gzip
// member (the norm, and Common Crawl's layout), the member's offset in the
// file, as CDX indexes give it; otherwise the record's offset in the
// decompressed stream (plus base, where r starts in the file).
func (e *emitter) readWARC(r io.Reader, p string, base int64) {
	w := newWARCReader(r, e.opt.MaxBodyBytes)
	mr, _ := r.(*memberReader)
	name := func(off int64) string {
		if mr != nil {
			if in, ok := mr.memberOffset(off); ok {
				return p + "#" + strconv.FormatInt(in, 10)
			}
		}
		return p + "#" + strconv.FormatInt(base+off, 10)
	}
	for e.ok() {
		rec, err := w.next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			var we *warcError
			if !errors.As(err, &we) {
				we = &warcError{Err: err, Fatal: true}
			}
			input := name(we.Offset)
			e.fail(input, fmt.Errorf("warc %s: %w", input, we.Err))
			if we.Fatal {
				return
			}
			continue
		}
		input := name(rec.Offset)
		page, ok, err := warcPage(rec, input, e.opt.MaxBodyBytes)
		switch {
		case err != nil:
			e.fail(input, fmt.Errorf("warc %s: %w", input, err))
		case !ok:
			e.skip()
		default:
			e.page(page)
		}
	}
}

// warcPage turns a response or resource record into an HTML page. It
// reports false, with no error, for records that hold no HTML page:
// other record types, non-2xx responses, other content types.
func warcPage(rec warcRecord, input string, limit int64) (article.Page, bool, error) {
	page := article.Page{Input: input, URL: rec.TargetURI, Fetched: rec.Date, Kind: article.KindHTML}
	var (
		contentType string
		body        []byte
		header      http.Header
	)
	switch rec.Type {
	case "response":
		if mt, _, _ := mime.ParseMediaType(rec.ContentType); rec.ContentType != "" && mt != "application/http" {
			return page, false, nil
		}
		status, h, b, err := parseHTTPResponse(rec.Block)
		if err != nil {
			if rec.Oversize {
				return page, false, nil
			}
			return page, false, err
		}
		if status < 200 || status > 299 {
			return page, false, nil
		}
		header, contentType, body = h, h.Get("Content-Type"), b
	case "resource":
		contentType, body = rec.ContentType, rec.Block
	default:
		return page, false, nil
	}
	if !isHTMLType(contentType, body) {
		return page, false, nil
	}
	if rec.Oversize {
		return page, false, fmt.Errorf("record %w (%d bytes, limit %d)", ErrTooLarge, rec.Length, limit)
	}
	if header != nil {
		if te := strings.ToLower(header.Get("Transfer-Encoding")); strings.Contains(te, "chunked") {
			// Archivers often store the payload already de-chunked while
			// keeping the header; keep the raw payload when it does not parse.
			if b, err := io.ReadAll(io.LimitReader(httputil.NewChunkedReader(bytes.NewReader(body)), limit+1)); err == nil {
				body = b
			}
		}
		var err error
		body, err = decodeContent(body, header.Get("Content-Encoding"), limit)
		if err != nil {
			return page, false, err
		}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return page, false, ErrEmpty
	}
	body, err := toUTF8(body, contentType, true)
	if err != nil {
		return page, false, err
	}
	page.Body = body
	return page, true, nil
}

// parseHTTPResponse splits a stored HTTP response into status, headers
// and payload. It accepts any "HTTP/x" version and bare-LF line ends.
func parseHTTPResponse(block []byte) (status int, h http.Header, body []byte, err error) {
	return parseHTTPResponseDepth(block, 0)
}

func parseHTTPResponseDepth(block []byte, depth int) (status int, h http.Header, body []byte, err error) {
	end, sep := bytes.Index(block, []byte("\r\n\r\n")), 4
	if lf := bytes.Index(block, []byte("\n\n")); lf >= 0 && (end < 0 || lf < end) {
		end, sep = lf, 2
	}
	if end < 0 {
		end, sep = len(block), 0
	}
	head := block[:end]
	statusLine, rest, _ := bytes.Cut(head, []byte("\n"))
	f := strings.Fields(string(statusLine))
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		return 0, nil, nil, fmt.Errorf("not an HTTP response: %.40q", statusLine)
	}
	status, err = strconv.Atoi(f[1])
	if err != nil {
		return 0, nil, nil, fmt.Errorf("bad HTTP status %.20q", f[1])
	}
	body = block[end+sep:]
	if status >= 100 && status < 200 && bytes.HasPrefix(body, []byte("HTTP/")) && depth < 3 {
		// An interim "100 Continue" stored ahead of the real response.
		return parseHTTPResponseDepth(body, depth+1)
	}
	return status, parseHeaderLines(rest), body, nil
}

// isHTMLType reports whether a Content-Type names HTML, sniffing the body
// when it is missing or generic.
func isHTMLType(contentType string, body []byte) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	switch mt {
	case "text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml":
		return true
	case "", "application/octet-stream", "binary/octet-stream", "unknown/unknown":
		return strings.HasPrefix(http.DetectContentType(body), "text/html")
	}
	return false
}

// decodeContent undoes a Content-Encoding. Payloads that do not start
// like the declared encoding are returned as they are: archivers often
// store them decoded while keeping the header.
func decodeContent(body []byte, encodingHeader string, limit int64) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(encodingHeader))
	var r io.Reader
	switch enc {
	case "", "identity", "none":
		return body, nil
	case "gzip", "x-gzip":
		if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
			return body, nil
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("content-encoding gzip: %w", err)
		}
		r = zr
	case "deflate":
		if len(body) >= 2 && body[0]&0x0f == 8 && (uint16(body[0])<<8|uint16(body[1]))%31 == 0 {
			zr, err := zlib.NewReader(bytes.NewReader(body))
			if err != nil {
				return nil, fmt.Errorf("content-encoding deflate: %w", err)
			}
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(body))
		}
	default:
		if isHTMLType("", body) {
			return body, nil
		}
		return nil, fmt.Errorf("unsupported content-encoding %q", enc)
	}
	out, err := readLimited(r, limit)
	if err != nil {
		return nil, fmt.Errorf("content-encoding %s: %w", enc, err)
	}
	return out, nil
}
