// Package digest assembles what a reader wants to know about one story from
// what its articles say: who is in it under every spelling, who said what
// and how each outlet worded it, which figures outlets report and where
// they disagree, a cited summary, a timeline, what each outlet covers and
// leaves out, and why each article is in the story.
//
// The work per article (names, quotes, figures) is done as articles arrive
// and stored; a digest only gathers it, and bounds what it reads of a story
// that runs for months (Options.MaxArticles).
package digest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/store"
)

// Source is what a digest reads: a store.
type Source interface {
	Story(ctx context.Context, id int64) (store.Story, error)
	StoryArticles(ctx context.Context, storyID int64, fn func(*article.Article) error) error
	StoryEvents(ctx context.Context, storyID int64) ([]store.StoryEvent, error)
	Intel(ctx context.Context, articleID int64) (store.Intel, error)
	Entity(ctx context.Context, id int64) (entity.Entity, error)
}

// Options tune a digest.
type Options struct {
	// MaxArticles bounds the articles read, the latest kept: a digest of a
	// story fed for months reads its recent coverage. Default 400.
	MaxArticles int
	// MaxEntities, MaxQuotes and MaxFigures bound the lists. Defaults 20,
	// 20, 20.
	MaxEntities, MaxQuotes, MaxFigures int
	// SummarySentences is the summary's length. Default 4 (3 for a story
	// of one article).
	SummarySentences int
	// Why explains each article's place; nil leaves Why empty.
	Why *Explainer
	// Words glosses words in English, so that outlets in different
	// languages report one quantity or one quotation; optional.
	Words Translator
}

func (o Options) withDefaults() Options {
	if o.MaxArticles <= 0 {
		o.MaxArticles = 400
	}
	if o.MaxEntities <= 0 {
		o.MaxEntities = 20
	}
	if o.MaxQuotes <= 0 {
		o.MaxQuotes = 20
	}
	if o.MaxFigures <= 0 {
		o.MaxFigures = 20
	}
	if o.SummarySentences <= 0 {
		o.SummarySentences = 4
	}
	return o
}

// Digest is everything about one story.
type Digest struct {
	Story    store.Story   `json:"story"`
	Articles []ArticleRef  `json:"articles"`
	Summary  []Sentence    `json:"summary"`
	Entities []EntityRow   `json:"entities"`
	Quotes   []QuoteGroup  `json:"quotes"`
	Figures  []FigureGroup `json:"figures"`
	Timeline []Event       `json:"timeline"`
	Coverage Coverage      `json:"coverage"`
	Why      []ArticleWhy  `json:"why,omitempty"`
	// MergesWhy explains the merges that made the story.
	MergesWhy []MergeWhy `json:"merges_why,omitempty"`
	Omitted   int        `json:"omitted_articles,omitempty"` // older articles not read (MaxArticles)
	intel     map[int64]store.Intel
	// allEntities are all the story's entities, Entities the first of them.
	allEntities []EntityRow
}

// ArticleRef is one article of the story.
type ArticleRef struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Outlet      string    `json:"outlet"`
	Lang        string    `json:"lang"`
	URL         string    `json:"url,omitempty"`
	Published   time.Time `json:"published,omitzero"`
	DuplicateOf int64     `json:"duplicate_of,omitempty"`
	Related     bool      `json:"related,omitempty"`
}

// Build gathers the digest of story id.
func Build(ctx context.Context, src Source, id int64, opt Options) (*Digest, error) {
	opt = opt.withDefaults()
	st, err := src.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &Digest{Story: st, intel: map[int64]store.Intel{}}
	var arts []*article.Article
	err = src.StoryArticles(ctx, id, func(a *article.Article) error {
		arts = append(arts, a)
		if len(arts) > 2*opt.MaxArticles {
			n := len(arts) - opt.MaxArticles
			d.Omitted += n
			arts = append(arts[:0], arts[n:]...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("digest of story %d: %w", id, err)
	}
	if n := len(arts) - opt.MaxArticles; n > 0 {
		d.Omitted += n
		arts = arts[n:]
	}
	for _, a := range arts {
		d.Articles = append(d.Articles, ArticleRef{ID: a.ID, Title: titleOf(a), Outlet: outletOf(a), Lang: a.Lang, URL: a.URL,
			Published: a.Published, DuplicateOf: a.DuplicateOf, Related: a.Related})
		in, err := src.Intel(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		d.intel[a.ID] = in
	}
	// The coverage matrix looks at every person, the listing at the
	// leading entities.
	if d.allEntities, err = entities(ctx, src, d); err != nil {
		return nil, err
	}
	d.Entities = d.allEntities[:min(len(d.allEntities), opt.MaxEntities)]
	d.Quotes = quoteGroups(d, opt.MaxQuotes, opt.Words)
	names := map[int64]string{}
	for _, e := range d.allEntities {
		names[e.ID] = e.Canonical
	}
	for i := range d.Quotes {
		d.Quotes[i].SpeakerName = names[d.Quotes[i].SpeakerEntity]
	}
	d.Figures = figureGroups(d, opt.MaxFigures, opt.Words)
	d.Summary = summarize(arts, opt.SummarySentences)
	evs, err := src.StoryEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	d.Timeline = timeline(d.Articles, evs)
	d.Coverage = coverage(d)
	if opt.Why != nil {
		docs := opt.Why.analyze(arts)
		d.Why = opt.Why.explain(arts, docs)
		d.MergesWhy = opt.Why.merges(arts, evs, docs)
	}
	return d, nil
}

// titleOf is an article's title, or its first words.
func titleOf(a *article.Article) string { return article.Heading(a.Title, a.Text) }

// outletOf names an article's outlet: its source, else its URL's host.
func outletOf(a *article.Article) string {
	if a.Source != "" {
		return a.Source
	}
	u := a.URL
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	if u == "" {
		return "unknown outlet"
	}
	return u
}

// EntityRow is one entity of the story.
type EntityRow struct {
	ID        int64    `json:"id"`
	Canonical string   `json:"canonical"`
	Type      string   `json:"type"`
	Articles  int      `json:"articles"` // articles naming it
	Mentions  int      `json:"mentions"`
	Variants  []string `json:"variants"` // as the story's articles write it, most written first
	Outlets   []string `json:"outlets"`
}

// entities ranks the story's entities by the articles naming them.
func entities(ctx context.Context, src Source, d *Digest) ([]EntityRow, error) {
	type acc struct {
		articles map[int64]bool
		outlets  map[string]bool
		variants map[string]int
		mentions int
	}
	by := map[int64]*acc{}
	outlet := map[int64]string{}
	for _, a := range d.Articles {
		outlet[a.ID] = a.Outlet
	}
	for _, a := range d.Articles {
		for _, m := range d.intel[a.ID].Mentions {
			if m.Entity == 0 {
				continue
			}
			x := by[m.Entity]
			if x == nil {
				x = &acc{articles: map[int64]bool{}, outlets: map[string]bool{}, variants: map[string]int{}}
				by[m.Entity] = x
			}
			x.articles[a.ID] = true
			x.outlets[a.Outlet] = true
			x.variants[m.Text]++
			x.mentions++
		}
	}
	ids := make([]int64, 0, len(by))
	for id := range by {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		return cmp.Or(cmp.Compare(len(by[b].articles), len(by[a].articles)), cmp.Compare(by[b].mentions, by[a].mentions), cmp.Compare(a, b))
	})
	var out []EntityRow
	for _, id := range ids {
		e, err := src.Entity(ctx, id)
		if err != nil {
			return nil, err
		}
		x := by[id]
		row := EntityRow{ID: e.ID, Canonical: e.Canonical, Type: string(e.Type), Articles: len(x.articles), Mentions: x.mentions,
			Variants: sortedByCount(x.variants), Outlets: sortedKeys(x.outlets)}
		out = append(out, row)
	}
	return out, nil
}

func sortedByCount(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b)) })
	return ks
}

func sortedKeys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Event is one step of the story's timeline.
type Event struct {
	At      time.Time `json:"at,omitzero"`
	Kind    string    `json:"kind"` // "article", "merge", "split"
	Article int64     `json:"article,omitempty"`
	Lang    string    `json:"lang,omitempty"`
	Outlet  string    `json:"outlet,omitempty"`
	Title   string    `json:"title,omitempty"`
	Other   int64     `json:"other,omitempty"` // the story merged in or split off
	Detail  string    `json:"detail,omitempty"`
}

// timeline lists the articles by their time (undated ones last, by
// arrival) and the story's merges and splits.
func timeline(arts []ArticleRef, evs []store.StoryEvent) []Event {
	var out []Event
	for _, a := range arts {
		if a.Related || a.DuplicateOf != 0 {
			continue
		}
		out = append(out, Event{At: a.Published, Kind: "article", Article: a.ID, Lang: a.Lang, Outlet: a.Outlet, Title: a.Title})
	}
	for _, e := range evs {
		out = append(out, Event{At: e.At, Kind: e.Kind, Other: e.Other, Detail: e.Detail})
	}
	slices.SortStableFunc(out, func(a, b Event) int {
		switch {
		case a.At.IsZero() != b.At.IsZero():
			if a.At.IsZero() {
				return 1
			}
			return -1
		}
		return a.At.Compare(b.At)
	})
	return out
}
