package text

import "strings"

// Stemmed returns s as the space-separated stems of its words, the form the
// full-text index keeps beside the raw text so that a query stemmed the
// same way matches every inflection, in SQLite and PostgreSQL alike.
// Numbers are kept; CJK text is kept as character bigrams.
func Stemmed(lang, s string) string {
	st := NewStemmer(lang)
	var b strings.Builder
	b.Grow(len(s)) // about as long as s: stems are shorter, CJK bigrams longer
	toks := tokenPool.Get()
	defer tokenPool.Put(toks)
	*toks = tokenize(*toks, s, nil)
	for _, t := range *toks {
		w := t.Text
		if t.Kind == KindWord {
			w = st.Stem(w)
		}
		if w == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}
