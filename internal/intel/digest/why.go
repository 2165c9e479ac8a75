package digest

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/text"
)

// Explainer says why each article is in its story: the terms it shares
// with the story's other articles, weighted as story assignment weighs
// them, grouped by kind (a name across scripts, a dictionary gloss, a
// number, a date, a word).
type Explainer struct {
	// Analyzer must be the one assignment used (with the lexicon as its
	// Translator), so that the same terms come out.
	Analyzer text.Analyzer
	// Model gives the document frequencies; nil weighs all terms alike.
	Model *text.Model
	// Weights are assignment's kind weights; zero means text.DefaultWeights.
	Weights text.Weights
	// PerArticle bounds the evidence listed per article. Default 8.
	PerArticle int
}

// ArticleWhy is the evidence that puts one article in its story.
type ArticleWhy struct {
	Article int64      `json:"article"`
	Shared  float64    `json:"shared"` // share of the article's weight its evidence carries
	Kinds   []KindSum  `json:"kinds"`  // weight by kind of evidence
	Terms   []Evidence `json:"terms"`
}

// KindSum is the weight of one kind of evidence.
type KindSum struct {
	Kind   string  `json:"kind"`
	Weight float64 `json:"weight"`
}

// Evidence is one term an article shares with others of its story.
type Evidence struct {
	Kind     string  `json:"kind"`
	Term     string  `json:"term"`
	Weight   float64 `json:"weight"`
	Articles int     `json:"articles"` // other articles of the story that have it
}

// Kinds of evidence.
const (
	KindName    = "name"
	KindNameKey = "name across scripts"
	KindGloss   = "translation"
	KindNumber  = "number"
	KindDate    = "date"
	KindCognate = "shared word stem"
	KindWord    = "word"
)

func kindOf(key string) string {
	if !text.IsAnchor(key) {
		return KindWord
	}
	switch key[0] {
	case 'e':
		return KindName
	case 'k':
		return KindNameKey
	case 'x':
		return KindGloss
	case '#':
		return KindNumber
	case '@':
		return KindDate
	case 'p':
		return KindCognate
	}
	return KindWord
}

func (x *Explainer) explain(arts []*article.Article) []ArticleWhy {
	per := x.PerArticle
	if per <= 0 {
		per = 8
	}
	w := x.Weights
	if w == (text.Weights{}) {
		w = text.DefaultWeights
	}
	var docs []*text.Doc
	var mains []*article.Article
	for _, a := range arts {
		if a.Related {
			continue
		}
		mains = append(mains, a)
		an := x.Analyzer
		docs = append(docs, an.Analyze(a.Lang, a.Title, a.Text))
	}
	df := map[string]int{} // articles of the story with each term
	for _, d := range docs {
		for _, t := range d.Terms {
			df[t.Key]++
		}
	}
	var out []ArticleWhy
	for i, d := range docs {
		vec := x.Model.Vector(d, w)
		weight := map[string]float64{}
		for _, e := range vec {
			weight[e.Key] = e.W
		}
		why := ArticleWhy{Article: mains[i].ID}
		kinds := map[string]float64{}
		total := 0.0
		for _, t := range d.Terms {
			wt := weight[t.Key]
			total += wt * wt
			others := df[t.Key] - 1
			if others <= 0 || wt <= 0 {
				continue
			}
			kinds[kindOf(t.Key)] += wt * wt
			surface := d.Surface[t.Key]
			if surface == "" {
				surface = strings.TrimPrefix(strings.TrimPrefix(t.Key, t.Key[:min(2, len(t.Key))]), ":")
			}
			why.Terms = append(why.Terms, Evidence{Kind: kindOf(t.Key), Term: surface, Weight: wt, Articles: others})
		}
		shared := 0.0
		for k, v := range kinds {
			shared += v
			why.Kinds = append(why.Kinds, KindSum{Kind: k, Weight: v})
		}
		if total > 0 {
			why.Shared = math.Round(1000*shared/total) / 1000
		}
		slices.SortFunc(why.Kinds, func(a, b KindSum) int {
			return cmp.Or(cmp.Compare(b.Weight, a.Weight), strings.Compare(a.Kind, b.Kind))
		})
		slices.SortFunc(why.Terms, func(a, b Evidence) int {
			return cmp.Or(cmp.Compare(b.Weight*float64(b.Articles), a.Weight*float64(a.Articles)), strings.Compare(a.Term, b.Term))
		})
		why.Terms = dedupTerms(why.Terms, per)
		out = append(out, why)
	}
	return out
}

// dedupTerms keeps the first n terms, one per readable form.
func dedupTerms(ts []Evidence, n int) []Evidence {
	seen := map[string]bool{}
	var out []Evidence
	for _, t := range ts {
		k := strings.ToLower(t.Term)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
		if len(out) == n {
			break
		}
	}
	return out
}
