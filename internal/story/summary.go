package story

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// summaryTerms is how many top terms a Summary lists.
const summaryTerms = 10

// Summary describes active story id; ok is false when the story is not
// active (expired, merged away or never seen).
func (a *Assigner) Summary(id int64) (Summary, bool) {
	s := a.stories[id]
	if s == nil || len(s.members) == 0 {
		return Summary{}, false
	}
	sum := Summary{ID: id, FirstSeen: s.first, LastSeen: s.last, Articles: len(s.members), Titles: map[string]string{}}
	ms := append([]*member(nil), s.members...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].seq < ms[j].seq })
	outlets := map[string]bool{}
	bestDot := -1.0
	for _, m := range ms {
		if m.title != "" {
			if _, ok := sum.Titles[m.lang]; !ok {
				sum.Titles[m.lang] = m.title
			}
			// The headline is the title of the most central article,
			// preferring English, the language most readers share.
			d := centroidCos(m.vec, s.sum, s.norm2)
			if m.lang == "en" {
				d += 1
			}
			if d > bestDot {
				bestDot, sum.Headline = d, m.title
			}
		}
		if m.source != "" && !outlets[m.source] {
			outlets[m.source] = true
			sum.Outlets = append(sum.Outlets, m.source)
		}
	}
	if sum.Headline == "" {
		sum.Headline = strings.Join(a.topTerms(s, 5), " ")
	}
	for l := range s.langs {
		if l != "" {
			sum.Langs = append(sum.Langs, l)
		}
	}
	sort.Strings(sum.Langs)
	sort.Strings(sum.Outlets)
	sum.TopTerms = a.topTerms(s, summaryTerms)
	return sum, true
}

// topTerms returns readable forms of the story's heaviest words and names,
// one per form (case-insensitive), skipping numbers and keys.
func (a *Assigner) topTerms(s *story, n int) []string {
	type kw struct {
		k uint64
		w float64
	}
	var ks []kw
	for k := range s.surface {
		ks = append(ks, kw{k, s.sum[k]})
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].w != ks[j].w {
			return ks[i].w > ks[j].w
		}
		return ks[i].k < ks[j].k
	})
	var out []string
	seen := map[string]bool{}
	for _, e := range ks {
		sf := s.surface[e.k]
		r, _ := utf8.DecodeRuneInString(sf)
		if !unicode.IsLetter(r) || seen[strings.ToLower(sf)] {
			continue
		}
		seen[strings.ToLower(sf)] = true
		out = append(out, sf)
		if len(out) == n {
			break
		}
	}
	return out
}
