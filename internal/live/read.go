package live

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/search"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

// digestBuilder builds a story's digest when the store has none.
type digestBuilder func(ctx context.Context, id int64) (*digest.Digest, error)

// reader answers readers from the store.
type reader struct {
	st      store.Backend
	digest  digestBuilder
	status  func() (time.Time, []service.FeedStatus)
	counts  *countCache
	digests *digestCache
}

// countCache holds the store's counts for a moment: every page shows them,
// and counting 100k rows on each request would cost more than the page.
type countCache struct {
	mu                sync.Mutex
	at                time.Time
	articles, stories int64
	lastStored        time.Time
}

// countsFresh is how long counts are reused. Shorter than the second
// within which a new article must show, so a page never lags more.
const countsFresh = 500 * time.Millisecond

// entityListing bounds the stories and quotes an entity page lists.
const entityListing = 50

func (r reader) Stories(ctx context.Context, f service.StoryFilter, cursor string, limit int) (service.StoryPage, error) {
	ss, next, err := r.st.StoriesPage(ctx, store.StoryQuery{Lang: f.Lang, Outlet: f.Outlet, After: f.After, Before: f.Before,
		Biggest: f.Sort == "biggest", Cursor: cursor, Limit: limit})
	if err != nil {
		return service.StoryPage{}, err
	}
	return service.StoryPage{Stories: ss, Next: next}, nil
}

func (r reader) Story(ctx context.Context, id int64) (store.Story, error) { return r.st.Story(ctx, id) }

// Digest returns the story's digest: the one stored when the story last
// settled, or one built now; either is kept for the next reader while the
// story stays as it is. Callers must not change it.
func (r reader) Digest(ctx context.Context, id int64) (*digest.Digest, error) {
	s, err := r.st.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	sig := storySig(s)
	if d := r.digests.get(id, sig); d != nil {
		return d, nil
	}
	d, err := r.readDigest(ctx, id)
	if err != nil {
		return nil, err
	}
	r.digests.put(id, sig, d)
	return d, nil
}

func (r reader) readDigest(ctx context.Context, id int64) (*digest.Digest, error) {
	b, err := r.st.Digest(ctx, id)
	if err != nil {
		return nil, err
	}
	if b != nil {
		var d digest.Digest
		if err := json.Unmarshal(b, &d); err == nil {
			return &d, nil
		}
	}
	if r.digest == nil {
		return digest.Build(ctx, r.st, id, digest.Options{})
	}
	return r.digest(ctx, id)
}

func (r reader) Article(ctx context.Context, id int64) (*article.Article, store.Intel, error) {
	a, err := r.st.Article(ctx, id)
	if err != nil {
		return nil, store.Intel{}, err
	}
	in, err := r.st.Intel(ctx, id)
	return a, in, err
}

func (r reader) Entity(ctx context.Context, id int64) (service.EntityPage, error) {
	e, vs, ms, err := r.st.EntityInfo(ctx, id)
	if err != nil {
		return service.EntityPage{}, err
	}
	page := service.EntityPage{Entity: service.EntityInfo{ID: e.ID, Canonical: e.Canonical, Type: string(e.Type),
		Mentions: e.Mentions, FirstSeen: e.FirstSeen}}
	for _, v := range vs {
		page.Entity.Variants = append(page.Entity.Variants, service.Variant{Text: v.Text, Lang: v.Lang, Mentions: v.Mentions,
			FirstSeen: v.FirstSeen, Evidence: v.Evidence})
	}
	for _, m := range ms {
		page.Entity.Merges = append(page.Entity.Merges, service.Merge{From: m.From, By: m.By, Evidence: m.Evidence})
	}
	if page.Stories, err = r.st.EntityStories(ctx, e.ID, entityListing); err != nil {
		return page, err
	}
	if page.Quotes, err = r.st.SpeakerQuotes(ctx, e.ID, entityListing); err != nil {
		return page, err
	}
	for _, s := range page.Stories {
		page.Articles += s.Articles
	}
	return page, nil
}

// Outlet lists an outlet's stories and what it left out of them, as their
// stored digests' coverage says.
func (r reader) Outlet(ctx context.Context, name, cursor string, limit int) (service.OutletPage, error) {
	langs, n, err := r.st.OutletLangs(ctx, name)
	if err != nil {
		return service.OutletPage{}, err
	}
	if n == 0 {
		return service.OutletPage{}, fmt.Errorf("outlet %q: %w", name, service.ErrNotFound)
	}
	ss, next, err := r.st.StoriesPage(ctx, store.StoryQuery{Outlet: name, Cursor: cursor, Limit: limit})
	if err != nil {
		return service.OutletPage{}, err
	}
	page := service.OutletPage{Name: name, Langs: langs, Articles: n, Stories: ss, Next: next, Omits: map[string]int{}}
	for _, s := range ss {
		b, err := r.st.Digest(ctx, s.ID)
		if err != nil || b == nil {
			continue // not settled yet: counted once it is
		}
		var d digest.Digest
		if json.Unmarshal(b, &d) != nil {
			continue
		}
		for _, o := range d.Coverage.Outlets {
			if o.Name != name {
				continue
			}
			for _, i := range o.Omits {
				page.Omits[d.Coverage.Facts[i].Kind]++
			}
		}
	}
	return page, nil
}

func (r reader) Search(ctx context.Context, q, cursor string, limit int) (service.SearchPage, error) {
	return search.Run(ctx, r.st, q, cursor, limit)
}

// Status says when something was last stored and how the feeds fare.
func (r reader) Status(ctx context.Context) service.Status {
	last, feeds := r.status()
	st := service.Status{LastUpdate: last, Feeds: feeds}
	c := r.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := time.Now(); now.Sub(c.at) > countsFresh {
		a, s, err := r.st.Counts(ctx)
		if err == nil {
			c.articles, c.stories, c.at = a, s, now
			c.lastStored, _ = r.st.LastStored(ctx)
		}
	}
	st.Articles, st.Stories = c.articles, c.stories
	if st.LastUpdate.IsZero() {
		// Nothing stored since the service started: the store's last.
		st.LastUpdate = c.lastStored
	}
	return st
}
