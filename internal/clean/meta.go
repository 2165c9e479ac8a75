package clean

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	sourceURLRe = regexp.MustCompile(`(?i)^(?:source|sources|sumber|fonte|fuente|quelle|источник|kaynak|źródło|fonti|来源|出典|المصدر|original|via)\s*[:：]\s*(https?://\S+)`)
	// A dateline: "TOKYO (AP) –", "TOKYO, Japan (Kyodo) --", "WASHINGTON —".
	datelineRe = regexp.MustCompile(`^([\p{Lu}][\p{Lu}\p{M} .'’-]{1,40}?)(?:,\s*[\p{L} .]{2,30}?)?\s*(?:\(([^()]{2,30})\)\s*)?(?:--|[-–—])\s`)
	bylineRe   = regexp.MustCompile(`(?i)^(?:by|oleh|por|von|par|di|от|автор|yazan|przez|written by|words by|reporter|reporting by)\s*:?\s+(\p{L}[\p{L}\p{M} .'’-]{1,60}?)(?:\s*[,|/]|\s+and\s|$)`)
	outletSep  = regexp.MustCompile(`^\s*[|•·/—–-]+\s*`)
)

// meta fills the title, outlet, date, dateline, author and source URL of
// the main document from the lines around its body [a,b).
func meta(lines []line, a, b int, d Doc) Doc {
	// Source URL: "Source: https://…" anywhere, usually at the end.
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-40; i-- {
		if m := sourceURLRe.FindStringSubmatch(lines[i].text); m != nil {
			d.URL = strings.TrimRight(m[1], ".,;)")
			break
		}
	}
	lo := max(0, a-25)
	// The site name the <title> line ends with beats a name beside a date,
	// which is often the author's.
	if a > 0 {
		d.Source = titleSite(lines[0].text)
	}
	// Outlet and date from the header lines just before the body, nearest
	// the body first.
	for i := a - 1; i >= lo && (d.Published.IsZero() || d.Source == ""); i-- {
		l := &lines[i]
		if l.runes > 200 {
			continue
		}
		t, da, db, ok := findDate(l.text)
		if !ok {
			continue
		}
		if d.Published.IsZero() {
			d.Published = t
		}
		if d.Source == "" {
			d.Source = outletAround(l.text, da, db)
		}
		// A bare date line may sit under or over a bare outlet line.
		for _, j := range []int{i - 1, i + 1} {
			if d.Source == "" && j >= 0 && j < a && isOutletLine(&lines[j]) && !lines[j].dup {
				d.Source = normOutlet(trimBullet(lines[j].text))
			}
		}
	}
	if d.URL != "" {
		if u, err := url.Parse(d.URL); err == nil && u.Host != "" {
			if d.Source == "" {
				d.Source = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
			}
			if t, ok := urlDate(u.Path); ok && d.Published.IsZero() {
				d.Published = t
			}
		}
	}
	// Lines just after the body sometimes carry the date ("Published …").
	for i := b; i < len(lines) && i < b+5 && d.Published.IsZero(); i++ {
		if lines[i].runes < 120 {
			if t, _, _, ok := findDate(lines[i].text); ok {
				d.Published = t
			}
		}
	}
	if a < b {
		first := lines[a].text
		for i := a; i < b; i++ {
			if lines[i].cls != bad {
				first = lines[i].text
				break
			}
		}
		d.Dateline, d.Agency = dateline(first)
	}
	if d.Source == "" {
		d.Source = d.Agency
	}
	for i := a - 1; i >= lo && d.Author == ""; i-- {
		if lines[i].runes < 100 {
			if m := bylineRe.FindStringSubmatch(lines[i].text); m != nil {
				d.Author = strings.TrimSpace(m[1])
			}
		}
	}
	d.Title = findTitle(lines, a)
	return d
}

var (
	// "NEW DELHI: Their …" — upper-case place, colon.
	datelineColonRe = regexp.MustCompile(`^(\p{Lu}[\p{Lu}\p{M} .'’-]{3,30}?)(?:\s*\(([^()]{2,30})\))?\s*:\s+\S`)
	// Caseless scripts: "طوكيو (أ ب) -".
	datelineCaselessRe = regexp.MustCompile(`^([\p{Arabic}\p{Hebrew}][\p{Arabic}\p{Hebrew} ]{1,30}?)\s*\(([^()]{1,30})\)\s*(?:--|[-–—:])`)
	// "新华社北京4月9日电": agency, place, date, 电.
	datelineZhRe = regexp.MustCompile(`^([\p{Han}]{1,4}社)([\p{Han}]{2,8}?)\d{1,2}月\d{1,2}日电`)
	// "【ワシントン共同】": place and agency in lenticular brackets.
	datelineJaRe = regexp.MustCompile(`^【([\p{Han}\p{Katakana}ー・]{2,12}?)(共同|時事|ロイター|AFP|AP|ブルームバーグ)?】`)
)

// notDateline are upper-case labels that open lines like a dateline.
var notDateline = phraseKeySet("not-dateline")

// dateline reads the dateline and wire agency opening a body's first line.
func dateline(s string) (place, agency string) {
	if m := datelineRe.FindStringSubmatch(s); m != nil && utf8.RuneCountInString(m[1]) >= 3 {
		return strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
	}
	if m := datelineColonRe.FindStringSubmatch(s); m != nil && !notDateline[normKey(m[1])] {
		return strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
	}
	for _, re := range []*regexp.Regexp{datelineCaselessRe, datelineJaRe} {
		if m := re.FindStringSubmatch(s); m != nil {
			return strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
		}
	}
	if m := datelineZhRe.FindStringSubmatch(s); m != nil {
		return m[2], m[1]
	}
	return "", ""
}

// titleSite returns the site name a <title>-style first line ends with:
// "Headline - WSJ", "Headline | The Beachbody Blog".
func titleSite(s string) string {
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · "} {
		i := strings.LastIndex(s, sep)
		if i <= 0 {
			continue
		}
		site := strings.TrimSpace(s[i+len(sep):])
		if isOutletName(site) {
			return normOutlet(site)
		}
		return ""
	}
	return ""
}

// outletAround returns the outlet named beside a date in a header line:
// "MAINICHI | April 9, 2025", "Euronews10-04-2025", "9 April 2025 - Reuters".
func outletAround(s string, da, db int) string {
	before := strings.TrimSpace(s[:da])
	after := strings.TrimSpace(s[db:])
	if before != "" {
		before = strings.TrimRightFunc(before, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune("|•·/—–-,:", r)
		})
		if isOutletName(before) {
			return normOutlet(before)
		}
		return ""
	}
	if after != "" {
		after = outletSep.ReplaceAllString(after, "")
		if isOutletName(after) {
			return normOutlet(after)
		}
	}
	return ""
}

// isOutletName accepts a short capitalised name that is not a date word or
// sentence.
func isOutletName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 40 || len(strings.Fields(s)) > 4 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return false
	}
	if strings.ContainsAny(s, ":@") || strings.HasSuffix(s, ",") {
		return false // times, handles, lists
	}
	l := line{text: s}
	analyse(&l)
	markChrome(&l)
	if l.keyLower == "" || l.chrome || l.related || l.comments || l.linky || notOutletName[l.keyLower] {
		return false
	}
	for _, w := range strings.Fields(l.keyLower) {
		if _, ok := monthNames[w]; ok || weekdays[w] || notOutlet[w] {
			return false
		}
	}
	return true
}

var weekdays = phraseSet(`monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|senin|selasa|rabu|kamis|jumat|sabtu|minggu|segunda|terça|quarta|quinta|sexta|sábado|domingo|lunes|martes|miércoles|jueves|viernes|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar|poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela`)

// notOutlet are words that show a short capitalised line is a label, not
// an outlet name; notOutletName are whole labels ("World News") made of
// words that outlet names also use ("Sky News").
var (
	notOutlet     = phraseKeySet("not-outlet")
	notOutletName = phraseKeySet("not-outlet-name")
)

// normOutlet title-cases an all-caps outlet name: "MAINICHI" → "Mainichi".
// Short acronyms ("BBC", "ABC News") stay upper case; short function
// words ("THE", "EL") do not.
func normOutlet(s string) string {
	letters, upper := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters <= 4 || upper != letters {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if utf8.RuneCountInString(w) <= 3 && len(words) > 1 && !stopWords[w] {
			words[i] = strings.ToUpper(w) // an acronym: "ABC NEWS"
			continue
		}
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// isMetaLine reports header lines that may sit inside the body block but
// are not body: bylines, date lines, "Published …".
func isMetaLine(l *line) bool {
	if l.runes < 600 && sourceURLRe.MatchString(l.text) {
		return true
	}
	if l.runes > 120 || l.sentEnd && l.words > 6 {
		return false
	}
	if bylineRe.MatchString(l.text) && (l.words <= 8 || l.words <= 20 && hasYear(l.text)) {
		return true
	}
	if _, a, b, ok := findDate(l.text); ok {
		rest := l.text[:a] + l.text[b:]
		if rl := (line{text: rest}); true {
			analyse(&rl)
			if rl.words <= 5 {
				return true
			}
		}
	}
	return false
}

// headlineLike reports whether l could be a title: a short line of words
// that is neither chrome nor a sentence-final fragment of body.
func headlineLike(l *line) bool {
	if l.chrome || l.related || l.linky || l.caption || l.cls == good && l.runes > 160 {
		return false
	}
	if l.words < 3 || l.words > 30 || l.runes > 200 || l.digits > 0.3 {
		return false
	}
	return !l.meta
}

// findTitle picks the headline before the body starting at line a: a
// headline-like line that repeats (scrapes often carry the title twice) or
// that the page's first line (its <title>) starts with, else the nearest
// one.
func findTitle(lines []line, a int) string {
	lo := max(0, a-25)
	first := ""
	if len(lines) > 0 {
		first = lines[0].text
	}
	bestI, best := -1, -1.0
	for i := a - 1; i >= lo; i-- {
		l := &lines[i]
		if !headlineLike(l) || l.sentEnd && l.words > 12 {
			continue
		}
		sc := 1 - float64(a-1-i)*0.05
		if repeatedNear(lines, i, 3) {
			sc += 1.5
		}
		if i > 0 && strings.HasPrefix(first, l.text) {
			sc += 3
		}
		if sc > best {
			bestI, best = i, sc
		}
	}
	if bestI < 0 {
		// No header: a page whose first line is a headline-like line.
		if a > 0 && headlineLike(&lines[0]) && !lines[0].sentEnd {
			return lines[0].text
		}
		return ""
	}
	return lines[bestI].text
}

// repeatedNear reports whether line i's text recurs within d lines of it.
func repeatedNear(lines []line, i, d int) bool {
	for j := max(0, i-d); j < len(lines) && j <= i+d; j++ {
		if j != i && lines[j].text == lines[i].text {
			return true
		}
	}
	return false
}

// relatedDocs splits the tail after the body (from line b) into the other
// articles it carries: each starts at a headline-like line and holds the
// prose lines after it. A tail is taken as articles only after a related
// header, or when headlines are followed by outlet or time lines.
func relatedDocs(lines []line, b int) []Doc {
	var docs []Doc
	seenTitle := map[string]bool{}
	var cur *Doc
	var paras []string
	seenHeader := false
	flush := func() {
		if cur != nil && len(paras) > 0 {
			cur.Text = strings.Join(paras, "\n\n")
			if utf8.RuneCountInString(cur.Text) >= 80 && cur.Title != "" && !seenTitle[cur.Title] {
				seenTitle[cur.Title] = true
				docs = append(docs, *cur)
			}
		}
		cur, paras = nil, nil
	}
	head := -1   // last headline candidate since the last prose line
	markers := 0 // outlet/time lines since that headline
	outlet := "" // short name line after the headline
	for i := b; i < len(lines); i++ {
		l := &lines[i]
		if l.related {
			seenHeader = true
			flush()
			head, markers, outlet = -1, 0, ""
			continue
		}
		prose := (l.cls == good || l.cls == nearGood && l.sentEnd) && !l.chrome && !l.caption
		if prose && !(head >= 0 && lines[head].text == l.text) {
			if head >= 0 && (seenHeader || markers > 0) {
				flush()
				cur = &Doc{Title: lines[head].text, Source: outlet}
				if t, ok := docDate(lines[head:i]); ok {
					cur.Published = t
				}
			}
			if cur != nil && !(l.dup && isRepeatable(l) && containsPara(paras, l.text)) {
				paras = append(paras, l.text)
			}
			head, markers, outlet = -1, 0, ""
			continue
		}
		if headlineLike(l) && !(head >= 0 && lines[head].text == l.text) && !isOutletLine(l) {
			head, markers, outlet = i, 0, ""
			continue
		}
		if head >= 0 && (l.chrome || isOutletLine(l) || l.meta) {
			markers++
			if outlet == "" && isOutletLine(l) {
				outlet = trimBullet(l.text)
			}
		}
	}
	flush()
	return docs
}

func containsPara(ps []string, s string) bool {
	for _, p := range ps {
		if p == s {
			return true
		}
	}
	return false
}

// isOutletLine reports a short capitalised name line such as "Euronews" or
// "• France 24" that credits a teaser to its outlet.
func isOutletLine(l *line) bool {
	if l.words == 0 || l.words > 3 || l.runes > 40 || l.sentEnd {
		return false
	}
	return isOutletName(trimBullet(l.text))
}

// trimBullet drops leading bullets and punctuation: "• Euronews".
func trimBullet(s string) string {
	return strings.TrimLeftFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func docDate(ls []line) (t0 time.Time, ok bool) {
	for i := range ls {
		if ls[i].runes < 120 {
			if t, _, _, ok := findDate(ls[i].text); ok {
				return t, true
			}
		}
	}
	return t0, false
}
