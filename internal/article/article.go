// Package article holds the values that flow through the pipeline: a raw
// Page as a source yields it, and the Article that every later stage fills in.
// Stages hand these values on; none of them goes back to the store mid-way.
package article

import (
	"strings"
	"time"
)

// Kind says how a page's body is to be read.
type Kind int

const (
	KindUnknown Kind = iota // sniff the body
	KindHTML
	KindText  // a plain-text scrape, chrome and all
	KindClean // text already extracted upstream (a JSONL "text" field): no chrome removal
)

// Page is one raw item from a source, before extraction.
type Page struct {
	// Input is what the user named: a path, a URL, or path#line for JSONL and
	// path#offset for WARC records. Reports and `storyline extract` print it.
	Input string
	URL   string
	Kind  Kind
	// Body is UTF-8: sources transcode before handing a page on.
	Body []byte

	// Hints a structured source (JSONL, feed item) already knows. Extraction
	// keeps them where it finds nothing better.
	ExternalID string
	Title      string
	Lang       string
	Source     string
	Published  time.Time
	Fetched    time.Time
}

// Article is one news article as it is stored.
type Article struct {
	ID         int64
	ExternalID string
	Input      string
	URL        string
	Source     string // outlet or site name
	Lang       string // ISO 639-1, "" when unknown
	Title      string
	Text       string
	Author     string
	Dateline   string // "TOKYO", as in "TOKYO (AP) --"
	Published  time.Time
	Fetched    time.Time

	// Related marks an article found glued to another page's tail
	// ("Related articles"); RelatedOf is the main article's ID once stored.
	Related   bool
	RelatedOf int64

	ContentHash string   // hex SHA-256 of the normalised text
	MinHash     []uint64 // near-duplicate signature
	DuplicateOf int64    // ID of the article this is a syndicated copy of
	Story       int64
}

// untitledWords is how many words of an untitled article's text stand for
// its title: enough to tell articles apart in a list, one line long.
const untitledWords = 12

// Heading is what stands for an article's title in lists: its title, or,
// for an article without one (a scrape whose headline was lost), its first
// words.
func Heading(title, text string) string {
	if title != "" {
		return title
	}
	f := strings.Fields(text)
	if len(f) > untitledWords {
		return strings.Join(f[:untitledWords], " ") + " …"
	}
	return strings.Join(f, " ")
}
