package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	nurl "net/url"
	"slices"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/storyline/storyline/internal/article"
)

// maxDepth is how deep fromHTML lets elements nest. The HTML parser refuses
// documents nested deeper than 512; hostile or broken pages get their
// excess nesting flattened instead, which keeps their text.
const maxDepth = 400

// Limits on the work one HTML page may cost. Trafilatura's cost grows
// faster than linearly with a page's text (seconds for a few hundred KiB of
// paragraphs), while readability's stays near linear; real article pages
// hold well under 64 KiB of text and 2,000 elements (the largest on the
// Scrapinghub set: 56 KiB, 1,600).
const (
	// fullTextMax and fullElemsMax bound the pages that get both
	// extractors; larger pages get readability alone.
	fullTextMax  = 128 << 10
	fullElemsMax = 30000
	// MaxElements is the most elements a page may hold at all; beyond it
	// Page returns ErrTooLarge.
	MaxElements = 200000
	// maxAttrLen caps attribute values: none that matters for text is
	// longer, and huge ones (inline data URIs, hostile pages) cost every
	// later pass a copy.
	maxAttrLen = 2048
	// MaxParagraphs caps the paragraphs of one extracted text; the rest of
	// an implausibly long text is dropped.
	MaxParagraphs = 5000
)

// htmlConfig holds the knobs measured on the Scrapinghub set; defaultConfig
// is the combination kept (see rules.go for how each rule was judged).
type htmlConfig struct {
	focus       trafilatura.ExtractionFocus
	fallback    bool // trafilatura's own readability/distiller comparison
	trafilatura bool // run trafilatura at all
	readability bool // run our readability pass (needed by the combine rules)
	rules       rule // the post-processing rules applied on top of trafilatura
}

// The focus is go-trafilatura's default: FavorRecall scored 0.002 F1 more on
// the tuning half but 0.0001 less on the checking half, with the same
// recall (TestRuleAblation), so it did not earn its place.
var defaultConfig = htmlConfig{focus: trafilatura.Balanced, trafilatura: true, readability: true, rules: keptRules}

// trafilaturaAlone is go-trafilatura as its authors benchmark it: default
// focus, no fallback, nothing of ours on top. It is the bar every rule is
// measured against.
var trafilaturaAlone = htmlConfig{focus: trafilatura.Balanced, trafilatura: true}

// extraction is what the two extractors found in one page, before any
// rule is applied.
type extraction struct {
	page                   pageMeta
	tparas, rparas         []string
	terr                   error // why trafilatura found nothing, if it did not
	meta                   trafilatura.Metadata
	rTitle, rByline, rSite string
}

func fromHTMLConfig(ctx context.Context, p article.Page, body []byte, cfg htmlConfig) ([]article.Article, error) {
	x, err := extractRaw(ctx, p, body, cfg)
	if err != nil {
		return nil, err
	}
	paras, err := x.paragraphs(cfg.rules, p.URL)
	if err != nil {
		return nil, err
	}
	a := base(p)
	a.Text = strings.Join(paras, "\n\n")
	a.Dateline = dateline(a.Text)
	m := x.meta
	sites := append(slices.Clip(x.page.sites), m.Sitename, x.rSite, p.Source,
		hostName(hostOf(p.URL)), hostName(hostOf(m.URL)))
	a.Title = cleanTitle(firstNonEmpty(m.Title, x.rTitle, a.Title), sites)
	a.Author = firstNonEmpty(m.Author, x.rByline)
	if pub := x.page.published(m.Date); !pub.IsZero() {
		a.Published = pub
	}
	canon := ""
	if u, err := nurl.Parse(m.URL); err == nil && u.Scheme != "" && u.Host != "" {
		canon = u.String()
	}
	a.URL = firstNonEmpty(a.URL, canon)
	site := m.Sitename
	if h := siteHost(site); h != "" && (h == hostOf(m.URL) || h == hostOf(p.URL)) {
		// Trafilatura fills a missing site name with the host; a source's
		// hint names the outlet better.
		site = ""
	}
	a.Source = firstNonEmpty(site, x.rSite, a.Source, hostOf(canon), hostOf(a.URL))
	return []article.Article{a}, nil
}

// extractRaw parses body and runs the extractors cfg asks for on it.
func extractRaw(ctx context.Context, p article.Page, body []byte, cfg htmlConfig) (*extraction, error) {
	doc, err := parseHTML(body)
	if err != nil {
		return nil, err
	}
	var pageURL *nurl.URL
	if u, err := nurl.Parse(p.URL); err == nil && u.Scheme != "" && u.Host != "" {
		pageURL = u
	}
	elems, text := prepare(doc)
	if elems > MaxElements {
		return nil, fmt.Errorf("%w: %d elements (limit %d)", ErrTooLarge, elems, MaxElements)
	}
	if elems > fullElemsMax || text > fullTextMax {
		cfg.trafilatura = false
	}
	if cfg.rules&ruleRuby != 0 {
		dropRuby(doc)
	}
	// Read the markup's own metadata before the extractors, which may
	// prune the tree they are given.
	x := &extraction{page: readPageMeta(doc)}
	if cfg.trafilatura {
		var tr *trafilatura.ExtractResult
		tr, x.terr = trafilatura.ExtractDocument(doc, trafilatura.Options{
			OriginalURL:     pageURL,
			Focus:           cfg.focus,
			EnableFallback:  cfg.fallback,
			ExcludeComments: true,
			HtmlDateMode:    trafilatura.Default,
		})
		if x.terr == nil {
			x.meta = tr.Metadata
			x.tparas = nodeParagraphs(tr.ContentNode)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cfg.readability {
		ps := readability.NewParser()
		ps.Logger = slog.New(slog.DiscardHandler)
		ps.MaxElemsToParse = MaxElements
		// Readability runs last and nothing reads doc after it, so it
		// may prune doc itself rather than a copy (ParseDocument clones).
		if ra, err := ps.ParseAndMutate(doc, pageURL); err == nil && ra.Node != nil {
			x.rparas = paragraphs(render.InnerText(ra.Node))
			x.rTitle, x.rByline, x.rSite = ra.Title(), ra.Byline(), ra.SiteName()
			if !cfg.trafilatura {
				x.meta.Title, x.meta.Author, x.meta.Sitename = ra.Title(), ra.Byline(), ra.SiteName()
				if t, err := ra.PublishedTime(); err == nil {
					x.meta.Date = t
				}
			}
		}
	}
	return x, nil
}

// paragraphs applies rules to what the extractors found and returns the
// article's paragraphs, or ErrNoText when nothing article-like is left.
func (x *extraction) paragraphs(rules rule, rawURL string) ([]string, error) {
	paras := combine(x.tparas, x.rparas, rules)
	if len(paras) > MaxParagraphs {
		paras = paras[:MaxParagraphs]
	}
	paras = dropLeftovers(paras, x.meta, rawURL, rules)
	if len(paras) == 0 {
		if x.terr != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoText, x.terr)
		}
		return nil, ErrNoText
	}
	if !articleLike(paras) {
		return nil, ErrNoText
	}
	return paras, nil
}

// parseHTML parses body, flattening nesting deeper than maxDepth that the
// parser would otherwise refuse.
func parseHTML(body []byte) (*html.Node, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err == nil {
		return doc, nil
	}
	doc, err2 := html.Parse(bytes.NewReader(flatten(body)))
	if err2 != nil {
		return nil, fmt.Errorf("parse html: %w", errors.Join(err, err2))
	}
	return doc, nil
}

// prepare truncates oversized attribute values in doc and counts its
// elements and the bytes of its text outside scripts and styles.
func prepare(doc *html.Node) (elems, text int) {
	var walk func(n *html.Node, skip bool)
	walk = func(n *html.Node, skip bool) {
		switch n.Type {
		case html.ElementNode:
			elems++
			for i := range n.Attr {
				if len(n.Attr[i].Val) > maxAttrLen {
					n.Attr[i].Val = ""
				}
			}
			if n.Data == "script" || n.Data == "style" || n.Data == "noscript" || n.Data == "template" {
				skip = true
			}
		case html.TextNode:
			if !skip {
				text += len(n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, skip)
		}
	}
	walk(doc, false)
	return elems, text
}

// dropRuby removes ruby annotations — <rt> readings and the <rp>
// parentheses around them — so that 漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp>
// reads 漢字, as a reader sees the base text, not 漢字(かんじ).
func dropRuby(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && (c.Data == "rt" || c.Data == "rp" || c.Data == "rtc") {
			n.RemoveChild(c)
		} else {
			dropRuby(c)
		}
		c = next
	}
}

// flatten re-serialises the token stream of body, dropping the start and
// end tags of elements that would open below maxDepth, so that their text
// ends up in the nearest shallower element. Depth is counted on raw tags,
// which over-counts elements left unclosed; only pages the parser refused
// get here, so an approximation that keeps the text is enough.
func flatten(body []byte) []byte {
	z := html.NewTokenizer(bytes.NewReader(body))
	var out bytes.Buffer
	out.Grow(len(body))
	depth := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			// io.EOF or a tokenizer error: either way, what was read so
			// far is all there is.
			return out.Bytes()
		case html.StartTagToken:
			depth++
			if depth > maxDepth {
				continue
			}
		case html.EndTagToken:
			depth = max(depth-1, 0)
			if depth >= maxDepth {
				continue
			}
		}
		out.Write(z.Raw())
	}
}

// nodeParagraphs renders an extracted tree as paragraphs, one per line of
// its text.
func nodeParagraphs(n *html.Node) []string {
	if n == nil {
		return nil
	}
	return paragraphs(render.InnerText(n))
}

// siteHost returns a site name written as a host the way hostOf returns
// hosts: lower case, without "www." and without a port.
func siteHost(site string) string {
	h := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(site)), "www.")
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return h
}

func hostOf(raw string) string {
	u, err := nurl.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
