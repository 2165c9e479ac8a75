package dedup

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/cputime"
	"github.com/storyline/storyline/internal/shared"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"punctuation only", " -- !? … ", ""},
		{"case and spacing", "  Hello,\tWORLD!\n\nAgain ", "hello world again"},
		{"fullwidth NFKC", "ＡＢＣ １２３", "abc 123"},
		{"ligature NFKC", "ﬁnal", "final"},
		{"apostrophe splits", "she’d", "she d"},
		{"diacritics kept", "São Paulo Ærø", "são paulo ærø"},
		{"arabic marks kept", "قالَ، روتّه", "قالَ روتّه"},
		{"cjk", "北约秘书长。吕特！", "北约秘书长 吕特"},
		{"turkish upper", "İSTANBUL", "istanbul"},
		{"invalid utf8", "a\xffb", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHash(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"The cat sat.", "the  CAT sat", true},
		{"ＡＢＣ", "abc", true},
		{"The cat sat.", "The cat sat on the mat.", false},
		{"", "  ...  ", true},
	}
	for _, tt := range tests {
		ha, hb := Hash(tt.a), Hash(tt.b)
		if len(ha) != 64 || strings.Trim(ha, "0123456789abcdef") != "" {
			t.Errorf("Hash(%q) = %q, want 64 hex digits", tt.a, ha)
		}
		if (ha == hb) != tt.same {
			t.Errorf("Hash(%q) == Hash(%q) is %v, want %v", tt.a, tt.b, ha == hb, tt.same)
		}
	}
}

const wire = `NATO Secretary General Mark Rutte arrived in Tokyo on Wednesday for talks with
Prime Minister Shigeru Ishiba and Defence Minister Gen Nakatani on closer cooperation between the
alliance and Japan in the face of growing security challenges in the Indo-Pacific region. Rutte said
the security of Europe and of East Asia could no longer be separated, pointing to North Korean troops
fighting alongside Russian forces in Ukraine and to the supply of weapons in both directions. The two
sides agreed to deepen exchanges on defence industry, cyber security and space, and Japan will send a
liaison officer to the new NATO command in Wiesbaden that coordinates military aid to Ukraine. Ishiba
told reporters that Japan would continue to support Ukraine and would work with its partners to keep
the region free and open. Rutte is also expected to visit a Japanese shipyard before leaving for South
Korea later in the week, officials said.`

const zhWire = `北大西洋公约组织秘书长吕特周三抵达东京，与日本首相石破茂和防卫大臣中谷元举行会谈，讨论在印太地区安全挑战日益增加的背景下加强北约与日本的合作。吕特表示，欧洲和东亚的安全已经无法分割，并指出朝鲜士兵与俄罗斯军队一起在乌克兰作战。双方同意深化在国防工业、网络安全和太空领域的交流，日本将向位于威斯巴登的北约新司令部派遣联络官。`

func TestSignature(t *testing.T) {
	tests := []struct {
		name    string
		a, b    string
		min     float64 // inclusive bounds on Similarity(Signature(a), Signature(b))
		max     float64
		nilSigA bool
	}{
		{"identical", wire, wire, 1, 1, false},
		{"normalisation-only change", wire, strings.ToUpper(strings.ReplaceAll(wire, ",", " ;")), 1, 1, false},
		{"intro and footer", wire, "Tokyo (Wire) -- " + wire + "\nCopyright 2025 Wire. All rights reserved.", CopyThreshold, 1, false},
		{"one edited word", wire, strings.Replace(wire, "Wednesday", "Thursday", 1), 0.9, 1, false},
		{"first half only", wire, wire[:len(wire)/2], 0.3, 0.65, false},
		{"unrelated", wire, "Rice prices in Japan rose for the twelfth week in a row as the government released stockpiles to calm the market and retailers rationed sales.", 0, 0.05, false},
		{"zh copy with footer", zhWire, zhWire + "（责任编辑：王明）本文版权归原作者所有。", CopyThreshold, 1, false},
		{"zh different text", zhWire, "日本大米价格连续第十二周上涨，政府释放储备粮以稳定市场，零售商开始限量销售。", 0, 0.05, false},
		{"short text", "Rutte in Tokyo", "Rutte in Tokyo", 1, 1, false},
		{"empty", "", "", 0, 0, true},
		{"punctuation only", "— … !!", "— … !!", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sa, sb := Signature(tt.a), Signature(tt.b)
			if tt.nilSigA {
				if sa != nil {
					t.Fatalf("Signature(%q) = %d values, want nil", tt.a, len(sa))
				}
			} else if len(sa) != NumPerm {
				t.Fatalf("len(Signature) = %d, want %d", len(sa), NumPerm)
			}
			if s := Similarity(sa, sb); s < tt.min || s > tt.max {
				t.Errorf("Similarity = %.3f, want in [%.2f, %.2f]", s, tt.min, tt.max)
			}
		})
	}
}

// shingleSet is the exact set the signature samples from.
func shingleSet(text string) map[uint64]bool {
	set := map[uint64]bool{}
	n := Normalize(text)
	add := func(h uint64) { set[h] = true }
	if unsegmented(n) {
		shingleChars(n, add)
	} else {
		shingleWords(n, add)
	}
	return set
}

func jaccard(a, b map[uint64]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// TestSimilarityEstimatesJaccard checks the estimator against the exact
// Jaccard similarity over a range of overlaps; four standard errors is a
// failure far beyond chance (p < 1e-4 per pair).
func TestSimilarityEstimatesJaccard(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := strings.Fields(strings.ToLower(wire))
	words := make([]string, 400)
	for i := range words {
		words[i] = fmt.Sprintf("%s%d", vocab[rng.IntN(len(vocab))], rng.IntN(50))
	}
	for _, keep := range []int{400, 350, 300, 200, 100, 40} {
		a := strings.Join(words, " ")
		b := strings.Join(words[400-keep:], " ") + " " + strings.Join(words[:400-keep], "x ")
		want := jaccard(shingleSet(a), shingleSet(b))
		got := Similarity(Signature(a), Signature(b))
		se := max(0.01, 4*sqrt(want*(1-want)/NumPerm))
		if got < want-se || got > want+se {
			t.Errorf("keep %d: estimate %.3f, exact Jaccard %.3f (±%.3f)", keep, got, want, se)
		}
	}
}

func sqrt(x float64) float64 {
	z := x
	for range 30 {
		if z == 0 {
			return 0
		}
		z = (z + x/z) / 2
	}
	return z
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		name string
		a, b []uint64
		want float64
	}{
		{"nil", nil, nil, 0},
		{"one nil", []uint64{1, 2}, nil, 0},
		{"length mismatch", []uint64{1, 2}, []uint64{1, 2, 3}, 0},
		{"equal", []uint64{1, 2, 3, 4}, []uint64{1, 2, 3, 4}, 1},
		{"half", []uint64{1, 2, 3, 4}, []uint64{1, 9, 3, 9}, 0.5},
		{"none", []uint64{1, 2}, []uint64{3, 4}, 0},
	}
	for _, tt := range tests {
		if got := Similarity(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Similarity = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBands(t *testing.T) {
	sig := Signature(wire)
	keys := Bands(sig)
	if len(keys) != NumBands {
		t.Fatalf("len(Bands) = %d, want %d", len(keys), NumBands)
	}
	for i, k := range keys {
		if got := int(k >> bandShift); got != i {
			t.Errorf("key %d carries band index %d", i, got)
		}
	}
	// Changing one value changes exactly the key of its band.
	for _, pos := range []int{0, BandRows - 1, NumPerm / 2, NumPerm - 1} {
		other := append([]uint64(nil), sig...)
		other[pos]++
		ok := Bands(other)
		for i := range keys {
			if changed := keys[i] != ok[i]; changed != (i == pos/BandRows) {
				t.Errorf("value %d changed: band %d key changed = %v", pos, i, changed)
			}
		}
	}
	// Identical band values in different bands still give different keys.
	flat := make([]uint64, NumPerm)
	seen := map[uint64]bool{}
	for _, k := range Bands(flat) {
		if seen[k] {
			t.Fatalf("bands collide on key %x", k)
		}
		seen[k] = true
	}
	for _, bad := range [][]uint64{nil, {}, make([]uint64, NumPerm-1), make([]uint64, NumPerm+1)} {
		if got := Bands(bad); got != nil {
			t.Errorf("Bands(len %d) = %d keys, want nil", len(bad), len(got))
		}
	}
}

type ecbDoc struct {
	ID, Text, Story string
	sig             []uint64
}

func loadECB(tb testing.TB) []ecbDoc {
	tb.Helper()
	return shared.JSONL[ecbDoc](tb, "data/ecbplus-dev.jsonl")
}

// containment is the share of the shorter text's 5-word shingles found in the
// longer one: an independent, signature-free test of "is a copy".
func containment(a, b string) float64 {
	grams := func(s string) map[string]bool {
		w := strings.Fields(Normalize(s))
		m := map[string]bool{}
		for i := 0; i+5 <= len(w); i++ {
			m[strings.Join(w[i:i+5], " ")] = true
		}
		return m
	}
	ga, gb := grams(a), grams(b)
	if len(ga) > len(gb) {
		ga, gb = gb, ga
	}
	if len(ga) == 0 {
		return 0
	}
	n := 0
	for g := range ga {
		if gb[g] {
			n++
		}
	}
	return float64(n) / float64(len(ga))
}

// TestThresholdECB: articles of different stories are far below the
// threshold; articles of the same story stay below it unless one is, by
// word-sequence containment, a copy of the other.
func TestThresholdECB(t *testing.T) {
	docs := loadECB(t)
	for i := range docs {
		docs[i].sig = Signature(docs[i].Text)
	}
	var sameStory, above int
	var maxDiff float64
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			s := Similarity(docs[i].sig, docs[j].sig)
			if docs[i].Story != docs[j].Story {
				maxDiff = max(maxDiff, s)
				continue
			}
			sameStory++
			if s >= CopyThreshold {
				above++
				if c := containment(docs[i].Text, docs[j].Text); c < 0.6 {
					t.Errorf("%s ~ %s: similarity %.3f above threshold but only %.2f contained: not a copy",
						docs[i].ID, docs[j].ID, s, c)
				}
			}
		}
	}
	t.Logf("%d same-story pairs, %d at or above %.2f (copies); max different-story similarity %.3f",
		sameStory, above, CopyThreshold, maxDiff)
	if maxDiff >= CopyThreshold/2 {
		t.Errorf("different stories reach similarity %.3f", maxDiff)
	}
	if float64(above) > 0.005*float64(sameStory) {
		t.Errorf("%d of %d same-story pairs look like copies", above, sameStory)
	}
}

// syntheticCopy gives text another outlet's intro line and footer and edits
// one word in every hundred.
func syntheticCopy(text string, rng *rand.Rand) string {
	w := strings.Fields(text)
	for i := rng.IntN(100); i < len(w); i += 100 {
		w[i] = "changed"
	}
	return "By Staff Reporter | Updated 12 May 2025\n" + strings.Join(w, " ") +
		"\n© 2025 Daily Courier. All rights reserved. Share this story."
}

func TestSyntheticCopiesECB(t *testing.T) {
	docs := loadECB(t)
	rng := rand.New(rand.NewPCG(7, 7))
	var long, longHit, mid, midHit int
	for _, d := range docs {
		n := len(strings.Fields(d.Text))
		if n < 100 {
			continue
		}
		hit := Similarity(Signature(d.Text), Signature(syntheticCopy(d.Text, rng))) >= CopyThreshold
		if n >= 200 {
			long++
			if hit {
				longHit++
			}
		} else {
			mid++
			if hit {
				midHit++
			}
		}
	}
	t.Logf("copies found: %d/%d of 200+ words, %d/%d of 100-199 words", longHit, long, midHit, mid)
	if long == 0 || float64(longHit) < 0.99*float64(long) {
		t.Errorf("only %d of %d copies of 200+ word articles reach the threshold", longHit, long)
	}
	if mid == 0 || float64(midHit) < 0.9*float64(mid) {
		t.Errorf("only %d of %d copies of 100-199 word articles reach the threshold", midHit, mid)
	}
}

func FuzzSignature(f *testing.F) {
	for _, s := range []string{"", wire, zhWire, "a", "a b", "a b c", "\xff\xfe", "ﬁ ＡＢＣ", "北约 NATO 吕特 Rutte"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sig := Signature(s)
		if Normalize(s) == "" {
			if sig != nil {
				t.Fatalf("no content but %d values", len(sig))
			}
			return
		}
		if len(sig) != NumPerm {
			t.Fatalf("len = %d", len(sig))
		}
		if Similarity(sig, Signature(s)) != 1 {
			t.Fatal("signature not deterministic")
		}
		// Lines are part of the input (Content drops form-like ones), so
		// normalising changes nothing only line by line.
		if Similarity(sig, Signature(normalizeLines(s))) != 1 {
			t.Fatal("signature changes under Normalize of each line")
		}
		if len(Bands(sig)) != NumBands {
			t.Fatal("wrong band count")
		}
	})
}

// normalizeLines applies Normalize to every line of s.
func normalizeLines(s string) string {
	var out []string
	for line := range strings.Lines(s) {
		out = append(out, Normalize(line))
	}
	return strings.Join(out, "\n")
}

func BenchmarkSignature(b *testing.B) {
	docs := loadECB(b)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Text))
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	var cpu0 time.Duration
	for b.Loop() {
		if n == 0 {
			cpu0 = cputime.Used()
		}
		Signature(docs[n%len(docs)].Text)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
	if cpu := cputime.Used() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "articles/cpu-s")
	}
	b.SetBytes(bytes / int64(len(docs)))
}

func ExampleSimilarity() {
	a := Signature("Four men rammed their car into a jewellery store in central Paris on Monday and made off with two million euros of watches and rings, police said.")
	b := Signature("PARIS (AFP) - Four men rammed their car into a jewellery store in central Paris on Monday and made off with two million euros of watches and rings, police said. Read more on our site.")
	fmt.Println(Similarity(a, b) >= CopyThreshold)
	// Output: true
}
