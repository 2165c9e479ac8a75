package clean

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/storyline/storyline/internal/eval"
)

// pageScore is one scrape's shingle precision and recall.
type pageScore struct {
	Hash string
	P, R float64
}

// EvalPlaintext cleans every <hash>.txt scrape in dir and scores its
// Main.Text against the gold article bodies in groundTruthJSON (the
// Scrapinghub format: hash → {url, articleBody}) with eval.ShingleF1.
// It returns the averaged score and the number of pages scored.
func EvalPlaintext(dir, groundTruthJSON string) (eval.PRF, int, error) {
	return EvalPlaintextHalf(dir, groundTruthJSON, eval.All)
}

// EvalPlaintextHalf is EvalPlaintext on one half of the pages, cut by
// eval.HalfOf(page hash): rules are tuned on eval.Tuning and reported and
// gated on eval.Checking.
func EvalPlaintextHalf(dir, groundTruthJSON string, h eval.Half) (eval.PRF, int, error) {
	prf, scores, err := evalPlaintext(dir, groundTruthJSON, h)
	return prf, len(scores), err
}

func evalPlaintext(dir, groundTruthJSON string, half eval.Half) (eval.PRF, []pageScore, error) {
	raw, err := os.ReadFile(groundTruthJSON)
	if err != nil {
		return eval.PRF{}, nil, fmt.Errorf("ground truth: %w", err)
	}
	var gold map[string]struct {
		URL         string `json:"url"`
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		return eval.PRF{}, nil, fmt.Errorf("ground truth %s: %w", groundTruthJSON, err)
	}
	hashes := make([]string, 0, len(gold))
	for h := range gold {
		if half.In(h) {
			hashes = append(hashes, h)
		}
	}
	sort.Strings(hashes)
	var f1 eval.ShingleF1
	var scores []pageScore
	for _, h := range hashes {
		b, err := os.ReadFile(filepath.Join(dir, h+".txt"))
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return eval.PRF{}, nil, fmt.Errorf("scrape %s: %w", h, err)
		}
		res := Text(string(b))
		p, r := f1.Add(res.Main.Text, gold[h].ArticleBody)
		scores = append(scores, pageScore{Hash: h, P: p, R: r})
	}
	if len(scores) == 0 {
		return eval.PRF{}, nil, fmt.Errorf("no scrapes of %s found in %s", groundTruthJSON, dir)
	}
	return f1.Result(), scores, nil
}
