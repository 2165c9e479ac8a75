// Package whatlanggo stands in for github.com/RadhiFadlillah/whatlanggo,
// which Storyline links only because go-trafilatura guesses the language
// of every page it extracts with it (its Metadata.Language).
//
// Storyline never reads that guess: it detects the language of the text
// it keeps itself (internal/langid). The guess cost about 1.3 ms of CPU a
// page, 6% of a page's whole way through the pipeline (storyline bench on
// the Scrapinghub pages, --cpuprofile), and the library's trigram tables
// sat in the binary. This module answers "unknown" at once; go.mod's
// replace directive puts it in the library's place.
//
// Only what go-trafilatura calls is here. A module that starts to need
// more of whatlanggo will not build until the replace goes.
package whatlanggo

// Lang is a language; the only one this package ever names is Unknown.
type Lang int

// Unknown is the language of every text here.
const Unknown Lang = -1

// DetectLang returns Unknown.
func DetectLang(string) Lang { return Unknown }

// Iso6391 returns the ISO 639-1 code of l: "" for Unknown.
func (l Lang) Iso6391() string { return "" }
