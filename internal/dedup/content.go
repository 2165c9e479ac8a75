package dedup

import (
	"strings"
	"unicode/utf8"
)

// Form-like lines. They are part of the signature's definition (the stored
// format): changing them changes what old and new signatures are taken over.
const (
	// FormLineWords is the most words a line of a space-separated script
	// may have and still be a form field, button, menu item or label
	// ("Name *", "Leave a Reply", "Remember Me", "Accept all", "Username
	// or Email Address"). On ecbplus-dev, lines of at most 4 words are
	// 470 of 12,594 and hold 0.6% of the words (datelines, bylines,
	// subheads: chrome that copies differ in anyway); at 6 they would hold
	// 1.7%, and lines of five or six words are as often a short sentence
	// ("This article is for subscribers only."); at 3, four-word field
	// labels would stay in. Dropping a line drops it from both texts of a
	// copy alike, so copies lose nothing they share.
	FormLineWords = 4
	// FormLineRunes is the same limit for scripts written without spaces,
	// in characters: "发表评论", "コメントを書く", "登录" are labels, a
	// clause of a dozen characters is prose.
	FormLineRunes = 10
)

// Content returns the part of text that a signature is taken over: its
// lines without the form-like ones (see FormLineWords), joined by
// newlines. Two unrelated pages whose extraction kept only a comment form,
// a login box or a cookie banner share those lines and little else; the
// lines must not be what makes them copies. A text with no longer line (a
// headline alone, a results table of short rows) is kept whole: there is
// nothing else to tell its copies by, and Options.MinShared decides
// whether it is enough.
func Content(text string) string {
	var kept []string
	short := false
	for line := range strings.Lines(text) {
		n := Normalize(line)
		if n == "" {
			continue // nothing to shingle: dropping it changes nothing
		}
		if formLike(n) {
			short = true
			continue
		}
		kept = append(kept, strings.TrimRight(line, "\r\n"))
	}
	if !short || len(kept) == 0 {
		return text
	}
	return strings.Join(kept, "\n")
}

// formLike reports whether a normalised line is short enough to be a form
// field or a label (FormLineWords, FormLineRunes).
func formLike(n string) bool {
	if unsegmented(n) {
		return utf8.RuneCountInString(n)-strings.Count(n, " ") <= FormLineRunes
	}
	return strings.Count(n, " ")+1 <= FormLineWords
}
