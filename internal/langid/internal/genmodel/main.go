// Command genmodel turns lingua-go's n-gram models into the compact table
// langid embeds (models.bin.gz). Run through go generate in internal/langid:
//
//	go generate ./internal/langid
//
// lingua-go keeps its models private to its package and scores them with
// arbitrary-precision arithmetic on every call; langid needs the same
// probabilities in one table it can add up in log space itself. Only the
// unigram, bigram and trigram models are kept: they are what lingua's
// low-accuracy mode uses (trigrams, backing off to shorter n-grams), and
// quadrigrams and fivegrams would add 113 MB (compressed) for short-text accuracy that
// article-length text does not need.
package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pemistahl/lingua-go/serialization"
	"google.golang.org/protobuf/proto"
)

// costScale is how many steps a nat of -ln p is cut into: costs are stored
// as one byte, round(-ln p × costScale), so the resolution is 1/8 nat and
// the floor p ≈ e^-32. Rounding errors are independent across n-grams and
// average out over an article's hundreds of trigrams.
const costScale = 8

func main() {
	dir := flag.String("lingua", "", "lingua-go module directory (go list -m -f '{{.Dir}}' github.com/pemistahl/lingua-go)")
	out := flag.String("out", "models.bin.gz", "output file")
	flag.Parse()
	if *dir == "" {
		log.Fatal("genmodel: -lingua is required")
	}
	if err := run(filepath.Join(*dir, "language-models"), *out); err != nil {
		log.Fatal(err)
	}
}

func run(modelDir, out string) error {
	ents, err := os.ReadDir(modelDir)
	if err != nil {
		return fmt.Errorf("genmodel: %w", err)
	}
	var langs []string
	for _, e := range ents {
		if e.IsDir() {
			langs = append(langs, e.Name())
		}
	}
	slices.Sort(langs)
	if len(langs) > 255 {
		return fmt.Errorf("genmodel: %d languages do not fit a byte", len(langs))
	}

	// Key-major: each n-gram once, with every language's cost for it, so
	// that loading is one pass and scoring one lookup per n-gram.
	table := map[string][]posting{}
	for li, l := range langs {
		for _, name := range []string{"unigrams", "bigrams", "trigrams"} {
			es, err := readModel(filepath.Join(modelDir, l, name+".pb.bin.zip"))
			if err != nil {
				return fmt.Errorf("genmodel: %s %s: %w", l, name, err)
			}
			for _, e := range es {
				table[e.ngram] = append(table[e.ngram], posting{uint8(li), e.cost})
			}
		}
	}
	keys := slices.Sorted(maps.Keys(table))

	var buf bytes.Buffer
	buf.WriteString(magic)
	putUvarint(&buf, uint64(costScale))
	putUvarint(&buf, uint64(len(langs)))
	for _, l := range langs {
		putString(&buf, l)
	}
	putUvarint(&buf, uint64(len(keys)))
	prev, total := "", 0
	for _, k := range keys {
		n := 0
		for n < len(prev) && n < len(k) && prev[n] == k[n] {
			n++
		}
		putUvarint(&buf, uint64(n))
		putString(&buf, k[n:])
		ps := table[k]
		buf.WriteByte(byte(len(ps)))
		for _, p := range ps {
			buf.WriteByte(p.lang)
			buf.WriteByte(p.cost)
		}
		prev = k
		total += len(ps)
	}

	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("genmodel: %w", err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	if _, err := zw.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("genmodel: %w", err)
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("genmodel: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("genmodel: %w", err)
	}
	log.Printf("genmodel: %d languages, %d n-grams, %d costs, %d bytes raw", len(langs), len(keys), total, buf.Len())
	return nil
}

// magic starts the file; langid refuses any other.
const magic = "SLLID1\n"

type posting struct{ lang, cost uint8 }

type entry struct {
	ngram string
	cost  uint8
}

func readModel(path string) ([]entry, error) {
	zr, err := zip.OpenReader(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Languages with a script of their own (Greek, Korean…) have
		// only a unigram model: lingua decides them by script, as langid
		// does.
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	if len(zr.File) != 1 {
		return nil, fmt.Errorf("%d files in zip, want 1", len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return nil, err
	}
	var m serialization.SerializableLanguageModel
	if err := proto.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	var es []entry
	for _, set := range m.GetNgramSets() {
		p := set.GetProbability()
		if p <= 0 {
			continue
		}
		c := math.Round(-math.Log(p) * costScale)
		c = max(0, min(c, 255))
		for _, g := range set.GetNgrams() {
			es = append(es, entry{strings.ToLower(g), uint8(c)})
		}
	}
	slices.SortFunc(es, func(a, b entry) int { return strings.Compare(a.ngram, b.ngram) })
	es = slices.CompactFunc(es, func(a, b entry) bool { return a.ngram == b.ngram })
	return es, nil
}

func putUvarint(w *bytes.Buffer, v uint64) {
	var b [binary.MaxVarintLen64]byte
	w.Write(b[:binary.PutUvarint(b[:], v)])
}

func putString(w *bytes.Buffer, s string) {
	putUvarint(w, uint64(len(s)))
	w.WriteString(s)
}
