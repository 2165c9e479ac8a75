package story

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
)

// replica plays the store: where each article is, as Assign and the events
// of Maintain leave it. A merge moves every article of the story merged
// away, those no longer in the Assigner's memory too.
type replica struct {
	where map[int64]int64
	arts  map[int64]*article.Article
	seq   map[int64]int // arrival order
}

func newReplica() *replica {
	return &replica{where: map[int64]int64{}, arts: map[int64]*article.Article{}, seq: map[int64]int{}}
}

func (r *replica) assigned(art *article.Article, d Decision) {
	r.where[art.ID] = d.Story
	r.arts[art.ID] = art
	r.seq[art.ID] = len(r.seq)
}

func (r *replica) apply(evs []Event) {
	for _, ev := range evs {
		switch ev.Kind {
		case "merge":
			for id, s := range r.where {
				if s == ev.Other {
					r.where[id] = ev.Story
				}
			}
			for _, id := range ev.Articles {
				r.where[id] = ev.Story
			}
		case "split":
			for _, id := range ev.Articles {
				r.where[id] = ev.Other
			}
		}
	}
}

// want is the Summary fields replica r implies for story id.
func (r *replica) want(id int64) (n int, outlets, langs []string, titles map[string]string, first, last time.Time) {
	out, lang := map[string]bool{}, map[string]bool{}
	titles = map[string]string{}
	titleSeq := map[string]int{}
	for aid, s := range r.where {
		if s != id {
			continue
		}
		art := r.arts[aid]
		n++
		out[art.Source] = true
		lang[art.Lang] = true
		if art.Title != "" {
			if q, ok := titleSeq[art.Lang]; !ok || r.seq[aid] < q {
				titleSeq[art.Lang], titles[art.Lang] = r.seq[aid], art.Title
			}
		}
		if first.IsZero() || art.Published.Before(first) {
			first = art.Published
		}
		if art.Published.After(last) {
			last = art.Published
		}
	}
	keys := func(m map[string]bool) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	return n, keys(out), keys(lang), titles, first, last
}

// checkSums compares each story's running sums with sums recomputed from
// the members it holds, and the member list with the owner map.
func checkSums(t *testing.T, a *Assigner) {
	t.Helper()
	held := 0
	for _, id := range a.sortedIDs() {
		s := a.stories[id]
		if lim := a.cfg.MaxMembers; lim > 0 && len(s.members) > lim {
			t.Errorf("story %d holds %d members, limit %d", id, len(s.members), lim)
		}
		held += len(s.members)
		r := &story{langs: map[string]int{}, years: map[string]int{}}
		for _, m := range s.members {
			r.countVecs(m, 1)
			if m.home != s || a.owner[m.id] != id {
				t.Errorf("story %d: member %d has home %p, owner %d", id, m.id, m.home, a.owner[m.id])
			}
		}
		for _, c := range []struct {
			name        string
			got, want   sumVec
			gotN, wantN float64
		}{
			{"sum", s.sum, r.sum, s.norm2, r.norm2},
			{"anchor", s.asum, r.asum, s.anorm2, r.anorm2},
			{"names", s.esum, r.esum, s.enorm2, r.enorm2},
			{"skeleton", s.ssum, r.ssum, s.snorm2, r.snorm2},
		} {
			if d := math.Abs(c.gotN - c.wantN); d > 1e-9 {
				t.Errorf("story %d: %s norm² %.12f, recomputed %.12f", id, c.name, c.gotN, c.wantN)
			}
			if !slices.IsSorted(c.got.k) || len(c.got.k) != len(c.got.w) {
				t.Errorf("story %d: %s not sorted by term", id, c.name)
			}
			for k := range union(c.got, c.want) {
				if d := math.Abs(c.got.get(k) - c.want.get(k)); d > 1e-9 {
					t.Errorf("story %d: %s[%d] = %.12f, recomputed %.12f", id, c.name, k, c.got.get(k), c.want.get(k))
					break
				}
			}
		}
		if !reflect.DeepEqual(s.langs, r.langs) || !reflect.DeepEqual(s.years, r.years) {
			t.Errorf("story %d: langs %v years %v, recomputed %v %v", id, s.langs, s.years, r.langs, r.years)
		}
	}
	if len(a.owner) != held {
		t.Errorf("%d owners for %d members held", len(a.owner), held)
	}
}

func union(a, b sumVec) map[termKey]bool {
	u := make(map[termKey]bool, a.len()+b.len())
	for _, k := range a.k {
		u[k] = true
	}
	for _, k := range b.k {
		u[k] = true
	}
	return u
}

// heldTitle reports whether h is the title of an article s holds, or s
// holds no titled article.
func heldTitle(s *story, h string) bool {
	titled := false
	for _, m := range s.members {
		if m.title == h {
			return true
		}
		titled = titled || m.title != ""
	}
	return !titled
}

// dress gives a synthetic article a title, a language and an outlet.
func dress(art *article.Article, rng *rand.Rand) {
	if rng.IntN(5) > 0 {
		art.Title = strings.Join(strings.Fields(art.Text)[2:9], " ")
	}
	art.Lang = []string{"en", "en", "en", "de", "fr"}[rng.IntN(5)]
	art.Source = fmt.Sprintf("outlet%d", rng.IntN(12))
}

// TestEviction streams synthetic articles with small member limits and
// checks, at every Maintain, that the sums match the members held and that
// every story's Summary describes all of its articles as a store following
// the decisions and events would hold them.
func TestEviction(t *testing.T) {
	for _, tt := range []struct {
		name  string
		limit int
		n     int
	}{
		{"limit 3", 3, 1500},
		{"limit 8", 8, 1500},
		{"limit 40", 40, 2000},
		{"unlimited", -1, 1500},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := newGen(7)
			rng := rand.New(rand.NewPCG(7, 8))
			a := New(Config{MaxMembers: tt.limit}, nil)
			r := newReplica()
			var merges, splits int
			check := func() {
				checkSums(t, a)
				for _, id := range a.sortedIDs() {
					sum, ok := a.Summary(id)
					if !ok {
						t.Fatalf("active story %d has no summary", id)
					}
					n, outlets, langs, titles, first, last := r.want(id)
					if sum.Articles != n || !reflect.DeepEqual(sum.Outlets, outlets) || !reflect.DeepEqual(sum.Langs, langs) ||
						!reflect.DeepEqual(sum.Titles, titles) {
						t.Fatalf("story %d: summary %d articles, outlets %v, langs %v, titles %v;\nstore has %d, %v, %v, %v",
							id, sum.Articles, sum.Outlets, sum.Langs, sum.Titles, n, outlets, langs, titles)
					}
					if !heldTitle(a.stories[id], sum.Headline) {
						t.Errorf("story %d: headline %q is no title held", id, sum.Headline)
					}
					if sum.FirstSeen.After(first) || sum.LastSeen.Before(last) {
						t.Errorf("story %d: seen %v–%v, articles span %v–%v", id, sum.FirstSeen, sum.LastSeen, first, last)
					}
				}
			}
			for i := 0; i < tt.n; i++ {
				art := g.next()
				dress(art, rng)
				r.assigned(art, a.Assign(art))
				if (i+1)%100 == 0 {
					evs := a.Maintain(art.Published)
					for _, ev := range evs {
						if ev.Kind == "merge" {
							merges++
						} else {
							splits++
						}
					}
					r.apply(evs)
					check()
				}
			}
			evicted := 0
			for _, s := range a.stories {
				evicted += s.tally.n - len(s.members)
			}
			t.Logf("%d articles: %d active stories, %d of their articles evicted; %d merges, %d splits",
				tt.n, a.Active(), evicted, merges, splits)
			if tt.limit > 0 && evicted == 0 {
				t.Errorf("no article evicted with limit %d", tt.limit)
			}
			if tt.limit < 0 && evicted != 0 {
				t.Errorf("%d articles evicted without a limit", evicted)
			}
		})
	}
}

// TestSummaryCountsEvicted feeds one story more articles than it holds.
func TestSummaryCountsEvicted(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	text := "Flooding on the Varna river forced the evacuation of Lobrenz as the dam at Kessing overflowed on Monday."
	a := New(Config{MaxMembers: 3}, nil)
	var story int64
	for i := 1; i <= 10; i++ {
		art := &article.Article{ID: int64(i), Lang: "en", Title: fmt.Sprintf("Varna floods Lobrenz, day %d", i), Text: text,
			Source: fmt.Sprintf("outlet%d", i), Published: t0.Add(time.Duration(i) * time.Hour)}
		if i == 1 {
			art.Lang, art.Title = "de", "Hochwasser in Lobrenz"
		}
		d := a.Assign(art)
		if story == 0 {
			story = d.Story
		} else if d.Story != story {
			t.Fatalf("article %d went to story %d, want %d", i, d.Story, story)
		}
	}
	sum, ok := a.Summary(story)
	if !ok {
		t.Fatal("no summary")
	}
	if got := len(a.stories[story].members); got != 3 {
		t.Errorf("story holds %d articles, want 3", got)
	}
	if sum.Articles != 10 || len(sum.Outlets) != 10 || !reflect.DeepEqual(sum.Langs, []string{"de", "en"}) {
		t.Errorf("summary counts %d articles, outlets %v, langs %v; want all 10, both languages", sum.Articles, sum.Outlets, sum.Langs)
	}
	if sum.Titles["de"] != "Hochwasser in Lobrenz" || sum.Titles["en"] != "Varna floods Lobrenz, day 2" {
		t.Errorf("titles %v, want the first in each language", sum.Titles)
	}
	if !sum.FirstSeen.Equal(t0.Add(time.Hour)) || !sum.LastSeen.Equal(t0.Add(10*time.Hour)) {
		t.Errorf("seen %v–%v", sum.FirstSeen, sum.LastSeen)
	}
	if strings.HasSuffix(sum.Headline, "day 1") || !strings.HasPrefix(sum.Headline, "Varna floods") {
		t.Errorf("headline %q, want an English title held", sum.Headline)
	}
}

// TestCopyOfEvicted assigns copies of an article that left its story's
// memory: with the stored story named, the copy joins it; without, it is
// scored like any article.
func TestCopyOfEvicted(t *testing.T) {
	arts := loadArticles(t)
	for _, tt := range []struct {
		name  string
		named bool
	}{{"story named", true}, {"story not named", false}} {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Config{MaxMembers: 2}, nil)
			var quake int64
			for _, ta := range arts {
				d := a.Assign(ta.article())
				if ta.ID == arts[0].ID {
					quake = d.Story
				}
			}
			orig := arts[0].ID
			if _, held := a.owner[orig]; held {
				t.Fatalf("article %d still held", orig)
			}
			cp := arts[0].article()
			cp.ID, cp.DuplicateOf = 1000, orig
			if tt.named {
				cp.Story = quake
			}
			d := a.Assign(cp)
			if d.Story == 0 || cp.Story != d.Story {
				t.Fatalf("copy assigned %+v, art.Story %d", d, cp.Story)
			}
			if tt.named && (d.Story != quake || d.New) {
				t.Errorf("copy went to %+v, want story %d", d, quake)
			}
			if sum, ok := a.Summary(d.Story); !ok || sum.Articles < 1 {
				t.Errorf("summary %+v %v", sum, ok)
			}
			checkSums(t, a)
		})
	}
}

// longStory makes a synthetic stream (see gen) in which every third
// article reports one long-running event that never leaves the window.
type longStory struct {
	g    *gen
	base []string
	n    int // articles of the long story
	k    int // articles of the stream
}

func newLongStory(seed uint64) *longStory {
	g := newGen(seed)
	l := &longStory{g: g}
	for j := 0; j < 20; j++ {
		l.base = append(l.base, g.word(3))
	}
	return l
}

func (l *longStory) next() *article.Article {
	g := l.g
	if l.k++; l.k%3 != 0 {
		return g.next()
	}
	text := g.body(l.base)
	l.n++
	return &article.Article{
		ID: 1e9 + int64(l.n), Lang: "en", Text: text, Source: fmt.Sprintf("outlet%d", l.n%40),
		Title:     fmt.Sprintf("%s %s %d", l.base[0], l.base[1], l.n),
		Published: g.t0.Add(time.Duration(g.n) * (7 * 24 * time.Hour / windowArticles)),
	}
}

// BenchmarkAssignLongStory measures assigning an article, and summarising
// the stories that changed as ingest does, in a stream that has fed one
// story 2k or 20k articles (and other stories twice as many). With the
// default member limit the cost and the memory held should be the same at
// 20k as at 2k; "unlimited" shows what the limit saves.
func BenchmarkAssignLongStory(b *testing.B) {
	for _, bc := range []struct {
		name  string
		limit int
		prior int
	}{
		{"limit=500/prior=2k", 0, 2_000},
		{"limit=500/prior=20k", 0, 20_000},
		{"unlimited/prior=2k", -1, 2_000},
		{"unlimited/prior=20k", -1, 20_000},
	} {
		b.Run(bc.name, func(b *testing.B) {
			l := newLongStory(3)
			a := New(Config{MaxMembers: bc.limit}, nil)
			for l.n < bc.prior {
				art := l.next()
				a.Assign(art)
				if l.k%1000 == 0 {
					a.Maintain(art.Published)
				}
				a.Dirty()
			}
			arts := make([]*article.Article, b.N)
			for i := range arts {
				arts[i] = l.next()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for _, art := range arts {
				a.Assign(art)
				for _, id := range a.Dirty() {
					a.Summary(id)
				}
			}
			b.StopTimer()
			var long *story
			for _, s := range a.stories {
				if long == nil || s.tally.n > long.tally.n {
					long = s
				}
			}
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
			b.ReportMetric(float64(long.tally.n), "story-articles")
			b.ReportMetric(float64(len(long.members)), "story-held")
			b.ReportMetric(float64(len(long.posted)), "story-index-terms")
			b.ReportMetric(float64(a.Active()), "active-stories")
			b.ReportMetric(float64(len(a.index)), "index-terms")
		})
	}
}

// TestCarry checks that a replayed story's summary covers the articles the
// restart did not load into memory, as the store describes them.
func TestCarry(t *testing.T) {
	day := time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)
	a := New(Config{}, nil)
	if err := a.Resume(Checkpoint{Now: day, NextID: 4, Seq: 7}, nil); err != nil {
		t.Fatal(err)
	}
	a.Replay(&article.Article{ID: 7, Lang: "en", Title: "Reloaded title", Source: "Post", Published: day,
		Text: "Firefighters battled a wildfire near Canberra as strong winds pushed the blaze toward homes."}, 3, day)
	a.Carry(99, Summary{Articles: 50}) // not active: ignored
	a.ResumeStory(StoryState{ID: 3, First: day.AddDate(0, 0, -9), Last: day},
		Summary{Articles: 3, Outlets: []string{"Old Times"}, Langs: []string{"fr"},
			Titles: map[string]string{"en": "Stored title"}, FirstSeen: day.AddDate(0, 0, -9)})
	a.Resumed()
	got, ok := a.Summary(3)
	if !ok {
		t.Fatal("story 3 not active")
	}
	want := Summary{Articles: 4, Outlets: []string{"Old Times", "Post"}, Langs: []string{"en", "fr"},
		Titles: map[string]string{"en": "Stored title"}, FirstSeen: day.AddDate(0, 0, -9)}
	if got.Articles != want.Articles || !slices.Equal(got.Outlets, want.Outlets) || !slices.Equal(got.Langs, want.Langs) ||
		got.Titles["en"] != want.Titles["en"] || !got.FirstSeen.Equal(want.FirstSeen) {
		t.Errorf("Summary after Carry = %+v, want %+v", got, want)
	}
	if _, ok := a.Summary(99); ok {
		t.Error("Carry opened an inactive story")
	}
	if got := a.Dirty(); len(got) != 0 {
		t.Errorf("resuming made %v dirty", got)
	}
}
