package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// fatalTB records the first failure and stops the reader there, as
// testing's Fatal would.
type fatalTB struct {
	testing.TB
	failed bool
}

type stop struct{}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatal(...any) {
	f.failed = true
	panic(stop{})
}
func (f *fatalTB) Fatalf(string, ...any) { f.Fatal() }

func read(t *testing.T, text string) (vs []struct{ ID string }, failed bool) {
	p := filepath.Join(t.TempDir(), "x.jsonl")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	tb := &fatalTB{TB: t}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				panic(r)
			}
		}
		failed = tb.failed
	}()
	return ReadJSONL[struct{ ID string }](tb, p), false
}

func TestReadJSONL(t *testing.T) {
	tests := []struct {
		text string
		ids  []string // nil: the read fails
	}{
		{`{"id":"a"}` + "\n" + `{"id":"b","more":1}` + "\n", []string{"a", "b"}},
		{`{"id":"a"}`, []string{"a"}}, // no final line break
		{"", nil},                     // empty: a check on it would pass
		{`{"id":"a"}` + "\n" + `{"id":` + "\n", nil},
	}
	for _, tc := range tests {
		vs, failed := read(t, tc.text)
		if failed != (tc.ids == nil) {
			t.Errorf("%q: failed %v, want %v", tc.text, failed, tc.ids == nil)
			continue
		}
		for i, id := range tc.ids {
			if i >= len(vs) || vs[i].ID != id {
				t.Errorf("%q: read %+v, want IDs %q", tc.text, vs, tc.ids)
				break
			}
		}
	}
}
