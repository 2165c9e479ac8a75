package digest

import (
	"github.com/storyline/storyline/internal/intel/figure"
)

// FigureGroup is one quantity as the story's outlets report it.
type FigureGroup struct {
	Key      string       `json:"key"`
	Label    string       `json:"label"`
	Conflict bool         `json:"conflict"` // outlets give values that disagree
	Outlets  int          `json:"outlets"`
	Items    []FigureItem `json:"items"`
}

// FigureItem is the quantity in one article.
type FigureItem struct {
	Article int64   `json:"article"`
	Outlet  string  `json:"outlet"`
	Lang    string  `json:"lang"`
	Text    string  `json:"text"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit,omitempty"`
}

// figureGroups groups the story's figures across its articles with
// figure.Groups; tr glosses what they count in English.
func figureGroups(d *Digest, max int, tr figure.Translator) []FigureGroup {
	var rs []figure.Reported
	for _, a := range d.Articles {
		for _, f := range d.intel[a.ID].Figures {
			rs = append(rs, figure.Reported{Article: a.ID, Outlet: a.Outlet, Lang: a.Lang, Figure: figure.Figure{
				Text: f.Text, Start: f.Start, End: f.End, Value: f.Value, Unit: f.Unit, Of: f.Counts, Year: f.Year,
				Approx: f.Approx, Rounding: f.Rounding}})
		}
	}
	var out []FigureGroup
	for _, g := range figure.Groups(rs, tr) {
		fg := FigureGroup{Key: g.Key, Label: g.Label, Conflict: g.Conflict}
		outlets := map[string]bool{}
		for _, r := range g.Items {
			outlets[r.Outlet] = true
			fg.Items = append(fg.Items, FigureItem{Article: r.Article, Outlet: r.Outlet, Lang: r.Lang, Text: r.Figure.Text,
				Value: r.Figure.Value, Unit: r.Figure.Unit})
		}
		fg.Outlets = len(outlets)
		out = append(out, fg)
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}
