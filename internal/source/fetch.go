package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
)

const acceptHeader = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml," +
	"application/feed+json,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"

// response is a fetched body with its content encoding undone but its
// charset untouched.
type response struct {
	URL    string // after redirects
	Status int
	Header http.Header
	Body   []byte
}

// fetch GETs u within the per-request timeout. etag and lastModified,
// when set, make it a conditional GET; a 304 comes back with Status 304
// and no error. Other non-2xx statuses are errors.
func (e *emitter) fetch(u, etag, lastModified string) (*response, error) {
	return e.fetchCtx(e.ctx, u, etag, lastModified)
}

// fetchCtx is fetch under a caller's context. It reads only e.opt, so
// several may run at once.
func (e *emitter) fetchCtx(parent context.Context, u, etag, lastModified string) (*response, error) {
	ctx, cancel := context.WithTimeout(parent, e.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	// A literal IP is refused before any connection, also through a
	// caller's client, whose dials are not checked.
	if err := e.opt.guard.checkURL(req.URL); err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	req.Header.Set("User-Agent", e.opt.UserAgent)
	req.Header.Set("Accept", acceptHeader)
	// Asked for explicitly so that decoding does not depend on the
	// transport's DisableCompression; decodeContent undoes it.
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := e.opt.HTTPClient.Do(req)
	if err != nil {
		return nil, fetchErr(u, ctx, err, e.opt.Timeout)
	}
	defer resp.Body.Close()
	r := &response{URL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header}
	if resp.StatusCode == http.StatusNotModified {
		return r, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("GET %s: %w %d %s", u, ErrHTTPStatus, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if resp.ContentLength > e.opt.MaxBodyBytes {
		return nil, fmt.Errorf("GET %s: %w (Content-Length %d, limit %d)", u, ErrTooLarge, resp.ContentLength, e.opt.MaxBodyBytes)
	}
	body, err := readLimited(resp.Body, e.opt.MaxBodyBytes)
	if err != nil {
		return nil, fetchErr(u, ctx, err, e.opt.Timeout)
	}
	encoding := resp.Header.Get("Content-Encoding")
	if resp.Uncompressed {
		encoding = ""
	}
	if r.Body, err = decodeContent(body, encoding, e.opt.MaxBodyBytes); err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	return r, nil
}

// fetchErr names a timeout as such rather than as a bare context error,
// and a refusal without the layers of url.Error and net.OpError around it.
func fetchErr(u string, ctx context.Context, err error, timeout time.Duration) error {
	var r *refusal
	if errors.As(err, &r) {
		return fmt.Errorf("GET %s: %w", u, r)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("GET %s: timeout after %v: %w", u, timeout, err)
	}
	return fmt.Errorf("GET %s: %w", u, err)
}

// readURL yields the page at u, or every item of the feed at u.
func (e *emitter) readURL(u string) {
	var etag, lastMod string
	if e.opt.Validators != nil {
		var err error
		if etag, lastMod, err = e.opt.Validators.Validators(e.ctx, u); err != nil {
			e.opt.Logger.Warn("reading feed validators", "url", u, "err", err)
		}
	}
	resp, err := e.fetch(u, etag, lastMod)
	if err != nil {
		e.fail(u, err)
		return
	}
	if resp.Status == http.StatusNotModified {
		e.opt.Stats.NotModified.Add(1)
		e.opt.Logger.Info("not modified", "url", u)
		return
	}
	if isFeed(resp.Body) {
		e.readFeed(u, resp)
		return
	}
	page, err := responsePage(u, resp)
	if err != nil {
		e.fail(u, err)
		return
	}
	e.page(page)
}

// responsePage makes a page of an HTML or plain-text response.
func responsePage(input string, resp *response) (article.Page, error) {
	page := article.Page{Input: input, URL: resp.URL, Fetched: time.Now().UTC()}
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case isHTMLType(ct, resp.Body):
		page.Kind = article.KindHTML
	case mt == "text/plain":
		page.Kind = article.KindText
	default:
		return page, fmt.Errorf("GET %s: %w: content type %q", input, ErrUnsupported, ct)
	}
	if len(strings.TrimSpace(string(resp.Body))) == 0 {
		return page, fmt.Errorf("GET %s: %w", input, ErrEmpty)
	}
	body, err := toUTF8(resp.Body, ct, page.Kind == article.KindHTML)
	if err != nil {
		return page, fmt.Errorf("GET %s: %w", input, err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return page, fmt.Errorf("GET %s: %w", input, ErrEmpty)
	}
	page.Body = body
	return page, nil
}

// readFeed yields each item of the feed fetched from u: the page at the
// item's link, or the item's own content when the link fails. The feed's
// validators follow only once every item has been handed on without
// error, so an interrupted or partly failed run fetches the feed in full
// next time (the store's dedup drops what was already ingested).
func (e *emitter) readFeed(u string, resp *response) {
	f, err := parseFeed(resp.Body, resp.Header.Get("Content-Type"))
	if err != nil {
		e.fail(u, fmt.Errorf("feed %s: %w", u, err))
		return
	}
	base, _ := url.Parse(resp.URL)
	e.opt.Logger.Debug("feed", "url", u, "items", len(f.Items))
	links := make([]string, len(f.Items))
	for i, it := range f.Items {
		links[i] = resolveLink(base, it.Link)
	}
	pf := e.prefetch(links)
	defer pf.stop()
	failed := false
	for i, it := range f.Items {
		if !e.ok() {
			return
		}
		link := links[i]
		input := link
		if input == "" {
			input = u + "#item" + strconv.Itoa(i+1)
		}
		page := itemPage(f, it, input, link)
		page.Fetched = time.Now().UTC()
		var linkErr error
		if link != "" {
			r, err := pf.get(i)
			if err == nil && r.Status == http.StatusNotModified {
				err = fmt.Errorf("GET %s: unexpected 304", link)
			}
			if err == nil {
				var p article.Page
				if p, err = responsePage(link, r); err == nil {
					page.URL, page.Kind, page.Body = p.URL, p.Kind, p.Body
					if !e.page(page) {
						return
					}
					continue
				}
			}
			linkErr = err
			if e.ctx.Err() != nil {
				return
			}
		}
		if strings.TrimSpace(it.Content) != "" {
			if linkErr != nil {
				e.opt.Logger.Warn("feed item link failed; using its content", "feed", u, "link", link, "err", linkErr)
			}
			page.Body = itemDocument(page.Source, it, page.Lang)
			if !e.page(page) {
				return
			}
			continue
		}
		if linkErr == nil {
			linkErr = fmt.Errorf("feed %s item %d: %w", u, i+1, ErrNoContent)
		}
		failed = true
		if !e.fail(input, linkErr) {
			return
		}
	}
	if e.opt.Validators != nil && !failed {
		etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		if etag != "" || lm != "" {
			e.validators(FeedValidators{URL: u, ETag: etag, LastModified: lm})
		}
	}
}

// itemPage makes the page of feed item it with what the feed says about
// it; the caller sets its Body.
func itemPage(f *feed, it feedItem, input, link string) article.Page {
	page := article.Page{
		Input: input, URL: link, Kind: article.KindHTML,
		ExternalID: it.ID, Title: it.Title, Lang: normLang(it.Lang), Source: firstNonEmpty(it.Source, f.Title),
		Published: it.Published,
	}
	if page.Lang == "" {
		page.Lang = normLang(f.Lang)
	}
	return page
}

// resolveLink makes a feed link absolute against the feed's URL; it
// returns "" for links that are not http(s).
func resolveLink(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	ref, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if base != nil {
		ref = base.ResolveReference(ref)
	}
	if ref.Scheme != "http" && ref.Scheme != "https" {
		return ""
	}
	return ref.String()
}

// prefetcher fetches feed item links a few ahead of the consumer, so a
// feed's pages arrive in feed order without waiting on each in turn.
type prefetcher struct {
	e       *emitter
	links   []string
	results []chan fetchResult
	next    int // first link not yet started
	ctx     context.Context
	stop    context.CancelFunc
}

type fetchResult struct {
	resp *response
	err  error
}

func (e *emitter) prefetch(links []string) *prefetcher {
	ctx, cancel := context.WithCancel(e.ctx)
	p := &prefetcher{e: e, links: links, results: make([]chan fetchResult, len(links)), ctx: ctx, stop: cancel}
	for i := range p.results {
		p.results[i] = make(chan fetchResult, 1) // buffered: a cancelled fetch never blocks
	}
	return p
}

// get returns the fetch of link i, starting it and up to FeedConcurrency-1
// later ones if they are not running yet. Calls must come in index order.
func (p *prefetcher) get(i int) (*response, error) {
	for p.next < len(p.links) && p.next < i+p.e.opt.FeedConcurrency {
		j := p.next
		p.next++
		if p.links[j] == "" {
			p.results[j] <- fetchResult{err: errors.New("no link")}
			continue
		}
		go func() {
			r, err := p.e.fetchCtx(p.ctx, p.links[j], "", "")
			p.results[j] <- fetchResult{r, err}
		}()
	}
	if i >= p.next {
		return nil, errors.New("prefetch: out of order")
	}
	res := <-p.results[i]
	return res.resp, res.err
}
