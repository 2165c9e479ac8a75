package figure

import (
	"testing"
)

func TestExtract(t *testing.T) {
	tests := []struct {
		lang, text string
		want       Figure // Start and End are checked against Text
	}{
		{"en", "Allies agreed on 3.5% of GDP.", Figure{Text: "3.5% of GDP", Value: 3.5, Unit: "%", Of: "gdp", Rounding: 0.05}},
		{"en", "It sent $500 million in aid.", Figure{Text: "$500 million in aid", Value: 500e6, Unit: "USD", Of: "aid", Rounding: 0.5e6}},
		{"en", "China may have 1,000 nuclear warheads by 2030.", Figure{Text: "1,000 nuclear warheads by 2030", Value: 1000, Unit: "warheads", Of: "nuclear warheads", Year: "2030"}},
		{"en", "Defence spending rose to 2% last year.", Figure{Text: "2%", Value: 2, Unit: "%", Of: "defence spending", Rounding: 0.5}},
		{"en", "Nearly twenty-five people were hurt.", Figure{Text: "twenty-five people", Value: 25, Unit: "people", Of: "hurt", Approx: true}},
		{"en", "The deficit fell -0.5% short.", Figure{Text: "-0.5%", Value: -0.5, Unit: "%", Of: "deficit", Rounding: 0.05}},
		{"en", "It costs £3bn.", Figure{Text: "£3bn", Value: 3e9, Unit: "GBP", Rounding: 0.5e9}},
		{"ar", "ارتفع الإنفاق بنسبة 2 بالمئة.", Figure{Text: "2 بالمئة", Value: 2, Unit: "%", Of: "الإنفاق", Rounding: 0.5}},
		{"ar", "نشرت نحو ١٬٥٠٠ جندي.", Figure{Text: "١٬٥٠٠ جندي", Value: 1500, Unit: "soldiers", Of: "جندي", Approx: true}},
		{"ar", "خصصت 2.5 مليار دولار من المساعدات.", Figure{Text: "2.5 مليار دولار من المساعدات", Value: 2.5e9, Unit: "USD", Of: "المساعدات", Rounding: 0.05e9}},
		{"de", "Ziel sind 3,5 Prozent des BIP.", Figure{Text: "3,5 Prozent des BIP", Value: 3.5, Unit: "%", Of: "bip", Rounding: 0.05}},
		{"de", "Der Bund gibt 2,5 Milliarden Euro aus.", Figure{Text: "2,5 Milliarden Euro", Value: 2.5e9, Unit: "EUR", Rounding: 0.05e9}},
		{"de", "Etwa 1.000 Soldaten kamen.", Figure{Text: "1.000 Soldaten", Value: 1000, Unit: "soldiers", Of: "soldaten", Approx: true}},
		{"fr", "Objectif : 5 % du PIB.", Figure{Text: "5 % du PIB", Value: 5, Unit: "%", Of: "pib", Rounding: 0.5}},
		{"fr", "Environ 1 500 soldats.", Figure{Text: "1 500 soldats", Value: 1500, Unit: "soldiers", Of: "soldats", Approx: true}},
		{"fr", "Un plan de 3 milliards d'euros.", Figure{Text: "3 milliards d'euros", Value: 3e9, Unit: "EUR", Rounding: 0.5e9}},
		{"es", "Aprobó 2.000 millones de euros.", Figure{Text: "2.000 millones de euros", Value: 2e9, Unit: "EUR", Rounding: 0.5e6}},
		{"es", "Costará 3 mil millones de dólares.", Figure{Text: "3 mil millones de dólares", Value: 3e9, Unit: "USD", Rounding: 0.5e9}},
		{"es", "Unas 500 personas.", Figure{Text: "500 personas", Value: 500, Unit: "people", Of: "personas", Approx: true}},
	}
	for _, tt := range tests {
		got := Extract(tt.lang, tt.text)
		if len(got) != 1 {
			t.Errorf("Extract(%s, %q) = %+v, want one figure", tt.lang, tt.text, got)
			continue
		}
		g := got[0]
		if tt.text[g.Start:g.End] != g.Text {
			t.Errorf("%q: span %d..%d is %q, Text %q", tt.text, g.Start, g.End, tt.text[g.Start:g.End], g.Text)
		}
		g.Start, g.End = 0, 0
		if g != tt.want {
			t.Errorf("Extract(%s, %q)\n got %+v\nwant %+v", tt.lang, tt.text, g, tt.want)
		}
	}
}

// TestNotFigures lists numbers that are no quantities, per language.
func TestNotFigures(t *testing.T) {
	tests := []struct{ lang, text string }{
		{"en", "The summit opened on April 9, 2025 in Tokyo."},
		{"en", "Japan has spent heavily since 2022."},
		{"en", "Doors open at 10:30 and the show starts at 8 p.m."},
		{"en", "Arsenal won 3-1 at home."},
		{"en", "Call +81 3 1234 5678 for details."},
		{"en", "See page 12, section 4 and Article 5 of the treaty."},
		{"en", "The G7 discussed the F-35 and the Boeing 737."},
		{"en", "It was one of the first visits in 20 years."},
		{"en", "She finished 2nd, her 10th podium."},
		{"en", "1. Preheat the oven.\n2) Mix the flour."},
		{"en", "The 45-year-old driver was injured."},
		{"en", "One in five adults smoke."},
		{"en", "The 2030 target remains."},
		{"en", "Flight 370 vanished."},
		{"en", "Read more at example.com/2025/04/09/story."},
		{"de", "Am 9. April 2025 um 14 Uhr endete das Spiel 2:1."},
		{"de", "Seite 4 und Artikel 5 gelten seit 2019."},
		{"fr", "Le 14 juillet à 10 h 30, le PSG menait 2-0."},
		{"fr", "Il a 45 ans et habite au 12 rue de la Paix."},
		{"es", "El 26 de octubre de 2025 a las 21:00 horas."},
		{"es", "Llame al 91 123 45 67 o lea el artículo 14."},
		{"ar", "وقع الهجوم في 7 أكتوبر 2023 عند الساعة 10:30 صباحا."},
		{"ar", "اشترت اليابان طائرات إف-35 وفاز الأهلي 2-1."},
	}
	for _, tt := range tests {
		if got := Extract(tt.lang, tt.text); len(got) != 0 {
			t.Errorf("Extract(%s, %q) = %+v, want no figures", tt.lang, tt.text, got)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		lang, raw string
		val       float64
		decimals  int
		ok        bool
	}{
		{"en", "1,000", 1000, 0, true},
		{"en", "3.5", 3.5, 1, true},
		{"en", "1,234,567.89", 1234567.89, 2, true},
		{"de", "1.000", 1000, 0, true},
		{"de", "3,5", 3.5, 1, true},
		{"de", "1,500", 1.5, 3, true}, // German never groups with a comma
		{"de", "1.234.567,8", 1234567.8, 1, true},
		{"es", "1,500", 1500, 0, true}, // Latin American grouping
		{"fr", "1 500", 1500, 0, true},
		{"fr", "2,75", 2.75, 2, true},
		{"ar", "١٬٥٠٠", 1500, 0, true},
		{"ar", "٦١٫٤", 61.4, 1, true},
		{"ar", "27،000", 27000, 0, true},
		{"en", "10.04.2025", 0, 0, false}, // a date
		{"en", "1,00,000", 0, 0, false},   // no grouping Extract reads
		{"en", "12345678901234567890", 0, 0, false},
	}
	for _, tt := range tests {
		v, d, ok := parseNumber(vocabFor(tt.lang), tt.raw)
		if ok != tt.ok || ok && (v != tt.val || d != tt.decimals) {
			t.Errorf("parseNumber(%s, %q) = %v, %d, %v; want %v, %d, %v", tt.lang, tt.raw, v, d, ok, tt.val, tt.decimals, tt.ok)
		}
	}
}

// TestVocabularies checks that every language file loads and has the
// sections a figure needs.
func TestVocabularies(t *testing.T) {
	for _, lang := range []string{"en", "ar", "de", "fr", "es", "pt", "it", "ru"} {
		v := vocabFor(lang)
		if v.lang != lang {
			t.Errorf("no vocabulary for %s", lang)
			continue
		}
		for _, s := range []section{secScale, secPercent, secCurrency, secApprox, secUnit, secName, secSkipUnit} {
			if len(v.tab(s).m) == 0 {
				t.Errorf("%s: section [%s] is empty", lang, sectionNames[s])
			}
		}
	}
	if vocabFor("xx") != vocabFor("en") {
		t.Error("an unknown language should read as English")
	}
}
