package dedup

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/eval"
	"github.com/storyline/storyline/internal/shared"
)

// TestJudgeFixtures: pairs whose shared text is boilerplate (a comment
// form, cookie and consent notices, a paywall teaser, a "page not found"
// text, a login form, a disclaimer, a long shared footer) were copies by
// similarity alone and are not copies now; a syndicated copy under another
// outlet's chrome, light edits and another title suffix still is.
func TestJudgeFixtures(t *testing.T) {
	opt := DefaultOptions()
	for _, p := range loadPairs(t) {
		t.Run(p.name, func(t *testing.T) {
			// The fixture must be one the old rule, similarity of the
			// whole texts, called a copy: else this test checks nothing.
			if old := Similarity(signatureOf(p.textA), signatureOf(p.textB)); old < opt.Threshold {
				t.Fatalf("whole-text similarity %.2f is below the threshold: the fixture tests nothing", old)
			}
			got := opt.Judge(p.a, p.b)
			if back := opt.Judge(p.b, p.a); back != got {
				t.Errorf("Judge is not symmetric: %v, then %v", got, back)
			}
			switch p.want {
			case "copy":
				if got != Copy {
					t.Errorf("Judge = %v, want copy (similarity %.2f, shared %.0f, title overlap %.2f)", got,
						Similarity(p.a.Sig, p.b.Sig), Shared(p.a.Sig, p.b.Sig), TitleOverlap(p.a.Title, p.b.Title, p.a.Lang))
				}
			case "not":
				if got == Copy {
					t.Fatalf("Judge = copy (similarity %.2f, shared %.0f, title overlap %.2f)",
						Similarity(p.a.Sig, p.b.Sig), Shared(p.a.Sig, p.b.Sig), TitleOverlap(p.a.Title, p.b.Title, p.a.Lang))
				}
				// Each rule named must reject the pair on its own.
				switch p.why {
				case "too-little":
					a, b := p.a, p.b
					a.Title, b.Title = "", ""
					if v := opt.Judge(a, b); v != TooLittle {
						t.Errorf("without titles Judge = %v, want %v (shared %.0f)", v, TooLittle, Shared(a.Sig, b.Sig))
					}
				case "titles-disagree":
					if got != TitlesDisagree {
						t.Errorf("Judge = %v, want %v", got, TitlesDisagree)
					}
				default:
					t.Fatalf("want file gives no rule: %q", p.why)
				}
			default:
				t.Fatalf("want file says %q", p.want)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	opt := DefaultOptions()
	copyText := "Tokyo (Wire) -- " + wire + "\nCopyright 2025 Wire. All rights reserved."
	brief := "A onetime co-worker has been charged in the 1967 killing of two women at a shop, police said."
	tests := []struct {
		name   string
		a, b   Doc
		want   Verdict
		reason string
	}{
		{"copy, no titles", Doc{Sig: Signature(wire)}, Doc{Sig: Signature(copyText)}, Copy, ""},
		{"copy, outlet suffixes", Doc{Title: "Rutte arrives in Tokyo for talks - Wire", Sig: Signature(wire)},
			Doc{Title: "Rutte arrives in Tokyo for talks | Daily Courier", Sig: Signature(copyText)}, Copy, ""},
		{"copy, rewritten headline", Doc{Title: "NATO chief Rutte arrives in Tokyo", Sig: Signature(wire)},
			Doc{Title: "Rutte in Japan: NATO and Tokyo to deepen defence ties", Sig: Signature(copyText)}, Copy, ""},
		{"same text, unrelated titles", Doc{Title: "Rutte arrives in Tokyo", Sig: Signature(wire)},
			Doc{Title: "Rice prices climb for a twelfth week", Sig: Signature(copyText)}, TitlesDisagree,
			"a page whose text is another's is a copy only under a title about the same thing"},
		{"one sentence", Doc{Sig: Signature(brief)}, Doc{Sig: Signature(brief)}, TooLittle,
			"one sentence is as short as a cookie notice: too little to bind two pages"},
		{"one sentence, same headline", Doc{Title: "Co-worker charged in 1967 shop killings - Wire", Sig: Signature(brief)},
			Doc{Title: "Co-worker charged in 1967 shop killings | Daily Courier", Sig: Signature(brief)}, Copy,
			"a wire item under its headline at two outlets is a copy however short"},
		{"one sentence, generic title", Doc{Title: "Page not found - Courier", Sig: Signature(brief)},
			Doc{Title: "Page not found | Courier", Sig: Signature(brief)}, TooLittle,
			"a title of two words names no article"},
		{"headline alone", Doc{Title: "Co-worker charged in 1967 shop killings", Sig: Signature("Co-worker charged in 1967 shop killings\nShare\nTweet")},
			Doc{Title: "Co-worker charged in 1967 shop killings", Sig: Signature("Co-worker charged in 1967 shop killings\nShare\nEmail")}, TooLittle,
			"a headline and a share row are not an article"},
		{"unrelated", Doc{Sig: Signature(wire)}, Doc{Sig: Signature(brief)}, NotSimilar, ""},
		{"no signature", Doc{}, Doc{}, NotSimilar, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := opt.Judge(tt.a, tt.b); got != tt.want {
				t.Errorf("Judge = %v, want %v: %s", got, tt.want, tt.reason)
			}
		})
	}
}

func TestContent(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"one line", "Rutte in Tokyo", "Rutte in Tokyo"},
		{"no short line", "Rutte arrived in Tokyo on Wednesday.\nHe met Ishiba for talks.", "Rutte arrived in Tokyo on Wednesday.\nHe met Ishiba for talks."},
		{"form fields dropped", "Leave a Reply\nYour email address will not be published.\nName *\nEmail *\nWebsite\n",
			"Your email address will not be published."},
		{"blank and punctuation lines", "First line of the article text.\n\n* * *\nSecond line of the article text.", "First line of the article text.\n\n* * *\nSecond line of the article text."},
		{"only short lines kept whole", "Username\nPassword\nRemember Me\nLog In", "Username\nPassword\nRemember Me\nLog In"},
		{"five words stay", "one two three four five\nName", "one two three four five"},
		{"cjk label dropped", "发表评论\n北大西洋公约组织秘书长吕特周三抵达东京举行会谈。", "北大西洋公约组织秘书长吕特周三抵达东京举行会谈。"},
		{"cjk clause stays", "吕特周三抵达东京与首相会谈\n发表评论\n双方同意深化在国防工业领域的交流", "吕特周三抵达东京与首相会谈\n双方同意深化在国防工业领域的交流"},
		{"crlf", "Share\r\nThe railway line will reopen on Friday.\r\n", "The railway line will reopen on Friday."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Content(tt.in)
			if Normalize(got) != Normalize(tt.want) {
				t.Errorf("Content(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTitleOverlap(t *testing.T) {
	tests := []struct {
		name, a, b string
		lang       string
		disagree   bool
	}{
		{"same headline, other outlets", "Rail line to reopen on Friday - Regional Press", "Rail line to reopen on Friday | Kelby Courier", "en", false},
		{"rewritten headline", "Woman kills two at Kraft plant", "Female employee Yvonne Hiller kills two in Kraft shooting", "en", false},
		{"one blog, two posts", "My trip to Lisbon – Anna's Blog", "Sourdough tips – Anna's Blog", "en", true},
		{"unrelated", "Council approves cycle lanes", "Hospital waiting lists fall", "en", true},
		{"function words only shared", "The end of the road for the mill", "The best of the week in the garden", "en", true},
		{"missing title", "", "Anything at all", "en", false},
		{"site name only", "Valley Times", "Valley Times", "en", false},
		{"german", "Stadtrat beschließt neue Radwege", "Wartezeiten in Kliniken sinken", "de", true},
		{"german copy", "Stadtrat beschließt neue Radwege am Hafen - dpa", "Neue Radwege am Hafen: Stadtrat beschließt Plan", "de", false},
		{"chinese copy", "吕特抵达东京举行会谈｜新华网", "吕特抵达东京举行会谈 - 人民网", "zh", false},
		{"chinese unrelated", "吕特抵达东京举行会谈", "日本大米价格连续上涨", "zh", true},
	}
	opt := DefaultOptions()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := TitleOverlap(tt.a, tt.b, tt.lang)
			if got := o < opt.TitleOverlap; got != tt.disagree {
				t.Errorf("TitleOverlap(%q, %q) = %.2f: disagree %v, want %v", tt.a, tt.b, o, got, tt.disagree)
			}
			if back := TitleOverlap(tt.b, tt.a, tt.lang); back != o {
				t.Errorf("not symmetric: %.3f then %.3f", o, back)
			}
		})
	}
}

// TestSizeECB checks the shingle count estimated from a signature against
// the exact count on ecbplus-dev: unbiased, with the spread the estimator
// promises (1/√(NumPerm-2), 0.089), and no article beyond five standard
// errors (the estimate's tail is longer above than below).
func TestSizeECB(t *testing.T) {
	docs := loadECB(t)
	se := 1 / math.Sqrt(NumPerm-2)
	var ratios []float64
	for _, d := range docs {
		exact := float64(len(shingleSet(Content(d.Text))))
		if exact < 20 {
			continue // too few minima below 1 to estimate from
		}
		r := Size(Signature(d.Text)) / exact
		ratios = append(ratios, r)
		if math.Abs(r-1) > 5*se {
			t.Errorf("%s: estimated %.0f shingles, exactly %.0f", d.ID, r*exact, exact)
		}
	}
	var mean, sd float64
	for _, r := range ratios {
		mean += r
	}
	mean /= float64(len(ratios))
	for _, r := range ratios {
		sd += (r - mean) * (r - mean)
	}
	sd = math.Sqrt(sd / float64(len(ratios)))
	t.Logf("%d articles: estimated/exact size mean %.3f, sd %.3f (expected %.3f)", len(ratios), mean, sd, se)
	if math.Abs(mean-1) > 0.02 || sd > 1.25*se {
		t.Errorf("estimated/exact size: mean %.3f, sd %.3f: the estimator is off", mean, sd)
	}
}

// TestCopiesECB: the pairs of ecbplus-dev the similarity threshold calls
// copies (same-story pairs, one containing the other: TestThresholdECB)
// stay copies under Judge unless one is a one-sentence brief; gated on the
// checking half of the stories, all logged.
func TestCopiesECB(t *testing.T) {
	docs := loadECB(t)
	opt := DefaultOptions()
	for i := range docs {
		docs[i].sig = Signature(docs[i].Text)
	}
	var shared []float64
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			if Similarity(docs[i].sig, docs[j].sig) < opt.Threshold {
				continue
			}
			s := Shared(docs[i].sig, docs[j].sig)
			shared = append(shared, s)
			a, b := shingleSet(Content(docs[i].Text)), shingleSet(Content(docs[j].Text))
			exact := 0
			for k := range a {
				if b[k] {
					exact++
				}
			}
			words := min(len(strings.Fields(docs[i].Text)), len(strings.Fields(docs[j].Text)))
			if words >= 60 && eval.HalfOf(docs[i].Story) == eval.Checking &&
				opt.Judge(Doc{Sig: docs[i].sig}, Doc{Sig: docs[j].sig}) != Copy {
				t.Errorf("%s ~ %s (%d words): shared %.0f, exactly %d: no longer a copy", docs[i].ID, docs[j].ID, words, s, exact)
			}
		}
	}
	slices.Sort(shared)
	t.Logf("%d pairs at or above %.2f; estimated shared shingles %.0f", len(shared), opt.Threshold, shared)
	if len(shared) < 10 {
		t.Errorf("only %d copies in ecbplus-dev", len(shared))
	}
}

// TestTitleOverlapSemEval measures TitleOverlap on the same-language pairs
// of semeval8-pairs-dev, whose texts open with the headline followed by two
// spaces. Same-story pairs (overall ≤ 1.5) are other outlets' own articles,
// whose titles are freer than a copy's: the share of them whose titles
// disagree bounds what the title rule could cost real copies. Floors are
// gated on the checking half.
func TestTitleOverlapSemEval(t *testing.T) {
	f, err := os.Open(shared.Path(t, "data/semeval8-pairs-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opt := DefaultOptions()
	type tally struct{ n, disagree int }
	counts := map[eval.Half]map[bool]*tally{}
	for _, h := range []eval.Half{eval.Tuning, eval.Checking} {
		counts[h] = map[bool]*tally{true: {}, false: {}}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var p struct {
			Pair, Lang1, Lang2, Text1, Text2 string
			Overall                          float64
		}
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		t1, _, ok1 := strings.Cut(p.Text1, "  ")
		t2, _, ok2 := strings.Cut(p.Text2, "  ")
		if p.Lang1 != p.Lang2 || !ok1 || !ok2 || len(t1) > 200 || len(t2) > 200 {
			continue
		}
		var same bool
		switch {
		case p.Overall <= 1.5:
			same = true
		case p.Overall >= 3.5:
		default:
			continue
		}
		c := counts[eval.HalfOf(p.Pair)][same]
		c.n++
		if TitleOverlap(t1, t2, p.Lang1) < opt.TitleOverlap {
			c.disagree++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, h := range []eval.Half{eval.Tuning, eval.Checking} {
		s, u := counts[h][true], counts[h][false]
		t.Logf("%v: titles disagree for %d/%d same-story pairs, %d/%d unrelated pairs", h, s.disagree, s.n, u.disagree, u.n)
	}
	s, u := counts[eval.Checking][true], counts[eval.Checking][false]
	if s.n < 15 || u.n < 15 {
		t.Fatalf("too few pairs: %d same-story, %d unrelated", s.n, u.n)
	}
	if float64(s.disagree) > 0.25*float64(s.n) {
		t.Errorf("titles of %d of %d same-story pairs disagree", s.disagree, s.n)
	}
	if float64(u.disagree) < 0.6*float64(u.n) {
		t.Errorf("titles of only %d of %d unrelated pairs disagree", u.disagree, u.n)
	}
}

func FuzzContent(f *testing.F) {
	for _, s := range []string{"", wire, zhWire, "Name *\nEmail *\nA line of the article itself, long enough.\n", "a\r\nb c d e f\r\n", "\n\n\n", "发表评论\n北约秘书长吕特周三抵达东京举行会谈"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Content(s)
		if again := Content(c); again != c {
			t.Fatalf("Content not idempotent: %q, then %q", c, again)
		}
		lines := map[string]bool{}
		for l := range strings.Lines(s) {
			lines[strings.TrimRight(l, "\r\n")] = true
		}
		if c != s {
			for l := range strings.Lines(c) {
				if !lines[strings.TrimRight(l, "\r\n")] {
					t.Fatalf("Content made up line %q", l)
				}
			}
		}
		if Similarity(Signature(s), Signature(c)) != 1 && Normalize(s) != "" {
			t.Fatal("Signature(Content(s)) differs from Signature(s)")
		}
	})
}

func FuzzTitleOverlap(f *testing.F) {
	f.Add("Rail line to reopen on Friday - Regional Press", "Rail line to reopen | Kelby Courier", "en")
	f.Add("吕特抵达东京举行会谈｜新华网", "", "zh")
	f.Add("|||", " - ", "ar")
	f.Fuzz(func(t *testing.T, a, b, lang string) {
		o := TitleOverlap(a, b, lang)
		if o < 0 || o > 1 || math.IsNaN(o) {
			t.Fatalf("TitleOverlap = %v", o)
		}
		if back := TitleOverlap(b, a, lang); back != o {
			t.Fatalf("not symmetric: %v, then %v", o, back)
		}
	})
}
