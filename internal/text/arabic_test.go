package text

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeArabic(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"alef with hamza above", "أحمد", "احمد"},
		{"alef with hamza below", "إسلام", "اسلام"},
		{"alef with madda", "آخر", "اخر"},
		{"alef wasla", "ٱبن", "ابن"},
		{"ta marbuta", "مدرسة", "مدرسه"},
		{"alef maqsura", "مستشفى", "مستشفي"},
		{"harakat", "كَتَبَ", "كتب"},
		{"shadda and tanwin", "مُدَرِّسًا", "مدرسا"},
		{"dagger alef", "هٰذا", "هذا"},
		{"tatweel", "جميـــل", "جميل"},
		{"Persian kaf and yeh", "کتابی", "كتابي"},
		{"hamza seats stay", "سؤال", "سؤال"},
		{"already normal", "كتاب", "كتاب"},
		{"Latin untouched", "Berlin", "Berlin"},
		{"mixed", "Rutte روتّه", "Rutte روته"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		if got := NormalizeArabic(tt.in); got != tt.want {
			t.Errorf("%s: NormalizeArabic(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	// Normal text is the common case: it must not allocate.
	if n := testing.AllocsPerRun(10, func() { NormalizeArabic("كتاب جديد") }); n != 0 {
		t.Errorf("NormalizeArabic of normal text: %v allocations", n)
	}
}

// Spelling variants of one word get one stem.
func TestStemArabicVariants(t *testing.T) {
	st := NewStemmer("ar")
	tests := [][]string{
		{"أسعار", "اسعار"},
		{"مرة", "مره"},
		{"مستشفى", "مستشفي"},
		{"الجامعة", "الجامعه"},
		{"كَتَبَ", "كتب"},
		{"إعلان", "اعلان", "آعلان"},
		{"الطلاب", "الطـــلاب"},
	}
	for _, forms := range tests {
		want := st.Stem(forms[0])
		for _, f := range forms[1:] {
			if got := st.Stem(f); got != want {
				t.Errorf("Stem(%q) = %q, Stem(%q) = %q: want one stem", forms[0], want, f, got)
			}
		}
	}
}

func TestIsStopArabic(t *testing.T) {
	tests := []struct {
		w    string
		stop bool
	}{
		{"أن", true}, {"ان", true}, {"إن", true}, // hamza spellings
		{"التى", true}, {"التي", true}, // alef maqsura for ya
		{"وهو", true}, {"فإن", true}, {"ولكن", true}, {"وعليه", true}, // و/ف + function word
		{"عليها", true}, {"لديهم", true}, {"هؤلاء", true},
		{"وزير", false}, {"حكومة", false}, {"ولد", false}, {"فيروس", false},
	}
	for _, tt := range tests {
		if got := IsStop("ar", tt.w); got != tt.stop {
			t.Errorf("IsStop(ar, %q) = %v, want %v", tt.w, got, tt.stop)
		}
	}
	// The rule is Arabic's: Persian shares the script but not the words.
	if IsStop("fa", "وهو") {
		t.Error(`IsStop(fa, "وهو") = true`)
	}
}

func TestTokenizeArabic(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		words []string
		nums  []string
	}{
		{"lost space after ta marbuta", "منظمة الصحةالعالمية", []string{"منظمة", "الصحة", "العالمية"}, nil},
		{"final ta marbuta", "مدرسة جديدة", []string{"مدرسة", "جديدة"}, nil},
		{"preposition on a number", "ارتفع لـ107 أشخاص", []string{"ارتفع", "لـ", "أشخاص"}, []string{"107"}},
		{"Arabic-Indic digits", "بـ١٥٠٠ جنيه", []string{"بـ", "جنيه"}, []string{"1500"}},
		{"conjunction on a number", "و5 مصابين", []string{"و", "مصابين"}, []string{"5"}},
		{"article on a number", "الـ24 ساعة", []string{"الـ", "ساعة"}, []string{"24"}},
		{"Arabic comma groups thousands", "27،000 شخص", []string{"شخص"}, []string{"27000"}},
		{"Arabic comma between words", "مصر، وليبيا", []string{"مصر", "وليبيا"}, nil},
		{"Latin name and digits stay whole", "MH17 G7", []string{"mh17", "g7"}, nil},
	}
	for _, tt := range tests {
		toks := Tokenize(tt.in)
		if got := texts(toks, KindWord); !slices.Equal(got, tt.words) {
			t.Errorf("%s: Tokenize(%q) words = %q, want %q", tt.name, tt.in, got, tt.words)
		}
		if got := texts(toks, KindNumber); !slices.Equal(got, tt.nums) {
			t.Errorf("%s: Tokenize(%q) numbers = %q, want %q", tt.name, tt.in, got, tt.nums)
		}
	}
}

func TestAnalyzeArabic(t *testing.T) {
	t.Run("normalised stems and stop words", func(t *testing.T) {
		// Transliteration keys follow the letters as written (ة is a
		// vowel, ه a consonant); stems must not.
		a := words(Analyze("ar", "", "أعلنت المدرسة أن الامتحانات تبدأ"))
		b := words(Analyze("ar", "", "اعلنت المدرسه ان الامتحانات تبدا"))
		if len(a) < 4 || !maps2Equal(a, b) {
			t.Errorf("spelling variants analyse differently:\n%v\n%v", a, b)
		}
		if a["ان"] != 0 || a["أن"] != 0 {
			t.Errorf("stop word kept: %v", a)
		}
	})
	t.Run("attested proclitic", func(t *testing.T) {
		// The bare name appears in the text, so وأردوغان is و + أردوغان.
		d := keys(Analyze("ar", "", "التقى أردوغان بالوفد وأردوغان يتحدث"))
		k := "k:" + DefaultTranslit.Key("أردوغان")
		if d[k] != 2 {
			t.Errorf("%s counted %v, want 2: %v", k, d[k], d)
		}
		if k2 := "k:" + DefaultTranslit.Key("وأردوغان"); d[k2] != 0 {
			t.Errorf("key of the proclitic form %s present: %v", k2, d)
		}
	})
	t.Run("proclitic attested with the article", func(t *testing.T) {
		d := keys(Analyze("ar", "", "اجتماع الناتو في بروكسل ووزراء وناتو"))
		if k := "k:" + DefaultTranslit.Key("ناتو"); d[k] != 2 {
			t.Errorf("%s counted %v, want 2: %v", k, d[k], d)
		}
	})
	t.Run("unattested proclitic kept", func(t *testing.T) {
		// اشنطن is not in the text: واشنطن is a name, not و + word.
		d := keys(Analyze("ar", "", "وصل الوفد إلى واشنطن"))
		if k := "k:" + DefaultTranslit.Key("واشنطن"); d[k] == 0 {
			t.Errorf("missing %s: %v", k, d)
		}
	})
	t.Run("dictionary sees the word as written", func(t *testing.T) {
		var seen []string
		a := Analyzer{Translator: recordLex{&seen}}
		a.Analyze("ar", "", "الحكومة الجديدة")
		if !slices.Contains(seen, "الحكومة") {
			t.Errorf("Translator got %q, want the spelling with ة", seen)
		}
	})
}

type recordLex struct{ seen *[]string }

func (r recordLex) English(lang, w string) []string {
	*r.seen = append(*r.seen, w)
	return nil
}

// words returns the non-anchor terms (stems) of d.
func words(d *Doc) map[string]float64 {
	m := map[string]float64{}
	for _, t := range d.Terms {
		if !t.Anchor() {
			m[t.Key] = t.N
		}
	}
	return m
}

func maps2Equal(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func FuzzNormalizeArabic(f *testing.F) {
	for _, s := range []string{"", "أحمد", "كَتَبَ", "جميـــل", "مدرسة", "\xd8", "\xd8\xa3\xff", "Rutte روتّه"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeArabic(s)
		if NormalizeArabic(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, NormalizeArabic(n))
		}
		if utf8.ValidString(s) && (!utf8.ValidString(n) || len(n) > len(s)) {
			t.Fatalf("NormalizeArabic(%q) = %q", s, n)
		}
		if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x0600 && r <= 0x06FF }) && n != s {
			t.Fatalf("non-Arabic text changed: %q → %q", s, n)
		}
	})
}
