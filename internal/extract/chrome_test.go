package extract

import (
	"context"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/article"
)

func TestChromeLine(t *testing.T) {
	tests := []struct {
		line string
		want rule // 0: not chrome
	}{
		{"Jetzt abonnieren", ruleSubscribe},
		{"Weiterlesen mit Abo", ruleSubscribe},
		{"Sie sind bereits Abonnent? Hier anmelden", ruleSubscribe},
		{"Subscribe now for unlimited access", ruleSubscribe},
		{"Already a subscriber? Log in", ruleSubscribe},
		{"Il vous reste 72% de cet article à lire.", ruleSubscribe},
		{"Este contenido es exclusivo para suscriptores", ruleSubscribe},
		{"Artykuł dostępny tylko dla prenumeratorów", ruleSubscribe},
		{"Seite 2 von 3", rulePaging},
		{"Page 1 of 3", rulePaging},
		{"1 2 3 Next", rulePaging},
		{"« Previous 1 2 3 Next »", rulePaging},
		{"« Zurück 1 2 3 Weiter »", rulePaging},
		{"Página 2 de 5", rulePaging},
		{"Strona 1 z 4", rulePaging},
		{"‹ 1 2 3 ›", rulePaging},
		{"Next page »", rulePaging},
		{"Read more: Storm hits the coast", ruleCue},
		{"Lesen Sie auch: Sturm trifft die Küste", ruleCue},
		{"Czytaj także: Burza nad wybrzeżem", ruleCue},
		{"Sign up for our newsletter", rulePromo},
		{"Get the latest updates in your inbox. Subscribe to our newsletters.", rulePromo | ruleSubscribe},
		{"Photo: Jane Doe/Agency", ruleCaption},
		{"By Maria Jensen", ruleByline},
		{"Von Jonas Weber", ruleByline},
		// Prose: a pattern's words inside a sentence never make it chrome.
		{"Wer die Zeitung abonnieren möchte, zahlt seit Jahresbeginn mehr für das gedruckte Exemplar.", 0},
		{"The company said it would stop sending its weekly newsletter to customers next month.", 0},
		{"Readers who subscribe before Friday will receive the first issue free of charge, the publisher said.", 0},
		{"The score was 1 2 3 in the first round, officials said on Monday.", 0},
		{"Seite an Seite kämpften die beiden Parteien um die Mehrheit im Stadtrat.", 0},
		{"By the end of the year, prices had risen by a third.", 0},
		{"1 2 3", 0},                          // a bare number row may be a table's
		{strings.Repeat("Subscribe ", 50), 0}, // too long for a line
	}
	for _, tc := range tests {
		got := chromeLine(tc.line, allRules)
		switch {
		case tc.want == 0 && got != nil:
			t.Errorf("chromeLine(%q) = %s %s, want no match", tc.line, got.src, got.re)
		case tc.want != 0 && got == nil:
			t.Errorf("chromeLine(%q) = nil, want a match", tc.line)
		case tc.want != 0 && got.kind&tc.want == 0:
			t.Errorf("chromeLine(%q) matched %s, a pattern of another kind", tc.line, got.src)
		}
	}
}

// TestChromeRulesAlone checks that the chrome patterns, not the agreement
// with readability, remove the chrome of testdata/chrome-de.html.
func TestChromeRulesAlone(t *testing.T) {
	cfg := trafilaturaAlone
	cfg.rules = chromeRules
	arts, err := pageWith(context.Background(), article.Page{Input: "chrome-de.html", Kind: article.KindHTML, Body: readTestdata(t, "chrome-de.html")}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Jetzt abonnieren", "Seite 1 von 3", "Weiterlesen mit Abo", "Zurück 1 2 3"} {
		if strings.Contains(arts[0].Text, s) {
			t.Errorf("text keeps chrome %q", s)
		}
	}
	if !strings.Contains(arts[0].Text, "Wer die Zeitung abonnieren möchte") {
		t.Error("the prose paragraph about subscribing is gone")
	}
	// go-trafilatura alone keeps it all: the test shows the rules at work.
	alone, err := pageWith(context.Background(), article.Page{Input: "chrome-de.html", Kind: article.KindHTML, Body: readTestdata(t, "chrome-de.html")}, trafilaturaAlone)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(alone[0].Text, "Jetzt abonnieren") {
		t.Error("go-trafilatura alone no longer keeps the fixture's chrome: the fixture no longer shows the rules at work and needs a harder case")
	}
}

func TestParseChrome(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		wantErr  bool
	}{
		{"ok", "# c\n[paging]\n^page \\d+$\n\n[cue]\n^more:\n", 2, false},
		{"no kind", "^x$\n", 0, true},
		{"unknown kind", "[nav]\n^x$\n", 0, true},
		{"bad pattern", "[cue]\n^(x\n", 0, true},
	}
	for _, tc := range tests {
		ps, err := parseChrome(tc.name, tc.in)
		if (err != nil) != tc.wantErr || len(ps) != tc.n {
			t.Errorf("%s: %d patterns, err %v", tc.name, len(ps), err)
		}
	}
	// Every embedded file parses (the package would not start otherwise)
	// and every kind has patterns.
	seen := rule(0)
	for _, p := range chromePatterns {
		seen |= p.kind
	}
	if seen != chromeRules {
		t.Errorf("kinds with patterns %b, want %b", seen, chromeRules)
	}
}

func FuzzParseChrome(f *testing.F) {
	b, err := chromeFiles.ReadFile("chrome/de.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("[cue]\n(?-i:^By\\s+\\p{Lu})\n")
	f.Add("[paging\n]\n")
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := parseChrome("fuzz", s)
		if err != nil {
			return
		}
		for _, p := range ps {
			if p.kind&chromeRules == 0 || p.re == nil {
				t.Fatalf("pattern %s has kind %b", p.src, p.kind)
			}
			p.re.MatchString(s) // must not panic
		}
	})
}

func FuzzChromeLine(f *testing.F) {
	f.Add("Jetzt abonnieren")
	f.Add("Get the latest updates in your inbox. Subscribe to our newsletters.")
	f.Add("« Zurück 1 2 3 Weiter »")
	f.Fuzz(func(t *testing.T, p string) {
		c := chromeLine(p, allRules)
		if c != nil && wordCount(p) > chromeMaxWords {
			t.Errorf("chrome match on a %d-word paragraph", wordCount(p))
		}
		for i := range p {
			startsSentence(p, i) // any offset, valid rune start or not
		}
	})
}

// A pattern's needed strings are a filter only: every line it matches
// holds one of them, folded.
func TestChromeNeeds(t *testing.T) {
	lines := []string{
		"Subscribe now", "SUBSCRIBE", "ſubſcribe today", // ſ folds to s
		"Jetzt ABONNIEREN", "Nur für Abonnenten", "NUR FÜR ABONNENTINNEN",
		"Sign up for our newsletter", "Get the Guardian app", "Photo by Jane Doe",
		"Réservé aux abonnés", "RÉSERVÉE AUX ABONNÉS", "Suscríbete", "SUBSKRYBUJ",
	}
	needing := 0
	for _, c := range chromePatterns {
		if c.need == nil {
			continue
		}
		needing++
		for _, l := range lines {
			if c.re.MatchString(l) && !containsAny(fold(l), c.need) {
				t.Errorf("%s matches %q but needs one of %q", c.src, l, c.need)
			}
		}
	}
	// The word patterns anywhere in a line are why the filter exists.
	if needing < 10 {
		t.Errorf("%d patterns need a string; the files' word patterns should", needing)
	}
	for _, tc := range []struct {
		re   string
		want []string
	}{
		{`\bsubscribe\b`, []string{"SUBSCRIBE"}},
		{`\bsuscr[ií]bete\b`, []string{"SUSCR"}},
		{`\b(photograph|photo|image)\s+(by|courtesy|credit)\b`, []string{"PHOTO", "IMAGE"}},
		{`^page \d{1,3} of \d{1,3}$`, []string{"PAGE "}},
		{`^by$`, nil}, // too short to look for
		{`(news)?letter`, []string{"LETTER"}},
		{`(?-i:^(?:By|BY)(\s+\p{Lu}[\p{L}.'-]*){1,4}$)`, nil},
	} {
		tree, err := syntax.Parse("(?i)"+tc.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := needed(tree); !slices.Equal(got, tc.want) {
			t.Errorf("needed(%s) = %q, want %q", tc.re, got, tc.want)
		}
	}
}

func FuzzChromeNeeds(f *testing.F) {
	f.Add("Jetzt abonnieren")
	f.Add("ſubscribe")
	f.Add("Photo  BY x")
	f.Fuzz(func(t *testing.T, p string) {
		for _, c := range chromePatterns {
			if c.need != nil && c.re.MatchString(p) && !containsAny(fold(p), c.need) {
				t.Errorf("%s matches %q but needs one of %q", c.src, p, c.need)
			}
		}
	})
}
