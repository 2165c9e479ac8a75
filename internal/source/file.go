package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/storyline/storyline/internal/article"
)

// format is how a file is read, from its name.
type format int

const (
	fmtUnknown format = iota
	fmtText
	fmtHTML
	fmtJSONL
	fmtWARC
	fmtFeed // .rss, .atom: a feed by name
	fmtXML  // a feed if it sniffs as RSS or Atom
	fmtJSON // a feed if it is a JSON Feed
)

// fileFormat maps a file name to its format (a trailing .gz stripped) and
// whether the name says gzip; readFile goes by the magic number instead.
func fileFormat(name string) (format, bool) {
	name = strings.ToLower(name)
	gz := strings.HasSuffix(name, ".gz")
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".txt", ".text":
		return fmtText, gz
	case ".html", ".htm", ".xhtml":
		return fmtHTML, gz
	case ".jsonl", ".ndjson":
		return fmtJSONL, gz
	case ".warc":
		return fmtWARC, gz
	case ".rss", ".atom":
		return fmtFeed, gz
	case ".xml":
		return fmtXML, gz
	case ".json":
		return fmtJSON, gz
	}
	return fmtUnknown, gz
}

// readPath reads a file, or every file under a folder in lexical order.
// Symbolic links are followed, to files and to folders. Each folder is
// read once, under the first path that reaches it; a link back into a
// folder being read is a "symlink loop" failure. Hidden entries (name
// starting with ".") inside a folder are skipped silently, as are broken
// links and whatever is neither file nor folder; a named hidden file is
// read.
func (e *emitter) readPath(root string) {
	fi, err := os.Stat(root)
	if err != nil {
		e.fail(root, err)
		return
	}
	if !fi.IsDir() {
		e.readFile(root)
		return
	}
	w := &walker{e: e, read: map[dirID]string{}, open: map[dirID]bool{}}
	w.dir(root, fi)
}

// walker walks one folder input.
type walker struct {
	e    *emitter
	read map[dirID]string // folders reached, and the path first reaching each
	open map[dirID]bool   // the folders being read: the current one and its parents
}

// dir reads folder p, whose os.Stat is fi.
func (w *walker) dir(p string, fi fs.FileInfo) {
	id := folderID(p, fi)
	if w.open[id] {
		w.e.fail(p, fmt.Errorf("%s: symlink loop: leads back to %s", p, w.read[id]))
		return
	}
	if first, ok := w.read[id]; ok {
		w.e.skip()
		w.e.opt.Logger.Debug("folder already read", "path", p, "as", first)
		return
	}
	w.read[id], w.open[id] = p, true
	defer delete(w.open, id)
	entries, err := os.ReadDir(p)
	if err != nil && !w.e.fail(p, err) {
		return // what ReadDir did read, it returns with the error
	}
	for _, d := range entries {
		if !w.e.ok() {
			return
		}
		child := filepath.Join(p, d.Name())
		if strings.HasPrefix(d.Name(), ".") {
			w.e.skip()
			continue
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 || mode.IsDir() {
			cfi, err := os.Stat(child)
			switch {
			case err != nil && mode.IsDir():
				w.e.fail(child, err)
			case err != nil: // a broken link
				w.e.skip()
			case cfi.IsDir():
				w.dir(child, cfi)
			case cfi.Mode().IsRegular():
				w.e.readFile(child)
			default:
				w.e.skip()
			}
			continue
		}
		if !mode.IsRegular() {
			w.e.skip() // sockets, devices, pipes
			continue
		}
		w.e.readFile(child)
	}
}

func (e *emitter) readFile(p string) {
	f, _ := fileFormat(filepath.Base(p))
	if f == fmtUnknown {
		e.fail(p, fmt.Errorf("%s: %w", p, ErrUnsupported))
		return
	}
	e.readFileAt(p, f, 0)
}

// readFileAt reads file p of format f from byte offset off (non-zero only
// for WARC items read again by offset).
func (e *emitter) readFileAt(p string, f format, off int64) {
	fh, err := os.Open(p)
	if err != nil {
		e.fail(p, err)
		return
	}
	defer fh.Close()
	if off > 0 {
		if _, err := fh.Seek(off, io.SeekStart); err != nil {
			e.fail(p, fmt.Errorf("%s: %w", p, err))
			return
		}
	}
	// Decide on gzip by magic number rather than name: downloads are often
	// saved decompressed under a .gz name, or compressed under a plain one.
	br := bufio.NewReaderSize(fh, 64<<10)
	var r io.Reader = br
	magic, _ := br.Peek(2)
	gz := len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b
	switch {
	case gz && f == fmtWARC:
		mr, err := newMemberReader(br, off)
		if err != nil {
			e.fail(p, fmt.Errorf("gzip %s: %w", p, err))
			return
		}
		defer mr.Close()
		r = mr
	case gz:
		zr, err := gzip.NewReader(br)
		if err != nil {
			e.fail(p, fmt.Errorf("gzip %s: %w", p, err))
			return
		}
		defer zr.Close()
		r = zr
	}
	switch f {
	case fmtJSONL:
		e.readJSONL(r, p)
		return
	case fmtWARC:
		e.readWARC(r, p, off)
		return
	}
	if !gz {
		if fi, err := fh.Stat(); err == nil && fi.Size() > e.opt.MaxBodyBytes {
			e.fail(p, fmt.Errorf("%s: %w (%d bytes, limit %d)", p, ErrTooLarge, fi.Size(), e.opt.MaxBodyBytes))
			return
		}
	}
	switch f {
	case fmtFeed, fmtXML, fmtJSON:
		e.readFeedFile(r, p, f)
	default:
		kind := article.KindText
		if f == fmtHTML {
			kind = article.KindHTML
		}
		page, err := readDocument(r, p, kind, e.opt.MaxBodyBytes)
		if err != nil {
			e.fail(p, err)
			return
		}
		e.page(page)
	}
}

// readDocument reads one .txt or .html body (already decompressed) into a
// page.
func readDocument(r io.Reader, p string, kind article.Kind, limit int64) (article.Page, error) {
	page := article.Page{Input: p, Kind: kind}
	body, err := readLimited(r, limit)
	if err != nil {
		return page, fmt.Errorf("%s: %w", p, err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return page, fmt.Errorf("%s: %w", p, ErrEmpty)
	}
	body, err = toUTF8(body, "", kind == article.KindHTML)
	if err != nil {
		return page, fmt.Errorf("%s: %w", p, err)
	}
	// Checked again once decoded: UTF-16 spaces or NULs, which toUTF8
	// drops, are not empty bytes but are an empty page.
	if len(bytes.TrimSpace(body)) == 0 {
		return page, fmt.Errorf("%s: %w", p, ErrEmpty)
	}
	page.Body = body
	return page, nil
}

// readLimited reads r to the end, failing with ErrTooLarge past limit
// bytes without holding more than limit+1 bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
			return nil, fmt.Errorf("truncated or corrupt: %w", err)
		}
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w (over %d bytes)", ErrTooLarge, limit)
	}
	return b, nil
}

var itemSuffix = regexp.MustCompile(`^(L[0-9]+|[0-9]+|item[0-9]+)$`)

// splitItem recognises an item Input ("a.jsonl#L3", "b.warc.gz#1024",
// "c.rss#item2")
// naming an existing file, when no file has the full name.
func splitItem(in string) (path string, ok bool) {
	i := strings.LastIndexByte(in, '#')
	if i <= 0 || !itemSuffix.MatchString(in[i+1:]) {
		return "", false
	}
	if _, err := os.Stat(in); err == nil {
		return "", false
	}
	fi, err := os.Stat(in[:i])
	if err != nil || fi.IsDir() {
		return "", false
	}
	return in[:i], true
}

// readItem reads the file p holding item in, passing on only that item.
// A WARC record is first looked for at its offset (a gzip member's, or a
// plain WARC's); failing that, and for JSONL lines, the file is read from
// the start.
func (e *emitter) readItem(in, p string) {
	e.only, e.found = in, false
	f, _ := fileFormat(filepath.Base(p))
	suffix := in[strings.LastIndexByte(in, '#')+1:]
	if off, err := strconv.ParseInt(suffix, 10, 64); err == nil && f == fmtWARC && off > 0 && recordStartsAt(p, off) {
		e.readFileAt(p, f, off)
	}
	if !e.found && !e.stopped {
		e.readFile(p)
	}
	found := e.found
	e.only, e.found = "", false
	if !found {
		e.fail(in, fmt.Errorf("%s: no such item in %s", in, p))
	}
}

// recordStartsAt reports whether a gzip member or a WARC version line
// starts at byte off of file p.
func recordStartsAt(p string, off int64) bool {
	fh, err := os.Open(p)
	if err != nil {
		return false
	}
	defer fh.Close()
	head := make([]byte, 5)
	if _, err := fh.ReadAt(head, off); err != nil {
		return false
	}
	return (head[0] == 0x1f && head[1] == 0x8b) || string(head) == "WARC/"
}

// readStdin sniffs standard input: gzip is undone, then "WARC/" reads as
// WARC, "{" as JSONL, "<" as HTML and anything else as text. Inputs are
// named "-", "-#L<line>", "-#<offset>".
func (e *emitter) readStdin() {
	const in = "-"
	br := bufio.NewReaderSize(e.opt.Stdin, 64<<10)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			e.fail(in, fmt.Errorf("stdin: gzip: %w", err))
			return
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	head, _ := br.Peek(512)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, bomUTF8), " \t\r\n")
	switch {
	case bytes.HasPrefix(head, []byte("WARC/")):
		e.readWARC(br, in, 0)
	case bytes.HasPrefix(head, []byte("{")):
		e.readJSONL(br, in)
	default:
		kind := article.KindText
		if bytes.HasPrefix(head, []byte("<")) {
			kind = article.KindHTML
		}
		page, err := readDocument(br, in, kind, e.opt.MaxBodyBytes)
		if err != nil {
			e.fail(in, err)
			return
		}
		e.page(page)
	}
}
