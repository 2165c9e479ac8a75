package digest

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
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

// analyze returns the terms of each article of arts that is not a related
// one, by ID, for explain and merges to share. merges had analysed the
// story's articles again for each merge, and ECB+ dev's stories have
// dozens: a quarter of the digests' CPU on it (storyline bench
// --cpuprofile).
func (x *Explainer) analyze(arts []*article.Article) map[int64]*text.Doc {
	docs := make(map[int64]*text.Doc, len(arts))
	for _, a := range arts {
		if !a.Related {
			an := x.Analyzer
			docs[a.ID] = an.Analyze(a.Lang, a.Title, a.Text)
		}
	}
	return docs
}

// explain says why each article of arts is in the story; docs are their
// terms (see analyze).
func (x *Explainer) explain(arts []*article.Article, docs map[int64]*text.Doc) []ArticleWhy {
	per := x.PerArticle
	if per <= 0 {
		per = 8
	}
	w := x.Weights
	if w == (text.Weights{}) {
		w = text.DefaultWeights
	}
	var mains []*article.Article
	for _, a := range arts {
		if !a.Related {
			mains = append(mains, a)
		}
	}
	df := map[string]int{} // articles of the story with each term
	for _, a := range mains {
		for _, t := range docs[a.ID].Terms {
			df[t.Key]++
		}
	}
	var out []ArticleWhy
	for _, a := range mains {
		d := docs[a.ID]
		vec := x.Model.Vector(d, w)
		weight := map[string]float64{}
		for _, e := range vec {
			weight[e.Key] = e.W
		}
		why := ArticleWhy{Article: a.ID}
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
		var shared float64
		why.Kinds, why.Terms, shared = rank(kinds, why.Terms, per)
		if total > 0 {
			why.Shared = math.Round(1000*shared/total) / 1000
		}
		out = append(out, why)
	}
	return out
}

// rank orders the kinds of evidence by weight and keeps the n heaviest
// terms (weighed by how many articles share them), one per readable form;
// it returns the kinds' total weight too.
func rank(kinds map[string]float64, terms []Evidence, n int) ([]KindSum, []Evidence, float64) {
	var out []KindSum
	for k, v := range kinds {
		out = append(out, KindSum{Kind: k, Weight: v})
	}
	slices.SortFunc(out, func(a, b KindSum) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), strings.Compare(a.Kind, b.Kind))
	})
	total := 0.0
	for _, k := range out { // in order: a sum in map order differs in its last digits from run to run
		total += k.Weight
	}
	slices.SortFunc(terms, func(a, b Evidence) int {
		return cmp.Or(cmp.Compare(b.Weight*float64(b.Articles), a.Weight*float64(a.Articles)), strings.Compare(a.Term, b.Term))
	})
	return out, dedupTerms(terms, n), total
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

// MergeWhy is the evidence that put two stories together: the terms the
// articles a merge brought share with the story's others.
type MergeWhy struct {
	Other  int64      `json:"other"` // the story merged in
	Detail string     `json:"detail"`
	Kinds  []KindSum  `json:"kinds"`
	Terms  []Evidence `json:"terms"`
}

// merges explains each merge whose moved articles the digest read; docs
// are the articles' terms (see analyze).
func (x *Explainer) merges(arts []*article.Article, evs []store.StoryEvent, docs map[int64]*text.Doc) []MergeWhy {
	per := x.PerArticle
	if per <= 0 {
		per = 8
	}
	w := x.Weights
	if w == (text.Weights{}) {
		w = text.DefaultWeights
	}
	byID := map[int64]*article.Article{}
	for _, a := range arts {
		if !a.Related {
			byID[a.ID] = a
		}
	}
	var out []MergeWhy
	for _, e := range evs {
		if e.Kind != store.EventMerge || len(e.Articles) == 0 {
			continue
		}
		// Moved articles in the event's order and weights summed in key
		// order, so that the same story gives the same digest every time
		// (sums in map order differed in their last digits).
		moved := map[int64]bool{}
		var order []int64
		for _, id := range e.Articles {
			if byID[id] != nil && !moved[id] {
				moved[id] = true
				order = append(order, id)
			}
		}
		if len(moved) == 0 || len(moved) == len(byID) {
			continue
		}
		// Terms of the rest, and their weights in the moved articles.
		rest := map[string]int{}
		for id := range byID {
			if !moved[id] {
				for _, t := range docs[id].Terms {
					rest[t.Key]++
				}
			}
		}
		mw := MergeWhy{Other: e.Other, Detail: e.Detail}
		weight := map[string]float64{}
		surface := map[string]string{}
		for _, id := range order {
			d := docs[id]
			for _, en := range x.Model.Vector(d, w) {
				if rest[en.Key] > 0 {
					weight[en.Key] += en.W / float64(len(moved))
					if surface[en.Key] == "" {
						surface[en.Key] = d.Surface[en.Key]
					}
				}
			}
		}
		kinds := map[string]float64{}
		for _, k := range slices.Sorted(maps.Keys(weight)) {
			v := weight[k]
			kinds[kindOf(k)] += v * v
			term := surface[k]
			if term == "" {
				term = k
			}
			mw.Terms = append(mw.Terms, Evidence{Kind: kindOf(k), Term: term, Weight: v, Articles: rest[k]})
		}
		mw.Kinds, mw.Terms, _ = rank(kinds, mw.Terms, per)
		out = append(out, mw)
	}
	return out
}
