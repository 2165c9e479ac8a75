package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

// Article is one article as GET /api/articles/{id} gives it: the fields
// `storyline export` prints (with numeric IDs, since they name API
// resources, and the source's own ID as external_id), and what it says.
type Article struct {
	ID          int64     `json:"id"`
	ExternalID  string    `json:"external_id,omitempty"` // the ID its source gave
	Input       string    `json:"input"`
	Related     bool      `json:"related"` // found glued to another page's tail
	RelatedOf   int64     `json:"related_of,omitempty"`
	Title       string    `json:"title"`
	Text        string    `json:"text"`
	Lang        string    `json:"lang"`
	Published   time.Time `json:"published,omitzero"`
	Fetched     time.Time `json:"fetched,omitzero"`
	Source      string    `json:"source"`
	URL         string    `json:"url"`
	Author      string    `json:"author,omitempty"`
	Dateline    string    `json:"dateline,omitempty"`
	DuplicateOf int64     `json:"duplicate_of,omitempty"` // the article this is a syndicated copy of
	Story       int64     `json:"story,omitempty"`
	Entities    []Mention `json:"entities"`
	Quotes      []Quote   `json:"quotes"`
	Figures     []Figure  `json:"figures"`
}

// Mention is a name in an article and the entity it names.
type Mention struct {
	Name      string `json:"name"` // as written
	Canonical string `json:"canonical,omitempty"`
	Type      string `json:"type"`
	Entity    int64  `json:"entity,omitempty"` // absent when ambiguous
	Field     string `json:"field"`            // "title" or "text"
	Start     int    `json:"start"`            // byte offsets in the field
	End       int    `json:"end"`
}

// Quote is a direct quotation with its speaker.
type Quote struct {
	Article       int64   `json:"article"`
	Text          string  `json:"text"`
	Speaker       string  `json:"speaker"` // as the text names them; "" unresolved
	SpeakerEntity int64   `json:"speaker_entity,omitempty"`
	Via           string  `json:"via,omitempty"` // the cue that named the speaker
	Confidence    float64 `json:"confidence"`
	Start         int     `json:"start"` // byte offsets in the text
	End           int     `json:"end"`
}

// Figure is a quantity an article states.
type Figure struct {
	Text     string  `json:"text"`
	Value    float64 `json:"value"`
	Unit     string  `json:"unit,omitempty"`
	Counts   string  `json:"counts,omitempty"` // what it is of
	Year     string  `json:"year,omitempty"`
	Approx   bool    `json:"approx"`
	Rounding float64 `json:"rounding"` // how far the value may be off, as written
	Start    int     `json:"start"`    // byte offsets in the text
	End      int     `json:"end"`
}

// EntityDetail is GET /api/entities/{id}: the entity with its spellings
// and merges, the latest stories naming it, its quotes, and how many
// articles name it.
type EntityDetail struct {
	Entity   service.EntityInfo `json:"entity"`
	Stories  []store.Story      `json:"stories"`
	Quotes   []Quote            `json:"quotes"`
	Articles int                `json:"articles"`
}

func (a *API) stories(w http.ResponseWriter, r *http.Request) error {
	f, p, err := parseStoryQuery(r.URL.Query())
	if err != nil {
		return err
	}
	sp, err := a.r.Stories(r.Context(), f, p.Cursor, p.Limit)
	if err != nil {
		return err
	}
	sp.Stories = nonNil(sp.Stories)
	return respond(w, http.StatusOK, sp)
}

func (a *API) story(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID("story", r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := a.r.Digest(r.Context(), id)
	if err != nil {
		return err
	}
	if d == nil {
		return notFound("story")
	}
	return respond(w, http.StatusOK, d)
}

func (a *API) article(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID("article", r.PathValue("id"))
	if err != nil {
		return err
	}
	art, in, err := a.r.Article(r.Context(), id)
	if err != nil {
		return err
	}
	if art == nil {
		return notFound("article")
	}
	out := articleJSON(art, in)
	// The canonical name of each entity named, looked up once each.
	names := map[int64]string{}
	for i, m := range out.Entities {
		if m.Entity == 0 {
			continue
		}
		name, ok := names[m.Entity]
		if !ok {
			ep, err := a.r.Entity(r.Context(), m.Entity)
			switch {
			case errors.Is(err, service.ErrNotFound):
			case err != nil:
				return err
			default:
				name = ep.Entity.Canonical
			}
			names[m.Entity] = name
		}
		out.Entities[i].Canonical = name
	}
	return respond(w, http.StatusOK, out)
}

// articleJSON is an article and what it says, without canonical names.
func articleJSON(art *article.Article, in store.Intel) Article {
	out := Article{
		ID: art.ID, ExternalID: art.ExternalID, Input: art.Input, Related: art.Related, RelatedOf: art.RelatedOf,
		Title: art.Title, Text: art.Text, Lang: art.Lang, Published: art.Published, Fetched: art.Fetched,
		Source: art.Source, URL: art.URL, Author: art.Author, Dateline: art.Dateline,
		DuplicateOf: art.DuplicateOf, Story: art.Story,
		Entities: []Mention{}, Quotes: []Quote{}, Figures: []Figure{},
	}
	for _, m := range in.Mentions {
		field := "text"
		if m.Field == 0 {
			field = "title"
		}
		out.Entities = append(out.Entities, Mention{Name: m.Text, Type: m.Type, Entity: m.Entity, Field: field, Start: m.Start, End: m.End})
	}
	for _, q := range in.Quotes {
		q.Article = art.ID
		out.Quotes = append(out.Quotes, quoteJSON(q))
	}
	for _, f := range in.Figures {
		out.Figures = append(out.Figures, Figure{Text: f.Text, Value: f.Value, Unit: f.Unit, Counts: f.Counts, Year: f.Year,
			Approx: f.Approx, Rounding: f.Rounding, Start: f.Start, End: f.End})
	}
	return out
}

func quoteJSON(q store.Quote) Quote {
	return Quote{Article: q.Article, Text: q.Text, Speaker: q.Speaker, SpeakerEntity: q.SpeakerEntity, Via: q.Via,
		Confidence: q.Confidence, Start: q.Start, End: q.End}
}

func (a *API) entity(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID("entity", r.PathValue("id"))
	if err != nil {
		return err
	}
	ep, err := a.r.Entity(r.Context(), id)
	if err != nil {
		return err
	}
	out := EntityDetail{Entity: ep.Entity, Stories: nonNil(ep.Stories), Quotes: []Quote{}, Articles: ep.Articles}
	out.Entity.Variants = nonNil(out.Entity.Variants)
	for _, q := range ep.Quotes {
		out.Quotes = append(out.Quotes, quoteJSON(q))
	}
	return respond(w, http.StatusOK, out)
}

func (a *API) outlet(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PathValue("name"))
	if name == "" || len(name) > MaxParam {
		return badRequest("an outlet's name is required")
	}
	p, err := parsePage(r.URL.Query(), DefaultLimit)
	if err != nil {
		return err
	}
	op, err := a.r.Outlet(r.Context(), name, p.Cursor, p.Limit)
	if err != nil {
		return err
	}
	op.Langs, op.Stories = nonNil(op.Langs), nonNil(op.Stories)
	if op.Omits == nil {
		op.Omits = map[string]int{}
	}
	return respond(w, http.StatusOK, op)
}

func (a *API) search(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	query, err := parseSearch(q)
	if err != nil {
		return err
	}
	p, err := parsePage(q, DefaultLimit)
	if err != nil {
		return err
	}
	sp, err := a.r.Search(r.Context(), query, p.Cursor, p.Limit)
	if err != nil {
		return err
	}
	sp.Groups = nonNil(sp.Groups)
	for i := range sp.Groups {
		sp.Groups[i].Articles = nonNil(sp.Groups[i].Articles)
	}
	return respond(w, http.StatusOK, sp)
}

func (a *API) status(w http.ResponseWriter, r *http.Request) error {
	return respond(w, http.StatusOK, a.r.Status(r.Context()))
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	writeBody(w, http.StatusOK, "application/json; charset=utf-8", a.openapi)
	return nil
}

// nonNil makes a nil list an empty one, so that lists are [] in JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
