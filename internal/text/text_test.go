package text

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func texts(toks []Token, kind Kind) []string {
	var out []string
	for _, t := range toks {
		if t.Kind == kind {
			out = append(out, t.Text)
		}
	}
	return out
}

func TestTokenizeNumbers(t *testing.T) {
	tests := []struct {
		in   string
		nums []string
		year []string
	}{
		{"1,000 people", []string{"1000"}, nil},
		{"1000 people", []string{"1000"}, nil},
		{"1.000 Menschen", []string{"1000"}, nil},
		{"2,5 Prozent and 2.50 percent", []string{"2.5", "2.5"}, nil},
		{"on 9/10/2010 at 09:05", []string{"9", "10", "9", "5"}, []string{"2010"}},
		{"10.09.2010", []string{"10", "9"}, []string{"2010"}},
		{"the 10th time, 19PM", []string{"10", "19"}, nil},
		{"1,234,567 votes", []string{"1234567"}, nil},
		{"in 1964 and 2019", nil, []string{"1964", "2019"}},
		// Digits of other scripts read as ASCII.
		{"حجز ١٣٥٩ وحدة", []string{"1359"}, nil},
		{"۲٫۵ درصد در ۱۳۹۹", []string{"2.5", "1399"}, nil},
		{"२०२० में", nil, []string{"2020"}},
		{"１０００人 in ２０１９", []string{"1000"}, []string{"2019"}},
	}
	for _, tt := range tests {
		toks := Tokenize(tt.in)
		if got := texts(toks, KindNumber); !slices.Equal(got, tt.nums) {
			t.Errorf("Tokenize(%q) numbers = %q, want %q", tt.in, got, tt.nums)
		}
		if got := texts(toks, KindYear); !slices.Equal(got, tt.year) {
			t.Errorf("Tokenize(%q) years = %q, want %q", tt.in, got, tt.year)
		}
	}
}

func TestTokenizeWords(t *testing.T) {
	tests := []struct {
		in    string
		words []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"the U.S. and U.N. met", []string{"the", "us", "and", "un", "met"}},
		{"Reid’s rehab", []string{"reid", "s", "rehab"}},
		{"Müller-Lüdenscheidt", []string{"müller", "lüdenscheidt"}},
		{"Путин заявил", []string{"путин", "заявил"}},
		{"قال روته", []string{"قال", "روته"}},
	}
	for _, tt := range tests {
		if got := texts(Tokenize(tt.in), KindWord); !slices.Equal(got, tt.words) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.words)
		}
	}
}

func TestTokenizeCJK(t *testing.T) {
	toks := Tokenize("北约秘书长 12 月 18 日")
	if got := texts(toks, KindCJK); !slices.Equal(got, []string{"北约", "约秘", "秘书", "书长", "月", "日"}) {
		t.Errorf("bigrams = %q", got)
	}
	if got := texts(toks, KindMonth); !slices.Equal(got, []string{"12"}) {
		t.Errorf("months = %q, want [12]", got)
	}
	if got := texts(toks, KindNumber); !slices.Equal(got, []string{"18"}) {
		t.Errorf("numbers = %q, want [18]", got)
	}
}

func TestTokenizeFlags(t *testing.T) {
	toks := Tokenize("Officials said NATO chief Mark Rutte arrived.\nFemale Employee Kills Two In Shooting")
	flags := map[string]Token{}
	for _, tk := range toks {
		flags[tk.Surface] = tk
	}
	if !flags["Officials"].Initial || flags["Mark"].Initial || !flags["Mark"].Cap {
		t.Errorf("sentence-initial flags wrong: %+v %+v", flags["Officials"], flags["Mark"])
	}
	if !flags["NATO"].Acronym || flags["Mark"].Acronym {
		t.Errorf("acronym flags wrong")
	}
	// A title-case line says nothing about names.
	if !flags["Employee"].Initial || !flags["Shooting"].Initial {
		t.Errorf("title-case line not marked initial")
	}
}

func TestMonths(t *testing.T) {
	for _, w := range []string{"december", "dezember", "diciembre", "décembre", "dicembre", "grudnia", "декабря", "aralık", "ديسمبر"} {
		if got := Month(w); got != "12" {
			t.Errorf("Month(%q) = %q, want 12", w, got)
		}
	}
	if got := Month("may"); got != "" {
		t.Errorf("Month(may) = %q: the modal verb must not count", got)
	}
	toks := Tokenize("On March 3, 2009")
	if got := texts(toks, KindMonth); !slices.Equal(got, []string{"03"}) {
		t.Errorf("months = %q", got)
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"en", "running", "run"},
		{"en", "earthquakes", "earthquak"},
		{"de", "regierungen", "regier"},
		{"es", "presidentes", "president"},
		{"pl", "prezydenta", "prezyd"}, // prefix truncation
		{"zz", "words", "words"},
	}
	for _, tt := range tests {
		if got := NewStemmer(tt.lang).Stem(tt.in); got != tt.want {
			t.Errorf("Stem(%s, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
	for _, l := range []string{"ar", "en", "de", "es", "fr", "it", "pt", "ru", "tr"} {
		if !HasStemmer(l) {
			t.Errorf("no stemmer for %s", l)
		}
	}
}

func TestStopWords(t *testing.T) {
	for _, lang := range []string{"en", "ar", "pt", "id", "es", "de", "fr", "it", "ru", "tr", "pl"} {
		if len(stopSets[lang]) < 40 {
			t.Errorf("stop list %s has %d words", lang, len(stopSets[lang]))
		}
	}
	if !IsStop("de", "und") || !IsStop("fr", "the") || IsStop("en", "earthquake") {
		t.Error("IsStop wrong")
	}
}

func keys(d *Doc) map[string]float64 {
	m := map[string]float64{}
	for _, t := range d.Terms {
		m[t.Key] = t.N
	}
	return m
}

func TestAnalyze(t *testing.T) {
	d := Analyze("en", "Rutte visits Tokyo", "NATO Secretary General Mark Rutte met Prime Minister Shigeru Ishiba in Tokyo on April 9, 2025. "+
		"The talks lasted 1,000 minutes, officials said.")
	k := keys(d)
	for _, want := range []string{"e:rutte", "e:nato", "e:ishiba", "e:tokyo", "#2025", "#1000", "@04", "talk", "k:rt"} {
		if k[want] == 0 {
			t.Errorf("missing %s in %v", want, k)
		}
	}
	for _, not := range []string{"the", "on", "e:the", "e:officials"} {
		if k[not] != 0 {
			t.Errorf("unexpected %s", not)
		}
	}
	if k["e:rutte"] != 3 { // title counts twice
		t.Errorf("e:rutte count %v, want 3", k["e:rutte"])
	}
	if !slices.IsSortedFunc(d.Terms, func(a, b Term) int { return strings.Compare(a.Key, b.Key) }) {
		t.Error("terms not sorted")
	}
}

// The Arabic spelling of a name shares its transliteration key with the
// Latin one; Latin tokens inside Arabic text are names.
func TestAnalyzeCrossScript(t *testing.T) {
	en := keys(Analyze("en", "", "Talks with Mark Rutte and NATO in Wiesbaden."))
	ar := keys(Analyze("ar", "", "محادثات مع مارك روته والناتو في فيسبادن مع وكالة Kyodo"))
	if ar["e:kyodo"] == 0 {
		t.Errorf("Latin token in Arabic text is not a name: %v", ar)
	}
	shared := 0
	for k := range en {
		if strings.HasPrefix(k, "k:") && ar[k] > 0 {
			shared++
		}
	}
	if shared < 2 {
		t.Errorf("English and Arabic share %d name keys; en %v ar %v", shared, en, ar)
	}
}

// TestAnalyzeLiquidKeys: kana have one liquid, so a Japanese text's names
// meet Latin and Cyrillic names with an l (Scholz, Lenin) by their liquid
// keys (k:~), and names with an r by their keys as before (Rutte).
func TestAnalyzeLiquidKeys(t *testing.T) {
	en := keys(Analyze("en", "", "Chancellor Scholz quoted Lenin before meeting Mark Rutte in Warsaw."))
	ru := keys(Analyze("ru", "", "Канцлер Шольц процитировал Ленина на встрече в Варшаве."))
	ja := keys(Analyze("ja", "", "ショルツ首相はレーニンを引用し、ルッテ氏と会談した。"))
	for _, k := range []string{"k:~xrs", "k:~rn", "k:rt"} {
		if en[k] == 0 || ja[k] == 0 {
			t.Errorf("%s: en %v, ja %v", k, en[k], ja[k])
		}
	}
	if ru["k:~xrs"] == 0 {
		t.Errorf("Russian Шольц has no liquid key: %v", ru)
	}
	// A name with an l is not also indexed by its plain key, so that two
	// names of one script meet by the liquid key only when both have an l.
	if en["k:xls"] != 0 {
		t.Errorf("Scholz is indexed by its plain key too: %v", en)
	}
}

type fakeLex map[string][]string

func (f fakeLex) English(lang, w string) []string { return f[w] }

func TestAnalyzeGlosses(t *testing.T) {
	a := Analyzer{Translator: fakeLex{"regierung": {"government"}}}
	de := keys(a.Analyze("de", "", "die neue regierung"))
	en := keys(a.Analyze("en", "", "the new government"))
	if de["x:govern"] == 0 || en["x:govern"] == 0 {
		t.Errorf("gloss not shared: de %v en %v", de, en)
	}
}

func TestModel(t *testing.T) {
	m := NewModel()
	a := Analyze("en", "", "earthquake in Valdoria kills dozens")
	b := Analyze("en", "", "earthquake relief reaches survivors")
	m.Add(a)
	m.Add(b)
	if m.Docs() != 2 || m.DF("earthquak") != 2 {
		t.Fatalf("docs %d df %d", m.Docs(), m.DF("earthquak"))
	}
	if !(m.IDF("valdoria") > m.IDF("earthquak")) || m.IDF("earthquak") < 1 {
		t.Errorf("idf: rare %v common %v", m.IDF("valdoria"), m.IDF("earthquak"))
	}
	va, vb := m.Vector(a, DefaultWeights), m.Vector(b, DefaultWeights)
	if n := va.Norm(); math.Abs(n-1) > 1e-9 {
		t.Errorf("norm %v", n)
	}
	if c := Cosine(va, vb); c <= 0 || c >= 1 {
		t.Errorf("cosine %v", c)
	}
	if c := Cosine(va, va); math.Abs(c-1) > 1e-9 {
		t.Errorf("self cosine %v", c)
	}
	// With nothing learned, IDF is flat but defined.
	if got := NewModel().IDF("x"); got != 1 {
		t.Errorf("empty model IDF = %v", got)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "1,000.5", "U.S.", "北约 12 月", "\xff\xfe", "a.b.c", "9/10/2010 @ 1: 19PM", "ـــ", "١٢٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tk := range Tokenize(s) {
			if tk.Text == "" {
				t.Fatalf("empty token from %q", s)
			}
		}
	})
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "Rutte in Tokyo", "روته في طوكيو", "Путин", "\x00\xff", "12 月"} {
		f.Add("en", s)
		f.Add("ar", s)
	}
	f.Fuzz(func(t *testing.T, lang, s string) {
		d := Analyze(lang, s, s)
		for i, tm := range d.Terms {
			if tm.N <= 0 || i > 0 && d.Terms[i-1].Key >= tm.Key {
				t.Fatalf("bad terms %v", d.Terms)
			}
			if !utf8.ValidString(tm.Key) && utf8.ValidString(s) {
				t.Fatalf("invalid key %q", tm.Key)
			}
		}
	})
}

func TestDecayingModel(t *testing.T) {
	doc := func(keys ...string) *Doc {
		d := &Doc{}
		for _, k := range keys {
			d.Terms = append(d.Terms, Term{Key: k, N: 1})
		}
		return d
	}
	m := NewDecayingModel(4)
	// Eight documents: "common" in all, "once" in the first only. The
	// eighth reaches 2·halfLife and halves the counts.
	m.Add(doc("common", "once"))
	for i := 0; i < 6; i++ {
		m.Add(doc("common"))
	}
	if got := m.DF("once"); got != 1 {
		t.Fatalf("before halving DF(once) = %d, want 1", got)
	}
	m.Add(doc("common"))
	if got, want := m.Docs(), 8; got != want {
		t.Errorf("Docs = %d, want %d (all documents seen)", got, want)
	}
	if got := m.DF("once"); got != 0 {
		t.Errorf("after halving DF(once) = %d, want 0 (forgotten)", got)
	}
	if got := m.DF("common"); got != 4 {
		t.Errorf("after halving DF(common) = %d, want 4", got)
	}
	if got := m.Terms(); got != 1 {
		t.Errorf("Terms = %d, want 1", got)
	}
	// IDF of a term in every document stays at the floor: both counts halved.
	if got, want := m.IDF("common"), math.Log(5.0/5.0)+1; math.Abs(got-want) > 1e-12 {
		t.Errorf("IDF(common) = %v, want %v", got, want)
	}
	// A model that never forgets keeps everything.
	n := NewModel()
	for i := 0; i < 100; i++ {
		n.Add(doc("common", fmt.Sprint("t", i)))
	}
	if n.Terms() != 101 || n.DF("t0") != 1 {
		t.Errorf("NewModel forgot: %d terms, DF(t0) %d", n.Terms(), n.DF("t0"))
	}
}

// Japanese is analysed in words, not character pairs: no particle pair
// (いる, てい) or word fragment (統領) becomes a term, and a katakana name keys like its Latin
// spelling, so the two languages meet on it.
func TestAnalyzeJapaneseWords(t *testing.T) {
	ja := Analyze("ja", "バイデン大統領が訪問", "バイデン大統領は、新しい橋の建設について市議会と協議している。")
	en := Analyze("en", "President Biden visits", "President Biden discussed the new bridge with the council.")
	keys := map[string]bool{}
	for _, tm := range ja.Terms {
		keys[tm.Key] = true
	}
	for _, bad := range []string{"てい", "いる", "領は", "統領"} {
		if keys[bad] {
			t.Errorf("Japanese terms hold the fragment %q", bad)
		}
	}
	if !keys["大統領"] || !keys["協議"] {
		t.Errorf("Japanese terms lack whole words: %v", ja.Terms)
	}
	shared := 0
	for _, tm := range en.Terms {
		if strings.HasPrefix(tm.Key, "k:") && keys[tm.Key] {
			shared++
		}
	}
	if shared == 0 {
		t.Errorf("バイデン and Biden share no name key: ja %v en %v", ja.Terms, en.Terms)
	}
}
