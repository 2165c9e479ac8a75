package figure

import (
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/lexicon"
)

// The lexicon is the translator the wiring will pass.
var _ Translator = (*lexicon.Lexicon)(nil)

// article is one outlet's text in a hand-made story.
type article struct {
	outlet, lang, text string
}

func report(story []article) []Reported {
	var out []Reported
	for i, a := range story {
		for _, f := range Extract(a.lang, a.text) {
			out = append(out, Reported{Article: int64(i + 1), Outlet: a.outlet, Lang: a.lang, Figure: f})
		}
	}
	return out
}

// find returns the group with key, failing the test when there is none.
func find(t *testing.T, groups []Group, key string) Group {
	t.Helper()
	for _, g := range groups {
		if g.Key == key {
			return g
		}
	}
	var keys []string
	for _, g := range groups {
		keys = append(keys, g.Key)
	}
	t.Fatalf("no group %q among %q", key, keys)
	return Group{}
}

type fakeLex map[string][]string

func (f fakeLex) English(lang, w string) []string { return f[w] }

func TestGroups(t *testing.T) {
	tests := []struct {
		name     string
		story    []article
		tr       Translator
		key      string
		outlets  int
		conflict bool
	}{
		{
			name: "same share of GDP in three languages, year said in different places",
			story: []article{
				{"wire", "en", "NATO allies agreed to raise defence spending to 3.5% of GDP by 2035."},
				{"zeitung", "de", "Die Nato-Staaten wollen ihre Verteidigungsausgaben bis 2035 auf 3,5 Prozent des BIP erhöhen."},
				{"diario", "es", "Los aliados elevarán el gasto en defensa al 3,5% del PIB."},
			},
			key: "%|gdp|2035", outlets: 3,
		},
		{
			name: "the same sum written three ways is no conflict",
			story: []article{
				{"wire", "en", "Ukraine will receive $1.2 billion in aid, officials said."},
				{"zeitung", "de", "Die Ukraine erhält Hilfen in Höhe von 1.200 Millionen Dollar."},
				{"journal", "fr", "L'Ukraine recevra environ 1,25 milliard de dollars d'aide."},
			},
			key: "USD|aid|", outlets: 3,
		},
		{
			name: "about a thousand and a thousand warheads agree",
			story: []article{
				{"wire", "en", "China could have about 1,000 nuclear warheads by 2030, the report said."},
				{"journal", "fr", "La Chine pourrait disposer de 1 000 ogives nucléaires d'ici 2030."},
			},
			key: "#|warhead|2030", outlets: 2,
		},
		{
			name: "2% against 3.5% of GDP conflicts",
			story: []article{
				{"wire", "en", "NATO members should spend 2% of GDP on defence by 2035, the minister said."},
				{"diario", "es", "Los aliados destinarán el 3,5% del PIB a defensa para 2035."},
			},
			key: "%|gdp|2035", outlets: 2, conflict: true,
		},
		{
			name: "an outlet giving the old and the new target conflicts with neither",
			story: []article{
				{"wire", "en", "Allies will lift the target from 2% of GDP to 3.5% of GDP."},
				{"diario", "es", "La OTAN fija el objetivo en el 3,5% del PIB."},
			},
			key: "%|gdp|", outlets: 2,
		},
		{
			name: "death tolls that differ conflict across languages",
			story: []article{
				{"wire", "en", "45 people were killed in the blast on Monday."},
				{"zeitung", "de", "Bei der Explosion wurden 52 Menschen getötet."},
				{"agency", "ar", "ارتفع عدد القتلى إلى 45 شخصا."},
			},
			key: "#|deaths|", outlets: 3, conflict: true,
		},
		{
			name: "approximate death tolls close together agree",
			story: []article{
				{"wire", "en", "At least 45 people were killed in the blast on Monday."},
				{"journal", "fr", "Au moins 47 personnes ont été tuées dans l'explosion."},
			},
			key: "#|deaths|", outlets: 2,
		},
		{
			name: "one outlet disagreeing with itself is no conflict",
			story: []article{
				{"wire", "en", "Inflation rose to 3.2% in March."},
				{"wire", "en", "Inflation rose to 3.4% in March, revised figures show."},
			},
			key: "%|inflation|", outlets: 1,
		},
		{
			name: "the translator makes unknown nouns meet",
			story: []article{
				{"wire", "en", "The army said it struck 150 targets overnight."},
				{"journal", "fr", "L'armée a frappé 150 cibles pendant la nuit."},
			},
			tr:  fakeLex{"cibles": {"targets", "aims"}},
			key: "#|target|", outlets: 2,
		},
		{
			name: "a translator that knows only the singular",
			story: []article{
				{"wire", "en", "The army said it struck 150 targets overnight."},
				{"journal", "fr", "L'armée a frappé 150 cibles pendant la nuit."},
			},
			tr:  fakeLex{"cible": {"target"}},
			key: "#|target|", outlets: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			figs := report(tt.story)
			g := find(t, Groups(figs, tt.tr), tt.key)
			outlets := make(map[string]bool)
			for _, r := range g.Items {
				outlets[r.Outlet] = true
			}
			if len(outlets) != tt.outlets {
				t.Errorf("group %q has %d outlets, want %d: %+v", g.Key, len(outlets), tt.outlets, g.Items)
			}
			if g.Conflict != tt.conflict {
				t.Errorf("group %q conflict = %v, want %v: %+v", g.Key, g.Conflict, tt.conflict, g.Items)
			}
			if g.Label == "" {
				t.Errorf("group %q has no label", g.Key)
			}
		})
	}
}

func TestGroupsWithoutTranslatorKeepsUnknownNounsApart(t *testing.T) {
	figs := report([]article{
		{"wire", "en", "The army said it struck 150 targets overnight."},
		{"journal", "fr", "L'armée a frappé 150 cibles pendant la nuit."},
	})
	if g := Groups(figs, nil); len(g) != 2 {
		t.Fatalf("got %d groups, want 2: %+v", len(g), g)
	}
}

func TestGroupsUnknownSubjectNeverConflicts(t *testing.T) {
	figs := report([]article{
		{"a", "en", "It closed 12% higher on Tuesday."},
		{"b", "en", "It closed 3% higher this week."},
	})
	for _, g := range Groups(figs, nil) {
		if g.Conflict {
			t.Errorf("group %q flagged with no known subject", g.Key)
		}
		if !strings.Contains(g.Key, "|=") {
			t.Errorf("group %q: a figure of unknown subject should be keyed by value", g.Key)
		}
	}
}

func TestGroupLabel(t *testing.T) {
	figs := report([]article{
		{"a", "en", "NATO allies agreed to 3.5% of GDP by 2035."},
		{"b", "en", "Members committed 3.5% of GDP by 2035 to defence."},
		{"c", "fr", "Les alliés consacreront 3,5 % du PIB d'ici 2035."},
	})
	g := find(t, Groups(figs, nil), "%|gdp|2035")
	if g.Label != "% of gdp (2035)" {
		t.Errorf("label %q, want %q", g.Label, "% of gdp (2035)")
	}
}

func TestAgree(t *testing.T) {
	ex := func(lang, s string) Figure {
		t.Helper()
		f := Extract(lang, s)
		if len(f) != 1 {
			t.Fatalf("Extract(%q) = %+v, want one figure", s, f)
		}
		return f[0]
	}
	tests := []struct {
		a, b  Figure
		agree bool
	}{
		{ex("en", "$1.2 billion"), ex("en", "$1,200 million"), true},
		{ex("en", "$1.2 billion"), ex("en", "$1,234 million"), true}, // 1.234 rounds to 1.2
		{ex("en", "$1.2 billion"), ex("en", "$1,300 million"), false},
		{ex("en", "2% of GDP"), ex("en", "3.5% of GDP"), false},
		{ex("en", "2% of GDP"), ex("en", "2.4% of GDP"), true}, // 2.4 rounds to 2
		{ex("en", "about 1,000 troops"), ex("en", "1,100 troops"), true},
		{ex("en", "about 1,000 troops"), ex("en", "1,200 troops"), false},
		{ex("en", "45 people"), ex("en", "47 people"), false},
		{ex("de", "2,5 Milliarden Euro"), ex("fr", "2,5 milliards d'euros"), true},
	}
	for _, tt := range tests {
		if got := Agree(tt.a, tt.b); got != tt.agree {
			t.Errorf("Agree(%q, %q) = %v, want %v", tt.a.Text, tt.b.Text, got, tt.agree)
		}
	}
}

func TestSingular(t *testing.T) {
	for in, want := range map[string]string{
		"warheads": "warhead", "companies": "company", "people": "people", "status": "status",
		"churches": "church", "gas": "gas", "economics": "economics", "targets": "target",
	} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
	}
}
