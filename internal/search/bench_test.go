package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

// The benchmark's store: benchArticles articles of benchWords words, about
// 2.5 KB of text, so that a row with its stemmed column spills onto
// overflow pages as real articles' do.
const (
	benchArticles = 20000
	benchWords    = 400
)

// benchStore writes benchArticles synthetic articles (70% English, 20%
// German, 10% Arabic; benchWords words drawn from a Zipf law over a few thousand
// made-up words and some real ones; ten articles a story; two entities
// named in each) to a new store in b's temporary folder.
func benchStore(b *testing.B) *store.SQLite {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	rng := rand.New(rand.NewPCG(1, 2))
	syllables := map[string][]string{
		"en": {"ka", "lo", "mi", "ter", "son", "pra", "vel", "din", "ro", "ship", "ing", "al"},
		"de": {"ge", "sch", "ung", "ber", "lich", "keit", "sta", "wer", "ten", "hau"},
		"ar": {"ال", "مد", "ين", "كت", "اب", "سل", "ام", "حر", "ب", "ة", "أم", "ر"},
	}
	real := map[string][]string{
		"en": {"flood", "floods", "flooding", "coast", "storm", "rain", "election", "minister", "sea", "wall", "government", "police"},
		"de": {"Hochwasser", "Küste", "Sturm", "Regen", "Wahl", "Minister", "Regierung", "Polizei"},
		"ar": {"فيضانات", "أمطار", "امطار", "الساحل", "المدينة", "المدينه", "انتخابات", "وزير"},
	}
	vocab := map[string][]string{}
	for _, lang := range []string{"ar", "de", "en"} { // in order: the same store every run
		syl := syllables[lang]
		seen := map[string]bool{}
		for len(vocab[lang]) < 3000 {
			var w strings.Builder
			for range 2 + rng.IntN(3) {
				w.WriteString(syl[rng.IntN(len(syl))])
			}
			if !seen[w.String()] {
				seen[w.String()] = true
				vocab[lang] = append(vocab[lang], w.String())
			}
		}
		// Real words at ranks 20, 40, …: common, not the most common
		// ("flood" is in half the English articles); one rare.
		for i, w := range real[lang] {
			vocab[lang] = slices.Insert(vocab[lang], 20*(i+1), w)
		}
		vocab[lang] = slices.Insert(vocab[lang], 2000, "harbour")
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.1, 2, 2999)
	sources := []string{"Euronews", "BBC News", "Reuters", "Tagesschau", "Al Jazeera", "Spiegel", "France 24"}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const entities = 200
	var eids []int64
	for i := 0; i < benchArticles; i += 1000 {
		tx, err := st.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			for e := range entities {
				name := fmt.Sprintf("Person %d", e)
				if e == 0 {
					name = "Mark Rutte"
				}
				ent := &entity.Entity{Canonical: name, Type: "person"}
				if err := tx.PutEntity(ctx, ent); err != nil {
					b.Fatal(err)
				}
				eids = append(eids, ent.ID)
				for _, v := range []string{name, fmt.Sprintf("بيرسون %d", e)} {
					if err := tx.PutVariant(ctx, entity.Variant{Entity: ent.ID, Text: v, Norm: entity.Norm(v)}); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		var story *store.Story
		for j := i; j < min(i+1000, benchArticles); j++ {
			lang := "en"
			switch r := rng.IntN(10); {
			case r >= 9:
				lang = "ar"
			case r >= 7:
				lang = "de"
			}
			words := make([]string, benchWords)
			for k := range words {
				words[k] = vocab[lang][zipf.Uint64()]
			}
			if lang == "en" && rng.IntN(20) == 0 {
				k := rng.IntN(benchWords - 10)
				words[k], words[k+1] = "sea", "wall"
			}
			a := &article.Article{Input: fmt.Sprint(j), ContentHash: fmt.Sprint(j), Lang: lang,
				Source: sources[rng.IntN(len(sources))], URL: fmt.Sprintf("https://example.org/%d", j),
				Title: strings.Join(words[:8], " "), Text: strings.Join(words[8:], " "),
				Published: t0.Add(time.Duration(j) * 20 * time.Minute)}
			if j%10 == 0 {
				story = &store.Story{Headline: a.Title, LastSeen: a.Published}
				if err := tx.PutStory(ctx, story); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.InsertArticle(ctx, a); err != nil {
				b.Fatal(err)
			}
			if err := tx.Place(ctx, a.ID, store.Placement{Story: story.ID, Stream: story.ID, At: a.Published}); err != nil {
				b.Fatal(err)
			}
			if err := tx.(store.StemmedSetter).SetStemmed(ctx, a.ID, text.Stemmed(lang, a.Title+"\n"+a.Text)); err != nil {
				b.Fatal(err)
			}
			var in store.Intel
			for k := range 2 {
				e := eids[int(zipf.Uint64())%entities]
				in.Mentions = append(in.Mentions, store.Mention{Field: 1, Start: k, End: k + 1, Text: "x", Type: "person", Entity: e})
			}
			if err := tx.PutIntel(ctx, a.ID, in); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// BenchmarkSearch measures Run, first page of 20, over benchArticles
// articles; p50 and p99 are per query.
func BenchmarkSearch(b *testing.B) {
	start := time.Now()
	st := benchStore(b)
	b.Logf("generated %d articles in %v", benchArticles, time.Since(start).Round(time.Millisecond))
	for _, q := range []struct{ name, q string }{
		{"word", "floods"},
		{"rare-word", "harbour"},
		{"words", "flood coast"},
		{"phrase", `"sea wall"`},
		{"filtered", "flooding lang:en source:euronews after:2025-03-01"},
		{"entity", `entity:"Mark Rutte" lang:ar`},
		{"filters-only", "lang:de after:2025-04-01"},
	} {
		b.Run(q.name, func(b *testing.B) {
			ctx := context.Background()
			var (
				times []time.Duration
				total int
			)
			for b.Loop() {
				t := time.Now()
				p, err := Run(ctx, st, q.q, "", DefaultLimit)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t))
				total = p.Total
			}
			slices.Sort(times)
			ms := func(q float64) float64 {
				return float64(times[int(q*float64(len(times)-1))]) / float64(time.Millisecond)
			}
			b.ReportMetric(ms(0.5), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
			b.ReportMetric(float64(total), "matches")
		})
	}
}
