package lexicon

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// Parsing the large dictionaries (German, Japanese) costs a second or two
// of CPU, so a parsed language is kept in a cache file under the user's
// cache folder and read back in milliseconds by later processes. The file
// is named by a hash of the source files' paths, sizes and modification
// times, so an upgraded dictionary is parsed afresh. The cache lives
// outside the repository, like Go's build cache; any problem with it
// (read-only home, corrupt file) only means parsing again.

// CacheEnv names the environment variable that sets the cache folder;
// "off" disables the cache.
const CacheEnv = "STORYLINE_LEXICON_CACHE"

const cacheMagic = "storyline-lexicon-v1\n"

func cacheDir() string {
	if d := os.Getenv(CacheEnv); d != "" {
		if d == "off" {
			return ""
		}
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "storyline", "lexicon")
}

// cachePath returns the cache file for a language's sources, or "".
func cachePath(lang string, sources []string) string {
	dir := cacheDir()
	if dir == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(cacheMagic))
	fmt.Fprintf(h, "parsed:%d\n", maxParsed)
	for _, s := range sources {
		for _, p := range []string{s + ".index", dictPath(s)} {
			fi, err := os.Stat(p)
			if err != nil {
				return ""
			}
			fmt.Fprintf(h, "%s %d %d\n", p, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return filepath.Join(dir, lang+"-"+hex.EncodeToString(h.Sum(nil)[:12])+".bin")
}

// encodeTables writes tables as: magic, then per table the number of
// keys, the lengths of the key and value arenas, the end offset of every
// key and value (uint32, little endian), and the two arenas.
func encodeTables(ts ...table) []byte {
	var b bytes.Buffer
	b.WriteString(cacheMagic)
	u32 := func(v int) { binary.Write(&b, binary.LittleEndian, uint32(v)) }
	for _, t := range ts {
		u32(t.len())
		u32(len(t.keys))
		u32(len(t.vals))
		for i := range t.koff {
			u32(int(t.koff[i]))
			u32(int(t.voff[i]))
		}
		b.WriteString(t.keys)
		b.WriteString(t.vals)
	}
	return b.Bytes()
}

var errBadCache = errors.New("bad lexicon cache file")

// decodeTables reads n tables written by encodeTables, checking every
// length and offset, and that keys are sorted.
func decodeTables(data []byte, n int) ([]table, error) {
	s, ok := strings.CutPrefix(string(data), cacheMagic)
	if !ok {
		return nil, errBadCache
	}
	u32 := func() (int, bool) {
		if len(s) < 4 {
			return 0, false
		}
		v := uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
		s = s[4:]
		return int(v), true
	}
	var out []table
	for range n {
		cnt, ok1 := u32()
		nk, ok2 := u32()
		nv, ok3 := u32()
		if !ok1 || !ok2 || !ok3 || cnt > len(s)/8 {
			return nil, errBadCache
		}
		t := table{koff: make([]uint32, cnt), voff: make([]uint32, cnt)}
		k0, v0 := 0, 0
		for i := range cnt {
			k, _ := u32()
			v, _ := u32()
			if k <= k0 || k > nk || v < v0 || v > nv {
				return nil, errBadCache
			}
			t.koff[i], t.voff[i] = uint32(k), uint32(v)
			k0, v0 = k, v
		}
		if k0 != nk || v0 != nv || nk+nv > len(s) {
			return nil, errBadCache
		}
		t.keys, t.vals, s = s[:nk], s[nk:nk+nv], s[nk+nv:]
		for i := 1; i < cnt; i++ {
			if t.key(i-1) >= t.key(i) {
				return nil, errBadCache
			}
		}
		out = append(out, t)
	}
	if s != "" {
		return nil, errBadCache
	}
	return out, nil
}

// readCache returns the cached tables at path, if any.
func readCache(path string) (fwd, rev table, ok bool) {
	if path == "" {
		return table{}, table{}, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return table{}, table{}, false
	}
	ts, err := decodeTables(data, 2)
	if err != nil {
		slog.Debug("lexicon: ignoring cache", "path", path, "err", err)
		return table{}, table{}, false
	}
	return ts[0], ts[1], true
}

// writeCache stores the tables atomically; failures are only logged.
func writeCache(path string, fwd, rev table) {
	if path == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		slog.Debug("lexicon: no cache", "err", err)
		return
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		slog.Debug("lexicon: no cache", "err", err)
		return
	}
	_, err = f.Write(encodeTables(fwd, rev))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		slog.Debug("lexicon: no cache", "err", err)
	}
}
