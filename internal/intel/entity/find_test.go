package entity

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/translit"
)

func TestFind(t *testing.T) {
	type want struct {
		text string
		typ  Type
	}
	tests := []struct {
		name, lang, text string
		want             []want
		not              []string // must not be found
	}{
		{"title splits org and person", "en", "NATO Secretary General Mark Rutte met them.",
			[]want{{"NATO", Org}, {"Mark Rutte", Person}}, nil},
		{"lowercase title before a name", "en", "The talks were led by defence minister Gen Nakatani on Monday.",
			[]want{{"Gen Nakatani", Person}}, nil},
		{"sentence opener is no name", "en", "However, the plan failed. Whether Paris agrees is unclear, said Anne Hidalgo in Paris.",
			[]want{{"Anne Hidalgo", Other}, {"Paris", Other}}, []string{"However", "Whether"}},
		{"org word", "en", "The Bank of Japan raised rates, and the Liberal Democratic Party welcomed it.",
			[]want{{"Bank of Japan", Org}, {"Liberal Democratic Party", Org}}, nil},
		{"country from the gazetteer", "en", "Troops from France and Germany arrived in Poland.",
			[]want{{"France", Place}, {"Germany", Place}, {"Poland", Place}}, nil},
		{"possessive dropped", "en", "Talks stalled over Japan's defence budget, said Ishiba's office.",
			[]want{{"Japan", Place}}, []string{"Japan's"}},
		{"surname types a person", "en", "Analyst Cui Hongjian said the visit mattered. Hongjian added that ties would grow.",
			[]want{{"Cui Hongjian", Person}, {"Hongjian", Person}}, nil},
		{"headline in title case", "en", "NATO Chief Talks About Ties With Japan\nThe NATO chief visited Japan on Tuesday.",
			[]want{{"NATO", Org}, {"Japan", Place}}, []string{"Talks", "Ties", "Chief Talks"}},
		{"dateline in capitals", "en", "TOKYO (AP) — Officials in Tokyo said the ship had left.",
			[]want{{"Tokyo", Other}}, nil},
		{"king of a country", "en", "On Sunday King Abdullah of Jordan received envoys.",
			[]want{{"Abdullah", Person}, {"Jordan", Place}}, []string{"Abdullah of Jordan"}},
		{"months are no names", "en", "The summit in April follows one in October, when Anna Lind spoke.",
			[]want{{"Anna Lind", Other}}, []string{"April", "October"}},
		{"german title", "de", "Bundeskanzler Friedrich Merz traf am Mittwoch Präsident Emmanuel Macron in Paris.",
			[]want{{"Friedrich Merz", Person}, {"Emmanuel Macron", Person}}, nil},
		{"german nouns are capitalised", "de", "Die Regierung plant neue Steuern. Der Minister sagte, die Lage sei ernst.",
			nil, []string{"Die Regierung", "Der Minister"}},
		{"french title", "fr", "Le président Emmanuel Macron a reçu le chancelier Friedrich Merz à Paris.",
			[]want{{"Emmanuel Macron", Person}, {"Friedrich Merz", Person}}, nil},
		{"spanish title", "es", "El presidente Pedro Sánchez viajó a Bruselas el jueves.",
			[]want{{"Pedro Sánchez", Person}}, nil},
		{"arabic title", "ar", "التقى رئيس الوزراء الياباني شيغيرو إيشيبا مع الأمين العام لحلف الناتو مارك روت في طوكيو.",
			[]want{{"شيغيرو إيشيبا", Person}, {"مارك روت", Person}}, nil},
		{"russian title", "ru", "Президент Эммануэль Макрон прибыл в Берлин.",
			[]want{{"Эммануэль Макрон", Person}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Find(tt.lang, "", tt.text, nil)
			have := map[string]Type{}
			var list []string
			for _, m := range got {
				have[m.Text] = m.Type
				list = append(list, fmt.Sprintf("%s(%s)", m.Text, m.Type))
				if tt.text[m.Start:m.End] != m.Text {
					t.Errorf("offsets of %q give %q", m.Text, tt.text[m.Start:m.End])
				}
			}
			for _, w := range tt.want {
				if typ, ok := have[w.text]; !ok || typ != w.typ {
					t.Errorf("want %q as %s; found %s", w.text, w.typ, strings.Join(list, ", "))
				}
			}
			for _, n := range tt.not {
				if _, ok := have[n]; ok {
					t.Errorf("found %q; found %s", n, strings.Join(list, ", "))
				}
			}
		})
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"NATO Secretary General Mark Rutte", "التقى رئيس الوزراء شيغيرو إيشيبا", "U.S. and U.K.",
		"King Abdullah of Jordan's", "\xff\xfe Bad ’s", "A-B-C. D'E"} {
		f.Add("en", s)
		f.Add("ar", s)
	}
	f.Fuzz(func(t *testing.T, lang, s string) {
		for _, m := range Find(lang, s, s, nil) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End {
				t.Fatalf("bad offsets %d..%d in %d bytes", m.Start, m.End, len(s))
			}
			if s[m.Start:m.End] != m.Text {
				t.Fatalf("offsets give %q, text %q", s[m.Start:m.End], m.Text)
			}
			if !utf8.ValidString(s) {
				continue
			}
			if len(m.Tokens) != len(m.Keys) {
				t.Fatalf("%d tokens, %d keys", len(m.Tokens), len(m.Keys))
			}
		}
	})
}

// BenchmarkFind measures name finding on a 4 KB English article.
func BenchmarkFind(b *testing.B) {
	para := "NATO Secretary General Mark Rutte met Prime Minister Shigeru Ishiba in Tokyo on Tuesday, and Rutte told reporters that the alliance and Japan would work together on defence. "
	text := strings.Repeat(para, 4096/len(para)+1)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Find("en", "Rutte in Tokyo", text, nil)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// TestFindCJK: Japanese and Chinese names come from segmentation with
// part-of-speech tags; Japanese keys come from readings, so that names
// link to their Latin spellings.
func TestFindCJK(t *testing.T) {
	ja := Find("ja", "", "北大西洋条約機構（NATO）のマルク・ルッテ事務総長は9日、石破茂首相と会談した。", nil)
	got := map[string]Mention{}
	for _, m := range ja {
		got[m.Text] = m
	}
	if m := got["石破茂"]; m.Type != Person || m.Surname() != translit.Key("Ishiba") || m.FullKey() != translit.Key("Shigeru")+" "+translit.Key("Ishiba") {
		t.Errorf("石破茂: %+v", m)
	}
	if m := got["マルク・ルッテ"]; m.FullKey() != translit.Key("Mark")+" "+translit.Key("Rutte") {
		t.Errorf("マルク・ルッテ: %+v (want the keys of Mark Rutte)", m)
	}
	if m := got["NATO"]; m.Type != Org {
		t.Errorf("NATO: %+v", m)
	}
	zh := Find("zh", "", "日本首相石破茂在东京与北约官员举行会谈。", nil)
	var names []string
	for _, m := range zh {
		names = append(names, m.Text+"/"+string(m.Type))
		if "日本首相石破茂在东京与北约官员举行会谈。"[m.Start:m.End] != m.Text {
			t.Errorf("offsets of %q", m.Text)
		}
	}
	if !strings.Contains(strings.Join(names, " "), "石破茂/person") || !strings.Contains(strings.Join(names, " "), "东京/place") {
		t.Errorf("Chinese names: %v", names)
	}
}
