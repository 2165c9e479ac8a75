package search

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

// fixArticle is one article of the test store, by a short name.
type fixArticle struct {
	name, story               string
	lang, source, title, body string
	published                 string // 2006-01-02
	mentions                  []fixMention
}

type fixMention struct {
	text, entity string // as written; the entity's canonical name
}

// fixStories are the test store's stories: headline by name.
var fixStories = map[string]string{
	"flood":    "Floods hit the northern coast",
	"election": "German election",
	"storm":    "Storm and rain",
	"summit":   "Brussels summit",
}

// fixArticles: English, German and Arabic articles about four events.
// The Arabic ones are written with the spellings Arabic writers mix:
// hamza on alif or not, ة and ه, ى and ي, harakat.
var fixArticles = []fixArticle{
	{name: "flood-en", story: "flood", lang: "en", source: "Euronews", published: "2025-04-02",
		title: "Floods hit the northern coast",
		body: "Heavy flooding hit the northern coast on Monday after days of rain. The sea wall held, " +
			"Mark Rutte said on a visit to the harbour. Rescue teams were flooded with calls.",
		mentions: []fixMention{{"Mark Rutte", "Mark Rutte"}}},
	{name: "flood-de", story: "flood", lang: "de", source: "Tagesschau", published: "2025-04-03",
		title: "Überschwemmungen an der Nordküste",
		body: "Schwere Überschwemmungen trafen die Küste im Norden. Der Deich habe gehalten, sagte Mark Rutte " +
			"bei einem Besuch im Hafen.",
		mentions: []fixMention{{"Mark Rutte", "Mark Rutte"}}},
	{name: "flood-ar", story: "flood", lang: "ar", source: "Al Jazeera", published: "2025-04-03",
		title: "فيضاناتٌ تضرب السَّاحل الشمالي",
		body: "ضربت أمطار غزيرة المدينة الساحلية. وقال مارك روته إن الحاجز البحري صمد، " +
			"فيما نقل المصابون إلى مستشفى المدينة.",
		mentions: []fixMention{{"مارك روته", "Mark Rutte"}}},
	{name: "storm-en", story: "storm", lang: "en", source: "Euronews", published: "2025-04-20",
		title: "Storm warning for the coast",
		body:  "A storm is expected near the coast tonight, with rain and wind but no flooding yet. Officials said: stay home, away from the old wall along the sea.",
	},
	{name: "rain-en", story: "storm", lang: "en", source: "BBC News", published: "2025-04-25",
		title: "Rain stops play in London",
		body:  "Rain in London stopped the match after an hour.",
	},
	{name: "rain-ar", story: "storm", lang: "ar", source: "Al Arabiya", published: "2025-04-26",
		title: "امطار في المدينه",
		body:  "هطلت امطار على مستشفي المدينه القديمه.",
	},
	{name: "election-en", story: "election", lang: "en", source: "BBC News", published: "2025-02-24",
		title:    "German election results",
		body:     "Voters in Germany elected a new parliament. Olaf Scholz conceded defeat on election night.",
		mentions: []fixMention{{"Olaf Scholz", "Olaf Scholz"}}},
	{name: "election-de", story: "election", lang: "de", source: "Tagesschau", published: "2025-02-24",
		title:    "Bundestagswahl: die Ergebnisse",
		body:     "Die Wähler haben einen neuen Bundestag gewählt. Olaf Scholz räumte die Niederlage ein.",
		mentions: []fixMention{{"Olaf Scholz", "Olaf Scholz"}}},
	{name: "summit-en", story: "summit", lang: "en", source: "euronews.com", published: "2025-03-15",
		title: "Leaders meet in Brussels",
		body: "Mark Rutte and Olaf Scholz met in Brussels to talk about defence spending and the sea wall " +
			"programme. Rutte said the talks went well.",
		mentions: []fixMention{{"Mark Rutte", "Mark Rutte"}, {"Olaf Scholz", "Olaf Scholz"}, {"Rutte", "Mark Rutte"}}},
}

// fixture is a filled test store and what it holds, by name.
type fixture struct {
	st       *store.SQLite
	dir      string
	articles map[string]int64 // article name → ID
	names    map[int64]string
	stories  map[string]int64
	entities map[string]int64
}

// newFixture writes fixArticles to a new store through the store's own
// transaction, as ingest does: article, placement, stemmed text, story,
// entities, variants and mentions.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, dir: dir, articles: map[string]int64{}, names: map[int64]string{},
		stories: map[string]int64{}, entities: map[string]int64{}}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, a := range fixArticles {
		if f.stories[a.story] == 0 {
			s := &store.Story{Headline: fixStories[a.story]}
			if err := tx.PutStory(ctx, s); err != nil {
				t.Fatal(err)
			}
			f.stories[a.story] = s.ID
		}
	}
	variants := map[string]bool{}
	for _, fa := range fixArticles {
		pub, err := time.Parse("2006-01-02", fa.published)
		if err != nil {
			t.Fatal(err)
		}
		a := &article.Article{Input: fa.name, URL: "https://example.org/" + fa.name, Source: fa.source,
			Lang: fa.lang, Title: fa.title, Text: fa.body, Published: pub.Add(9 * time.Hour), ContentHash: fa.name}
		if err := tx.InsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		f.articles[fa.name], f.names[a.ID] = a.ID, fa.name
		sid := f.stories[fa.story]
		if err := tx.Place(ctx, a.ID, store.Placement{Story: sid, Stream: sid, At: a.Published}); err != nil {
			t.Fatal(err)
		}
		if err := tx.(store.StemmedSetter).SetStemmed(ctx, a.ID, text.Stemmed(a.Lang, a.Title+"\n"+a.Text)); err != nil {
			t.Fatal(err)
		}
		var in store.Intel
		for _, m := range fa.mentions {
			eid := f.entities[m.entity]
			if eid == 0 {
				e := &entity.Entity{Canonical: m.entity, Type: "person", FirstSeen: a.Published}
				if err := tx.PutEntity(ctx, e); err != nil {
					t.Fatal(err)
				}
				eid, f.entities[m.entity] = e.ID, e.ID
			}
			if n := entity.Norm(m.text); !variants[n] {
				variants[n] = true
				v := entity.Variant{Entity: eid, Text: m.text, Norm: n, Lang: fa.lang, Mentions: 1, FirstSeen: a.Published}
				if err := tx.PutVariant(ctx, v); err != nil {
					t.Fatal(err)
				}
			}
			start := strings.Index(fa.body, m.text)
			in.Mentions = append(in.Mentions, store.Mention{Field: 1, Start: start, End: start + len(m.text),
				Text: m.text, Type: "person", Entity: eid})
		}
		if err := tx.PutIntel(ctx, a.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return f
}

// ids returns the names of a page's articles, in order.
func (f *fixture) ids(p service.SearchPage) []string {
	var out []string
	for _, g := range p.Groups {
		for _, h := range g.Articles {
			out = append(out, f.names[h.ID])
		}
	}
	return out
}
