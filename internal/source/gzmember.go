package source

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
)

// memberReader decompresses a multi-member gzip stream (one member per
// WARC record, as Common Crawl writes them) and remembers where each
// member starts, compressed and decompressed, so a record can be named by
// its member's file offset as WARC indexes (CDX) do.
type memberReader struct {
	src    *byteCounter
	zr     *gzip.Reader
	out    int64         // decompressed bytes returned so far
	starts []memberStart // members not yet matched to a record, oldest first
}

type memberStart struct{ out, in int64 }

// byteCounter counts the compressed bytes gzip consumes. It is an
// io.ByteReader, so flate reads through it without buffering ahead and
// the count is exact at each member's end.
type byteCounter struct {
	br *bufio.Reader
	n  int64
}

func (c *byteCounter) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *byteCounter) ReadByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// newMemberReader reads gzip members from r, whose first byte is at file
// offset base.
func newMemberReader(r io.Reader, base int64) (*memberReader, error) {
	src := &byteCounter{br: bufio.NewReaderSize(r, 64<<10), n: base}
	m := &memberReader{src: src, starts: []memberStart{{0, base}}}
	zr, err := gzip.NewReader(src)
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	m.zr = zr
	return m, nil
}

func (m *memberReader) Read(p []byte) (int, error) {
	for {
		n, err := m.zr.Read(p)
		m.out += int64(n)
		if !errors.Is(err, io.EOF) {
			return n, err
		}
		if n > 0 {
			return n, nil
		}
		if _, perr := m.src.br.Peek(1); perr != nil {
			return 0, io.EOF // no further member
		}
		in := m.src.n
		if err := m.zr.Reset(m.src); err != nil {
			return 0, err
		}
		m.zr.Multistream(false)
		m.starts = append(m.starts, memberStart{m.out, in})
	}
}

// memberOffset returns the file offset of the member that starts at
// decompressed offset out, if one does. Calls must come in increasing
// order of out.
func (m *memberReader) memberOffset(out int64) (int64, bool) {
	for len(m.starts) > 0 && m.starts[0].out < out {
		m.starts = m.starts[1:]
	}
	if len(m.starts) > 0 && m.starts[0].out == out {
		return m.starts[0].in, true
	}
	return 0, false
}

func (m *memberReader) Close() error { return m.zr.Close() }
