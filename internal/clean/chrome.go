package clean

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Chrome phrases, matched against a line's lower-cased letters-only key
// (digits and punctuation dropped, words single-spaced), from the phrase
// files (phrases.go). They are short, generic UI strings in the languages
// the engine reads — never one site's.
var (
	chromeExact     = phraseKeySet("exact")
	chromeLabels    = phraseKeySet("label")
	chromeLabelList = phraseKeys("label")
	chromeAlways    = phraseKeys("always")
	chromePrefix    = phraseKeys("prefix")
	chromeContain   = phraseKeys("contains")
	relatedHeads    = phraseKeys("related")
	commentHeads    = phraseKeySet("comments")
	socialWords     = phraseKeySet("social")
	inlineHeads     = phraseKeySet("inline-related")
	aboutHeads      = phraseKeys("about")
	timeAgo         = phraseKeys("ago")
	creditWords     = phraseKeys("credit")
	commentBtns     = phraseKeySet("comment-buttons")
)

// labelled reports whether t opens with p followed by a colon, as in
// "责任编辑：王明": CJK prose may start with the same characters.
func labelled(t, p string) bool {
	rest, ok := strings.CutPrefix(t, p)
	return ok && (strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "："))
}

// mayBeCredit reports whether a line holds a credit word ([credit]) or ©;
// lines without any skip the credit regexps.
func mayBeCredit(key, text string) bool {
	if strings.Contains(text, "©") {
		return true
	}
	for _, w := range creditWords {
		if containsWord(key, w) {
			return true
		}
	}
	return false
}

// allSocial reports whether a line is nothing but share-button labels.
func allSocial(key string) bool {
	n := 0
	for key != "" {
		w := key
		if i := strings.IndexByte(key, ' '); i >= 0 {
			w, key = key[:i], key[i+1:]
		} else {
			key = ""
		}
		if !socialWords[w] {
			return false
		}
		n++
	}
	return n >= 2
}

// isCommentHead reports whether key is a comment-section header, alone or
// followed by a button label ("Add comment Cancel reply").
func isCommentHead(key string) bool {
	if commentHeads[key] {
		return true
	}
	for _, p := range commentHeadsMulti {
		if hasWordPrefix(key, p) {
			return true
		}
	}
	return false
}

// commentHeadsMulti are the multi-word comment headers, which may carry a
// button label after them.
var commentHeadsMulti = func() []string {
	var out []string
	for p := range commentHeads {
		if strings.Contains(p, " ") {
			out = append(out, p)
		}
	}
	return out
}()

// Comment-thread furniture: author lines ("Jane says:"), buttons, vote
// counts, timestamps and "12 comments" counters. Split into cheap checks so
// that most lines never reach a regexp.
var (
	saidRe        = regexp.MustCompile(`(?i)\b(?:said|says|wrote|writes|replied|dice|disse|schrieb|a écrit|написал|napisał)\s*:\s*$`)
	agoRe         = regexp.MustCompile(`(?i)\b(?:\d+|an?)\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b`)
	stampRe       = regexp.MustCompile(`(?i)\b(?:at|um|à|alle|в)\s+\d{1,2}[:.]\d\d\s*(?:am|pm|h)?$`)
	countRe       = regexp.MustCompile(`(?i)^\d+\s+(?:responses|comments|replies|komentar|comentários|comentarios|kommentare|commentaires|commenti|комментари\w*|yorum|komentarz\w*)\b`)
	votesSuffixRe = regexp.MustCompile(`(?i)\bvotes?$`)
)

// isCommentMark reports whether l looks like comment-thread furniture.
// A full sentence never is, even one that says "3 years ago".
func isCommentMark(l *line) bool {
	if l.runes > 80 || l.prose {
		return false
	}
	t := l.text
	switch {
	case commentBtns[l.keyLower]:
		return true
	case strings.HasSuffix(t, ":") && saidRe.MatchString(t):
		return true
	case strings.HasPrefix(l.keyLower, "rating"):
		return true
	case votesSuffixRe.MatchString(t):
		return true
	case strings.Contains(t, "ago") && agoRe.MatchString(t):
		return true
	case l.digits > 0 && strings.ContainsAny(t, ":.") && stampRe.MatchString(t):
		return true
	case l.digits > 0 && countRe.MatchString(t):
		return true
	}
	return false
}

// aboutThis reports an "About this rating"-style label, which is part of
// the article, not company or author boilerplate.
func aboutThis(rest string) bool {
	f := strings.Fields(rest)
	return len(f) == 0 || f[0] == "this" || f[0] == "these" || f[0] == "that" || f[0] == "us"
}

func phraseSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, p := range phraseList(s) {
		m[p] = true
	}
	return m
}

func phraseList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "|") {
		p = strings.TrimSpace(normKey(p))
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// normKey lower-cases p and reduces it to the key form analyse builds.
func normKey(p string) string {
	l := line{text: p}
	analyse(&l)
	return l.keyLower
}

// hasWordPrefix reports whether key starts with p at a word boundary.
func hasWordPrefix(key, p string) bool {
	return strings.HasPrefix(key, p) && (len(key) == len(p) || key[len(p)] == ' ' || !isASCIIWordByte(p[len(p)-1]))
}

func isASCIIWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= 0x80 }

// containsWord reports whether p occurs in key as whole words.
func containsWord(key, p string) bool {
	for i := 0; ; {
		j := strings.Index(key[i:], p)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || key[j-1] == ' ' || p[0] >= 0x80
		end := j + len(p)
		after := end == len(key) || key[end] == ' ' || p[len(p)-1] >= 0x80
		if before && after {
			return true
		}
		i = j + 1
	}
}

var (
	urlRe = regexp.MustCompile(`(?i)^(?:\[?https?://\S+\]?|www\.\S+|\S+\.(?:com|org|net|jpg|png|gif)\S*)$`)
	imgRe = regexp.MustCompile(`^\[[^\]]*\]$`)
	// A caption ending in its credit: "… in Tokyo. Credit: ESA".
	creditTail = regexp.MustCompile(`(?i)(?:credit|credits|photo|photograph|image|picture|foto|crédit|crédito|bild)\s*:\s*[^.!?:]{1,60}$`)
	// "Submitted photo", "… via AP".
	creditEndRe = regexp.MustCompile(`(?i)(?:\b(?:submitted|file|staff|courtesy|handout|contributed) (?:photo|image)|\bvia (?:ap|reuters|afp|getty images|epa))$`)
	// "Jane Doe/Reuters", "Jane Doe | Bloomberg | Getty Images".
	nameCreditRe = regexp.MustCompile(`^\p{Lu}[\pL.'’ -]+(?:\s*[/|]\s*\p{Lu}[\pL.'’ -]+)+$`)
	creditParen  = regexp.MustCompile(`(?i)\((?:[\pL.' -]{2,40}/[\pL.' -]{2,40}|[^()]*\b(?:photo|photos|foto|fotos|image|images|via ap|getty|reuters|afp|epa|shutterstock|file|credit|courtesy|illustration|pool)\b[^()]*)\)\s*$`)
	// A credit line: "AP Photo", "Photo: Jane Doe/Reuters", "Фото ТАСС". The
	// word alone opens headlines too ("Photos show…", "Credit Suisse…"), so
	// it needs a separator after it, or at most two words.
	creditLineRe = regexp.MustCompile(`(?i)^(?:(?:ap|afp|reuters|epa|getty|xinhua|kyodo|anadolu|dpa|ansa|efe|bloomberg|file|pool|press)\b[\w /.&-]{0,30}\b(?:photo|photos|images|image|foto|pool)|(?:photo|foto|image|picture|credit|bild|imagem|imagen|фото|ảnh)\w{0,3}\s*(?:(?:by|:|/|credit|©)[^.]{0,60}|(?:[^\s.]+\s*){0,2})|getty images|shutterstock|©.{0,60})$`)
)

// copyrightRe is a copyright notice: the word with a year or the (c)
// sign. "Copyright" alone is an ordinary word ("a copyright lawsuit").
var copyrightRe = regexp.MustCompile(`(?i)\bcopyright\W{0,3}(?:©|ⓒ|\(c\)|(?:19|20)\d\d)`)

// markChrome sets the chrome, related, linky and caption flags of l.
// Rules keyed to a line's shape (whole-line phrases, "Label:" openings,
// button rows, headers of a few words) fire on any line; rules keyed to
// words inside a line (prefix, contains, time stamps, credits) fire only
// on lines that do not read as prose (isProse), since those words are
// also ordinary words of some language.
func markChrome(l *line) {
	k := l.keyLower
	t := strings.TrimSpace(l.text)
	l.prose = isProse(l)
	if (!strings.ContainsAny(t, " \t") && (urlRe.MatchString(t) || strings.Count(t, "-")+strings.Count(t, "_") >= 3) || strings.HasPrefix(t, "[") && imgRe.MatchString(t)) && !commentHeads[k] {
		l.linky = true
		return
	}
	if l.words <= 6 && isCommentHead(k) {
		l.comments = true
		l.chrome = true
		return
	}
	if k == "" {
		// Only digits and punctuation: counters and separators, or table
		// cells; context decides.
		l.numeric = true
		return
	}
	if l.words <= 8 && !l.sentEnd || l.words <= 4 {
		for _, p := range relatedHeads {
			if k == p || l.words <= 6 && hasWordPrefix(k, p) && strings.HasSuffix(t, ":") {
				l.related = true
				return
			}
		}
	}
	if l.words <= 5 && !l.sentEnd && l.words >= 2 {
		for _, p := range aboutHeads {
			if hasWordPrefix(k, p) && !aboutThis(k[len(p):]) {
				l.related = true
				l.about = true
				return
			}
		}
	}
	if l.words <= 12 && allSocial(k) {
		l.chrome = true
		return
	}
	if l.words <= 4 && !l.sentEnd && strings.HasPrefix(k, "more ") {
		// "More Washington Examiner", "More from Sport": a tail of teasers.
		l.related = true
		return
	}
	if chromeExact[k] || l.words <= 15 && chromeParts(t) {
		l.chrome = true
		return
	}
	if !l.prose && l.runes < 100 && (mayBeCredit(k, t) && (creditLineRe.MatchString(t) || creditEndRe.MatchString(t)) || l.words <= 8 && !l.sentEnd && strings.ContainsAny(t, "/|") && nameCreditRe.MatchString(t)) {
		l.caption = true
		return
	}
	if isLabelled(k, t) {
		l.chrome = true
		return
	}
	if strings.Contains(t, "://") || strings.Contains(t, "www.") {
		// "Listen: https://…", "Download: http://…": a link with its label.
		if lk, rest := labelKey(t); lk != "" && urlRe.MatchString(rest) {
			l.linky = true
			return
		}
	}
	if l.words <= maxNoticeWords {
		if strings.ContainsAny(t, "©ⓒ") || strings.Contains(k, "copyright") && copyrightRe.MatchString(t) {
			l.chrome = true
			return
		}
		for _, p := range chromeAlways {
			if containsWord(k, p) {
				l.chrome = true
				return
			}
		}
	}
	if l.prose {
		return
	}
	if l.words <= 15 || l.runes < 120 {
		for _, p := range chromePrefix {
			if hasWordPrefix(k, p) && (!l.cjk || l.runes <= 30 || labelled(t, p)) {
				l.chrome = true
				return
			}
		}
		// "3 hours ago", "vor 2 Stunden": the words are ordinary ("vor",
		// "il y a", "منذ"), so only a short line with a number counts.
		if l.words <= 6 && !l.sentEnd && (l.digits > 0 || l.words <= 2) {
			for _, p := range timeAgo {
				if containsWord(k, p) {
					l.chrome = true
					l.ago = true
					return
				}
			}
		}
	}
	if l.words <= maxContainsWords {
		for _, p := range chromeContain {
			if containsWord(k, p) {
				l.chrome = true
				return
			}
		}
	}
	tail := t
	if len(tail) > 160 {
		tail = tail[len(tail)-160:]
		for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
			tail = tail[1:]
		}
	}
	if l.words <= 80 && strings.Contains(tail, ":") && creditTail.MatchString(tail) {
		l.caption = true
		return
	}
	if strings.HasSuffix(t, ")") && creditParen.MatchString(tail) {
		l.caption = true
	}
}

const (
	// maxNoticeWords bounds the lines that [always] phrases and copyright
	// notices mark: a notice runs a sentence or three, and a longer line
	// that quotes one is body.
	maxNoticeWords = 60
	// maxContainsWords bounds the non-prose lines that [contains] phrases
	// mark: cookie banners and app promos run long but not this long.
	maxContainsWords = 60
)
