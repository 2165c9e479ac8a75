package text

import "testing"

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Müller", "muller"},
		{"MULLER", "muller"},
		{"muller", "muller"},
		{"Straße", "strasse"},
		{"Łódź", "lodz"},
		{"Østergaard", "ostergaard"},
		{"Đoković", "dokovic"},
		{"NATO-chief 2025", "nato-chief 2025"},
		{"", ""},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzFold: Fold's shortcut for ASCII gives what the general path does.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Rutte", "RUTTE", "rutte", "Müller", "a\u0301", "\xff", "İstanbul", "K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldRunes(s); got != want {
			t.Errorf("Fold(%q) = %q, general path %q", s, got, want)
		}
	})
}
