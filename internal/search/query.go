// Package search reads the queries people type into the search box and runs
// them against the store: words, phrases and boolean operators as GDELT,
// Newscatcher and FreshRSS users know them, and filters on language,
// outlet, date and entity.
//
// Syntax (operators in capitals; lower-case and, or, not are words):
//
//	flood coast             both words (AND is implied)
//	"sea wall"              the phrase, as written, in the title or text
//	flood AND coast         the same as flood coast
//	flood OR storm          either
//	NOT rain, -rain         without the word; -"sea wall" without the phrase
//	(flood OR storm) -rain  parentheses group
//	flood*                  words starting with flood (3 letters or more before the *)
//	lang:ar                 in Arabic; lang:ar lang:de or lang:ar,de: in either; -lang:en: not in English
//	source:euronews         from an outlet whose name contains euronews, ignoring case; repeated: any; -source:x
//	after:2025-04-01        on or after that day (UTC), or an RFC 3339 time
//	before:2025-04-30       before that day (UTC): the day itself is not included
//	entity:"Mark Rutte"     naming that entity under any of its spellings, in any script; repeated:
//	                        all of them; -entity:x: not naming it
//	sort:recent             newest first; sort:relevance, the default when there are words
//
// Dates are the article's time: published, else fetched, else stored. An
// entity's name is looked up as any spelling of it (entity.Norm: case and
// spacing aside), so entity:Rutte finds the articles that write روته when
// both spellings are one entity.
//
// A word matches itself in the title and text and, in each language, the
// words that share its stem there: "floods" finds "flooding" in English
// articles, and an Arabic word finds its spellings with or without hamza,
// ى for ي, ة for ه and harakat. Each article is matched with its own
// language's stems only, because another language's stemmer turns English
// words into English stems of other words ("within" into "with" in
// Hungarian, "period" into "per"). Phrases match as written.
//
// Filters apply to the whole query wherever they stand outside parentheses
// (flood OR storm lang:en finds either word in English); inside
// parentheses they are an error. A word with a colon whose prefix is not a
// filter ("http://x", "foo:bar") is read as words, and the query's Notes
// say so.
package search

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/service"
)

// Limits on a query, so that no query, however written, costs much to
// parse or to run.
const (
	// MaxQueryLen is the longest query in bytes.
	MaxQueryLen = 1000
	// MaxTerms bounds the words, phrases and prefixes of one query: each
	// costs a lookup in the full-text index for every stem it has.
	MaxTerms = 24
	// MaxDepth bounds nested parentheses.
	MaxDepth = 8
	// MaxFilterValues bounds the values of one filter (lang:, source:).
	MaxFilterValues = 16
	// MaxEntities bounds the entity: filters, negated or not: each is a
	// lookup, and its entities a condition on every article.
	MaxEntities = 4
	// MaxEntityIDs bounds the entities one name stands for (the most
	// mentioned are kept).
	MaxEntityIDs = 16
	// MinPrefix is the fewest letters a prefix (flood*) needs: shorter
	// ones match too many words to be useful.
	MinPrefix = 3
)

// Orders of results.
const (
	SortRelevance = "relevance" // best BM25 first; the default when the query has words
	SortRecent    = "recent"    // newest first; the default for a query of filters only
)

// Query is a parsed query: a full-text expression and filters, all of
// which an article must pass.
type Query struct {
	// Expr is the full-text part, nil for a query of filters only.
	Expr Node
	// Langs and NotLangs are ISO 639 codes, lower case.
	Langs, NotLangs []string
	// Sources and NotSources are lower-case parts of outlet names.
	Sources, NotSources []string
	// After (inclusive) and Before (exclusive) bound the article's time:
	// published, else fetched, else stored. Zero: unbounded.
	After, Before time.Time
	// Entities are names, as typed, of entities an article must all
	// mention, under any of their spellings; NotEntities it must not.
	Entities, NotEntities []string
	// Sort is SortRelevance, SortRecent or "" for the default.
	Sort string
	// Notes say how parts of the query that might surprise were read.
	Notes []string
}

// Node is a node of a query's full-text expression: *Word, *Phrase, *And,
// *Or or *Not.
type Node interface {
	String() string
	node()
}

// Word is one bare word, matched with its stems.
type Word struct {
	Text   string // as typed
	Prefix bool   // flood*: any word starting with Text
}

// Phrase is a quoted phrase, matched as written.
type Phrase struct{ Text string }

// And holds when all its nodes do.
type And struct{ Nodes []Node }

// Or holds when any of its nodes does.
type Or struct{ Nodes []Node }

// Not holds when its node does not.
type Not struct{ Node Node }

func (*Word) node()   {}
func (*Phrase) node() {}
func (*And) node()    {}
func (*Or) node()     {}
func (*Not) node()    {}

func (w *Word) String() string {
	if w.Prefix {
		return w.Text + "*"
	}
	return w.Text
}

func (p *Phrase) String() string { return `"` + p.Text + `"` }

func (a *And) String() string { return join(a.Nodes, " ") }

func (o *Or) String() string { return join(o.Nodes, " OR ") }

func (n *Not) String() string { return "-" + wrap(n.Node) }

func join(ns []Node, sep string) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = wrap(n)
	}
	return strings.Join(parts, sep)
}

// wrap parenthesises compound nodes inside others.
func wrap(n Node) string {
	switch n.(type) {
	case *And, *Or:
		return "(" + n.String() + ")"
	}
	return n.String()
}

// badQuery returns an error wrapping service.ErrBadQuery with a message
// for people.
func badQuery(format string, args ...any) error {
	return fmt.Errorf("%w: %s", service.ErrBadQuery, fmt.Sprintf(format, args...))
}

// filters are the known field: prefixes, lower case.
var filters = map[string]bool{"lang": true, "source": true, "after": true, "before": true, "entity": true, "sort": true}

// Parse reads a query. A query that does not parse is an error wrapping
// service.ErrBadQuery whose message says what is wrong and where
// (positions count characters from 1).
func Parse(q string) (Query, error) {
	if len(q) > MaxQueryLen {
		return Query{}, badQuery("query too long: %d bytes, at most %d", len(q), MaxQueryLen)
	}
	// Control characters and broken UTF-8 mean nothing in a query; spaces
	// keep positions in messages where people see them.
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(q, " "))
	if strings.TrimSpace(q) == "" {
		return Query{}, badQuery("empty query: type words to search for, or filters like lang:ar")
	}
	toks, notes, err := lex(q)
	if err != nil {
		return Query{}, err
	}
	p := &parser{src: q, toks: toks}
	n, err := p.or(0)
	if err != nil {
		return Query{}, err
	}
	if t := p.peek(); t.kind != tEOF {
		// or() stops only at the end or at a ')' it did not open.
		return Query{}, badQuery("unmatched ')' at position %d", p.pos(t))
	}
	var out Query
	out.Notes = append(notes, p.notes...)
	if out.Expr, err = out.lift(p, n); err != nil {
		return Query{}, err
	}
	if out.Expr == nil && out.empty() {
		return Query{}, badQuery("nothing to search for: type words (letters or digits), or filters like lang:ar")
	}
	out.Expr = simplify(out.Expr)
	if err := out.check(); err != nil {
		return Query{}, err
	}
	return out, nil
}

// empty reports whether the query has no filter.
func (q *Query) empty() bool {
	return len(q.Langs)+len(q.NotLangs)+len(q.Sources)+len(q.NotSources)+len(q.Entities)+len(q.NotEntities) == 0 &&
		q.After.IsZero() && q.Before.IsZero()
}

// HasFilters reports whether the query narrows articles by anything other
// than words.
func (q *Query) HasFilters() bool { return !q.empty() }

// lift takes the filters outside parentheses out of the parsed expression
// into q, wherever they stand (flood OR storm lang:en: both words in
// English), and returns what remains; a filter inside parentheses is an
// error, since only the whole query can be filtered.
func (q *Query) lift(p *parser, n Node) (Node, error) {
	if f, neg := asFilter(n); f != nil {
		if f.depth > 0 {
			return nil, badQuery("%s:%s at position %d: filters cannot be inside parentheses; put them outside, where they apply to the whole query",
				f.name, f.value, p.pos(f.tok))
		}
		return nil, q.addFilter(p, f, neg)
	}
	var nodes []Node
	switch v := n.(type) {
	case *And:
		nodes = v.Nodes
	case *Or:
		nodes = v.Nodes
	case *Not:
		c, err := q.lift(p, v.Node)
		if err != nil || c == nil {
			return nil, err
		}
		return &Not{Node: c}, nil
	default:
		return n, nil
	}
	var rest []Node
	for _, c := range nodes {
		c, err := q.lift(p, c)
		if err != nil {
			return nil, err
		}
		if c != nil {
			rest = append(rest, c)
		}
	}
	// flood OR lang:ar is flood in Arabic: the filter leaves the OR.
	switch len(rest) {
	case 0:
		return nil, nil
	case 1:
		return rest[0], nil
	}
	if _, ok := n.(*Or); ok {
		return &Or{Nodes: rest}, nil
	}
	return &And{Nodes: rest}, nil
}

// filter is a field:value term before it is lifted out of the expression.
type filter struct {
	name, value string
	depth       int // of parentheses around it
	tok         token
}

func (*filter) node()            {}
func (f *filter) String() string { return f.name + ":" + f.value }

// asFilter returns the filter n is, directly or negated.
func asFilter(n Node) (*filter, bool) {
	neg := false
	for {
		switch v := n.(type) {
		case *filter:
			return v, neg
		case *Not:
			neg, n = !neg, v.Node
		default:
			return nil, false
		}
	}
}

// dateLayouts are the forms after: and before: take, as people write them.
var dateLayouts = []string{"2006-01-02", time.RFC3339Nano}

func (q *Query) addFilter(p *parser, f *filter, neg bool) error {
	v := strings.TrimSpace(f.value)
	if v == "" {
		return badQuery("%s: at position %d needs a value right after the colon, like %s", f.name, p.pos(f.tok), example[f.name])
	}
	switch f.name {
	case "lang":
		for _, l := range strings.Split(v, ",") {
			l = strings.ToLower(strings.TrimSpace(l))
			if !isLangCode(l) {
				return badQuery("lang: wants a language code like ar or en, got '%s'", l)
			}
			if neg {
				q.NotLangs = appendNew(q.NotLangs, l)
			} else {
				q.Langs = appendNew(q.Langs, l)
			}
		}
	case "source":
		if neg {
			q.NotSources = appendNew(q.NotSources, strings.ToLower(v))
		} else {
			q.Sources = appendNew(q.Sources, strings.ToLower(v))
		}
	case "entity":
		n := strings.Join(strings.Fields(v), " ")
		if neg {
			q.NotEntities = appendNew(q.NotEntities, n)
		} else {
			q.Entities = appendNew(q.Entities, n)
		}
	case "after", "before", "sort":
		if neg {
			return badQuery("%s: cannot be negated (at position %d)", f.name, p.pos(f.tok))
		}
		if f.name == "sort" {
			return q.setSort(v)
		}
		var t time.Time
		var err error
		for _, layout := range dateLayouts {
			if t, err = time.Parse(layout, v); err == nil {
				break
			}
		}
		if err != nil {
			return badQuery("%s: wants a date like 2025-04-01 (or a time like 2025-04-01T12:00:00Z), got '%s'", f.name, v)
		}
		dst := &q.After
		if f.name == "before" {
			dst = &q.Before
		}
		if !dst.IsZero() {
			return badQuery("%s: given twice", f.name)
		}
		*dst = t.UTC()
	}
	for _, n := range []int{len(q.Langs), len(q.NotLangs), len(q.Sources), len(q.NotSources)} {
		if n > MaxFilterValues {
			return badQuery("%s: given too often; at most %d values", f.name, MaxFilterValues)
		}
	}
	if len(q.Entities)+len(q.NotEntities) > MaxEntities {
		return badQuery("entity: given too often; at most %d", MaxEntities)
	}
	return nil
}

var example = map[string]string{"lang": "lang:ar", "source": "source:euronews", "after": "after:2025-04-01",
	"before": "before:2025-04-30", "entity": `entity:"Mark Rutte"`, "sort": "sort:recent"}

func (q *Query) setSort(v string) error {
	var s string
	switch strings.ToLower(v) {
	case "recent", "newest", "date":
		s = SortRecent
	case "relevance", "rank", "best":
		s = SortRelevance
	default:
		return badQuery("sort: wants recent or relevance, got '%s'", v)
	}
	if q.Sort != "" && q.Sort != s {
		return badQuery("sort: given twice")
	}
	q.Sort = s
	return nil
}

func isLangCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// check rejects what parses but cannot be searched for.
func (q *Query) check() error {
	if !q.After.IsZero() && !q.Before.IsZero() && !q.After.Before(q.Before) {
		return badQuery("after:%s is not before before:%s, so no article can match", day(q.After), day(q.Before))
	}
	if n := countTerms(q.Expr); n > MaxTerms {
		return badQuery("too many words: %d, at most %d", n, MaxTerms)
	}
	pos, neg := split(q.Expr)
	if len(pos) == 0 && len(neg) > 0 && q.empty() {
		return badQuery("a query cannot only exclude: add a word or a filter, like lang:en %s", q.Expr)
	}
	for _, n := range pos {
		if err := checkNode(n); err != nil {
			return err
		}
	}
	for _, n := range neg {
		if err := checkNode(n); err != nil {
			return err
		}
	}
	return nil
}

// split returns the top-level positive and negated nodes of an expression.
func split(n Node) (pos, neg []Node) {
	nodes := []Node{n}
	if a, ok := n.(*And); ok {
		nodes = a.Nodes
	}
	for _, c := range nodes {
		switch c := c.(type) {
		case nil:
		case *Not:
			neg = append(neg, c.Node)
		default:
			pos = append(pos, c)
		}
	}
	return pos, neg
}

// checkNode rejects negations the full-text index cannot express: "a OR
// NOT b" (everything but b, or a) and groups of negations alone.
func checkNode(n Node) error {
	switch v := n.(type) {
	case *And:
		pos, neg := split(v)
		if len(pos) == 0 {
			return badQuery("(%s) only excludes: put it beside a word, like flood %s", v, v)
		}
		for _, c := range append(pos, neg...) {
			if err := checkNode(c); err != nil {
				return err
			}
		}
	case *Or:
		for _, c := range v.Nodes {
			if _, ok := c.(*Not); ok {
				return badQuery("NOT cannot be one side of OR (%s): write the words to find on each side", v)
			}
			if err := checkNode(c); err != nil {
				return err
			}
		}
	case *Not:
		return checkNode(v.Node)
	}
	return nil
}

func countTerms(n Node) int {
	switch v := n.(type) {
	case *Word, *Phrase:
		return 1
	case *Not:
		return countTerms(v.Node)
	case *And:
		c := 0
		for _, x := range v.Nodes {
			c += countTerms(x)
		}
		return c
	case *Or:
		c := 0
		for _, x := range v.Nodes {
			c += countTerms(x)
		}
		return c
	}
	return 0
}

// simplify flattens nested ANDs and ORs, drops double negations and
// unwraps one-node groups.
func simplify(n Node) Node {
	switch v := n.(type) {
	case *Not:
		c := simplify(v.Node)
		if inner, ok := c.(*Not); ok {
			return inner.Node
		}
		return &Not{Node: c}
	case *And:
		var out []Node
		for _, c := range v.Nodes {
			c = simplify(c)
			if a, ok := c.(*And); ok {
				out = append(out, a.Nodes...)
			} else {
				out = append(out, c)
			}
		}
		if len(out) == 1 {
			return out[0]
		}
		return &And{Nodes: out}
	case *Or:
		var out []Node
		for _, c := range v.Nodes {
			c = simplify(c)
			if o, ok := c.(*Or); ok {
				out = append(out, o.Nodes...)
			} else {
				out = append(out, c)
			}
		}
		if len(out) == 1 {
			return out[0]
		}
		return &Or{Nodes: out}
	}
	return n
}

// String returns the query in canonical form: what Parse reads back the
// same.
func (q Query) String() string {
	var parts []string
	if q.Expr != nil {
		parts = append(parts, q.Expr.String())
	}
	for _, f := range []struct {
		name string
		vs   []string
		neg  bool
	}{{"lang", q.Langs, false}, {"lang", q.NotLangs, true}, {"source", q.Sources, false},
		{"source", q.NotSources, true}, {"entity", q.Entities, false}, {"entity", q.NotEntities, true}} {
		for _, v := range f.vs {
			s := f.name + ":" + quoteValue(v)
			if f.neg {
				s = "-" + s
			}
			parts = append(parts, s)
		}
	}
	if !q.After.IsZero() {
		parts = append(parts, "after:"+day(q.After))
	}
	if !q.Before.IsZero() {
		parts = append(parts, "before:"+day(q.Before))
	}
	if q.Sort != "" {
		parts = append(parts, "sort:"+q.Sort)
	}
	return strings.Join(parts, " ")
}

func quoteValue(v string) string {
	if strings.ContainsAny(v, `"()`) || strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		return `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return v
}

// day formats a filter time: the date alone at midnight UTC.
func day(t time.Time) string {
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}

// Token kinds of the lexer.
const (
	tEOF = iota
	tWord
	tPhrase
	tField
	tLParen
	tRParen
	tAnd
	tOr
	tNot // NOT or a leading -
)

type token struct {
	kind   int
	text   string // word or phrase text; a field's value
	field  string // a field's name
	prefix bool   // a word ending in * (flood*)
	raw    string // as typed
	off    int    // byte offset in the query
}

// lex splits a query into tokens. Its notes say which words with a colon
// were read as words.
func lex(q string) ([]token, []string, error) {
	var (
		toks  []token
		notes []string
	)
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '(':
			toks = append(toks, token{kind: tLParen, off: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tRParen, off: i})
			i++
		case r == '"':
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				return nil, nil, badQuery("unclosed quote at position %d", runePos(q, i))
			}
			toks = append(toks, token{kind: tPhrase, text: q[i+1 : i+1+end], raw: q[i : i+2+end], off: i})
			i += end + 2
		case r == '-' && i+1 < len(q) && startsTerm(q[i+1:]):
			toks = append(toks, token{kind: tNot, off: i})
			i++
		default:
			j := i
			for j < len(q) {
				r2, sz := utf8.DecodeRuneInString(q[j:])
				if unicode.IsSpace(r2) || r2 == '(' || r2 == ')' || r2 == '"' {
					break
				}
				j += sz
			}
			w := q[i:j]
			t := token{kind: tWord, text: w, raw: w, off: i}
			switch w {
			case "AND":
				t.kind = tAnd
			case "OR":
				t.kind = tOr
			case "NOT":
				t.kind = tNot
			default:
				if name, value, ok := strings.Cut(w, ":"); ok && isLetters(name) {
					if !filters[strings.ToLower(name)] {
						notes = append(notes, fmt.Sprintf("'%s:' is not a filter (filters: lang, source, after, before, entity, sort), so %s was read as words", name, w))
						break
					}
					t.kind, t.field, t.text = tField, strings.ToLower(name), value
					if value == "" && j < len(q) && q[j] == '"' {
						end := strings.IndexByte(q[j+1:], '"')
						if end < 0 {
							return nil, nil, badQuery("unclosed quote at position %d", runePos(q, j))
						}
						t.text = q[j+1 : j+1+end]
						j += end + 2
					}
					break
				}
				// A leading + (as some engines want for required words)
				// is dropped, unless what is left would read as an operator.
				if rest := strings.TrimLeft(w, "+"); rest != "AND" && rest != "OR" && rest != "NOT" {
					t.text = rest
				}
				if base, ok := strings.CutSuffix(t.text, "*"); ok && letters(base) >= MinPrefix {
					t.text, t.prefix = strings.TrimRight(base, "*"), true
				}
			}
			toks = append(toks, t)
			i = j
		}
	}
	return append(toks, token{kind: tEOF, off: len(q)}), notes, nil
}

// startsTerm reports whether s (what follows a '-') starts something a
// minus can negate, rather than a lone dash.
func startsTerm(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return !unicode.IsSpace(r) && r != ')' && r != '-'
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// letters counts the letters and digits of s: what the full-text index
// keeps of it.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

func runePos(q string, off int) int { return utf8.RuneCountInString(q[:off]) + 1 }

type parser struct {
	src   string
	toks  []token
	i     int
	notes []string
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) pos(t token) int { return runePos(p.src, t.off) }

var opName = map[int]string{tAnd: "AND", tOr: "OR", tNot: "NOT"}

// or parses terms joined by OR. A nil node with no error is a part of the
// query with nothing to search in it ("*", "-").
func (p *parser) or(depth int) (Node, error) {
	if t := p.peek(); t.kind == tOr || t.kind == tAnd {
		return nil, badQuery("%s at position %d needs a term before it", opName[t.kind], p.pos(t))
	}
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	nodes := []Node{first}
	for p.peek().kind == tOr {
		op := p.next()
		if !p.termNext() {
			return nil, badQuery("OR at position %d needs a term after it", p.pos(op))
		}
		n, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	nodes = slices.DeleteFunc(nodes, func(n Node) bool { return n == nil })
	switch len(nodes) {
	case 0:
		return nil, nil
	case 1:
		return nodes[0], nil
	}
	return &Or{Nodes: nodes}, nil
}

// termNext reports whether the next token can start a term.
func (p *parser) termNext() bool {
	switch p.peek().kind {
	case tWord, tPhrase, tField, tLParen, tNot:
		return true
	}
	return false
}

func (p *parser) and(depth int) (Node, error) {
	var nodes []Node
	for {
		t := p.peek()
		if t.kind == tAnd {
			p.next()
			if !p.termNext() {
				return nil, badQuery("AND at position %d needs a term after it", p.pos(t))
			}
			continue
		}
		if !p.termNext() {
			break
		}
		n, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		if n != nil {
			nodes = append(nodes, n)
		}
	}
	switch len(nodes) {
	case 0:
		return nil, nil
	case 1:
		return nodes[0], nil
	}
	return &And{Nodes: nodes}, nil
}

func (p *parser) unary(depth int) (Node, error) {
	t := p.next()
	switch t.kind {
	case tNot:
		if !p.termNext() {
			return nil, badQuery("NOT at position %d needs a term after it", p.pos(t))
		}
		n, err := p.unary(depth)
		if err != nil || n == nil {
			return nil, err
		}
		return &Not{Node: n}, nil
	case tLParen:
		if depth+1 > MaxDepth {
			return nil, badQuery("parentheses nested too deep at position %d (at most %d)", p.pos(t), MaxDepth)
		}
		if p.peek().kind == tRParen {
			return nil, badQuery("empty parentheses at position %d", p.pos(t))
		}
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tRParen {
			return nil, badQuery("unclosed '(' at position %d", p.pos(t))
		}
		p.next()
		return n, nil
	case tField:
		return &filter{name: t.field, value: t.text, depth: depth, tok: t}, nil
	case tWord:
		if letters(t.text) == 0 {
			p.notes = append(p.notes, fmt.Sprintf("ignored %s: no letters or digits in it", t.raw))
			return nil, nil
		}
		return &Word{Text: t.text, Prefix: t.prefix}, nil
	case tPhrase:
		text := strings.Join(strings.Fields(t.text), " ")
		if letters(text) == 0 {
			p.notes = append(p.notes, fmt.Sprintf("ignored %s: no letters or digits in it", t.raw))
			return nil, nil
		}
		return &Phrase{Text: text}, nil
	}
	// termNext guards every call.
	return nil, errors.New("search: parser: unexpected token")
}
