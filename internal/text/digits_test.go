package text

import (
	"testing"
	"unicode/utf8"
)

func TestASCIIDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1359 وحدة", "1359 وحدة"},
		{"١٣٥٩ وحدة", "1359 وحدة"},
		{"۱۳۹۹", "1399"},
		{"２０２０年", "2020年"},
		{"٣٫٥", "3.5"},
		{"١٬٠٠٠", "1,000"},
		{"no digits", "no digits"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ASCIIDigits(tt.in); got != tt.want {
			t.Errorf("ASCIIDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The same number in two scripts becomes one term, without the
	// caller converting digits first.
	b := Analyze("ar", "", "حجز ١٣٥٩ وحدة")
	if !hasKey(b, "#1359") {
		t.Errorf("Arabic-Indic digits lack #1359: %v", b.Terms)
	}
}

func hasKey(d *Doc, key string) bool {
	for _, t := range d.Terms {
		if t.Key == key {
			return true
		}
	}
	return false
}

func FuzzASCIIDigits(f *testing.F) {
	for _, s := range []string{"١٣٥٩", "２０２０", "abc", "\xff\xfe", "٫٬"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := ASCIIDigits(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from valid input %q", s)
		}
		if ASCIIDigits(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
		if utf8.ValidString(s) && utf8.RuneCountInString(out) != utf8.RuneCountInString(s) {
			t.Fatalf("rune count changed on %q", s)
		}
	})
}
