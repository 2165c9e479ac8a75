// Package store keeps articles, stories and their history. Store and Tx are
// the storage contract every stage above is written against; SQLite (embedded,
// pure Go, with an FTS5 index) implements it, and PostgreSQL is meant to.
//
// Conventions every implementation keeps: zero times are stored as NULL and
// read back as the zero time; other times come back in UTC. Zero IDs
// (RelatedOf, DuplicateOf, Story) mean "none". Empty and nil lists and maps
// read back as nil.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/storyline/storyline/internal/article"
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
	// a time; a second Begin waits for the first to end.
	Begin(ctx context.Context) (Tx, error)
	// Articles calls fn for every article in ID order (export). An error
	// from fn stops the walk and is returned as is.
	Articles(ctx context.Context, fn func(*article.Article) error) error
	// ArticlesSince calls fn, in ID order, for the articles whose time —
	// published, else fetched, else when stored — is at or after t: the
	// story index rebuild at start-up.
	ArticlesSince(ctx context.Context, t time.Time, fn func(*article.Article) error) error
	// Latest returns the latest article time by the same measure (zero for
	// an empty store): the stream's "now", from which the story window
	// reaches back at start-up.
	Latest(ctx context.Context) (time.Time, error)
	// Article returns one article, or an error matching ErrNotFound.
	Article(ctx context.Context, id int64) (*article.Article, error)
	// Stories returns all stories, most recent LastSeen first.
	Stories(ctx context.Context) ([]Story, error)
	// Story returns one story, or an error matching ErrNotFound.
	Story(ctx context.Context, id int64) (Story, error)
	// StoryEvents returns the merges and splits a story took part in, on
	// either side (as Story or as Other), oldest first.
	StoryEvents(ctx context.Context, storyID int64) ([]StoryEvent, error)
	// MaxStoryID returns the highest story ID ever used, including stories
	// since deleted by a merge, so that new IDs are never reused.
	MaxStoryID(ctx context.Context) (int64, error)
	// Validators returns the conditional-GET state of a URL; both are ""
	// for a URL never seen.
	Validators(ctx context.Context, url string) (etag, lastModified string, err error)
	SetValidators(ctx context.Context, url, etag, lastModified string) error
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
	// SetArticleStory moves an article to another story (merges, splits).
	SetArticleStory(ctx context.Context, articleID, storyID int64) error
	// PutStory inserts or replaces the story with s.ID; a zero s.ID gets a
	// new one, written back to s.
	PutStory(ctx context.Context, s *Story) error
	// DeleteStory removes a story; its articles must be moved elsewhere in
	// the same transaction. Deleting a missing story is not an error.
	DeleteStory(ctx context.Context, id int64) error
	// MoveStory moves every stored article of story from into story to and
	// deletes story from: a merge, whatever part of from the caller holds.
	MoveStory(ctx context.Context, from, to int64) error
	// AddStoryEvent records a merge or split.
	AddStoryEvent(ctx context.Context, e StoryEvent) error
	Commit() error
	Rollback() error
}

// StemmedSetter is implemented by transactions whose full-text index has a
// column for text stemmed by Storyline's own analyser (the SQLite Tx does).
type StemmedSetter interface {
	SetStemmed(ctx context.Context, articleID int64, stemmed string) error
}

// Candidate is a stored article that may be a near duplicate.
type Candidate struct {
	ID      int64
	Story   int64
	MinHash []uint64
}

// Story is a cluster of articles about one event.
type Story struct {
	ID                  int64
	Headline            string
	Titles              map[string]string // lang → title
	FirstSeen, LastSeen time.Time
	Articles            int
	Langs               []string
	Outlets             []string
	TopTerms            []string
}

// Kinds of StoryEvent.
const (
	EventMerge = "merge" // Other was merged into Story
	EventSplit = "split" // Other was split off Story
)

// StoryEvent is one step in the history of stories.
type StoryEvent struct {
	ID     int64
	Kind   string // EventMerge or EventSplit
	Story  int64
	Other  int64
	At     time.Time
	Detail string
}
