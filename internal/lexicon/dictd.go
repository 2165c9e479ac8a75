package lexicon

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// indexEntry is one line of a dictd .index file: a headword and where its
// entry body lies in the uncompressed .dict.
type indexEntry struct {
	word      string
	off, size int64
}

// dictdB64 decodes a dictd index number: base64 digits in the order
// A-Z a-z 0-9 + /, most significant first, no padding.
func dictdB64(s string) (int64, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d int64
		switch {
		case 'A' <= c && c <= 'Z':
			d = int64(c - 'A')
		case 'a' <= c && c <= 'z':
			d = int64(c-'a') + 26
		case '0' <= c && c <= '9':
			d = int64(c-'0') + 52
		case c == '+':
			d = 62
		case c == '/':
			d = 63
		default:
			return 0, false
		}
		n = n<<6 | d
	}
	return n, true
}

// parseIndexLine splits "headword\toffset\tlength". Lines that do not have
// that shape are reported as not ok and skipped by callers: dictd indexes
// in the wild carry blank headwords and stray whitespace.
func parseIndexLine(line string) (indexEntry, bool) {
	line = strings.TrimRight(line, "\r\n")
	w, rest, ok := strings.Cut(line, "\t")
	if !ok {
		return indexEntry{}, false
	}
	o, l, ok := strings.Cut(rest, "\t")
	if !ok {
		return indexEntry{}, false
	}
	// Some indexes append a fourth field (the original headword).
	l, _, _ = strings.Cut(l, "\t")
	off, ok1 := dictdB64(o)
	size, ok2 := dictdB64(l)
	if !ok1 || !ok2 || size <= 0 || size > 1<<20 {
		return indexEntry{}, false
	}
	return indexEntry{word: w, off: off, size: size}, true
}

// readIndex reads a whole .index file. The headwords returned share one
// string with the file's text.
func readIndex(path string) ([]indexEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := string(data)
	data = nil
	out := make([]indexEntry, 0, strings.Count(text, "\n")+1)
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		if e, ok := parseIndexLine(line); ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// dictBody gives random access to the uncompressed text of a .dict or
// .dict.dz file. A dictzip file (gzip with an "RA" extra field listing
// independently flushed chunks) is read chunk by chunk; other gzip files
// and plain .dict files are read whole.
type dictBody struct {
	f *os.File

	// dictzip
	chunkLen   int64
	chunkOffs  []int64 // file offset of each chunk, plus the end
	cacheIdx   int
	cacheChunk []byte

	// whole-file fallback
	whole []byte
}

var errNotDictzip = errors.New("not a dictzip file")

func openDictBody(path string) (*dictBody, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	d := &dictBody{f: f, cacheIdx: -1}
	if !strings.HasSuffix(path, ".dz") && !strings.HasSuffix(path, ".gz") {
		d.whole, err = io.ReadAll(f)
		f.Close()
		d.f = nil
		if err != nil {
			return nil, fmt.Errorf("dict %s: %w", path, err)
		}
		return d, nil
	}
	if err := d.readDictzipHeader(); err != nil {
		if !errors.Is(err, errNotDictzip) {
			f.Close()
			return nil, fmt.Errorf("dict %s: %w", path, err)
		}
		// Plain gzip: no random access, inflate it all once.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, fmt.Errorf("dict %s: %w", path, err)
		}
		zr, err := gzip.NewReader(bufio.NewReader(f))
		if err == nil {
			d.whole, err = io.ReadAll(io.LimitReader(zr, 1<<30))
		}
		f.Close()
		d.f = nil
		if err != nil {
			return nil, fmt.Errorf("dict %s: %w", path, err)
		}
	}
	return d, nil
}

// readDictzipHeader parses the gzip header and its RA subfield.
func (d *dictBody) readDictzipHeader() error {
	br := bufio.NewReader(d.f)
	var hdr [10]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return errNotDictzip
	}
	if hdr[0] != 0x1f || hdr[1] != 0x8b || hdr[2] != 8 {
		return errNotDictzip
	}
	flg := hdr[3]
	if flg&0x04 == 0 { // FEXTRA
		return errNotDictzip
	}
	pos := int64(10)
	var xl [2]byte
	if _, err := io.ReadFull(br, xl[:]); err != nil {
		return err
	}
	xlen := int(binary.LittleEndian.Uint16(xl[:]))
	extra := make([]byte, xlen)
	if _, err := io.ReadFull(br, extra); err != nil {
		return err
	}
	pos += 2 + int64(xlen)
	var sizes []uint16
	found := false
	for len(extra) >= 4 {
		si1, si2 := extra[0], extra[1]
		n := int(binary.LittleEndian.Uint16(extra[2:4]))
		if 4+n > len(extra) {
			return errNotDictzip
		}
		data := extra[4 : 4+n]
		extra = extra[4+n:]
		if si1 != 'R' || si2 != 'A' || len(data) < 6 {
			continue
		}
		if binary.LittleEndian.Uint16(data[0:2]) != 1 {
			return errNotDictzip
		}
		d.chunkLen = int64(binary.LittleEndian.Uint16(data[2:4]))
		cnt := int(binary.LittleEndian.Uint16(data[4:6]))
		if len(data) < 6+2*cnt || d.chunkLen == 0 {
			return errNotDictzip
		}
		for i := 0; i < cnt; i++ {
			sizes = append(sizes, binary.LittleEndian.Uint16(data[6+2*i:]))
		}
		found = true
	}
	if !found {
		return errNotDictzip
	}
	skipZ := func() error { // zero-terminated field
		for {
			c, err := br.ReadByte()
			if err != nil {
				return err
			}
			pos++
			if c == 0 {
				return nil
			}
		}
	}
	if flg&0x08 != 0 { // FNAME
		if err := skipZ(); err != nil {
			return err
		}
	}
	if flg&0x10 != 0 { // FCOMMENT
		if err := skipZ(); err != nil {
			return err
		}
	}
	if flg&0x02 != 0 { // FHCRC
		pos += 2
	}
	d.chunkOffs = make([]int64, len(sizes)+1)
	d.chunkOffs[0] = pos
	for i, s := range sizes {
		d.chunkOffs[i+1] = d.chunkOffs[i] + int64(s)
	}
	return nil
}

// chunk returns the uncompressed bytes of dictzip chunk i, keeping the
// last one so that reads in offset order inflate each chunk once.
func (d *dictBody) chunk(i int) ([]byte, error) {
	if i == d.cacheIdx {
		return d.cacheChunk, nil
	}
	start, end := d.chunkOffs[i], d.chunkOffs[i+1]
	comp := make([]byte, end-start)
	if _, err := d.f.ReadAt(comp, start); err != nil && !(errors.Is(err, io.EOF) && i == len(d.chunkOffs)-2) {
		return nil, err
	}
	zr := flate.NewReader(bytes.NewReader(comp))
	buf := d.cacheChunk[:0]
	if cap(buf) < int(d.chunkLen) {
		buf = make([]byte, 0, d.chunkLen)
	}
	buf = buf[:d.chunkLen]
	n, err := io.ReadFull(zr, buf)
	// A chunk ends on a flush, not on a final block: running out of input
	// after the data is the normal end.
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	d.cacheIdx, d.cacheChunk = i, buf[:n]
	return d.cacheChunk, nil
}

// readAt returns size bytes of uncompressed text at off, appended to dst.
func (d *dictBody) readAt(dst []byte, off, size int64) ([]byte, error) {
	if off < 0 || size < 0 {
		return dst, fmt.Errorf("bad range %d+%d", off, size)
	}
	if d.chunkOffs == nil {
		if off+size > int64(len(d.whole)) {
			return dst, fmt.Errorf("range %d+%d beyond end %d", off, size, len(d.whole))
		}
		return append(dst, d.whole[off:off+size]...), nil
	}
	for size > 0 {
		ci := int(off / d.chunkLen)
		if ci >= len(d.chunkOffs)-1 {
			return dst, fmt.Errorf("range beyond end at %d", off)
		}
		c, err := d.chunk(ci)
		if err != nil {
			return dst, err
		}
		in := off - int64(ci)*d.chunkLen
		if in >= int64(len(c)) {
			return dst, fmt.Errorf("range beyond end at %d", off)
		}
		n := min(size, int64(len(c))-in)
		dst = append(dst, c[in:in+n]...)
		off += n
		size -= n
	}
	return dst, nil
}

func (d *dictBody) Close() error {
	d.whole, d.cacheChunk = nil, nil
	if d.f != nil {
		return d.f.Close()
	}
	return nil
}
