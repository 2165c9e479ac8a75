package langid

import (
	"sync"
	"unicode"
)

// script is a writing system as far as telling languages apart needs:
// Han and kana are apart because kana is what makes Japanese Japanese.
type script uint8

const (
	scriptNone script = iota // not a letter
	scriptLatin
	scriptCyrillic
	scriptGreek
	scriptArabic
	scriptHebrew
	scriptHan
	scriptKana
	scriptHangul
	scriptThai
	scriptDevanagari
	scriptArmenian
	scriptGeorgian
	scriptBengali
	scriptGurmukhi
	scriptGujarati
	scriptTamil
	scriptTelugu
	scriptOther // a letter of a script no model language uses
	numScripts
)

// scriptTables are tried in order for letters outside ASCII.
var scriptTables = [...]struct {
	s script
	t *unicode.RangeTable
}{
	{scriptLatin, unicode.Latin},
	{scriptCyrillic, unicode.Cyrillic},
	{scriptArabic, unicode.Arabic},
	{scriptHan, unicode.Han},
	{scriptKana, unicode.Hiragana},
	{scriptKana, unicode.Katakana},
	{scriptHangul, unicode.Hangul},
	{scriptGreek, unicode.Greek},
	{scriptHebrew, unicode.Hebrew},
	{scriptDevanagari, unicode.Devanagari},
	{scriptThai, unicode.Thai},
	{scriptArmenian, unicode.Armenian},
	{scriptGeorgian, unicode.Georgian},
	{scriptBengali, unicode.Bengali},
	{scriptGurmukhi, unicode.Gurmukhi},
	{scriptGujarati, unicode.Gujarati},
	{scriptTamil, unicode.Tamil},
	{scriptTelugu, unicode.Telugu},
}

// scriptOf returns the script of a letter, scriptNone for anything else.
// Combining marks (Devanagari vowel signs, Arabic harakat) are not letters
// here, as they are not in lingua's models, which split words at them.
func scriptOf(r rune) script { return bmpScripts().of(r) }

// scriptTable is lookupScript for the Basic Multilingual Plane; hot loops
// fetch it once and call of.
type scriptTable [1 << 16]script

func (t *scriptTable) of(r rune) script {
	if r >= 0 && r < rune(len(t)) {
		return t[r]
	}
	return lookupScript(r)
}

// bmpScripts caches lookupScript for the Basic Multilingual Plane (64 KB),
// which holds nearly every letter of news text: a table lookup instead of
// a dozen binary searches a letter.
var bmpScripts = sync.OnceValue(func() *scriptTable {
	var t scriptTable
	for r := range rune(len(t)) {
		t[r] = lookupScript(r)
	}
	return &t
})

func lookupScript(r rune) script {
	if r < 0x80 {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return scriptLatin
		}
		return scriptNone
	}
	if !unicode.IsLetter(r) {
		return scriptNone
	}
	for _, st := range scriptTables {
		if unicode.Is(st.t, r) {
			return st.s
		}
	}
	return scriptOther
}

// iso15924 names scripts as language tags and iso639.tsv do.
var iso15924 = map[string]script{
	"Latn": scriptLatin, "Cyrl": scriptCyrillic, "Grek": scriptGreek, "Arab": scriptArabic,
	"Hebr": scriptHebrew, "Hani": scriptHan, "Hans": scriptHan, "Hant": scriptHan,
	"Jpan": scriptKana, "Hang": scriptHangul, "Kore": scriptHangul, "Thai": scriptThai,
	"Deva": scriptDevanagari, "Armn": scriptArmenian, "Geor": scriptGeorgian, "Beng": scriptBengali,
	"Guru": scriptGurmukhi, "Gujr": scriptGujarati, "Taml": scriptTamil, "Telu": scriptTelugu,
}
