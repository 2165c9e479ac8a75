// Package clean turns a plain-text scrape of a news page — site chrome and
// all — into the article it carries, plus any other articles glued to its
// tail.
//
// The approach is jusText's, adapted to one-block-per-line text: each line
// is classified from its length, function-word density (small stop lists in
// several languages), sentence punctuation and a multilingual list of
// chrome phrases. The body is the best-scoring contiguous run of lines
// (Kadane's algorithm), searched between "related articles" headers and
// comment threads and anchored, where the page repeats its <title>, right
// after its own headline; it is then extended through list-like lines.
// Bylines, date lines and repeated headlines inside a run mark the start of
// another article. What follows a related header is split into separate
// documents. Title, outlet, date, dateline and source URL come from the
// lines around the body.
package clean

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	// Agency is the wire service a dateline credits, as in
	// "TOKYO (Kyodo) --"; Source falls back to it.
	Agency string
}

// Result is what one scrape holds: its main article and the unrelated
// articles found after it ("Related articles" and the like).
type Result struct {
	Main    Doc
	Related []Doc
}

// Text cleans one scrape. It never fails: hostile input (binary, invalid
// UTF-8, huge lines) yields an empty or partial Result, in time linear in
// the input.
func Text(s string) Result {
	lines := splitLines(Sanitize(s))
	if len(lines) == 0 {
		return Result{}
	}
	seen := make(map[string]int, len(lines))
	for i := range lines {
		l := &lines[i]
		analyse(l)
		markChrome(l)
		l.meta = isMetaLine(l)
		if j, ok := seen[l.text]; ok && j != i {
			l.dup = true
		} else {
			seen[l.text] = i
		}
	}
	markCaptions(lines)
	for i := range lines {
		classify(&lines[i])
		lines[i].cmark = isCommentMark(&lines[i])
	}
	demoteInlineHeads(lines)
	a, b := mainBlock(lines)
	b = extendBlock(lines, a, b)
	// A headline or kicker opening the run belongs to the header.
	for a < b-1 && lines[a].cls != good && !lines[a].sentEnd && (headlineLike(&lines[a]) || lines[a].cls == bad) {
		a++
	}
	var res Result
	if a < b {
		res.Main.Text = bodyText(lines[a:b])
	}
	res.Main = meta(lines, a, b, res.Main)
	res.Related = relatedDocs(lines, b)
	return res
}

// Sanitize makes s safe to scan: invalid UTF-8 becomes U+FFFD, CRLF and CR
// become LF, and other control characters become spaces. Main.Text lines
// are always lines of Sanitize(s).
func Sanitize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	clean := true
	for _, r := range s {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == '\u2028' || r == '\u2029') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				break // the LF follows
			}
			b.WriteByte('\n')
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0):
			b.WriteByte(' ')
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// splitLines returns the trimmed non-empty lines of s.
func splitLines(s string) []line {
	out := make([]line, 0, strings.Count(s, "\n")/2+1)
	for len(s) > 0 {
		var t string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			t, s = s[:i], s[i+1:]
		} else {
			t, s = s, ""
		}
		t = strings.TrimFunc(t, isBlank)
		if t == "" {
			continue
		}
		out = append(out, line{text: t, idx: len(out)})
	}
	return out
}

// isBlank reports spaces and invisible format characters (zero-width
// spaces and joiners, BOM), which scrapes leave on otherwise empty lines.
func isBlank(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// markCaptions flags photo captions: a line directly followed by a photo
// credit line is the caption the credit belongs to.
func markCaptions(lines []line) {
	for i := 0; i+1 < len(lines); i++ {
		next := &lines[i+1]
		if next.caption && next.runes < 100 && !lines[i].caption && lines[i].words <= 50 && !lines[i].related && !lines[i].meta {
			lines[i].caption = true
		}
	}
}

// score is a line's contribution to a candidate body block.
func score(ls []line, i int) float64 {
	l := &ls[i]
	if l.boxed {
		return -0.2
	}
	if isBreak(ls, i) {
		return costBreak
	}
	switch l.cls {
	case good:
		if l.titleCase {
			return 0.4
		}
		sc := 1 + float64(min(l.runes, 800))/250
		// Body paragraphs come in runs; teaser lists alternate a
		// headline with one blurb.
		if i > 0 && ls[i-1].cls == good || i+1 < len(ls) && ls[i+1].cls == good {
			sc += 0.7
		}
		return sc
	case nearGood:
		return 0.4
	case short:
		switch {
		case l.dup:
			return costDup
		case l.numeric:
			return costNumeric
		case l.words >= 4 && l.stop > 0:
			return costShortWords
		case l.words <= 1:
			return costOneWord
		}
		return costShort
	}
	if l.related {
		return -4
	}
	if l.caption {
		// Photo captions and galleries sit inside articles.
		return costCaption
	}
	return -1.5
}

// mainBlock returns the half-open range of lines holding the article body:
// the best-scoring contiguous run (Kadane), searched separately in the
// stretches between "related" and comment-section headers so that a tail of
// other stories or comments is never merged into the body. The page's own
// headline (the line the scrape's first line, its <title>, repeats) also
// starts a stretch, and the run right after it is preferred: teasers
// before it are other stories.
func mainBlock(lines []line) (int, int) {
	bestA, bestB, best := 0, 0, 0.0
	title := headlineIndex(lines)
	segStart := 0
	afterRelated := false
	closed := false // a comment thread has begun
	for i := 0; i <= len(lines); i++ {
		thread := false
		if i < len(lines) && !lines[i].related && i != title {
			if thread = isThreadHead(lines, i); !thread {
				continue
			}
		}
		a, b, sc := kadane(lines[segStart:i])
		if title >= 0 && segStart == title && a <= 10 {
			sc *= titleBonus
		}
		// Stories after a related header are usually other articles: an
		// earlier block must be clearly weaker to lose to them. After a
		// comment thread starts, any real body found before it wins.
		if afterRelated && best >= 6 {
			sc *= 0.6
		}
		if closed && best >= 4 {
			sc = 0
		}
		if sc > best {
			bestA, bestB, best = segStart+a, segStart+b, sc
		}
		if i < len(lines) {
			afterRelated = afterRelated || lines[i].related
			closed = closed || thread
		}
		segStart = i + 1
		if i == title {
			segStart = i
		}
	}
	return bestA, bestB
}

// pageTitle strips a site name from a <title>-style line: the longest of
// its " | ", " - ", " – ", " — " separated parts.
func pageTitle(s string) string {
	best := s
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · "} {
		if !strings.Contains(s, sep) {
			continue
		}
		parts := strings.Split(s, sep)
		best = parts[0]
		for _, p := range parts[1:] {
			if len(p) > len(best) {
				best = p
			}
		}
		break
	}
	return strings.TrimSpace(best)
}

// headlineIndex returns the first line after the first that repeats the
// page's first line (or its start, the part before " | Site") and has a
// body paragraph within the next few lines; -1 if there is none.
func headlineIndex(lines []line) int {
	if len(lines) < 3 {
		return -1
	}
	first := pageTitle(lines[0].text)
	need := utf8.RuneCountInString(first) * 4 / 5
	for i := 1; i < len(lines); i++ {
		l := &lines[i]
		if l.runes < 15 || l.words < 3 || l.runes > 300 || l.runes < need || !strings.HasPrefix(first, l.text) {
			continue
		}
		for j := i + 1; j < len(lines) && j <= i+10; j++ {
			if lines[j].cls == good {
				return i
			}
		}
	}
	return -1
}

// isThreadHead reports whether line i opens a comment thread: a comment
// header, or a comment-like line (an author "says:", a reply button, a
// "2 days ago" or "at 6:34 am" stamp, a vote count), followed closely by
// more comment-like lines.
func isThreadHead(lines []line, i int) bool {
	l := &lines[i]
	if l.cls == good || l.runes > 80 {
		return false
	}
	if !l.comments && !l.cmark {
		return false
	}
	n := 0
	for j := i + 1; j < len(lines) && j <= i+15; j++ {
		if lines[j].cmark {
			n++
		}
	}
	return n >= 3 || l.comments && n >= 2
}

func kadane(ls []line) (int, int, float64) {
	bestA, bestB, best := 0, 0, 0.0
	curA, cur := 0, 0.0
	// gapEnd[i] is the next good line at or after i; a short gap between
	// good lines (a subhead, a photo file name, a product line) is body
	// furniture, and costs less than the same lines in a menu.
	nextGood := len(ls)
	gapNext := make([]int, len(ls))
	for i := len(ls) - 1; i >= 0; i-- {
		if ls[i].cls == good {
			nextGood = i
		}
		gapNext[i] = nextGood
	}
	prevGood := -1
	for i := range ls {
		if cur <= 0 {
			curA, cur = i, 0
		}
		sc := score(ls, i)
		if ls[i].cls == good {
			prevGood = i
		} else if sc < 0 && !isBreak(ls, i) && prevGood >= 0 && gapNext[i] < len(ls) && gapNext[i]-prevGood-1 <= gapLines && !ls[i].related {
			sc *= gapFactor
		}
		cur += sc
		if cur > best {
			bestA, bestB, best = curA, i+1, cur
		}
	}
	return bestA, bestB, best
}

// extendBlock carries the body past its best-scoring end through list-like
// lines (recipe steps, tour dates, table rows) that score below zero one by
// one. It stops at any chrome, header, byline or date line, and at a run of
// one- and two-word lines, which is how menus look.
func extendBlock(lines []line, a, b int) int {
	if a >= b {
		return b
	}
	end, weak := b, 0
	for i := b; i < len(lines); i++ {
		l := &lines[i]
		if l.related || l.comments || l.meta || l.cmark || l.chrome {
			break
		}
		if l.caption || l.boxed || l.linky {
			continue
		}
		if l.cls == short && (l.words <= extendWords && !l.numeric || l.dup) {
			weak++
			if weak >= extendWeak {
				break
			}
			continue
		}
		weak = 0
		end = i + 1
	}
	return end
}

// isBreak reports lines that start another article when they turn up
// inside a run: a byline or date line, or a headline printed twice within
// a few lines (a teaser card).
func isBreak(ls []line, i int) bool {
	l := &ls[i]
	return l.cls != good && (l.meta || l.dup && nearDup(ls, i, 3))
}

// nearDup reports whether line i repeats one of the d lines before it.
func nearDup(ls []line, i, d int) bool {
	for j := max(0, i-d); j < i; j++ {
		if ls[j].text == ls[i].text {
			return true
		}
	}
	return false
}

// bodyText joins the body lines of a block, dropping chrome, captions and
// repeated paragraphs.
func bodyText(ls []line) string {
	var b strings.Builder
	for i := range ls {
		l := &ls[i]
		if l.cls == bad || l.boxed || l.dup && isRepeatable(l) {
			continue
		}
		if l.meta {
			continue
		}
		// An image's alt text and caption: the same short line twice.
		if !l.sentEnd && l.cls != good && (i+1 < len(ls) && ls[i+1].text == l.text || i > 0 && ls[i-1].text == l.text) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// isRepeatable reports whether a repeated line is dropped as a duplicate
// paragraph. Short labels ("Step 1", "Serves 4") legitimately recur.
func isRepeatable(l *line) bool {
	return l.words >= 6 || l.runes >= 40
}

// demoteInlineHeads turns "Read more"/"Related" headers that sit inside
// the article into plain chrome. Such a header is an inline link box when
// prose resumes right after it, or when a short box of headline lines is
// followed by a run of body paragraphs. A box that carries outlet, date or
// time lines is a tail of other articles and stays a header.
func demoteInlineHeads(lines []line) {
	for i := range lines {
		if !lines[i].related {
			continue
		}
		if inlineHeads[lines[i].keyLower] && i > 0 && lines[i-1].cls >= nearGood && i+1 < len(lines) && lines[i+1].cls == good {
			lines[i].related = false
			lines[i].chrome = true
			continue
		}
		j := i + 1
		for j < len(lines) && j <= i+10 && lines[j].cls != good {
			j++
		}
		if j >= len(lines) || j > i+10 {
			continue
		}
		resumed := 0
		for k := j; k < len(lines) && k < j+4; k++ {
			if lines[k].cls == good {
				resumed++
			}
		}
		if resumed < 2 {
			continue
		}
		inline := true
		for k := i + 1; k < j; k++ {
			l := &lines[k]
			if l.meta || l.cmark || l.ago || isOutletLine(l) || k > i+1 && lines[k-1].text == l.text {
				inline = false
				break
			}
		}
		if !inline {
			continue
		}
		lines[i].related = false
		lines[i].chrome = true
		for k := i + 1; k < j; k++ {
			lines[k].boxed = true
		}
	}
}

// Line scores for the body search, tuned on the plain-text development set
// (see EvalPlaintext). Good lines score 1 + length/250 (+0.7 inside a run
// of good lines); everything else costs a little, so that the best run is
// a dense stretch of prose that tolerates subheads and photo file names.
const (
	costDup        = -1.0 // a line seen earlier on the page (menus repeat)
	costNumeric    = -0.8 // counters, scores, table cells
	costShortWords = -0.4 // a short line of four words or more
	costOneWord    = -0.7 // a one-word line: menus
	costShort      = -0.4
	costCaption    = -0.8
	costBreak      = -2.0 // a byline, date line or repeated headline: another article
	extendWords    = 2    // extendBlock stops at lines this short …
	extendWeak     = 1    // … after this many of them
	titleBonus     = 4.0  // weight of the run right after the page's own headline
	gapLines       = 4    // a gap this short between good lines …
	gapFactor      = 0.35 // … costs this share of its lines' scores
)
