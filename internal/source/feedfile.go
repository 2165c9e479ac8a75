package source

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// readFeedFile yields one page per item of the feed file p (format f, r
// already decompressed), made of the item's own content: reading a file
// makes no network access, so item links are not fetched. Items are named
// p#item<n>, counting from 1.
func (e *emitter) readFeedFile(r io.Reader, p string, f format) {
	body, err := readLimited(r, e.opt.MaxBodyBytes)
	if err != nil {
		e.fail(p, fmt.Errorf("%s: %w", p, err))
		return
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(body, bomUTF8))) == 0 {
		e.fail(p, fmt.Errorf("%s: %w", p, ErrEmpty))
		return
	}
	if feedKind(body) == "" {
		what := "an RSS or Atom feed"
		if f == fmtJSON {
			what = `a JSON Feed (an object with "version": "https://jsonfeed.org/version/…")`
		}
		e.fail(p, fmt.Errorf("%s: %w: not %s", p, ErrUnsupported, what))
		return
	}
	fd, err := parseFeed(body, "")
	if err != nil {
		e.fail(p, fmt.Errorf("feed %s: %w", p, err))
		return
	}
	e.opt.Logger.Debug("feed file", "path", p, "items", len(fd.Items))
	for i, it := range fd.Items {
		input := p + "#item" + strconv.Itoa(i+1)
		page := itemPage(fd, it, input, resolveLink(nil, it.Link))
		if len(bytes.TrimSpace([]byte(it.Content))) == 0 {
			if !e.fail(input, fmt.Errorf("feed %s item %d: %w", p, i+1, ErrNoContent)) {
				return
			}
			continue
		}
		page.Body = itemDocument(page.Source, it, page.Lang)
		if !e.page(page) {
			return
		}
	}
}
