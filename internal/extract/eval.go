package extract

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/eval"
)

// ScrapinghubPage is one page of the Scrapinghub article-extraction
// benchmark with its gold article body.
type ScrapinghubPage struct {
	Hash string
	URL  string
	HTML []byte
	Gold string
}

// LoadScrapinghub reads the benchmark in dir (html/<hash>.html.gz and
// ground-truth.json), in hash order.
func LoadScrapinghub(dir string) ([]ScrapinghubPage, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("scrapinghub: %w", err)
	}
	var gt map[string]struct {
		URL         string `json:"url"`
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("scrapinghub: ground-truth.json: %w", err)
	}
	hashes := make([]string, 0, len(gt))
	for h := range gt {
		hashes = append(hashes, h)
	}
	sort.Strings(hashes)
	pages := make([]ScrapinghubPage, 0, len(hashes))
	for _, h := range hashes {
		b, err := readGzip(filepath.Join(dir, "html", h+".html.gz"))
		if err != nil {
			return nil, fmt.Errorf("scrapinghub: %w", err)
		}
		g := gt[h]
		pages = append(pages, ScrapinghubPage{Hash: h, URL: g.URL, HTML: b, Gold: g.ArticleBody})
	}
	if len(pages) == 0 {
		return nil, errors.New("scrapinghub: ground-truth.json lists no pages")
	}
	return pages, nil
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, MaxBodySize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// EvalOptions chooses what EvalScrapinghubWith measures.
type EvalOptions struct {
	// Half restricts the pages to one half of the set by eval.HalfOf(page
	// hash); eval.All scores every page.
	Half eval.Half
	// TrafilaturaAlone scores go-trafilatura with its default options and
	// nothing of Storyline's on top: the bar the package must not fall
	// below.
	TrafilaturaAlone bool
}

// EvalScrapinghub extracts every page of the Scrapinghub benchmark in dir
// (the extraction-scrapinghub folder) and scores the main article's text
// against the gold bodies with shingle F1. A page that fails to extract
// scores as an empty prediction. It returns the score and the page count.
func EvalScrapinghub(ctx context.Context, dir string) (eval.PRF, int, error) {
	return EvalScrapinghubWith(ctx, dir, EvalOptions{})
}

// EvalScrapinghubWith is EvalScrapinghub on one half of the set, or for
// go-trafilatura alone, as opt says.
func EvalScrapinghubWith(ctx context.Context, dir string, opt EvalOptions) (eval.PRF, int, error) {
	pages, err := LoadScrapinghub(dir)
	if err != nil {
		return eval.PRF{}, 0, err
	}
	cfg := defaultConfig
	if opt.TrafilaturaAlone {
		cfg = trafilaturaAlone
	}
	return scorePages(ctx, pages, opt.Half, configExtractor(cfg), nil)
}

// configExtractor extracts a page's main text with cfg.
func configExtractor(cfg htmlConfig) func(context.Context, article.Page) (string, error) {
	return func(ctx context.Context, p article.Page) (string, error) {
		arts, err := pageWith(ctx, p, cfg)
		if err != nil {
			return "", err
		}
		return arts[0].Text, nil
	}
}

// scorePages scores extractFn on the pages of half; each page's result goes
// to report when it is not nil.
func scorePages(ctx context.Context, pages []ScrapinghubPage, half eval.Half, extractFn func(context.Context, article.Page) (string, error),
	report func(pg ScrapinghubPage, pred string, p, r float64, err error)) (eval.PRF, int, error) {
	var s eval.ShingleF1
	for _, pg := range pages {
		if !half.In(pg.Hash) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return eval.PRF{}, s.N(), err
		}
		pred, err := extractFn(ctx, article.Page{Input: pg.Hash, URL: pg.URL, Kind: article.KindHTML, Body: pg.HTML})
		if err != nil && ctx.Err() != nil {
			return eval.PRF{}, s.N(), ctx.Err()
		}
		p, r := s.Add(strings.TrimSpace(pred), pg.Gold)
		if report != nil {
			report(pg, pred, p, r, err)
		}
	}
	return s.Result(), s.N(), nil
}
