package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/store"
)

// Fill writes into st, empty, something of every kind a store keeps:
// stories (one deleted, so that the highest story ID is a deleted one's),
// articles in three languages with their placements, stemmed text and
// bands, copies and related articles, events, the stream's state, parts,
// meta, conditional-GET state, entities with variants, a merge and a
// person's split, mentions, quotes, figures, corrections (one undone)
// and digests. It returns the number of articles.
func Fill(t testing.TB, st store.Store) int {
	t.Helper()
	ctx := context.Background()
	n := 0
	day := time.Date(2025, 4, 8, 6, 0, 0, 0, time.UTC)
	words := map[string][]string{
		"en": {"flood", "harbour", "ferry", "storm", "minister", "quay", "repairs", "fishermen", "council", "bridge"},
		"de": {"Hochwasser", "Hafen", "Fähre", "Sturm", "Minister", "Kai", "Reparatur", "Fischer", "Rat", "Brücke"},
		"fr": {"inondation", "port", "bac", "tempête", "ministre", "quai", "réparations", "pêcheurs", "conseil", "pont"},
	}
	outlets := map[string]string{"en": "Harbour Times", "de": "Nordkurier", "fr": "Le Port"}
	langs := []string{"en", "de", "fr"}
	batch(t, st, func(tx store.Tx) {
		var stories []*store.Story
		for i := range 4 {
			s := &store.Story{Headline: fmt.Sprintf("Story %d", i), Titles: map[string]string{"en": fmt.Sprintf("Story %d", i)},
				FirstSeen: day.Add(time.Duration(i) * time.Hour), LastSeen: day.Add(time.Duration(i+20) * time.Hour),
				Articles: 15, Langs: langs, Outlets: []string{"Harbour Times", "Le Port", "Nordkurier"}, TopTerms: []string{"flood", "ferry"}}
			if i == 3 {
				s.Titles, s.FirstSeen, s.LastSeen, s.Langs, s.TopTerms = nil, time.Time{}, time.Time{}, nil, nil // undated
			}
			putStory(t, tx, s)
			stories = append(stories, s)
		}
		gone := &store.Story{Headline: "merged away"}
		putStory(t, tx, gone)
		if err := tx.DeleteStory(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		var (
			ids      []int64
			prevHash string
		)
		for i := range 60 {
			lang := langs[i%3]
			w := words[lang]
			text := fmt.Sprintf("%s %s %s %s, said the %s on day %d. The %s and the %s wait.", w[i%10], w[(i+3)%10], w[(i+5)%10],
				w[(i+7)%10], w[4], i, w[7], w[(i+1)%10])
			a := &article.Article{ExternalID: fmt.Sprintf("x%d", i), Input: fmt.Sprintf("in/%d.html", i),
				URL: fmt.Sprintf("https://example.org/%s/%d", lang, i), Source: outlets[lang], Lang: lang,
				Title: strings.ToUpper(w[i%10][:1]) + w[i%10][1:] + " " + w[(i+2)%10], Text: text, Author: "A. Writer",
				Dateline: "KIEL", Published: day.Add(time.Duration(i) * time.Hour), ContentHash: dedup.Hash(text),
				MinHash: dedup.Signature(text), Story: stories[i%4].ID}
			switch {
			case i%7 == 6: // a copy of the one before
				a.ContentHash, a.MinHash, a.DuplicateOf = prevHash, nil, ids[len(ids)-1]
			case i%10 == 9:
				a.Related, a.RelatedOf, a.Published = true, ids[len(ids)-1], time.Time{}
				a.Fetched = day.Add(time.Duration(i) * time.Minute)
			}
			if err := tx.InsertArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
			prevHash = a.ContentHash
			place(t, tx, a.ID, store.Placement{Story: a.Story, Stream: stories[(i+1)%4].ID, At: day.Add(time.Duration(i) * time.Minute)})
			if ss, ok := tx.(store.StemmedSetter); ok && i%2 == 0 {
				if err := ss.SetStemmed(ctx, a.ID, strings.ToLower(text)); err != nil {
					t.Fatal(err)
				}
			}
			n++
		}
		if err := tx.SetEvicted(ctx, ids[:12]); err != nil {
			t.Fatal(err)
		}
		for i, s := range stories {
			if err := tx.PutStreamStory(ctx, store.StreamStory{ID: s.ID, First: day, Last: day.Add(time.Duration(i) * time.Hour),
				Restamped: i == 1, Changed: i != 2, Active: i != 3}); err != nil {
				t.Fatal(err)
			}
		}
		must(t, tx.PutParts(ctx, map[int64]int64{ids[0]: stories[0].ID, ids[5]: stories[1].ID}))
		for _, k := range []string{"checkpoint", "model", "settled", "constraints"} {
			must(t, tx.SetMeta(ctx, k, []byte(k+" state")))
		}
		must(t, tx.SetMeta(ctx, "empty", []byte{}))
		must(t, tx.SetValidators(ctx, "https://example.org/en/0", `"v1"`, "Tue, 08 Apr 2025 06:00:00 GMT"))
		must(t, tx.AddStoryEvent(ctx, store.StoryEvent{Kind: store.EventMerge, Story: stories[0].ID, Other: gone.ID,
			At: day.Add(5 * time.Hour), Detail: "same event", Articles: ids[1:3]}))
		must(t, tx.AddStoryEvent(ctx, store.StoryEvent{Kind: store.EventSplit, Story: stories[1].ID, Other: stories[2].ID,
			At: day.Add(6 * time.Hour), Detail: "two events"}))

		ents := map[string]int64{}
		for _, e := range []entity.Entity{
			{Canonical: "Mark Rutte", Type: entity.Person, Mentions: 9, FirstSeen: day},
			{Canonical: "Rutte", Type: entity.Person, Mentions: 3, Story: stories[0].ID},
			{Canonical: "Kiel", Type: entity.Place, Mentions: 5},
			{Canonical: "Harbour Council", Type: entity.Org, Mentions: 4},
		} {
			must(t, tx.PutEntity(ctx, &e))
			ents[e.Canonical] = e.ID
		}
		for _, v := range []entity.Variant{
			{Entity: ents["Mark Rutte"], Text: "Mark Rutte", Mentions: 5, Lang: "en", Key: "mrk rt", Surname: "rt", FirstSeen: day},
			{Entity: ents["Mark Rutte"], Text: "M. Rutte", Mentions: 2, Evidence: "initial"},
			{Entity: ents["Mark Rutte"], Text: "Rütte", Mentions: 2, Lang: "de", Evidence: "spelling"},
			{Entity: ents["Rutte"], Text: "روته", Mentions: 3, Lang: "ar", Key: "rt"},
			{Entity: ents["Kiel"], Text: "Kiel", Mentions: 5},
			{Entity: ents["Harbour Council"], Text: "Harbour Council", Mentions: 4, Lang: "en"},
		} {
			v.Norm = entity.Norm(v.Text)
			must(t, tx.PutVariant(ctx, v))
		}
		must(t, tx.MergeEntities(ctx, entity.Merge{Into: ents["Mark Rutte"], From: ents["Rutte"], By: "auto",
			Evidence: "same sounds", At: day.Add(time.Hour)}))
		split, err := tx.SplitVariant(ctx, ents["Mark Rutte"], entity.Norm("Rütte"))
		must(t, err)
		for i, id := range ids {
			if i%3 != 0 {
				continue
			}
			in := store.Intel{
				Mentions: []store.Mention{{Field: 1, Start: 0, End: 4, Text: "Kiel", Type: string(entity.Place), Entity: ents["Kiel"]},
					{Field: 1, Start: 10, End: 20, Text: "Mark Rutte", Type: string(entity.Person), Title: "NATO chief", Entity: ents["Mark Rutte"]},
					{Field: 0, Start: 0, End: 5, Text: "Rütte", Type: string(entity.Person), Entity: split}},
				Quotes: []store.Quote{{Start: 30, End: 50, Text: "We will rebuild the quay", Speaker: "Mark Rutte",
					SpeakerEntity: ents["Mark Rutte"], Via: "said", Confidence: 0.875}},
				Figures: []store.Figure{{Start: 60, End: 70, Text: "3 weeks", Value: 3, Unit: "week", Counts: "repairs",
					Year: "2025", Approx: i%2 == 0, Rounding: 0.5}},
			}
			if i%6 == 3 {
				in.Quotes = append(in.Quotes, store.Quote{Start: 80, End: 90, Text: "Soon", Confidence: 0.25})
				in.Mentions = append(in.Mentions, store.Mention{Field: 1, Start: 40, End: 55, Text: "Harbour Council",
					Type: string(entity.Org)})
			}
			must(t, tx.PutIntel(ctx, id, in))
		}
		c1, err := tx.AddCorrection(ctx, "move", []byte(`{"article":3,"to":2}`))
		must(t, err)
		_, err = tx.AddCorrection(ctx, "split", []byte{})
		must(t, err)
		must(t, tx.SetUndone(ctx, c1))
		must(t, tx.PutDigest(ctx, stories[0].ID, []byte(`{"story":{"id":1}}`)))
		must(t, tx.PutDigest(ctx, stories[2].ID, []byte(`{}`)))
		// The highest story ID is one nothing names any more.
		last := &store.Story{Headline: "deleted, its ID not to be given again"}
		putStory(t, tx, last)
		must(t, tx.DeleteStory(ctx, last.ID))
	})
	return n
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// SameStore fails t where got does not read as want does, through every
// read method of store.Store, the listings and search, and the reads of
// a write transaction (corrections, separations) when both are
// writable. Text that got keeps as CleanText makes it counts as the same.
func SameStore(t *testing.T, want, got store.Backend) {
	t.Helper()
	ctx := context.Background()
	eq := func(what string, w, g any) {
		t.Helper()
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s differ:\nwant %s\n got %s", what, short(w), short(g))
		}
	}
	both := func(what string, read func(s store.Backend) (any, error)) {
		t.Helper()
		w, werr := read(want)
		g, gerr := read(got)
		if (werr == nil) != (gerr == nil) || (werr != nil && errors.Is(werr, store.ErrNotFound) != errors.Is(gerr, store.ErrNotFound)) {
			t.Errorf("%s: errors differ: want %v, got %v", what, werr, gerr)
			return
		}
		eq(what, w, g)
	}
	both("Counts", func(s store.Backend) (any, error) {
		a, b, err := s.Counts(ctx)
		return [2]int64{a, b}, err
	})
	both("MaxStoryID", func(s store.Backend) (any, error) { return s.MaxStoryID(ctx) })
	both("LastStored", func(s store.Backend) (any, error) { return s.LastStored(ctx) })

	// Articles, each read alone too, with what it says.
	arts := readAll(t, want.Articles)
	eq("Articles", cleaned(arts), cleaned(readAll(t, got.Articles)))
	entities := map[int64]bool{}
	outlets := map[string]bool{}
	for _, a := range arts {
		both(fmt.Sprintf("Article(%d)", a.ID), func(s store.Backend) (any, error) {
			a, err := s.Article(ctx, a.ID)
			return cleaned([]*article.Article{a}), err
		})
		both(fmt.Sprintf("Intel(%d)", a.ID), func(s store.Backend) (any, error) { return s.Intel(ctx, a.ID) })
		both(fmt.Sprintf("Validators(%s)", a.URL), func(s store.Backend) (any, error) {
			e, l, err := s.Validators(ctx, a.URL)
			return [2]string{e, l}, err
		})
		in, err := want.Intel(ctx, a.ID)
		must(t, err)
		for _, m := range in.Mentions {
			entities[m.Entity] = true
		}
		for _, q := range in.Quotes {
			entities[q.SpeakerEntity] = true
		}
		outlets[a.Source] = true
	}
	both("Article(missing)", func(s store.Backend) (any, error) { return s.Article(ctx, 1<<40) })
	replay := func(s store.Backend) (any, error) {
		var out []string
		err := s.Replay(ctx, 0, func(a *article.Article, p store.Placement) error {
			out = append(out, fmt.Sprintf("%d %+v", a.ID, p))
			return nil
		})
		return out, err
	}
	both("Replay", replay)
	both("StreamStories", func(s store.Backend) (any, error) { return s.StreamStories(ctx) })
	both("Evicted", func(s store.Backend) (any, error) { return s.Evicted(ctx) })
	both("Parts", func(s store.Backend) (any, error) { return s.Parts(ctx) })
	for _, k := range []string{"checkpoint", "model", "settled", "constraints", "vstory", "empty", "missing"} {
		both("Meta("+k+")", func(s store.Backend) (any, error) { return s.Meta(ctx, k) })
	}

	// Stories, their articles, digests and history, deleted ones too.
	stories, err := want.Stories(ctx)
	must(t, err)
	both("Stories", func(s store.Backend) (any, error) { return s.Stories(ctx) })
	maxStory, err := want.MaxStoryID(ctx)
	must(t, err)
	for id := range maxStory + 1 {
		both(fmt.Sprintf("Story(%d)", id), func(s store.Backend) (any, error) { return s.Story(ctx, id) })
		both(fmt.Sprintf("StoryEvents(%d)", id), func(s store.Backend) (any, error) { return s.StoryEvents(ctx, id) })
		both(fmt.Sprintf("Digest(%d)", id), func(s store.Backend) (any, error) { return s.Digest(ctx, id) })
		both(fmt.Sprintf("StoryArticles(%d)", id), func(s store.Backend) (any, error) {
			as := readAll(t, func(ctx context.Context, fn func(*article.Article) error) error { return s.StoryArticles(ctx, id, fn) })
			return ids(as), nil
		})
	}
	for _, biggest := range []bool{false, true} {
		q := store.StoryQuery{Biggest: biggest, Limit: 7}
		if len(stories) > 0 && len(stories[0].Langs) > 0 {
			both(fmt.Sprintf("StoriesPage(lang %s)", stories[0].Langs[0]), func(s store.Backend) (any, error) {
				return pages(ctx, s, store.StoryQuery{Lang: stories[0].Langs[0], Biggest: biggest, Limit: 7})
			})
		}
		both(fmt.Sprintf("StoriesPage(biggest %v)", biggest), func(s store.Backend) (any, error) { return pages(ctx, s, q) })
	}
	for o := range outlets {
		both("OutletLangs("+o+")", func(s store.Backend) (any, error) {
			l, n, err := s.OutletLangs(ctx, o)
			return fmt.Sprint(l, n), err
		})
	}

	// Entities: merges followed, every spelling found, their listings.
	for id := range entities {
		if id == 0 {
			continue
		}
		both(fmt.Sprintf("Entity(%d)", id), func(s store.Backend) (any, error) { return s.Entity(ctx, id) })
		both(fmt.Sprintf("EntityInfo(%d)", id), func(s store.Backend) (any, error) {
			e, vs, ms, err := s.EntityInfo(ctx, id)
			return fmt.Sprintf("%+v %+v %+v", e, vs, ms), err
		})
		both(fmt.Sprintf("EntityStories(%d)", id), func(s store.Backend) (any, error) { return s.EntityStories(ctx, id, store.MaxPage) })
		both(fmt.Sprintf("SpeakerQuotes(%d)", id), func(s store.Backend) (any, error) { return s.SpeakerQuotes(ctx, id, store.MaxPage) })
		_, vs, _, err := want.EntityInfo(ctx, id)
		must(t, err)
		for _, v := range vs {
			both("EntitiesNamed("+v.Text+")", func(s store.Backend) (any, error) { return s.EntitiesNamed(ctx, v.Text) })
		}
	}

	// Search: the first words of some titles, by time, and ranked: each
	// store ranks by its own numbers, so the ranked pages must find the
	// same articles, in whatever order.
	var terms []string
	for i, a := range arts {
		if f := strings.Fields(a.Title); i%5 == 0 && len(f) > 0 && len(terms) < 12 {
			terms = append(terms, `"`+strings.Trim(strings.ToLower(f[0]), `"'`)+`"`)
		}
	}
	for _, term := range terms {
		for _, order := range []string{store.SearchRelevance, store.SearchRecent} {
			spec := store.SearchSpec{Match: []store.SearchMatch{{Expr: term}}, Order: order, Limit: 5, Highlight: []string{strings.Trim(term, `"`)}}
			both(fmt.Sprintf("SearchArticles(%s, %s)", term, order), func(s store.Backend) (any, error) {
				rows, err := searchAll(ctx, s, spec)
				if order == store.SearchRelevance {
					slices.SortFunc(rows, func(a, b store.SearchRow) int { return cmp.Compare(a.ID, b.ID) })
				}
				return rows, err
			})
		}
		both("CountArticles("+term+")", func(s store.Backend) (any, error) {
			return s.CountArticles(ctx, store.SearchSpec{Match: []store.SearchMatch{{Expr: term}}}, 1000)
		})
	}

	// What only the writer reads: corrections and separations.
	wtx, werr := want.Begin(ctx)
	if werr != nil {
		return
	}
	defer wtx.Rollback()
	gtx, gerr := got.Begin(ctx)
	if gerr != nil {
		return
	}
	defer gtx.Rollback()
	for id := int64(1); ; id++ {
		wk, wb, wu, werr := wtx.Correction(ctx, id)
		gk, gb, gu, gerr := gtx.Correction(ctx, id)
		eq(fmt.Sprintf("Correction(%d)", id), fmt.Sprintf("%s %q %v %v", wk, wb, wu, werr != nil), fmt.Sprintf("%s %q %v %v", gk, gb, gu, gerr != nil))
		if werr != nil || id > 1e6 {
			break
		}
	}
	for id := range entities {
		w, werr := wtx.SplitFrom(ctx, id)
		g, gerr := gtx.SplitFrom(ctx, id)
		eq(fmt.Sprintf("SplitFrom(%d)", id), fmt.Sprint(w, werr), fmt.Sprint(g, gerr))
	}
}

// short prints v for a message, cut to a readable length.
func short(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 1500 {
		s = s[:1500] + "…"
	}
	return s
}

func readAll(t testing.TB, walk func(context.Context, func(*article.Article) error) error) []*article.Article {
	t.Helper()
	return collect(t, walk)
}

// cleaned returns articles as comparable text, their text as CleanText
// makes it, so that a store keeping text exactly and one keeping it
// cleaned read the same.
func cleaned(as []*article.Article) []string {
	var out []string
	for _, a := range as {
		if a == nil {
			out = append(out, "nil")
			continue
		}
		c := *a
		for _, f := range []*string{&c.ExternalID, &c.Input, &c.URL, &c.Source, &c.Lang, &c.Title, &c.Text,
			&c.Author, &c.Dateline, &c.ContentHash} {
			*f = CleanText(*f)
		}
		out = append(out, fmt.Sprintf("%+v", c))
	}
	return out
}

// pages follows q's cursors to the end.
func pages(ctx context.Context, s store.Browser, q store.StoryQuery) ([]int64, error) {
	var out []int64
	for range 1000 {
		ss, next, err := s.StoriesPage(ctx, q)
		if err != nil {
			return out, err
		}
		for _, x := range ss {
			out = append(out, x.ID)
		}
		if next == "" {
			return out, nil
		}
		q.Cursor = next
	}
	return out, errors.New("StoriesPage: no end to its cursors")
}

// searchAll follows spec's cursors to the end.
func searchAll(ctx context.Context, s store.Searcher, spec store.SearchSpec) ([]store.SearchRow, error) {
	var out []store.SearchRow
	for range 1000 {
		rows, next, err := s.SearchArticles(ctx, spec)
		if err != nil {
			return out, err
		}
		for _, r := range rows {
			r.Rank = 0 // each store's own numbers: the order they give is compared
			out = append(out, r)
		}
		if next == "" {
			return out, nil
		}
		spec.Cursor = next
	}
	return out, errors.New("SearchArticles: no end to its cursors")
}

// RunCopy checks store.Copy from stores from opens to stores to opens
// (each new, empty, writable, closed when t ends): a filled store,
// copied with an interruption after some batches and copied again, reads
// the same in the copy; copying again does nothing; a copy into a store
// that is not empty, or resumed from a source that changed, is refused.
func RunCopy(t *testing.T, from, to func(t *testing.T) store.Backend) {
	ctx := context.Background()
	t.Run("Interrupted", func(t *testing.T) {
		for _, stopAfter := range []int{1, 9, 23} {
			src, dst := from(t), to(t)
			Fill(t, src)
			cctx, cancel := context.WithCancel(ctx)
			batches := 0
			_, err := store.Copy(cctx, dst, src, store.CopyOptions{Batch: 7, Progress: func(store.CopyProgress) {
				if batches++; batches == stopAfter {
					cancel()
				}
			}})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("stopped after %d batches: %v, want context.Canceled", stopAfter, err)
			}
			rep, err := store.Copy(ctx, dst, src, store.CopyOptions{Batch: 7})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Resumed || rep.AlreadyDone {
				t.Errorf("second run: %+v, want resumed", rep)
			}
			SameStore(t, src, dst)
			rep, err = store.Copy(ctx, dst, src, store.CopyOptions{})
			if err != nil || !rep.AlreadyDone {
				t.Errorf("third run: %+v, %v; want already done", rep, err)
			}
			if t.Failed() {
				return
			}
		}
	})
	t.Run("Refused", func(t *testing.T) {
		src, dst := from(t), to(t)
		Fill(t, src)
		batch(t, dst, func(tx store.Tx) { putStory(t, tx, &store.Story{Headline: "already here"}) })
		if _, err := store.Copy(ctx, dst, src, store.CopyOptions{}); !errors.Is(err, store.ErrCopyTarget) {
			t.Errorf("into a store that is not empty: %v, want ErrCopyTarget", err)
		}
		dst = to(t)
		cctx, cancel := context.WithCancel(ctx)
		if _, err := store.Copy(cctx, dst, src, store.CopyOptions{Batch: 5, Progress: func(store.CopyProgress) { cancel() }}); !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted: %v", err)
		}
		batch(t, src, func(tx store.Tx) {
			insert(t, tx, &article.Article{Title: "late", Text: "written after the copy began", ContentHash: "late"})
		})
		if _, err := store.Copy(ctx, dst, src, store.CopyOptions{}); !errors.Is(err, store.ErrCopyTarget) {
			t.Errorf("resumed from a changed source: %v, want ErrCopyTarget", err)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		src, dst := from(t), to(t)
		rep, err := store.Copy(ctx, dst, src, store.CopyOptions{})
		if err != nil || rep.Resumed || rep.AlreadyDone {
			t.Fatalf("%+v, %v", rep, err)
		}
		SameStore(t, src, dst)
		for _, n := range rep.Rows {
			if n != 0 {
				t.Errorf("copied rows of an empty store: %v", rep.Rows)
				break
			}
		}
	})
}
