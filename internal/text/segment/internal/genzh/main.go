// Command genzh writes zh.dict.gz, the Chinese segmentation dictionary
// (word, frequency, part of speech) that segment.ChineseTagged reads, from
// the jieba-derived dictionaries gse ships (simplified, then traditional).
//
//	go run ./internal/genzh -gse "$(go list -m -f '{{.Dir}}' github.com/go-ego/gse)" -out zh.dict.gz
//
// It keeps what gse's loader keeps: words of frequency 2 or more, the first
// entry of a word that both lists hold, and single characters at frequency
// 2 (gse's own rule, which makes a known word cheaper than its characters).
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	dir := flag.String("gse", "", "gse module folder")
	out := flag.String("out", "zh.dict.gz", "output file")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	seen := map[string]bool{}
	n := 0
	for _, name := range []string{"s_1.txt", "t_1.txt"} {
		b, err := os.ReadFile(filepath.Join(*dir, "data", "dict", "zh", name))
		if err != nil {
			log.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			fs := strings.Split(line, " ")
			if len(fs) < 2 {
				continue
			}
			word := strings.TrimSpace(fs[0])
			freq, err := strconv.ParseFloat(strings.TrimSpace(fs[1]), 64)
			if err != nil || freq < 2 || word == "" {
				continue
			}
			if utf8.RuneCountInString(word) < 2 {
				freq = 2 // as gse: a single character costs as the rarest word
			}
			key := strings.ToLower(word) // the dictionary's form (segment.ZhKey)
			if seen[key] {
				continue
			}
			seen[key] = true
			pos := ""
			if len(fs) > 2 {
				pos = strings.TrimSpace(fs[2])
			}
			fmt.Fprintf(w, "%s\t%g\t%s\n", key, freq, pos)
			n++
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d words", n)
}
