package bus

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/extract"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/figure"
	"github.com/storyline/storyline/internal/intel/quote"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/text"
)

// The wire format is gob, one value a message, behind a header naming its
// kind and version (hdrWire). Gob rather than JSON: it carries every float
// exactly, NaN and infinities included (JSON refuses those), and the
// features' term weights are most of a prepared article. A reader refuses
// a version it does not know, which moves the message aside with that
// error instead of misreading it; gob itself tolerates fields added or
// removed, so a new field that old readers may ignore needs no new version.
const (
	wireRaw      = "raw/1"
	wirePrepared = "prepared/1"
)

// rawItem is a source.Item on the wire. Wire repeats the header's
// version inside the body, so that a body is never read as the other kind
// (gob matches fields by name: it would read one as the other, empty).
type rawItem struct {
	Wire       string
	Page       article.Page
	Err        *wireErr
	Validators *source.FeedValidators
}

// prepared is an ingest.Prepared on the wire. Docs go as values with a
// presence mask: gob cannot send a nil pointer inside a slice.
type prepared struct {
	Wire       string
	Input      string
	Articles   []article.Article
	Stemmed    []string
	Err        *wireErr
	Validators *source.FeedValidators
	Mentions   [][]entity.Mention
	Figures    [][]figure.Figure
	Quotes     [][]quote.Quote
	Docs       []text.Doc
	HasDoc     []bool
}

// wireErr is an item's error: its message, and the class the report
// groups it by (ingest's kinds), so that a skip reads the same whichever
// process found it.
type wireErr struct {
	Msg  string
	Kind string
}

// kinds are the errors an item's error keeps its identity for, by name.
var kinds = []struct {
	name string
	err  error
}{
	{"forbidden-address", source.ErrForbiddenAddress},
	{"unsupported", source.ErrUnsupported},
	{"binary", source.ErrBinary},
	{"empty", source.ErrEmpty},
	{"too-large", source.ErrTooLarge},
	{"extract-too-large", extract.ErrTooLarge},
	{"no-content", source.ErrNoContent},
	{"http-status", source.ErrHTTPStatus},
	{"no-text", extract.ErrNoText},
	{"timeout", context.DeadlineExceeded},
	{"moved-aside", ErrMovedAside},
}

// ErrMovedAside marks an item whose message was moved to the dead-letter
// stream (see Options.MaxDeliver): the report counts it as skipped.
var ErrMovedAside = errors.New("moved aside to the dead-letter stream")

// remoteErr is an error decoded from the wire: its text as it was, and
// the class it had, for errors.Is.
type remoteErr struct {
	msg  string
	kind error
}

func (e *remoteErr) Error() string { return e.msg }
func (e *remoteErr) Unwrap() error { return e.kind }

func toWireErr(err error) *wireErr {
	if err == nil {
		return nil
	}
	w := &wireErr{Msg: err.Error()}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			w.Kind = k.name
			break
		}
	}
	return w
}

func (w *wireErr) error() error {
	if w == nil {
		return nil
	}
	e := &remoteErr{msg: w.Msg}
	for _, k := range kinds {
		if k.name == w.Kind {
			e.kind = k.err
		}
	}
	return e
}

func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodeRaw returns the wire form of a source item.
func encodeRaw(it source.Item) ([]byte, error) {
	b, err := encode(rawItem{Wire: wireRaw, Page: it.Page, Err: toWireErr(it.Err), Validators: it.Validators})
	if err != nil {
		return nil, fmt.Errorf("bus: encode %s: %w", it.Page.Input, err)
	}
	return b, nil
}

// decodeRaw reads a source item of wire version version.
func decodeRaw(version string, b []byte) (source.Item, error) {
	if version != wireRaw {
		return source.Item{}, fmt.Errorf("bus: raw item of wire version %q, want %q", version, wireRaw)
	}
	var r rawItem
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&r); err != nil {
		return source.Item{}, fmt.Errorf("bus: decode raw item: %w", err)
	}
	if r.Wire != wireRaw {
		return source.Item{}, fmt.Errorf("bus: decode raw item: body of kind %q", r.Wire)
	}
	return source.Item{Page: r.Page, Err: r.Err.error(), Validators: r.Validators}, nil
}

// encodePrepared returns the wire form of a prepared item.
func encodePrepared(p ingest.Prepared) ([]byte, error) {
	w := prepared{Wire: wirePrepared, Input: p.Input, Articles: p.Articles, Stemmed: p.Stemmed, Err: toWireErr(p.Err),
		Validators: p.Validators, Mentions: p.Mentions, Figures: p.Figures, Quotes: p.Quotes}
	if p.Docs != nil {
		w.Docs = make([]text.Doc, len(p.Docs))
		w.HasDoc = make([]bool, len(p.Docs))
		for i, d := range p.Docs {
			if d != nil {
				w.Docs[i], w.HasDoc[i] = *d, true
			}
		}
	}
	b, err := encode(w)
	if err != nil {
		return nil, fmt.Errorf("bus: encode prepared %s: %w", p.Input, err)
	}
	return b, nil
}

// decodePrepared reads a prepared item of wire version version.
func decodePrepared(version string, b []byte) (ingest.Prepared, error) {
	if version != wirePrepared {
		return ingest.Prepared{}, fmt.Errorf("bus: prepared item of wire version %q, want %q", version, wirePrepared)
	}
	var w prepared
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return ingest.Prepared{}, fmt.Errorf("bus: decode prepared item: %w", err)
	}
	if w.Wire != wirePrepared {
		return ingest.Prepared{}, fmt.Errorf("bus: decode prepared item: body of kind %q", w.Wire)
	}
	p := ingest.Prepared{Input: w.Input, Articles: w.Articles, Stemmed: w.Stemmed, Err: w.Err.error(),
		Validators: w.Validators, Mentions: w.Mentions, Figures: w.Figures, Quotes: w.Quotes}
	if len(w.HasDoc) != len(w.Docs) {
		return ingest.Prepared{}, fmt.Errorf("bus: decode prepared item %s: %d docs, %d presence marks", w.Input, len(w.Docs), len(w.HasDoc))
	}
	if w.Docs != nil {
		p.Docs = make([]*text.Doc, len(w.Docs))
		for i := range w.Docs {
			if w.HasDoc[i] {
				p.Docs[i] = &w.Docs[i]
			}
		}
	}
	// The writer indexes these by article: a short one would panic there.
	n := len(p.Articles)
	if p.Err == nil && (len(p.Stemmed) != n || len(p.Mentions) != n || len(p.Figures) != n || len(p.Quotes) != n) {
		return ingest.Prepared{}, fmt.Errorf("bus: decode prepared item %s: %d articles, %d stemmed, %d mentions, %d figures, %d quotes",
			p.Input, n, len(p.Stemmed), len(p.Mentions), len(p.Figures), len(p.Quotes))
	}
	return p, nil
}
