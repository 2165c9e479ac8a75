package digest

import (
	"fmt"
	"slices"
)

// Coverage says which outlet carries which of the story's key facts: its
// people and bodies, its quotations, its figures.
type Coverage struct {
	Outlets []OutletCol `json:"outlets"`
	Facts   []Fact      `json:"facts"`
}

// OutletCol is one outlet of the story.
type OutletCol struct {
	Name     string   `json:"name"`
	Langs    []string `json:"langs"`
	Articles int      `json:"articles"`
	// Omits lists the facts most other outlets carry and this one does
	// not; Only, those this outlet alone carries. Both by index in Facts.
	Omits []int `json:"omits"`
	Only  []int `json:"only"`
}

// Fact is one row of the coverage matrix.
type Fact struct {
	Kind    string   `json:"kind"` // "entity", "quote", "figure"
	Label   string   `json:"label"`
	Ref     string   `json:"ref"` // the entity ID, or the quote's or figure's group index
	Outlets []string `json:"outlets"`
}

// Tunables of the coverage matrix.
const (
	// omitShare: an outlet omits a fact when at least this share of the
	// other outlets that could carry it do (and at least omitOthers of
	// them): what most others report is what a reader of this outlet
	// misses.
	omitShare  = 0.6
	omitOthers = 2
	// onlyOutlets: what one outlet alone says is worth telling when the
	// story has at least this many outlets.
	onlyOutlets = 3
	// entityFactArticles: an entity is a key fact when this many articles
	// name it.
	entityFactArticles = 2
)

func coverage(d *Digest) Coverage {
	var c Coverage
	langs := map[string]map[string]bool{}
	count := map[string]int{}
	for _, a := range d.Articles {
		if langs[a.Outlet] == nil {
			langs[a.Outlet] = map[string]bool{}
		}
		langs[a.Outlet][a.Lang] = true
		count[a.Outlet]++
	}
	names := make([]string, 0, len(count))
	for o := range count {
		names = append(names, o)
	}
	slices.Sort(names)
	outletOf := map[int64]string{}
	for _, a := range d.Articles {
		outletOf[a.ID] = a.Outlet
	}
	// eligible lists, for each fact, the outlets that could carry it:
	// every outlet, but for a quotation only those writing in one of the
	// languages it was found in (its words are matched, not translated).
	var eligible []map[string]bool
	all := map[string]bool{}
	for _, o := range names {
		all[o] = true
	}
	for _, e := range d.allEntities {
		// A person one outlet alone names is news of that outlet (the
		// expert only it quotes); other names count once two articles
		// carry them.
		if e.Articles < entityFactArticles && e.Type != "person" {
			continue
		}
		c.Facts = append(c.Facts, Fact{Kind: "entity", Label: e.Canonical, Ref: fmt.Sprint(e.ID), Outlets: e.Outlets})
		eligible = append(eligible, all)
	}
	for i, q := range d.Quotes {
		seen, ls := map[string]bool{}, map[string]bool{}
		for _, it := range q.Items {
			seen[it.Outlet] = true
			ls[it.Lang] = true
		}
		label := q.Text
		if q.Speaker != "" {
			label = q.Speaker + ": " + label
		}
		c.Facts = append(c.Facts, Fact{Kind: "quote", Label: label, Ref: fmt.Sprint(i), Outlets: sortedKeys(seen)})
		el := map[string]bool{}
		for _, o := range names {
			for l := range langs[o] {
				if ls[l] {
					el[o] = true
				}
			}
		}
		eligible = append(eligible, el)
	}
	for i, f := range d.Figures {
		seen := map[string]bool{}
		for _, it := range f.Items {
			seen[it.Outlet] = true
		}
		c.Facts = append(c.Facts, Fact{Kind: "figure", Label: f.Label, Ref: fmt.Sprint(i), Outlets: sortedKeys(seen)})
		eligible = append(eligible, all)
	}
	for _, o := range names {
		col := OutletCol{Name: o, Langs: sortedKeys(langs[o]), Articles: count[o], Omits: []int{}, Only: []int{}}
		for i, f := range c.Facts {
			has := slices.Contains(f.Outlets, o)
			// What one outlet alone says, among outlets that could say it:
			// a German quote no English outlet carries in German is no
			// news of the German outlet.
			if len(f.Outlets) == 1 && has && len(eligible[i]) >= onlyOutlets {
				col.Only = append(col.Only, i)
			}
			if has || !eligible[i][o] {
				continue
			}
			others := 0
			for p := range eligible[i] {
				if p != o {
					others++
				}
			}
			if others >= omitOthers && float64(len(f.Outlets)) >= omitShare*float64(others) {
				col.Omits = append(col.Omits, i)
			}
		}
		c.Outlets = append(c.Outlets, col)
	}
	return c
}
