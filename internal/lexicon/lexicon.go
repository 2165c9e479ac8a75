// Package lexicon looks up English translations of words in other
// languages, from the FreeDict bilingual dictionaries that Debian installs
// for dictd (packages dict-freedict-XXX-eng and dict-freedict-eng-XXX, GPL
// data read at run time from /usr/share/dictd, never copied into the
// repository).
//
// A language is loaded on its first lookup (or by Preload): the index is
// read, every entry body is parsed once in file order, and only the
// headword and its few most useful translations are kept. English→XXX
// dictionaries are inverted to cover languages without an XXX→English one
// (Russian, Indonesian) and to fill gaps in small ones.
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

	fwdDicts []*fwdDict
	revTab   table // foreign word → ranked English headwords

	mu    sync.Mutex
	cache map[string][]string // looked-up key → result, nil for none
}

// maxCache bounds each language's lookup cache; it is simply emptied
// when full.
const maxCache = 1 << 16

// Load finds the dictionaries of langs (ISO 639-1 codes) in dir. A
// language without any dictionary is left out with a logged warning; with
// none at all, Load returns a usable empty Lexicon. Dictionaries are read
// lazily, on the first lookup of their language (see Preload).
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
			if b := filepath.Join(dir, "freedict-eng-"+c); dictFiles(b) {
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
	sort.Strings(l.langs)
	if len(missing) > 0 {
		slog.Warn("lexicon: no dictionary for some languages; install dict-freedict-XXX-eng",
			"dir", dir, "missing", missing, "found", l.langs)
	}
	if len(l.langs) == 0 && len(langs) > 0 {
		slog.Warn("lexicon: no dictionaries found; cross-language lookups disabled", "dir", dir)
	}
	return l, nil
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

// Close releases the open dictionary files. The Lexicon must not be used
// afterwards.
func (l *Lexicon) Close() error {
	if l == nil {
		return nil
	}
	var errs []error
	for _, d := range l.dicts {
		for _, f := range d.fwdDicts {
			errs = append(errs, f.body.Close())
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
	var entries []fwdEntry
	for _, f := range d.fwdDicts {
		es, err := f.entries(k)
		if err != nil {
			slog.Warn("lexicon: reading entry", "lang", d.lang, "word", k, "err", err)
		}
		entries = append(entries, es...)
	}
	out := rankForward(entries)
	if v, ok := d.revTab.get(k); ok {
		for _, t := range split(v) {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
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
		for _, f := range d.fwdDicts {
			f.withPrefix(p, 64, consider)
		}
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
	d.once.Do(func() {
		start := time.Now()
		d.cache = map[string][]string{}
		var errs []error
		for _, b := range d.fwd {
			f, err := openFwd(b)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			d.fwdDicts = append(d.fwdDicts, f)
		}
		var recs []rec
		for _, b := range d.rev {
			rs, err := readReverse(b)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			recs = append(recs, rs...)
		}
		d.revTab = mergeReverse(recs)
		if len(errs) > 0 {
			d.err = errors.Join(errs...)
			slog.Warn("lexicon: dictionary unusable", "lang", d.lang, "err", d.err)
		}
		n := len(d.revTab.keys)
		for _, f := range d.fwdDicts {
			n += len(f.recs)
		}
		slog.Debug("lexicon: loaded", "lang", d.lang, "headwords", n,
			"took", time.Since(start).Round(time.Millisecond))
	})
}

// table maps sorted keys to values.
type table struct {
	keys, vals []string
}

func (t *table) get(k string) (string, bool) {
	i, ok := slices.BinarySearch(t.keys, k)
	if !ok {
		return "", false
	}
	return t.vals[i], true
}

// withPrefix calls fn on up to limit keys starting with p.
func (t *table) withPrefix(p string, limit int, fn func(string)) {
	i, _ := slices.BinarySearch(t.keys, p)
	for j := i; j < len(t.keys) && j < i+limit && strings.HasPrefix(t.keys[j], p); j++ {
		fn(t.keys[j])
	}
}

// fwdDict is an XXX→English dictionary: its index in memory (headwords in
// one arena, sorted), its bodies read from disk on demand.
type fwdDict struct {
	path    string
	keys    string // arena of normalized headwords
	recs    []irec // sorted by headword
	body    *dictBody
	mu      sync.Mutex // guards body's chunk cache
	wikdict bool
}

type irec struct {
	ks        uint32 // headword in keys
	kl        uint16
	off, size uint32 // body
}

func (f *fwdDict) key(i int) string {
	r := f.recs[i]
	return f.keys[r.ks : r.ks+uint32(r.kl)]
}

func (f *fwdDict) lowerBound(k string) int {
	return sort.Search(len(f.recs), func(i int) bool { return f.key(i) >= k })
}

func (f *fwdDict) withPrefix(p string, limit int, fn func(string)) {
	i := f.lowerBound(p)
	last := ""
	for j := i; j < len(f.recs) && j < i+limit; j++ {
		h := f.key(j)
		if !strings.HasPrefix(h, p) {
			break
		}
		if h != last {
			fn(h)
			last = h
		}
	}
}

// fwdEntry is one parsed entry body.
type fwdEntry struct {
	trs  []string
	blen int
}

func (f *fwdDict) entries(k string) ([]fwdEntry, error) {
	var out []fwdEntry
	var buf []byte
	for i := f.lowerBound(k); i < len(f.recs) && f.key(i) == k; i++ {
		r := f.recs[i]
		f.mu.Lock()
		b, err := f.body.readAt(buf[:0], int64(r.off), int64(r.size))
		f.mu.Unlock()
		if err != nil {
			return out, fmt.Errorf("lexicon %s: %q: %w", f.path, k, err)
		}
		buf = b
		if trs := parseBody(string(b), f.wikdict); len(trs) > 0 {
			out = append(out, fwdEntry{trs: trs, blen: int(r.size)})
		}
	}
	return out, nil
}

// openFwd reads an index into memory and opens its body. Phrases (headwords
// with spaces) are left out: lookups are by word.
func openFwd(base string) (*fwdDict, error) {
	data, err := os.ReadFile(base + ".index")
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: %w", base, err)
	}
	body, err := openDictBody(dictPath(base))
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: %w", base, err)
	}
	f := &fwdDict{path: base, body: body}
	f.recs = make([]irec, 0, bytes.Count(data, []byte{'\n'})+1)
	arena := make([]byte, 0, len(data)/2)
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		e, ok := parseIndexLine(string(line))
		if !ok || e.off > math.MaxUint32 || e.size > math.MaxUint32 {
			continue
		}
		if strings.HasPrefix(e.word, "00database") || strings.HasPrefix(e.word, "00-database") {
			if strings.Contains(e.word, "info") || strings.Contains(e.word, "short") {
				if b, err := body.readAt(nil, e.off, e.size); err == nil && bytes.Contains(b, []byte("WikDict")) {
					f.wikdict = true
				}
			}
			continue
		}
		w := normWord(strings.ToLower(e.word))
		if w == "" || len(w) > 64 || strings.Contains(w, " ") {
			continue
		}
		f.recs = append(f.recs, irec{ks: uint32(len(arena)), kl: uint16(len(w)), off: uint32(e.off), size: uint32(e.size)})
		arena = append(arena, w...)
	}
	f.keys = string(arena)
	f.recs = slices.Clip(f.recs)
	slices.SortStableFunc(f.recs, func(a, b irec) int {
		return strings.Compare(f.keys[a.ks:a.ks+uint32(a.kl)], f.keys[b.ks:b.ks+uint32(b.kl)])
	})
	return f, nil
}

// rankForward merges the translations of a headword's entries: the
// longest entry (the central sense, with the most examples and links)
// first, round-robin over entries, translations found in several entries
// ahead of the rest.
func rankForward(es []fwdEntry) []string {
	if len(es) == 0 {
		return nil
	}
	slices.SortStableFunc(es, func(a, b fwdEntry) int { return b.blen - a.blen })
	type cand struct {
		t     string
		count int
	}
	var cs []cand
	idx := map[string]int{}
	longest := 0
	for _, e := range es {
		longest = max(longest, len(e.trs))
	}
	for pos := 0; pos < longest; pos++ {
		for _, e := range es {
			if pos >= len(e.trs) {
				continue
			}
			t := e.trs[pos]
			if k, ok := idx[t]; ok {
				cs[k].count++
				continue
			}
			idx[t] = len(cs)
			cs = append(cs, cand{t: t, count: 1})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return b.count - a.count })
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, strings.Clone(c.t))
	}
	return out
}

// rec maps a foreign word back to an English headword of a reverse
// dictionary.
type rec struct {
	key  string // foreign word
	val  string // English headword
	rank int32  // position of the word among the entry's translations
}

// readReverse parses a whole English→XXX dictionary (they are small) and
// inverts it on single-word translations.
func readReverse(base string) ([]rec, error) {
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
		w := strings.ToLower(e.word)
		if strings.HasPrefix(w, "00database") || strings.HasPrefix(w, "00-database") {
			if strings.Contains(w, "info") || strings.Contains(w, "short") {
				if b, err := body.readAt(nil, e.off, e.size); err == nil && bytes.Contains(b, []byte("WikDict")) {
					wikdict = true
				}
			}
			continue
		}
		e.word = strings.TrimSpace(w)
		if e.word == "" || len(e.word) > 64 {
			continue
		}
		kept = append(kept, e)
	}
	sortByOffset(kept)
	var out []rec
	var buf []byte
	for _, e := range kept {
		buf, err = body.readAt(buf[:0], e.off, e.size)
		if err != nil {
			return nil, fmt.Errorf("lexicon %s: entry %q: %w", base, e.word, err)
		}
		for i, t := range parseBody(string(buf), wikdict) {
			k := normWord(t)
			if k == "" || strings.Contains(k, " ") {
				continue
			}
			out = append(out, rec{key: strings.Clone(k), val: e.word, rank: int32(i)})
		}
	}
	return out, nil
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
	var t table
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
		t.keys = append(t.keys, recs[i].key)
		t.vals = append(t.vals, strings.Join(out, "\x00"))
		i = j
	}
	return t
}
