package postgres

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Full-text search reads the expressions store.SearchMatch holds: FTS5's
// query syntax, as the SQLite store's index takes it. The index here is a
// tsvector the writer builds (article.fts), its words cut and folded as
// FTS5's unicode61 tokenizer with remove_diacritics 2 cuts and folds them,
// so that a query finds on PostgreSQL what it finds on SQLite: each
// column's words carry a weight (title A, text B, stemmed C), a column
// filter is a weight restriction, a phrase is words at consecutive
// positions. Stemming is the stemmed column's, written by Storyline's own
// analyser (text.Stemmed) as on SQLite: PostgreSQL's text search
// configurations would stem differently, and search.compile writes the
// stems it asks for.

// Weights of the columns in the tsvector.
const (
	weightTitle   = 'A'
	weightText    = 'B'
	weightStemmed = 'C'
)

// Limits of what one article's tsvector holds, PostgreSQL's own: a
// lexeme of at most 2047 bytes, positions up to 16383 (later words share
// the last; a phrase there cannot match), 256 positions a lexeme, a
// vector under 1 MB. ftsMaxBytes leaves room below the last for the
// encoding's overhead; past it, an article's later words go unindexed.
const (
	ftsMaxLexeme    = 2047
	ftsMaxPosition  = 16383
	ftsMaxPositions = 256
	ftsMaxBytes     = 900_000
)

// ftsTokens cuts s into words as FTS5's unicode61 tokenizer does with
// remove_diacritics 2: runs of letters, numbers and private-use
// characters (combining diacritics continue a word), lower-cased, Latin
// letters without their diacritics. Go's Unicode tables stand in for
// SQLite's (Unicode 6.1), so characters assigned since may differ.
func ftsTokens(s string) []string {
	var (
		out []string
		b   strings.Builder
	)
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			switch {
			case r >= 'A' && r <= 'Z':
				b.WriteRune(r + 'a' - 'A')
			case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				b.WriteRune(r)
			default:
				flush()
			}
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r):
			b.WriteString(foldRune(r))
		case isDiacritic(r) && b.Len() > 0:
			// Part of the word, and removed from it.
		default:
			flush()
		}
	}
	flush()
	return out
}

// isDiacritic reports the combining marks FTS5 takes as part of a word.
func isDiacritic(r rune) bool { return r >= 0x300 && r <= 0x36f }

// foldRune lower-cases r and, for a Latin letter with diacritics (one
// whose decomposition is an ASCII letter and combining diacritics),
// returns the letter alone.
func foldRune(r rune) string {
	r = fold(r)
	if r < 0xc0 || r > 0x24f && (r < 0x1e00 || r > 0x1eff) {
		return string(r)
	}
	d := norm.NFD.String(string(r))
	base, size := utf8.DecodeRuneInString(d)
	if base >= utf8.RuneSelf || !unicode.IsLetter(base) {
		return string(r)
	}
	for _, m := range d[size:] {
		if !isDiacritic(m) {
			return string(r)
		}
	}
	return string(unicode.ToLower(base))
}

// fold is simple case folding, as FTS5's: the lower case of the upper
// case (ς, Σ and σ fold to σ), but for dotless ı, which has no fold.
func fold(r rune) rune {
	if r == 'ı' {
		return r
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

// vectorBuilder writes a tsvector literal, column after column.
type vectorBuilder struct {
	pos   int                 // the last position given
	at    map[string][]string // lexeme → its positions with weights ("12A")
	order []string
	size  int
}

// add adds the words of one column; a gap before it keeps a phrase from
// matching across columns.
func (v *vectorBuilder) add(text string, weight byte) {
	if v.at == nil {
		v.at = map[string][]string{}
	}
	v.pos++ // the gap
	for _, w := range ftsTokens(text) {
		if len(w) > ftsMaxLexeme || v.size > ftsMaxBytes {
			continue
		}
		v.pos = min(v.pos+1, ftsMaxPosition)
		ps, ok := v.at[w]
		if !ok {
			v.order = append(v.order, w)
			v.size += len(w) + 4
		}
		if len(ps) >= ftsMaxPositions {
			continue
		}
		p := strconv.Itoa(v.pos) + string(weight)
		if len(ps) > 0 && ps[len(ps)-1] == p {
			continue // clamped to the last position
		}
		v.at[w] = append(ps, p)
		v.size += len(p) + 1
	}
}

// String returns the tsvector's text form.
func (v *vectorBuilder) String() string {
	var b strings.Builder
	for i, w := range v.order {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeLexeme(&b, w)
		b.WriteByte(':')
		b.WriteString(strings.Join(v.at[w], ","))
	}
	return b.String()
}

// quoteLexeme quotes a word for tsvector or tsquery input.
func quoteLexeme(w string) string {
	var b strings.Builder
	b.Grow(len(w) + 2)
	writeLexeme(&b, w)
	return b.String()
}

// writeLexeme writes w quoted, a backslash and a quote doubled. It runs
// for every word of every article stored, so it writes in place rather
// than through a strings.Replacer.
func writeLexeme(b *strings.Builder, w string) {
	b.WriteByte('\'')
	for i := 0; i < len(w); i++ {
		if c := w[i]; c == '\\' || c == '\'' {
			b.WriteByte(c)
		}
		b.WriteByte(w[i])
	}
	b.WriteByte('\'')
}

// articleVector is the tsvector of an article's title and text (stemmed
// follows, added by SetStemmed).
func articleVector(title, text string) string {
	var v vectorBuilder
	v.add(title, weightTitle)
	v.add(text, weightText)
	return v.String()
}

// stemmedVector is the tsvector of the stemmed column alone, its
// positions starting after a gap, so that concatenated (||) after the
// others' it keeps phrases from crossing into it.
func stemmedVector(stemmed string) string {
	var v vectorBuilder
	v.add(stemmed, weightStemmed)
	return v.String()
}

// A query node: a tsquery, or a constant when one side of it cannot match
// (a phrase with no words, a word too long to be indexed).
type ftsNode struct {
	query string // "" for a constant
	value bool   // the constant
}

var ftsFalse = ftsNode{}

func ftsAnd(a, b ftsNode) ftsNode {
	switch {
	case a.query == "" && !a.value || b.query == "" && !b.value:
		return ftsFalse
	case a.query == "":
		return b
	case b.query == "":
		return a
	}
	return ftsNode{query: "(" + a.query + " & " + b.query + ")"}
}

func ftsOr(a, b ftsNode) ftsNode {
	switch {
	case a.query == "" && a.value || b.query == "" && b.value:
		return ftsNode{value: true}
	case a.query == "":
		return b
	case b.query == "":
		return a
	}
	return ftsNode{query: "(" + a.query + " | " + b.query + ")"}
}

// ftsNot is a NOT b.
func ftsNot(a, b ftsNode) ftsNode {
	switch {
	case b.query == "" && !b.value:
		return a
	case b.query == "" || a.query == "" && !a.value:
		return ftsFalse
	case a.query == "":
		// Everything but b: a tsquery cannot be a negation alone and
		// still use the index, but it is a valid one.
		return ftsNode{query: "!" + b.query}
	}
	return ftsNode{query: "(" + a.query + " & !" + b.query + ")"}
}

// errFTS marks an expression that is not FTS5 query syntax, or uses what
// this store does not read (NEAR, ^, +, column numbers).
var errFTS = errors.New("full-text query syntax")

// ftsColumns are the weights of the columns an expression may name.
var ftsColumns = map[string]string{"title": "A", "text": "B", "stemmed": "C"}

// ftsParser reads FTS5 query syntax: phrases (strings or bare words, a
// trailing * for a prefix), column filters (col : x, {col col} : x, -col
// : x), AND, OR, NOT (FTS5's precedence: NOT binds tightest, then AND,
// implicit between phrases, then OR), parentheses.
type ftsParser struct {
	s   string
	pos int
}

// ftsQuery translates an FTS5 expression into a tsquery (its text form),
// or a constant for one that can match everything or nothing.
func ftsQuery(expr string) (ftsNode, error) {
	p := &ftsParser{s: expr}
	n, err := p.or("ABC")
	if err != nil {
		return ftsFalse, err
	}
	if t := p.peek(); t.kind != tokEnd {
		return ftsFalse, fmt.Errorf("%w: unexpected %q at %d", errFTS, t.text, t.at)
	}
	return n, nil
}

type tokKind int

const (
	tokEnd tokKind = iota
	tokString
	tokWord
	tokLParen
	tokRParen
	tokLBrace
	tokRBrace
	tokColon
	tokStar
	tokMinus
	tokOther
)

type tok struct {
	kind tokKind
	text string // a string's contents, a word as written
	at   int
}

// next reads the next token and moves past it.
func (p *ftsParser) next() (tok, error) {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
	at := p.pos
	if p.pos >= len(p.s) {
		return tok{kind: tokEnd, at: at}, nil
	}
	c := p.s[p.pos]
	single := map[byte]tokKind{'(': tokLParen, ')': tokRParen, '{': tokLBrace, '}': tokRBrace, ':': tokColon, '*': tokStar, '-': tokMinus}
	if k, ok := single[c]; ok {
		p.pos++
		return tok{kind: k, text: string(c), at: at}, nil
	}
	if c == '"' {
		var b strings.Builder
		for p.pos++; ; p.pos++ {
			if p.pos >= len(p.s) {
				return tok{}, fmt.Errorf("%w: unterminated string at %d", errFTS, at)
			}
			if p.s[p.pos] == '"' {
				if p.pos+1 < len(p.s) && p.s[p.pos+1] == '"' {
					b.WriteByte('"')
					p.pos++
					continue
				}
				p.pos++
				return tok{kind: tokString, text: b.String(), at: at}, nil
			}
			b.WriteByte(p.s[p.pos])
		}
	}
	// A bare word: FTS5's barewords are letters, digits, _ and anything
	// beyond ASCII.
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c >= 0x80 || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		break
	}
	if p.pos == start {
		p.pos++
		return tok{kind: tokOther, text: string(c), at: at}, nil
	}
	return tok{kind: tokWord, text: p.s[start:p.pos], at: at}, nil
}

func (p *ftsParser) peek() tok {
	save := p.pos
	t, err := p.next()
	p.pos = save
	if err != nil {
		return tok{kind: tokOther, text: p.s[save:], at: save}
	}
	return t
}

func (p *ftsParser) keyword(t tok, kw string) bool { return t.kind == tokWord && t.text == kw }

// or: and ("OR" and)*
func (p *ftsParser) or(weights string) (ftsNode, error) {
	n, err := p.and(weights)
	for err == nil && p.keyword(p.peek(), "OR") {
		p.next()
		var m ftsNode
		if m, err = p.and(weights); err == nil {
			n = ftsOr(n, m)
		}
	}
	return n, err
}

// and: not (["AND"] not)*
func (p *ftsParser) and(weights string) (ftsNode, error) {
	n, err := p.not(weights)
	for err == nil {
		t := p.peek()
		switch {
		case p.keyword(t, "AND"):
			p.next()
		case p.startsPrimary(t):
		default:
			return n, nil
		}
		var m ftsNode
		if m, err = p.not(weights); err == nil {
			n = ftsAnd(n, m)
		}
	}
	return n, err
}

// not: primary ("NOT" primary)*
func (p *ftsParser) not(weights string) (ftsNode, error) {
	n, err := p.primary(weights)
	for err == nil && p.keyword(p.peek(), "NOT") {
		p.next()
		var m ftsNode
		if m, err = p.primary(weights); err == nil {
			n = ftsNot(n, m)
		}
	}
	return n, err
}

func (p *ftsParser) startsPrimary(t tok) bool {
	switch t.kind {
	case tokString, tokLParen, tokLBrace, tokMinus:
		return true
	case tokWord:
		return t.text != "AND" && t.text != "OR" && t.text != "NOT" && t.text != "NEAR"
	}
	return false
}

func (p *ftsParser) primary(weights string) (ftsNode, error) {
	t, err := p.next()
	if err != nil {
		return ftsFalse, err
	}
	switch {
	case t.kind == tokLParen:
		n, err := p.or(weights)
		if err != nil {
			return ftsFalse, err
		}
		if c, _ := p.next(); c.kind != tokRParen {
			return ftsFalse, fmt.Errorf("%w: ( at %d not closed", errFTS, t.at)
		}
		return n, nil
	case t.kind == tokLBrace || t.kind == tokMinus:
		// {col col} : x names the columns; -col : x or -{…} : x all but them.
		var cols []string
		if t.kind == tokMinus {
			c, err := p.next()
			if err != nil {
				return ftsFalse, err
			}
			if c.kind == tokWord {
				cols = []string{c.text}
			} else if c.kind != tokLBrace {
				return ftsFalse, fmt.Errorf("%w: - at %d names no column", errFTS, t.at)
			}
		}
		if cols == nil {
			for {
				c, err := p.next()
				if err != nil {
					return ftsFalse, err
				}
				if c.kind == tokRBrace {
					break
				}
				if c.kind != tokWord {
					return ftsFalse, fmt.Errorf("%w: %q at %d is no column", errFTS, c.text, c.at)
				}
				cols = append(cols, c.text)
			}
		}
		w, err := columnWeights(cols, t.kind == tokMinus)
		if err != nil {
			return ftsFalse, err
		}
		return p.filtered(weights, w)
	case t.kind == tokWord && !p.startsPrimaryWord(t):
		return ftsFalse, fmt.Errorf("%w: %s at %d needs a phrase", errFTS, t.text, t.at)
	case t.kind == tokWord && p.peek().kind == tokColon:
		w, err := columnWeights([]string{t.text}, false)
		if err != nil {
			return ftsFalse, err
		}
		return p.filtered(weights, w)
	case t.kind == tokWord || t.kind == tokString:
		prefix := false
		if p.peek().kind == tokStar {
			p.next()
			prefix = true
		}
		return phrase(t.text, prefix, weights), nil
	}
	return ftsFalse, fmt.Errorf("%w: unexpected %q at %d", errFTS, t.text, t.at)
}

func (p *ftsParser) startsPrimaryWord(t tok) bool {
	return t.text != "AND" && t.text != "OR" && t.text != "NOT" && t.text != "NEAR"
}

// filtered reads ": x" after a column filter, x restricted to the
// columns both it and the enclosing filters allow.
func (p *ftsParser) filtered(outer, cols string) (ftsNode, error) {
	if c, err := p.next(); err != nil || c.kind != tokColon {
		return ftsFalse, fmt.Errorf("%w: a column filter without :", errFTS)
	}
	var both []byte
	for i := range len(cols) {
		if strings.IndexByte(outer, cols[i]) >= 0 {
			both = append(both, cols[i])
		}
	}
	if len(both) == 0 {
		// Nested filters that leave no column: nothing matches.
		if _, err := p.primary(outer); err != nil {
			return ftsFalse, err
		}
		return ftsFalse, nil
	}
	return p.primary(string(both))
}

// columnWeights returns the weights of the columns named (or, with not,
// of the others), in order.
func columnWeights(cols []string, not bool) (string, error) {
	in := map[string]bool{}
	for _, c := range cols {
		if _, ok := ftsColumns[c]; !ok {
			return "", fmt.Errorf("%w: no such column: %s", errFTS, c)
		}
		in[c] = true
	}
	var w []string
	for c, weight := range ftsColumns {
		if in[c] != not {
			w = append(w, weight)
		}
	}
	slices.Sort(w)
	return strings.Join(w, ""), nil
}

// phrase is the tsquery of a phrase: its words at consecutive positions in
// the columns of weights, the last a prefix with prefix.
func phrase(s string, prefix bool, weights string) ftsNode {
	words := ftsTokens(s)
	if len(words) == 0 {
		return ftsFalse
	}
	parts := make([]string, len(words))
	for i, w := range words {
		if len(w) > ftsMaxLexeme {
			return ftsFalse // never indexed
		}
		label := ":" + weights
		if prefix && i == len(words)-1 {
			label = ":*" + weights
		}
		parts[i] = quoteLexeme(w) + label
	}
	if len(parts) == 1 {
		return ftsNode{query: parts[0]}
	}
	return ftsNode{query: "(" + strings.Join(parts, " <-> ") + ")"}
}
