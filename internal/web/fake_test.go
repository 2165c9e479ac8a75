package web

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

// fake is a service.Reader and service.Writer holding one hand-written
// story in English and Arabic (story 7: the harbour of Ostmark reopens
// after a storm; Herald and Post in English, الساحل in Arabic), another
// story to list (8), and what the pages ask about them.
type fake struct {
	stories  []store.Story
	digests  map[int64]*digest.Digest
	articles map[int64]*article.Article
	intel    map[int64]store.Intel
	entities map[int64]service.EntityPage
	outlets  map[string]service.OutletPage
	search   service.SearchPage
	status   service.Status

	mu          sync.Mutex
	corrections []service.Correction
	undone      []int64
	filters     []service.StoryFilter // what Stories was asked
	cursors     []string
}

// Times of the fake, fixed so that pages render the same every run.
var (
	now = time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC)
	at  = func(d, h int) time.Time { return time.Date(2025, 6, d, h, 0, 0, 0, time.UTC) }
)

// errBoom is a failure the reader must not see: it names a file.
var errBoom = errors.New("sqlite: database disk image is malformed: /srv/secret/storyline.db")

const arabicTitle = "إعادة فتح ميناء أوستمارك بعد العاصفة"

func newFake() *fake {
	f := &fake{digests: map[int64]*digest.Digest{}, articles: map[int64]*article.Article{}, intel: map[int64]store.Intel{},
		entities: map[int64]service.EntityPage{}, outlets: map[string]service.OutletPage{}}
	st := store.Story{ID: 7, Headline: "Ostmark harbour reopens after storm", Titles: map[string]string{"en": "Ostmark harbour reopens after storm", "ar": arabicTitle},
		FirstSeen: at(1, 9), LastSeen: at(2, 12), Articles: 4, Langs: []string{"en", "ar"}, Outlets: []string{"Herald", "Post", "الساحل"},
		TopTerms: []string{"ostmark", "harbour"}}
	other := store.Story{ID: 8, Headline: "Westland votes", FirstSeen: at(2, 8), LastSeen: at(2, 20), Articles: 1, Langs: []string{"en"}, Outlets: []string{"Post"}}
	f.stories = []store.Story{st, other}
	arts := []*article.Article{
		{ID: 1, Source: "Herald", Lang: "en", URL: "https://herald.example/ostmark", Published: at(1, 9), Story: 7, Author: "Jo Reed",
			Title: "Ostmark harbour reopens after storm",
			Text:  "The harbour of Ostmark reopened on Monday after a storm closed it for a week.\nMayor Anna Berg said: \"We will rebuild the pier stone by stone.\"\nThree people died when the storm hit the coast."},
		{ID: 2, Source: "Post", Lang: "en", URL: "https://post.example/ferries", Published: at(2, 10), Story: 7,
			Title: "Ferries to return to Ostmark",
			Text:  "Ferries will return to the harbour of Ostmark by Friday. Five people died in the storm. Berg said: \"We will rebuild this pier stone by stone.\""},
		{ID: 3, Source: "الساحل", Lang: "ar", URL: "https://alsahil.example/a/3", Published: at(2, 12), Story: 7, Title: arabicTitle,
			Text: "أعيد فتح ميناء أوستمارك يوم الاثنين بعد أن أغلقته عاصفة لمدة أسبوع.\nقالت رئيسة البلدية آنا برغ: «سنعيد بناء الرصيف حجراً حجراً».\nلقي ثلاثة أشخاص حتفهم."},
		{ID: 4, Source: "الساحل", Lang: "ar", Story: 7, Title: "العبّارات تعود إلى أوستمارك", Text: "تعود العبّارات إلى ميناء أوستمارك يوم الجمعة."},
	}
	for _, a := range arts {
		f.articles[a.ID] = a
	}
	f.intel[1] = store.Intel{
		Mentions: []store.Mention{{Field: 1, Text: "Anna Berg", Type: "person", Entity: 1}, {Field: 1, Text: "Ostmark", Type: "place", Entity: 2},
			{Field: 0, Text: "Ostmark", Type: "place", Entity: 2}},
		Quotes:  []store.Quote{{ID: 11, Article: 1, Text: "We will rebuild the pier stone by stone", Speaker: "Anna Berg", SpeakerEntity: 1, Via: "said", Confidence: 0.9}},
		Figures: []store.Figure{{Article: 1, Text: "Three people died", Value: 3, Counts: "people died"}},
	}
	f.intel[3] = store.Intel{
		Mentions: []store.Mention{{Field: 1, Text: "آنا برغ", Type: "person", Entity: 1}, {Field: 1, Text: "أوستمارك", Type: "place", Entity: 2}},
		Quotes:   []store.Quote{{ID: 13, Article: 3, Text: "سنعيد بناء الرصيف حجراً حجراً", Speaker: "آنا برغ", SpeakerEntity: 1, Via: "قالت", Confidence: 0.8}},
		Figures:  []store.Figure{{Article: 3, Text: "ثلاثة أشخاص", Value: 3, Counts: "أشخاص"}},
	}
	refs := func(ids ...int64) []digest.ArticleRef {
		var out []digest.ArticleRef
		for _, id := range ids {
			a := f.articles[id]
			out = append(out, digest.ArticleRef{ID: a.ID, Title: a.Title, Outlet: a.Source, Lang: a.Lang, URL: a.URL, Published: a.Published})
		}
		return out
	}
	d := &digest.Digest{Story: st, Articles: refs(1, 2, 3, 4),
		Summary: []digest.Sentence{
			{Text: "The harbour of Ostmark reopened on Monday after a storm closed it for a week.", Article: 1, Lang: "en"},
			{Text: "Ferries will return to the harbour of Ostmark by Friday.", Article: 2, Lang: "en"},
		},
		Entities: []digest.EntityRow{
			{ID: 1, Canonical: "Anna Berg", Type: "person", Articles: 3, Mentions: 4, Variants: []string{"Anna Berg", "Berg", "آنا برغ"}, Outlets: []string{"Herald", "Post", "الساحل"}},
			{ID: 2, Canonical: "Ostmark", Type: "place", Articles: 4, Mentions: 6, Variants: []string{"Ostmark", "أوستمارك"}, Outlets: []string{"Herald", "Post", "الساحل"}},
		},
		Quotes: []digest.QuoteGroup{
			{Speaker: "Anna Berg", SpeakerEntity: 1, SpeakerName: "Anna Berg", Text: "We will rebuild the pier stone by stone", Outlets: 2, Drift: true,
				Items: []digest.QuoteItem{
					{Article: 1, Outlet: "Herald", Lang: "en", Text: "We will rebuild the pier stone by stone", Speaker: "Anna Berg", Confidence: 0.9},
					{Article: 2, Outlet: "Post", Lang: "en", Text: "We will rebuild this pier stone by stone", Speaker: "Berg", Confidence: 0.8},
				}},
			{Speaker: "آنا برغ", SpeakerEntity: 1, SpeakerName: "Anna Berg", Text: "سنعيد بناء الرصيف حجراً حجراً", Outlets: 1,
				Items: []digest.QuoteItem{{Article: 3, Outlet: "الساحل", Lang: "ar", Text: "سنعيد بناء الرصيف حجراً حجراً", Speaker: "آنا برغ", Confidence: 0.8}}},
		},
		Figures: []digest.FigureGroup{{Key: "people died", Label: "people died", Conflict: true, Outlets: 3, Items: []digest.FigureItem{
			{Article: 1, Outlet: "Herald", Lang: "en", Text: "Three people died", Value: 3},
			{Article: 2, Outlet: "Post", Lang: "en", Text: "Five people died", Value: 5},
			{Article: 3, Outlet: "الساحل", Lang: "ar", Text: "ثلاثة أشخاص", Value: 3},
		}}},
		Timeline: []digest.Event{
			{At: at(1, 9), Kind: "article", Article: 1, Lang: "en", Outlet: "Herald", Title: "Ostmark harbour reopens after storm"},
			{At: at(2, 8), Kind: "merge", Other: 9, Detail: "average-link similarity 0.41"},
			{At: at(2, 10), Kind: "article", Article: 2, Lang: "en", Outlet: "Post", Title: "Ferries to return to Ostmark"},
			{At: at(2, 12), Kind: "article", Article: 3, Lang: "ar", Outlet: "الساحل", Title: arabicTitle},
			{Kind: "article", Article: 4, Lang: "ar", Outlet: "الساحل", Title: "العبّارات تعود إلى أوستمارك"},
		},
		Coverage: digest.Coverage{
			Outlets: []digest.OutletCol{
				{Name: "Herald", Langs: []string{"en"}, Articles: 1, Omits: []int{}, Only: []int{}},
				{Name: "Post", Langs: []string{"en"}, Articles: 1, Omits: []int{}, Only: []int{}},
				{Name: "الساحل", Langs: []string{"ar"}, Articles: 2, Omits: []int{2}, Only: []int{3}},
			},
			Facts: []digest.Fact{
				{Kind: "entity", Label: "Anna Berg", Ref: "1", Outlets: []string{"Herald", "Post", "الساحل"}},
				{Kind: "entity", Label: "Ostmark", Ref: "2", Outlets: []string{"Herald", "Post", "الساحل"}},
				{Kind: "quote", Label: "Anna Berg: We will rebuild the pier stone by stone", Ref: "0", Outlets: []string{"Herald", "Post"}},
				{Kind: "quote", Label: "آنا برغ: سنعيد بناء الرصيف حجراً حجراً", Ref: "1", Outlets: []string{"الساحل"}},
				{Kind: "figure", Label: "people died", Ref: "0", Outlets: []string{"Herald", "Post", "الساحل"}},
			},
		},
		Why: []digest.ArticleWhy{
			{Article: 1, Shared: 0.62, Kinds: []digest.KindSum{{Kind: "name", Weight: 0.4}, {Kind: "word", Weight: 0.2}},
				Terms: []digest.Evidence{{Kind: "name", Term: "Ostmark", Weight: 0.4, Articles: 3}, {Kind: "word", Term: "harbour", Weight: 0.2, Articles: 1}}},
			{Article: 3, Shared: 0.48, Kinds: []digest.KindSum{{Kind: "name across scripts", Weight: 0.45}},
				Terms: []digest.Evidence{{Kind: "name across scripts", Term: "أوستمارك", Weight: 0.45, Articles: 2}}},
		},
		MergesWhy: []digest.MergeWhy{{Other: 9, Detail: "average-link similarity 0.41", Kinds: []digest.KindSum{{Kind: "name", Weight: 0.5}},
			Terms: []digest.Evidence{{Kind: "name", Term: "Ostmark", Weight: 0.5, Articles: 2}}}},
	}
	f.digests[7] = d
	f.digests[8] = &digest.Digest{Story: other, Articles: []digest.ArticleRef{{ID: 5, Title: "Westland votes", Outlet: "Post", Lang: "en", Published: at(2, 8)}},
		Timeline: []digest.Event{{At: at(2, 8), Kind: "article", Article: 5, Lang: "en", Outlet: "Post", Title: "Westland votes"}}}
	f.entities[1] = service.EntityPage{Entity: service.EntityInfo{ID: 1, Canonical: "Anna Berg", Type: "person", Mentions: 4, FirstSeen: at(1, 9),
		Variants: []service.Variant{
			{Text: "Anna Berg", Lang: "en", Mentions: 2, FirstSeen: at(1, 9), Evidence: "full name"},
			{Text: "Berg", Lang: "en", Mentions: 1, FirstSeen: at(2, 10), Evidence: "surname of Anna Berg in story 7"},
			{Text: "آنا برغ", Lang: "ar", Mentions: 1, FirstSeen: at(2, 12), Evidence: "same name across scripts (ana barg)"},
		},
		Merges: []service.Merge{{From: 12, By: "auto", Evidence: "surname Berg in story 7"}}},
		Stories: []store.Story{st}, Quotes: []store.Quote{f.intel[1].Quotes[0], f.intel[3].Quotes[0]}, Articles: 3}
	f.outlets["Herald"] = service.OutletPage{Name: "Herald", Langs: []string{"en"}, Articles: 1, Stories: []store.Story{st},
		Omits: map[string]int{"quote": 2, "figure": 1}, Next: "c2"}
	f.outlets["الساحل"] = service.OutletPage{Name: "الساحل", Langs: []string{"ar"}, Articles: 2, Stories: []store.Story{st}}
	f.search = service.SearchPage{Groups: []service.SearchGroup{{Story: st, Articles: []service.Hit{
		{ID: 1, Title: "Ostmark harbour reopens after storm", Lang: "en", Outlet: "Herald", URL: "https://herald.example/ostmark", Published: at(1, 9),
			Snippet: "The harbour of «Ostmark» reopened"},
		{ID: 3, Title: arabicTitle, Lang: "ar", Outlet: "الساحل", Published: at(2, 12), Snippet: "أعيد فتح ميناء «أوستمارك» يوم الاثنين"},
	}}}, Total: 2, Next: "s2", Message: "searching for ostmark in every language"}
	f.status = service.Status{LastUpdate: now.Add(-5 * time.Minute), Articles: 5, Stories: 2,
		Feeds: []service.FeedStatus{{Source: "https://herald.example/feed.xml", LastPoll: now.Add(-5 * time.Minute), NextPoll: now.Add(10 * time.Minute)}}}
	return f
}

func (f *fake) Stories(_ context.Context, fl service.StoryFilter, cursor string, limit int) (service.StoryPage, error) {
	f.mu.Lock()
	f.filters, f.cursors = append(f.filters, fl), append(f.cursors, cursor)
	f.mu.Unlock()
	if fl.Outlet == "boom" {
		return service.StoryPage{}, errBoom
	}
	var out []store.Story
	for _, s := range f.stories {
		if fl.Lang == "" || strings.Contains(strings.Join(s.Langs, " "), fl.Lang) {
			out = append(out, s)
		}
	}
	next := ""
	if cursor == "" {
		next = "page2"
	}
	return service.StoryPage{Stories: out, Next: next}, nil
}

func (f *fake) Story(_ context.Context, id int64) (store.Story, error) {
	for _, s := range f.stories {
		if s.ID == id {
			return s, nil
		}
	}
	return store.Story{}, fmt.Errorf("story %d: %w", id, service.ErrNotFound)
}

func (f *fake) Digest(_ context.Context, id int64) (*digest.Digest, error) {
	if id == 500 {
		return nil, errBoom
	}
	if d, ok := f.digests[id]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("story %d: %w", id, service.ErrNotFound)
}

func (f *fake) Article(_ context.Context, id int64) (*article.Article, store.Intel, error) {
	if a, ok := f.articles[id]; ok {
		return a, f.intel[id], nil
	}
	return nil, store.Intel{}, fmt.Errorf("article %d: %w", id, service.ErrNotFound)
}

func (f *fake) Entity(_ context.Context, id int64) (service.EntityPage, error) {
	if e, ok := f.entities[id]; ok {
		return e, nil
	}
	return service.EntityPage{}, fmt.Errorf("entity %d: %w", id, service.ErrNotFound)
}

func (f *fake) Outlet(_ context.Context, name, cursor string, limit int) (service.OutletPage, error) {
	if o, ok := f.outlets[name]; ok {
		return o, nil
	}
	return service.OutletPage{}, fmt.Errorf("outlet %q: %w", name, service.ErrNotFound)
}

func (f *fake) Search(_ context.Context, q, cursor string, limit int) (service.SearchPage, error) {
	switch {
	case strings.Count(q, `"`)%2 == 1:
		return service.SearchPage{}, fmt.Errorf("%w: unbalanced quote in %q", service.ErrBadQuery, q)
	case q == "boom":
		return service.SearchPage{}, errBoom
	}
	p := f.search
	if p.Query == "" {
		p.Query = q
	}
	return p, nil
}

func (f *fake) Status(context.Context) service.Status { return f.status }

func (f *fake) Submit(context.Context, []article.Page) (service.SubmitReport, error) {
	return service.SubmitReport{}, errors.New("not in the UI")
}

// correctionID is what Correct answers.
const correctionID = 42

func (f *fake) Correct(_ context.Context, c service.Correction) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.Other == 404 {
		return 0, fmt.Errorf("story 404: %w", service.ErrNotFound)
	}
	if c.Other == 400 {
		return 0, fmt.Errorf("%w: story 400 is not open", service.ErrRefused)
	}
	f.corrections = append(f.corrections, c)
	return correctionID, nil
}

func (f *fake) Undo(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.undone = append(f.undone, id)
	return nil
}

var (
	_ service.Reader = (*fake)(nil)
	_ service.Writer = (*fake)(nil)
)
