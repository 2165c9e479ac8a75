package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
)

func TestParse(t *testing.T) {
	tests := []struct {
		q, want string // want: the query read back (Query.String)
	}{
		{"flood coast", "flood coast"},
		{"flood AND coast", "flood coast"},
		{`"sea  wall"`, `"sea wall"`},
		{"flood OR storm", "flood OR storm"},
		{"rain -storm", "rain -storm"},
		{"rain NOT storm", "rain -storm"},
		{`rain -"sea wall"`, `rain -"sea wall"`},
		{"(rain OR flood) -(london OR paris)", "(rain OR flood) -(london OR paris)"},
		{"((a b) c)", "a b c"},
		{"flood (-rain -snow)", "flood -rain -snow"},
		{"a OR (b OR c)", "a OR b OR c"},
		{"NOT NOT a", "a"},
		{"flood* +coast", "flood* coast"},
		{"fl*", "fl*"}, // too short for a prefix: read as the word (the * is not indexed)
		{"and or not", "and or not"},
		{"LANG:AR lang:de,en -lang:fr flood", "flood lang:ar lang:de lang:en -lang:fr"},
		{`source:Euronews -source:"BBC News" x`, `x source:euronews -source:"bbc news"`},
		{`entity:"Mark  Rutte" -entity:Scholz`, `entity:"Mark Rutte" -entity:Scholz`},
		{"after:2025-04-01 before:2025-04-30T12:00:00+02:00", "after:2025-04-01 before:2025-04-30T10:00:00Z"},
		{"sort:newest lang:ar", "lang:ar sort:recent"},
		{"foo:bar http://example.org", "foo:bar http://example.org"},
		{"10:30 *", "10:30"},
		{`a"b c"d`, `a "b c" d`},
		{"NEAR(coast storm)", "NEAR coast storm"},
		{"x\x00y\xff", "x y"},
		{"flood OR storm lang:en", "flood OR storm lang:en"},
		{"flood OR lang:ar", "flood lang:ar"},
		{"NOT NOT lang:ar x", "x lang:ar"},
		{"x" + strings.Repeat(" lang:ab", 17), "x lang:ab"}, // the same value again is no new value
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.q, err)
			continue
		}
		if got := q.String(); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.q, got, tt.want)
		}
		// The canonical form reads back the same.
		if q2, err := Parse(q.String()); err != nil || q2.String() != q.String() {
			t.Errorf("Parse(%q) = %q, %v; want it unchanged", q.String(), q2.String(), err)
		}
	}
}

func TestParseNotes(t *testing.T) {
	q, err := Parse("foo:bar ***")
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(q.Notes, "\n")
	for _, want := range []string{"'foo:' is not a filter", "ignored ***"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ q, want string }{
		{"", "empty query"},
		{"   \t", "empty query"},
		{`"flood`, "unclosed quote at position 1"},
		{`flood "sea wall`, "unclosed quote at position 7"},
		{`entity:"Mark`, "unclosed quote at position 8"},
		{"after:yesterday", "after: wants a date like 2025-04-01 (or a time like 2025-04-01T12:00:00Z), got 'yesterday'"},
		{"before:2025-13-01", "before: wants a date"},
		{"flood NOT", "NOT at position 7 needs a term after it"},
		{"NOT", "NOT at position 1 needs a term after it"},
		{"flood (NOT)", "NOT at position 8 needs a term after it"},
		{"(flood", "unclosed '(' at position 1"},
		{"flood)", "unmatched ')' at position 6"},
		{"OR flood", "OR at position 1 needs a term before it"},
		{"flood OR", "OR at position 7 needs a term after it"},
		{"flood OR OR rain", "OR at position 7 needs a term after it"},
		{"AND flood", "AND at position 1 needs a term before it"},
		{"flood AND", "AND at position 7 needs a term after it"},
		{"flood ()", "empty parentheses at position 7"},
		{"-flood", "a query cannot only exclude"},
		{"NOT flood -rain", "a query cannot only exclude"},
		{"lang:english", "lang: wants a language code like ar or en, got 'english'"},
		{"lang: ar", "lang: at position 1 needs a value right after the colon, like lang:ar"},
		{"(flood lang:ar) rain", "lang:ar at position 8: filters cannot be inside parentheses"},
		{"-(lang:ar) rain", "filters cannot be inside parentheses"},
		{"flood OR -rain", "NOT cannot be one side of OR"},
		{"flood OR (-rain -snow)", "only excludes"},
		{"after:2025-05-01 before:2025-04-01", "after:2025-05-01 is not before before:2025-04-01"},
		{"after:2025-05-01 after:2025-05-02", "after: given twice"},
		{"sort:sideways flood", "sort: wants recent or relevance, got 'sideways'"},
		{"-after:2025-01-01 flood", "after: cannot be negated"},
		{"*** ---", "nothing to search for"},
		{"x entity:a entity:b entity:c -entity:d entity:e", "entity: given too often; at most 4"},
		{"x lang:aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq", "lang: given too often; at most 16 values"},
		{strings.Repeat("flood ", 200), "query too long"},
		{strings.Repeat("w", 30) + strings.Repeat(" w", 30), "too many words: 31"},
		{strings.Repeat("(", 9) + "a" + strings.Repeat(")", 9), "parentheses nested too deep"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.q)
		if !errors.Is(err, service.ErrBadQuery) {
			t.Errorf("Parse(%q): error %v, want one wrapping ErrBadQuery", tt.q, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q): %q, want it to say %q", tt.q, err, tt.want)
		}
	}
}

// TestRun runs queries against a store of English, German and Arabic
// articles and checks which articles each finds.
func TestRun(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, q string
		want    []string // article names; in this order when ordered
		ordered bool
	}{
		{"word", "coast", []string{"flood-en", "storm-en"}, false},
		{"stem: floods finds flooding", "floods", []string{"flood-en", "storm-en"}, false},
		{"stem: flooding finds floods", "flooding", []string{"flood-en", "storm-en"}, false},
		{"words", "sea wall", []string{"flood-en", "storm-en", "summit-en"}, false},
		{"phrase", `"sea wall"`, []string{"flood-en", "summit-en"}, false},
		{"phrase is as written", `"sea walls"`, nil, false},
		{"AND", "rain AND london", []string{"rain-en"}, false},
		{"OR", "london OR harbour", []string{"rain-en", "flood-en"}, false},
		{"-term", "rain -storm", []string{"flood-en", "rain-en"}, false},
		{"NOT", "rain NOT storm", []string{"flood-en", "rain-en"}, false},
		{"-phrase", `rain -"stops play"`, []string{"flood-en", "storm-en"}, false},
		{"parentheses", "(rain OR flooding) -london", []string{"flood-en", "storm-en"}, false},
		{"parentheses AND", "rain (london OR monday)", []string{"rain-en", "flood-en"}, false},
		{"nested NOT", "coast -(storm -london)", []string{"flood-en"}, false},
		{"nested NOT keeps", "coast -(storm -wind)", []string{"flood-en", "storm-en"}, false},
		{"prefix", "flood*", []string{"flood-en", "storm-en"}, false},
		{"German stem", "Überschwemmung", []string{"flood-de"}, false},
		{"German diacritics folded", "kuste", []string{"flood-de"}, false},
		{"Arabic: bare alif finds hamza", "امطار", []string{"flood-ar", "rain-ar"}, false},
		{"Arabic: hamza finds bare alif", "أمطار", []string{"flood-ar", "rain-ar"}, false},
		{"Arabic: ة finds ه", "المدينة", []string{"flood-ar", "rain-ar"}, false},
		{"Arabic: ى finds ي", "مستشفى", []string{"flood-ar", "rain-ar"}, false},
		{"Arabic: harakat", "الساحل", []string{"flood-ar"}, false},
		{"Arabic: tanween", "فيضانات", []string{"flood-ar"}, false},
		{"English stems stay English", "within", nil, false},
		{"lang", "lang:ar", []string{"rain-ar", "flood-ar"}, true},
		{"lang repeated", "lang:ar lang:de", []string{"rain-ar", "flood-ar", "flood-de", "election-de"}, true}, // same time: higher ID first
		{"lang list", "lang:ar,de", []string{"rain-ar", "flood-ar", "flood-de", "election-de"}, true},          // same time: higher ID first
		{"lang with words", "rain lang:en", []string{"flood-en", "storm-en", "rain-en"}, false},
		{"-lang", "rain -lang:en", nil, false},
		{"filter after OR applies to all", "coast OR rain lang:ar", nil, false},
		{"filter after OR, found", "coast OR london lang:en", []string{"flood-en", "storm-en", "rain-en"}, false},
		{"source substring", "source:euronews", []string{"storm-en", "flood-en", "summit-en"}, true},
		{"source quoted", `source:"bbc news"`, []string{"rain-en", "election-en"}, true},
		{"source repeated", `source:tagesschau source:"al jaz"`, []string{"flood-de", "flood-ar", "election-de"}, false},
		{"-source", "-source:euronews lang:en", []string{"rain-en", "election-en"}, true},
		{"after", "after:2025-04-20", []string{"rain-ar", "rain-en", "storm-en"}, true},
		{"before", "before:2025-03-01", []string{"election-en", "election-de"}, false},
		{"after and before", "after:2025-04-01 before:2025-04-04", []string{"flood-en", "flood-de", "flood-ar"}, false},
		{"after time", "after:2025-04-03T09:00:00Z before:2025-04-20", []string{"flood-de", "flood-ar"}, false},
		{"entity", `entity:"Mark Rutte"`, []string{"flood-en", "flood-de", "flood-ar", "summit-en"}, false},
		{"entity by surname", `entity:rutte`, []string{"flood-en", "flood-de", "flood-ar", "summit-en"}, false},
		{"entity in Arabic", `entity:"مارك روته"`, []string{"flood-en", "flood-de", "flood-ar", "summit-en"}, false},
		{"entity and lang", `entity:"Mark Rutte" lang:ar`, []string{"flood-ar"}, false},
		{"two entities", `entity:"Mark Rutte" entity:"olaf scholz"`, []string{"summit-en"}, false},
		{"entity and words", `entity:"Olaf Scholz" defeat`, []string{"election-en"}, false},
		{"-entity", `-entity:"Mark Rutte" lang:en`, []string{"rain-en", "storm-en", "election-en"}, true},
		{"unknown entity", `entity:Nobody`, nil, false},
		{"exclude with filter", "lang:en -rain", []string{"summit-en", "election-en"}, false},
		{"sort recent", "coast sort:recent", []string{"storm-en", "flood-en"}, true},
		{"title weighs more", "coast", []string{"flood-en", "storm-en"}, false},
		{"unknown field is words", "officials:said", []string{"storm-en"}, false},
		{"lower-case near is a word", "NEAR(coast storm)", []string{"storm-en"}, false},
		{"lower-case and is a word", "rain and wind", []string{"storm-en"}, false},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Run(ctx, f.st, tt.q, "", 50)
			if err != nil {
				t.Fatalf("Run(%q): %v", tt.q, err)
			}
			got := f.ids(p)
			want := slices.Clone(tt.want)
			if !tt.ordered {
				slices.Sort(got)
				slices.Sort(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Run(%q) = %v, want %v (%s)", tt.q, got, want, p.Message)
			}
			if p.Total != len(tt.want) {
				t.Errorf("Run(%q): total %d, want %d", tt.q, p.Total, len(tt.want))
			}
		})
	}
}

// TestRunGroups: hits come grouped by the story readers see, each group
// with its story's row, in the order of the stories' best hits.
func TestRunGroups(t *testing.T) {
	f := newFixture(t)
	p, err := Run(context.Background(), f.st, "rain sort:recent", "", 20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range p.Groups {
		var names []string
		for _, h := range g.Articles {
			names = append(names, f.names[h.ID])
		}
		got = append(got, fmt.Sprintf("%s:%v", g.Story.Headline, names))
		if g.Story.ID == 0 {
			t.Errorf("group without its story: %+v", g)
		}
	}
	want := []string{"Storm and rain:[rain-en storm-en]", "Floods hit the northern coast:[flood-en]"}
	if !slices.Equal(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
	h := p.Groups[1].Articles[0]
	if h.Outlet != "Euronews" || h.Lang != "en" || h.URL != "https://example.org/flood-en" || h.Published.IsZero() || h.Title == "" {
		t.Errorf("hit %+v lacks its article's fields", h)
	}
}

func TestRunSnippets(t *testing.T) {
	f := newFixture(t)
	tests := []struct{ q, name, want string }{
		{"floods", "flood-en", "Heavy «flooding» hit the northern coast"},
		// A match near the end: the snippet ends with the text, filled from before.
		{"harbour", "flood-en", "… the northern coast on Monday after days of rain. The sea wall held, Mark Rutte said on a visit to the «harbour». Rescue teams were flooded with calls."},
		{`"sea wall"`, "summit-en", "the «sea» «wall» programme"},
		{"امطار", "flood-ar", "ضربت «أمطار» غزيرة"},
		{"flood*", "storm-en", "no «flooding» yet"},
	}
	for _, tt := range tests {
		p, err := Run(context.Background(), f.st, tt.q, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, g := range p.Groups {
			for _, h := range g.Articles {
				if f.names[h.ID] == tt.name {
					found = true
					if !strings.Contains(h.Snippet, tt.want) {
						t.Errorf("%q: snippet of %s %q lacks %q", tt.q, tt.name, h.Snippet, tt.want)
					}
				}
			}
		}
		if !found {
			t.Errorf("%q did not find %s", tt.q, tt.name)
		}
	}
}

func TestRunMessage(t *testing.T) {
	f := newFixture(t)
	tests := []struct{ q, want string }{
		{"flood coast lang:ar after:2025-04-01", "words: flood, coast · language: ar · after 2025-04-01"},
		{`"sea wall" -rain source:euronews`, `phrase: "sea wall" · without: rain · source: euronews`},
		{"(rain OR flood) -london", "matching: (rain OR flood) -london"},
		{"entity:rutte", "entity: Mark Rutte (as rutte)"},
		{"entity:nobody", `entity: no entity is known as "nobody"`},
		{"foo:bar", "words: foo:bar · 'foo:' is not a filter"},
		{"lang:ar sort:recent", "language: ar · newest first"},
	}
	for _, tt := range tests {
		p, err := Run(context.Background(), f.st, tt.q, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.Message, tt.want) {
			t.Errorf("Run(%q).Message = %q, want %q", tt.q, p.Message, tt.want)
		}
		if p.Query != tt.q {
			t.Errorf("Run(%q).Query = %q", tt.q, p.Query)
		}
	}
}

// TestRunPaging: following Next from page to page finds every match once,
// in the order of one big page, in both orders.
func TestRunPaging(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, q := range []string{"rain OR coast OR sea OR election OR wahl*", "lang:en", "-lang:en after:2025-01-01", "sea OR rain sort:recent"} {
		all, err := Run(ctx, f.st, q, "", MaxLimit)
		if err != nil {
			t.Fatal(err)
		}
		want := f.ids(all)
		if len(want) < 3 {
			t.Fatalf("%q: only %v", q, want)
		}
		for _, size := range []int{1, 2, 3} {
			var got []string
			cursor := ""
			for range 100 {
				p, err := Run(ctx, f.st, q, cursor, size)
				if err != nil {
					t.Fatalf("%q page after %q: %v", q, cursor, err)
				}
				got = append(got, f.ids(p)...)
				if p.Total != len(want) {
					t.Errorf("%q: total %d, want %d", q, p.Total, len(want))
				}
				if cursor = p.Next; cursor == "" {
					break
				}
			}
			// A page groups its hits by story, so one big page lists
			// them in another order than pages of one: same set, once each.
			sorted := slices.Sorted(slices.Values(got))
			if !slices.Equal(sorted, slices.Compact(slices.Clone(sorted))) {
				t.Errorf("%q in pages of %d: %v, some twice", q, size, got)
			}
			if !slices.Equal(sorted, slices.Sorted(slices.Values(want))) {
				t.Errorf("%q in pages of %d: %v, want %v", q, size, got, want)
			}
		}
	}
}

func TestRunBadInput(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tt := range []struct{ q, cursor, want string }{
		{"flood OR", "", "OR at position 7 needs a term after it"},
		{"", "", "empty query"},
		{"flood", "garbage", "not valid for this query"},
		{"flood", "cnwxfA", "not valid for this query"},
	} {
		_, err := Run(ctx, f.st, tt.q, tt.cursor, 10)
		if !errors.Is(err, service.ErrBadQuery) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Run(%q, %q): %v, want ErrBadQuery saying %q", tt.q, tt.cursor, err, tt.want)
		}
	}
	// A cursor of the other order is refused too.
	p, err := Run(ctx, f.st, "lang:en", "", 1)
	if err != nil || p.Next == "" {
		t.Fatal(p, err)
	}
	if _, err := Run(ctx, f.st, "rain", p.Next, 1); !errors.Is(err, service.ErrBadQuery) {
		t.Errorf("a recent-order cursor on a relevance query: %v", err)
	}
}

// TestRunSyntaxInUserInput: FTS5's own syntax typed by a user is read as
// words; at worst the query is bad, never an SQL error.
func TestRunSyntaxInUserInput(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{
		`"`, `""`, `"""`, `*`, `flood*`, `*flood`, `^coast`, `coast^`, `co:ast`, `:`, `::`, `title:coast`,
		`{title}:coast`, `{title text} : coast`, `NEAR(coast storm)`, `NEAR(coast storm, 2)`, `NEAR`, `near`,
		`coast + storm`, `and`, `or`, `not`, `AND`, `a AND`, `'`, `coast'`, `"coast" * `, `-`, `- coast`, `--coast`,
		`coast -`, `(`, `)`, `()`, `(((`, `)))`, `coast)`, `\`, `\"`, `%`, `_`, `;DROP TABLE article;--`,
		`' OR 1=1 --`, `coast" OR "1"="1`, "\x00", "coast\x00storm", `lang:`, `lang:"`, `entity:`, `entity:""`,
		`source:%`, `source:_`, `source:'`, `source:"\"`, `entity:"'"`, `entity:*`, `-lang:en -source:x -entity:y`,
		`after:0000-01-01`, `before:9999-12-31`, `after:2025-01-01T00:00:00+14:00`, "\u0301", "ـ", "\ufeff", "😀",
		`+`, `+coast`, `~coast`, `coast~2`, `coast^2`, `fo*o`, `**`, `a* b* c*`, `"a" "b" "c"`, `NOT "coast"`,
		`coast NOT NOT storm`, `- - coast`, `sort:`, `http://x.y/z?a=b&c=d`, `10:30`, `12:00:00`,
	} {
		p, err := Run(context.Background(), f.st, q, "", 10)
		if err != nil && !errors.Is(err, service.ErrBadQuery) {
			t.Errorf("Run(%q): %v, want results or ErrBadQuery", q, err)
		}
		if err == nil && p.Groups == nil {
			t.Errorf("Run(%q): nil groups", q)
		}
	}
}

// TestRunReadOnly: search only reads, so it works on a store opened
// read-only, beside the writer.
func TestRunReadOnly(t *testing.T) {
	f := newFixture(t)
	ro, err := store.OpenReadOnly(context.Background(), f.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for _, q := range []string{"coast", `entity:"Mark Rutte" lang:ar`, "lang:en -rain"} {
		p, err := Run(context.Background(), ro, q, "", 10)
		if err != nil || p.Total == 0 {
			t.Errorf("read-only Run(%q): %d, %v", q, p.Total, err)
		}
	}
}

// TestStemLangs keeps stemLangs in step with internal/text: every code it
// stems differently from the words as written is listed, and no other.
func TestStemLangs(t *testing.T) {
	probes := []*Word{{Text: "nationalities"}, {Text: "Überschwemmungen"}, {Text: "национальности"},
		{Text: "செய்திகள்"}, {Text: "الإمارات"}, {Text: "powodziami"}, {Text: "abcdefghijkl"}, {Text: "bhfeirmeacha"}, {Text: "nAthair"}}
	for a := 'a'; a <= 'z'; a++ {
		for b := 'a'; b <= 'z'; b++ {
			lang := string([]rune{a, b})
			differs := false
			for _, w := range probes {
				differs = differs || stemmedForm(lang, w) != stemmedForm("", w)
			}
			if differs != slices.Contains(stemLangs, lang) {
				t.Errorf("language %s: stems differently %v, listed %v", lang, differs, !differs)
			}
		}
	}
}
