package web

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/intel/digest"
)

// chart is a story's timeline laid out as an SVG: one lane per language,
// a dot per article at its time, a line at each merge or split, and a
// column at the right for what has no date. The template draws it; every
// text in it is escaped there.
type chart struct {
	Width, Height int
	Label         string // aria-label: the chart in one sentence
	Lanes         []lane
	Dots          []dot
	Marks         []mark
	Ticks         []tick
	PlotX0        float64 // the time axis runs from PlotX0 to PlotX1
	PlotX1        float64
	AxisY         float64
	Undated       bool    // there is an undated column
	UndatedX      float64 // its left edge
	UndatedW      float64 // its width
	NoDates       bool    // nothing is dated: the axis is empty
}

type lane struct {
	Y     float64 // centre line
	Top   float64
	H     float64
	Lang  string
	Name  string
	Class string // the language's colour
}

type dot struct {
	X, Y    float64
	Class   string
	Article int64
	Title   string // the tooltip
}

type mark struct {
	X      float64
	Kind   string // "merge" or "split"
	Title  string
	Y1, Y2 float64
}

type tick struct {
	X     float64
	Label string
}

// Layout of the chart, in SVG units (it scales to the page's width).
const (
	chartWidth   = 720
	chartLeft    = 92 // lane labels
	chartRight   = 16 // margin
	chartUndated = 64 // the undated column
	chartTop     = 12 // above the first lane
	laneHeight   = 30 // one language
	chartAxis    = 30 // tick labels under the lanes
	// tickCharWidth is a tick label's width per character at the
	// stylesheet's 11px: wide enough for digits and capitals.
	tickCharWidth = 6.5
	dotRadius     = 5   // an article
	dotStep       = 7.0 // dots closer than this stack
	laneColours   = 8   // classes l0 … l7 in the stylesheet
)

// tickSteps are the spacings the axis chooses from, the finest that
// leaves at most maxTicks labels.
var tickSteps = []time.Duration{time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour,
	7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour, 91 * 24 * time.Hour, 365 * 24 * time.Hour}

const maxTicks = 6

func newChart(dg *digest.Digest) *chart {
	var arts, changes []digest.Event
	count := map[string]int{}
	for _, ev := range dg.Timeline {
		if ev.Kind == "article" {
			arts = append(arts, ev)
			count[ev.Lang]++
		} else {
			changes = append(changes, ev)
		}
	}
	if len(arts) == 0 && len(changes) == 0 {
		return nil
	}
	langs := slices.Collect(maps.Keys(count))
	slices.SortFunc(langs, func(a, b string) int { return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b)) })
	if len(langs) == 0 {
		langs = []string{""} // only merges and splits: one empty lane to draw them on
	}
	c := &chart{Width: chartWidth}
	laneOf := map[string]int{}
	for i, l := range langs {
		top := float64(chartTop + i*laneHeight)
		c.Lanes = append(c.Lanes, lane{Top: top, H: laneHeight, Y: top + laneHeight/2, Lang: l, Name: langName(l), Class: fmt.Sprintf("l%d", i%laneColours)})
		laneOf[l] = i
	}
	bottom := float64(chartTop + len(langs)*laneHeight)
	c.AxisY = bottom
	c.Height = int(bottom) + chartAxis

	// The time range of what is dated.
	var lo, hi time.Time
	undated := 0
	for _, ev := range append(slices.Clone(arts), changes...) {
		if ev.At.IsZero() {
			undated++
			continue
		}
		if lo.IsZero() || ev.At.Before(lo) {
			lo = ev.At
		}
		if hi.IsZero() || ev.At.After(hi) {
			hi = ev.At
		}
	}
	c.PlotX0, c.PlotX1 = chartLeft, chartWidth-chartRight
	if undated > 0 {
		c.Undated = true
		c.UndatedX = chartWidth - chartRight - chartUndated
		c.PlotX1 = c.UndatedX - 12
	}
	c.NoDates = lo.IsZero()
	first, last := lo, hi
	if c.NoDates {
		// Everything is undated: the undated column takes the plot.
		c.UndatedX = c.PlotX0
	}
	if c.Undated {
		c.UndatedW = c.PlotX1Undated() - c.UndatedX
	}
	// A story of one moment, or of one day, still gets an axis an hour
	// wide either side, so that its dots spread over the lane and ticks
	// have room.
	if !c.NoDates && hi.Sub(lo) < 2*time.Hour {
		mid := lo.Add(hi.Sub(lo) / 2)
		lo, hi = mid.Add(-time.Hour), mid.Add(time.Hour)
	}
	span := hi.Sub(lo)
	pad := span / 25 // keep the first and last dots off the edges
	lo, hi = lo.Add(-pad), hi.Add(pad)
	span = hi.Sub(lo)
	xOf := func(t time.Time) float64 {
		return c.PlotX0 + (c.PlotX1-c.PlotX0)*float64(t.Sub(lo))/float64(span)
	}
	if !c.NoDates {
		c.Ticks = ticks(lo, hi, xOf)
		if c.Undated {
			// A label centred near the plot's right edge would run into
			// the undated column's own label.
			c.Ticks = slices.DeleteFunc(c.Ticks, func(t tick) bool {
				return t.X+tickCharWidth*float64(utf8.RuneCountInString(t.Label))/2 > c.UndatedX-4
			})
		}
	}

	// Dots, stacked where they would overlap within a lane.
	placed := map[int][]float64{}
	undatedN := map[int]int{}
	for _, ev := range arts {
		li := laneOf[ev.Lang]
		ln := c.Lanes[li]
		var x float64
		if ev.At.IsZero() {
			// The undated column: a row of dots, wrapping.
			n := undatedN[li]
			undatedN[li]++
			cols := max(1, int((c.PlotX1Undated()-c.UndatedX)/dotStep))
			x = c.UndatedX + dotRadius + float64(n%cols)*dotStep
		} else {
			x = xOf(ev.At)
		}
		near := 0
		for _, px := range placed[li] {
			if abs(px-x) < dotStep {
				near++
			}
		}
		placed[li] = append(placed[li], x)
		y := ln.Y + stackOffset(near)
		title := ev.Outlet + " · " + langName(ev.Lang) + " · " + when(ev.At) + " — " + ev.Title
		c.Dots = append(c.Dots, dot{X: round1(x), Y: round1(y), Class: ln.Class, Article: ev.Article, Title: title})
	}
	for _, ev := range changes {
		x := c.UndatedX + chartUndated/2
		if !ev.At.IsZero() {
			x = xOf(ev.At)
		}
		verb := "Merged with"
		if ev.Kind == "split" {
			verb = "Split from"
		}
		title := fmt.Sprintf("%s story %d · %s", verb, ev.Other, when(ev.At))
		if ev.Detail != "" {
			title += " — " + ev.Detail
		}
		c.Marks = append(c.Marks, mark{X: round1(x), Kind: ev.Kind, Title: title, Y1: chartTop - 6, Y2: bottom})
	}
	c.Label = chartLabel(arts, changes, langs, first, last, c.NoDates, undated)
	return c
}

// PlotX1Undated is the right edge of the undated column.
func (c *chart) PlotX1Undated() float64 { return chartWidth - chartRight }

// stackOffset moves the nth dot near another up or down the lane.
func stackOffset(n int) float64 {
	offsets := []float64{0, -8, 8, -4, 4, -11, 11}
	return offsets[n%len(offsets)]
}

// ticks labels the axis at round times: hours within a day or two,
// days and months beyond.
func ticks(lo, hi time.Time, xOf func(time.Time) float64) []tick {
	span := hi.Sub(lo)
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/s <= maxTicks {
			step = s
			break
		}
	}
	layout := "Jan 2"
	switch {
	case step < 24*time.Hour:
		layout = "Jan 2 15:04"
	case step >= 91*24*time.Hour:
		layout = "Jan 2006"
	}
	var out []tick
	t := lo.UTC().Truncate(step)
	if step >= 24*time.Hour {
		// Days start at midnight UTC, not at Truncate's epoch offset.
		t = time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, time.UTC)
	}
	for ; !t.After(hi); t = t.Add(step) {
		if t.Before(lo) {
			continue
		}
		out = append(out, tick{X: round1(xOf(t)), Label: t.Format(layout) + utcSuffix(step)})
		if len(out) > 2*maxTicks {
			break
		}
	}
	return out
}

func utcSuffix(step time.Duration) string {
	if step < 24*time.Hour {
		return " UTC"
	}
	return ""
}

// chartLabel says what the chart shows, for those who cannot see it.
func chartLabel(arts, changes []digest.Event, langs []string, lo, hi time.Time, noDates bool, undated int) string {
	var b strings.Builder
	names := make([]string, 0, len(langs))
	for _, l := range langs {
		if l != "" || len(arts) > 0 {
			names = append(names, langName(l))
		}
	}
	fmt.Fprintf(&b, "Timeline: %s", plural(len(arts), "article"))
	if len(names) > 0 {
		fmt.Fprintf(&b, " in %s (%s)", plural(len(names), "language"), strings.Join(names, ", "))
	}
	switch {
	case noDates:
		b.WriteString(", none dated")
	case day(lo) == day(hi):
		fmt.Fprintf(&b, ", on %s", day(lo))
	default:
		fmt.Fprintf(&b, ", from %s to %s", day(lo), day(hi))
	}
	if undated > 0 && !noDates {
		fmt.Fprintf(&b, ", %d undated", undated)
	}
	merges, splits := 0, 0
	for _, ev := range changes {
		if ev.Kind == "split" {
			splits++
		} else {
			merges++
		}
	}
	if merges > 0 {
		fmt.Fprintf(&b, "; %s", plural(merges, "merge"))
	}
	if splits > 0 {
		fmt.Fprintf(&b, "; %s", plural(splits, "split"))
	}
	b.WriteString(".")
	return b.String()
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }
