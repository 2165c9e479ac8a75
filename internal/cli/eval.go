package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/clean"
	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/extract"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/shared"
)

// evalUsage lists the measurements `storyline eval` makes.
const evalUsage = `usage: storyline eval WHAT [flags] [args]

  extraction [DIR]          shingle P/R/F1 of HTML extraction (default ../shared/data/extraction-scrapinghub)
  plaintext [DIR]           the same for plain-text scrapes (default ../shared/data/plaintext-scrapinghub)
  clusters FILE.jsonl       ingest into a temporary store, then pairwise and BCubed P/R/F1 against "story"
  pairs FILE.jsonl          same-story score per pair: Pearson against -overall, best-threshold F1

Each takes -h for its flags.
`

func runEval(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, evalUsage)
		return usageErr("eval needs one of: extraction, plaintext, clusters, pairs")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stderr, evalUsage)
		return flag.ErrHelp
	case "extraction":
		return evalExtraction(ctx, e, args[1:])
	case "plaintext":
		return evalPlaintext(ctx, e, args[1:])
	case "clusters":
		return evalClusters(ctx, e, args[1:])
	case "pairs":
		return evalPairs(ctx, e, args[1:])
	}
	return usageErr("unknown eval %q", args[0])
}

// sharedDefault resolves a default data path inside ../shared.
func sharedDefault(rel string) string {
	dir, err := shared.Find()
	if err != nil {
		return filepath.Join("..", "shared", rel)
	}
	return filepath.Join(dir, rel)
}

func printPRF(e *env, name string, m eval.PRF) {
	fmt.Fprintf(e.stdout, "%-10s P %.4f  R %.4f  F1 %.4f\n", name, m.P, m.R, m.F1)
}

func evalExtraction(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval extraction", "[DIR]")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir := sharedDefault("data/extraction-scrapinghub")
	if len(pos) > 0 {
		dir = pos[0]
	}
	m, n, err := extract.EvalScrapinghub(ctx, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "extraction on %s: %d pages\n", dir, n)
	printPRF(e, "shingles", m)
	return nil
}

func evalPlaintext(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval plaintext", "[DIR]")
	gt := fs.String("gold", sharedDefault("data/extraction-scrapinghub/ground-truth.json"), "ground-truth JSON (hash → articleBody)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir := sharedDefault("data/plaintext-scrapinghub")
	if len(pos) > 0 {
		dir = pos[0]
	}
	m, n, err := clean.EvalPlaintext(dir, *gt)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "plain-text cleaning on %s: %d pages\n", dir, n)
	printPRF(e, "shingles", m)
	return nil
}

// goldLine is the part of a gold JSONL line the cluster evaluation reads.
type goldLine struct {
	ID    json.RawMessage `json:"id"`
	Story json.RawMessage `json:"story"`
}

// rawString reads a JSON string or number as a string key.
func rawString(r json.RawMessage) string {
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	return string(r)
}

func readGold(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gold := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for ln := 1; sc.Scan(); ln++ {
		var g goldLine
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, ln, err)
		}
		if len(g.ID) == 0 || len(g.Story) == 0 {
			return nil, fmt.Errorf("%s:%d: gold line needs id and story", path, ln)
		}
		gold[rawString(g.ID)] = rawString(g.Story)
	}
	return gold, sc.Err()
}

func evalClusters(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval clusters", "FILE.jsonl")
	ef := addEngineFlags(fs)
	keep := fs.String("data", "", "keep the store in this directory instead of a temporary one")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("eval clusters takes one FILE.jsonl")
	}
	gold, err := readGold(pos[0])
	if err != nil {
		return err
	}
	dir := *keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "storyline-eval-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	st, p, _, err := openPipeline(ctx, e, dir, "eval clusters", ef, ingest.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := p.Run(ctx, pos)
	if err != nil {
		return err
	}
	pred := map[string]string{}
	err = st.Articles(ctx, func(a *article.Article) error {
		if a.ExternalID != "" {
			pred[a.ExternalID] = strconv.FormatInt(a.Story, 10)
		}
		return nil
	})
	if err != nil {
		return err
	}
	nStories := map[string]bool{}
	for _, s := range pred {
		nStories[s] = true
	}
	fmt.Fprintf(e.stdout, "clusters on %s: %d articles, %d gold stories, %d predicted stories (%d skipped, %d merges/splits)\n",
		pos[0], len(gold), len(distinct(gold)), len(nStories), len(rep.Skipped), rep.StoryEvents)
	printPRF(e, "pairwise", eval.Pairwise(pred, gold))
	printPRF(e, "bcubed", eval.BCubed(pred, gold))
	return nil
}

func distinct(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, v := range m {
		out[v] = true
	}
	return out
}
