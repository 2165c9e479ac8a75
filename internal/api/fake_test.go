package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

// fake is a service.Reader and service.Writer over a small hand-made world:
// one story in English and Arabic about floods in Valencia, one with a
// hostile title, and fillers for paging.
type fake struct {
	stories  []store.Story // by ID
	articles map[int64]*article.Article
	intel    map[int64]store.Intel
	entities map[int64]service.EntityPage

	mu          sync.Mutex
	submitted   []article.Page
	corrections map[int64]service.Correction
	nextID      int64
}

var (
	_ service.Reader = (*fake)(nil)
	_ service.Writer = (*fake)(nil)
)

var t0 = time.Date(2024, 10, 30, 8, 0, 0, 0, time.UTC)

const (
	floodStory   = 1
	hostileStory = 2
	fillers      = 55 // stories 3..57
	mazon        = 7
	valencia     = 8
)

// hostileTitle has markup, an entity, quotes and a control character.
const hostileTitle = "<script>alert('x')</script> & \"AT&T\" ]]> \x01 news"

func newFake() *fake {
	f := &fake{articles: map[int64]*article.Article{}, intel: map[int64]store.Intel{}, entities: map[int64]service.EntityPage{},
		corrections: map[int64]service.Correction{}, nextID: 1000}
	add := func(a *article.Article, in store.Intel) {
		f.articles[a.ID] = a
		f.intel[a.ID] = in
	}
	add(&article.Article{ID: 101, ExternalID: "reuters-1", Input: "seed.jsonl#L1", URL: "https://reuters.example/floods",
		Source: "Reuters", Lang: "en", Title: "Floods kill dozens in Valencia",
		Text:      "VALENCIA (Reuters) - Flash floods killed at least 62 people in Valencia. \"We are devastated,\" said Carlos Mazón.",
		Author:    "Staff",
		Dateline:  "VALENCIA",
		Published: t0, Fetched: t0.Add(time.Hour), Story: floodStory},
		store.Intel{
			Mentions: []store.Mention{{Field: 0, Start: 23, End: 31, Text: "Valencia", Type: "place", Entity: valencia},
				{Field: 1, Start: 90, End: 102, Text: "Carlos Mazón", Type: "person", Entity: mazon},
				{Field: 1, Start: 0, End: 8, Text: "VALENCIA", Type: "place", Entity: 0}},
			Quotes: []store.Quote{{ID: 1, Article: 101, Start: 72, End: 88, Text: "We are devastated", Speaker: "Carlos Mazón",
				SpeakerEntity: mazon, Via: "said", Confidence: 0.9}},
			Figures: []store.Figure{{Article: 101, Start: 40, End: 49, Text: "at least 62 people", Value: 62, Unit: "", Counts: "people",
				Approx: true}},
		})
	add(&article.Article{ID: 102, ExternalID: "aj-1", Input: "seed.jsonl#L2", URL: "https://aljazeera.example/ar/floods",
		Source: "الجزيرة", Lang: "ar", Title: "فيضانات تقتل العشرات في فالنسيا",
		Text:      "قال كارلوس مازون: \"نحن مدمرون\". وقتل 62 شخصا على الأقل في فالنسيا.",
		Published: t0.Add(2 * time.Hour), Story: floodStory},
		store.Intel{
			Mentions: []store.Mention{{Field: 0, Start: 40, End: 54, Text: "فالنسيا", Type: "place", Entity: valencia},
				{Field: 1, Start: 7, End: 30, Text: "كارلوس مازون", Type: "person", Entity: mazon}},
			Quotes: []store.Quote{{ID: 2, Article: 102, Start: 33, End: 50, Text: "نحن مدمرون", Speaker: "كارلوس مازون",
				SpeakerEntity: mazon, Via: "قال", Confidence: 0.8}},
			Figures: []store.Figure{{Article: 102, Start: 60, End: 70, Text: "62 شخصا", Value: 62, Counts: "people"}},
		})
	// A syndicated copy without a date or URL.
	add(&article.Article{ID: 103, Input: "seed.jsonl#L3", Source: "Local Paper", Lang: "en", Title: "Floods kill dozens in Valencia",
		Text: "Flash floods killed at least 62 people in Valencia.", DuplicateOf: 101, Story: floodStory}, store.Intel{})
	add(&article.Article{ID: 201, Input: "x.html", URL: "javascript:alert(1)", Source: "Evil <b>Outlet</b>", Lang: "en",
		Title: hostileTitle, Text: "Something & something <else>.", Published: t0.Add(-24 * time.Hour), Story: hostileStory}, store.Intel{})

	f.stories = append(f.stories,
		store.Story{ID: floodStory, Headline: "Floods kill dozens in Valencia",
			Titles:    map[string]string{"en": "Floods kill dozens in Valencia", "ar": "فيضانات تقتل العشرات في فالنسيا"},
			FirstSeen: t0, LastSeen: t0.Add(2 * time.Hour), Articles: 3, Langs: []string{"ar", "en"},
			Outlets: []string{"Local Paper", "Reuters", "الجزيرة"}, TopTerms: []string{"valencia", "floods", "فالنسيا"}},
		store.Story{ID: hostileStory, Headline: hostileTitle, FirstSeen: t0.Add(-24 * time.Hour), LastSeen: t0.Add(-24 * time.Hour),
			Articles: 1, Langs: []string{"en"}, Outlets: []string{"Evil <b>Outlet</b>"}, TopTerms: []string{"alert"}},
	)
	langs := []string{"en", "ar", "de", "fr"}
	for i := range fillers {
		id := int64(3 + i)
		lang := langs[i%len(langs)]
		outlet := fmt.Sprintf("Outlet %d", i%5)
		aid := int64(1000 + i)
		at := t0.Add(-time.Duration(i+2) * 24 * time.Hour)
		add(&article.Article{ID: aid, Input: "filler", Source: outlet, Lang: lang, Title: fmt.Sprintf("Filler story %d about trade", i),
			Text: "Trade talks continued.", Published: at, Story: id}, store.Intel{})
		f.stories = append(f.stories, store.Story{ID: id, Headline: fmt.Sprintf("Filler story %d about trade", i), FirstSeen: at,
			LastSeen: at.Add(time.Hour), Articles: 1 + i%7, Langs: []string{lang}, Outlets: []string{outlet}, TopTerms: []string{"trade"}})
	}

	mazonQuotes := []store.Quote{f.intel[101].Quotes[0], f.intel[102].Quotes[0]}
	f.entities[mazon] = service.EntityPage{
		Entity: service.EntityInfo{ID: mazon, Canonical: "Carlos Mazón", Type: "person", Mentions: 2, FirstSeen: t0,
			Variants: []service.Variant{{Text: "Carlos Mazón", Lang: "en", Mentions: 1, FirstSeen: t0, Evidence: "first seen"},
				{Text: "كارلوس مازون", Lang: "ar", Mentions: 1, FirstSeen: t0.Add(2 * time.Hour), Evidence: "same name across scripts"}},
			Merges: []service.Merge{{From: 9, By: "auto", Evidence: "same name across scripts"}}},
		Stories: []store.Story{f.stories[0]}, Quotes: mazonQuotes, Articles: 2,
	}
	f.entities[valencia] = service.EntityPage{
		Entity:  service.EntityInfo{ID: valencia, Canonical: "Valencia", Type: "place", Mentions: 2},
		Stories: []store.Story{f.stories[0]}, Articles: 2,
	}
	return f
}

func notFoundErr(what string, id any) error {
	return fmt.Errorf("%s %v: %w", what, id, service.ErrNotFound)
}

// offsetCursor pages a list by offset; a cursor that is not one is a bad
// query.
func offsetCursor(cursor string) (int, error) {
	if cursor == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(cursor, "o"))
	if err != nil || !strings.HasPrefix(cursor, "o") || n < 0 {
		return 0, fmt.Errorf("%w: cursor %q is not one this service gave", service.ErrBadQuery, cursor)
	}
	return n, nil
}

func pageOfList[T any](all []T, cursor string, limit int) ([]T, string, error) {
	off, err := offsetCursor(cursor)
	if err != nil {
		return nil, "", err
	}
	if limit <= 0 {
		return nil, "", errors.New("fake: limit must be positive")
	}
	if off > len(all) {
		off = len(all)
	}
	end := min(off+limit, len(all))
	next := ""
	if end < len(all) {
		next = "o" + strconv.Itoa(end)
	}
	return all[off:end], next, nil
}

func (f *fake) Stories(ctx context.Context, fl service.StoryFilter, cursor string, limit int) (service.StoryPage, error) {
	var all []store.Story
	for _, s := range f.stories {
		if fl.Lang != "" && !slices.Contains(s.Langs, fl.Lang) || fl.Outlet != "" && !slices.Contains(s.Outlets, fl.Outlet) ||
			!fl.After.IsZero() && s.LastSeen.Before(fl.After) || !fl.Before.IsZero() && !s.FirstSeen.Before(fl.Before) {
			continue
		}
		all = append(all, s)
	}
	switch fl.Sort {
	case "recent":
		slices.SortStableFunc(all, func(a, b store.Story) int { return cmp.Or(b.LastSeen.Compare(a.LastSeen), cmp.Compare(a.ID, b.ID)) })
	case "biggest":
		slices.SortStableFunc(all, func(a, b store.Story) int {
			return cmp.Or(cmp.Compare(b.Articles, a.Articles), cmp.Compare(a.ID, b.ID))
		})
	default:
		return service.StoryPage{}, fmt.Errorf("fake: sort %q reached the service", fl.Sort)
	}
	page, next, err := pageOfList(all, cursor, limit)
	return service.StoryPage{Stories: page, Next: next}, err
}

func (f *fake) Story(ctx context.Context, id int64) (store.Story, error) {
	for _, s := range f.stories {
		if s.ID == id {
			return s, nil
		}
	}
	return store.Story{}, notFoundErr("story", id)
}

func (f *fake) storyArticles(id int64) []*article.Article {
	var out []*article.Article
	for _, a := range f.articles {
		if a.Story == id {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *article.Article) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (f *fake) Digest(ctx context.Context, id int64) (*digest.Digest, error) {
	st, err := f.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &digest.Digest{Story: st}
	for _, a := range f.storyArticles(id) {
		d.Articles = append(d.Articles, digest.ArticleRef{ID: a.ID, Title: a.Title, Outlet: a.Source, Lang: a.Lang, URL: a.URL,
			Published: a.Published, DuplicateOf: a.DuplicateOf, Related: a.Related})
		if a.DuplicateOf == 0 {
			d.Timeline = append(d.Timeline, digest.Event{At: a.Published, Kind: "article", Article: a.ID, Lang: a.Lang, Outlet: a.Source, Title: a.Title})
		}
	}
	if id == floodStory {
		d.Summary = []digest.Sentence{{Text: "Flash floods killed at least 62 people in Valencia.", Article: 101, Offset: 20, Lang: "en"}}
		d.Entities = []digest.EntityRow{{ID: mazon, Canonical: "Carlos Mazón", Type: "person", Articles: 2, Mentions: 2,
			Variants: []string{"Carlos Mazón", "كارلوس مازون"}, Outlets: []string{"Reuters", "الجزيرة"}}}
		d.Quotes = []digest.QuoteGroup{{Speaker: "Carlos Mazón", SpeakerEntity: mazon, SpeakerName: "Carlos Mazón", Text: "We are devastated",
			Outlets: 2, Drift: true, Items: []digest.QuoteItem{{Article: 101, Outlet: "Reuters", Lang: "en", Text: "We are devastated",
				Speaker: "Carlos Mazón", Confidence: 0.9}, {Article: 102, Outlet: "الجزيرة", Lang: "ar", Text: "نحن مدمرون", Speaker: "كارلوس مازون", Confidence: 0.8}}}}
		d.Figures = []digest.FigureGroup{{Key: "people", Label: "people killed", Outlets: 2, Items: []digest.FigureItem{
			{Article: 101, Outlet: "Reuters", Lang: "en", Text: "at least 62 people", Value: 62},
			{Article: 102, Outlet: "الجزيرة", Lang: "ar", Text: "62 شخصا", Value: 62}}}}
		d.Timeline = append(d.Timeline, digest.Event{At: t0.Add(time.Hour), Kind: "merge", Other: 99, Detail: "same names"})
		d.Coverage = digest.Coverage{
			Outlets: []digest.OutletCol{{Name: "Reuters", Langs: []string{"en"}, Articles: 1, Omits: []int{}, Only: []int{1}},
				{Name: "الجزيرة", Langs: []string{"ar"}, Articles: 1}},
			Facts: []digest.Fact{{Kind: "entity", Label: "Carlos Mazón", Ref: "7", Outlets: []string{"Reuters", "الجزيرة"}},
				{Kind: "figure", Label: "people killed", Ref: "0", Outlets: []string{"Reuters"}}}}
		d.Why = []digest.ArticleWhy{{Article: 102, Shared: 0.6, Kinds: []digest.KindSum{{Kind: digest.KindNameKey, Weight: 2.5}},
			Terms: []digest.Evidence{{Kind: digest.KindNameKey, Term: "valencia", Weight: 2.5, Articles: 1}}}}
		d.MergesWhy = []digest.MergeWhy{{Other: 99, Detail: "same names", Kinds: []digest.KindSum{{Kind: "name", Weight: 1}},
			Terms: []digest.Evidence{{Kind: "name", Term: "mazón", Weight: 1, Articles: 1}}}}
		d.Omitted = 1
	}
	return d, nil
}

func (f *fake) Article(ctx context.Context, id int64) (*article.Article, store.Intel, error) {
	a, ok := f.articles[id]
	if !ok {
		return nil, store.Intel{}, notFoundErr("article", id)
	}
	return a, f.intel[id], nil
}

func (f *fake) Entity(ctx context.Context, id int64) (service.EntityPage, error) {
	e, ok := f.entities[id]
	if !ok {
		return e, notFoundErr("entity", id)
	}
	return e, nil
}

func (f *fake) Outlet(ctx context.Context, name, cursor string, limit int) (service.OutletPage, error) {
	var all []store.Story
	langs := map[string]bool{}
	n := 0
	for _, s := range f.stories {
		if slices.Contains(s.Outlets, name) {
			all = append(all, s)
		}
	}
	for _, a := range f.articles {
		if a.Source == name {
			n++
			langs[a.Lang] = true
		}
	}
	if len(all) == 0 {
		return service.OutletPage{}, notFoundErr("outlet", name)
	}
	page, next, err := pageOfList(all, cursor, limit)
	op := service.OutletPage{Name: name, Articles: n, Stories: page, Next: next, Omits: map[string]int{"quote": 1}}
	for l := range langs {
		op.Langs = append(op.Langs, l)
	}
	slices.Sort(op.Langs)
	return op, err
}

// Search matches the query's words in titles and texts; an odd number of
// double quotes is a bad query.
func (f *fake) Search(ctx context.Context, q, cursor string, limit int) (service.SearchPage, error) {
	if strings.Count(q, `"`)%2 == 1 {
		return service.SearchPage{}, fmt.Errorf("search %q: %w: a quotation mark is not closed", q, service.ErrBadQuery)
	}
	words := strings.Fields(strings.ToLower(strings.ReplaceAll(q, `"`, " ")))
	var groups []service.SearchGroup
	total := 0
	for _, s := range f.stories {
		var hits []service.Hit
		for _, a := range f.storyArticles(s.ID) {
			hay := strings.ToLower(a.Title + " " + a.Text)
			ok := len(words) > 0
			for _, w := range words {
				ok = ok && strings.Contains(hay, w)
			}
			if ok {
				hits = append(hits, service.Hit{ID: a.ID, Title: a.Title, Lang: a.Lang, Outlet: a.Source, URL: a.URL,
					Published: a.Published, Snippet: "«" + words[0] + "» " + a.Title})
			}
		}
		if hits != nil {
			total += len(hits)
			groups = append(groups, service.SearchGroup{Story: s, Articles: hits})
		}
	}
	page, next, err := pageOfList(groups, cursor, limit)
	return service.SearchPage{Query: q, Groups: page, Total: total, Next: next, Message: "matching all of: " + strings.Join(words, ", ")}, err
}

func (f *fake) Status(ctx context.Context) service.Status {
	return service.Status{LastUpdate: t0, Articles: int64(len(f.articles)), Stories: int64(len(f.stories)),
		Feeds: []service.FeedStatus{{Source: "https://reuters.example/feed.xml", LastPoll: t0, NextPoll: t0.Add(time.Hour)},
			{Source: "https://down.example/rss", LastError: "http status 503"}}}
}

func (f *fake) Submit(ctx context.Context, pages []article.Page) (service.SubmitReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var rep service.SubmitReport
	for _, p := range pages {
		f.submitted = append(f.submitted, p)
		if p.ExternalID != "" && slices.ContainsFunc(f.submitted[:len(f.submitted)-1], func(q article.Page) bool { return q.ExternalID == p.ExternalID }) {
			rep.Existing = append(rep.Existing, 1)
			continue
		}
		f.nextID++
		rep.Stored = append(rep.Stored, f.nextID)
	}
	return rep, nil
}

func (f *fake) Correct(ctx context.Context, c service.Correction) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range []int64{c.Story, c.Other, c.Article} {
		if id >= 999_999 {
			return 0, notFoundErr("story or article", id)
		}
	}
	f.nextID++
	f.corrections[f.nextID] = c
	return f.nextID, nil
}

func (f *fake) Undo(ctx context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.corrections[id]
	if !ok {
		return notFoundErr("correction", id)
	}
	if c.Note == "undone" {
		return fmt.Errorf("%w: correction %d is undone already", service.ErrRefused, id)
	}
	c.Note = "undone"
	f.corrections[id] = c
	return nil
}

// broken fails every read with an error whose text must not reach clients.
type broken struct{ *fake }

var errSecret = errors.New("sqlite: disk I/O error at /var/secret/storyline.db")

func (broken) Stories(context.Context, service.StoryFilter, string, int) (service.StoryPage, error) {
	return service.StoryPage{}, errSecret
}
func (broken) Digest(context.Context, int64) (*digest.Digest, error) { return nil, errSecret }
func (broken) Article(context.Context, int64) (*article.Article, store.Intel, error) {
	return nil, store.Intel{}, errSecret
}
func (broken) Search(context.Context, string, string, int) (service.SearchPage, error) {
	return service.SearchPage{}, errSecret
}
