package quote

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// goldPassage is one hand-written passage of testdata/gold.json: its
// quotes (a prefix of each quote's text; the parts of a split quote
// joined with " … ") with their speakers ("" when the text does not tell),
// and the people an entity stage would find in it (every occurrence of
// each string is a mention).
type goldPassage struct {
	ID     string      `json:"id"`
	Lang   string      `json:"lang"`
	Note   string      `json:"note"`
	Text   string      `json:"text"`
	People []string    `json:"people"`
	Quotes []goldQuote `json:"quotes"`
}

type goldQuote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
}

func loadGold(tb testing.TB) []goldPassage {
	tb.Helper()
	b, err := os.ReadFile("testdata/gold.json")
	if err != nil {
		tb.Fatal(err)
	}
	var ps []goldPassage
	if err := json.Unmarshal(b, &ps); err != nil {
		tb.Fatal(err)
	}
	return ps
}

// spansOf returns a mention for every occurrence of names in text at word
// boundaries, longer names first, none overlapping: what an entity stage
// would hand over.
func spansOf(text string, names []string) []Span {
	names = append([]string(nil), names...)
	sort.SliceStable(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	var out []Span
	taken := make([]bool, len(text))
	for _, n := range names {
		for off := 0; ; {
			i := strings.Index(text[off:], n)
			if i < 0 {
				break
			}
			s, e := off+i, off+i+len(n)
			off = e
			if !boundary(text, s, e) || taken[s] || taken[e-1] {
				continue
			}
			for k := s; k < e; k++ {
				taken[k] = true
			}
			out = append(out, Span{Start: s, End: e, Name: n})
		}
	}
	return out
}

// boundary reports whether text[s:e] is a whole word sequence. Scripts
// without spaces (Han, kana) and Arabic letters fused to a particle count
// as boundaries on the left.
func boundary(text string, s, e int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:s])
	after, _ := utf8.DecodeRuneInString(text[e:])
	word := func(r rune) bool { return unicode.IsLetter(r) && !isCJK(r) }
	return (s == 0 || !word(before) || unicode.Is(unicode.Arabic, before)) && (e == len(text) || !word(after))
}

// score counts one passage's hits.
type score struct {
	gotQ, wantQ, hitQ int // quotes found, in gold, matched
	gotS, wantS, hitS int // speakers named, in gold, right
}

func (s *score) add(o score) {
	s.gotQ += o.gotQ
	s.wantQ += o.wantQ
	s.hitQ += o.hitQ
	s.gotS += o.gotS
	s.wantS += o.wantS
	s.hitS += o.hitS
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s score) String() string {
	return fmt.Sprintf("quotes P %.3f R %.3f (%d/%d/%d)  speakers P %.3f R %.3f (%d/%d/%d)",
		ratio(s.hitQ, s.gotQ), ratio(s.hitQ, s.wantQ), s.hitQ, s.gotQ, s.wantQ,
		ratio(s.hitS, s.gotS), ratio(s.hitS, s.wantS), s.hitS, s.gotS, s.wantS)
}

// speakerRight: the gold name or its last word.
func speakerRight(got, want string) bool {
	if want == "" || got == "" {
		return false
	}
	f := strings.Fields(want)
	return got == want || got == f[len(f)-1]
}

// compare matches got against the gold quotes by text prefix and returns
// the counts and what went wrong.
func compare(p goldPassage, got []Quote) (score, []string) {
	var s score
	var errs []string
	used := make([]bool, len(got))
	s.gotQ = len(got)
	s.wantQ = len(p.Quotes)
	for _, q := range got {
		if q.Speaker != "" {
			s.gotS++
		}
	}
	for _, w := range p.Quotes {
		if w.Speaker != "" {
			s.wantS++
		}
		found := -1
		for i, q := range got {
			if !used[i] && strings.HasPrefix(q.Text, w.Text) {
				found = i
				break
			}
		}
		if found < 0 {
			errs = append(errs, fmt.Sprintf("missed %q", w.Text))
			continue
		}
		used[found] = true
		s.hitQ++
		q := got[found]
		switch {
		case speakerRight(q.Speaker, w.Speaker):
			s.hitS++
		case q.Speaker != "" || w.Speaker != "":
			errs = append(errs, fmt.Sprintf("%q: speaker %q (%s), want %q", w.Text, q.Speaker, q.Via, w.Speaker))
		}
	}
	for i, q := range got {
		if !used[i] {
			errs = append(errs, fmt.Sprintf("extra %q speaker %q (%s)", q.Text, q.Speaker, q.Via))
		}
	}
	return s, errs
}

// floor is the least a language must reach on the gold passages, with
// the people an entity stage would give. Each sits just under what Extract
// reaches (see TestGold's log; with people: quotes P 1.000 R 1.000 in
// every language; speakers P/R en 0.984/0.968, de 1.000/0.938, fr and es
// 1.000/1.000, ar 1.000/0.941, all 0.992/0.969): a change that loses a
// quote or names a wrong speaker fails.
type floor struct{ quoteP, quoteR, speakerP, speakerR float64 }

var floors = map[string]floor{
	"en":  {0.98, 0.98, 0.97, 0.95},
	"de":  {0.94, 0.94, 0.94, 0.90},
	"fr":  {0.94, 0.94, 0.94, 0.93},
	"es":  {0.94, 0.94, 0.94, 0.92},
	"ar":  {0.94, 0.94, 0.94, 0.90},
	"all": {0.98, 0.98, 0.98, 0.95},
}

// heldOut names the passages written after the rules, by id prefix, which
// TestGold also reports on their own. "h-" passages were written once the
// rules first stood (their first run: quotes P/R 1.000/0.971, speakers P
// 1.000 R 0.630; the fixes they prompted followed); "h2-" after those
// fixes (first run: quotes P/R 1.000/1.000, speakers P 1.000 R 0.688).
var heldOut = map[string]string{"h": "held-out-1", "h2": "held-out-2"}

// viaScore is the record of one kind of attribution (Quote.Via).
type viaScore struct {
	right, named int
	conf         float64
}

// smoothed is the precision with one right and one wrong added: small
// counts do not claim certainty.
func (v viaScore) smoothed() float64 { return float64(v.right+1) / float64(v.named+2) }

const (
	minCalibration   = 5    // kinds named fewer times are not checked
	calibrationSlack = 0.05 // how far a mean confidence may exceed the smoothed precision
)

// TestGold reports precision and recall of quote detection and speaker
// naming on testdata/gold.json, per language and overall, with the
// people an entity stage would give and without them, and checks the
// floors.
func TestGold(t *testing.T) {
	ps := loadGold(t)
	for _, withPeople := range []bool{true, false} {
		by := map[string]*score{"all": {}}
		vias := map[string]*viaScore{}
		for _, p := range ps {
			var people []Span
			if withPeople {
				people = spansOf(p.Text, p.People)
				if people == nil {
					people = []Span{} // given, empty: the entity stage found no one
				}
			}
			got := Extract(p.Lang, p.Text, people)
			s, errs := compare(p, got)
			if by[p.Lang] == nil {
				by[p.Lang] = &score{}
			}
			by[p.Lang].add(s)
			by["all"].add(s)
			if set, _, _ := strings.Cut(p.ID, "-"); heldOut[set] != "" {
				if by[heldOut[set]] == nil {
					by[heldOut[set]] = &score{}
				}
				by[heldOut[set]].add(s)
			}
			for _, e := range errs {
				t.Logf("people=%v %s: %s", withPeople, p.ID, e)
			}
			if withPeople {
				for _, q := range got {
					if q.Speaker == "" {
						continue
					}
					v := vias[q.Via]
					if v == nil {
						v = &viaScore{}
						vias[q.Via] = v
					}
					v.named++
					v.conf += q.Confidence
					for _, w := range p.Quotes {
						if strings.HasPrefix(q.Text, w.Text) && speakerRight(q.Speaker, w.Speaker) {
							v.right++
							break
						}
					}
				}
			}
		}
		langs := make([]string, 0, len(by))
		for l := range by {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			t.Logf("people=%-5v %-3s %s", withPeople, l, by[l])
		}
		if withPeople {
			vs := make([]string, 0, len(vias))
			for v := range vias {
				vs = append(vs, v)
			}
			sort.Strings(vs)
			for _, v := range vs {
				s := vias[v]
				t.Logf("via %-12s speaker precision %d/%d, smoothed %.3f, mean confidence %.3f", v, s.right, s.named, s.smoothed(), s.conf/float64(s.named))
				// Calibration: no kind of attribution claims more than its
				// record on the gold passages supports.
				if s.named >= minCalibration && s.conf/float64(s.named) > s.smoothed()+calibrationSlack {
					t.Errorf("via %s is overconfident: mean %.3f, smoothed precision %.3f", v, s.conf/float64(s.named), s.smoothed())
				}
			}
			for l, f := range floors {
				s := by[l]
				if s == nil {
					t.Errorf("no gold passages in %s", l)
					continue
				}
				if ratio(s.hitQ, s.gotQ) < f.quoteP || ratio(s.hitQ, s.wantQ) < f.quoteR ||
					ratio(s.hitS, s.gotS) < f.speakerP || ratio(s.hitS, s.wantS) < f.speakerR {
					t.Errorf("%s below its floor %+v: %s", l, f, s)
				}
			}
		}
	}
}

// The baseline of the issue: quotes between double marks, a speaker from
// "said X" or "X said" right after the closing mark.
var (
	baseQuote = regexp.MustCompile(`[“"]([^”"]+)[”"]`)
	baseSaidX = regexp.MustCompile(`^,?\s*said ((?:[A-Z][\p{L}’'-]*\s?){1,4})`)
	baseXSaid = regexp.MustCompile(`^,?\s*((?:[A-Z][\p{L}’'-]*\s?){1,4}) said`)
)

func baseline(text string) []Quote {
	var out []Quote
	for _, m := range baseQuote.FindAllStringSubmatchIndex(text, -1) {
		q := Quote{Text: trimComma(text[m[2]:m[3]]), Start: m[0], End: m[1]}
		rest := text[m[1]:]
		if s := baseSaidX.FindStringSubmatch(rest); s != nil {
			q.Speaker = strings.TrimSpace(s[1])
		} else if s := baseXSaid.FindStringSubmatch(rest); s != nil {
			q.Speaker = strings.TrimSpace(s[1])
		}
		out = append(out, q)
	}
	return out
}

// TestBaseline compares Extract with the regex baseline on the English
// passages: it must name more speakers rightly without naming more
// wrongly, and find quotes at least as precisely.
func TestBaseline(t *testing.T) {
	var ours, base score
	for _, p := range loadGold(t) {
		if p.Lang != "en" {
			continue
		}
		s, _ := compare(p, Extract(p.Lang, p.Text, spansOf(p.Text, p.People)))
		ours.add(s)
		b, _ := compare(p, baseline(p.Text))
		base.add(b)
	}
	t.Logf("extract  %s", ours)
	t.Logf("baseline %s", base)
	if ratio(ours.hitS, ours.wantS) < ratio(base.hitS, base.wantS)+0.2 {
		t.Errorf("speaker recall %.3f does not beat the baseline's %.3f clearly", ratio(ours.hitS, ours.wantS), ratio(base.hitS, base.wantS))
	}
	if ratio(ours.hitS, ours.gotS) < ratio(base.hitS, base.gotS) || ratio(ours.hitQ, ours.gotQ) < ratio(base.hitQ, base.gotQ) {
		t.Errorf("precision below the baseline's")
	}
}
