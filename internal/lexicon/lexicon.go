// Package lexicon looks up English translations of words in other
// languages, from the FreeDict bilingual dictionaries that Debian installs
// for dictd (packages dict-freedict-XXX-eng and dict-freedict-eng-XXX, GPL
// data read at run time from /usr/share/dictd, never copied into the
// repository).
//
// A language is loaded on its first lookup (or by Preload): the index is
// read, every entry body is parsed once in file order, and only the
// headword and its few most useful translations are kept. The parsed form
// is cached under the user's cache folder (see CacheEnv), so that later
// processes load it in milliseconds. English→XXX dictionaries are
// inverted to cover languages without an XXX→English one (Russian,
// Indonesian) and to fill gaps in small ones.
package lexicon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/translit"
)

// DefaultDir is where Debian's dictd packages put their files.
const DefaultDir = "/usr/share/dictd"

// MaxTranslations caps the translations kept per headword.
const MaxTranslations = 4

// iso3 maps ISO 639-1 codes to the ISO 639-3 codes FreeDict names files
// with; several candidates are tried in order.
var iso3 = map[string][]string{
	"af": {"afr"}, "ar": {"ara"}, "bg": {"bul"}, "ca": {"cat"}, "cs": {"ces"},
	"cy": {"cym"}, "da": {"dan"}, "de": {"deu"}, "el": {"ell"}, "eo": {"epo"},
	"es": {"spa"}, "eu": {"eus"}, "fa": {"fas", "pes"}, "fi": {"fin"},
	"fr": {"fra"}, "ga": {"gle"}, "gl": {"glg"}, "he": {"heb"}, "hi": {"hin"},
	"hr": {"hrv"}, "hu": {"hun"}, "id": {"ind"}, "is": {"isl"}, "it": {"ita"},
	"ja": {"jpn"}, "ko": {"kor"}, "la": {"lat"}, "lt": {"lit"}, "ms": {"msa", "zsm"},
	"nl": {"nld"}, "no": {"nor", "nob"}, "nb": {"nob", "nor"}, "pl": {"pol"},
	"pt": {"por"}, "ro": {"ron", "rum"}, "ru": {"rus"}, "sk": {"slk"},
	"sl": {"slv"}, "sr": {"srp"}, "sv": {"swe"}, "sw": {"swh", "swa"},
	"th": {"tha"}, "tr": {"tur"}, "uk": {"ukr"}, "vi": {"vie"},
	"zh": {"zho", "cmn"},
}

// Lexicon holds the dictionaries of a set of languages. Its methods are
// safe for concurrent use. A nil *Lexicon has no translations.
type Lexicon struct {
	dir   string
	langs []string
	dicts map[string]*langDict
}

// langDict is one language's dictionaries, loaded on first use.
type langDict struct {
	lang     string
	fwd, rev []string // base paths (no extension) of XXX→eng and eng→XXX
	once     sync.Once
	err      error

	tab    table // headword → ranked translations, from XXX→eng
	revTab table // foreign word → ranked English headwords, from eng→XXX

	// borrow, when set, serves this language from another one's tables,
	// for Han-only words (see borrowHan).
	borrow *langDict

	mu    sync.Mutex
	cache map[string][]string // looked-up key → result, nil for none
}

// maxCache bounds each language's lookup cache; it is simply emptied
// when full. 4,096 rather than 16,384: on the generated 14-language stream
// the larger caches held 57 MB of the live heap at 200k articles, and the
// smaller took 21 MB off it at 20k for no CPU measured (7.92 and 7.89 ms
// an article, `storyline bench --articles 20000 --days 7`, run in turn):
// a lookup is cheap, and the words that repeat most stay cached.
const maxCache = 1 << 12

// Load finds the dictionaries of langs (ISO 639-1 codes) in dir. A
// language without any dictionary is left out with a logged warning; with
// none at all, Load returns a usable empty Lexicon. Dictionaries are read
// and parsed lazily, on the first lookup of their language (see Preload).
func Load(ctx context.Context, dir string, langs []string) (*Lexicon, error) {
	l := &Lexicon{dir: dir, dicts: map[string]*langDict{}}
	var missing []string
	for _, lang := range langs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("lexicon %s: %w", dir, err)
		}
		lang = strings.ToLower(strings.TrimSpace(lang))
		if lang == "" || lang == "en" || l.dicts[lang] != nil {
			continue
		}
		codes := iso3[lang]
		if len(codes) == 0 && len(lang) == 3 {
			codes = []string{lang}
		}
		d := &langDict{lang: lang}
		for _, c := range codes {
			if b := filepath.Join(dir, "freedict-"+c+"-eng"); dictFiles(b) {
				d.fwd = append(d.fwd, b)
			}
		}
		for _, c := range codes {
			// A large English→XXX dictionary (English-German: 11 MB of
			// index) would double the load for little gain where an
			// XXX→English one exists.
			if b := filepath.Join(dir, "freedict-eng-"+c); dictFiles(b) && (len(d.fwd) == 0 || fileSize(b+".index") < maxReverseIndex) {
				d.rev = append(d.rev, b)
			}
		}
		if len(d.fwd)+len(d.rev) == 0 {
			missing = append(missing, lang)
			continue
		}
		l.dicts[lang] = d
		l.langs = append(l.langs, lang)
	}
	if i := slices.Index(missing, "zh"); i >= 0 && l.borrowHan(dir) {
		missing = slices.Delete(missing, i, i+1)
	}
	sort.Strings(l.langs)
	if len(missing) > 0 {
		slog.Debug("lexicon: no dictionary for some languages; install dict-freedict-XXX-eng",
			"dir", dir, "missing", missing, "found", l.langs)
	}
	if len(l.langs) == 0 && len(langs) > 0 {
		slog.Warn("lexicon: no dictionaries found; cross-language lookups disabled", "dir", dir)
	}
	return l, nil
}

// borrowHan serves Chinese from the Japanese-English dictionary when no
// Chinese one exists (Debian has none): Han-only headwords of two or more
// characters, the compounds the two languages share (政府 government,
// 警察 police, 病毒 virus). On the SemEval dev pairs they cover about a
// fifth of the Chinese Han characters. Simplified forms that Japanese
// writes otherwise (经济/経済) and false friends (故事, 手纸) are the
// price; lookups are exact, without stem search.
func (l *Lexicon) borrowHan(dir string) bool {
	ja := l.dicts["ja"]
	if ja == nil {
		b := filepath.Join(dir, "freedict-jpn-eng")
		if !dictFiles(b) {
			return false
		}
		ja = &langDict{lang: "ja", fwd: []string{b}}
	}
	l.dicts["zh"] = &langDict{lang: "zh", borrow: ja}
	l.langs = append(l.langs, "zh")
	slog.Debug("lexicon: no Chinese-English dictionary; using Han compounds of Japanese-English", "dir", dir)
	return true
}

// maxReverseIndex is the largest English→XXX index inverted next to an
// XXX→English dictionary.
const maxReverseIndex = 4 << 20

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// dictFiles reports whether base.index and base.dict(.dz) exist.
func dictFiles(base string) bool {
	if _, err := os.Stat(base + ".index"); err != nil {
		return false
	}
	for _, ext := range []string{".dict.dz", ".dict"} {
		if _, err := os.Stat(base + ext); err == nil {
			return true
		}
	}
	return false
}

func dictPath(base string) string {
	if _, err := os.Stat(base + ".dict.dz"); err == nil {
		return base + ".dict.dz"
	}
	return base + ".dict"
}

// Langs returns the languages with at least one dictionary, sorted.
func (l *Lexicon) Langs() []string {
	if l == nil {
		return nil
	}
	return slices.Clone(l.langs)
}

// Preload reads every language's dictionaries now rather than on first
// lookup, and returns the errors met (such a language is then left without
// translations, as a lazy load would).
func (l *Lexicon) Preload(ctx context.Context) error {
	if l == nil {
		return nil
	}
	// Languages load independently; a worker per CPU shortens the wait.
	langs := make(chan string)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(l.langs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lang := range langs {
				l.dicts[lang].load()
			}
		}()
	}
	var err error
	for _, lang := range l.langs {
		if err = ctx.Err(); err != nil {
			break
		}
		langs <- lang
	}
	close(langs)
	wg.Wait()
	if err != nil {
		return err
	}
	var errs []error
	for _, lang := range l.langs {
		if d := l.dicts[lang]; d.err != nil {
			errs = append(errs, d.err)
		}
	}
	return errors.Join(errs...)
}

// English returns up to MaxTranslations lowercased English translations of
// a word of language lang, most useful first, or nil.
//
// A word missing from the dictionary is tried, in order: without Arabic
// proclitics (و ف ب ك ل and the article ال, as in والحكومة); then as the
// shortest headword that shares with it a prefix of at least 60% of the
// word (and at least 4 letters, 2 for Han and kana) and adds at most two
// letters to that prefix, longest prefix first. This catches most
// inflection by suffix (Regierungen → regierung, правительства →
// правительство, ministros → ministro) at the price of an occasional wrong
// stem.
func (l *Lexicon) English(lang, word string) []string {
	if l == nil {
		return nil
	}
	d := l.dicts[strings.ToLower(lang)]
	if d == nil {
		return nil
	}
	d.load()
	k := normWord(strings.ToLower(word))
	if k == "" || len(k) > 256 {
		return nil
	}
	d.mu.Lock()
	res, ok := d.cache[k]
	d.mu.Unlock()
	if ok {
		return slices.Clone(res)
	}
	res = d.lookup(k)
	d.mu.Lock()
	if len(d.cache) >= maxCache {
		clear(d.cache)
	}
	d.cache[k] = res
	d.mu.Unlock()
	return slices.Clone(res)
}

func (d *langDict) lookup(k string) []string {
	if d.borrow != nil {
		n := 0
		for _, r := range k {
			if !unicode.Is(unicode.Han, r) {
				return nil
			}
			n++
		}
		if n < 2 {
			return nil
		}
		return d.borrow.exact(k)
	}
	if res := d.exact(k); res != nil {
		return res
	}
	cands := []string{k}
	if d.lang == "ar" || d.lang == "fa" || d.lang == "ur" {
		cands = append(cands, stripArabicClitics(k)...)
		for _, c := range cands[1:] {
			if res := d.exact(c); res != nil {
				return res
			}
		}
	}
	for _, c := range cands {
		if s := d.stem(c); s != "" {
			if res := d.exact(s); res != nil {
				return res
			}
		}
	}
	return nil
}

// exact ranks the translations of headword k: forward entries first (see
// rankForward), then English headwords of reverse entries, up to
// MaxTranslations.
func (d *langDict) exact(k string) []string {
	var out []string
	if v, ok := d.tab.get(k); ok {
		out = split(v)
	}
	nf := len(out)
	if v, ok := d.revTab.get(k); ok {
		var agreed []string
		for _, t := range split(v) {
			if i := slices.Index(out[:nf], t); i >= 0 {
				agreed = append(agreed, t)
			} else if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		// Translations both directions agree on go first (Arabic رئيس:
		// "president", not the forward list's "corer").
		slices.SortStableFunc(out, func(a, b string) int {
			ia, ib := slices.Contains(agreed, a), slices.Contains(agreed, b)
			switch {
			case ia && !ib:
				return -1
			case ib && !ia:
				return 1
			}
			return 0
		})
	}
	if len(out) == 0 {
		return nil
	}
	cognatesFirst(k, out)
	return slices.Clip(out[:min(len(out), MaxTranslations)])
}

// cognatesFirst moves translations that look like the word itself
// (gouvernement → government, governo → government) to the front, keeping
// order otherwise: news vocabulary is rich in such cognates, and they are
// what cross-language matching needs most.
func cognatesFirst(word string, trs []string) {
	kw := translit.Key(word)
	if len(kw) < 3 {
		return
	}
	cognate := func(t string) bool {
		if strings.Contains(t, " ") {
			return false
		}
		kt := translit.Key(t)
		n := 0
		for n < len(kw) && n < len(kt) && kw[n] == kt[n] {
			n++
		}
		return n >= 4 || (n >= 3 && n == len(kw) && n == len(kt))
	}
	slices.SortStableFunc(trs, func(a, b string) int {
		ca, cb := cognate(a), cognate(b)
		switch {
		case ca && !cb:
			return -1
		case cb && !ca:
			return 1
		}
		return 0
	})
}

// stem finds the headword for an inflected form (see English), or "".
func (d *langDict) stem(k string) string {
	rs := []rune(k)
	n := len(rs)
	minStem := 4
	if isHanOrKana(rs[0]) {
		minStem = 2
	}
	for m := n; m >= max(minStem, (6*n+9)/10); m-- {
		p := string(rs[:m])
		best, bestLen := "", 0
		consider := func(h string) {
			kl := utf8.RuneCountInString(h)
			if h != k && kl <= m+2 && (best == "" || kl < bestLen || kl == bestLen && h < best) {
				best, bestLen = h, kl
			}
		}
		d.tab.withPrefix(p, 64, consider)
		d.revTab.withPrefix(p, 64, consider)
		if best != "" {
			return best
		}
	}
	return ""
}

func split(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, "\x00")
}

func isHanOrKana(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// arabicClitics are stripped longest first; the remainder must keep two
// letters.
var arabicClitics = []string{"وبال", "فبال", "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك"}

func stripArabicClitics(k string) []string {
	var out []string
	for _, p := range arabicClitics {
		if rest, ok := strings.CutPrefix(k, p); ok && utf8.RuneCountInString(rest) >= 2 {
			out = append(out, rest)
			// و + ال: try the article-less form as well.
			if r2, ok := strings.CutPrefix(rest, "ال"); ok && utf8.RuneCountInString(r2) >= 2 {
				out = append(out, r2)
			}
		}
	}
	return out
}

func (d *langDict) load() {
	if d.borrow != nil {
		d.once.Do(func() {
			d.cache = map[string][]string{}
			d.borrow.load()
			d.err = d.borrow.err
		})
		return
	}
	d.once.Do(func() {
		start := time.Now()
		d.cache = map[string][]string{}
		cpath := cachePath(d.lang, append(slices.Clone(d.fwd), d.rev...))
		if fwd, rev, ok := readCache(cpath); ok {
			d.tab, d.revTab = fwd, rev
			slog.Debug("lexicon: loaded from cache", "lang", d.lang, "headwords", d.tab.len(),
				"reverse", d.revTab.len(), "took", time.Since(start).Round(time.Millisecond))
			return
		}
		var errs []error
		var frs []rec
		for _, b := range d.fwd {
			rs, err := readDict(b, false)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			frs = append(frs, rs...)
		}
		d.tab = mergeForward(frs)
		var rrs []rec
		for _, b := range d.rev {
			rs, err := readDict(b, true)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			rrs = append(rrs, rs...)
		}
		if d.lang == "ar" {
			// English→Arabic gives nouns with the article (الرئيس);
			// index the bare form too, one rank lower.
			for _, r := range rrs {
				if rest, ok := strings.CutPrefix(r.key, "ال"); ok && utf8.RuneCountInString(rest) >= 2 {
					rrs = append(rrs, rec{key: rest, val: r.val, rank: r.rank + 1})
				}
			}
		}
		d.revTab = mergeReverse(rrs)
		if len(errs) > 0 {
			d.err = errors.Join(errs...)
			slog.Warn("lexicon: dictionary unusable", "lang", d.lang, "err", d.err)
		} else {
			writeCache(cpath, d.tab, d.revTab)
		}
		slog.Debug("lexicon: loaded", "lang", d.lang, "headwords", d.tab.len(),
			"reverse", d.revTab.len(), "took", time.Since(start).Round(time.Millisecond))
	})
}

// table maps sorted keys to values. Keys and values live in two arenas,
// the end of the i-th in koff[i] and voff[i]: 8 bytes per headword rather
// than two string headers.
type table struct {
	keys, vals string
	koff, voff []uint32
}

func (t *table) len() int { return len(t.koff) }

func (t *table) key(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.koff[i-1]
	}
	return t.keys[start:t.koff[i]]
}

func (t *table) val(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.voff[i-1]
	}
	return t.vals[start:t.voff[i]]
}

func (t *table) search(k string) int {
	return sort.Search(t.len(), func(i int) bool { return t.key(i) >= k })
}

func (t *table) get(k string) (string, bool) {
	i := t.search(k)
	if i == t.len() || t.key(i) != k {
		return "", false
	}
	return t.val(i), true
}

// withPrefix calls fn on up to limit keys starting with p.
func (t *table) withPrefix(p string, limit int, fn func(string)) {
	i := t.search(p)
	for j := i; j < t.len() && j < i+limit && strings.HasPrefix(t.key(j), p); j++ {
		fn(t.key(j))
	}
}

// rec is one parsed entry: for a forward dictionary a headword and its
// translations (NUL-joined); for a reverse one a foreign word and one
// English headword that lists it.
type rec struct {
	key  string
	val  string
	blen int32 // forward: body length, a longer entry is a more central sense
	rank int32 // reverse: position of the word among the entry's translations
}

// readDict parses a whole dictionary, reading bodies in file order so that
// each dictzip chunk is inflated once. Forward headwords with spaces
// (phrases) are skipped: lookups are by word. A reverse dictionary is
// inverted on its single-word translations.
func readDict(base string, reverse bool) ([]rec, error) {
	es, err := readIndex(base + ".index")
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: %w", base, err)
	}
	body, err := openDictBody(dictPath(base))
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: %w", base, err)
	}
	defer body.Close()
	wikdict := false
	kept := es[:0]
	for _, e := range es {
		if strings.HasPrefix(e.word, "00database") || strings.HasPrefix(e.word, "00-database") {
			if strings.Contains(e.word, "info") || strings.Contains(e.word, "short") {
				if b, err := body.readAt(nil, e.off, e.size); err == nil && bytes.Contains(b, []byte("WikDict")) {
					wikdict = true
				}
			}
			continue
		}
		if reverse {
			e.word = strings.ToLower(strings.TrimSpace(e.word))
		} else {
			e.word = normWord(strings.ToLower(e.word))
		}
		if e.word == "" || len(e.word) > 64 || (!reverse && strings.Contains(e.word, " ")) {
			continue
		}
		kept = append(kept, e)
	}
	// Bodies are read in file order, each dictzip chunk inflated once, but
	// forward records are stored in index order: the index is (nearly)
	// sorted by headword already, which makes the merge's sort cheap.
	order := make([]int32, len(kept))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		ea, eb := kept[a], kept[b]
		switch {
		case ea.off < eb.off:
			return -1
		case ea.off > eb.off:
			return 1
		}
		return int(a - b)
	})
	var fwd []rec
	if !reverse {
		fwd = make([]rec, len(kept))
	}
	// Large dictzip files are parsed by a worker per CPU, each on its own
	// file handle and its own run of chunks.
	workers := 1
	if body.chunkOffs != nil && len(order) > 20000 {
		workers = max(1, min(runtime.GOMAXPROCS(0), 4))
	}
	type result struct {
		out  []rec
		read bool
		err  error
	}
	results := make([]result, workers)
	var wg sync.WaitGroup
	for w := range workers {
		seg := order[w*len(order)/workers : (w+1)*len(order)/workers]
		b := body
		if w > 0 {
			if b, err = openDictBody(dictPath(base)); err != nil {
				results[w].err = err
				continue
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w > 0 {
				defer b.Close()
			}
			r := &results[w]
			r.out, r.read, r.err = parseEntries(b, kept, seg, reverse, wikdict, fwd)
		}()
	}
	wg.Wait()
	var out []rec
	anyRead := false
	for _, r := range results {
		out = append(out, r.out...)
		anyRead = anyRead || r.read
		if r.err != nil {
			if !anyRead {
				return nil, fmt.Errorf("lexicon %s: %w", base, r.err)
			}
			// Keep what was read: a truncated file still helps.
			slog.Warn("lexicon: dictionary truncated", "dict", base, "err", r.err)
		}
	}
	if reverse {
		return out, nil
	}
	out = fwd[:0]
	for _, r := range fwd {
		if r.val != "" {
			out = append(out, r)
		}
	}
	return out, nil
}

// parseEntries parses the bodies of kept[order...], which are in file
// order. Forward records go to fwd at their index position; reverse ones
// are returned. It stops at the first unreadable body.
func parseEntries(body *dictBody, kept []indexEntry, order []int32, reverse, wikdict bool, fwd []rec) (out []rec, read bool, err error) {
	var buf []byte
	var lastOff, lastSize int64 = -1, -1
	var lastVal string
	var lastTrs []string
	for _, oi := range order {
		e := kept[oi]
		if e.off != lastOff || e.size != lastSize {
			buf, err = body.readAt(buf[:0], e.off, e.size)
			if err != nil {
				return out, read, fmt.Errorf("entry %q: %w", e.word, err)
			}
			read = true
			lastOff, lastSize = e.off, e.size
			lastTrs = parseBodyBytes(buf, wikdict)
			lastVal = strings.Join(lastTrs, "\x00")
		}
		if len(lastTrs) == 0 {
			continue
		}
		if !reverse {
			fwd[oi] = rec{key: e.word, val: lastVal, blen: int32(min(e.size, math.MaxInt32)), rank: oi}
			continue
		}
		for i, t := range lastTrs {
			k := normWord(t)
			if k == "" || strings.Contains(k, " ") {
				continue
			}
			out = append(out, rec{key: k, val: e.word, rank: int32(i)})
		}
	}
	return out, read, nil
}

// tableBuilder packs keys and values into two arenas so that a loaded
// dictionary is a few large allocations, not millions of small ones.
type tableBuilder struct {
	keys, vals   []byte
	koffs, voffs []uint32
}

// grow reserves room for recs' keys and values at most.
func (b *tableBuilder) grow(recs []rec) {
	nk, nv := 0, 0
	for _, r := range recs {
		nk += len(r.key)
		nv += len(r.val)
	}
	b.keys = make([]byte, 0, nk)
	b.vals = make([]byte, 0, nv)
	b.koffs = make([]uint32, 0, len(recs))
	b.voffs = make([]uint32, 0, len(recs))
}

func (b *tableBuilder) add(k, v string) {
	b.keys = append(b.keys, k...)
	b.vals = append(b.vals, v...)
	b.koffs = append(b.koffs, uint32(len(b.keys)))
	b.voffs = append(b.voffs, uint32(len(b.vals)))
}

func (b *tableBuilder) table() table {
	return table{keys: string(b.keys), vals: string(b.vals), koff: slices.Clip(b.koffs), voff: slices.Clip(b.voffs)}
}

// newTable builds a table from sorted keys and their values.
func newTable(keys, vals []string) table {
	var b tableBuilder
	for i := range keys {
		b.add(keys[i], vals[i])
	}
	return b.table()
}

// mergeForward groups entries by headword and ranks each headword's
// translations: the longest entry (the central sense, with the most
// examples and links) first, round-robin over entries, translations found
// in several entries ahead of the rest.
func mergeForward(recs []rec) table {
	// rank holds the entry's position in file order, so that the sort is
	// deterministic without being stable.
	slices.SortFunc(recs, func(a, b rec) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.rank - b.rank)
	})
	var tb tableBuilder
	tb.grow(recs)
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].key == recs[i].key {
			j++
		}
		if j == i+1 {
			tb.add(recs[i].key, recs[i].val)
		} else {
			tb.add(recs[i].key, rankForward(recs[i:j]))
		}
		i = j
	}
	return tb.table()
}

func rankForward(g []rec) string {
	slices.SortFunc(g, func(a, b rec) int {
		if a.blen != b.blen {
			return int(b.blen - a.blen)
		}
		return int(a.rank - b.rank)
	})
	type cand struct {
		t     string
		count int
	}
	var cs []cand
	lists := make([][]string, len(g))
	longest := 0
	for i, r := range g {
		lists[i] = split(r.val)
		longest = max(longest, len(lists[i]))
	}
	for pos := 0; pos < longest; pos++ {
		for _, l := range lists {
			if pos >= len(l) {
				continue
			}
			k := slices.IndexFunc(cs, func(c cand) bool { return c.t == l[pos] })
			if k >= 0 {
				cs[k].count++
				continue
			}
			cs = append(cs, cand{t: l[pos], count: 1})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return b.count - a.count })
	out := make([]string, 0, maxParsed)
	for _, c := range cs[:min(len(cs), maxParsed)] {
		out = append(out, c.t)
	}
	return strings.Join(out, "\x00")
}

// mergeReverse ranks, per foreign word, the English headwords whose entry
// lists it earliest first, single words before phrases, shorter first.
func mergeReverse(recs []rec) table {
	slices.SortFunc(recs, func(a, b rec) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		if a.rank != b.rank {
			return int(a.rank - b.rank)
		}
		as, bs := strings.Contains(a.val, " "), strings.Contains(b.val, " ")
		if as != bs {
			if as {
				return 1
			}
			return -1
		}
		if len(a.val) != len(b.val) {
			return len(a.val) - len(b.val)
		}
		return strings.Compare(a.val, b.val)
	})
	var tb tableBuilder
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].key == recs[i].key {
			j++
		}
		var out []string
		for _, r := range recs[i:j] {
			if len(out) < MaxTranslations && !slices.Contains(out, r.val) {
				out = append(out, r.val)
			}
		}
		tb.add(recs[i].key, strings.Join(out, "\x00"))
		i = j
	}
	return tb.table()
}
