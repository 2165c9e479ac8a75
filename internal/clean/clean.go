// Package clean turns a plain-text scrape of a news page — site chrome and
// all — into the article it carries, plus any other articles glued to its
// tail.
package clean

import (
	"strings"
	"time"
)

// Doc is one article found in a scrape.
type Doc struct {
	Title     string
	Text      string // paragraphs separated by "\n\n"
	Source    string // outlet, when the text names it
	Author    string
	Dateline  string
	URL       string // a source URL the text carries
	Published time.Time
}

// Result is what one scrape holds: its main article and the unrelated
// articles found after it ("Related articles" and the like).
type Result struct {
	Main    Doc
	Related []Doc
}

// Text cleans one scrape. PLACEHOLDER: keeps every non-empty line.
func Text(s string) Result {
	var paras []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			paras = append(paras, l)
		}
	}
	return Result{Main: Doc{Text: strings.Join(paras, "\n\n")}}
}
