package story

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
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

func TestHeadlineCore(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Floods close the coast road", "Floods close the coast road"},
		{"Man hurt in attack on the 12th | Incidents | Saga Shimbun News | Saga Shimbun LiVE", "Man hurt in attack on the 12th"},
		{"男性1人切り付けられ、男バイクで逃走｜事件・事故｜佐賀新聞ニュース｜佐賀新聞LiVE", "男性1人切り付けられ、男バイクで逃走"},
		{"Weapons for Ukraine arrive as training starts - Yahoo News", "Weapons for Ukraine arrive as training starts"},
		{"米、援助の武器弾薬がウクライナに到着 部隊訓練にも従事 - Yahoo!ニュース", "米、援助の武器弾薬がウクライナに到着 部隊訓練にも従事"},
		{"В Великобритании за сутки зафиксировали 1239 случаев - РТ на русском", "В Великобритании за сутки зафиксировали 1239 случаев"},
		// A dash inside the headline stays.
		{"Liverpool 2 - 1 Chelsea", "Liverpool 2 - 1 Chelsea"},
		{"Brexit - what happens next", "Brexit - what happens next"},
		{"Council votes on the new budget - and the mayor walks out of the room", "Council votes on the new budget - and the mayor walks out of the room"},
		// An en dash in a number range is no separator.
		{"Scores 3–1 in the final", "Scores 3–1 in the final"},
	} {
		if got := HeadlineCore(c.in); got != c.want {
			t.Errorf("HeadlineCore(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCentroidCosButOne(t *testing.T) {
	v := vec{{1, 0.8}, {2, 0.6}}
	one := sumVec{k: []termKey{1}, w: []float64{1}}
	if got := centroidCosButOne(v, one, 1); got != 0 {
		t.Errorf("one shared term: %v, want 0", got)
	}
	two := sumVec{k: []termKey{1, 2}, w: []float64{0.6, 0.8}}
	if got, want := centroidCosButOne(v, two, 1), 0.48; math.Abs(got-want) > 1e-7 {
		t.Errorf("two shared terms: %v, want %v (the smaller contribution)", got, want)
	}
}

// TestAddSum checks the sorted sums against a map's arithmetic, adding and
// taking out random sparse vectors.
func TestAddSum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	randVec := func() vec { return randVecOf(r, r.IntN(20), 40) }
	var sum sumVec
	want := map[termKey]float64{}
	var n2, wantN2 float64
	var added []vec
	for i := range 300 {
		v, sign := randVec(), 1.0
		if i%3 == 2 && len(added) > 0 {
			v, sign = added[0], -1 // take out what went in
			added = added[1:]
		} else {
			added = append(added, v)
		}
		addSum(&sum, &n2, v, sign)
		addMap(want, &wantN2, v, sign)
		if math.Abs(n2-wantN2) > 1e-9 {
			t.Fatalf("step %d: norm² %v, want %v", i, n2, wantN2)
		}
		if sum.len() != len(want) || len(sum.w) != len(want) {
			t.Fatalf("step %d: %d keys, %d weights, want %d", i, sum.len(), len(sum.w), len(want))
		}
		for j, k := range sum.k {
			if j > 0 && sum.k[j-1] >= k {
				t.Fatalf("step %d: not sorted at %d", i, j)
			}
			if math.Abs(sum.w[j]-want[k]) > 1e-9 {
				t.Fatalf("step %d: term %d = %v, want %v", i, k, sum.w[j], want[k])
			}
		}
	}
	for _, v := range added {
		addSum(&sum, &n2, v, -1)
	}
	if sum.len() != 0 || n2 != 0 {
		t.Errorf("after taking everything out: %d terms, norm² %v", sum.len(), n2)
	}
}

// TestVectorizeFoldedKeys checks that two terms of one article whose IDs
// fold to one key make one entry: vectors stay sorted with unique keys,
// which every merge of two vectors assumes.
func TestVectorizeFoldedKeys(t *testing.T) {
	const a, x = uint64(1)<<32 | 2, uint64(5)<<32 | 5
	b := a ^ x // folds like a: both halves change alike
	if keyOf(a) != keyOf(b) {
		t.Fatalf("keys %d, %d: want one", keyOf(a), keyOf(b))
	}
	asg := New(Config{}, nil)
	m := &member{terms: []heldTerm{newHeldTerm(a, 1), newHeldTerm(a+1, 1), newHeldTerm(b, 1)}, termMeta: make([]uint8, 3)}
	slices.SortFunc(m.terms, func(x, y heldTerm) int { return cmp.Compare(x.k, y.k) })
	asg.vectorize(m)
	if len(m.vec) != 2 {
		t.Fatalf("vector %v: want 2 entries", m.vec)
	}
	if !slices.IsSortedFunc(m.vec, func(x, y ent) int { return cmp.Compare(x.k, y.k) }) || m.vec[0].k == m.vec[1].k {
		t.Errorf("vector %v: not sorted by unique keys", m.vec)
	}
	if n := dot(m.vec, m.vec); math.Abs(n-1) > 1e-6 {
		t.Errorf("|v|² = %v, want 1", n)
	}
}
