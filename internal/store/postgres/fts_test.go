package postgres

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/shared"
	_ "github.com/storyline/storyline/internal/store" // registers SQLite's driver, FTS5 the reference
)

// fts5Tokens returns the words FTS5's unicode61 tokenizer (remove_diacritics
// 2, as store's index) makes of each text, from SQLite itself.
func fts5Tokens(t *testing.T, texts []string) [][]string {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	for _, q := range []string{
		`CREATE VIRTUAL TABLE doc USING fts5(x, tokenize='unicode61 remove_diacritics 2')`,
		`CREATE VIRTUAL TABLE word USING fts5vocab(doc, 'instance')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range texts {
		if _, err := db.Exec("INSERT INTO doc (rowid, x) VALUES (?, ?)", i+1, s); err != nil {
			t.Fatal(err)
		}
	}
	out := make([][]string, len(texts))
	rows, err := db.Query("SELECT doc, term FROM word ORDER BY doc, offset")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			doc int
			w   string
		)
		if err := rows.Scan(&doc, &w); err != nil {
			t.Fatal(err)
		}
		out[doc-1] = append(out[doc-1], w)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTokensAsFTS5: ftsTokens cuts and folds words as FTS5 does, on
// awkward strings and on 746 news articles in nine languages.
func TestTokensAsFTS5(t *testing.T) {
	texts := []string{
		"Café São Paulo: Ærø, Øresund, Łódź, Şişli, İstanbul, Kǘste, naïve façade",
		"e\u0301cole cafe\u0301 \u0301lead", // combining acute: in a word, and leading one
		"don't o'clock U.S.A. 3.14 1,000,000 e-mail foo_bar #tag @user",
		"Мария Захарова, «Коммерсантъ» — йогурт ёлка",
		"ضَرَبَتْ أمطارٌ غزيرةٌ المدينةَ", // harakat are marks, not letters
		"हिन्दी में समाचार",               // Devanagari vowel signs
		"東京都の石破茂首相は１２日、記者会見した。中文新闻",
		"emoji 😀 in🎉the middle, \uE000private\uE001 use",
		"ǅemal ǈubljana ǋegoš Σίσυφος ΣΊΣΥΦΟΣ straße STRASSE ẞ ﬁne",
		"ı İ ſ µ ͅ ϐ ϑ ϕ ϖ ϰ ϱ ϵ ẛ ι K Å ǰ ŉ",
		"tab\tnew\nline\r\n  spaces\u00a0nbsp\u2003em",
		"x²³ ½ Ⅻ ①②", // numbers beyond digits
		"",
	}
	if path, ok := shared.Optional(t, "data/wmt-dev-stories.jsonl"); ok {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var r struct{ Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			texts = append(texts, r.Title+"\n"+r.Text)
		}
		f.Close()
	}
	want := fts5Tokens(t, texts)
	differ := 0
	for i, s := range texts {
		got := ftsTokens(s)
		if !slices.Equal(got, want[i]) {
			differ++
			if differ > 5 {
				continue
			}
			for j := range min(len(got), len(want[i])) {
				if got[j] != want[i][j] {
					t.Errorf("text %d (%.60q…), word %d: %q, FTS5 %q", i, s, j, got[j], want[i][j])
					break
				}
			}
			if len(got) != len(want[i]) {
				t.Errorf("text %d (%.60q…): %d words, FTS5 %d", i, s, len(got), len(want[i]))
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d texts cut otherwise than FTS5", differ, len(texts))
	}
}

func TestFTSQuery(t *testing.T) {
	tests := []struct {
		expr  string
		query string // "" for a constant
		value bool
	}{
		{`"floods"`, `'floods':ABC`, false},
		{`"Küste"`, `'kuste':ABC`, false},
		{`floods`, `'floods':ABC`, false},
		{`"sea wall"`, `('sea':ABC <-> 'wall':ABC)`, false},
		{`"flood" *`, `'flood':*ABC`, false},
		{`"sea wa" *`, `('sea':ABC <-> 'wa':*ABC)`, false},
		{`{title text} : "x"`, `'x':AB`, false},
		{`title:x`, `'x':A`, false},
		{`stemmed : "x"`, `'x':C`, false},
		{`- stemmed : "x"`, `'x':AB`, false},
		{`-{title text} : "x"`, `'x':C`, false},
		{`title : (stemmed : "x")`, "", false},
		{`{title text} : ("a" OR stemmed : "b")`, `'a':AB`, false}, // filters share no column: b matches nothing
		{`"a" "b"`, `('a':ABC & 'b':ABC)`, false},
		{`"a" AND "b" OR "c"`, `(('a':ABC & 'b':ABC) | 'c':ABC)`, false},
		{`"a" OR "b" NOT "c"`, `('a':ABC | ('b':ABC & !'c':ABC))`, false},
		{`("a" OR "b") NOT "c"`, `(('a':ABC | 'b':ABC) & !'c':ABC)`, false},
		{`"!!"`, "", false},
		{`"!!" OR "a"`, `'a':ABC`, false},
		{`"a" NOT "!!"`, `'a':ABC`, false},
		{`"it's"`, `('it':ABC <-> 's':ABC)`, false},
		{`"o'brien\\"`, `('o':ABC <-> 'brien':ABC)`, false},
		{`"say ""hi"""`, `('say':ABC <-> 'hi':ABC)`, false},
		{`and`, `'and':ABC`, false},
	}
	for _, tt := range tests {
		n, err := ftsQuery(tt.expr)
		if err != nil {
			t.Errorf("ftsQuery(%q): %v", tt.expr, err)
			continue
		}
		want := tt.query
		if n.query != want || n.query == "" && n.value != tt.value {
			t.Errorf("ftsQuery(%q) = %q %v, want %q %v", tt.expr, n.query, n.value, want, tt.value)
		}
	}
	for _, bad := range []string{`"unbalanced`, "AND", "title:", "nosuchcol:x", "(", "*", `"a" OR`, `("a"`, `"a")`,
		`NOT "a"`, `{title : "a"`, `- : "a"`, `"a" NEAR "b"`, `"a" + "b"`, `^"a"`} {
		if n, err := ftsQuery(bad); err == nil {
			t.Errorf("ftsQuery(%q) = %+v, no error", bad, n)
		}
	}
}

func TestQuoteLexeme(t *testing.T) {
	// What quoteLexeme wrote when it went through a strings.Replacer:
	// the output stays byte for byte the same.
	replacer := func(w string) string { return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + "'" }
	tests := []struct{ word, want string }{
		{"", `''`},
		{"flood", `'flood'`},
		{"it's", `'it''s'`},
		{`a\b`, `'a\\b'`},
		{`\'`, `'\\'''`},
		{`''`, `''''''`},
		{`\\`, `'\\\\'`},
		{"küste", `'küste'`},
		{`ıstanbul'ın\x`, `'ıstanbul''ın\\x'`},
		{"\ue000'", "'\ue000'''"},
		{"\xff'\\", "'\xff''\\\\'"}, // not UTF-8: bytes pass as they are
	}
	for _, tt := range tests {
		got := quoteLexeme(tt.word)
		if got != tt.want {
			t.Errorf("quoteLexeme(%q) = %q, want %q", tt.word, got, tt.want)
		}
		if old := replacer(tt.word); got != old {
			t.Errorf("quoteLexeme(%q) = %q, the replacer's %q", tt.word, got, old)
		}
	}
}

// TestFTSQueryParses: what ftsQuery writes, PostgreSQL reads as a
// tsquery, whatever the words.
func TestFTSQueryParses(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for _, expr := range []string{`"a\\b" OR "it''s"`, `"x" NOT ("y" OR "z" *)`, `- {text} : "sea wall" *`,
		`"` + strings.Repeat("x", 3000) + `" OR "y"`, `"Ærø" "東京"`} {
		n, err := ftsQuery(expr)
		if err != nil {
			t.Fatal(err)
		}
		if n.query == "" {
			continue
		}
		var out string
		if err := s.pool.QueryRow(ctx, "SELECT $1::tsquery::text", n.query).Scan(&out); err != nil {
			t.Errorf("%q → %q: %v", expr, n.query, err)
		}
	}
}

// FuzzFTSQuery: any expression is an error or a query PostgreSQL's
// tsquery grammar can read: balanced, every lexeme quoted.
func FuzzFTSQuery(f *testing.F) {
	for _, s := range []string{`"a" OR "b" NOT "c"`, `{title text} : "x" *`, `- stemmed : ("a" "b")`, `"a""b"`, `(("a"))`, `"😀 ü"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		n, err := ftsQuery(expr)
		if err != nil || n.query == "" {
			return
		}
		depth, quoted := 0, false
		for i := 0; i < len(n.query); i++ {
			c := n.query[i]
			switch {
			case quoted && c == '\\':
				i++
			case quoted && c == '\'' && i+1 < len(n.query) && n.query[i+1] == '\'':
				i++
			case c == '\'':
				quoted = !quoted
			case !quoted && c == '(':
				depth++
			case !quoted && c == ')':
				depth--
				if depth < 0 {
					t.Fatalf("%q → %q: unbalanced", expr, n.query)
				}
			case !quoted && !strings.ContainsRune(" &|!<->:*ABC", rune(c)):
				t.Fatalf("%q → %q: %q outside a lexeme", expr, n.query, c)
			}
		}
		if depth != 0 || quoted {
			t.Fatalf("%q → %q: unbalanced", expr, n.query)
		}
	})
}

// FuzzVector: any text makes a tsvector literal of quoted lexemes with
// positions, under PostgreSQL's limits.
func FuzzVector(f *testing.F) {
	for _, s := range []string{"Café au lait", "it's a \\ test", "", "東京 😀", strings.Repeat("a ", 20000)} {
		f.Add(s, "stem")
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		v := articleVector(title, text)
		if len(v) > ftsMaxBytes+ftsMaxLexeme+100 {
			t.Fatalf("vector of %d bytes", len(v))
		}
		for _, w := range ftsTokens(title + " " + text) {
			if len(w) <= ftsMaxLexeme && len(v) < ftsMaxBytes/2 && !strings.Contains(v, quoteLexeme(w)+":") {
				t.Fatalf("word %q missing from %q", w, v)
			}
		}
	})
}
