package entity

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/text"
	"github.com/storyline/storyline/internal/translit"
)

// Entity is one person, organisation or place under all its names.
type Entity struct {
	ID        int64
	Canonical string
	Type      Type
	Mentions  int
	FirstSeen time.Time
	// Story is set on an entity known only by one word (a surname, "the
	// Rutte of this story"): it stands for that story's bearer of the
	// name, since two people who share a surname are not one entity.
	// When the story names the person in full, it merges into them.
	Story int64
}

// Variant is one way an entity is written.
type Variant struct {
	Entity    int64
	Text      string // as written
	Norm      string // lookup form: folded, one space between words
	Lang      string
	Key       string // transliteration keys of the words, space-separated
	Surname   string // the last word's key
	Mentions  int    // how many times written so; PutVariant adds
	FirstSeen time.Time
	// Evidence says why the variant belongs to the entity: the first
	// reason it was linked.
	Evidence string
}

// Merge is the record of entities made one, by the machine or a person.
type Merge struct {
	Into, From int64
	By         string // "auto" or "user"
	Evidence   string
	At         time.Time
}

// Registry keeps entities across articles and stories; the store's write
// transaction implements it. Lookups follow merges: they return variants
// under the entity they were merged into.
type Registry interface {
	// VariantsByNorm returns the variants written as norm.
	VariantsByNorm(ctx context.Context, norm string) ([]Variant, error)
	// VariantsByKey returns the variants whose full key is key.
	VariantsByKey(ctx context.Context, key string) ([]Variant, error)
	// StoryVariants returns the variants of the entities mentioned in the
	// latest articles of stream story id. The resolver reads their
	// Entity, Text, Key and Surname; an answer from a Memory carries
	// those and Norm, and leaves the rest zero.
	StoryVariants(ctx context.Context, story int64) ([]Variant, error)
	// Entity returns an entity, the one it was merged into if it was.
	Entity(ctx context.Context, id int64) (Entity, error)
	// PutEntity inserts (zero ID, set on return) or updates an entity.
	PutEntity(ctx context.Context, e *Entity) error
	// PutVariant records a variant, adding its Mentions to any stored.
	PutVariant(ctx context.Context, v Variant) error
	// MergeEntities makes m.From part of m.Into: its variants and mentions
	// move, and lookups of m.From find m.Into.
	MergeEntities(ctx context.Context, m Merge) error
	// Separated reports whether a person split a and b apart: the machine
	// must not merge them again.
	Separated(ctx context.Context, a, b int64) (bool, error)
	// SplitFrom returns the entities a person split apart from id (most
	// often none).
	SplitFrom(ctx context.Context, id int64) ([]int64, error)
}

// Resolved is a mention with the entity it names.
type Resolved struct {
	Mention
	Entity int64 // 0 when ambiguous
}

// Article is what resolution needs to know of one article.
type Article struct {
	ID    int64
	Story int64 // its story in the stream, the context of one-word names
	Lang  string
	At    time.Time
	Title string
	Text  string
}

// Resolver resolves mentions to entities, one article after another: it
// is the sequential part of entity work, run by the pipeline's writer.
type Resolver struct {
	// Words keeps common words out of names matched in scripts without
	// case (see Find). Optional.
	Words Words
}

// minCrossSurname is the shortest surname key that links full names across
// scripts when their given names differ: two consonant classes (rt) are
// shared by too many names.
const minCrossSurname = 3

// minKnownKeyBare is the shortest key by which a word of a script without
// case is taken for a name the story knows, when no dictionary tells
// common words: three classes (Ishiba's axb) rather than two (Tokyo's tk,
// which "والتقى", "and he met", also gives).
const minKnownKeyBare = 3

// cluster is the mentions of one name in one article.
type cluster struct {
	ms    []Mention
	best  Mention // the fullest mention: most words, then first
	typ   Type
	title string
}

// Resolve links the mentions of art (as Find gave them) to entities,
// creating and merging entities in reg as the evidence says. Precision
// comes first: a mention it cannot place for certain stays unlinked.
func (r *Resolver) Resolve(ctx context.Context, reg Registry, art Article, ms []Mention) ([]Resolved, error) {
	story, err := reg.StoryVariants(ctx, art.Story)
	if err != nil {
		return nil, fmt.Errorf("entity: story %d: %w", art.Story, err)
	}
	ms = append(ms, r.known(art, story, ms)...)
	clusters, ambiguous := group(ms)
	out := make([]Resolved, 0, len(ms))
	for _, m := range ambiguous {
		out = append(out, Resolved{Mention: m})
	}
	for _, c := range clusters {
		id, why, err := r.place(ctx, reg, art, story, c)
		if err != nil {
			return nil, err
		}
		apart, err := r.separated(ctx, reg, id, c)
		if err != nil {
			return nil, err
		}
		if id, err = r.record(ctx, reg, art, story, c, id, why, apart); err != nil {
			return nil, err
		}
		for _, m := range c.ms {
			e := id
			if x, ok := apart[norm(m.Text)]; ok {
				e = x
			}
			out = append(out, Resolved{Mention: m, Entity: e})
		}
	}
	slices.SortFunc(out, func(a, b Resolved) int {
		if a.Field != b.Field {
			return int(a.Field) - int(b.Field)
		}
		return a.Start - b.Start
	})
	return out, nil
}

// group clusters an article's mentions by name: a full name with the
// mentions of its last word ("Mark Rutte", "Rutte"). A one-word mention
// that could be the surname of two people named in the article is
// ambiguous and left out.
func group(ms []Mention) (clusters []*cluster, ambiguous []Mention) {
	byKey := map[string]*cluster{}
	var order []string
	add := func(k string, m Mention) {
		c := byKey[k]
		if c == nil {
			c = &cluster{best: m, typ: m.Type}
			byKey[k] = c
			order = append(order, k)
		}
		c.ms = append(c.ms, m)
		if len(m.Tokens) > len(c.best.Tokens) {
			c.best = m
		}
		// A surname joining a full name types it only as a person: the
		// gazetteer's Jordan says nothing of Michael Jordan.
		if m.Type.rank() > c.typ.rank() && (len(m.Tokens) > 1 || m.Type == Person || len(c.best.Tokens) == 1) {
			c.typ = m.Type
		}
		if c.title == "" {
			c.title = m.Title
		}
	}
	// A one-word mention is the surname of a full name of the article
	// when it is spelt as that name's last word, or, in another script,
	// when their keys match: keys alone are too loose within one script
	// (Paris and Perzo both key brs).
	surnames := map[string][]string{} // surname (folded, or "k:" key) → full keys of multi-word names
	person := map[string]bool{}       // full keys of names typed as persons
	for _, m := range ms {
		if len(m.Keys) > 1 && utf8.RuneCountInString(m.FullKey()) >= minKeyLen {
			k := m.FullKey()
			if _, seen := byKey[k]; !seen && personLike(m) {
				last := m.Tokens[len(m.Tokens)-1]
				surnames[surnameForm(last)] = append(surnames[surnameForm(last)], k)
				surnames["k:"+m.Surname()] = append(surnames["k:"+m.Surname()], k)
			}
			person[k] = person[k] || m.Type == Person
			add(k, m)
		}
	}
	latin := map[string]bool{}
	for _, c := range byKey {
		latin[c.best.FullKey()] = isLatin(c.best.Text)
	}
	for _, m := range ms {
		if len(m.Keys) != 1 || utf8.RuneCountInString(m.Keys[0]) < minKeyLen {
			continue
		}
		full := surnames[surnameForm(m.Tokens[0])]
		var other []string
		for _, k := range surnames["k:"+m.Keys[0]] {
			if latin[k] != isLatin(m.Text) || sameName(m.Text, byKey[k].best.Tokens[len(byKey[k].best.Tokens)-1]) {
				other = append(other, k)
			}
		}
		full = uniq(append(full, other...))
		switch {
		case len(full) == 1 && m.Type != Org && (m.Type != Place || person[full[0]]):
			// The article's own full name outweighs a gazetteer when it
			// names a person: Jordan after Michael Jordan is he.
			add(full[0], m)
		case len(full) > 1:
			ambiguous = append(ambiguous, m)
		default:
			add("1:"+m.Keys[0]+":"+norm(m.Text), m)
		}
	}
	for _, k := range order {
		clusters = append(clusters, byKey[k])
	}
	return clusters, ambiguous
}

// surnameForm is the form in which a surname matches its full name's last
// word within one script: folded, accents and all.
func surnameForm(w string) string { return "w:" + text.Fold(w) }

func uniq(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}

// personLike reports a full name whose last word may stand for it alone: a
// person's, or an untyped name of two or three words without a connector
// ("Training for Ukraine" is no person Ukraine names).
func personLike(m Mention) bool {
	switch {
	case m.Type == Person:
		return true
	case m.Type != Other || len(m.Tokens) > 3:
		return false
	}
	for _, t := range m.Tokens {
		if r, _ := utf8.DecodeRuneInString(t); !unicode.IsUpper(r) && unicode.IsLower(r) {
			return false // a connector: of, de, for
		}
	}
	return true
}

// sameName reports two spellings of one name in one script: equal but for
// case and accents (Sánchez, Sanchez), or, with the same key, one letter
// apart (Rutt, Rutte), two in a long name (Johansson, Johnasson). Keys
// alone say too little within a script: Paris and Perzo share theirs.
func sameName(a, b string) bool {
	fa, fb := text.Fold(a), text.Fold(b)
	if fa == fb {
		return true
	}
	if translit.Key(a) != translit.Key(b) {
		return false
	}
	n := min(utf8.RuneCountInString(fa), utf8.RuneCountInString(fb))
	switch d := editDistance(fa, fb); {
	case n >= longName:
		return d <= 2
	case n >= minFuzzyName:
		return d <= 1
	}
	return false
}

// Lengths, in letters, from which sameName allows one and two edits: a
// short name one letter off is another name (Rut, Ruth).
const (
	minFuzzyName = 4
	longName     = 8
)

// editDistance is the Levenshtein distance of two strings, by runes, with
// a transposition counting one (Damerau's restricted form).
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

// scriptKey files a key under the script of the name it came from.
func scriptKey(name, key string) string {
	if isLatin(name) {
		return "latin:" + key
	}
	return "other:" + key
}

// otherScript returns a name standing for the script other than s's, for
// scriptKey: a key matches across scripts only.
func otherScript(s string) string {
	if isLatin(s) {
		return "ا"
	}
	return "a"
}

// personName reports a written full name that may be a person's: two or
// three capitalised words, no connector (see personLike).
func personName(s string) bool {
	f := strings.Fields(s)
	return personLike(Mention{Type: Other, Tokens: f})
}

// known finds, in an article in a script without case, the names the
// story's other articles already gave (the Arabic article names people the
// English ones spelt in Latin letters): words whose key is a known name's.
func (r *Resolver) known(art Article, story []Variant, found []Mention) []Mention {
	if len(story) == 0 {
		return nil
	}
	var out []Mention
	var idx *storyIndex
	buf := wordPool.Get()
	defer wordPool.Put(buf)
	for f, s := range []string{art.Title, art.Text} {
		*buf = appendWords(*buf, s)
		ws := *buf
		if len(ws) == 0 || cased(ws) {
			continue
		}
		taken := map[int]bool{}
		for _, m := range found {
			if m.Field == Field(f) {
				for _, w := range ws {
					if w.start >= m.Start && w.end <= m.End {
						taken[w.start] = true
					}
				}
			}
		}
		c := cuesFor(art.Lang)
		// Without a dictionary to tell common words, a key of two
		// consonant classes matches too many of them.
		least := minKeyLen
		if r.Words == nil {
			least = minKnownKeyBare
		}
		if idx == nil {
			idx = indexStory(story, least)
		}
		for i, w := range ws {
			if taken[w.start] || w.cased || c.notName[fold(w.text)] {
				continue
			}
			m := c.mention(Field(f), s, ws[i:i+1], Other, "")
			if len(m.Keys) == 0 {
				continue
			}
			keys := translit.Keys(w.text)
			var glosses map[string]bool
			if len(idx.byText) > 0 {
				glosses = r.glosses(art.Lang, w.text)
			}
			// The story's variants the word could name, in story order:
			// the first that does is taken.
			cands := idx.candidates(keys, glosses)
			for _, j := range cands {
				v := story[j]
				sounds := utf8.RuneCountInString(v.Surname) >= least && slices.Contains(keys, v.Surname) && isLatin(v.Text) &&
					distinctive(v) && !common(r.Words, art.Lang, w.text, v.Surname)
				// The dictionary gives the name in English: اليابان is
				// Japan, though its sounds (ybn) are not Japan's (jbn).
				translates := !strings.Contains(v.Text, " ") && isLatin(v.Text) && glosses[text.Fold(v.Text)]
				if sounds || translates {
					m = dropConjunction(m, v.Surname)
					m.Keys = []string{v.Surname}
					out = append(out, m)
					break
				}
			}
		}
	}
	return out
}

// storyIndex finds the variants of a story a word of an uncased script may
// name without comparing the word with each of them: a story holds
// hundreds of variants, an Arabic or Japanese article thousands of words.
type storyIndex struct {
	bySurname map[string][]int // Latin variants with a distinctive surname long enough, by surname key
	byText    map[string][]int // one-word Latin variants, by folded text
}

func indexStory(story []Variant, least int) *storyIndex {
	idx := &storyIndex{bySurname: map[string][]int{}, byText: map[string][]int{}}
	for i, v := range story {
		if !isLatin(v.Text) {
			continue
		}
		if utf8.RuneCountInString(v.Surname) >= least && distinctive(v) {
			idx.bySurname[v.Surname] = append(idx.bySurname[v.Surname], i)
		}
		if !strings.Contains(v.Text, " ") {
			k := text.Fold(v.Text)
			idx.byText[k] = append(idx.byText[k], i)
		}
	}
	return idx
}

// candidates returns, sorted and once each, the indexes of the variants
// whose surname is among keys or whose text is among glosses.
func (idx *storyIndex) candidates(keys []string, glosses map[string]bool) []int {
	var out []int
	for _, k := range keys {
		out = append(out, idx.bySurname[k]...)
	}
	for g := range glosses {
		out = append(out, idx.byText[g]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dropConjunction leaves a fused one-letter Arabic proclitic out of a
// one-word mention: "and" (و، ف) before the article (والناتو is "and the
// NATO", written as الناتو), or any of و ف ب ل ك when the name's key
// matched only without it (وروسيا, "and Russia"). The mention is then the
// name as the other articles write it, and one spelling, not one per
// conjunction.
func dropConjunction(m Mention, key string) Mention {
	r, n := utf8.DecodeRuneInString(m.Text)
	rest := m.Text[n:]
	switch {
	case (r == 'و' || r == 'ف') && strings.HasPrefix(rest, "ال") && utf8.RuneCountInString(rest) >= 5:
	case strings.ContainsRune("وفبلك", r) && utf8.RuneCountInString(rest) >= 3 &&
		translit.Key(m.Text) != key && translit.Key(rest) == key:
	default:
		return m
	}
	m.Start += n
	m.Text = rest
	m.Tokens = []string{rest}
	return m
}

// distinctive reports whether the word that gives a Latin variant its
// surname key is long enough to be matched across scripts: a name of four
// letters or more, or an acronym of three (NATO, not PM).
func distinctive(v Variant) bool {
	f := strings.Fields(v.Text)
	last := f[len(f)-1]
	n := utf8.RuneCountInString(last)
	if c := capitals(last); c > 0 {
		return c >= 3
	}
	return n >= 4
}

// glosses returns the English words the dictionary gives for w, as written
// and without the Arabic article, folded.
func (r *Resolver) glosses(lang, w string) map[string]bool {
	if r.Words == nil {
		return nil
	}
	m := map[string]bool{}
	for _, f := range []string{w, stripArabicArticle(w)} {
		for _, g := range r.Words.English(lang, f) {
			m[text.Fold(g)] = true
		}
	}
	return m
}

// cased reports whether most words of a field are in a script with case.
func cased(ws []word) bool {
	n := 0
	for _, w := range ws {
		if w.cased {
			n++
		}
	}
	return 2*n > len(ws)
}

// place finds the entity a cluster names, or 0 for a new one, with the
// evidence.
func (r *Resolver) place(ctx context.Context, reg Registry, art Article, story []Variant, c *cluster) (int64, string, error) {
	multi := len(c.best.Keys) > 1
	oneWordPerson := !multi && c.typ != Org && c.typ != Place
	// The same spelling: across stories too, but for a surname alone
	// (a full name's cluster is looked up by its full spellings only).
	for _, m := range c.ms {
		if oneWordPerson || multi && len(m.Tokens) < 2 {
			continue
		}
		vs, err := reg.VariantsByNorm(ctx, norm(m.Text))
		if err != nil {
			return 0, "", err
		}
		if !multi {
			// One word names a place and a person alike (Jordan): only
			// an entity of the same kind shares it.
			if vs, err = sameType(ctx, reg, vs, c.typ); err != nil {
				return 0, "", err
			}
		}
		if id, ok := pick(vs, story); ok {
			return id, "written " + m.Text + " before", nil
		}
	}
	// The same name in the story's other articles: a surname, another
	// script's spelling, a near spelling with the same first name.
	var hits []Variant
	why := ""
	for _, v := range story {
		switch {
		case multi && sameKey(v.Text, v.Key, c.best.Text, c.best.FullKey()):
			hits, why = append(hits, v), "spelt with the same sounds as "+v.Text+" in the same story"
		case !multi && oneWordPerson && sameKey(v.Text, v.Surname, c.best.Text, c.best.Keys[0]) && utf8.RuneCountInString(v.Key) > utf8.RuneCountInString(v.Surname):
			hits, why = append(hits, v), "the surname of "+v.Text+" in the same story"
		case !multi && sameKey(v.Text, v.Key, c.best.Text, c.best.Keys[0]):
			hits, why = append(hits, v), "spelt with the same sounds as "+v.Text+" in the same story"
		case multi && c.typ == Person && nearName(c.best.Keys, v):
			hits, why = append(hits, v), "the same first name and a near surname as "+v.Text+" in the same story"
		case multi && isLatin(v.Text) != isLatin(c.best.Text) && strings.Contains(v.Key, " ") &&
			v.Surname == c.best.Surname() && utf8.RuneCountInString(v.Surname) >= minCrossSurname:
			// Given names transliterate loosely (Shigeru, شيجرو); a
			// surname of some length, in the same story, in another
			// script, names the same person.
			hits, why = append(hits, v), "the surname of "+v.Text+" in the same story, in another script"
		}
	}
	if id, ok := one(hits); ok {
		return id, why, nil
	}
	if len(hits) > 0 {
		return 0, "", nil // two candidates: a new entity rather than a guess
	}
	// A full name spelt with the same sounds anywhere, in the same script:
	// keys lose too much across scripts to link strangers on them alone.
	if multi {
		vs, err := reg.VariantsByKey(ctx, c.best.FullKey())
		if err != nil {
			return 0, "", err
		}
		var same []Variant
		for _, v := range vs {
			if isLatin(v.Text) == isLatin(c.best.Text) {
				same = append(same, v)
			}
		}
		if id, ok := pick(same, story); ok {
			return id, "spelt with the same sounds as " + same[0].Text, nil
		}
	}
	return 0, "", nil
}

// sameKey reports whether two names, in the same story, have one key:
// equal keys, or, when either is written in kana, whose one liquid stands
// for l and r alike, keys equal with l and r in one class (ショルツ and
// Scholz: xrs, xls).
func sameKey(aText, aKey, bText, bKey string) bool {
	if aKey == bKey {
		return true
	}
	if !translit.OneLiquid(aText) && !translit.OneLiquid(bText) {
		return false
	}
	return translit.FoldLiquid(aKey) == translit.FoldLiquid(bKey)
}

// sameType keeps the variants whose entity is of type t.
func sameType(ctx context.Context, reg Registry, vs []Variant, t Type) ([]Variant, error) {
	var out []Variant
	for _, v := range vs {
		e, err := reg.Entity(ctx, v.Entity)
		if err != nil {
			return nil, err
		}
		if e.Type == t {
			out = append(out, v)
		}
	}
	return out, nil
}

// nearName reports a full name whose first words equal v's and whose
// surname is near v's (Mark Rutter, Mark Rutte; see translit.Near).
func nearName(keys []string, v Variant) bool {
	vk := strings.Fields(v.Key)
	if len(vk) != len(keys) || len(vk) < 2 {
		return false
	}
	for i := range len(keys) - 1 {
		if keys[i] != vk[i] {
			return false
		}
	}
	return translit.Near(keys[len(keys)-1], vk[len(vk)-1])
}

// pick chooses among variants of possibly several entities: one entity,
// or the one the story mentions when there are several.
func pick(vs []Variant, story []Variant) (int64, bool) {
	if id, ok := one(vs); ok {
		return id, true
	}
	in := map[int64]bool{}
	for _, v := range story {
		in[v.Entity] = true
	}
	var inStory []Variant
	for _, v := range vs {
		if in[v.Entity] {
			inStory = append(inStory, v)
		}
	}
	return one(inStory)
}

// one returns the entity all variants belong to, if they belong to one.
func one(vs []Variant) (int64, bool) {
	if len(vs) == 0 {
		return 0, false
	}
	id := vs[0].Entity
	for _, v := range vs[1:] {
		if v.Entity != id {
			return 0, false
		}
	}
	return id, true
}

// separated returns the spellings of the cluster that a person split off
// entity id into another: they go to that entity, whatever the article's
// grouping says.
func (r *Resolver) separated(ctx context.Context, reg Registry, id int64, c *cluster) (map[string]int64, error) {
	if id == 0 {
		return nil, nil
	}
	// The splits first: there are few, and a common name's spelling is
	// held by thousands of entities (one-word names are story-scoped), so
	// asking of each whether it was split from id would cost as much per
	// mention as the store is large.
	from, err := reg.SplitFrom(ctx, id)
	if err != nil || len(from) == 0 {
		return nil, err
	}
	var apart map[string]int64
	for _, m := range c.ms {
		n := norm(m.Text)
		vs, err := reg.VariantsByNorm(ctx, n)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v.Entity != id && slices.Contains(from, v.Entity) {
				if apart == nil {
					apart = map[string]int64{}
				}
				apart[n] = v.Entity
			}
		}
	}
	return apart, nil
}

// record writes the cluster's variants to entity id, creating the entity
// when id is 0, and merges into it a one-word entity of the story the
// cluster's full name now explains. Spellings in apart go to the entity a
// person split them off to. It returns the entity's ID.
func (r *Resolver) record(ctx context.Context, reg Registry, art Article, story []Variant, c *cluster, id int64, why string, apart map[string]int64) (int64, error) {
	var e Entity
	if id != 0 {
		var err error
		if e, err = reg.Entity(ctx, id); err != nil {
			return 0, err
		}
	} else {
		e = Entity{Canonical: c.best.Text, Type: c.typ, FirstSeen: art.At}
		if len(c.best.Keys) == 1 && c.typ != Org && c.typ != Place {
			e.Story = art.Story
		}
		why = "first seen"
	}
	if c.typ.rank() > e.Type.rank() {
		e.Type = c.typ
	}
	if better(c.best.Text, e.Canonical) {
		e.Canonical = c.best.Text
	}
	if len(c.best.Keys) > 1 {
		e.Story = 0 // named in full: no longer one story's
	}
	e.Mentions += len(c.ms)
	if err := reg.PutEntity(ctx, &e); err != nil {
		return 0, err
	}
	counts := map[string]int{}
	first := map[string]Mention{}
	for _, m := range c.ms {
		n := norm(m.Text)
		if counts[n] == 0 {
			first[n] = m
		}
		counts[n]++
	}
	for n, k := range counts {
		m := first[n]
		v := Variant{Entity: e.ID, Text: m.Text, Norm: n, Lang: art.Lang, Key: m.FullKey(), Surname: m.Surname(),
			Mentions: k, FirstSeen: art.At, Evidence: why}
		if x, ok := apart[n]; ok {
			v.Entity, v.Evidence = x, "split off by a person"
		}
		if err := reg.PutVariant(ctx, v); err != nil {
			return 0, err
		}
	}
	if len(c.best.Keys) > 1 && (c.typ == Person || c.typ == Other) {
		if err := r.absorb(ctx, reg, art, story, c, e); err != nil {
			return 0, err
		}
	}
	return e.ID, nil
}

// absorb merges into e the one-word entity of the story that e's full name
// explains: "Rutte" seen alone earlier in the story is Mark Rutte. story
// are the variants the story's earlier articles gave.
func (r *Resolver) absorb(ctx context.Context, reg Registry, art Article, story []Variant, c *cluster, e Entity) error {
	if !personName(c.best.Text) {
		return nil
	}
	last := c.best.Tokens[len(c.best.Tokens)-1]
	for _, v := range story {
		if v.Entity == e.ID || v.Key != c.best.Surname() || strings.Contains(v.Key, " ") {
			continue
		}
		if isLatin(v.Text) == isLatin(c.best.Text) && !sameName(v.Text, last) {
			continue // within a script, only the name as spelt (see group)
		}
		o, err := reg.Entity(ctx, v.Entity)
		if err != nil {
			return err
		}
		if o.Story == 0 || o.ID == e.ID {
			continue // a named entity of its own, not a story's surname
		}
		if sep, err := reg.Separated(ctx, e.ID, o.ID); err != nil || sep {
			return err
		}
		err = reg.MergeEntities(ctx, Merge{Into: e.ID, From: o.ID, By: "auto", At: art.At,
			Evidence: fmt.Sprintf("%s, alone in story %d, is the surname of %s there", v.Text, art.Story, c.best.Text)})
		if err != nil {
			return err
		}
	}
	return nil
}

// better reports whether a should be an entity's canonical name rather
// than b: Latin script first (most readers read it), then more words, then
// not shouted (Tokyo, not TOKYO).
func better(a, b string) bool {
	la, lb := isLatin(a), isLatin(b)
	if la != lb {
		return la
	}
	if na, nb := len(strings.Fields(a)), len(strings.Fields(b)); na != nb {
		return na > nb
	}
	return capitals(b) > maxAcronym && capitals(a) == 0
}

// isLatin reports whether s's letters are mostly Latin.
func isLatin(s string) bool {
	latin, other := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if unicode.Is(unicode.Latin, r) {
				latin++
			} else {
				other++
			}
		}
	}
	return latin > other
}

// norm is a variant's lookup form: lower case, one space between words,
// typographic apostrophes folded.
func norm(s string) string {
	return strings.Join(strings.Fields(fold(s)), " ")
}

// Norm returns the lookup form of a name (see Variant.Norm).
func Norm(s string) string { return norm(s) }

// Consolidate merges, within one story readers see, each entity known only
// by one word there (a surname alone, or a name in another script) into the
// one person the story names in full with that surname: articles that the
// stream kept in separate stories, and the settled view put together, say
// "Rutt" in one and "Mark Rutte" in another. vs are the variants of the
// entities the story mentions. A surname two full names share merges into
// neither. It returns the number of merges.
func Consolidate(ctx context.Context, reg Registry, story int64, vs []Variant, at time.Time) (int, error) {
	// A one-word name matches a full name's last word as spelt in the same
	// script, or by key in another (as in group).
	full := map[string]map[int64]string{} // surname form → entities named in full with it → a full name
	words := map[int64][]Variant{}        // entity → its one-word variants
	many := map[int64]bool{}              // entities with a full name
	for _, v := range vs {
		if strings.Contains(v.Key, " ") {
			many[v.Entity] = true
			if !personName(v.Text) {
				continue
			}
			f := strings.Fields(v.Text)
			for _, k := range []string{surnameForm(f[len(f)-1]), scriptKey(v.Text, v.Surname)} {
				if full[k] == nil {
					full[k] = map[int64]string{}
				}
				full[k][v.Entity] = v.Text
			}
		} else {
			words[v.Entity] = append(words[v.Entity], v)
		}
	}
	n := 0
	ids := make([]int64, 0, len(words))
	for id := range words {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if many[id] {
			continue
		}
		e, err := reg.Entity(ctx, id)
		if err != nil {
			return n, err
		}
		if e.Story == 0 || e.Type == Org || e.Type == Place {
			continue // named on its own: not a story's surname
		}
		var into int64
		var name, alone string
		ok := true
		for _, v := range words[id] {
			same := full[surnameForm(v.Text)]
			other := map[int64]string{}
			for t, fn := range full[scriptKey(otherScript(v.Text), v.Key)] {
				other[t] = fn
			}
			for t, fn := range full[scriptKey(v.Text, v.Key)] {
				if f := strings.Fields(fn); sameName(v.Text, f[len(f)-1]) {
					other[t] = fn
				}
			}
			for _, m := range []map[int64]string{same, other} {
				for t, fn := range m {
					if into != 0 && into != t {
						ok = false
					}
					into, name, alone = t, fn, v.Text
				}
			}
		}
		if !ok || into == 0 {
			continue
		}
		if t, err := reg.Entity(ctx, into); err != nil {
			return n, err
		} else if t.Type != Person && t.Type != Other {
			continue
		}
		if sep, err := reg.Separated(ctx, into, id); err != nil || sep {
			if err != nil {
				return n, err
			}
			continue
		}
		err = reg.MergeEntities(ctx, Merge{Into: into, From: id, By: "auto", At: at,
			Evidence: fmt.Sprintf("%s, alone in articles of story %d, is the surname of %s there", alone, story, name)})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
