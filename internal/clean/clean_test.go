package clean

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func paras(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n\n")
}

// TestTextHandwritten runs scrapes written for these tests (testdata/)
// through Text and checks the fields and the body's content.
func TestTextHandwritten(t *testing.T) {
	tests := []struct {
		file     string
		title    string
		source   string
		date     time.Time
		dateline string
		agency   string
		author   string
		url      string
		related  []string // related titles, in order
		paras    int      // Main.Text paragraph count
		want     []string // substrings Main.Text must hold
		notWant  []string // substrings Main.Text must not hold
	}{
		{
			file: "chrome_en.txt", title: "Harbour bridge reopens after repairs",
			source: "The Coastal Ledger", date: day(2024, time.March, 3), dateline: "PORTSMOUTH", agency: "Reuters", author: "Jane Doe",
			paras: 5,
			want:  []string{"PORTSMOUTH (Reuters) - The harbour", "the mayor told reporters"},
			notWant: []string{"Share", "Advertisement", "Workers stand", "Photo:", "Download the app", "newsletter",
				"Great news", "Comments", "All rights reserved", "Sign in"},
		},
		{
			file: "related_en.txt", title: "City opens new library in old station",
			source: "Valley Post", date: day(2023, time.May, 12),
			related: []string{"Farmers warn of poor harvest after dry spring", "Museum returns stolen painting to owner"},
			paras:   3,
			want:    []string{"The city opened", "after school and work."},
			notWant: []string{"Farmers", "museum", "Like", "Related"},
		},
		{
			file: "related_id.txt", title: "Banjir rendam ratusan rumah di pinggir kota",
			source: "Kompas", date: day(2024, time.March, 7),
			related: []string{"Harga beras naik menjelang bulan puasa"},
			paras:   3,
			want:    []string{"Hujan deras", "lantai dua rumah mereka."},
			notWant: []string{"Cari", "Baca juga", "Harga beras", "komentar", "pertama"},
		},
		{
			file: "dateline_de.txt", title: "Stadtrat beschließt neuen Radweg",
			source: "dpa", date: day(2024, time.March, 14), dateline: "BERLIN", agency: "dpa",
			paras:   3,
			want:    []string{"BERLIN (dpa) - Der Stadtrat", "gefährlich ist."},
			notWant: []string{"Teilen", "Kommentare", "Lesen Sie", "Rechte"},
		},
		{
			file: "chrome_es.txt", title: "El Gobierno aprueba un plan para reducir el precio del transporte público",
			source: "El Diario", date: day(2025, time.April, 9), dateline: "MADRID", agency: "EFE",
			paras:   4,
			want:    []string{"MADRID (EFE) - El Gobierno", "trenes y autobuses."},
			notWant: []string{"Compartir", "Publicidad", "Lee también", "inflación", "Comentarios", "derechos"},
		},
		{
			file: "chrome_zh.txt", title: "城市公园免费开放",
			source: "新华社", date: day(2025, time.April, 9), dateline: "北京", agency: "新华社",
			paras:   3,
			want:    []string{"新华社北京4月9日电", "防止过度拥挤。"},
			notWant: []string{"分享", "相关新闻", "责任编辑", "版权所有"},
		},
		{
			file: "related_tail.txt", title: "Council votes to keep night buses running",
			related: []string{"Storm closes mountain roads as snow returns"},
			paras:   3,
			want:    []string{"The city council voted", "busiest routes at weekends."},
			notWant: []string{"Recommended", "snow", "Forecasters"},
		},
		{
			file: "source_url.txt", source: "example-news.pt", date: day(2024, time.February, 19),
			url:     "https://www.example-news.pt/2024/02/19/parliament-approves-budget/",
			paras:   3,
			want:    []string{"The regional parliament", "end of the month."},
			notWant: []string{"Source:", "https://"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res := Text(string(b))
			m := res.Main
			check := func(field, got, want string) {
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("Title", m.Title, tt.title)
			check("Source", m.Source, tt.source)
			check("Dateline", m.Dateline, tt.dateline)
			check("Agency", m.Agency, tt.agency)
			check("Author", m.Author, tt.author)
			check("URL", m.URL, tt.url)
			if !m.Published.Equal(tt.date) {
				t.Errorf("Published = %v, want %v", m.Published, tt.date)
			}
			if n := len(paras(m.Text)); n != tt.paras {
				t.Errorf("Main.Text has %d paragraphs, want %d:\n%s", n, tt.paras, m.Text)
			}
			for _, w := range tt.want {
				if !strings.Contains(m.Text, w) {
					t.Errorf("Main.Text lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(m.Text, w) {
					t.Errorf("Main.Text holds %q", w)
				}
			}
			var titles []string
			for _, r := range res.Related {
				titles = append(titles, r.Title)
				if r.Text == "" {
					t.Errorf("related %q has no text", r.Title)
				}
			}
			if strings.Join(titles, "|") != strings.Join(tt.related, "|") {
				t.Errorf("Related titles = %q, want %q", titles, tt.related)
			}
		})
	}
}

func TestTextRelatedOutlet(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "related_en.txt"))
	if err != nil {
		t.Fatal(err)
	}
	res := Text(string(b))
	if len(res.Related) != 2 {
		t.Fatalf("got %d related docs, want 2", len(res.Related))
	}
	for i, want := range []string{"Valley Post", "Farm Weekly"} {
		if got := res.Related[i].Source; got != want {
			t.Errorf("Related[%d].Source = %q, want %q", i, got, want)
		}
	}
}

func TestFindDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2025-04-09", day(2025, time.April, 9), true},
		{"Updated 2025-04-09T10:00:00Z", day(2025, time.April, 9), true},
		{"Euronews10-04-2025", day(2025, time.April, 10), true},
		{"10/04/2025 12:30", day(2025, time.April, 10), true},
		{"04/25/2025", day(2025, time.April, 25), true}, // month first only when day-first is impossible
		{"MAINICHI   | April 9, 2025", day(2025, time.April, 9), true},
		{"Nov. 19, 2019 8:03 am ET", day(2019, time.November, 19), true},
		{"Published Monday, November 18, 2019 8:22AM EST", day(2019, time.November, 18), true},
		{"9 April 2025", day(2025, time.April, 9), true},
		{"9 April, 2025", day(2025, time.April, 9), true},
		{"7 Maret 2024", day(2024, time.March, 7), true},
		{"14. März 2024", day(2024, time.March, 14), true},
		{"8 de abril de 2025", day(2025, time.April, 8), true},
		{"le 3 août 2024", day(2024, time.August, 3), true},
		{"9 апреля 2025", day(2025, time.April, 9), true},
		{"9 Nisan 2025", day(2025, time.April, 9), true},
		{"9 kwietnia 2025", day(2025, time.April, 9), true},
		{"2025年4月9日", day(2025, time.April, 9), true},
		{"2019. 11. 20", day(2019, time.November, 20), true},
		{"31-02-2025", time.Time{}, false},
		{"no date here", time.Time{}, false},
		{"1234567890", time.Time{}, false},
	}
	for _, tt := range tests {
		got, _, _, ok := findDate(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("findDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestURLDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"https://observer.example/2025/04/08/some-story/", day(2025, time.April, 8), true},
		{"/news/2019-11-20/story", day(2019, time.November, 20), true},
		{"/2019/11/story", day(2019, time.November, 1), true},
		{"/story/12345", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := urlDate(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("urlDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDateline(t *testing.T) {
	tests := []struct {
		first          string
		dateline, agcy string
	}{
		{"TOKYO (AP) – Japan said on Tuesday that it wants to join the mission, officials said.", "TOKYO", "AP"},
		{"TOKYO (Kyodo) -- Japan and NATO agreed on Wednesday to deepen their cooperation, officials said.", "TOKYO", "Kyodo"},
		{"WASHINGTON – Two prison officers were charged on Tuesday with falsifying records, prosecutors said.", "WASHINGTON", ""},
		{"RIO DE JANEIRO, Brazil (Reuters) - The central bank held rates on Wednesday, as analysts had expected.", "RIO DE JANEIRO", "Reuters"},
		{"The minister said on Tuesday that the plan would go ahead as agreed with the unions.", "", ""},
		{"NEW DELHI: Their dream shattered, nearly 150 people returned home on Wednesday, officials said.", "NEW DELHI", ""},
		{"BREAKING: The council has voted to keep the night buses running for two more years, it said.", "", ""},
		{"طوكيو (أ ب) - أعربت اليابان عن اهتمامها يوم الثلاثاء بالمشاركة في المهمة، كما قال المسؤولون.", "طوكيو", "أ ب"},
		{"新华社北京4月9日电 市政府周三宣布，从下个月起，全市所有公园将免费向公众开放，以鼓励市民参加户外活动。", "北京", "新华社"},
		{"【ワシントン共同】米政府は9日、新たな関税措置を発表した。市場では今後の影響を懸念する声が広がっている。", "ワシントン", "共同"},
	}
	for _, tt := range tests {
		res := Text(tt.first + "\n" + "More body text follows here, as the reporters were told by officials on the same day.")
		if res.Main.Dateline != tt.dateline || res.Main.Agency != tt.agcy {
			t.Errorf("%q: dateline %q agency %q, want %q %q", tt.first, res.Main.Dateline, res.Main.Agency, tt.dateline, tt.agcy)
		}
	}
}

func TestTitleSite(t *testing.T) {
	for in, want := range map[string]string{
		"Harbour bridge reopens after repairs | The Coastal Ledger": "The Coastal Ledger",
		"Google Stadia review - WSJ":                                "WSJ",
		"Markets rally — Reuters":                                   "Reuters",
		"A headline without a site":                                 "",
		"Left - right - and centre: a long headline of a piece":     "",
	} {
		if got := titleSite(in); got != want {
			t.Errorf("titleSite(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormOutlet(t *testing.T) {
	for in, want := range map[string]string{
		"MAINICHI":        "Mainichi",
		"BBC":             "BBC",
		"Euronews":        "Euronews",
		"THE JAPAN TIMES": "The Japan Times",
		"ABC NEWS":        "ABC News",
		"EL PAÍS":         "El País",
		"France 24":       "France 24",
	} {
		if got := normOutlet(in); got != want {
			t.Errorf("normOutlet(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb\rc", "a\nb\nc"},
		{"a\x00b\x1bc", "a b c"},
		{"ok\xffno", "ok\uFFFDno"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextHostile feeds input a scraper can produce on a bad day; Text must
// return without panicking and keep Main.Text to lines of the input.
func TestTextHostile(t *testing.T) {
	sentence := "The committee said on Tuesday that the new rules would apply to all members from next year. "
	var many strings.Builder
	for i := 0; i < 100_000; i++ {
		if i%3 == 0 {
			many.WriteString(sentence)
		} else {
			many.WriteString("Menu item")
		}
		many.WriteByte('\n')
	}
	bin := make([]byte, 64<<10)
	for i := range bin {
		bin[i] = byte(i * 7919 >> 3)
	}
	tests := map[string]string{
		"empty":       "",
		"blank":       "\n\n \t\n",
		"binary":      string(bin),
		"invalid":     "\xff\xfe\xfd " + sentence + "\xc3\x28\n" + sentence,
		"long line":   strings.Repeat(sentence, 10<<20/len(sentence)),
		"100k lines":  many.String(),
		"no newlines": strings.Repeat("word ", 1000),
		"nul":         "\x00\x00\x00" + sentence,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			res := Text(in)
			checkLinesFromInput(t, in, res.Main.Text)
		})
	}
}

// checkLinesFromInput fails unless every paragraph of text is a line of
// the sanitised input.
func checkLinesFromInput(t *testing.T, in, text string) {
	t.Helper()
	if text == "" {
		return
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(Sanitize(in), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, p := range paras(text) {
		if !lines[p] {
			t.Fatalf("Main.Text paragraph is not an input line: %.80q", p)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, name := range []string{"chrome_en.txt", "chrome_es.txt", "chrome_zh.txt", "related_en.txt", "related_id.txt", "related_tail.txt", "dateline_de.txt", "source_url.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("")
	f.Add("\xff\x00\r\n\u2028TOKYO (AP) – x")
	f.Fuzz(func(t *testing.T, s string) {
		res := Text(s)
		checkLinesFromInput(t, s, res.Main.Text)
		for _, r := range res.Related {
			checkLinesFromInput(t, s, r.Text)
		}
	})
}

func TestMarkChrome(t *testing.T) {
	type flags struct{ chrome, related, caption, linky bool }
	tests := []struct {
		in   string
		want flags
	}{
		{"Share", flags{chrome: true}},
		{"komentar", flags{chrome: true}},
		{"ADVERTISEMENT", flags{chrome: true}},
		{"Download the app", flags{chrome: true}},
		{"Disclaimer: the views expressed are the author's own.", flags{chrome: true}},
		{"Keywords: NATO, Japan, defence", flags{chrome: true}},
		{"Facebook Twitter Email LinkedIn", flags{chrome: true}},
		{"Jadi yang pertama suka", flags{chrome: true}},
		{"3 hours ago", flags{chrome: true}},
		{"责任编辑：王明", flags{chrome: true}},
		{"Related Articles", flags{related: true}},
		{"Baca juga", flags{related: true}},
		{"Leia também", flags{related: true}},
		{"Читайте также", flags{related: true}},
		{"相关新闻", flags{related: true}},
		{"関連記事", flags{related: true}},
		{"اقرأ أيضا", flags{related: true}},
		{"Photo: John Smith/Reuters", flags{caption: true}},
		{"The mayor at the ceremony. (Jane Doe/Pool Photo via AP)", flags{caption: true}},
		{"Jane Doe/Reuters", flags{caption: true}},
		{"https://example.com/2025/04/08/story", flags{linky: true}},
		{"[https://img.example.com/a.jpg]", flags{linky: true}},
		{"harbour-bridge-reopens-01.jpg", flags{linky: true}},
		// Prose that shares words with chrome stays prose.
		{"He said share prices fell sharply on Monday after a weak report on earnings.", flags{}},
		{"The statement gave no comment on the matter, officials said on Tuesday.", flags{}},
		{"声明指出，该公司将在下个月公布新的计划，并继续与有关部门保持沟通，以确保项目顺利推进。", flags{}},
		{"Users must sign in to their accounts before the new rules take effect next month, the company said.", flags{}},
		// Headlines open with words that are chrome labels elsewhere.
		{"Search for missing hikers called off after storm", flags{}},
		{"Credit Suisse shares fall to record low", flags{}},
		{"Photos show flood damage across the north", flags{}},
		{"Tips from public led police to suspect", flags{}},
		// Sentences holding a chrome phrase stay prose.
		{"Tips: put exact phrases in quotes to narrow your search", flags{}},
		{"Jadi yang pertama di Asia Tenggara, Indonesia meluncurkan satelitnya sendiri tahun ini.", flags{}},
	}
	for _, tt := range tests {
		l := line{text: tt.in}
		analyse(&l)
		markChrome(&l)
		got := flags{l.chrome, l.related, l.caption, l.linky}
		if got != tt.want {
			t.Errorf("%q: got %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
