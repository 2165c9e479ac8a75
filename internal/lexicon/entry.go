package lexicon

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Entry bodies of the FreeDict dictd files are TEI rendered as plain text:
//
//	headword /ipa/ <pos>
//	1. translation, translation <n>
//	   Synonyms: {…}
//	 see: {…}
//	      "example"  - example
//	2. (grammar)
//	 [domain] translation
//
// WikDict-derived dictionaries (Polish, Indonesian) put a definition in the
// source language under each sense, and number senses "1. tr, tr 2." with
// the next number dangling at the end of the line. parseBody keeps the
// translations in order and drops the rest.

// maxWordsPerTranslation drops definitions that a dictionary gives where a
// translation would stand.
const maxWordsPerTranslation = 4

// parseBody returns the cleaned, lowercased translations of one entry
// body, in the dictionary's order, without duplicates.
func parseBody(body string, wikdict bool) []string {
	return parseBodyBytes([]byte(body), wikdict)
}

// parseBodyBytes is parseBody on the bytes as read: only the lines that
// may hold translations are turned into strings.
func parseBodyBytes(body []byte, wikdict bool) []string {
	var out []string
	i := bytes.IndexByte(body, '\n') // the headword line
	if i < 0 {
		return nil
	}
	body = body[i+1:]
	for li := 0; len(body) > 0; li++ {
		raw := body
		if j := bytes.IndexByte(body, '\n'); j >= 0 {
			raw, body = body[:j], body[j+1:]
		} else {
			body = nil
		}
		lb := bytes.TrimSpace(raw)
		if len(lb) == 0 || skipLineBytes(lb) {
			continue
		}
		line := string(lb)
		numbered := false
		if rest, ok := cutNumber(line); ok {
			line, numbered = rest, true
		}
		if wikdict {
			// Only the first line and lines opening a new sense at the left
			// margin hold translations; indented numbers open a definition.
			if li != 0 && !(numbered && raw[0] != ' ') {
				continue
			}
			line = trimDanglingNumber(line)
		}
		for _, t := range splitTranslations(line) {
			if !contains(out, t) {
				out = append(out, t)
			}
		}
		// Later senses matter less; a handful is all callers take.
		if len(out) >= maxParsed {
			break
		}
	}
	return out
}

// maxParsed bounds the translations parsed per entry body.
const maxParsed = 2 * MaxTranslations

var skipPrefixes = []string{
	"synonym", "see:", "see also", "note:", "antonym", "usage:", "example",
	"\"", "(bak.", "bkz.", "cf.", "→",
}

func skipLineBytes(line []byte) bool {
	for _, p := range skipPrefixes {
		if len(line) >= len(p) && bytes.EqualFold(line[:len(p)], []byte(p)) {
			return true
		}
	}
	return bytes.Contains(line, []byte("(bak.)"))
}

// cutNumber removes a sense number: "1.", "12.", "I.", "IV.", "a)".
func cutNumber(line string) (string, bool) {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 0 {
		for i < len(line) && strings.IndexByte("IVX", line[i]) >= 0 {
			i++
		}
	}
	if i > 0 && i < 5 && i < len(line) && line[i] == '.' {
		return strings.TrimSpace(line[i+1:]), true
	}
	if i > 0 && i == len(line)-1 && line[i] == '.' {
		return "", true
	}
	return line, false
}

// trimDanglingNumber drops the " 2." that WikDict leaves at the end of a
// sense's translation line.
func trimDanglingNumber(line string) string {
	s := strings.TrimRight(line, " ")
	if !strings.HasSuffix(s, ".") {
		return line
	}
	j := len(s) - 1
	k := j
	for k > 0 && s[k-1] >= '0' && s[k-1] <= '9' {
		k--
	}
	if k < j && (k == 0 || s[k-1] == ' ') {
		return strings.TrimSpace(s[:k])
	}
	return line
}

// stripBracketed removes (…), […], {…} and <…> spans, nested or not, and
// turns slashes into separators.
func stripBracketed(s string) string {
	if !strings.ContainsAny(s, "([{<>}])/") {
		return s
	}
	// All the marks are ASCII, so a byte loop keeps UTF-8 intact.
	b := make([]byte, 0, len(s))
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '(' || c == '[' || c == '{' || c == '<':
			depth++
			continue
		case c == ')' || c == ']' || c == '}' || c == '>':
			if depth > 0 {
				depth--
			}
			if depth == 0 {
				// A part-of-speech tag ends a translation: "government <n>Gov."
				if c == '>' {
					b = append(b, ',')
				} else {
					b = append(b, ' ')
				}
			}
			continue
		case depth > 0:
			continue
		case c == '/':
			// A slash separates alternatives (place/spot); an IPA span
			// "/…/" becomes a part that cleanTranslation drops.
			b = append(b, ',')
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// fillers are words a translation carries for grammar, not meaning.
var fillers = map[string]bool{
	"sb.": true, "sth.": true, "sb": true, "sth": true, "sb's": true,
	"so.": true, "sg.": true, "smb.": true, "smth.": true, "etw.": true,
	"jdm.": true, "jdn.": true, "jds.": true, "o.s.": true, "oneself": true,
}

func splitTranslations(line string) []string {
	line = stripBracketed(line)
	var out []string
	for line != "" {
		part := line
		if i := strings.IndexAny(line, ",;"); i >= 0 {
			part, line = line[:i], line[i+1:]
		} else {
			line = ""
		}
		if t := cleanTranslation(part); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// needsFields reports whether cleanTranslation must split s into words:
// irregular spacing, a leading article or "to", or a filler word.
func needsFields(s string) bool {
	if strings.Contains(s, "  ") || strings.ContainsAny(s, "\t\r\v\f") {
		return true
	}
	l := s[:min(len(s), 4)]
	for _, p := range []string{"to ", "a ", "an ", "the ", "To ", "A ", "An ", "The "} {
		if strings.HasPrefix(l, p) || strings.HasPrefix(s, p) {
			return true
		}
	}
	for _, f := range []string{"sb", "sth", "so.", "sg.", "smb", "smth", "etw", "jd", "o.s.", "oneself"} {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

func cleanTranslation(s string) string {
	t := strings.TrimSpace(s)
	// Definitions are dropped before any normalising work: reverse
	// dictionaries are full of them.
	if t == "" || strings.Count(t, " ") > maxWordsPerTranslation+4 {
		return ""
	}
	if needsFields(t) {
		fs := strings.Fields(t)
		kept := fs[:0]
		for _, f := range fs {
			if !fillers[strings.ToLower(f)] {
				kept = append(kept, f)
			}
		}
		if len(kept) > 1 {
			switch strings.ToLower(kept[0]) {
			case "to", "a", "an", "the":
				kept = kept[1:]
			}
		}
		t = strings.Join(kept, " ")
	}
	if t == "" || strings.Count(t, " ") >= maxWordsPerTranslation {
		return ""
	}
	// A lone short abbreviation ("Gov.", "Govt.") is no translation.
	if strings.HasSuffix(t, ".") && !strings.Contains(t, " ") && utf8.RuneCountInString(t) <= 5 {
		return ""
	}
	if !isNormal(t) {
		t = strings.ToLower(norm.NFC.String(t))
	}
	// Typographic hyphens and quotes become ASCII so that matching against
	// article text works.
	if strings.ContainsAny(t, "\u2010\u2011\u2012\u2013\u2014\u2018\u2019\u2026") {
		t = strings.Map(func(r rune) rune {
			switch r {
			case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014':
				return '-'
			case '\u2018', '\u2019':
				return '\''
			case '\u2026':
				return -1
			}
			return r
		}, t)
	}
	t = strings.Trim(t, ".:!?\"'-+*… ")
	// Control characters (NUL separates translations in storage) never
	// belong to a word.
	if strings.IndexFunc(t, unicode.IsControl) >= 0 {
		return ""
	}
	if t == "" || utf8.RuneCountInString(t) > 40 || !hasLetter(t) || strings.ContainsAny(t, "ˈˌːʔ") {
		return ""
	}
	return t
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// normWord folds a headword or a looked-up word to the form both sides are
// compared in: NFKC, lowercase, no Arabic or Hebrew vowel points, one alef,
// no tatweel, trimmed.
func normWord(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || ('A' <= s[i] && s[i] <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii || isNormal(s) {
		return s
	}
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640: // harakat, dagger alif, tatweel
			return -1
		case r >= 0x0591 && r <= 0x05C7 && r != 0x05BE: // Hebrew points
			return -1
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			return 'ا'
		case r == 0x0307: // the dot left by lowercasing Turkish İ
			return -1
		}
		return r
	}, s)
}

// isNormal reports whether normWord would leave s unchanged; dictd indexes
// are mostly lowercased already, and loading skips the copies for them.
func isNormal(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				return false
			}
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640,
			r >= 0x0591 && r <= 0x05C7,
			r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ', r == 0x0307,
			unicode.IsUpper(r) || unicode.IsTitle(r):
			return false
		}
	}
	return norm.NFKC.IsNormalString(s)
}
