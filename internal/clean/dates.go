package clean

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// monthNames maps month names and abbreviations in the engine's languages
// (lower case; genitive forms where a language uses them in dates) to months.
var monthNames = func() map[string]time.Month {
	lists := []string{
		"january february march april may june july august september october november december",
		"jan feb mar apr may jun jul aug sep oct nov dec",
		"januari februari maret april mei juni juli agustus september oktober november desember",
		"janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
		"enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
		"januar februar märz april mai juni juli august september oktober november dezember",
		"janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
		"gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
		"января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
		"ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
		"stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
	}
	m := map[string]time.Month{"sept": time.September, "setiembre": time.September, "agu": time.August, "okt": time.October, "des": time.December, "mrt": time.March}
	for _, l := range lists {
		for i, w := range strings.Fields(l) {
			m[w] = time.Month(i + 1)
		}
	}
	return m
}()

var (
	isoDateRe  = regexp.MustCompile(`(?:^|\D)((?:19|20)\d\d)[-/.]\s?(\d{1,2})[-/.]\s?(\d{1,2})(?:\D|$)`)
	dmyDateRe  = regexp.MustCompile(`(?:^|\D)(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d\d)(?:\D|$)`)
	cjkDateRe  = regexp.MustCompile(`((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]`)
	urlDateRe  = regexp.MustCompile(`/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$)`)
	urlMonthRe = regexp.MustCompile(`/((?:19|20)\d\d)/(\d{1,2})/`)
)

// maxDateScan bounds the text searched for a date; dates sit in short lines.
const maxDateScan = 300

// findDate returns the first date written in s, with the byte range it
// occupies, trying numeric and named-month forms in several languages.
func findDate(s string) (time.Time, int, int, bool) {
	if len(s) > maxDateScan {
		s = s[:maxDateScan]
	}
	if !hasYear(s) {
		return time.Time{}, 0, 0, false
	}
	type hit struct {
		t    time.Time
		a, b int
	}
	var best *hit
	try := func(t time.Time, ok bool, a, b int) {
		if ok && (best == nil || a < best.a) {
			best = &hit{t, a, b}
		}
	}
	if m := isoDateRe.FindStringSubmatchIndex(s); m != nil {
		t, ok := mkDate(s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]])
		try(t, ok, m[2], m[7])
	}
	if m := dmyDateRe.FindStringSubmatchIndex(s); m != nil {
		d, mo := s[m[2]:m[3]], s[m[4]:m[5]]
		// Day first unless that is impossible (US month-first order).
		if n, _ := strconv.Atoi(mo); n > 12 {
			d, mo = mo, d
		}
		t, ok := mkDate(s[m[6]:m[7]], mo, d)
		try(t, ok, m[2], m[7])
	}
	if m := cjkDateRe.FindStringSubmatchIndex(s); m != nil {
		t, ok := mkDate(s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]])
		try(t, ok, m[2], m[1])
	}
	if t, a, b, ok := namedDate(s); ok {
		try(t, ok, a, b)
	}
	if best == nil {
		return time.Time{}, 0, 0, false
	}
	return best.t, best.a, best.b, true
}

type dateTok struct {
	s    string // lower-cased word, or digits
	a, b int    // byte range in the scanned text
	num  bool
}

// namedDate finds "April 9, 2025", "Nov. 19, 2019", "9 April 2025",
// "14. März 2024" and "8 de abril de 2025" by scanning word tokens around
// each year: a month-name regexp alternation costs far more per line.
func namedDate(s string) (time.Time, int, int, bool) {
	var toks []dateTok
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			toks = append(toks, dateTok{s: s[i:j], a: i, b: j, num: true})
			// Ordinal suffixes ("9th", "1er") belong to the number.
			k := j
			for k < len(s) && k < j+2 && (s[k] >= 'a' && s[k] <= 'z') {
				k++
			}
			if sfx := s[j:k]; sfx == "st" || sfx == "nd" || sfx == "rd" || sfx == "th" || sfx == "er" {
				j = k
			}
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += n2
			}
			w := strings.ToLower(s[i:j])
			if w != "de" && w != "of" && w != "del" {
				toks = append(toks, dateTok{s: w, a: i, b: j})
			}
			i = j
		default:
			i += n
		}
	}
	for k := 2; k < len(toks); k++ {
		y := toks[k]
		if !y.num || len(y.s) != 4 || !(strings.HasPrefix(y.s, "19") || strings.HasPrefix(y.s, "20")) {
			continue
		}
		t1, t2 := toks[k-1], toks[k-2]
		if !t1.num && t2.num && len(t2.s) <= 2 {
			if t, ok := mkNamed(y.s, t1.s, t2.s); ok {
				return t, t2.a, y.b, true
			}
		}
		if t1.num && len(t1.s) <= 2 && !t2.num {
			if t, ok := mkNamed(y.s, t2.s, t1.s); ok {
				return t, t2.a, y.b, true
			}
		}
	}
	return time.Time{}, 0, 0, false
}

// urlDate reads a /2025/04/08/ style date from a URL path.
func urlDate(u string) (time.Time, bool) {
	if m := urlDateRe.FindStringSubmatch(u); m != nil {
		return mkDate(m[1], m[2], m[3])
	}
	if m := urlMonthRe.FindStringSubmatch(u); m != nil {
		return mkDate(m[1], m[2], "1")
	}
	return time.Time{}, false
}

func mkNamed(y, month, d string) (time.Time, bool) {
	mo, ok := monthNames[strings.ToLower(month)]
	if !ok {
		return time.Time{}, false
	}
	return mkDate(y, strconv.Itoa(int(mo)), d)
}

func mkDate(y, m, d string) (time.Time, bool) {
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	di, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil || mi < 1 || mi > 12 || di < 1 || di > 31 || yi < 1900 || yi > 2100 {
		return time.Time{}, false
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Day() != di { // 31 February and the like
		return time.Time{}, false
	}
	return t, true
}

// hasYear reports whether s holds a 19xx or 20xx digit run, which every
// date form findDate knows includes; it spares the regexps most lines.
func hasYear(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') &&
			isDigit(s[i+2]) && isDigit(s[i+3]) && (i == 0 || !isDigit(s[i-1])) && (i+4 == len(s) || !isDigit(s[i+4])) {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
