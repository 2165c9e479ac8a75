// Package langdata reads the language data files the stages embed: phrase
// lists, chrome patterns and other lists kept as data, one file per
// language (<lang>.txt, any.txt for what belongs to no language), so that
// a person adding a language edits text, not Go.
//
// The format is the same everywhere: "# comment" lines, "[section]"
// headers, then one entry a line, trimmed. What a section means, and how
// its entries are read (a phrase, a pattern, several words a line), is
// the caller's.
package langdata

import (
	"bufio"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Entry is one entry of a file.
type Entry struct {
	Section string
	Text    string
	Line    int // line number, from 1, for messages
}

// File is one parsed data file.
type File struct {
	Name    string // the file's name, e.g. "de.txt"
	Lang    string // the name without ".txt": "de", "any"
	Entries []Entry
}

// Parse reads one file's text. sections lists the section names allowed;
// an unknown section or an entry before any section is an error.
func Parse(name, s string, sections []string) ([]Entry, error) {
	var out []Entry
	sec := ""
	sc := bufio.NewScanner(strings.NewReader(s))
	for ln := 1; sc.Scan(); ln++ {
		t := strings.TrimSpace(sc.Text())
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
			continue
		case strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]"):
			sec = t[1 : len(t)-1]
			if !slices.Contains(sections, sec) {
				return nil, fmt.Errorf("%s:%d: unknown section [%s]", name, ln, sec)
			}
		case sec == "":
			return nil, fmt.Errorf("%s:%d: %q before any [section]", name, ln, t)
		default:
			out = append(out, Entry{Section: sec, Text: t, Line: ln})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// ReadDir parses every .txt file of dir in fsys (an embed.FS), in name
// order.
func ReadDir(fsys fs.FS, dir string, sections []string) ([]File, error) {
	names, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("langdata: %s: %w", dir, err)
	}
	var out []File
	for _, n := range names {
		if n.IsDir() || !strings.HasSuffix(n.Name(), ".txt") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, n.Name()))
		if err != nil {
			return nil, fmt.Errorf("langdata: %w", err)
		}
		es, err := Parse(n.Name(), string(b), sections)
		if err != nil {
			return nil, fmt.Errorf("langdata: %w", err)
		}
		out = append(out, File{Name: n.Name(), Lang: strings.TrimSuffix(n.Name(), ".txt"), Entries: es})
	}
	return out, nil
}
