// Package ingest wires the pipeline together: source → extract → langid →
// dedup → story → store. Stages that need no shared state (extraction,
// language, hashing) run in parallel; dedup, story assignment and storage run
// in one goroutine, in input order, so that the same input always gives the
// same stories.
package ingest

import (
	"context"
	"iter"
	"runtime"
	"sync"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
	"github.com/storyline/storyline/internal/extract"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/figure"
	"github.com/storyline/storyline/internal/intel/quote"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/story"
	"github.com/storyline/storyline/internal/text"
)

// Prepared is one source item after extraction: its articles (main first,
// then related ones) with language and hashes filled in, or the error that
// made the item unusable.
type Prepared struct {
	Input    string
	Articles []article.Article
	// Stemmed holds each article's title and text stemmed for the
	// full-text index, computed here because stemming is parallel work.
	Stemmed []string
	Err     error
	// Validators, when set, is no page: a feed was read in full, and its
	// conditional-GET validators are to be stored with its items.
	Validators *source.FeedValidators
	// Mentions holds each article's names, found here because finding
	// them needs no shared state; the writer resolves them to entities.
	Mentions [][]entity.Mention
	// Figures holds the quantities each article states, and Quotes its
	// quotations with their speakers as written.
	Figures [][]figure.Figure
	Quotes  [][]quote.Quote
	// Docs holds each article's story features when Stages.Features is
	// set: analysing is most of an article's cost to the assigner, and
	// needs nothing of the stream.
	Docs []*text.Doc
}

// Stages are the stateless stages Prepare runs on every item.
type Stages struct {
	Det *langid.Detector
	// Words tells names from common words in scripts without case
	// (entity.Find); nil finds names without it.
	Words entity.Words
	// Features, when set, analyses each article for story assignment
	// (see Prepared.Docs).
	Features *story.Features
}

// Prepare runs the stateless stages over items with workers goroutines and
// yields the results in input order. Memory stays bounded: at most a few
// items per worker are in flight.
func Prepare(ctx context.Context, items iter.Seq[source.Item], st Stages, workers int) iter.Seq[Prepared] {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return func(yield func(Prepared) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()

		type job struct {
			item source.Item
			out  chan Prepared
		}
		jobs := make(chan job)
		order := make(chan chan Prepared, workers*2)

		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					j.out <- prepareOne(ctx, j.item, st)
				}
			}()
		}
		go func() {
			defer close(order)
			defer close(jobs)
			for it := range items {
				out := make(chan Prepared, 1)
				select {
				case order <- out:
				case <-ctx.Done():
					return
				}
				select {
				case jobs <- job{it, out}:
				case <-ctx.Done():
					return
				}
			}
		}()
		defer wg.Wait()
		for out := range order {
			var p Prepared
			select {
			case p = <-out:
			case <-ctx.Done():
				return
			}
			if !yield(p) {
				cancel()
				// Drain so the producer and workers can exit.
				for range order {
				}
				return
			}
		}
	}
}

func prepareOne(ctx context.Context, it source.Item, st Stages) Prepared {
	p := Prepared{Input: it.Page.Input, Validators: it.Validators}
	if it.Err != nil || it.Validators != nil {
		p.Err = it.Err
		return p
	}
	arts, err := extract.Page(ctx, it.Page)
	if err != nil {
		p.Err = err
		return p
	}
	// The language the input declares (a JSONL "lang", a feed's language,
	// else the page's <html lang>) is kept unless the text clearly says
	// otherwise; a text nobody can tell is stored as undetermined.
	declared := it.Page.Lang
	if declared == "" && it.Page.Kind != article.KindText && it.Page.Kind != article.KindClean {
		declared = langid.HTMLLang(it.Page.Body)
	}
	for i := range arts {
		a := &arts[i]
		supplied := a.Lang
		if supplied == "" {
			supplied = declared
		}
		if a.Lang = st.Det.Resolve(supplied, a.Text); a.Lang == "" {
			a.Lang = langid.Undetermined
		}
		a.ContentHash = contentKey(a)
		a.MinHash = dedup.Signature(a.Text)
		p.Stemmed = append(p.Stemmed, text.Stemmed(a.Lang, a.Title+"\n"+a.Text))
		ms := entity.Find(a.Lang, a.Title, a.Text, st.Words)
		p.Mentions = append(p.Mentions, ms)
		p.Figures = append(p.Figures, figure.Extract(a.Lang, a.Text))
		p.Quotes = append(p.Quotes, quote.Extract(a.Lang, a.Text, people(ms)))
		if st.Features != nil {
			p.Docs = append(p.Docs, st.Features.Of(a))
		}
	}
	p.Articles = arts
	return p
}

// people are the persons an article's text names, for quote speakers.
func people(ms []entity.Mention) []quote.Span {
	ps := []quote.Span{} // given, if empty: the names were looked for
	for _, m := range ms {
		if m.Field == entity.InText && m.Type == entity.Person {
			ps = append(ps, quote.Span{Start: m.Start, End: m.End, Name: m.Text})
		}
	}
	return ps
}

// contentKey identifies an article for idempotent ingest: the same text from
// the same place is the same article, while the same text from another
// outlet or URL is a syndicated copy that must be recorded, not dropped.
func contentKey(a *article.Article) string {
	return dedup.Hash(a.URL + "\x00" + a.ExternalID + "\x00" + a.Source + "\x00" + a.Text)
}
