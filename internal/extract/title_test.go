package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanTitle(t *testing.T) {
	tests := []struct {
		title string
		sites []string
		want  string
	}{
		{"Floods hit the coast - BBC News", []string{"bbc"}, "Floods hit the coast"},
		{"Merkel trifft Sarkozy | DW | 23.05.2011", []string{"dw"}, "Merkel trifft Sarkozy"},
		{"Merkel trifft Sarkozy | 23.05.2011", nil, "Merkel trifft Sarkozy"},
		{"Le gouvernement recule sur la réforme — Le Monde", []string{"lemonde"}, "Le gouvernement recule sur la réforme"},
		{"Oil prices climb on supply worries · Reuters", []string{"Reuters"}, "Oil prices climb on supply worries"},
		{"Wahl in Bremen :: Weser-Kurier", []string{"Weser-Kurier"}, "Wahl in Bremen"},
		{"BBC News - Floods hit the coast", []string{"bbc"}, "Floods hit the coast"},
		{"Regierung stürzt - SPIEGEL ONLINE - Nachrichten", []string{"spiegel"}, "Regierung stürzt"},
		{"Inflation eases – The Guardian", []string{"theguardian"}, "Inflation eases"},
		{"Les Bleus gagnent | Le Monde.fr", []string{"Le Monde"}, "Les Bleus gagnent"},
		{"Hafenbahn fährt wieder - Weserkurier Nord | 23.05.2011", []string{"Weserkurier Nord"}, "Hafenbahn fährt wieder"},
		// Titles that contain " - " themselves keep it.
		{"Liverpool 2 - 1 Chelsea", []string{"bbc"}, "Liverpool 2 - 1 Chelsea"},
		{"Brexit - what happens next - BBC News", []string{"bbc"}, "Brexit - what happens next"},
		{"Spider-Man - the review nobody asked for", []string{"example"}, "Spider-Man - the review nobody asked for"},
		{"Obama - a portrait", []string{"obamafoundation"}, "Obama - a portrait"},
		{"Le Pen - Macron : le débat", []string{"lemonde"}, "Le Pen - Macron : le débat"},
		// Never empty: a title that is all site name keeps its first part.
		{"BBC News", []string{"bbc"}, "BBC News"},
		{"BBC News | BBC", []string{"bbc"}, "BBC News"},
		{"", []string{"bbc"}, ""},
		{"  Plain headline  ", nil, "Plain headline"},
	}
	for _, tc := range tests {
		if got := cleanTitle(tc.title, tc.sites); got != tc.want {
			t.Errorf("cleanTitle(%q, %q) = %q, want %q", tc.title, tc.sites, got, tc.want)
		}
	}
}

func TestHostName(t *testing.T) {
	for _, c := range []struct{ host, want string }{
		{"bbc.co.uk", "bbc"}, {"edition.cnn.com", "cnn"}, {"lemonde.fr", "lemonde"},
		{"dw.com", "dw"}, {"folha.uol.com.br", "uol"}, {"localhost", ""}, {"", ""},
	} {
		if got := hostName(c.host); got != c.want {
			t.Errorf("hostName(%q) = %q, want %q", c.host, got, c.want)
		}
	}
}

func FuzzCleanTitle(f *testing.F) {
	f.Add("Floods hit the coast - BBC News", "bbc")
	f.Add("Merkel trifft Sarkozy | DW | 23.05.2011", "dw")
	f.Add(" - | - ", "")
	f.Add("a — b · c :: d » e", "e")
	f.Fuzz(func(t *testing.T, title, site string) {
		got := cleanTitle(title, []string{site})
		if strings.TrimSpace(title) != "" && got == "" {
			t.Fatalf("cleanTitle(%q, %q) is empty", title, site)
		}
		if !strings.Contains(title, got) {
			t.Fatalf("cleanTitle(%q, %q) = %q, not a part of the title", title, site, got)
		}
		if utf8.ValidString(title) && !utf8.ValidString(got) {
			t.Fatalf("cleanTitle(%q) = %q: invalid UTF-8", title, got)
		}
	})
}
