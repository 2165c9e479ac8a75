package story

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/scratch"
)

// summaryTerms is how many top terms a Summary lists.
const summaryTerms = 10

// Summary describes active story id; ok is false when the story is not
// active (expired, merged away or never seen). Articles, Outlets, Langs,
// Titles and FirstSeen cover every article of the story, those no longer
// held in memory (Config.MaxMembers) included; Headline and TopTerms come
// from the articles held, and are recomputed in full only once the story
// has changed by a quarter of its size, so that the cost of a call does
// not grow with the story.
func (a *Assigner) Summary(id int64) (Summary, bool) {
	s := a.stories[id]
	if s == nil || len(s.members) == 0 {
		return Summary{}, false
	}
	a.look(s)
	t := &s.tally
	t.lists()
	sum := Summary{
		ID: id, Headline: s.view.headline, FirstSeen: s.first, LastSeen: s.last, Articles: t.n,
		Titles:   make(map[string]string, len(t.titles)),
		Langs:    slices.Clone(t.langList),
		Outlets:  slices.Clone(t.outletList),
		TopTerms: slices.Clone(s.view.terms),
	}
	if !t.evFirst.IsZero() && (sum.FirstSeen.IsZero() || t.evFirst.Before(sum.FirstSeen)) {
		sum.FirstSeen = t.evFirst
	}
	for l, tt := range t.titles {
		sum.Titles[l] = tt.title
	}
	return sum, true
}

// givenForm is a term's readable form and the member that gave it.
type givenForm struct {
	seq int64
	s   string
}

// weighed is a term and its weight in a story.
type weighed struct {
	k termKey
	w float64
}

// topTerms' map and slice, reused from one call to the next: made anew,
// they were 3% of the bytes the pipeline allocated (a story's view is
// rebuilt as a quarter of its members change).
var (
	formsPool   scratch.Maps[termKey, givenForm]
	weighedPool scratch.Slices[weighed]
)

// topTerms returns readable forms of the story's heaviest words and names,
// one per form (case-insensitive), skipping numbers and keys.
func (a *Assigner) topTerms(s *story, n int) []string {
	// A term reads as its earliest member held writes it, whatever order
	// the members came back in after a restart.
	forms := formsPool.Get()
	defer formsPool.Put(forms)
	for _, m := range s.members {
		for _, f := range m.forms {
			if cur, ok := forms[f.k]; !ok || m.seq < cur.seq {
				forms[f.k] = givenForm{m.seq, m.formOf(f)}
			}
		}
	}
	kp := weighedPool.Get()
	defer weighedPool.Put(kp)
	ks := *kp
	for k := range forms {
		ks = append(ks, weighed{k, s.sum.get(k)})
	}
	*kp = ks
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].w != ks[j].w {
			return ks[i].w > ks[j].w
		}
		return ks[i].k < ks[j].k
	})
	var out []string
	seen := map[string]bool{}
	for _, e := range ks {
		sf := forms[e.k].s
		r, _ := utf8.DecodeRuneInString(sf)
		if !unicode.IsLetter(r) || seen[strings.ToLower(sf)] {
			continue
		}
		seen[strings.ToLower(sf)] = true
		// A copy: a slice would keep its member's forms alive with the
		// story's summary after the member has gone.
		out = append(out, strings.Clone(sf))
		if len(out) == n {
			break
		}
	}
	return out
}
