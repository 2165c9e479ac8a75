package quote

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// want is an expected quote: its exact text, speaker and way.
type want struct{ text, speaker, via string }

func TestExtract(t *testing.T) {
	tests := []struct {
		name, lang, text string
		people           []string
		want             []want
	}{
		{"curly said-X", "en", "“We are ready for anything,” said Mark Rutte.", nil,
			[]want{{"We are ready for anything", "Mark Rutte", "said-X"}}},
		{"ASCII X-said", "en", `"We are ready for anything," Rutte said.`, nil,
			[]want{{"We are ready for anything", "Rutte", "X-said"}}},
		{"apostrophes are no marks", "en", "The leaders’ summit didn’t change l’Europe’s view of the “reset”.", nil, nil},
		{"scare quotes", "en", "The so-called “reset” was a “pivotal” moment, critics said.", nil, nil},
		{"title in title case", "en", "Her book “The Long Road Home” sold well.", nil, nil},
		{"single quotes", "en", "‘It’s the players’ decision, not mine,’ manager Sean O’Connor said.", nil,
			[]want{{"It’s the players’ decision, not mine", "Sean O’Connor", "X-said"}}},
		{"nested", "en", "“He told me ‘the building is safe,’ and I believed him,” said Ana Costa.", nil,
			[]want{{"He told me ‘the building is safe,’ and I believed him", "Ana Costa", "said-X"}}},
		{"unclosed outer, inner kept", "en", "He wrote “the report said “the economy will grow by three percent” and left\nNext paragraph.", nil,
			[]want{{"the economy will grow by three percent", "", ""}}},
		{"paragraphs", "en", "“First we rebuild the homes.\n“Then we rebuild the trust,” said Maria Alvarez.", nil,
			[]want{{"First we rebuild the homes. Then we rebuild the trust", "Maria Alvarez", "said-X"}}},
		{"split", "en", "“We will rebuild,” said Maria Alvarez, “and we will do it fast.”", nil,
			[]want{{"We will rebuild … and we will do it fast.", "Maria Alvarez", "said-X"}}},
		{"short with cue", "en", "“No,” Senator Laura Kim said.", nil,
			[]want{{"No", "Laura Kim", "X-said"}}},
		{"colon", "en", "Magnus Lindqvist: “I was lost after move 30.”", nil,
			[]want{{"I was lost after move 30.", "Magnus Lindqvist", "colon"}}},
		{"plural", "en", "“We condemn the launches,” Kenta Sato and Lars Holm said.", nil,
			[]want{{"We condemn the launches", "", ""}}},
		{"pronoun", "en", "Lena Fischer praised the draw. “None of these teams scares us,” she added.", []string{"Lena Fischer"},
			[]want{{"None of these teams scares us", "Lena Fischer", "pronoun"}}},
		{"pronoun without people", "en", "Lena Fischer praised the draw. “None of these teams scares us,” she added.", nil,
			[]want{{"None of these teams scares us", "", ""}}},
		{"title", "en", "NATO Secretary General Mark Rutte met the press. “We stand together with Japan,” the NATO chief said.", []string{"Mark Rutte"},
			[]want{{"We stand together with Japan", "Mark Rutte", "title"}}},
		{"French", "fr", "« Nous tiendrons bon », a déclaré Emmanuel Macron.", nil,
			[]want{{"Nous tiendrons bon", "Emmanuel Macron", "said-X"}}},
		{"French a-t-il", "fr", "Julien Marchand était à Toulon. « La marine aura trois frégates », a-t-il ajouté.", []string{"Julien Marchand"},
			[]want{{"La marine aura trois frégates", "Julien Marchand", "pronoun"}}},
		{"German low-high", "de", "„Wir bleiben an der Seite der Ukraine“, sagte Merz.", nil,
			[]want{{"Wir bleiben an der Seite der Ukraine", "Merz", "said-X"}}},
		{"German low-high right", "de", "„Wir bleiben an der Seite der Ukraine”, so Merz.", nil,
			[]want{{"Wir bleiben an der Seite der Ukraine", "Merz", "said-X"}}},
		{"German single", "de", "‚Wir bleiben an der Seite der Ukraine‘, sagte Merz.", nil,
			[]want{{"Wir bleiben an der Seite der Ukraine", "Merz", "said-X"}}},
		{"German reversed", "de", "»Wir bleiben an der Seite der Ukraine«, sagte Merz.", nil,
			[]want{{"Wir bleiben an der Seite der Ukraine", "Merz", "said-X"}}},
		{"Spanish pro-drop", "es", "Elena Ferrer visitó la zona. «Nadie se quedará sin ayuda», dijo.", []string{"Elena Ferrer"},
			[]want{{"Nadie se quedará sin ayuda", "Elena Ferrer", "pronoun"}}},
		{"Arabic", "ar", "وقال ناكاتاني: «نواجه تحديات كثيرة في المنطقة».", nil,
			[]want{{"نواجه تحديات كثيرة في المنطقة", "ناكاتاني", "said-X"}}},
		{"Arabic country is no pronoun", "ar", "وقالت اليابان في بيان: «سنشارك في المهمة قريبا جدا».", nil,
			[]want{{"سنشارك في المهمة قريبا جدا", "", ""}}},
		{"corner brackets", "ja", "報道官は「原因の調査を続けており、近く結果を公表する」と語った。", nil,
			[]want{{"原因の調査を続けており、近く結果を公表する", "", ""}}},
		{"white corner brackets", "zh", "王明表示：『我们将继续扩大对外开放，欢迎外国企业。』", []string{"王明"},
			[]want{{"我们将继续扩大对外开放，欢迎外国企业。", "王明", "X-said"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var people []Span
			if tt.people != nil {
				people = spansOf(tt.text, tt.people)
			}
			got := Extract(tt.lang, tt.text, people)
			check(t, tt.text, got)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d quotes %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				q := got[i]
				if q.Text != w.text || q.Speaker != w.speaker || q.Via != w.via {
					t.Errorf("got %q by %q (%s), want %q by %q (%s)", q.Text, q.Speaker, q.Via, w.text, w.speaker, w.via)
				}
				// Start and End hold the marks; the speaker offsets its name.
				first, _ := utf8.DecodeRuneInString(tt.text[q.Start:])
				last, _ := utf8.DecodeLastRuneInString(tt.text[:q.End])
				if !isMark(first) || !isMark(last) {
					t.Errorf("span %q does not run from mark to mark", tt.text[q.Start:q.End])
				}
				if q.Speaker != "" && tt.text[q.SpeakerStart:q.SpeakerEnd] != q.Speaker {
					t.Errorf("speaker offsets hold %q, not %q", tt.text[q.SpeakerStart:q.SpeakerEnd], q.Speaker)
				}
			}
		})
	}
}

// TestUnbalanced feeds broken runs of marks: no panic, no quote crossing
// a paragraph it does not reopen.
func TestUnbalanced(t *testing.T) {
	for _, text := range []string{
		"“", "”", "„“”", "«»«", "‘’’‘", "\"\"\"", "「「」", "“a\n”b”", strings.Repeat("“x ", 100),
		"“one two three four\n\nfive six seven eight”", "“\n“\n“", "« a b c d »» e",
	} {
		qs := Extract("", text, nil)
		check(t, text, qs)
		for _, q := range qs {
			if strings.Contains(text[q.Start:q.End], "\n") {
				t.Errorf("%q: quote %q crosses a paragraph", text, text[q.Start:q.End])
			}
		}
	}
}
