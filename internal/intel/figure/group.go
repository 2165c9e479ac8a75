package figure

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/storyline/storyline/internal/text"
)

// Translator glosses a word in English (internal/lexicon's *Lexicon has
// English(lang, word string) []string); nil is allowed.
type Translator interface {
	English(lang, word string) []string
}

// Reported is one figure as one outlet reported it.
type Reported struct {
	Article int64
	Outlet  string // outlets are compared by this name; "" counts each article as its own outlet
	Lang    string
	Figure  Figure
}

// Group is one quantity across a story's articles: the values outlets gave
// it.
type Group struct {
	// Key is language-independent: the unit ("%", "pp", an ISO 4217 code,
	// or "#" for counts), what the figure is of (a quantity name's English
	// key from the data — "gdp", "deaths" — or the English-glossed,
	// singular, sorted words; for counts the counted noun's lemma) and the
	// year, joined by "|": "%|gdp|2035", "#|warhead|2030". A figure whose
	// subject is unknown is keyed by its value instead ("%|=2|"): it groups
	// with the same value only and never conflicts.
	Key      string
	Label    string // readable: the most common unit and "of", with the year: "% of gdp (2035)"
	Items    []Reported
	Conflict bool // two outlets gave values that disagree beyond rounding and approximation
}

// Groups groups the figures of one story's articles by Key, in order of
// how many outlets report each (then items, then key); tr may be nil.
//
// A group is in conflict when two different outlets report it and no value
// of one agrees with any value of the other (see RelTolerance and
// ApproxTolerance). Asking for no common value, rather than any differing
// one, trades recall for precision: an outlet that gives both the old and
// the new target ("from 2% to 3.5% of GDP") never conflicts with one that
// gives either, though the key cannot tell the two apart. Counts are keyed
// by their noun without its modifiers, so "500 German troops" and "300
// French troops" in one story share a key — the no-common-value rule keeps
// most such pairs from being flagged when one outlet reports both. A
// figure without a year joins the same quantity's group with a year when
// the story has just one such year.
func Groups(figs []Reported, tr Translator) []Group {
	type entry struct {
		g         *Group
		outlets   map[string]bool
		noSubject bool
	}
	keys := make([]string, len(figs))
	knowns := make([]bool, len(figs))
	years := make(map[string]map[string]bool) // key without year → years seen
	for i, r := range figs {
		keys[i], knowns[i] = figureKey(r, tr)
		if knowns[i] && r.Figure.Year != "" {
			base := strings.TrimSuffix(keys[i], r.Figure.Year)
			if years[base] == nil {
				years[base] = make(map[string]bool)
			}
			years[base][r.Figure.Year] = true
		}
	}
	// A figure without a year joins the group of the same quantity with
	// a year when the story has only one such year: outlets say "by 2035"
	// in different places of the sentence, or not at all.
	for i, r := range figs {
		if knowns[i] && r.Figure.Year == "" && len(years[keys[i]]) == 1 {
			for y := range years[keys[i]] {
				keys[i] += y
			}
		}
	}
	byKey := make(map[string]*entry)
	var order []*entry
	for i, r := range figs {
		key, known := keys[i], knowns[i]
		e := byKey[key]
		if e == nil {
			e = &entry{g: &Group{Key: key}, outlets: make(map[string]bool), noSubject: !known}
			byKey[key] = e
			order = append(order, e)
		}
		e.g.Items = append(e.g.Items, r)
		e.outlets[outletOf(r)] = true
	}
	sort.SliceStable(order, func(a, b int) bool {
		ea, eb := order[a], order[b]
		if len(ea.outlets) != len(eb.outlets) {
			return len(ea.outlets) > len(eb.outlets)
		}
		if len(ea.g.Items) != len(eb.g.Items) {
			return len(ea.g.Items) > len(eb.g.Items)
		}
		return ea.g.Key < eb.g.Key
	})
	out := make([]Group, 0, len(order))
	for _, e := range order {
		g := e.g
		g.Label = label(g.Items)
		g.Conflict = !e.noSubject && len(e.outlets) > 1 && conflict(g.Items)
		out = append(out, *g)
	}
	return out
}

func outletOf(r Reported) string {
	if r.Outlet != "" {
		return r.Outlet
	}
	return "article:" + strconv.FormatInt(r.Article, 10)
}

// conflict reports two outlets with no value in common.
func conflict(items []Reported) bool {
	byOutlet := make(map[string][]Figure)
	var outlets []string
	for _, r := range items {
		o := outletOf(r)
		if byOutlet[o] == nil {
			outlets = append(outlets, o)
		}
		byOutlet[o] = append(byOutlet[o], r.Figure)
	}
	for i := range outlets {
		for j := i + 1; j < len(outlets); j++ {
			if !anyAgree(byOutlet[outlets[i]], byOutlet[outlets[j]]) {
				return true
			}
		}
	}
	return false
}

func anyAgree(a, b []Figure) bool {
	for _, x := range a {
		for _, y := range b {
			if Agree(x, y) {
				return true
			}
		}
	}
	return false
}

// Agree reports whether two values of one quantity agree within rounding
// and approximation: |a−b| ≤ max rounding + RelTolerance·max|v|, plus
// ApproxTolerance·max|v| when either is approximate.
func Agree(a, b Figure) bool {
	big := math.Max(math.Abs(a.Value), math.Abs(b.Value))
	tol := math.Max(a.Rounding, b.Rounding) + RelTolerance*big
	if a.Approx || b.Approx {
		tol += ApproxTolerance * big
	}
	return math.Abs(a.Value-b.Value) <= tol
}

// figureKey returns the group key of r; known is false when what the figure
// is of is unknown, and the key holds its value instead.
func figureKey(r Reported, tr Translator) (string, bool) {
	f := r.Figure
	unit := f.Unit
	counted := unit != "%" && unit != "pp" && unit != "bp" && !isCurrency(unit)
	if counted {
		unit = "#"
	}
	of := ofKey(r.Lang, f, counted, tr)
	if of == "" {
		return unit + "|=" + strconv.FormatFloat(f.Value, 'g', -1, 64) + "|" + f.Year, false
	}
	return unit + "|" + of + "|" + f.Year, true
}

// ofKey makes what a figure is of language-independent: a quantity name or
// event from the data becomes its English key ("bip" → "gdp", "getötet" →
// "deaths"); a counted noun its unit lemma ("ogives nucléaires" →
// "warhead"); other words are glossed in English where tr knows them, made
// singular and sorted, so that word order does not matter.
func ofKey(lang string, f Figure, counted bool, tr Translator) string {
	v := vocabFor(lang)
	of := f.Of
	if of == "" && counted {
		of = f.Unit
	}
	if of == "" {
		return ""
	}
	toks := tokenize(v, of)
	if len(toks) == 0 {
		return ""
	}
	whole := joinLow(toks)
	for _, s := range [...]section{secName, secEvent} {
		if k, ok := v.tab(s).m[whole]; ok {
			return k
		}
	}
	if k, ok := v.tab(secUnit).m[whole]; ok && counted {
		return singular(k)
	}
	x := &extractor{v: v, lang: v.lang, text: of, toks: toks}
	for i := range toks {
		for _, s := range [...]section{secName, secEvent} {
			if n, k := x.match(s, i); n > 0 {
				return k
			}
		}
	}
	if counted {
		// The counted noun decides: "armoured vehicles" and "vehicles"
		// are one quantity across outlets.
		for i := len(toks) - 1; i >= 0; i-- {
			if n, k := x.match(secUnit, i); n > 0 {
				return singular(k)
			}
		}
		if f.Unit != "" && isLowerWord(f.Unit) {
			return gloss(lang, f.Unit, tr)
		}
	}
	var words []string
	for i, t := range toks {
		if t.kind != tWord || x.stop(i) {
			continue
		}
		words = append(words, gloss(lang, text.ASCIIDigits(strings.ToLower(of[t.start:t.end])), tr))
	}
	sort.Strings(words)
	return strings.Join(words, " ")
}

func isLowerWord(s string) bool { return s != "" && s == strings.ToLower(s) }

// gloss is w's first English gloss made singular, or w folded when tr has
// none (or w is English).
func gloss(lang, w string, tr Translator) string {
	if lang != "en" && tr != nil {
		if g := tr.English(lang, w); len(g) > 0 && g[0] != "" {
			return singular(strings.ToLower(g[0]))
		}
		// Dictionaries list the singular: try the word without its
		// plural ending ("cibles" → "cible").
		for _, suf := range vocabFor(lang).pluralEndings {
			if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 3 {
				if g := tr.English(lang, stem); len(g) > 0 && g[0] != "" {
					return singular(strings.ToLower(g[0]))
				}
			}
		}
	}
	if lang == "en" {
		return singular(w)
	}
	return text.Fold(w)
}

// singular undoes the regular English plural, so that "drones" and a
// dictionary's "drone" meet: "companies" → "company", "warheads" →
// "warhead"; "people", "news", "gas", "status" stay.
func singular(w string) string {
	switch {
	case len(w) < 4, strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"),
		strings.HasSuffix(w, "news"), strings.HasSuffix(w, "ics"):
		return w
	case strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// label names a group by its most common unit and "of" (the first seen
// wins a tie), with the year.
func label(items []Reported) string {
	type uo struct{ unit, of, year string }
	counts := make(map[uo]int)
	var best uo
	bestN := 0
	for _, r := range items {
		k := uo{r.Figure.Unit, r.Figure.Of, r.Figure.Year}
		counts[k]++
		if counts[k] > bestN {
			best, bestN = k, counts[k]
		}
	}
	var s string
	switch {
	case best.unit == "%" && best.of != "":
		s = "% of " + best.of
	case best.of != "" && best.unit != "" && best.unit != best.of && !strings.HasSuffix(best.of, best.unit):
		s = best.unit + " " + best.of
	case best.of != "":
		s = best.of
	default:
		s = best.unit
	}
	if s == "" {
		s = "figure"
	}
	if best.year != "" {
		s = fmt.Sprintf("%s (%s)", s, best.year)
	}
	return s
}
