package story

import (
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/text"
)

func TestLeadWords(t *testing.T) {
	tests := []struct {
		in         string
		n          int
		lead, body string
	}{
		{"one two three four", 2, "one two", " three four"},
		{"one  two\nthree", 2, "one  two", "\nthree"},
		{"one two", 5, "", "one two"},
		{"one two three", 0, "", "one two three"},
		{"新冠疫苗试验开始了 more", 2, "新冠疫苗", "试验开始了 more"},
		{"", 3, "", ""},
	}
	for _, tt := range tests {
		lead, body := leadWords(tt.in, tt.n)
		if lead != tt.lead || body != tt.body {
			t.Errorf("leadWords(%q, %d) = %q, %q; want %q, %q", tt.in, tt.n, lead, body, tt.lead, tt.body)
		}
	}
}

func TestHeadline(t *testing.T) {
	tests := []struct {
		name, title, body string
		n                 int
		head, rest        string
	}{
		{"titled", "Quake hits", "one two three", 2, "Quake hits", "one two three"},
		{"off", "", "one two three", 0, "", "one two three"},
		{"lead", "", "one two three", 2, "one two", " three"},
		{"address skipped", "", "http: / / example. org / a - b\none two three", 2, "one two", "http: / / example. org / a - b\n three"},
		{"stamp skipped", "", "www.example.org\n9 / 10 / 2010 @ 1: 19PM\none two three", 2, "one two", "www.example.org\n9 / 10 / 2010 @ 1: 19PM\n three"},
		{"only addresses", "", "http://a\nwww.b\n", 2, "", "http://a\nwww.b\n"},
		{"short", "", "one", 2, "", "one"},
		{"invalid UTF-8", "", "\xff\xfe\n\xffa b c", 2, "\xffa b", "\xff\xfe\n c"},
	}
	for _, tt := range tests {
		head, rest := Headline(tt.title, tt.body, tt.n)
		if head != tt.head || rest != tt.rest {
			t.Errorf("%s: Headline(%q, %q, %d) = %q, %q; want %q, %q", tt.name, tt.title, tt.body, tt.n, head, rest, tt.head, tt.rest)
		}
	}
}

func TestPairSimilarity(t *testing.T) {
	quake := &article.Article{Lang: "en", Text: "Earthquake of magnitude 6.4 strikes Albania near Durres, killing 23 people. Rescuers search the rubble in Durres and Thumane."}
	quake2 := &article.Article{Lang: "en", Text: "Albania earthquake: rescuers in Durres pull survivors from rubble after the magnitude 6.4 quake killed 23 people."}
	vote := &article.Article{Lang: "en", Text: "Parliament in Lisbon approves the national budget after a long debate between the governing socialists and the opposition."}
	quakeDE := &article.Article{Lang: "de", Text: "Erdbeben der Stärke 6,4 in Albanien: In Durres suchen Helfer nach Überlebenden, 23 Menschen starben."}
	var p Pair
	same, other, cross := p.Similarity(quake, quake2, nil), p.Similarity(quake, vote, nil), p.Similarity(quake, quakeDE, nil)
	for _, s := range []float64{same, other, cross} {
		if s < 0 || s > 1 {
			t.Fatalf("score %v outside [0, 1]", s)
		}
	}
	if same <= other || cross <= other {
		t.Errorf("same story %.3f, cross-language same story %.3f, unrelated %.3f: want unrelated lowest", same, cross, other)
	}
}

func BenchmarkPairDocs(b *testing.B) {
	var p Pair
	x := p.Analyze("de", "", strings.Repeat("Erdbeben der Stärke 6,4 in Albanien: In Durres suchen Helfer nach Überlebenden. ", 12))
	y := p.Analyze("en", "", strings.Repeat("Rescuers in Durres pulled survivors from the rubble after the magnitude 6.4 earthquake. ", 12))
	model := text.NewModel()
	model.Add(x)
	model.Add(y)
	b.ReportAllocs()
	for b.Loop() {
		p.Docs(x, y, model)
	}
}

func TestCrossAnchor(t *testing.T) {
	for _, c := range []struct {
		key  string
		want bool
	}{
		{"#7", false},   // a single digit: list numbers, table cells
		{"#37", true},   // a death toll
		{"#2025", true}, // a year
		{"#5.6", true},  // a magnitude
		{"@04", true},   // a month
		{"e:rutte", true},
		{"k:rt", true},
		{"x:govern", true},
		{"govern", false}, // a stem is language-specific
	} {
		if got := crossAnchor(c.key); got != c.want {
			t.Errorf("crossAnchor(%q) = %v, want %v", c.key, got, c.want)
		}
	}
}
