package digest

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/text"
)

// Sentence is one sentence of the summary, quoted from an article.
type Sentence struct {
	Text       string `json:"text"`
	Article    int64  `json:"article"`
	Start, End int    `json:"-"` // byte offsets in the article's text
	Offset     int    `json:"offset"`
	Lang       string `json:"lang"`
}

// Tunables of the summary.
const (
	// minSentenceWords and maxSentenceWords bound a summary sentence: a
	// shorter one is a caption or a dateline, a longer one a run-on
	// paragraph the scraper glued.
	minSentenceWords = 8
	maxSentenceWords = 60
	// leadBonus favours an article's first sentences, where news writing
	// puts the event: 1 + leadBonus/(position+1).
	leadBonus = 0.5
	// redundancy is the MMR weight against sentences like those already
	// chosen: 0 ignores repetition, 1 cares only for novelty.
	redundancy = 0.6
	// sentencesPerArticle bounds what the summary takes from one article,
	// so that it cites the story's outlets, not one of them.
	sentencesPerArticle = 2
	// leadSentences bounds the sentences of an article considered: news
	// puts the event first, and analysing every sentence of every article
	// cost more than all the rest of a digest.
	leadSentences = 8
)

type candidate struct {
	s      Sentence
	vec    text.Vector
	score  float64
	source int64
}

// summarize picks n sentences that say what the story's articles say most
// (closest to the story's centroid), early in their articles, unlike each
// other, in the language most of the story is in (English when it is
// there: the language most readers share), in the order of the articles.
// It writes nothing: every sentence is an article's, cited.
func summarize(arts []*article.Article, n int) []Sentence {
	var mains []*article.Article
	for _, a := range arts {
		if !a.Related && a.DuplicateOf == 0 && a.Text != "" {
			mains = append(mains, a)
		}
	}
	if len(mains) == 0 {
		return nil
	}
	if len(mains) == 1 {
		n = min(n, 3)
	}
	lang := summaryLang(mains)
	var cands []candidate
	centroid := map[string]float64{}
	for _, a := range mains {
		if a.Lang != lang {
			continue
		}
		for i, s := range sentences(a.Text) {
			if i >= leadSentences {
				break
			}
			words := len(strings.Fields(a.Text[s[0]:s[1]]))
			if words < minSentenceWords || words > maxSentenceWords {
				continue
			}
			v := text.Analyze(a.Lang, "", a.Text[s[0]:s[1]])
			vec := (*text.Model)(nil).Vector(v, text.DefaultWeights)
			for _, e := range vec {
				centroid[e.Key] += e.W
			}
			cands = append(cands, candidate{s: Sentence{Text: a.Text[s[0]:s[1]], Article: a.ID, Start: s[0], End: s[1],
				Offset: s[0], Lang: a.Lang}, vec: vec, score: 1 + leadBonus/float64(i+1), source: a.ID})
		}
	}
	cv := make(text.Vector, 0, len(centroid))
	for k, w := range centroid {
		cv = append(cv, text.Entry{Key: k, W: w})
	}
	slices.SortFunc(cv, func(a, b text.Entry) int { return strings.Compare(a.Key, b.Key) })
	cv = cv.Normalize()
	for i := range cands {
		cands[i].score *= text.Dot(cands[i].vec, cv)
	}
	// Maximal marginal relevance: each pick is relevant and unlike those
	// already picked.
	var picked []candidate
	used := map[int64]int{}
	for len(picked) < n {
		best, bestScore := -1, math.Inf(-1)
		for i, c := range cands {
			if c.score < 0 || used[c.source] >= sentencesPerArticle {
				continue
			}
			sim := 0.0
			for _, p := range picked {
				sim = math.Max(sim, text.Dot(c.vec, p.vec))
			}
			if s := (1-redundancy)*c.score - redundancy*sim; s > bestScore {
				best, bestScore = i, s
			}
		}
		if best < 0 {
			break
		}
		picked = append(picked, cands[best])
		used[cands[best].source]++
		cands[best].score = -1
	}
	order := map[int64]int{}
	for i, a := range mains {
		order[a.ID] = i
	}
	slices.SortFunc(picked, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(order[a.source], order[b.source]), cmp.Compare(a.s.Start, b.s.Start))
	})
	out := make([]Sentence, len(picked))
	for i, p := range picked {
		out[i] = p.s
	}
	return out
}

// summaryLang is English when a story has English articles, else its most
// common language.
func summaryLang(arts []*article.Article) string {
	count := map[string]int{}
	for _, a := range arts {
		count[a.Lang]++
	}
	if count["en"] > 0 {
		return "en"
	}
	best := ""
	for l, n := range count {
		if n > count[best] || n == count[best] && l < best {
			best = l
		}
	}
	return best
}

// sentences splits text into sentences: byte ranges, trimmed. A sentence
// ends at . ! ? (and their CJK and Arabic forms) before a space and a
// capital, a quotation mark or a line end, or at a blank line.
func sentences(s string) [][2]int {
	var out [][2]int
	start := 0
	emit := func(end int) {
		a, b := start, end
		for a < b && unicode.IsSpace(rune(s[a])) {
			a++
		}
		for b > a && unicode.IsSpace(rune(s[b-1])) {
			b--
		}
		if b > a {
			out = append(out, [2]int{a, b})
		}
		start = end
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n':
			emit(i)
		case '.', '!', '?', '。', '！', '？', '؟':
			j := i + n
			for j < len(s) && strings.ContainsRune("\"'”’»)", rune(s[j])) {
				j++
			}
			if r == '.' && abbreviation(s[start:i]) {
				break
			}
			if j == len(s) || s[j] == ' ' || s[j] == '\n' || r != '.' {
				emit(j)
				i = j
				continue
			}
		}
		i += n
	}
	emit(len(s))
	return out
}

// abbreviation reports a dot after a title or an initial (Mr. Smith, U.S.
// officials, J. Doe), which ends no sentence.
func abbreviation(before string) bool {
	f := strings.Fields(before)
	if len(f) == 0 {
		return false
	}
	w := f[len(f)-1]
	if utf8.RuneCountInString(w) == 1 {
		return true
	}
	switch strings.ToLower(w) {
	case "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "st", "no", "vs", "etc", "inc", "corp", "jr", "sr", "u.s", "u.k", "u.n":
		return true
	}
	return false
}
