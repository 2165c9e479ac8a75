// Package translit turns words written in other scripts into lowercase ASCII
// Latin and derives a language-independent name key from them, so that the
// same name met in Arabic, Cyrillic, Greek, Hebrew, Devanagari, Japanese kana
// or accented Latin text can be matched across articles.
//
// The transliteration is deliberately simple and lossy: it aims at spellings
// that land on the same Key (see key.go), not at a scholarly romanisation.
// Han ideographs (Chinese, Japanese kanji) and scripts without a table here
// (Hangul, Thai, ...) pass through unchanged: no reading is available
// offline.
package translit

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Latin transliterates s to lowercase ASCII Latin where a table exists and
// strips diacritics from Latin letters. ASCII punctuation and digits are
// kept; other marks and symbols are dropped; letters of scripts without a
// table (Han, Hangul, Thai, ...) are kept lowercased.
func Latin(s string) string {
	if isASCIILower(s) {
		return s
	}
	// NFKC folds compatibility forms first: Arabic presentation forms,
	// half-width kana, full-width Latin, ligatures such as "ﬁ".
	s = norm.NFKC.String(s)
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(unicode.ToLower(r)))
			i++
		case isArabic(r):
			i = arabic(&b, rs, i)
		case isCyrillic(r):
			i = cyrillic(&b, rs, i)
		case isGreek(r):
			i = greek(&b, rs, i)
		case isHebrew(r):
			i = hebrew(&b, rs, i)
		case isKana(r):
			i = kana(&b, rs, i)
		case isDevanagari(r):
			i = devanagari(&b, rs, i)
		default:
			latinRune(&b, r)
			i++
		}
	}
	return b.String()
}

func isASCIILower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// latinSpecial holds letters that do not decompose into a base letter and
// a combining mark.
var latinSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d",
	'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i", 'ħ': "h",
	'Ħ': "h", 'ŋ': "ng", 'ĸ': "k", 'ſ': "s", 'ƒ': "f", 'ɨ': "i",
	'ə': "e", 'Ə': "e",
}

// latinRune writes a rune outside the scripts with their own tables:
// accented Latin loses its marks; other letters and digits are kept
// lowercased; marks, punctuation and symbols are dropped.
func latinRune(b *strings.Builder, r rune) {
	if s, ok := latinSpecial[r]; ok {
		b.WriteString(s)
		return
	}
	if unicode.Is(unicode.Latin, r) {
		for _, d := range norm.NFD.String(string(r)) {
			if d < utf8.RuneSelf {
				b.WriteByte(byte(unicode.ToLower(d)))
			}
		}
		return
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		b.WriteRune(unicode.ToLower(r))
	}
}

func lastByte(b *strings.Builder) byte {
	s := b.String()
	if s == "" {
		return 0
	}
	return s[len(s)-1]
}

func isVowelByte(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// writeVowel appends a vowel unless the output already ends in it, so that
// long vowels written with a letter after a diacritic (ـَا) come out once.
func writeVowel(b *strings.Builder, v byte) {
	if lastByte(b) != v {
		b.WriteByte(v)
	}
}

// atWordStart reports whether position i starts a word in rs.
func atWordStart(rs []rune, i int) bool {
	return i == 0 || !unicode.IsLetter(rs[i-1]) && !unicode.Is(unicode.Mn, rs[i-1])
}

// --- Arabic, Persian, Urdu ---

func isArabic(r rune) bool {
	return (r >= 0x0600 && r <= 0x06FF) || (r >= 0x0750 && r <= 0x077F)
}

var arabicCons = map[rune]string{
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh",
	'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh",
	'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'غ': "gh", 'ف': "f",
	'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h",
	// Persian and Urdu.
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ک': "k", 'ٹ': "t",
	'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ہ': "h", 'ھ': "h", 'ڤ': "v",
	'ڭ': "ng",
}

func arabic(b *strings.Builder, rs []rune, i int) int {
	r := rs[i]
	start := atWordStart(rs, i)
	prevVowel := start || isVowelByte(lastByte(b))
	switch r {
	case 'ا', 'أ', 'آ', 'ٱ', 'ى':
		writeVowel(b, 'a')
	case 'إ':
		writeVowel(b, 'i')
	case 'ع':
		// 'ayn carries a vowel in most loan names (عباس Abbas); mid-word it
		// is usually dropped in Latin spellings.
		if start {
			b.WriteByte('a')
		}
	case 'ة', 'ۃ':
		writeVowel(b, 'a')
	case 'و':
		if prevVowel {
			b.WriteByte('w')
		} else {
			writeVowel(b, 'u')
		}
	case 'ي', 'ی', 'ئ':
		switch {
		case r == 'ئ' && !start:
			// hamza on a ya seat: a glottal stop, usually a vowel in Latin.
			writeVowel(b, 'i')
		case prevVowel && start:
			b.WriteByte('y')
		case prevVowel && lastByte(b) != 'i':
			b.WriteByte('y')
		default:
			writeVowel(b, 'i')
		}
	case 'ے':
		writeVowel(b, 'e')
	case 'ؤ':
		writeVowel(b, 'u')
	case 'ء', 'ـ', 'ْ', 'ٰ':
		// hamza, tatweel, sukun, dagger alif: nothing in a plain spelling.
	case 'َ', 'ً':
		writeVowel(b, 'a')
	case 'ِ', 'ٍ':
		writeVowel(b, 'i')
	case 'ُ', 'ٌ':
		writeVowel(b, 'u')
	case 'ّ':
		// shadda doubles the consonant before it; canonical ordering may
		// have put a short vowel between them.
		out := b.String()
		switch n := len(out); {
		case n >= 1 && !isVowelByte(out[n-1]):
			b.WriteByte(out[n-1])
		case n >= 2 && !isVowelByte(out[n-2]):
			trimLast(b, 1)
			b.WriteByte(out[n-2])
			b.WriteByte(out[n-1])
		}
	default:
		if s, ok := arabicCons[r]; ok {
			b.WriteString(s)
		} else if r >= 0x0660 && r <= 0x0669 {
			b.WriteByte(byte('0' + r - 0x0660))
		} else if r >= 0x06F0 && r <= 0x06F9 {
			b.WriteByte(byte('0' + r - 0x06F0))
		}
		// Other signs (Quranic marks, punctuation) are dropped.
	}
	return i + 1
}

// --- Cyrillic ---

func isCyrillic(r rune) bool { return r >= 0x0400 && r <= 0x04FF }

var cyrillicMap = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	// Ukrainian, Belarusian, Serbian, Macedonian.
	'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u", 'ђ': "dj",
	'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz", 'ѓ': "gj",
	'ќ': "kj", 'ѕ': "dz", 'ә': "a", 'ө': "o", 'ү': "u", 'ң': "ng",
	'қ': "k", 'ғ': "g", 'ұ': "u", 'һ': "h",
}

func cyrillic(b *strings.Builder, rs []rune, i int) int {
	r := unicode.ToLower(rs[i])
	if s, ok := cyrillicMap[r]; ok {
		b.WriteString(s)
		return i + 1
	}
	// Accented Cyrillic (й is handled above; ѐ, ѝ...) loses its marks.
	d := []rune(norm.NFD.String(string(r)))
	if len(d) > 0 {
		if s, ok := cyrillicMap[d[0]]; ok {
			b.WriteString(s)
		}
	}
	return i + 1
}

// --- Greek ---

func isGreek(r rune) bool { return (r >= 0x0370 && r <= 0x03FF) || (r >= 0x1F00 && r <= 0x1FFF) }

var greekMap = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i",
	'θ': "th", 'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x",
	'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y",
	'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

func greekBase(r rune) rune {
	r = unicode.ToLower(r)
	if _, ok := greekMap[r]; ok {
		return r
	}
	for _, d := range norm.NFD.String(string(r)) {
		return unicode.ToLower(d)
	}
	return r
}

func greek(b *strings.Builder, rs []rune, i int) int {
	r := greekBase(rs[i])
	var next rune
	if i+1 < len(rs) && isGreek(rs[i+1]) {
		next = greekBase(rs[i+1])
	}
	start := atWordStart(rs, i)
	switch {
	case r == 'ο' && next == 'υ':
		b.WriteString("ou")
		return i + 2
	case r == 'μ' && next == 'π' && start:
		b.WriteByte('b')
		return i + 2
	case r == 'ν' && next == 'τ' && start:
		b.WriteByte('d')
		return i + 2
	case r == 'γ' && (next == 'γ' || next == 'κ' || next == 'χ'):
		b.WriteByte('n')
		return i + 1
	}
	if s, ok := greekMap[r]; ok {
		b.WriteString(s)
	}
	return i + 1
}

// --- Hebrew ---

func isHebrew(r rune) bool { return r >= 0x0590 && r <= 0x05FF }

var hebrewCons = map[rune]string{
	'ב': "b", 'ג': "g", 'ד': "d", 'ה': "h", 'ז': "z", 'ח': "kh", 'ט': "t",
	'כ': "k", 'ך': "k", 'ל': "l", 'מ': "m", 'ם': "m", 'נ': "n", 'ן': "n",
	'ס': "s", 'פ': "p", 'ף': "f", 'צ': "ts", 'ץ': "ts", 'ק': "k", 'ר': "r",
	'ש': "sh", 'ת': "t",
}

func hebrew(b *strings.Builder, rs []rune, i int) int {
	r := rs[i]
	start := atWordStart(rs, i)
	switch r {
	case 'א', 'ע':
		// Vowel carriers: the vowel itself is unwritten without points.
		if start {
			b.WriteByte('a')
		}
	case 'ו':
		if start || (i+1 < len(rs) && rs[i+1] == 'ו') {
			b.WriteByte('v')
			if !start {
				i++
			}
		} else {
			writeVowel(b, 'o')
		}
	case 'י':
		if start {
			b.WriteByte('y')
		} else {
			writeVowel(b, 'i')
		}
	case 'ה':
		// Word-final he is a vowel letter (רוטה Rutte).
		if i+1 == len(rs) || !unicode.IsLetter(rs[i+1]) {
			writeVowel(b, 'e')
		} else {
			b.WriteByte('h')
		}
	default:
		if s, ok := hebrewCons[r]; ok {
			b.WriteString(s)
		}
		// Points, cantillation, maqaf, geresh: dropped.
	}
	return i + 1
}

// --- Japanese kana (Hepburn) ---

func isKana(r rune) bool {
	return (r >= 0x3041 && r <= 0x309F) || (r >= 0x30A0 && r <= 0x30FF) || (r >= 0x31F0 && r <= 0x31FF)
}

// kanaRomaji maps hiragana (katakana is folded onto it) to Hepburn.
var kanaRomaji = map[rune]string{
	'あ': "a", 'い': "i", 'う': "u", 'え': "e", 'お': "o",
	'か': "ka", 'き': "ki", 'く': "ku", 'け': "ke", 'こ': "ko",
	'が': "ga", 'ぎ': "gi", 'ぐ': "gu", 'げ': "ge", 'ご': "go",
	'さ': "sa", 'し': "shi", 'す': "su", 'せ': "se", 'そ': "so",
	'ざ': "za", 'じ': "ji", 'ず': "zu", 'ぜ': "ze", 'ぞ': "zo",
	'た': "ta", 'ち': "chi", 'つ': "tsu", 'て': "te", 'と': "to",
	'だ': "da", 'ぢ': "ji", 'づ': "zu", 'で': "de", 'ど': "do",
	'な': "na", 'に': "ni", 'ぬ': "nu", 'ね': "ne", 'の': "no",
	'は': "ha", 'ひ': "hi", 'ふ': "fu", 'へ': "he", 'ほ': "ho",
	'ば': "ba", 'び': "bi", 'ぶ': "bu", 'べ': "be", 'ぼ': "bo",
	'ぱ': "pa", 'ぴ': "pi", 'ぷ': "pu", 'ぺ': "pe", 'ぽ': "po",
	'ま': "ma", 'み': "mi", 'む': "mu", 'め': "me", 'も': "mo",
	'や': "ya", 'ゆ': "yu", 'よ': "yo",
	'ら': "ra", 'り': "ri", 'る': "ru", 'れ': "re", 'ろ': "ro",
	'わ': "wa", 'ゐ': "i", 'ゑ': "e", 'を': "o", 'ん': "n", 'ゔ': "vu",
	'ゎ': "wa", 'ゕ': "ka", 'ゖ': "ke",
	// Katakana-only letters (already hiragana-folded code points do not
	// exist for these).
	'ヷ': "va", 'ヸ': "vi", 'ヹ': "ve", 'ヺ': "vo",
}

func kanaFold(r rune) rune {
	if r >= 0x30A1 && r <= 0x30F6 {
		return r - 0x60
	}
	return r
}

func kana(b *strings.Builder, rs []rune, i int) int {
	r := kanaFold(rs[i])
	switch r {
	case 'っ':
		// Sokuon doubles the next consonant (ルッテ rutte, マッチ matchi).
		if i+1 < len(rs) && isKana(rs[i+1]) {
			if s := kanaRomaji[kanaFold(rs[i+1])]; s != "" && !isVowelByte(s[0]) {
				if s[0] == 'c' {
					b.WriteByte('t')
				} else {
					b.WriteByte(s[0])
				}
			}
		}
		return i + 1
	case 'ー', '・', '゛', '゜', 'ゝ', 'ゞ', 'ヽ', 'ヾ', '゠':
		// Long-vowel mark and separators: plain ASCII has no macron.
		return i + 1
	case 'ゃ', 'ゅ', 'ょ':
		v := map[rune]string{'ゃ': "a", 'ゅ': "u", 'ょ': "o"}[r]
		out := b.String()
		switch {
		case strings.HasSuffix(out, "shi"), strings.HasSuffix(out, "chi"), strings.HasSuffix(out, "ji"):
			trimLast(b, 1)
			b.WriteString(v)
		case strings.HasSuffix(out, "i"):
			trimLast(b, 1)
			b.WriteString("y" + v)
		default:
			b.WriteString("y" + v)
		}
		return i + 1
	case 'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ':
		v := map[rune]string{'ぁ': "a", 'ぃ': "i", 'ぅ': "u", 'ぇ': "e", 'ぉ': "o"}[r]
		out := b.String()
		switch {
		case strings.HasSuffix(out, "shi"), strings.HasSuffix(out, "chi"), strings.HasSuffix(out, "ji"):
			trimLast(b, 1) // シェ she, チェ che, ジェ je
		case out == "u" || strings.HasSuffix(out, " u") || (len(out) > 1 && isVowelByte(out[len(out)-2]) && out[len(out)-1] == 'u'):
			trimLast(b, 1)
			b.WriteByte('w') // ウィ wi
		case len(out) > 0 && isVowelByte(out[len(out)-1]):
			trimLast(b, 1) // ファ fa, ティ ti, ヴァ va
		}
		b.WriteString(v)
		return i + 1
	}
	if s, ok := kanaRomaji[r]; ok {
		b.WriteString(s)
	}
	return i + 1
}

func trimLast(b *strings.Builder, n int) {
	s := b.String()
	if len(s) < n {
		n = len(s)
	}
	s = s[:len(s)-n]
	b.Reset()
	b.WriteString(s)
}

// --- Devanagari ---

func isDevanagari(r rune) bool { return r >= 0x0900 && r <= 0x097F }

var devaCons = map[rune]string{
	'क': "k", 'ख': "kh", 'ग': "g", 'घ': "gh", 'ङ': "ng",
	'च': "ch", 'छ': "chh", 'ज': "j", 'झ': "jh", 'ञ': "ny",
	'ट': "t", 'ठ': "th", 'ड': "d", 'ढ': "dh", 'ण': "n",
	'त': "t", 'थ': "th", 'द': "d", 'ध': "dh", 'न': "n",
	'प': "p", 'फ': "ph", 'ब': "b", 'भ': "bh", 'म': "m",
	'य': "y", 'र': "r", 'ल': "l", 'ळ': "l", 'व': "v",
	'श': "sh", 'ष': "sh", 'स': "s", 'ह': "h",
}

// devaNukta holds consonants whose sound a following nukta changes; NFKC
// leaves क़ and its kin decomposed.
var devaNukta = map[rune]string{
	'क': "q", 'ख': "kh", 'ग': "gh", 'ज': "z", 'ड': "r", 'ढ': "rh", 'फ': "f", 'य': "y",
}

var devaVowel = map[rune]string{
	'अ': "a", 'आ': "a", 'इ': "i", 'ई': "i", 'उ': "u", 'ऊ': "u", 'ऋ': "ri",
	'ए': "e", 'ऐ': "ai", 'ओ': "o", 'औ': "au", 'ऍ': "e", 'ऑ': "o",
}

var devaMatra = map[rune]string{
	'ा': "a", 'ि': "i", 'ी': "i", 'ु': "u", 'ू': "u", 'ृ': "ri",
	'े': "e", 'ै': "ai", 'ो': "o", 'ौ': "au", 'ॅ': "e", 'ॉ': "o",
}

func devanagari(b *strings.Builder, rs []rune, i int) int {
	r := rs[i]
	if c, ok := devaCons[r]; ok {
		j := i + 1
		if j < len(rs) && rs[j] == '\u093C' { // nukta
			if n, ok := devaNukta[r]; ok {
				c = n
			}
			j++
		}
		b.WriteString(c)
		switch {
		case j < len(rs) && rs[j] == '्': // virama: no vowel
			return j + 1
		case j < len(rs) && devaMatra[rs[j]] != "":
			b.WriteString(devaMatra[rs[j]])
			return j + 1
		case j >= len(rs) || !isDevanagari(rs[j]) || (!unicode.IsLetter(rs[j]) && rs[j] != 'ं' && rs[j] != 'ँ' && rs[j] != 'ः'):
			// Hindi drops the inherent vowel at the end of a word.
			return j
		}
		b.WriteByte('a')
		return j
	}
	if v, ok := devaVowel[r]; ok {
		b.WriteString(v)
		return i + 1
	}
	switch {
	case r == 'ं' || r == 'ँ':
		b.WriteByte('n')
	case r == 'ः':
		b.WriteByte('h')
	case r >= '०' && r <= '९':
		b.WriteByte(byte('0' + r - '०'))
	}
	return i + 1
}
