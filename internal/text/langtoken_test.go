package text

import "testing"

func TestLangToken(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"en", "xxlangen"},
		{"ast", "xxlangast"},
		{"", "xxlang0"},
		{"und", "xxlangund"},
		{"en-us", "xxlang0656e2d7573"},
		{"EN", "xxlang0454e"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		got := LangToken(tt.lang)
		if got != tt.want {
			t.Errorf("LangToken(%q) = %q, want %q", tt.lang, got, tt.want)
		}
		if other, ok := seen[got]; ok {
			t.Errorf("LangToken(%q) = LangToken(%q)", tt.lang, other)
		}
		seen[got] = tt.lang
		// One word as the tokenizers read it: letters and digits only.
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
				t.Errorf("LangToken(%q) = %q: %q is not a word character", tt.lang, got, r)
			}
		}
	}
}
