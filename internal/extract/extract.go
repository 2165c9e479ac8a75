// Package extract turns a raw page — HTML, a plain-text scrape or text that
// is already clean — into the articles it holds: the main article first,
// then any unrelated articles glued to its tail.
package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/clean"
)

// MaxBodySize is the largest page body Page accepts, in bytes. Real article
// pages are well under 2 MiB of HTML; anything larger is refused with
// ErrTooLarge rather than spending seconds of CPU and hundreds of MiB of
// memory on the DOM of what is almost certainly not a news article.
const MaxBodySize = 8 << 20

var (
	// ErrNoText says a page holds nothing that looks like article text.
	ErrNoText = errors.New("no article text")
	// ErrTooLarge says a page body is over MaxBodySize.
	ErrTooLarge = errors.New("page body too large")
)

// Page extracts the articles a raw page holds: the main article first, then any related articles
// (Article.Related = true) split off its tail. Returns a wrapped ErrNoText when nothing article-like remains.
func Page(ctx context.Context, p article.Page) ([]article.Article, error) {
	return pageWith(ctx, p, defaultConfig)
}

// pageWith is Page with HTML extracted by cfg.
func pageWith(ctx context.Context, p article.Page, cfg htmlConfig) ([]article.Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("extract %s: %w", p.Input, err)
	}
	if len(p.Body) > MaxBodySize {
		return nil, fmt.Errorf("extract %s: %w: %d bytes (limit %d)", p.Input, ErrTooLarge, len(p.Body), MaxBodySize)
	}
	body := p.Body
	if !utf8.Valid(body) {
		// Sources should have transcoded already; replace what is left so
		// that no later stage sees broken runes.
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("extract %s: empty body: %w", p.Input, ErrNoText)
	}
	if looksBinary(body) {
		return nil, fmt.Errorf("extract %s: body is binary, not text: %w", p.Input, ErrNoText)
	}

	kind := p.Kind
	if kind == article.KindUnknown {
		kind = Sniff(body)
	}
	var (
		arts []article.Article
		err  error
	)
	switch kind {
	case article.KindHTML:
		arts, err = fromHTMLConfig(ctx, p, body, cfg)
	case article.KindText:
		arts = fromText(p, string(body))
	case article.KindClean:
		arts = fromClean(p, string(body))
	default:
		return nil, fmt.Errorf("extract %s: unknown page kind %d", p.Input, p.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", p.Input, err)
	}
	if len(arts) == 0 || strings.TrimSpace(arts[0].Text) == "" {
		return nil, fmt.Errorf("extract %s: %w", p.Input, ErrNoText)
	}
	return arts, nil
}

// Sniff tells HTML from text by looking for markup near the start of body:
// a doctype, an <html>, <head> or <body> tag, or several common block tags.
func Sniff(body []byte) article.Kind {
	head := body
	if len(head) > 4096 {
		head = head[:4096]
	}
	head = bytes.ToLower(bytes.TrimLeft(head, "\ufeff \t\r\n"))
	for _, p := range [][]byte{[]byte("<!doctype html"), []byte("<html"), []byte("<?xml"), []byte("<head"), []byte("<body"), []byte("<!--")} {
		if bytes.HasPrefix(head, p) {
			return article.KindHTML
		}
	}
	n := 0
	for _, t := range []string{"<html", "<head", "<body", "<meta ", "<title", "<div", "<p>", "<p ", "<script", "<article", "<br", "<span", "<a href"} {
		n += bytes.Count(head, []byte(t))
	}
	if n >= 3 {
		return article.KindHTML
	}
	return article.KindText
}

// looksBinary reports whether the start of b holds control bytes no text
// would carry (NUL and friends), as images and archives do.
func looksBinary(b []byte) bool {
	if len(b) > 1024 {
		b = b[:1024]
	}
	ctl := 0
	for _, c := range b {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl*10 > len(b)
}

// base copies what the page already knows into an article.
func base(p article.Page) article.Article {
	return article.Article{
		ExternalID: p.ExternalID,
		Input:      p.Input,
		URL:        p.URL,
		Source:     p.Source,
		Lang:       p.Lang,
		Title:      p.Title,
		Published:  p.Published,
		Fetched:    p.Fetched,
	}
}

// fromText cleans a plain-text scrape, chrome and all.
func fromText(p article.Page, s string) []article.Article {
	res := clean.Text(s)
	main := docArticle(p, res.Main)
	if strings.TrimSpace(main.Text) == "" {
		return nil
	}
	out := []article.Article{main}
	for _, d := range res.Related {
		a := docArticle(p, d)
		if strings.TrimSpace(a.Text) == "" {
			continue
		}
		// A related article is its own piece: the page's hints describe
		// the main one, so keep only what the text itself says.
		a.ExternalID = ""
		a.Title, a.Author, a.Dateline = d.Title, d.Author, d.Dateline
		a.Published = d.Published
		a.URL = d.URL
		if d.Source == "" {
			a.Source = main.Source
		}
		a.Related = true
		out = append(out, a)
	}
	return out
}

func docArticle(p article.Page, d clean.Doc) article.Article {
	a := base(p)
	a.Text = Paragraphs(d.Text)
	a.Title = firstNonEmpty(d.Title, a.Title)
	a.Source = firstNonEmpty(d.Source, a.Source)
	a.Author = d.Author
	a.Dateline = d.Dateline
	a.URL = firstNonEmpty(a.URL, d.URL)
	if !d.Published.IsZero() {
		a.Published = d.Published
	}
	if a.Source == "" {
		a.Source = hostOf(a.URL)
	}
	return a
}

// fromClean keeps text that was extracted upstream as is, only normalising
// its whitespace into paragraphs.
func fromClean(p article.Page, s string) []article.Article {
	a := base(p)
	a.Text = Paragraphs(s)
	if a.Text == "" {
		return nil
	}
	if a.Source == "" {
		a.Source = hostOf(a.URL)
	}
	return []article.Article{a}
}

// Paragraphs normalises text into paragraphs separated by "\n\n": each
// non-blank line becomes a paragraph with its inner runs of white space
// collapsed to one space.
func Paragraphs(s string) string {
	return strings.Join(paragraphs(s), "\n\n")
}

func paragraphs(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		if line = collapseSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// collapseSpace trims s and turns each run of white space (including
// no-break and zero-width spaces) into one ASCII space.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u00a0' {
			space = true
			continue
		}
		if unicode.IsControl(r) {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
