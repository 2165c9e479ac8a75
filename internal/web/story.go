package web

import (
	"cmp"
	"maps"
	"slices"
	"strconv"

	"github.com/storyline/storyline/internal/intel/digest"
)

// storyData is a story page's: the digest, arranged for the template.
type storyData struct {
	D       *digest.Digest
	Titles  []titleRow
	Summary []summaryRow
	Chart   *chart
	// Changes are the timeline's merges and splits.
	Changes []digest.Event
	Groups  []langGroup
	Facts   []factRow
	Outlets []outletRow
	// Main are the articles a person may move or split off: not copies,
	// not related articles glued to another page.
	Main []digest.ArticleRef
}

// titleRow is the story's title in one language.
type titleRow struct{ Lang, Title string }

// summaryRow is one summary sentence with the outlet it cites.
type summaryRow struct {
	digest.Sentence
	Outlet string
}

// langGroup is the story's articles in one language, by outlet.
type langGroup struct {
	Lang     string
	Articles int
	Outlets  []outletGroup
}

type outletGroup struct {
	Name     string
	Articles []articleRow
}

// articleRow is one article with the evidence that put it in the story.
type articleRow struct {
	digest.ArticleRef
	Link string // the original, when it is a web address
	Why  *digest.ArticleWhy
}

// factRow is one row of the coverage matrix: a fact and, per outlet,
// whether it carries it ("has"), alone ("only"), leaves out what most
// others carry ("omits"), or just does not ("").
type factRow struct {
	digest.Fact
	Link  string // the entity's page or the quote's or figure's place on this page
	Cells []string
}

// outletRow is one outlet's column, with the labels of what it leaves out
// and what it alone says.
type outletRow struct {
	digest.OutletCol
	Omits, Only []string
}

func newStoryData(dg *digest.Digest) *storyData {
	d := &storyData{D: dg, Chart: newChart(dg)}
	for _, l := range slices.Sorted(maps.Keys(dg.Story.Titles)) {
		if t := dg.Story.Titles[l]; t != "" && t != dg.Story.Headline {
			d.Titles = append(d.Titles, titleRow{Lang: l, Title: t})
		}
	}
	outlet := map[int64]string{}
	for _, a := range dg.Articles {
		outlet[a.ID] = a.Outlet
		if !a.Related && a.DuplicateOf == 0 {
			d.Main = append(d.Main, a)
		}
	}
	for _, x := range dg.Summary {
		d.Summary = append(d.Summary, summaryRow{Sentence: x, Outlet: outlet[x.Article]})
	}
	for _, ev := range dg.Timeline {
		if ev.Kind != "article" {
			d.Changes = append(d.Changes, ev)
		}
	}
	d.Groups = groupArticles(dg)
	d.Facts, d.Outlets = coverageRows(dg)
	return d
}

// groupArticles groups the articles by language (most articles first) and
// outlet (by name), in the digest's order within an outlet.
func groupArticles(dg *digest.Digest) []langGroup {
	why := map[int64]*digest.ArticleWhy{}
	for i := range dg.Why {
		why[dg.Why[i].Article] = &dg.Why[i]
	}
	byLang := map[string]map[string][]articleRow{}
	count := map[string]int{}
	for _, a := range dg.Articles {
		if byLang[a.Lang] == nil {
			byLang[a.Lang] = map[string][]articleRow{}
		}
		byLang[a.Lang][a.Outlet] = append(byLang[a.Lang][a.Outlet], articleRow{ArticleRef: a, Link: httpURL(a.URL), Why: why[a.ID]})
		count[a.Lang]++
	}
	langs := slices.Collect(maps.Keys(byLang))
	slices.SortFunc(langs, func(a, b string) int { return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b)) })
	var out []langGroup
	for _, l := range langs {
		g := langGroup{Lang: l, Articles: count[l]}
		for _, o := range slices.Sorted(maps.Keys(byLang[l])) {
			g.Outlets = append(g.Outlets, outletGroup{Name: o, Articles: byLang[l][o]})
		}
		out = append(out, g)
	}
	return out
}

// coverageRows lays out the coverage matrix. Indices into Facts that are
// out of range are skipped: a stored digest from another version must not
// break the page.
func coverageRows(dg *digest.Digest) ([]factRow, []outletRow) {
	c := dg.Coverage
	label := func(i int) (string, bool) {
		if i < 0 || i >= len(c.Facts) {
			return "", false
		}
		return c.Facts[i].Label, true
	}
	var outlets []outletRow
	omits := map[[2]int]bool{}
	only := map[[2]int]bool{}
	for j, o := range c.Outlets {
		row := outletRow{OutletCol: o}
		for _, i := range o.Omits {
			if l, ok := label(i); ok {
				row.Omits = append(row.Omits, l)
				omits[[2]int{i, j}] = true
			}
		}
		for _, i := range o.Only {
			if l, ok := label(i); ok {
				row.Only = append(row.Only, l)
				only[[2]int{i, j}] = true
			}
		}
		outlets = append(outlets, row)
	}
	var facts []factRow
	for i, f := range c.Facts {
		row := factRow{Fact: f}
		if n, err := strconv.ParseInt(f.Ref, 10, 64); err == nil && n >= 0 {
			switch f.Kind {
			case "entity":
				row.Link = entityURL(n)
			case "quote":
				row.Link = "#quote-" + f.Ref
			case "figure":
				row.Link = "#figure-" + f.Ref
			}
		}
		for j, o := range c.Outlets {
			state := ""
			switch {
			case only[[2]int{i, j}]:
				state = "only"
			case slices.Contains(f.Outlets, o.Name):
				state = "has"
			case omits[[2]int{i, j}]:
				state = "omits"
			}
			row.Cells = append(row.Cells, state)
		}
		facts = append(facts, row)
	}
	return facts, outlets
}
