package loadgen

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// script is a way of writing the made-up names: one spelling of each
// syllable, so that a name sounds the same in every script, as a real
// name transliterated does.
type script struct {
	syll  [len(syllables)]string
	cased bool   // names are capitalised, and tell themselves by it
	sep   string // between a person's first and last name
}

// syllables are the made-up names' sounds, in Latin letters.
var syllables = [...]string{"ka", "ro", "vel", "mi", "tan", "sor", "ne", "dal", "bra", "lo",
	"fen", "ur", "ma", "tek", "si", "gor", "an", "vi", "du", "pel"}

var (
	latin = script{syll: syllables, cased: true, sep: " "}
	// cyrillic, arabic, katakana and han spell syllables in that order.
	cyrillic = script{syll: [...]string{"ка", "ро", "вел", "ми", "тан", "сор", "не", "дал", "бра", "ло",
		"фен", "ур", "ма", "тек", "си", "гор", "ан", "ви", "ду", "пел"}, cased: true, sep: " "}
	arabic = script{syll: [...]string{"كا", "رو", "فيل", "مي", "تان", "سور", "ني", "دال", "برا", "لو",
		"فين", "ور", "ما", "تيك", "سي", "غور", "ان", "في", "دو", "بيل"}, sep: " "}
	katakana = script{syll: [...]string{"カ", "ロ", "ヴェル", "ミ", "タン", "ソル", "ネ", "ダル", "ブラ", "ロ",
		"フェン", "ウル", "マ", "テク", "シ", "ゴル", "アン", "ヴィ", "ドゥ", "ペル"}, sep: "・"}
	han = script{syll: [...]string{"卡", "罗", "韦尔", "米", "坦", "索尔", "内", "达尔", "布拉", "洛",
		"芬", "乌尔", "马", "泰克", "西", "戈尔", "安", "维", "杜", "佩尔"}, sep: "·"}
)

// scriptOf returns the script names are written in in lang.
func scriptOf(lang string) script {
	switch lang {
	case "ru", "uk", "bg", "be", "mk", "sr", "kk":
		return cyrillic
	case "ar", "fa", "ur":
		return arabic
	case "ja":
		return katakana
	case "zh":
		return han
	}
	return latin
}

// newName makes a name of two or three syllables.
func newName(r *rand.Rand) name {
	n := make(name, 2+r.IntN(2))
	for i := range n {
		n[i] = uint8(r.IntN(len(syllables)))
	}
	return n
}

// in writes the name in sc.
func (n name) in(sc script) string {
	var b strings.Builder
	for _, s := range n {
		b.WriteString(sc.syll[s])
	}
	s := b.String()
	if !sc.cased {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func (p person) in(sc script) string { return p.first.in(sc) + sc.sep + p.last.in(sc) }

// saidIn returns the sentence that attributes an article to a person
// (first verb) in a place (second verb), in lang; English for a language
// without one here.
func saidIn(lang string) string {
	switch lang {
	case "de":
		return "Das sagte %s in %s."
	case "fr":
		return "C'est ce qu'a déclaré %s à %s."
	case "es":
		return "Así lo dijo %s en %s."
	case "it":
		return "Lo ha detto %s a %s."
	case "pl":
		return "Powiedział to %s w miejscowości %s."
	case "tr":
		return "Bunu %s, %s kentinde söyledi."
	case "ru":
		return "Об этом заявил %s в городе %s."
	case "uk":
		return "Про це заявив %s у місті %s."
	case "cs":
		return "Řekl to %s ve městě %s."
	case "hr":
		return "To je rekao %s u gradu %s."
	case "ar":
		return "قال ذلك %s في مدينة %s."
	case "zh":
		return "%s在%s表示了这一点。"
	case "ja":
		return "%sが%sで述べた。"
	}
	return "That is what %s said in %s."
}

// dateIn writes a date as lang's newspapers do in a dateline.
func dateIn(lang string, t time.Time) string {
	switch lang {
	case "en":
		return t.Format("January 2, 2006")
	case "de", "ru", "uk", "cs", "hr", "pl", "tr":
		return t.Format("02.01.2006")
	case "fr", "es", "it", "ar":
		return t.Format("02/01/2006")
	case "zh", "ja":
		return t.Format("2006年1月2日")
	}
	return t.Format("2006-01-02")
}
