// Package eval holds the metrics behind `storyline eval`: shingle F1 for
// extraction, pairwise and BCubed scores for story clustering, and the
// correlation measures for article-pair similarity. Definitions follow
// ../shared/README.md so that our numbers compare with the published ones.
package eval

import (
	"regexp"
)

var wordRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// PRF is a precision/recall/F1 triple.
type PRF struct {
	P, R, F1 float64
}

// f1 is the harmonic mean, 0 when both are 0.
func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// ShingleCounts compares one extracted text with its gold text as multisets
// of 4-token shingles, tokens being \w+ runs with case kept. It returns
// precision and recall for the page, with the conventions of the
// Scrapinghub benchmark: an empty prediction against an empty gold is
// perfect, an empty side otherwise scores 0.
func ShingleCounts(pred, gold string) (p, r float64) {
	ps := shingles(pred)
	gs := shingles(gold)
	tp := 0
	for s, n := range ps {
		if m, ok := gs[s]; ok {
			tp += min(n, m)
		}
	}
	np, ng := total(ps), total(gs)
	fp, fn := np-tp, ng-tp
	if np == 0 && ng == 0 {
		return 1, 1
	}
	sum := float64(tp + fp + fn)
	// The benchmark normalises tp, fp, fn by their sum per page before
	// averaging, then computes precision and recall from those fractions.
	t, f, n := float64(tp)/sum, float64(fp)/sum, float64(fn)/sum
	if t+f > 0 {
		p = t / (t + f)
	}
	if t+n > 0 {
		r = t / (t + n)
	}
	return p, r
}

// ShingleF1 averages precision and recall over pages and takes F1 from the
// averages, as the benchmark does.
type ShingleF1 struct {
	sumP, sumR float64
	n          int
}

// Add scores one page.
func (s *ShingleF1) Add(pred, gold string) (p, r float64) {
	p, r = ShingleCounts(pred, gold)
	s.sumP += p
	s.sumR += r
	s.n++
	return p, r
}

// Result is the averaged score so far.
func (s *ShingleF1) Result() PRF {
	if s.n == 0 {
		return PRF{}
	}
	p, r := s.sumP/float64(s.n), s.sumR/float64(s.n)
	return PRF{P: p, R: r, F1: f1(p, r)}
}

// N is the number of pages scored.
func (s *ShingleF1) N() int { return s.n }

func shingles(text string) map[[4]string]int {
	toks := wordRe.FindAllString(text, -1)
	out := make(map[[4]string]int, len(toks))
	for i := 0; i+4 <= len(toks); i++ {
		out[[4]string{toks[i], toks[i+1], toks[i+2], toks[i+3]}]++
	}
	return out
}

func total(m map[[4]string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
