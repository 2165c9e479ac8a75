// Package source turns what the user names on the command line — files,
// folders, JSONL and WARC archives, feed files, page and feed URLs,
// standard input — into raw article.Page values with UTF-8 bodies, one at
// a time.
//
// Files are read by extension, gzip by magic number: .txt (KindText),
// .html/.htm/.xhtml (KindHTML), .jsonl/.ndjson (one article a line: text
// gives KindClean, html KindHTML; Input "path#L<line>"), .warc (HTML
// responses, KindHTML; Input "path#<offset>") and feeds — .rss, .atom,
// .xml that is RSS or Atom, .json that is a JSON Feed — (each item's own
// content, KindHTML; Input "path#item<n>"; links are not fetched), each
// optionally gzipped. Folders are walked in lexical order, following
// symbolic links, reading each folder once and skipping hidden entries.
//
// URLs are fetched; feeds (RSS, Atom, JSON Feed, sniffed) yield one page
// per item. Addresses off the public internet — loopback, private,
// link-local, ... — are refused (ErrForbiddenAddress) unless listed in
// Options.AllowNets, whether named by the URL, a redirect, a feed item's
// link or what a host name resolves to when dialled.
//
// Bodies are transcoded to UTF-8, the charset chosen by BOM, Content-Type
// charset, <meta> charset (HTML only), valid UTF-8, a statistical guess
// when confident, windows-1252 otherwise; labels contradicted by the bytes
// (UTF-8 declared on invalid UTF-8, Latin-1 declared on valid UTF-8) are
// passed over.
//
// Read never stops on a bad item: every failure is an Item with Err set
// (wrapping ErrUnsupported, ErrBinary, ErrEmpty, ErrTooLarge,
// ErrNoContent, ErrHTTPStatus or ErrForbiddenAddress where one applies)
// and Page.Input naming the item, and the run goes on with the next one. The only early stop is context
// cancellation (or the consumer breaking out of the range loop); the
// caller checks ctx.Err() to tell the two apart. Items dropped silently
// are counted in Stats.
//
// Read writes nothing. With Options.Validators set, a feed read in full
// is followed by an Item carrying its conditional-GET validators
// (Item.Validators) for the consumer to record.
package source

import (
	"context"
	"errors"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storyline/storyline/internal/article"
)

// Defaults used when the matching Options field is zero.
const (
	DefaultMaxBodyBytes = 20 << 20
	DefaultTimeout      = 30 * time.Second
	DefaultUserAgent    = "Storyline/0.1 (+https://github.com/storyline/storyline)"
)

// Per-item failures wrap one of these, so callers can count them with
// errors.Is.
var (
	ErrUnsupported = errors.New("unsupported file type")
	ErrBinary      = errors.New("binary content")
	ErrEmpty       = errors.New("empty")
	ErrTooLarge    = errors.New("too large")
	// ErrNoContent marks a JSONL line or feed item with nothing to read.
	ErrNoContent = errors.New("no text or html")
	// ErrHTTPStatus marks a non-2xx HTTP response.
	ErrHTTPStatus = errors.New("http status")
)

// Item is one page, or one item that could not be read, or a feed's
// validators.
type Item struct {
	Page article.Page
	// Err != nil is a per-item failure; Page.Input says which item.
	Err error
	// Validators, when set, is not a page: Page holds only Input (the
	// feed's URL) and Err is nil. It follows the last item of a feed read
	// in full; the consumer records these once the items before it are
	// stored, so that a run that stops early fetches the feed in full
	// next time. Such items count in no Stats field.
	Validators *FeedValidators
}

// FeedValidators are the conditional-GET validators a feed was served
// with; at least one of ETag and LastModified is set.
type FeedValidators struct {
	URL          string // the feed's URL as given to Read
	ETag         string
	LastModified string
}

// ValidatorReader looks up the validators recorded for a feed URL, for a
// conditional GET; both "" when there are none. Implementations must be
// safe for concurrent use.
type ValidatorReader interface {
	Validators(ctx context.Context, url string) (etag, lastModified string, err error)
}

// Options tune Read. The zero value works.
type Options struct {
	// MaxBodyBytes caps one page: a file, a decompressed .gz, an HTTP body,
	// one JSONL line or one WARC record. Archives themselves (JSONL, WARC)
	// may be any size. Default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Timeout bounds each HTTP request including reading its body.
	// Default DefaultTimeout.
	Timeout   time.Duration
	UserAgent string // default DefaultUserAgent
	// HTTPClient, when set, is used as it is except that Read checks
	// every redirect against AllowNets (on a copy, before the client's
	// own CheckRedirect). Host names are only checked when dialled by the
	// default client, so through a caller's client only URLs whose host is
	// a literal IP address are refused. The default client has
	// http.DefaultTransport's settings, proxies from the environment
	// included.
	HTTPClient *http.Client
	// AllowNets lists the networks that may be fetched although they are
	// not public: loopback, private (10/8, 172.16/12, 192.168/16,
	// fc00::/7), CGNAT (100.64/10), link-local (169.254/16 with cloud
	// metadata, fe80::/10), unspecified, multicast and reserved addresses,
	// also in IPv4-mapped IPv6 form, are refused unless inside one of
	// them. ParseAllowNets reads them from a flag. Default none.
	AllowNets []netip.Prefix
	// FeedConcurrency is how many feed item links are fetched at once
	// (pages are still yielded in feed order). Default 4.
	FeedConcurrency int
	// Validators enables conditional GET for feeds; nil fetches in full
	// and yields no validators Items (see Item.Validators).
	Validators ValidatorReader
	Logger     *slog.Logger // default discards
	// Stdin is read for the input "-"; default os.Stdin.
	Stdin io.Reader
	// Stats, when set, is updated as Read goes.
	Stats *Stats

	guard *guard // set by withDefaults
}

// Stats counts what Read did. Fields are updated atomically while Read
// runs; read them after the loop ends.
type Stats struct {
	Pages  atomic.Int64 // pages yielded: Items without Err or Validators
	Errors atomic.Int64 // Items yielded with Err
	// Skipped counts items dropped silently: non-response and non-HTML WARC
	// records, non-2xx WARC responses, blank JSONL lines, and in folders
	// hidden entries, broken links, sockets and devices, and folders
	// reached a second time through a link.
	Skipped atomic.Int64
	// NotModified counts feeds answered 304 Not Modified.
	NotModified atomic.Int64
}

func (o Options) withDefaults() Options {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.FeedConcurrency <= 0 {
		o.FeedConcurrency = 4
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	o.guard = &guard{allow: o.AllowNets}
	if o.HTTPClient == nil {
		o.HTTPClient = guardedClient(o.guard)
	} else {
		c := *o.HTTPClient
		c.CheckRedirect = o.guard.checkRedirect(c.CheckRedirect)
		o.HTTPClient = &c
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.Stats == nil {
		o.Stats = new(Stats)
	}
	return o
}

// Read yields every page the inputs hold, in input order (files in a folder
// in lexical order, recursively), streaming: nothing is read ahead of the
// consumer but the links of a feed's next few items.
//
// Inputs starting with http:// or https:// are fetched. "-" reads
// standard input (Options.Stdin), sniffed as gzip, WARC, JSONL, HTML or
// text. An item Input as Read reports it — "file.jsonl#L12",
// "file.warc.gz#3456" or "file.rss#item3" — reads that one item again. Anything else is a
// file or folder path.
func Read(ctx context.Context, inputs []string, opt Options) iter.Seq[Item] {
	ownClient := opt.HTTPClient == nil
	return func(yield func(Item) bool) {
		e := &emitter{ctx: ctx, yield: yield, opt: opt.withDefaults()}
		if ownClient {
			defer e.opt.HTTPClient.CloseIdleConnections()
		}
		for _, in := range inputs {
			if !e.ok() {
				return
			}
			switch {
			case isURL(in):
				e.readURL(in)
			case in == "-":
				e.readStdin()
			default:
				if p, ok := splitItem(in); ok {
					e.readItem(in, p)
				} else {
					e.readPath(in)
				}
			}
		}
	}
}

// emitter carries the consumer's yield through the readers; every reader
// returns as soon as ok reports false.
type emitter struct {
	ctx     context.Context
	yield   func(Item) bool
	opt     Options
	stopped bool

	// only, when set, passes on just the item with this Input (and
	// failures of the file holding it); found ends the current input.
	only  string
	found bool
}

func (e *emitter) ok() bool {
	if e.stopped || (e.only != "" && e.found) {
		return false
	}
	if e.ctx.Err() != nil {
		e.stopped = true
	}
	return !e.stopped
}

func (e *emitter) page(p article.Page) bool {
	if !e.ok() {
		return false
	}
	if e.only != "" {
		if p.Input != e.only {
			return true
		}
		e.found = true
	}
	e.opt.Stats.Pages.Add(1)
	if !e.yield(Item{Page: p}) {
		e.stopped = true
	}
	return e.ok()
}

func (e *emitter) fail(input string, err error) bool {
	if !e.ok() {
		return false
	}
	// A failure caused by cancellation is not the item's fault.
	if e.ctx.Err() != nil {
		e.stopped = true
		return false
	}
	if e.only != "" {
		if input != e.only && !strings.HasPrefix(e.only, input+"#") {
			return true
		}
		e.found = true
	}
	e.opt.Stats.Errors.Add(1)
	e.opt.Logger.Debug("source item failed", "input", input, "err", err)
	if !e.yield(Item{Page: article.Page{Input: input}, Err: err}) {
		e.stopped = true
	}
	return e.ok()
}

func (e *emitter) skip() { e.opt.Stats.Skipped.Add(1) }

// validators hands on a feed's validators, outside the Stats.
func (e *emitter) validators(v FeedValidators) bool {
	if !e.ok() {
		return false
	}
	if !e.yield(Item{Page: article.Page{Input: v.URL}, Validators: &v}) {
		e.stopped = true
	}
	return e.ok()
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// MemValidators is an in-memory ValidatorReader for tests and one-shot
// runs: Record what Read yields, and the next Read makes conditional
// GETs. The zero value is ready to use.
type MemValidators struct {
	mu sync.Mutex
	m  map[string][2]string
}

// Validators returns the stored ETag and Last-Modified of url, or "" "".
func (s *MemValidators) Validators(_ context.Context, url string) (etag, lastModified string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.m[url]
	return v[0], v[1], nil
}

// Record stores a feed's validators.
func (s *MemValidators) Record(v FeedValidators) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string][2]string)
	}
	s.m[v.URL] = [2]string{v.ETag, v.LastModified}
}

var _ ValidatorReader = (*MemValidators)(nil)
