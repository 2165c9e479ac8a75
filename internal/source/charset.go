package source

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// sniffLen bounds how much of a body the binary check, the <meta> prescan
// and the charset guesser look at.
const sniffLen = 16 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// metaCharset finds <meta charset=x> and <meta http-equiv=Content-Type
// content="...; charset=x"> in the head of an HTML document.
var metaCharset = regexp.MustCompile(`(?is)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.()+-]+)`)

// toUTF8 returns body as valid UTF-8 without a byte-order mark.
//
// The encoding is chosen, in order, by: a BOM; the charset parameter of
// contentType (an HTTP header, "" for files); for HTML, a <meta> charset
// declaration in the first 16 KiB; valid UTF-8; a statistical guess
// (github.com/gogs/chardet) when it is confident; windows-1252 otherwise.
// A declared single-byte charset is overridden when the body is valid
// UTF-8 with non-ASCII bytes, the commonest mislabelling on the web.
//
// Bodies with many NUL or control bytes are rejected as ErrBinary, as are
// bodies that are mostly non-ASCII bytes and match no charset. Stray NULs
// are dropped.
func toUTF8(body []byte, contentType string, html bool) ([]byte, error) {
	switch {
	case bytes.HasPrefix(body, bomUTF8):
		return validUTF8(body[3:]), nil
	case bytes.HasPrefix(body, bomUTF16LE), bytes.HasPrefix(body, bomUTF16BE):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), body)
	}
	header := headerCharset(contentType)
	if header != nil && isUTF16(header) {
		// Only a header can declare UTF-16 (a <meta> saying so is read as
		// UTF-8 per the HTML standard); such bodies hold NUL bytes.
		return decodeWith(header, body)
	}
	if isBinary(body) {
		return nil, ErrBinary
	}
	utf8ish := mostlyUTF8(body)
	for _, declared := range []encoding.Encoding{header, metaDeclared(body, html)} {
		switch {
		case declared == nil, encName(declared) == "replacement":
			// WHATWG maps labels of unsafe encodings (ISO-2022-KR, HZ) to
			// "replacement", which would decode the page to one U+FFFD.
		case isUTF8(declared) || isUTF16(declared):
			// A UTF-8 label on a body that is not UTF-8 is a lie; fall
			// through to the next clue.
			if utf8ish {
				return validUTF8(body), nil
			}
		case isSingleByte(declared) && utf8.Valid(body) && hasHighBit(body):
			return validUTF8(body), nil
		default:
			return decodeWith(declared, body)
		}
	}
	if utf8ish {
		return validUTF8(body), nil
	}
	enc, conf := guessCharset(body, html)
	if enc == nil {
		if highRatio(body) > 0.7 {
			// Mostly non-ASCII bytes that no charset explains: not text.
			return nil, ErrBinary
		}
		enc = charmap.Windows1252
	} else if conf < 10 && highRatio(body) > 0.9 {
		return nil, ErrBinary
	}
	return decodeWith(enc, body)
}

func decodeWith(enc encoding.Encoding, body []byte) ([]byte, error) {
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode charset: %w", err)
	}
	out = bytes.TrimPrefix(out, bomUTF8)
	return validUTF8(out), nil
}

// headerCharset returns the encoding named by a Content-Type charset
// parameter, or nil.
func headerCharset(contentType string) encoding.Encoding {
	if contentType == "" {
		return nil
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		// Tolerate sloppy headers such as "text/html; charset=utf-8;".
		// ASCII folding only: strings.ToLower turns an invalid byte into
		// a three-byte U+FFFD, and the index would no longer fit
		// contentType.
		i := strings.Index(asciiLower(contentType), "charset=")
		if i < 0 {
			return nil
		}
		cs := strings.Trim(contentType[i+len("charset="):], `"' ;`)
		if j := strings.IndexAny(cs, "; "); j >= 0 {
			cs = cs[:j]
		}
		return lookupCharset(cs)
	}
	return lookupCharset(params["charset"])
}

// asciiLower lower-cases A-Z only, keeping every byte where it was.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func metaDeclared(body []byte, html bool) encoding.Encoding {
	if !html {
		return nil
	}
	head := body[:min(len(body), sniffLen)]
	m := metaCharset.FindSubmatch(head)
	if m == nil {
		return nil
	}
	return lookupCharset(string(m[1]))
}

// lookupCharset maps a label to an encoding using the WHATWG table, also
// trying the label without hyphens and underscores ("GB-18030", "utf_8").
func lookupCharset(label string) encoding.Encoding {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil
	}
	if e, err := htmlindex.Get(label); err == nil {
		return e
	}
	alt := strings.NewReplacer("-", "", "_", "").Replace(label)
	if e, err := htmlindex.Get(alt); err == nil {
		return e
	}
	return nil
}

func encName(e encoding.Encoding) string {
	n, _ := htmlindex.Name(e)
	return n
}

func isUTF8(e encoding.Encoding) bool { return encName(e) == "utf-8" }

func isUTF16(e encoding.Encoding) bool {
	n := encName(e)
	return n == "utf-16le" || n == "utf-16be"
}

func isSingleByte(e encoding.Encoding) bool {
	_, ok := e.(*charmap.Charmap)
	return ok
}

// isBinary reports more than 0.1% NUL bytes, or more than 2% C0 control
// bytes other than whitespace and ESC (which ISO-2022 encodings use), in
// the body's head. A stray NUL in a real page does not make it binary;
// image and archive formats have NULs and controls throughout.
func isBinary(body []byte) bool {
	head := body[:min(len(body), sniffLen)]
	nul, ctl := 0, 0
	for _, c := range head {
		switch {
		case c == 0:
			nul++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B:
			ctl++
		}
	}
	return nul*1000 > len(head) || (nul+ctl)*50 > len(head)
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func highRatio(body []byte) float64 {
	head := body[:min(len(body), sniffLen)]
	if len(head) == 0 {
		return 0
	}
	n := 0
	for _, c := range head {
		if c >= 0x80 {
			n++
		}
	}
	return float64(n) / float64(len(head))
}

// mostlyUTF8 accepts valid UTF-8, and UTF-8 with a few stray bytes (a
// truncated sequence, one mis-pasted Latin-1 character) that the caller
// replaces with U+FFFD rather than re-reading the whole body as a legacy
// charset.
func mostlyUTF8(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	var good, bad int
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			bad++
		} else {
			good++
		}
		i += n
	}
	return good >= 10 && bad*50 <= good
}

// guessCharset runs the statistical detector on the body's head and
// returns its best encoding and confidence (0–100), or nil.
func guessCharset(body []byte, html bool) (encoding.Encoding, int) {
	d := chardet.NewTextDetector()
	if html {
		d = chardet.NewHtmlDetector()
	}
	res, err := d.DetectBest(body[:min(len(body), sniffLen)])
	if err != nil || res == nil {
		return nil, 0
	}
	e := lookupCharset(res.Charset)
	if e == nil || isUTF8(e) || isUTF16(e) || encName(e) == "replacement" {
		return nil, 0
	}
	return e, res.Confidence
}

// validUTF8 returns b itself when it is valid UTF-8, else a copy with each
// invalid sequence replaced by U+FFFD.
// NUL bytes, which no text needs and which trouble C-string consumers,
// are dropped.
func validUTF8(b []byte) []byte {
	if !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	if bytes.IndexByte(b, 0) >= 0 {
		b = bytes.ReplaceAll(b, []byte{0}, nil)
	}
	return b
}
