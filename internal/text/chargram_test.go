package text

import (
	"strings"
	"testing"
)

func gramKeys(d *Doc) map[string]float64 {
	m := make(map[string]float64, len(d.Terms))
	for _, t := range d.Terms {
		m[t.Key] = t.N
	}
	return m
}

func TestCharGrams(t *testing.T) {
	tests := []struct {
		lang, title, body string
		n                 int
		want              map[string]float64
	}{
		{"en", "", "Storm", 4, map[string]float64{"~_sto": 1, "~stor": 1, "~torm": 1, "~orm_": 1}},
		// Stop words and one-letter words go; a word shorter than n is one gram.
		{"en", "", "the Ox a", 5, map[string]float64{"~_ox_": 1}},
		// Accents fold; title counts titleWeight times.
		{"de", "Öl", "öl", 4, map[string]float64{"~_ol_": 3}},
		// CJK bigrams stay whole; numbers are left to the word analysis.
		{"zh", "", "疫苗 2020", 4, map[string]float64{"~疫苗": 1}},
		{"en", "", "", 4, map[string]float64{}},
	}
	for _, tt := range tests {
		got := gramKeys(CharGrams(tt.lang, tt.title, tt.body, tt.n, 0))
		if len(got) != len(tt.want) {
			t.Errorf("CharGrams(%q, %q) = %v, want %v", tt.title, tt.body, got, tt.want)
			continue
		}
		for k, n := range tt.want {
			if got[k] != n {
				t.Errorf("CharGrams(%q, %q)[%q] = %v, want %v (all %v)", tt.title, tt.body, k, got[k], n, got)
			}
		}
	}
}

// Arabic clitics and inflected forms share most of their grams though the
// stems differ.
func TestCharGramsShareInflections(t *testing.T) {
	m := NewModel()
	a := CharGrams("ar", "", "والحكومة", 4, 0)
	b := CharGrams("ar", "", "الحكومة", 4, 0)
	c := CharGrams("ar", "", "المدرسة", 4, 0)
	for _, d := range []*Doc{a, b, c} {
		m.Add(d)
	}
	var w Weights
	w.Word = 1
	ab := Dot(m.Vector(a, w), m.Vector(b, w))
	ac := Dot(m.Vector(a, w), m.Vector(c, w))
	if ab < 0.5 || ab <= ac {
		t.Errorf("cosine with inflected form %.2f, with another word %.2f", ab, ac)
	}
}

func FuzzCharGrams(f *testing.F) {
	for _, s := range []string{"Storm in Durres", "والحكومة", "疫苗接种", "\xff\x00a", ""} {
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n%8 + 1
		d := CharGrams("en", s, s, n, 0)
		for i, tm := range d.Terms {
			if !strings.HasPrefix(tm.Key, GramPrefix) || tm.N <= 0 {
				t.Fatalf("bad term %+v", tm)
			}
			if i > 0 && d.Terms[i-1].Key >= tm.Key {
				t.Fatalf("terms not sorted and unique at %d", i)
			}
		}
	})
}

func BenchmarkCharGrams(b *testing.B) {
	body := strings.Repeat("Rescuers in Durres pulled survivors from the rubble after the magnitude 6.4 earthquake. ", 12)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	var terms int
	for b.Loop() {
		terms = len(CharGrams("en", "", body, 5, 0).Terms)
	}
	b.ReportMetric(float64(terms), "terms/doc")
}
