package langid

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/shared"
)

// labelled is one dev-set text with its gold language.
type labelled struct {
	set, id, lang, text string
}

// devTexts reads the dev sets' texts of half h: WMT and ECB+ are cut by
// gold story (a translation and its source fall in one half), SemEval by
// pair; a SemEval article in several pairs counts once.
func devTexts(t testing.TB, h eval.Half) []labelled {
	t.Helper()
	var out []labelled
	read := func(rel string, each func(line []byte) error) {
		f, err := os.Open(shared.Path(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			if err := each(sc.Bytes()); err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
	}
	for _, set := range []string{"wmt", "ecbplus"} {
		name := map[string]string{"wmt": "data/wmt-dev-stories.jsonl", "ecbplus": "data/ecbplus-dev.jsonl"}[set]
		read(name, func(line []byte) error {
			var r struct{ ID, Story, Lang, Text string }
			if err := json.Unmarshal(line, &r); err != nil {
				return err
			}
			if h.In(r.Story) {
				out = append(out, labelled{set, r.ID, r.Lang, r.Text})
			}
			return nil
		})
	}
	seen := map[string]bool{}
	read("data/semeval8-pairs-dev.jsonl", func(line []byte) error {
		var r struct {
			Pair, ID1, ID2, Lang1, Lang2, Text1, Text2 string
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		if !h.In(r.Pair) {
			return nil
		}
		for _, a := range [][3]string{{r.ID1, r.Lang1, r.Text1}, {r.ID2, r.Lang2, r.Text2}} {
			if !seen[a[0]] && strings.TrimSpace(a[2]) != "" {
				seen[a[0]] = true
				out = append(out, labelled{"semeval", a[0], a[1], a[2]})
			}
		}
		return nil
	})
	return out
}

// accuracy is one language's tally.
type accuracy struct {
	n, right, und int
	wrong         map[string]int
}

func tally(texts []labelled, label func(labelled) string) map[string]*accuracy {
	acc := map[string]*accuracy{}
	for _, x := range texts {
		a := acc[x.lang]
		if a == nil {
			a = &accuracy{wrong: map[string]int{}}
			acc[x.lang] = a
		}
		a.n++
		switch got := label(x); got {
		case x.lang:
			a.right++
		case "", Undetermined:
			a.und++
		default:
			a.wrong[got]++
		}
	}
	return acc
}

func report(acc map[string]*accuracy) string {
	var b strings.Builder
	var n, right int
	for _, l := range slices.Sorted(maps.Keys(acc)) {
		a := acc[l]
		n += a.n
		right += a.right
		fmt.Fprintf(&b, "%s\t%d\t%.3f\tund %d\twrong %v\n", l, a.n, float64(a.right)/float64(a.n), a.und, a.wrong)
	}
	fmt.Fprintf(&b, "all\t%d\t%.3f\n", n, float64(right)/float64(n))
	return b.String()
}

// TestDevAccuracy measures detection against the dev sets' gold labels
// on the checking half, which tuning never looked at. Before this
// detector (lingua-go over a fixed 20 languages) the half scored 0.980:
// Czech and Croatian, outside the set, were all wrong (cs→tr/sv,
// hr→sv/tr/pl).
func TestDevAccuracy(t *testing.T) {
	texts := devTexts(t, eval.Checking)
	d := Default()
	acc := tally(texts, func(x labelled) string { return d.Detect(x.text) })
	t.Logf("checking half, Detect:\n%s", report(acc))
	// Floors a little under what the half scores (0.99-1.00 a language,
	// 0.997 overall), so that a change that costs a language a few
	// articles fails. Languages with fewer than 10 texts are too small to
	// gate one by one; they count in the overall floor.
	const langFloor, allFloor = 0.96, 0.99
	var n, right int
	for l, a := range acc {
		n += a.n
		right += a.right
		if r := float64(a.right) / float64(a.n); a.n >= 10 && r < langFloor {
			t.Errorf("%s: accuracy %.3f over %d texts, floor %.2f", l, r, a.n, langFloor)
		}
	}
	if r := float64(right) / float64(n); r < allFloor {
		t.Errorf("overall accuracy %.3f over %d texts, floor %.2f", r, n, allFloor)
	}
}

// TestDevSuppliedLabels checks Resolve on the checking half: a correct
// label is kept, and a wrong one (another of the dev sets' languages, as
// a site template or a feed's channel language would give) gives way to
// the text.
func TestDevSuppliedLabels(t *testing.T) {
	texts := devTexts(t, eval.Checking)
	d := Default()
	wrongLabels := []string{"en", "de", "fr", "ru", "zh"}
	var kept, overridden, wrong int
	for _, x := range texts {
		if d.Resolve(x.lang, x.text) == x.lang {
			kept++
		}
		for _, l := range wrongLabels {
			if l != x.lang {
				wrong++
				if d.Resolve(l, x.text) != l {
					overridden++
				}
			}
		}
	}
	keptRate, overRate := float64(kept)/float64(len(texts)), float64(overridden)/float64(wrong)
	t.Logf("checking half: correct labels kept %d/%d (%.4f), wrong labels overridden %d/%d (%.4f)",
		kept, len(texts), keptRate, overridden, wrong, overRate)
	// Kept: the half's few mislabelled texts (a German article labelled
	// fr) are rightly overridden, hence not 1. Overridden: wrong labels
	// survive only on texts too short to contradict them.
	if keptRate < 0.995 || overRate < 0.97 {
		t.Errorf("kept %.4f (floor 0.995), overridden %.4f (floor 0.97)", keptRate, overRate)
	}
}
