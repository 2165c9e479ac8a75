// Package store keeps articles, stories and their history. Store and Tx are
// the storage contract every stage above is written against; SQLite (embedded,
// pure Go, with an FTS5 index) implements it, and so does PostgreSQL
// (package postgres). The conformance suite in storetest, run against both,
// defines the contract where these comments leave a detail open. Backend
// is the contract with the listings and search both stores offer, which
// the commands and the service use; package storeurl opens either by its
// URL, and Copy copies one into another, row by row (storyline migrate).
//
// A store keeps two views of the stories. The stream's (Placement.Stream,
// StreamStory, Meta) is the streaming assigner's state, persisted with every
// batch so that a restart resumes it exactly. The readers' (article Story,
// Story rows) is the settled view, which may merge or split what the
// stream has not yet (see story.Settle).
//
// One process writes a store at a time (Open holds a lock on its folder);
// any number read it (OpenReadOnly), never waiting for the writer.
//
// Conventions every implementation keeps: zero times are stored as NULL and
// read back as the zero time; other times come back in UTC, to the
// nanosecond, and must lie in years 0 to 9999. Zero IDs (RelatedOf,
// DuplicateOf, Story) mean "none". Empty and nil lists and maps read back as
// nil. Text comes back as written, except that a store unable to keep them
// (PostgreSQL) gives back U+FFFD for each NUL and each run of bytes that is
// not UTF-8 (storetest.CleanText).
package store

import (
	"context"
	"errors"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrNotFound: no article or story with the requested ID.
	ErrNotFound = errors.New("store: not found")
	// ErrDuplicateHash: an original article (DuplicateOf == 0) with the same
	// ContentHash is already stored. Exact copies must be stored with
	// DuplicateOf set, or not at all.
	ErrDuplicateHash = errors.New("store: content hash already stored")
)

// MaxCandidates bounds what NearDuplicates returns, so that a band key
// shared by very many articles cannot turn one lookup into a scan.
const MaxCandidates = 100

// Store is the storage of one Storyline instance. Its methods are safe for
// concurrent use; reads run alongside an open write transaction and see only
// committed data.
type Store interface {
	// Begin starts a write transaction: one ingest batch. Only one is open at
	// a time; a second Begin waits for the first to end. A store opened
	// read-only refuses it.
	Begin(ctx context.Context) (Tx, error)
	// Articles calls fn for every article in ID order (export). An error
	// from fn stops the walk and is returned as is.
	Articles(ctx context.Context, fn func(*article.Article) error) error
	// Replay calls fn, in ID order, for every article after ID after and
	// every article an active stream story holds in memory (not evicted),
	// with its placement: what a restart reloads into the assigner.
	Replay(ctx context.Context, after int64, fn func(*article.Article, Placement) error) error
	// StreamStories returns the active stories of the stream.
	StreamStories(ctx context.Context) ([]StreamStory, error)
	// Evicted describes, for each active stream story, its articles evicted
	// from the assigner's memory.
	Evicted(ctx context.Context) ([]EvictedTally, error)
	// Parts returns the settled halves' IDs by first article (PutParts).
	Parts(ctx context.Context) (map[int64]int64, error)
	// Meta returns the value stored under key, nil when there is none.
	Meta(ctx context.Context, key string) ([]byte, error)
	// Intel returns what an article says: its names with their entities,
	// its quotes and figures.
	Intel(ctx context.Context, articleID int64) (Intel, error)
	// Entity returns an entity, following merges.
	Entity(ctx context.Context, id int64) (entity.Entity, error)
	// EntityInfo returns an entity (following merges) with its variants,
	// most written first, and the merges that made it.
	EntityInfo(ctx context.Context, id int64) (entity.Entity, []entity.Variant, []entity.Merge, error)
	// Digest returns the digest stored for a story since it last changed
	// (Tx.PutDigest), nil when there is none.
	Digest(ctx context.Context, storyID int64) ([]byte, error)
	// EntitiesNamed returns the entities with a variant written as name,
	// most mentioned first.
	EntitiesNamed(ctx context.Context, name string) ([]entity.Entity, error)
	// StoryArticles calls fn for every article readers see in a story, in
	// ID order.
	StoryArticles(ctx context.Context, storyID int64, fn func(*article.Article) error) error
	// Article returns one article, or an error matching ErrNotFound.
	Article(ctx context.Context, id int64) (*article.Article, error)
	// Stories returns all stories, most recent LastSeen first.
	Stories(ctx context.Context) ([]Story, error)
	// Story returns one story, or an error matching ErrNotFound.
	Story(ctx context.Context, id int64) (Story, error)
	// StoryEvents returns the merges and splits a story took part in, on
	// either side (as Story or as Other), oldest first.
	StoryEvents(ctx context.Context, storyID int64) ([]StoryEvent, error)
	// MaxStoryID returns the highest story ID ever used, in either view,
	// including stories since deleted by a merge, so that new IDs are never
	// reused.
	MaxStoryID(ctx context.Context) (int64, error)
	// Validators returns the conditional-GET state of a URL; both are ""
	// for a URL never seen. The writer records them (Tx.SetValidators).
	Validators(ctx context.Context, url string) (etag, lastModified string, err error)
	// Counts returns the number of stored articles (copies included) and
	// stories.
	Counts(ctx context.Context) (articles, stories int64, err error)
	Close() error
}

// Tx is one write transaction. Nothing it writes is visible to others, or
// survives a crash, before Commit. Rollback after Commit does nothing, so
// `defer tx.Rollback()` is safe.
//
// References between rows (an article's Story, DuplicateOf, RelatedOf) are
// checked at Commit, so rows may be written in any order within the batch;
// Commit fails, and the batch is lost, if one points to nothing.
//
// A method that fails with ErrNotFound or ErrDuplicateHash, or refuses its
// arguments, leaves the transaction as it was; after any other error the
// batch may be lost (PostgreSQL ends a transaction at its first failed
// statement): roll it back.
type Tx interface {
	// ArticleByHash finds the earliest stored article, original or copy,
	// with this content hash: the item is already stored.
	ArticleByHash(ctx context.Context, hash string) (id int64, found bool, err error)
	// NearDuplicates returns originals sharing at least one LSH band key
	// with bands (see dedup.Bands), including those written earlier in this
	// transaction: most shared bands first, at most MaxCandidates.
	NearDuplicates(ctx context.Context, bands []uint64) ([]Candidate, error)
	// InsertArticle stores a and sets a.ID (a non-zero a.ID is kept, for
	// imports). The LSH bands of a.MinHash are indexed unless a is a
	// duplicate. It fails with ErrDuplicateHash when an original with the
	// same ContentHash exists.
	InsertArticle(ctx context.Context, a *article.Article) error
	// Place records where the stream put an article: both views, and the
	// time it took in the stream.
	Place(ctx context.Context, articleID int64, p Placement) error
	// SetArticleStory moves an article to another story in the readers'
	// view.
	SetArticleStory(ctx context.Context, articleID, storyID int64) error
	// SetEvicted marks articles as no longer held in the assigner's memory.
	SetEvicted(ctx context.Context, ids []int64) error
	// SetEvictedStory moves the evicted articles of stream story stream to
	// story storyID in the readers' view; with all, every article of the
	// stream story moves (a story that closed shows as the stream left it).
	SetEvictedStory(ctx context.Context, stream, storyID int64, all bool) error
	// PutStreamStory inserts or replaces the state of a stream story.
	PutStreamStory(ctx context.Context, s StreamStory) error
	// PutParts replaces the settled halves' IDs (see Parts).
	PutParts(ctx context.Context, parts map[int64]int64) error
	// SetMeta stores value under key.
	SetMeta(ctx context.Context, key string, value []byte) error
	// SetValidators records the conditional-GET state of a feed URL; both
	// empty forgets the URL.
	SetValidators(ctx context.Context, url, etag, lastModified string) error
	// PutStory inserts or replaces the story with s.ID; a zero s.ID gets a
	// new one, written back to s.
	PutStory(ctx context.Context, s *Story) error
	// DeleteStory removes a story; its articles must be moved elsewhere in
	// the same transaction. Deleting a missing story is not an error.
	DeleteStory(ctx context.Context, id int64) error
	// MoveStream moves every stored article of stream story from into
	// stream story to (a merge in the stream, whatever part of from the
	// assigner holds); those readers saw in from they now see in story.
	MoveStream(ctx context.Context, from, to, story int64) error
	// AddStoryEvent records a merge or split.
	AddStoryEvent(ctx context.Context, e StoryEvent) error
	// The entities articles name, resolved in the writer's batch.
	entity.Registry
	// VisibleStoryVariants is StoryVariants for a story readers see.
	VisibleStoryVariants(ctx context.Context, storyID int64) ([]entity.Variant, error)
	// AddCorrection records a person's correction (its kind, and a body
	// the writer defines) and returns its ID; Correction reads it back;
	// SetUndone marks it undone.
	AddCorrection(ctx context.Context, kind string, body []byte) (int64, error)
	Correction(ctx context.Context, id int64) (kind string, body []byte, undone bool, err error)
	SetUndone(ctx context.Context, id int64) error
	// UnmergeEntity undoes a merge of from into into: the spellings norms
	// go back to from, with their mentions. ForgetSplit undoes a person's
	// separation of two entities.
	UnmergeEntity(ctx context.Context, into, from int64, norms []string) error
	ForgetSplit(ctx context.Context, a, b int64) error
	// PutDigest stores a story's digest; PutStory and DeleteStory drop it.
	PutDigest(ctx context.Context, storyID int64, body []byte) error
	// PutIntel replaces what an article says.
	PutIntel(ctx context.Context, articleID int64, in Intel) error
	// SplitVariant moves one spelling of an entity, with its mentions, to a
	// new entity, and records that a person separated them (see
	// entity.Registry.Separated). It returns the new entity's ID.
	SplitVariant(ctx context.Context, entityID int64, norm string) (int64, error)
	Commit() error
	Rollback() error
}

// Browser is implemented by stores offering the listings readers page
// through (browse.go; postgres's browse.go), with the same results and
// cursors in both stores.
type Browser interface {
	// StoriesPage returns a page of stories, most recent (or biggest)
	// first, and the cursor of the next page ("" at the end).
	StoriesPage(ctx context.Context, q StoryQuery) ([]Story, string, error)
	// EntityStories returns the latest stories readers see that name an
	// entity, most recent first.
	EntityStories(ctx context.Context, entityID int64, limit int) ([]Story, error)
	// SpeakerQuotes returns the latest quotes an entity said.
	SpeakerQuotes(ctx context.Context, entityID int64, limit int) ([]Quote, error)
	// OutletLangs returns the languages an outlet writes in and how many
	// of its articles are stored.
	OutletLangs(ctx context.Context, outlet string) ([]string, int, error)
	// LastStored returns when the latest article was stored (zero for
	// none).
	LastStored(ctx context.Context) (time.Time, error)
}

// Searcher is implemented by stores offering full-text search
// (search.go; postgres's search.go): SearchSpec's expressions are FTS5
// query syntax, and both stores find the same articles in the same order.
type Searcher interface {
	// SearchArticles returns a page of articles matching spec, in its
	// order, and the cursor of the next page ("" after the last).
	SearchArticles(ctx context.Context, spec SearchSpec) ([]SearchRow, string, error)
	// CountArticles counts the articles matching spec (its Cursor, Limit
	// and Order aside), stopping at atMost.
	CountArticles(ctx context.Context, spec SearchSpec, atMost int) (int, error)
}

// Backend is a whole store as the commands and the service use it: the
// contract, the listings and search. SQLite is one, and so is PostgreSQL's
// store; package storeurl opens either by its URL.
type Backend interface {
	Store
	Browser
	Searcher
}

var _ Backend = (*SQLite)(nil)

// StemmedSetter is implemented by transactions whose full-text index has a
// column for text stemmed by Storyline's own analyser (the SQLite Tx does).
type StemmedSetter interface {
	SetStemmed(ctx context.Context, articleID int64, stemmed string) error
}

// Candidate is a stored article that may be a near duplicate.
type Candidate struct {
	ID      int64
	Story   int64 // in the readers' view
	Stream  int64 // in the stream
	MinHash []uint64
}

// Placement is where an article stands in both views.
type Placement struct {
	Story   int64     // the story readers see it in
	Stream  int64     // the story the stream holds it in
	At      time.Time // the time it took in the stream
	Evicted bool      // no longer held in the assigner's memory
}

// StreamStory is the state of one story of the stream (story.StoryState).
type StreamStory struct {
	ID                 int64
	First, Last        time.Time
	Restamped, Changed bool
	Active             bool // held by the assigner: not closed or merged away
}

// EvictedTally describes the evicted articles of one active stream story.
type EvictedTally struct {
	Stream   int64
	Articles int
	Outlets  []string
	Langs    []string
	Titles   map[string]string // earliest title per language
	First    time.Time         // earliest stream time
	// Story is the story readers see them in (one of them, should they
	// differ).
	Story int64
}

// Story is a cluster of articles about one event.
type Story struct {
	ID        int64             `json:"id"`
	Headline  string            `json:"headline"`
	Titles    map[string]string `json:"titles,omitempty"` // lang → title
	FirstSeen time.Time         `json:"first_seen,omitzero"`
	LastSeen  time.Time         `json:"last_seen,omitzero"`
	Articles  int               `json:"articles"`
	Langs     []string          `json:"langs"`
	Outlets   []string          `json:"outlets"`
	TopTerms  []string          `json:"top_terms"`
}

// Kinds of StoryEvent.
const (
	EventMerge = "merge" // Other was merged into Story
	EventSplit = "split" // Other was split off Story
)

// StoryEvent is one step in the history of stories.
type StoryEvent struct {
	ID     int64     `json:"id"`
	Kind   string    `json:"kind"` // EventMerge or EventSplit
	Story  int64     `json:"story"`
	Other  int64     `json:"other"`
	At     time.Time `json:"at,omitzero"`
	Detail string    `json:"detail"`
	// Articles are those that moved, as far as the assigner held them.
	Articles []int64 `json:"articles,omitempty"`
}
