package langdata

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParse(t *testing.T) {
	es, err := Parse("en.txt", "# header\n\n[exact]\nShare this\n  Print  \n[prefix]\n# note\nRead more\n", []string{"exact", "prefix"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{"exact", "Share this", 4}, {"exact", "Print", 5}, {"prefix", "Read more", 8}}
	if len(es) != len(want) {
		t.Fatalf("got %+v, want %+v", es, want)
	}
	for i := range want {
		if es[i] != want[i] {
			t.Errorf("entry %d: got %+v, want %+v", i, es[i], want[i])
		}
	}
	for _, bad := range []string{"[nope]\nx\n", "x before a section\n"} {
		if _, err := Parse("de.txt", bad, []string{"exact"}); err == nil || !strings.Contains(err.Error(), "de.txt:1") {
			t.Errorf("Parse(%q): error %v, want one naming de.txt:1", bad, err)
		}
	}
}

func TestReadDir(t *testing.T) {
	fsys := fstest.MapFS{
		"d/fr.txt":    {Data: []byte("[exact]\nPartager\n")},
		"d/any.txt":   {Data: []byte("[exact]\nRSS\n")},
		"d/README.md": {Data: []byte("not data")},
	}
	fs, err := ReadDir(fsys, "d", []string{"exact"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || fs[0].Lang != "any" || fs[1].Lang != "fr" || fs[1].Entries[0].Text != "Partager" {
		t.Errorf("got %+v", fs)
	}
	if _, err := ReadDir(fstest.MapFS{"d/x.txt": {Data: []byte("[bad]\n")}}, "d", []string{"exact"}); err == nil {
		t.Error("an unknown section must be an error")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("[a]\nx\n# c\n[b]\ny")
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		es, err := Parse("f.txt", s, []string{"a", "b"})
		if err != nil {
			return
		}
		for _, e := range es {
			if e.Text == "" || strings.HasPrefix(e.Text, "#") || e.Line < 1 {
				t.Errorf("bad entry %+v", e)
			}
		}
	})
}
