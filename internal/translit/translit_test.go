package translit

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestLatin(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Rutte", "rutte"},
		{"Müller", "muller"},
		{"Straße", "strasse"},
		{"Łódź", "lodz"},
		{"İstanbul", "istanbul"},
		{"São", "sao"},
		{"Рютте", "ryutte"},
		{"НАТО", "nato"},
		{"Висбаден", "visbaden"},
		{"Щукин", "shchukin"},
		{"Київ", "kiyiv"},
		{"روت", "rut"},
		{"روتي", "ruti"},
		{"ناتو", "natu"},
		{"إيشيبا", "ishiba"},
		{"ناكاتاني", "nakatani"},
		{"فيسبادن", "fisbadn"},
		{"ويزبادن", "wizbadn"},
		{"مُحَمَّد", "muhammad"},
		{"پاکستان", "pakstan"},
		{"Αθήνα", "athina"},
		{"Μπαράκ", "barak"},
		{"Ρούτε", "route"},
		{"רוטה", "rote"},
		{"ישראל", "yshrl"},
		{"ルッテ", "rutte"},
		{"いしば", "ishiba"},
		{"ナカタニ", "nakatani"},
		{"トウキョウ", "toukyou"},
		{"ちゃ", "cha"},
		{"キャ", "kya"},
		{"ファ", "fa"},
		{"ティ", "ti"},
		{"ウィ", "wi"},
		{"マッチ", "matchi"},
		{"ｲｼﾊﾞ", "ishiba"}, // half-width kana
		{"नमस्ते", "namaste"},
		{"भारत", "bharat"},
		{"दिल्ली", "dilli"},
		{"石破", "石破"},
		{"北約", "北約"},
		{"Ｒｕｔｔｅ", "rutte"}, // full-width Latin
		{"", ""},
		{"a-b", "a-b"},
		{"٢٠٢٥", "2025"},
	}
	for _, tt := range tests {
		if got := Latin(tt.in); got != tt.want {
			t.Errorf("Latin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKeySameName(t *testing.T) {
	groups := [][]string{
		{"Rutte", "Rutte's", "Rutte’s", "Rutt", "روت", "روتي", "Рютте", "Рутте", "רוטה", "Ρούτε", "ルッテ"},
		{"Ishiba", "إيشيبا", "イシバ", "Ишиба"},
		{"Nakatani", "ناكاتاني", "ナカタニ", "Накатани"},
		{"Wiesbaden", "فيسبادن", "ويزبادن", "Висбаден", "Visbaden"},
		{"NATO", "ناتو", "НАТО", "Nato", "ナトー", "الناتو", "للناتو"},
		{"Qaeda", "al-Qaeda", "القاعدة", "Al-Qaida"},
		{"Zelensky", "Zelenskyy", "Зеленский", "Зеленський", "زيلينسكي"},
		{"Tokyo", "Tokio", "طوكيو", "Токио", "トーキョー"},
		{"Paris", "باريس", "Париж"[:len("Пари")] + "с", "Πάρις"},
		{"Macron", "ماكرون", "Макрон"},
		{"Müller", "Muller", "Мюллер"},
	}
	for _, g := range groups {
		want := Key(g[0])
		if len(want) < 2 {
			t.Errorf("Key(%q) = %q: too short to be useful", g[0], want)
		}
		for _, s := range g[1:] {
			if got := Key(s); got != want {
				t.Errorf("Key(%q) = %q (latin %q), want %q as for %q", s, got, Latin(s), want, g[0])
			}
		}
	}
}

func TestKeyDifferentNames(t *testing.T) {
	pairs := [][2]string{
		{"Rutte", "Rutter"}, // documented: a trailing consonant is kept
		{"Rutte", "Rudd"},
		{"Ishiba", "Abe"},
		{"Nakatani", "Nakamura"},
		{"NATO", "Nadal"},
		{"Tokyo", "Kyoto"},
		{"Berlin", "Bern"},
		{"Wiesbaden", "Wittenberg"},
		{"Trump", "Truss"},
		{"Merz", "Marx"},
	}
	for _, p := range pairs {
		if a, b := Key(p[0]), Key(p[1]); a == b {
			t.Errorf("Key(%q) = Key(%q) = %q", p[0], p[1], a)
		}
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"وناتو", []string{Key("وناتو"), Key("NATO")}}, // "and NATO"
		{"واشنطن", []string{Key("Washington"), Key("اشنطن")}},
		{"Rutte", []string{"rt"}},
		{"ولد", []string{Key("ولد")}}, // too short to strip
	}
	for _, tt := range tests {
		if got := Keys(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Keys(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if Key("واشنطن") != Key("Washington") {
		t.Errorf("Key(واشنطن) = %q, Key(Washington) = %q", Key("واشنطن"), Key("Washington"))
	}
}

func TestNear(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Rutte", "Rutter", true},
		{"Rutte", "روتي", true},
		{"Rutte", "Rudd", false},
		{"A", "Ab", false}, // one class in common is not enough
		{"Merz", "Marx", false},
		{"Hunt", "Hunter", true},
	}
	for _, tt := range tests {
		if got := Near(Key(tt.a), Key(tt.b)); got != tt.want {
			t.Errorf("Near(Key(%q)=%q, Key(%q)=%q) = %v, want %v", tt.a, Key(tt.a), tt.b, Key(tt.b), got, tt.want)
		}
	}
}

func TestSkeleton(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rutte", "rt"},
		{"schwarz", "xrs"},
		{"philip", "flb"},
		{"cicero", "sr"},
		{"alexander", "alksndr"},
		{"", ""},
		{"---", ""},
		{"g7", "g7"},
		{"Rutte", "rt"},
		{"石破", "石破"},
	}
	for _, tt := range tests {
		if got := Skeleton(tt.in); got != tt.want {
			t.Errorf("Skeleton(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzLatin(f *testing.F) {
	for _, s := range []string{"Rutte", "روتي", "Рютте", "ルッテ", "ッ", "ゃ", "ぁ", "नमस्ते", "क़", "्", "ّ", "ᾅ", "\xff", "ﷲ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := Latin(s)
		if !utf8.ValidString(l) {
			t.Fatalf("Latin(%q) = %q: invalid UTF-8", s, l)
		}
		for _, r := range l {
			if r < utf8.RuneSelf && unicode.IsUpper(r) {
				t.Fatalf("Latin(%q) = %q: upper-case ASCII", s, l)
			}
		}
		k := Skeleton(l)
		if !utf8.ValidString(k) {
			t.Fatalf("Key(%q) = %q: invalid UTF-8", s, k)
		}
		if strings.ContainsAny(k, "eiouw") {
			t.Fatalf("Key(%q) = %q keeps a vowel", s, k)
		}
		// Idempotent on its own output's letters: a key is its own
		// skeleton when it has no leading vowel marker.
		if Key(s) != k {
			t.Fatalf("Key and Skeleton(Latin) disagree on %q", s)
		}
	})
}

func BenchmarkKey(b *testing.B) {
	words := []string{"Rutte", "إيشيبا", "Висбаден", "ナカタニ", "Müller", "Ρούτε", "石破", "nato"}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, w := range words {
			n += len(Key(w))
		}
	}
	b.ReportMetric(float64(b.N*len(words))/b.Elapsed().Seconds(), "words/s")
	_ = n
}

func TestLiquidKey(t *testing.T) {
	// Each name and its kana spelling share a liquid key.
	for _, p := range [][2]string{
		{"Lenin", "レーニン"},
		{"Scholz", "ショルツ"},
		{"Villa", "ヴィラ"},
		{"Berlin", "ベルリン"},
		{"Poland", "ポーランド"},
		{"Rutte", "ルッテ"},
	} {
		a, _ := LiquidKey(p[0])
		b, both := LiquidKey(p[1])
		if !both {
			t.Errorf("LiquidKey(%q): kana's Key must apply too", p[1])
		}
		if p[0] == "Rutte" {
			a = Key(p[0]) // no l: Key says all, and matches the kana's liquid key
		}
		if a == "" || a != b {
			t.Errorf("LiquidKey(%q) = %q, LiquidKey(%q) = %q: want equal", p[0], a, p[1], b)
		}
	}
	// A name with no l in a script that tells l from r has none.
	for _, s := range []string{"Rutte", "Trump", "Макрон", "Paris"} {
		if k, both := LiquidKey(s); k != "" || !both {
			t.Errorf("LiquidKey(%q) = %q, want none", s, k)
		}
	}
	// Two names of one script meet only where both have an l: Lutte is
	// indexed by its liquid key alone, Rutte by its Key alone.
	if lk, both := LiquidKey("Lutte"); lk == "" || both {
		t.Errorf("LiquidKey(Lutte) = %q, %v: want a liquid key that replaces Key's", lk, both)
	}
	if lk, _ := LiquidKey("Rutte"); lk != "" {
		t.Errorf("LiquidKey(Rutte) = %q, want none", lk)
	}
}
