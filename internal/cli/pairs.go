package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/story"
	"github.com/storyline/storyline/internal/text"
)

// pairLine is one rated pair of SemEval-2022 Task 8.
type pairLine struct {
	Pair    string  `json:"pair"`
	Lang1   string  `json:"lang1"`
	Lang2   string  `json:"lang2"`
	Title1  string  `json:"title1"`
	Title2  string  `json:"title2"`
	Text1   string  `json:"text1"`
	Text2   string  `json:"text2"`
	Overall float64 `json:"overall"`
}

func evalPairs(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval pairs", "FILE.jsonl")
	out := fs.String("out", "", "write one {\"pair\",\"score\"} line per pair to this file")
	lexDir := fs.String("lexicons", lexicon.DefaultDir, "folder of freedict dictd files used to link languages")
	halfName := fs.String("half", "all", "score all pairs, or only those of the tuning or checking half (cut by a fixed hash of the pair id)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("eval pairs takes one FILE.jsonl")
	}
	half, ok := eval.ParseHalf(*halfName)
	if !ok {
		return usageErr("eval pairs: --half must be all, tuning or checking, not %q", *halfName)
	}
	pairs, err := readPairs(pos[0], half)
	if err != nil {
		return err
	}
	langs := map[string]bool{}
	for _, p := range pairs {
		langs[p.Lang1], langs[p.Lang2] = true, true
	}
	var ls []string
	for l := range langs {
		ls = append(ls, l)
	}
	lex, err := lexicon.Load(ctx, *lexDir, ls)
	if err != nil {
		return err
	}

	// Document frequencies come from the pair texts themselves, as a
	// stream would have learned them by the time it scores the pair.
	var scorer story.Pair
	if lex != nil {
		scorer.Analyzer.Translator = lex
	}
	model := text.NewModel()
	docs := make([][2]*text.Doc, len(pairs))
	for i, p := range pairs {
		docs[i][0] = scorer.Analyze(p.Lang1, p.Title1, p.Text1)
		docs[i][1] = scorer.Analyze(p.Lang2, p.Title2, p.Text2)
		model.Add(docs[i][0])
		model.Add(docs[i][1])
	}

	var w io.Writer = io.Discard
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		bw := bufio.NewWriter(f)
		defer bw.Flush()
		w = bw
	}
	enc := json.NewEncoder(w)
	scored := make([]eval.ScoredPair, len(pairs))
	for i, p := range pairs {
		s := scorer.Docs(docs[i][0], docs[i][1], model)
		scored[i] = eval.ScoredPair{Score: s, Overall: p.Overall, Cross: p.Lang1 != p.Lang2}
		if err := enc.Encode(struct {
			Pair  string  `json:"pair"`
			Score float64 `json:"score"`
		}{p.Pair, s}); err != nil {
			return err
		}
	}
	r := eval.ScorePairs(scored)
	fmt.Fprintf(e.stdout, "pairs on %s (%s): %d pairs (%d same-language, %d cross-language); lexicons: %v\n",
		pos[0], half, r.N, r.NSame, r.NCross, lex.Langs())
	fmt.Fprintf(e.stdout, "Pearson vs -overall: all %.4f  same-language %.4f  cross-language %.4f\n", r.Pearson, r.PearsonSame, r.PearsonCross)
	fmt.Fprintf(e.stdout, "same story (overall<=1.5, %d) vs different (>=3, %d): best F1 %.4f at score %.4f\n", r.NPos, r.NNeg, r.F1, r.Threshold)
	return nil
}

// readPairs reads the pairs of one half of a SemEval-8 file.
func readPairs(path string, half eval.Half) ([]pairLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []pairLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for ln := 1; sc.Scan(); ln++ {
		var p pairLine
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, ln, err)
		}
		if half.In(p.Pair) {
			out = append(out, p)
		}
	}
	return out, sc.Err()
}
