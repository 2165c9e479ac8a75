package clean

import (
	"strings"
	"unicode/utf8"
)

// The prose test. Chrome phrases are short UI strings, but the words they
// are made of ("search", "notice", "tips", "yang pertama", 不代表) are
// ordinary words too, and a rule that fires on a sentence deletes body
// text that no later step brings back. So prefix and contains rules fire
// only on lines that do not read as prose: a full sentence, of several
// words, dense in the function words of some language, ending in sentence
// punctuation. Whole-line ([exact]) and "Label:" rules fire on any line:
// their shape, not their words, is what makes them chrome.
//
// The thresholds trade prose kept against chrome sentences kept (a promo
// such as "Download our app today and start exploring." reads as prose and
// stays unless the body search leaves it out). They were chosen on
// testdata/prose (ordinary news sentences in ten languages, none of which
// any rule may touch) and checked against shingle F1 on the tuning half of
// plaintext-scrapinghub: 0.9461 with them, 0.9459 with the old phrase
// lists and no prose test (eval_test.go has the checking half).
const (
	// proseMinWords: a sentence of fewer words is as likely a button
	// label or a caption credit as prose ("Be the first to comment.").
	proseMinWords = 6
	// proseMinStop: share of words in the stop lists. News prose runs at
	// 0.2–0.5 in the languages with a list; menus, tag lists and
	// headlines at 0–0.1.
	proseMinStop = 0.12
	// proseLongWords: a sentence this long reads as prose whatever its
	// stop-word rate: the lists are small, and Russian or Arabic news
	// sentences run at 0–0.1 against them ("Главная задача правительства
	// сейчас — снизить инфляцию, заявил премьер-министр."); languages
	// without a list rely on it alone. Tag lists and menus seldom end in
	// a full stop, so little chrome gets through here.
	proseLongWords = 8
	// proseMinRunesCJK: a CJK sentence of this many characters ending in
	// 。！？ is prose; chrome in these scripts is labels and short lines.
	proseMinRunesCJK = 10
)

// isProse reports whether l reads as a full sentence of body text.
func isProse(l *line) bool {
	if !l.fullStop {
		return false
	}
	if l.cjk {
		return l.runes >= proseMinRunesCJK
	}
	if l.words < proseMinWords {
		return false
	}
	return l.stop >= proseMinStop || l.words >= proseLongWords
}

// endsFullStop reports whether s ends like a full sentence: sentence
// punctuation, ignoring closing quotes and brackets. Unlike endsSentence,
// a colon or semicolon does not count: a line ending so introduces a list
// or a link ("Sign up for our newsletter:").
func endsFullStop(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || strings.ContainsRune("\"'”’»)]」』", r)
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?。！？؟।", r) && !strings.HasSuffix(s, "..")
}

// labelKey returns the key of the label a line opens with, as in
// "Disclaimer: …" or "责任编辑：王明" (the text before a colon within the
// first few words), and the trimmed rest of the line. "" when the line
// has none.
func labelKey(t string) (key, rest string) {
	i := strings.IndexAny(t, ":：")
	if i <= 0 || i > maxLabelBytes {
		return "", ""
	}
	head := t[:i]
	if strings.Count(head, " ") > maxLabelSpaces || strings.Contains(head, "//") {
		return "", ""
	}
	_, n := utf8.DecodeRuneInString(t[i:])
	return normKey(head), strings.TrimSpace(t[i+n:])
}

// isLabelled reports whether line t, of key k, opens with a chrome label
// and a colon. The key's opening words are tested first: most lines open
// with no label, and labelKey costs a normKey.
func isLabelled(k, t string) bool {
	if !strings.ContainsAny(t, ":：") {
		return false
	}
	for _, p := range chromeLabelList {
		if hasWordPrefix(k, p) {
			lk, _ := labelKey(t)
			return chromeLabels[lk]
		}
	}
	return false
}

const (
	// A label is a few words: "Editor in charge", "Palavras-chave".
	maxLabelBytes  = 40
	maxLabelSpaces = 4
)

// chromeParts reports a line of chrome links run together with separators,
// "Privacy Policy | Terms of Use | Contact us": every part is a whole
// chrome line on its own.
func chromeParts(t string) bool {
	if !strings.ContainsAny(t, "|•·") {
		return false
	}
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == '|' || r == '•' || r == '·' })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		k := normKey(p)
		if k == "" {
			continue
		}
		if !chromeExact[k] && !socialWords[k] {
			return false
		}
	}
	return true
}
