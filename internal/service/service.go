// Package service is the contract between the live service's handlers (the
// web UI, the JSON API and its feeds) and what runs behind them: a Reader
// that answers from the store without waiting for the writer, and a Writer
// through which every change goes, since one goroutine writes the store.
package service

import (
	"context"
	"errors"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/store"
)

// Reader answers readers. Its methods are safe for concurrent use and never
// wait for the writer.
type Reader interface {
	// Stories lists stories, most recent first, after a cursor (the
	// previous page's Next, "" for the first), with filters.
	Stories(ctx context.Context, f StoryFilter, cursor string, limit int) (StoryPage, error)
	// Story returns one story.
	Story(ctx context.Context, id int64) (store.Story, error)
	// Digest returns a story's digest: stored when it last settled, else
	// built now.
	Digest(ctx context.Context, id int64) (*digest.Digest, error)
	// Article returns one article with what it says.
	Article(ctx context.Context, id int64) (*article.Article, store.Intel, error)
	// Entity returns an entity with its spellings and merges, and the
	// latest stories naming it.
	Entity(ctx context.Context, id int64) (EntityPage, error)
	// Outlet describes one outlet: its stories, languages, what it tends
	// to leave out.
	Outlet(ctx context.Context, name string, cursor string, limit int) (OutletPage, error)
	// Search runs a query in the syntax of internal/search; a malformed
	// query is an error wrapping ErrBadQuery, with a message for people.
	Search(ctx context.Context, query string, cursor string, limit int) (SearchPage, error)
	// Status says how the service is doing, for every page's footer.
	Status(ctx context.Context) Status
}

// Writer takes the changes readers ask for. Each is done by the pipeline's
// writer, in order with the articles it stores.
type Writer interface {
	// Submit ingests pages (as a JSONL line or a URL gives them) and
	// returns once they are stored, or not, with a report.
	Submit(ctx context.Context, pages []article.Page) (SubmitReport, error)
	// Correct records a person's correction and applies it; later
	// assignment respects it. It returns the correction's ID, for Undo;
	// a correction that cannot be made is an error wrapping ErrRefused.
	Correct(ctx context.Context, c Correction) (int64, error)
	// Undo reverses a correction.
	Undo(ctx context.Context, id int64) error
}

// ErrBadQuery marks a search query that does not parse.
var ErrBadQuery = errors.New("bad query")

// ErrRefused marks a correction that cannot be made as asked (a story
// that is no longer open, an article moved to the story that holds it): the
// person's mistake, not the service's, and its message says which.
var ErrRefused = errors.New("correction refused")

// ErrNotFound marks a story, article or entity that does not exist.
var ErrNotFound = store.ErrNotFound

// StoryFilter narrows a story list.
type StoryFilter struct {
	Lang   string    // stories with an article in this language
	Outlet string    // stories with an article from this outlet
	After  time.Time // last seen at or after
	Before time.Time // first seen before
	// Sort is "recent" (last seen, the default) or "biggest" (articles).
	Sort string
}

// StoryPage is one page of stories.
type StoryPage struct {
	Stories []store.Story `json:"stories"`
	Next    string        `json:"next,omitempty"` // cursor of the next page; "" at the end
}

// EntityPage is an entity with its spellings and stories.
type EntityPage struct {
	Entity   EntityInfo    `json:"entity"`
	Stories  []store.Story `json:"stories"`
	Quotes   []store.Quote `json:"quotes"`
	Articles int           `json:"articles"`
}

// EntityInfo is an entity with its spellings and merges.
type EntityInfo struct {
	ID        int64     `json:"id"`
	Canonical string    `json:"canonical"`
	Type      string    `json:"type"`
	Mentions  int       `json:"mentions"`
	FirstSeen time.Time `json:"first_seen,omitzero"`
	Variants  []Variant `json:"variants"`
	Merges    []Merge   `json:"merges,omitempty"`
}

// Variant is one spelling of an entity.
type Variant struct {
	Text      string    `json:"text"`
	Lang      string    `json:"lang"`
	Mentions  int       `json:"mentions"`
	FirstSeen time.Time `json:"first_seen,omitzero"`
	Evidence  string    `json:"evidence"`
}

// Merge is an entity merged into another, and why.
type Merge struct {
	From     int64  `json:"from"`
	By       string `json:"by"` // "auto" or "user"
	Evidence string `json:"evidence"`
}

// OutletPage describes one outlet.
type OutletPage struct {
	Name     string        `json:"name"`
	Langs    []string      `json:"langs"`
	Articles int           `json:"articles"`
	Stories  []store.Story `json:"stories"`
	// Omits counts, by kind of fact ("entity", "quote", "figure"), what
	// the outlet left out of its stories that most others carried.
	Omits map[string]int `json:"omits"`
	Next  string         `json:"next,omitempty"`
}

// SearchPage is one page of search results, grouped by story.
type SearchPage struct {
	Query   string        `json:"query"`
	Groups  []SearchGroup `json:"groups"`
	Total   int           `json:"total"` // articles matching, at least
	Next    string        `json:"next,omitempty"`
	Message string        `json:"message,omitempty"` // how the query was read, for people
}

// SearchGroup is the matching articles of one story.
type SearchGroup struct {
	Story    store.Story `json:"story"`
	Articles []Hit       `json:"articles"`
}

// Hit is one matching article.
type Hit struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Lang      string    `json:"lang"`
	Outlet    string    `json:"outlet"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Snippet   string    `json:"snippet"` // plain text; the matched words between « and »
}

// Status says how the service is doing.
type Status struct {
	LastUpdate time.Time    `json:"last_update,omitzero"` // last batch committed
	Articles   int64        `json:"articles"`
	Stories    int64        `json:"stories"`
	Feeds      []FeedStatus `json:"feeds,omitempty"`
}

// FeedStatus is one polled source.
type FeedStatus struct {
	Source    string    `json:"source"`
	LastPoll  time.Time `json:"last_poll,omitzero"`
	NextPoll  time.Time `json:"next_poll,omitzero"`
	LastError string    `json:"last_error,omitempty"`
}

// SubmitReport is what a submission stored.
type SubmitReport struct {
	Stored   []int64  `json:"stored"`             // IDs of new articles
	Existing []int64  `json:"existing,omitempty"` // already stored
	Errors   []string `json:"errors,omitempty"`   // one per page that failed
}

// Kinds of Correction.
const (
	MoveArticle   = "move-article"   // Article goes to story Other
	MergeStories  = "merge-stories"  // story Other becomes part of Story
	SplitStory    = "split-story"    // Articles leave Story for a new story
	MergeEntities = "merge-entities" // entity Other becomes part of Entity
	SplitEntity   = "split-entity"   // Spelling leaves Entity for a new entity
)

// Correction is a person's change to the machine's stories or entities.
type Correction struct {
	Kind     string  `json:"kind"`
	Story    int64   `json:"story,omitempty"`
	Other    int64   `json:"other,omitempty"`
	Article  int64   `json:"article,omitempty"`
	Articles []int64 `json:"articles,omitempty"`
	Entity   int64   `json:"entity,omitempty"`
	Spelling string  `json:"spelling,omitempty"`
	Note     string  `json:"note,omitempty"` // the person's reason
}
