package entity

import (
	"strings"
	"unicode/utf8"

	"github.com/ikawaha/kagome/v2/tokenizer"

	"github.com/storyline/storyline/internal/text/segment"
	"github.com/storyline/storyline/internal/translit"
)

// Japanese and Chinese write no spaces and no capitals: names are found by
// real segmentation with part-of-speech tags (kagome with the IPA
// dictionary; gse's jieba dictionary, segment.ChineseTagged), not by
// character n-grams.

// The tokenizers are shared with the story features (internal/text/segment),
// so each dictionary is loaded once per process.
func japanese() *tokenizer.Tokenizer { return segment.Kagome() }

// findJapanese finds names in Japanese text: proper nouns tagged person
// (a family name and a given name make one name), organisation or place,
// and foreign names the dictionary does not know, written in katakana
// (マルク・ルッテ). Keys come from the readings, so 石破 (イシバ) keys as
// Ishiba does.
func findJapanese(f Field, s string) []Mention {
	t := japanese()
	if t == nil {
		return nil
	}
	toks := t.Tokenize(s)
	var out []Mention
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		pos := tok.POS()
		reading, _ := tok.Reading()
		switch {
		case len(pos) >= 3 && pos[0] == "名詞" && pos[1] == "固有名詞" && pos[2] == "人名":
			// 石破 (姓) 茂 (名): one person; the family name stands alone
			// for them later, so it is the mention's last key.
			start, end := tok.Position, tok.Position+len(tok.Surface)
			family, given := reading, ""
			familyText, givenText := tok.Surface, ""
			if len(pos) >= 4 && pos[3] == "姓" && i+1 < len(toks) {
				if p := toks[i+1].POS(); len(p) >= 4 && p[2] == "人名" && p[3] == "名" {
					given, _ = toks[i+1].Reading()
					givenText = toks[i+1].Surface
					end = toks[i+1].Position + len(toks[i+1].Surface)
					i++
				}
			}
			m := Mention{Text: s[start:end], Field: f, Start: start, End: end, Type: Person}
			if givenText != "" {
				m.Tokens = []string{givenText, familyText}
				m.Keys = []string{translit.Key(given), translit.Key(family)}
			} else {
				m.Tokens = []string{familyText}
				m.Keys = []string{translit.Key(family)}
			}
			out = append(out, m)
		case len(pos) >= 3 && pos[0] == "名詞" && pos[1] == "固有名詞" && (pos[2] == "組織" || pos[2] == "地域"):
			typ := Org
			if pos[2] == "地域" {
				typ = Place
			}
			key := reading
			if key == "" {
				key = tok.Surface // Latin acronyms: NATO
			}
			out = append(out, Mention{Text: tok.Surface, Field: f, Start: tok.Position, End: tok.Position + len(tok.Surface),
				Type: typ, Tokens: []string{tok.Surface}, Keys: []string{translit.Key(key)}})
		case reading == "" && pos[0] == "名詞" && segment.ForeignName(tok.Surface):
			// A katakana word the dictionary does not know: a foreign
			// name, its parts split at the middle dot.
			parts := strings.FieldsFunc(tok.Surface, func(r rune) bool { return r == '・' || r == '=' || r == '＝' })
			m := Mention{Text: tok.Surface, Field: f, Start: tok.Position, End: tok.Position + len(tok.Surface), Type: Other}
			for _, p := range parts {
				m.Tokens = append(m.Tokens, p)
				m.Keys = append(m.Keys, translit.Key(p))
			}
			out = append(out, m)
		}
	}
	return out
}

// minChineseName is the fewest Han characters gse's tags are trusted for:
// a lone character tagged a surname is as often part of another word.
const minChineseName = 2

// findChinese finds names in Chinese text by gse's tags: nr person, ns
// place, nt organisation. Han names key to themselves (translit.Key keeps
// ideographs), so they link within Chinese; Latin acronyms key as usual.
func findChinese(f Field, s string) []Mention {
	var out []Mention
	for _, p := range segment.ChineseTagged(s) {
		var typ Type
		switch p.Pos {
		case "nr":
			typ = Person
		case "ns":
			typ = Place
		case "nt":
			typ = Org
		default:
			continue
		}
		if utf8.RuneCountInString(p.Text) < minChineseName {
			continue
		}
		out = append(out, Mention{Text: p.Text, Field: f, Start: p.Start, End: p.End, Type: typ,
			Tokens: []string{p.Text}, Keys: []string{translit.Key(p.Text)}})
	}
	return out
}
