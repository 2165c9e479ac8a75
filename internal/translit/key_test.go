package translit

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// The byte test before OneLiquid's loop must not hide a kana letter:
// every rune alone, and after Latin letters, answers as the letter
// classes say.
func TestOneLiquidEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		want := unicode.In(r, unicode.Hiragana, unicode.Katakana) && r != 'ー' && r != '・'
		if got := OneLiquid("Ab" + string(r)); got != want {
			t.Fatalf("OneLiquid(%q) = %v, want %v", "Ab"+string(r), got, want)
		}
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"Scholz", false}, {"Шольц", false}, {"شولتس", false}, {"肖尔茨", false},
		{"ショルツ", true}, {"ｼｮﾙﾂ", true}, {"ろ", true}, {"ー・", false}, {"", false},
	} {
		if got := OneLiquid(tc.s); got != tc.want {
			t.Errorf("OneLiquid(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
