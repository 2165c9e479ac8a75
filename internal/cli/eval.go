package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
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
	halfName := fs.String("half", "all", "score `all` pages, or the tuning or checking half (cut by a fixed hash of the page id)")
	alone := fs.Bool("trafilatura-alone", false, "score go-trafilatura with its defaults and nothing of Storyline's on top (the bar extraction must not fall below)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	half, ok := eval.ParseHalf(*halfName)
	if !ok {
		return usageErr("--half is all, tuning or checking")
	}
	dir := sharedDefault("data/extraction-scrapinghub")
	if len(pos) > 0 {
		dir = pos[0]
	}
	m, n, err := extract.EvalScrapinghubWith(ctx, dir, extract.EvalOptions{Half: half, TrafilaturaAlone: *alone})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "extraction on %s (%s): %d pages\n", dir, half, n)
	printPRF(e, "shingles", m)
	return nil
}

func evalPlaintext(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval plaintext", "[DIR]")
	gt := fs.String("gold", sharedDefault("data/extraction-scrapinghub/ground-truth.json"), "ground-truth JSON (hash → articleBody)")
	halfName := fs.String("half", "all", "score `all` pages, or the tuning or checking half (cut by a fixed hash of the page id)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	half, ok := eval.ParseHalf(*halfName)
	if !ok {
		return usageErr("--half is all, tuning or checking")
	}
	dir := sharedDefault("data/plaintext-scrapinghub")
	if len(pos) > 0 {
		dir = pos[0]
	}
	m, n, err := clean.EvalPlaintextHalf(dir, *gt, half)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "plain-text cleaning on %s (%s): %d pages\n", dir, half, n)
	printPRF(e, "shingles", m)
	return nil
}

// goldLine is the part of a gold JSONL line the cluster evaluation reads.
type goldLine struct {
	ID    json.RawMessage `json:"id"`
	Story json.RawMessage `json:"story"`
	Lang  string          `json:"lang"`
}

// goldSet is a clustering dev set's answers: each item's story and, where
// the file gives it, its language.
type goldSet struct {
	story map[string]string
	lang  map[string]string
}

// rawString reads a JSON string or number as a string key.
func rawString(r json.RawMessage) string {
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	return string(r)
}

// readGold reads the gold stories of a JSONL file. With a half other than
// All it keeps the lines of that half (cut by gold story, so that each
// half holds whole stories) and writes them to keep, the input the run
// then reads.
func readGold(path string, half eval.Half, keep io.Writer) (goldSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return goldSet{}, err
	}
	defer f.Close()
	gold := goldSet{story: map[string]string{}, lang: map[string]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for ln := 1; sc.Scan(); ln++ {
		var g goldLine
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return goldSet{}, fmt.Errorf("%s:%d: %w", path, ln, err)
		}
		if len(g.ID) == 0 || len(g.Story) == 0 {
			return goldSet{}, fmt.Errorf("%s:%d: gold line needs id and story", path, ln)
		}
		id, st := rawString(g.ID), rawString(g.Story)
		if !half.In(st) {
			continue
		}
		gold.story[id] = st
		if g.Lang != "" {
			gold.lang[id] = g.Lang
		}
		if keep != nil {
			if _, err := fmt.Fprintf(keep, "%s\n", sc.Bytes()); err != nil {
				return goldSet{}, err
			}
		}
	}
	return gold, sc.Err()
}

func evalClusters(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval clusters", "FILE.jsonl")
	ef := addEngineFlags(fs)
	keep := fs.String("data", "", "keep the store in this directory instead of a temporary one")
	halfName := fs.String("half", "all", "score `all` of the file, or only the stories of its tuning or checking half (cut by a fixed hash of the gold story id); a half is ingested on its own")
	byLang := fs.Bool("by-lang", false, "also print, per language pair, how often gold's same-story pairs are joined and how many different-story pairs share a story")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("eval clusters takes one FILE.jsonl")
	}
	half, ok := eval.ParseHalf(*halfName)
	if !ok {
		return usageErr("--half is all, tuning or checking")
	}
	dir := *keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "storyline-eval-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	input := pos[0]
	var part *os.File
	if half != eval.All {
		input = filepath.Join(dir, "half-"+half.String()+".jsonl")
		if part, err = os.Create(input); err != nil {
			return err
		}
		defer os.Remove(input)
	}
	var keepLines io.Writer // a nil *os.File would not be a nil io.Writer
	if part != nil {
		keepLines = part
	}
	gold, err := readGold(pos[0], half, keepLines)
	if part != nil {
		if cerr := part.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	st, p, _, err := openPipeline(ctx, e, storeIn(dir), "eval clusters", ef, ingest.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := p.Run(ctx, []string{input})
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
	fmt.Fprintf(e.stdout, "clusters on %s (%s): %d articles, %d gold stories, %d predicted stories (%d skipped, %d merges/splits)\n",
		pos[0], half, len(gold.story), len(distinct(gold.story)), len(nStories), len(rep.Skipped), rep.StoryEvents)
	printPRF(e, "pairwise", eval.Pairwise(pred, gold.story))
	printPRF(e, "bcubed", eval.BCubed(pred, gold.story))
	if *byLang {
		fmt.Fprintf(e.stdout, "%-7s %9s %7s %7s\n", "langs", "gold", "joined", "wrong")
		for _, lp := range eval.ByLangPair(pred, gold.story, gold.lang) {
			fmt.Fprintf(e.stdout, "%-7s %9d %6.0f%% %7d\n", lp.A+"-"+lp.B, lp.Gold, 100*lp.Recall(), lp.Wrong)
		}
	}
	return nil
}

func distinct(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, v := range m {
		out[v] = true
	}
	return out
}
