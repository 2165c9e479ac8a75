package lexicon

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMain(m *testing.M) {
	// Tests never write to the user's cache folder.
	dir, err := os.MkdirTemp("", "lexicon-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv(CacheEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func loadFixture(t testing.TB, langs ...string) *Lexicon {
	t.Helper()
	l, err := Load(context.Background(), "testdata", langs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestEnglishFixture(t *testing.T) {
	l := loadFixture(t, "de", "ar", "ru", "pl", "ja", "zh")
	tests := []struct {
		lang, word string
		want       []string
	}{
		// Grammar tags, domains, IPA and abbreviations are stripped.
		{"de", "regierung", []string{"government", "administration"}},
		{"de", "Regierung", []string{"government", "administration"}},
		{"DE", "REGIERUNG", []string{"government", "administration"}},
		// Inflected: shares "regierung" (9 of 11 letters).
		{"de", "regierungen", []string{"government", "administration"}},
		// Two entries: the longer (central) one leads.
		{"de", "gehen", []string{"go", "going"}},
		// Grammar-only sense lines are skipped; senses in order.
		{"de", "konflikt", []string{"conflict", "clash", "hostilities"}},
		{"de", "konflikts", []string{"conflict", "clash", "hostilities"}},
		// Two headwords share one body.
		{"de", "kanzler", []string{"federal chancellor", "chancellor"}},
		{"de", "bundeskanzler", []string{"federal chancellor", "chancellor"}},
		// Cognates first.
		{"de", "ministerium", []string{"ministry", "department"}},
		{"de", "nato", []string{"north atlantic treaty organization", "nato"}},
		// Phrases are not indexed; a too-short stem is not guessed.
		{"de", "mit jdm in konflikt geraten", nil},
		{"de", "geh", nil},
		{"de", "unbekannt", nil},
		// Arabic: vowel points and clitics.
		{"ar", "حكومة", []string{"government", "polity"}},
		{"ar", "حُكُومَة", []string{"government", "polity"}},
		{"ar", "والحكومة", []string{"government", "polity"}},
		{"ar", "الوزير", []string{"minister"}},
		{"ar", "الأمن", []string{"security", "safety"}},
		// Both directions agree on "president"; the reverse dictionary
		// adds a word the forward one lacks, with or without the article.
		{"ar", "رئيس", []string{"president", "corer", "major"}},
		{"ar", "الرئيس", []string{"president"}},
		{"ar", "زلزال", []string{"earthquake"}},
		// Russian only through the inverted English-Russian dictionary.
		{"ru", "хороший", []string{"good", "nice"}},
		{"ru", "правительство", []string{"government"}},
		{"ru", "правительства", []string{"government"}},
		{"ru", "Бухаресте", []string{"bucharest"}},
		{"ru", "встретить", []string{"come across"}},
		// WikDict layout: definitions in Polish are not translations.
		{"pl", "rząd", []string{"order", "government", "administration", "row"}},
		{"pl", "premier", []string{"prime minister"}},
		// Japanese, and Chinese served from its Han compounds.
		{"ja", "政府", []string{"government", "administration"}},
		{"ja", "せいふ", []string{"government", "administration"}},
		{"ja", "東京", []string{"tokyo"}},
		{"zh", "政府", []string{"government", "administration"}},
		{"zh", "せいふ", nil},          // kana is not Chinese
		{"zh", "政", nil},            // single characters are too ambiguous
		{"fr", "gouvernement", nil}, // not loaded
		{"de", "", nil},
	}
	for _, tt := range tests {
		if got := l.English(tt.lang, tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("English(%q, %q) = %q, want %q", tt.lang, tt.word, got, tt.want)
		}
	}
	if got := l.Langs(); !slices.Equal(got, []string{"ar", "de", "ja", "pl", "ru", "zh"}) {
		t.Errorf("Langs() = %q", got)
	}
	// Results are copies: changing one must not change the next.
	got := l.English("de", "gehen")
	got[0] = "x"
	if again := l.English("de", "gehen"); again[0] != "go" {
		t.Errorf("cached result was modified: %q", again)
	}
}

func TestLoadMissing(t *testing.T) {
	ctx := context.Background()
	l, err := Load(ctx, "testdata", []string{"de", "xx", "zh", "en", "de", ""})
	if err != nil {
		t.Fatal(err)
	}
	// zh borrows from the Japanese dictionary even when ja is not asked for.
	if got := l.Langs(); !slices.Equal(got, []string{"de", "zh"}) {
		t.Errorf("Langs() = %q, want [de zh]", got)
	}
	if got := l.English("zh", "東京"); !slices.Equal(got, []string{"tokyo"}) {
		t.Errorf("English(zh, 東京) = %q", got)
	}
	empty, err := Load(ctx, t.TempDir(), []string{"de", "fr"})
	if err != nil || empty == nil {
		t.Fatalf("Load(empty dir) = %v, %v; want a usable empty Lexicon", empty, err)
	}
	if got := empty.English("de", "regierung"); got != nil || len(empty.Langs()) != 0 {
		t.Errorf("empty Lexicon gave %q, langs %q", got, empty.Langs())
	}
	if err := empty.Preload(ctx); err != nil {
		t.Error(err)
	}
	var nilLex *Lexicon
	if nilLex.English("de", "x") != nil || nilLex.Langs() != nil || nilLex.Preload(ctx) != nil {
		t.Error("nil Lexicon is not empty")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Load(cctx, "testdata", []string{"de"}); err == nil {
		t.Error("Load with a cancelled context succeeded")
	}
}

func TestCorruptDictionary(t *testing.T) {
	dir := t.TempDir()
	idx, _ := os.ReadFile("testdata/freedict-deu-eng.index")
	os.WriteFile(filepath.Join(dir, "freedict-deu-eng.index"), idx, 0o644)
	// Valid gzip header, truncated data: must load what it can, never panic.
	dz, _ := os.ReadFile("testdata/freedict-deu-eng.dict.dz")
	os.WriteFile(filepath.Join(dir, "freedict-deu-eng.dict.dz"), dz[:len(dz)/2], 0o644)
	l, err := Load(context.Background(), dir, []string{"de"})
	if err != nil {
		t.Fatal(err)
	}
	_ = l.English("de", "regierung")
	_ = l.English("de", "nato") // beyond the truncation
	_ = l.Preload(context.Background())
}

// TestDictBodyRandomAccess reads every entry of the dictzip fixtures by
// chunk and compares with a plain gzip decompression of the whole file.
func TestDictBodyRandomAccess(t *testing.T) {
	for _, name := range []string{"freedict-deu-eng", "freedict-pol-eng", "freedict-ara-eng"} {
		base := filepath.Join("testdata", name)
		f, err := os.Open(base + ".dict.dz")
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatalf("%s: not valid gzip: %v", name, err)
		}
		body, err := openDictBody(base + ".dict.dz")
		if err != nil {
			t.Fatal(err)
		}
		if name != "freedict-ara-eng" && body.chunkOffs == nil {
			t.Errorf("%s: RA chunk table not found", name)
		}
		es, err := readIndex(base + ".index")
		if err != nil {
			t.Fatal(err)
		}
		// Backwards, to defeat the one-chunk cache.
		for i := len(es) - 1; i >= 0; i-- {
			e := es[i]
			got, err := body.readAt(nil, e.off, e.size)
			if err != nil {
				t.Fatalf("%s %q: %v", name, e.word, err)
			}
			if want := whole[e.off : e.off+e.size]; string(got) != string(want) {
				t.Errorf("%s %q: got %q, want %q", name, e.word, got, want)
			}
		}
		if _, err := body.readAt(nil, int64(len(whole)), 10); err == nil {
			t.Errorf("%s: read beyond the end succeeded", name)
		}
		body.Close()
	}
}

func TestParseBody(t *testing.T) {
	tests := []struct {
		body    string
		wikdict bool
		want    []string
	}{
		{"x /a/\n1. Aduncous\n2. Adunque\n", false, []string{"aduncous", "adunque"}},
		{"x\n1. (noun (common) (futsuumeishi))\nlength and width, lengthwise\n2. {経緯・3}warp and weft\n", false,
			[]string{"length and width", "lengthwise", "warp and weft"}},
		{"x\n(expressions (phrases, clauses, etc.))\n (Godan verb with `su' ending)\nto miss a chance, to miss an opportunity\n", false,
			[]string{"miss a chance", "miss an opportunity"}},
		{"x\n [computer terminology] qualified data-name\n", false, []string{"qualified data-name"}},
		{"x\nplace/spot <n>, reach as far as <v>\n   Synonyms: {a}\n", false,
			[]string{"place", "spot", "reach as far as"}},
		{"x\n  kaszmir\n", false, []string{"kaszmir"}},
		{"x\nI.  <Adv>  z boku, na bok\nII.  <Adj>  boczny\n", false, []string{"z boku", "na bok", "boczny"}},
		{"x\n1. (bak.) burr.\n", false, nil},
		{"x\nthis is a long definition rather than a translation\n", false, nil},
		{"x\nmenyelesaikan, merampungkan 2.\nto finish\n 3.\nto make whole\n", true, []string{"menyelesaikan", "merampungkan"}},
		{"only a headword", false, nil},
		{"", false, nil},
	}
	for _, tt := range tests {
		if got := parseBody(tt.body, tt.wikdict); !slices.Equal(got, tt.want) {
			t.Errorf("parseBody(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestDictdB64(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"A", 0, true}, {"B", 1, true}, {"b", 27, true}, {"/", 63, true},
		{"BA", 64, true}, {"Bx", 113, true}, {"", 0, false}, {"!", 0, false},
		{"AAAAAAAAAAA", 0, false},
	}
	for _, tt := range tests {
		got, ok := dictdB64(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("dictdB64(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if tt.ok && b64(int(tt.want)) != strings.TrimLeft(tt.in, "A") && tt.want != 0 {
			t.Errorf("b64(%d) = %q, want %q", tt.want, b64(int(tt.want)), tt.in)
		}
	}
}

func FuzzParseIndexLine(f *testing.F) {
	f.Add("gehen\tDC\tCX")
	f.Add("\tA\tB")
	f.Add("a\tb\tc\td")
	f.Fuzz(func(t *testing.T, line string) {
		e, ok := parseIndexLine(line)
		if ok && (e.off < 0 || e.size <= 0) {
			t.Fatalf("parseIndexLine(%q) = %+v", line, e)
		}
	})
}

func FuzzParseBody(f *testing.F) {
	for _, fx := range fixtures {
		for _, e := range fx.entries {
			f.Add(e.body, false)
		}
	}
	f.Add("x\n1. a 2.\n 3.\n", true)
	f.Add("x\n((((\n)))]]]>>>\n", false)
	f.Fuzz(func(t *testing.T, body string, wikdict bool) {
		for _, tr := range parseBody(body, wikdict) {
			if tr == "" || strings.ContainsAny(tr, "\x00,;") || !utf8.ValidString(tr) && utf8.ValidString(body) {
				t.Fatalf("parseBody(%q) gave %q", body, tr)
			}
			if len(strings.Fields(tr)) > maxWordsPerTranslation {
				t.Fatalf("parseBody(%q) gave a definition %q", body, tr)
			}
		}
	})
}

// FuzzDictBody opens hostile .dict.dz files: errors are fine, panics and
// hangs are not.
func FuzzDictBody(f *testing.F) {
	dz, _ := os.ReadFile("testdata/freedict-deu-eng.dict.dz")
	f.Add(dz, int64(0), int64(100))
	f.Add(dz[:40], int64(10), int64(10))
	f.Add([]byte{0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, 10, 0, 'R', 'A', 6, 0, 1, 0, 0, 0, 0, 0}, int64(0), int64(1))
	f.Fuzz(func(t *testing.T, data []byte, off, size int64) {
		p := filepath.Join(t.TempDir(), "x.dict.dz")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		b, err := openDictBody(p)
		if err != nil {
			return
		}
		defer b.Close()
		_, _ = b.readAt(nil, off, min(max(size, -1), 1<<16))
	})
}

// Real dictionaries, as installed from /work/main/.ci/apt-packages.
var realChecks = []struct{ lang, word, want string }{
	{"de", "regierung", "government"},
	{"de", "bundeskanzlers", "chancellor"},
	{"es", "gobierno", "government"},
	{"fr", "gouvernement", "government"},
	{"es", "guerra", "war"},
	{"it", "governo", "government"},
	{"pt", "governo", "government"},
	{"pl", "rząd", "government"},
	{"ar", "الحكومة", "government"},
	{"ar", "والحكومة", "government"},
	{"ru", "правительство", "government"},
	{"tr", "hükümet", "government"},
	{"ja", "政府", "government"},
	{"ja", "東京", "tokyo"},
	{"zh", "政府", "government"},
	{"zh", "警察", "police"},
	{"id", "pemerintah", "government"},
}

func TestRealDictionaries(t *testing.T) {
	if _, err := os.Stat(filepath.Join(DefaultDir, "freedict-deu-eng.index")); err != nil {
		t.Skipf("skipping: FreeDict dictionaries not installed in %s (see .ci/apt-packages)", DefaultDir)
	}
	langs := []string{"ar", "de", "es", "fr", "it", "pl", "ru", "tr", "pt", "zh", "id", "ja"}
	l, err := Load(context.Background(), DefaultDir, langs)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Preload(context.Background()); err != nil {
		t.Errorf("Preload: %v", err)
	}
	have := map[string]bool{}
	for _, lang := range l.Langs() {
		have[lang] = true
		d := l.dicts[lang]
		if d.borrow != nil {
			t.Logf("%s: served from %s", lang, d.borrow.lang)
			continue
		}
		keys := map[string]bool{}
		for _, tab := range []*table{&d.tab, &d.revTab} {
			for i := range tab.len() {
				keys[tab.key(i)] = true
			}
		}
		n := len(keys)
		t.Logf("%s: %d headwords (%d from %d XXX→eng, %d from %d eng→XXX)",
			lang, n, d.tab.len(), len(d.fwd), d.revTab.len(), len(d.rev))
		if n < 1000 {
			t.Errorf("%s: only %d headwords", lang, n)
		}
	}
	for _, c := range realChecks {
		if !have[c.lang] {
			t.Logf("%s not installed", c.lang)
			continue
		}
		got := l.English(c.lang, c.word)
		if !slices.Contains(got, c.want) {
			t.Errorf("English(%q, %q) = %q, want it to include %q", c.lang, c.word, got, c.want)
		}
	}
}

// BenchmarkLoad loads every installed dictionary of the languages the
// pipeline uses, parsing them (parse) or from a warm cache (cached), and
// reports the heap they keep.
func BenchmarkLoad(b *testing.B) {
	if _, err := os.Stat(filepath.Join(DefaultDir, "freedict-deu-eng.index")); err != nil {
		b.Skipf("skipping: FreeDict dictionaries not installed in %s", DefaultDir)
	}
	b.Run("parse", func(b *testing.B) {
		b.Setenv(CacheEnv, "off")
		benchmarkLoad(b)
	})
	b.Run("cached", func(b *testing.B) {
		b.Setenv(CacheEnv, b.TempDir())
		l, _ := Load(context.Background(), DefaultDir, benchLangs)
		l.Preload(context.Background()) // fills the cache
		benchmarkLoad(b)
	})
}

var benchLangs = []string{"ar", "de", "es", "fr", "it", "pl", "ru", "tr", "pt", "zh", "id", "ja"}

func benchmarkLoad(b *testing.B) {
	langs := benchLangs
	var heap float64
	b.ReportAllocs()
	for b.Loop() {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		l, err := Load(context.Background(), DefaultDir, langs)
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Preload(context.Background()); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		heap = float64(m1.HeapAlloc) - float64(m0.HeapAlloc)
		runtime.KeepAlive(l)
	}
	b.ReportMetric(heap/1e6, "MB-kept")
}

// BenchmarkEnglish looks up distinct words in the German dictionary with a
// cold cache; most are misses that go through the stem search.
func BenchmarkEnglish(b *testing.B) {
	if _, err := os.Stat(filepath.Join(DefaultDir, "freedict-deu-eng.index")); err != nil {
		b.Skipf("skipping: FreeDict dictionaries not installed in %s", DefaultDir)
	}
	l, err := Load(context.Background(), DefaultDir, []string{"de"})
	if err != nil {
		b.Fatal(err)
	}
	l.Preload(context.Background())
	d := l.dicts["de"]
	words := make([]string, 0, 4096)
	for i := 0; i < d.tab.len() && len(words) < cap(words); i += d.tab.len() / cap(words) {
		words = append(words, d.tab.key(i)+"s") // mostly misses: exercises the stem search too
	}
	found := 0
	i := 0
	for b.Loop() {
		if i == len(words) {
			d.mu.Lock()
			clear(d.cache)
			d.mu.Unlock()
			i = 0
		}
		if l.English("de", words[i]) != nil {
			found++
		}
		i++
	}
	b.ReportMetric(float64(found)/float64(b.N), "found/op")
}

func FuzzEnglish(f *testing.F) {
	l := loadFixture(f, "de", "ar", "ru", "pl")
	for _, w := range []string{"regierungen", "والحكومة", "Бухаресте", "a", "ال", "\x00", "ＲＥＧＩＥＲＵＮＧ"} {
		f.Add("de", w)
		f.Add("ar", w)
	}
	f.Fuzz(func(t *testing.T, lang, word string) {
		got := l.English(lang, word)
		if len(got) > MaxTranslations {
			t.Fatalf("English(%q, %q) = %q: too many", lang, word, got)
		}
		for _, tr := range got {
			if tr == "" || tr != strings.ToLower(tr) {
				t.Fatalf("English(%q, %q) = %q", lang, word, got)
			}
		}
	})
}

func TestCache(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(CacheEnv, dir)
	l := loadFixture(t, "de", "ru")
	want := l.English("de", "regierung")
	l.English("ru", "хороший")
	files, _ := filepath.Glob(filepath.Join(dir, "*.bin"))
	if len(files) != 2 {
		t.Fatalf("cache files %q, want one per language", files)
	}
	// A second process reads the cache: same answers.
	if got := loadFixture(t, "de").English("de", "regierung"); !slices.Equal(got, want) {
		t.Errorf("from cache: %q, want %q", got, want)
	}
	// The cache is really used: plant a value in it.
	path := cachePath("de", []string{filepath.Join("testdata", "freedict-deu-eng")})
	planted := newTable([]string{"regierung"}, []string{"planted"})
	if err := os.WriteFile(path, encodeTables(planted, table{}), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := loadFixture(t, "de").English("de", "regierung"); !slices.Equal(got, []string{"planted"}) {
		t.Errorf("planted cache not read: %q (path %s, files %q)", got, path, files)
	}
	// A corrupt cache is ignored and rewritten.
	if err := os.WriteFile(path, []byte(cacheMagic+"garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := loadFixture(t, "de").English("de", "regierung"); !slices.Equal(got, want) {
		t.Errorf("with a corrupt cache: %q, want %q", got, want)
	}
	if _, _, ok := readCache(path); !ok {
		t.Error("corrupt cache was not rewritten")
	}
	// Disabled.
	t.Setenv(CacheEnv, "off")
	if p := cachePath("de", []string{filepath.Join("testdata", "freedict-deu-eng")}); p != "" {
		t.Errorf("cache off, path %q", p)
	}
}

func FuzzDecodeTables(f *testing.F) {
	f.Add(encodeTables(newTable([]string{"a", "b"}, []string{"x\x00y", ""}), table{}))
	f.Add(encodeTables(table{}, newTable([]string{"к"}, []string{"k"})))
	f.Add([]byte(cacheMagic + "\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := decodeTables(data, 2)
		if err != nil {
			return
		}
		if again := encodeTables(ts...); !bytes.Equal(again, data) {
			t.Fatalf("decode/encode round trip differs")
		}
	})
}
