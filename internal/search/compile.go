package search

import (
	"slices"
	"strings"

	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

// stemLangs are the languages internal/text stems (Snowball, or prefix
// truncation): those whose stemmed column differs from the words as
// written. Every other language's is the words themselves, so one
// condition serves them all. TestStemLangs keeps the list in step with
// internal/text.
var stemLangs = []string{
	"ar", "da", "de", "en", "es", "fi", "fr", "ga", "hu", "it", "nb", "nl", "no", "pt", "ro", "ru", "sv", "ta", "tr", // Snowball
	"bg", "cs", "et", "hr", "id", "lt", "lv", "ms", "pl", "sk", "sl", "sr", "uk", // prefix truncation
}

// compile turns a query's full-text expression into the store's
// conditions: one per group of languages in which its words have the same
// stems. With langs (a lang: filter) only those languages are grouped;
// otherwise the languages of stemLangs are, and one more condition, with
// the words as written, serves every other language. notLangs are left
// out. It returns nil for a nil expression, and ok false when no language
// is left to search.
func compile(expr Node, langs, notLangs []string) (ms []store.SearchMatch, ok bool) {
	if expr == nil {
		return nil, true
	}
	filtered := len(langs) > 0
	cands := langs
	if !filtered {
		cands = stemLangs
	}
	cands = slices.DeleteFunc(slices.Clone(cands), func(l string) bool { return slices.Contains(notLangs, l) })
	if filtered && len(cands) == 0 {
		return nil, false
	}
	terms := wordsOf(expr)
	key := func(lang string) string {
		var b strings.Builder
		for _, w := range terms {
			b.WriteString(stemmedForm(lang, w))
			b.WriteByte(0)
		}
		return b.String()
	}
	asWritten := key("")
	type group struct {
		lang  string // one of them, to render with
		langs []string
	}
	var (
		groups []*group
		byKey  = map[string]*group{}
	)
	for _, l := range cands {
		k := key(l)
		if !filtered && k == asWritten {
			continue // the condition for every other language serves it
		}
		g := byKey[k]
		if g == nil {
			g = &group{lang: l}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.langs = append(g.langs, l)
	}
	if !filtered {
		var listed []string
		for _, g := range groups {
			listed = append(listed, g.langs...)
		}
		ms = append(ms, match(expr, "", listed, true))
	}
	for _, g := range groups {
		ms = append(ms, match(expr, g.lang, g.langs, false))
	}
	return ms, true
}

// match renders expr for the articles of langs (or all but langs, with
// others), whose stemmed column lang's stemmer wrote.
func match(expr Node, lang string, langs []string, others bool) store.SearchMatch {
	m := store.SearchMatch{Langs: langs, Others: others}
	if pos, neg := split(expr); len(pos) == 0 {
		m.Exclude = render(&Or{Nodes: neg}, lang)
	} else {
		m.Expr = render(expr, lang)
	}
	return m
}

// render writes n as an FTS5 expression. Every user's word is an FTS5
// string, so nothing typed can be read as FTS5 syntax; the operators and
// column filters are the only syntax, and all come from here.
func render(n Node, lang string) string {
	switch v := n.(type) {
	case *Word:
		raw := ftsString(v.Text)
		if v.Prefix {
			raw += " *"
		}
		st := stemmedForm(lang, v)
		if st == "" || st == stemmedForm("", v) {
			// The stemmed column holds the words as written: one string
			// matches all three columns.
			return raw
		}
		if v.Prefix {
			st += " *"
		}
		return "({title text} : " + raw + " OR stemmed : " + st + ")"
	case *Phrase:
		return "{title text} : " + ftsString(v.Text)
	case *And:
		pos, neg := split(v)
		s := "(" + renderAll(pos, " AND ", lang) + ")"
		if len(neg) > 0 {
			s = "(" + s + " NOT (" + renderAll(neg, " OR ", lang) + "))"
		}
		return s
	case *Or:
		return "(" + renderAll(v.Nodes, " OR ", lang) + ")"
	case *Not:
		// check() allows a negation only beside something positive, where
		// And renders it; alone, a Not is its node excluded by the caller.
		return render(v.Node, lang)
	}
	return ""
}

func renderAll(ns []Node, sep, lang string) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = render(n, lang)
	}
	return strings.Join(parts, sep)
}

// stemmedForm is how the stemmed column of an article in lang writes w:
// its stems (text.Stemmed) as a quoted FTS5 string, or for a prefix, the
// prefix lower-cased (and folded as the Arabic stemmer folds). "" for a
// language without stemming is the words as written.
func stemmedForm(lang string, w *Word) string {
	if w.Prefix {
		p := strings.ToLower(w.Text)
		if lang == "ar" {
			p = text.NormalizeArabic(p)
		}
		return ftsString(p)
	}
	s := text.Stemmed(lang, w.Text)
	if s == "" {
		return ""
	}
	return ftsString(s)
}

// ftsString quotes s as an FTS5 string: inside, only a doubled quote is
// special, and the tokenizer reads the rest as words.
func ftsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// wordsOf returns the bare words of an expression (not phrases), in order.
func wordsOf(n Node) []*Word {
	var out []*Word
	var walk func(Node)
	walk = func(n Node) {
		switch v := n.(type) {
		case *Word:
			out = append(out, v)
		case *Not:
			walk(v.Node)
		case *And:
			for _, c := range v.Nodes {
				walk(c)
			}
		case *Or:
			for _, c := range v.Nodes {
				walk(c)
			}
		}
	}
	walk(n)
	return out
}

// highlights returns the terms the snippet marks: the words and phrases'
// words an article is found by, not those it is found without.
func highlights(n Node) []string {
	var out []string
	var walk func(Node)
	walk = func(n Node) {
		switch v := n.(type) {
		case *Word:
			out = append(out, v.String())
		case *Phrase:
			out = append(out, strings.Fields(v.Text)...)
		case *And:
			for _, c := range v.Nodes {
				walk(c)
			}
		case *Or:
			for _, c := range v.Nodes {
				walk(c)
			}
		}
	}
	walk(n)
	return out
}
