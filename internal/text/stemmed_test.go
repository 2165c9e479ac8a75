package text

import "testing"

func TestStemmed(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"en", "Ministers agreed, discussing defences.", "minist agre discuss defenc"},
		{"en", "", ""},
		{"en", "In 2025, 1,000 troops", "in 2025 1000 troop"},
		{"xx", "Unknown Words", "unknown words"},
	}
	for _, tt := range tests {
		if got := Stemmed(tt.lang, tt.in); got != tt.want {
			t.Errorf("Stemmed(%q, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}
