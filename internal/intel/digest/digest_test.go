package digest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/figure"
	"github.com/storyline/storyline/internal/store"
)

// fake is a Source holding one hand-made story.
type fake struct {
	arts     []*article.Article
	intel    map[int64]store.Intel
	entities map[int64]entity.Entity
	events   []store.StoryEvent // nil: one merge that moved no article the story shows
}

func (f *fake) Story(_ context.Context, id int64) (store.Story, error) {
	return store.Story{ID: id, Headline: "Harbour reopens", Articles: len(f.arts)}, nil
}

func (f *fake) StoryArticles(_ context.Context, _ int64, fn func(*article.Article) error) error {
	for _, a := range f.arts {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func (f *fake) StoryEvents(context.Context, int64) ([]store.StoryEvent, error) {
	if f.events != nil {
		return f.events, nil
	}
	return []store.StoryEvent{{Kind: "merge", Story: 1, Other: 9, At: day(3), Detail: "average-link similarity 0.41"}}, nil
}

func (f *fake) Intel(_ context.Context, id int64) (store.Intel, error) { return f.intel[id], nil }

func (f *fake) Entity(_ context.Context, id int64) (entity.Entity, error) {
	return f.entities[id], nil
}

func day(d int) time.Time { return time.Date(2025, 6, d, 9, 0, 0, 0, time.UTC) }

// story builds three outlets' reports of one event: two English, one
// German. The Herald and the Post quote the mayor (the Post with other
// words), the Gazette (German) quotes him in German; the Post gives
// another death toll.
func story() *fake {
	f := &fake{intel: map[int64]store.Intel{}, entities: map[int64]entity.Entity{
		1: {ID: 1, Canonical: "Anna Berg", Type: entity.Person},
		2: {ID: 2, Canonical: "Ostmark", Type: entity.Place},
		3: {ID: 3, Canonical: "Port Authority", Type: entity.Org},
	}}
	add := func(id int64, outlet, lang string, at time.Time, title, text string, in store.Intel) {
		f.arts = append(f.arts, &article.Article{ID: id, Source: outlet, Lang: lang, Published: at, Title: title, Text: text})
		f.intel[id] = in
	}
	mention := func(id int64, name string) store.Mention {
		return store.Mention{Field: 1, Text: name, Type: "x", Entity: id}
	}
	add(1, "Herald", "en", day(1), "Ostmark harbour reopens after storm",
		"The harbour of Ostmark reopened on Monday after a storm closed it for a week. Mayor Anna Berg said the ferries would run again by Friday. Three people died when the storm hit the coast last week. The Port Authority said repairs cost 2 million euros.",
		store.Intel{Mentions: []store.Mention{mention(1, "Anna Berg"), mention(2, "Ostmark"), mention(3, "Port Authority")},
			Quotes:  []store.Quote{{Text: "We will rebuild the pier stone by stone", Speaker: "Anna Berg", SpeakerEntity: 1, Confidence: 0.9}},
			Figures: figures("en", "Three people died when the storm hit the coast last week.")})
	add(2, "Post", "en", day(2), "Ferries to return to Ostmark",
		"Ferries will return to the harbour of Ostmark by Friday, the city said on Tuesday. Five people died in the storm, according to the coast guard. Mayor Anna Berg promised that the pier would be rebuilt quickly for the fishing fleet.",
		store.Intel{Mentions: []store.Mention{mention(1, "Berg"), mention(2, "Ostmark")},
			Quotes:  []store.Quote{{Text: "We will rebuild this pier stone by stone", Speaker: "Berg", SpeakerEntity: 1, Confidence: 0.8}},
			Figures: figures("en", "Five people died in the storm, according to the coast guard.")})
	add(3, "Gazette", "de", day(2), "Hafen von Ostmark wieder offen",
		"Der Hafen von Ostmark ist nach dem Sturm wieder geöffnet worden. Bürgermeisterin Anna Berg sagte, die Fähren würden ab Freitag wieder fahren. Beim Sturm kamen drei Menschen ums Leben.",
		store.Intel{Mentions: []store.Mention{mention(1, "Anna Berg"), mention(2, "Ostmark")},
			Quotes:  []store.Quote{{Text: "Wir bauen den Steg Stein für Stein wieder auf", Speaker: "Anna Berg", SpeakerEntity: 1, Confidence: 0.9}},
			Figures: figures("de", "Beim Sturm kamen drei Menschen ums Leben.")})
	return f
}

// figures extracts the figures of a text as the pipeline stores them.
func figures(lang, text string) []store.Figure {
	var out []store.Figure
	for _, f := range figure.Extract(lang, text) {
		out = append(out, store.Figure{Start: f.Start, End: f.End, Text: f.Text, Value: f.Value, Unit: f.Unit, Counts: f.Of,
			Year: f.Year, Approx: f.Approx, Rounding: f.Rounding})
	}
	return out
}

func TestBuild(t *testing.T) {
	d, err := Build(context.Background(), story(), 1, Options{Why: &Explainer{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("entities", func(t *testing.T) {
		if len(d.Entities) != 3 || d.Entities[0].Canonical != "Anna Berg" || d.Entities[0].Articles != 3 ||
			!slices.Equal(d.Entities[0].Variants, []string{"Anna Berg", "Berg"}) {
			t.Errorf("entities %+v", d.Entities)
		}
	})
	t.Run("quotes drift and languages", func(t *testing.T) {
		if len(d.Quotes) != 2 {
			t.Fatalf("%d quote groups, want 2 (the English pair, the German one): %+v", len(d.Quotes), d.Quotes)
		}
		q := d.Quotes[0]
		if q.Outlets != 2 || !q.Drift || q.SpeakerEntity != 1 {
			t.Errorf("the mayor's quote across two outlets with drift: %+v", q)
		}
	})
	t.Run("figures conflict", func(t *testing.T) {
		if len(d.Figures) == 0 || !d.Figures[0].Conflict || d.Figures[0].Outlets < 2 {
			t.Errorf("death toll: %+v", d.Figures)
		}
	})
	t.Run("coverage", func(t *testing.T) {
		var label []string
		for _, f := range d.Coverage.Facts {
			label = append(label, f.Kind+":"+f.Label)
		}
		byName := map[string]OutletCol{}
		for _, o := range d.Coverage.Outlets {
			byName[o.Name] = o
		}
		omits := func(o string) []string {
			var out []string
			for _, i := range byName[o].Omits {
				out = append(out, label[i])
			}
			return out
		}
		// The German quote is carried by the one German outlet: that is
		// no scoop of the Gazette's, and no English outlet omits it.
		for name, o := range byName {
			if len(o.Only) != 0 {
				t.Errorf("%s alone says %v (facts %v)", name, o.Only, label)
			}
		}
		if len(omits("Post")) != 0 || len(omits("Herald")) != 0 {
			t.Errorf("omissions: Post %v, Herald %v (facts %v)", omits("Post"), omits("Herald"), label)
		}
	})
	t.Run("summary cites", func(t *testing.T) {
		if len(d.Summary) == 0 || len(d.Summary) > 4 {
			t.Fatalf("summary %+v", d.Summary)
		}
		texts := map[int64]string{}
		for _, a := range story().arts {
			texts[a.ID] = a.Text
		}
		for _, s := range d.Summary {
			if s.Lang != "en" || !strings.Contains(texts[s.Article], s.Text) || texts[s.Article][s.Start:s.End] != s.Text {
				t.Errorf("summary sentence not quoted from its article: %+v", s)
			}
		}
	})
	t.Run("timeline", func(t *testing.T) {
		var kinds []string
		for _, e := range d.Timeline {
			kinds = append(kinds, fmt.Sprint(e.Kind, e.Article))
		}
		if !slices.Equal(kinds, []string{"article1", "article2", "article3", "merge0"}) {
			t.Errorf("timeline %v", kinds)
		}
	})
	t.Run("why", func(t *testing.T) {
		if len(d.Why) != 3 {
			t.Fatalf("why for %d articles", len(d.Why))
		}
		for _, w := range d.Why {
			if w.Shared <= 0 || len(w.Terms) == 0 {
				t.Errorf("article %d: no shared evidence %+v", w.Article, w)
			}
		}
	})
}

// TestMergesWhy: the evidence for a merge is the terms the articles it
// moved share with the story's others, the same every time the digest is
// built.
func TestMergesWhy(t *testing.T) {
	f := story()
	f.events = []store.StoryEvent{{Kind: store.EventMerge, Story: 1, Other: 9, At: day(3),
		Detail: "average-link similarity 0.41", Articles: []int64{3, 2, 3}}}
	var first []MergeWhy
	for i := range 20 {
		d, err := Build(context.Background(), f, 1, Options{Why: &Explainer{}})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = d.MergesWhy
			continue
		}
		if !reflect.DeepEqual(d.MergesWhy, first) {
			t.Fatalf("build %d differs:\n%+v\n%+v", i, d.MergesWhy, first)
		}
	}
	if len(first) != 1 || first[0].Other != 9 {
		t.Fatalf("merges why %+v", first)
	}
	var terms []string
	for _, e := range first[0].Terms {
		terms = append(terms, e.Term)
		if e.Articles != 1 || e.Weight <= 0 {
			t.Errorf("evidence %+v: want a weight, shared with the one article not moved", e)
		}
	}
	if !slices.Contains(terms, "Ostmark") {
		t.Errorf("evidence %v lacks the place all three articles name", terms)
	}
}

// TestOmissions: an outlet omits what most others carry, and one alone
// says what no other does.
func TestOmissions(t *testing.T) {
	d := &Digest{intel: map[int64]store.Intel{}}
	for i, o := range []string{"A", "B", "C", "D"} {
		d.Articles = append(d.Articles, ArticleRef{ID: int64(i + 1), Outlet: o, Lang: "en"})
	}
	d.Figures = []FigureGroup{
		{Label: "toll", Items: []FigureItem{{Outlet: "A"}, {Outlet: "B"}, {Outlet: "C"}}},
		{Label: "cost", Items: []FigureItem{{Outlet: "D"}}},
	}
	c := coverage(d)
	got := map[string]string{}
	for _, o := range c.Outlets {
		got[o.Name] = fmt.Sprint(o.Omits, o.Only)
	}
	want := map[string]string{"A": "[] []", "B": "[] []", "C": "[] []", "D": "[0] [1]"}
	for o, w := range want {
		if got[o] != w {
			t.Errorf("%s: omits, only = %s; want %s", o, got[o], w)
		}
	}
}

// dict is a tiny German-English dictionary.
type dict map[string][]string

func (d dict) English(lang, w string) []string { return d[w] }

// TestQuoteAcrossLanguages: the mayor's German words and the English ones
// are one quotation when they meet through the dictionary and name one
// speaker.
func TestQuoteAcrossLanguages(t *testing.T) {
	tr := dict{"bauen": {"build"}, "steg": {"pier", "jetty"}, "stein": {"stone"}, "wieder": {"again", "rebuild"}}
	d, err := Build(context.Background(), story(), 1, Options{Words: tr})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Quotes) != 1 || d.Quotes[0].Outlets != 3 {
		t.Fatalf("quote groups %+v; want one across the three outlets", d.Quotes)
	}
	langs := map[string]bool{}
	for _, it := range d.Quotes[0].Items {
		langs[it.Lang] = true
	}
	if !langs["de"] || !langs["en"] {
		t.Errorf("languages %v", langs)
	}
}
