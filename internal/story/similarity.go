package story

import (
	"math"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/text"
)

// Pair scores article pairs with shared settings; its zero value uses the
// defaults. Similarity is the one-call form.
type Pair struct {
	Analyzer text.Analyzer
	Weights  text.Weights // zero means PairWeights
	// Cross scales the anchor-only cosine (names, numbers, dates, cognates,
	// glosses) that stands in for the full cosine across languages. 0 means 2.
	Cross float64
	// Power reshapes the score (s^Power) so that it grows like human
	// same-story ratings do: fast at first, then slowly. 0 means 0.7.
	Power float64
}

// PairWeights are the term weights tuned for pair similarity. Names and
// their keys count less than in assignment (DefaultWeights): across a
// varied pair set, shared vocabulary and cognates matter as much as names.
var PairWeights = func() text.Weights {
	w := text.DefaultWeights
	w.Entity, w.Translit, w.Cognate = 1, 0.3, 1
	return w
}()

// Similarity returns a same-story score in [0, 1] for two articles, from
// the features assignment uses. model supplies document frequencies (for
// example one fitted on the collection the pair comes from, or an
// Assigner's Model); nil means the two articles alone.
func Similarity(x, y *article.Article, model *text.Model) float64 {
	var p Pair
	return p.Similarity(x, y, model)
}

// Similarity is Similarity with p's settings.
func (p *Pair) Similarity(x, y *article.Article, model *text.Model) float64 {
	dx := p.Analyzer.Analyze(x.Lang, x.Title, x.Text)
	dy := p.Analyzer.Analyze(y.Lang, y.Title, y.Text)
	if model == nil {
		model = text.NewModel()
		model.Add(dx)
		model.Add(dy)
	}
	return p.Docs(dx, dy, model)
}

// Docs scores two analysed documents.
func (p *Pair) Docs(dx, dy *text.Doc, model *text.Model) float64 {
	w := p.Weights
	if w == (text.Weights{}) {
		w = PairWeights
	}
	cross := p.Cross
	if cross == 0 {
		cross = 2
	}
	pow := p.Power
	if pow == 0 {
		pow = 0.7
	}
	vx, vy := model.Vector(dx, w), model.Vector(dy, w)
	full := text.Dot(vx, vy)
	ax := vx.Filter(text.IsAnchor).Normalize()
	ay := vy.Filter(text.IsAnchor).Normalize()
	anch := text.Dot(ax, ay)
	s := full
	if dx.Lang != dy.Lang || dx.Lang == "" {
		s = math.Max(full, cross*anch)
	}
	s = math.Max(0, math.Min(1, s))
	if pow != 1 {
		s = math.Pow(s, pow)
	}
	return s
}
