package langid

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

//go:embed iso639.tsv
var iso639Data string

// tagTable maps every code iso639.tsv lists to its ISO 639-1 code, and
// ISO 639-1 codes to the scripts the language is written in besides its
// model's.
type tagTable struct {
	code    map[string]string
	scripts map[string][]script
}

var tags = sync.OnceValue(func() tagTable {
	t := tagTable{code: map[string]string{}, scripts: map[string][]script{}}
	sc := bufio.NewScanner(strings.NewReader(iso639Data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Split(line, "\t")
		for _, f := range fs {
			if s, ok := strings.CutPrefix(f, "+"); ok {
				t.scripts[fs[0]] = append(t.scripts[fs[0]], iso15924[s])
			} else {
				t.code[f] = fs[0]
			}
		}
	}
	return t
})

// Normalize reduces a language tag as inputs write it ("en-US", "EN",
// "eng", "pt_BR", "zh-Hans", "iw") to its ISO 639-1 code. It returns ""
// for an empty tag, for the codes that name no language (und, mul, zxx,
// mis) and for a code it cannot map; a two-letter code it does not know
// is kept as it is.
func Normalize(tag string) string {
	code, _ := lookupTag(tag)
	return code
}

// lookupTag normalises tag and returns, besides the code, the scripts the
// tag allows beyond the language's usual one: a script subtag
// (sr-Latn) and iso639.tsv's "+Xxxx" fields.
func lookupTag(tag string) (string, []script) {
	parts := strings.FieldsFunc(strings.TrimSpace(tag), func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return "", nil
	}
	primary := strings.ToLower(parts[0])
	t := tags()
	code, ok := t.code[primary]
	if !ok {
		if len(primary) != 2 || !isASCIILetters(primary) {
			return "", nil
		}
		code = primary
	}
	scripts := t.scripts[code]
	for _, p := range parts[1:] {
		if len(p) == 4 {
			if s, ok := iso15924[strings.ToUpper(p[:1])+strings.ToLower(p[1:])]; ok {
				scripts = append(clip(scripts), s)
			}
		}
	}
	if code == "ja" {
		// Japanese is written in Han as much as in kana: a headline may
		// hold no kana at all.
		scripts = append(clip(scripts), scriptHan)
	}
	return code, scripts
}

// clip keeps appends from writing into the shared table.
func clip(s []script) []script { return s[:len(s):len(s)] }

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// htmlHead bounds how much of a page HTMLLang reads: the html element and
// the head's meta elements come first, well inside it.
const htmlHead = 64 << 10

// HTMLLang returns the language an HTML page declares: its <html lang> (or
// xml:lang), else a <meta http-equiv="content-language">; "" when it
// declares none. The tag is returned as written; Resolve normalises it.
func HTMLLang(body []byte) string {
	if len(body) > htmlHead {
		body = body[:htmlHead]
	}
	if !bytes.Contains(body, []byte("<")) {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	meta := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			return meta
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Html:
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if (string(k) == "lang" || string(k) == "xml:lang") && len(bytes.TrimSpace(v)) > 0 {
						return strings.TrimSpace(string(v))
					}
				}
			case atom.Meta:
				var equiv, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "http-equiv":
						equiv = strings.ToLower(strings.TrimSpace(string(v)))
					case "content":
						content = string(v)
					}
				}
				if equiv == "content-language" && meta == "" {
					// "de, en" declares several: the first is the page's.
					meta, _, _ = strings.Cut(content, ",")
					meta = strings.TrimSpace(meta)
				}
			case atom.Body:
				return meta
			}
		}
	}
}
