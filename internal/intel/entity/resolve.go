package entity

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	// latest articles of stream story id.
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
		if id, err = r.record(ctx, reg, art, c, id, why); err != nil {
			return nil, err
		}
		for _, m := range c.ms {
			out = append(out, Resolved{Mention: m, Entity: id})
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
			c = &cluster{best: m}
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
	surnames := map[string][]string{} // surname key → full keys of multi-word names
	for _, m := range ms {
		if len(m.Keys) > 1 && utf8.RuneCountInString(m.FullKey()) >= minKeyLen {
			k := m.FullKey()
			if _, seen := byKey[k]; !seen && (m.Type == Person || m.Type == Other) {
				surnames[m.Surname()] = append(surnames[m.Surname()], k)
			}
			add(k, m)
		}
	}
	for _, m := range ms {
		if len(m.Keys) != 1 || utf8.RuneCountInString(m.Keys[0]) < minKeyLen {
			continue
		}
		switch full := surnames[m.Keys[0]]; {
		case len(full) == 1 && m.Type != Org:
			// The article's own full name outweighs a gazetteer: Jordan
			// after Michael Jordan is he.
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

// known finds, in an article in a script without case, the names the
// story's other articles already gave (the Arabic article names people the
// English ones spelt in Latin letters): words whose key is a known name's.
func (r *Resolver) known(art Article, story []Variant, found []Mention) []Mention {
	if len(story) == 0 {
		return nil
	}
	var out []Mention
	for f, s := range []string{art.Title, art.Text} {
		ws := split(s)
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
		for i, w := range ws {
			if taken[w.start] || w.cased || c.notName[fold(w.text)] {
				continue
			}
			m := c.mention(Field(f), s, ws[i:i+1], Other, "")
			if len(m.Keys) == 0 {
				continue
			}
			keys := translit.Keys(w.text)
			for _, v := range story {
				if utf8.RuneCountInString(v.Surname) >= least && slices.Contains(keys, v.Surname) && isLatin(v.Text) &&
					!common(r.Words, art.Lang, w.text, v.Surname) {
					m.Keys = []string{v.Surname}
					out = append(out, m)
					break
				}
			}
		}
	}
	return out
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
		case multi && v.Key == c.best.FullKey():
			hits, why = append(hits, v), "spelt with the same sounds as "+v.Text+" in the same story"
		case !multi && oneWordPerson && v.Surname == c.best.Keys[0] && utf8.RuneCountInString(v.Key) > utf8.RuneCountInString(v.Surname):
			hits, why = append(hits, v), "the surname of "+v.Text+" in the same story"
		case !multi && v.Key == c.best.Keys[0]:
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

// record writes the cluster's variants to entity id, creating the entity
// when id is 0, and merges into it a one-word entity of the story the
// cluster's full name now explains. It returns the entity's ID.
func (r *Resolver) record(ctx context.Context, reg Registry, art Article, c *cluster, id int64, why string) (int64, error) {
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
		if err := reg.PutVariant(ctx, v); err != nil {
			return 0, err
		}
	}
	if len(c.best.Keys) > 1 && (c.typ == Person || c.typ == Other) {
		if err := r.absorb(ctx, reg, art, c, e); err != nil {
			return 0, err
		}
	}
	return e.ID, nil
}

// absorb merges into e the one-word entity of the story that e's full name
// explains: "Rutte" seen alone earlier in the story is Mark Rutte.
func (r *Resolver) absorb(ctx context.Context, reg Registry, art Article, c *cluster, e Entity) error {
	story, err := reg.StoryVariants(ctx, art.Story)
	if err != nil {
		return err
	}
	for _, v := range story {
		if v.Entity == e.ID || v.Key != c.best.Surname() || strings.Contains(v.Key, " ") {
			continue
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
// than b: Latin script first (most readers read it), then more words.
func better(a, b string) bool {
	la, lb := isLatin(a), isLatin(b)
	if la != lb {
		return la
	}
	return len(strings.Fields(a)) > len(strings.Fields(b))
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
