package web

import (
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// funcs are the templates' helpers. None returns template.HTML or any
// other trusted type: whatever they return is escaped like any string.
var funcs = template.FuncMap{
	"lang":       langAttr,
	"dir":        dirAttr,
	"langName":   langName,
	"langNames":  langNames,
	"when":       when,
	"day":        day,
	"iso":        iso,
	"storyURL":   storyURL,
	"articleURL": articleURL,
	"entityURL":  entityURL,
	"outletURL":  outletURL,
	"httpURL":    httpURL,
	"plural":     func(n any, noun string) string { return plural(toInt(n), noun) },
	"pct":        func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"weight":     func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"f1":         func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
	"marked":     marked,
	"join":       strings.Join,
	"short":      short,
}

// langTag matches a BCP 47-shaped tag: what a lang attribute may hold.
var langTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// langAttr is a lang attribute's value for a stored language code: the
// code when it looks like one, else "" (unknown), never something an
// article made up.
func langAttr(code string) string {
	if langTag.MatchString(code) {
		return code
	}
	return ""
}

// rtl are the languages written right to left.
var rtl = map[string]bool{"ar": true, "he": true, "fa": true, "ur": true, "ps": true, "yi": true, "dv": true, "ckb": true,
	"sd": true, "ug": true, "syr": true}

// dirAttr is the dir attribute for text in a language: rtl for the
// right-to-left ones, else auto, so that an Arabic title an outlet filed
// under the wrong language still reads right to left.
func dirAttr(code string) string {
	base, _, _ := strings.Cut(strings.ToLower(code), "-")
	if rtl[base] {
		return "rtl"
	}
	return "auto"
}

// names of the languages Storyline detects, and a few more.
var names = map[string]string{
	"en": "English", "ar": "Arabic", "pt": "Portuguese", "id": "Indonesian", "es": "Spanish", "de": "German",
	"fr": "French", "it": "Italian", "ru": "Russian", "tr": "Turkish", "pl": "Polish", "zh": "Chinese", "ja": "Japanese",
	"ko": "Korean", "nl": "Dutch", "sv": "Swedish", "uk": "Ukrainian", "fa": "Persian", "he": "Hebrew", "ur": "Urdu",
	"hi": "Hindi", "bn": "Bengali", "vi": "Vietnamese", "th": "Thai", "el": "Greek", "cs": "Czech", "ro": "Romanian",
	"hu": "Hungarian", "da": "Danish", "fi": "Finnish", "no": "Norwegian", "nb": "Norwegian", "ms": "Malay", "sw": "Swahili",
}

// langName names a language for people: "Arabic", the code itself when
// unknown, "unknown language" when there is none.
func langName(code string) string {
	if code == "" {
		return "unknown language"
	}
	if n, ok := names[strings.ToLower(code)]; ok {
		return n
	}
	return code
}

func langNames(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = langName(c)
	}
	return strings.Join(out, ", ")
}

// when is a time for people, in UTC; "undated" for the zero time.
func when(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func day(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return t.UTC().Format("2006-01-02")
}

// iso is a <time datetime> value.
func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func storyURL(id int64) string   { return "/story/" + strconv.FormatInt(id, 10) }
func articleURL(id int64) string { return "/article/" + strconv.FormatInt(id, 10) }
func entityURL(id int64) string  { return "/entity/" + strconv.FormatInt(id, 10) }

// outletURL escapes the name as one path segment: an outlet named
// "a/b?c" still reaches /outlet/{name}.
func outletURL(name string) string { return "/outlet/" + url.PathEscape(name) }

// httpURL is an article's address when it is an http or https URL with a
// host, else "": pages link only to the web, never to javascript:, data:
// or file: addresses an article claims.
func httpURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// plural is "1 article", "3 articles", "2 stories".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if l := len(noun); l > 1 && noun[l-1] == 'y' && !strings.ContainsRune("aeiou", rune(noun[l-2])) {
		return strconv.Itoa(n) + " " + noun[:len(noun)-1] + "ies"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// toInt is a template's count, whatever integer type holds it.
func toInt(n any) int {
	switch n := n.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case int32:
		return int(n)
	}
	return 0
}

// short cuts a label to n runes.
func short(n int, s string) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// segment is a run of a search snippet, matched or not.
type segment struct {
	Text  string
	Match bool
}

// marked splits a search snippet on the « » the search puts around
// matched words, for the template to wrap those in <mark>: the snippet
// stays plain text, escaped like any other.
func marked(s string) []segment {
	var out []segment
	for s != "" {
		i := strings.Index(s, "«")
		if i < 0 {
			out = append(out, segment{Text: s})
			break
		}
		j := strings.Index(s[i:], "»")
		if j < 0 {
			out = append(out, segment{Text: s})
			break
		}
		if i > 0 {
			out = append(out, segment{Text: s[:i]})
		}
		out = append(out, segment{Text: s[i+len("«") : i+j], Match: true})
		s = s[i+j+len("»"):]
	}
	return out
}
