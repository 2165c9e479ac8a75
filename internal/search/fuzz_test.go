package search

import (
	"context"
	"errors"
	"testing"

	"github.com/storyline/storyline/internal/service"
)

// FuzzParse: no query makes Parse panic; a query that parses reads back
// the same from its canonical form and runs on a real store without an
// error (its FTS5 expressions and SQL are valid whatever was typed); one
// that does not is an ErrBadQuery.
func FuzzParse(f *testing.F) {
	for _, q := range []string{
		"flood coast", `"sea wall" -rain`, "(rain OR flood) NOT london", "flood* lang:ar,de after:2025-04-01",
		`entity:"Mark Rutte" -source:bbc sort:recent`, `NEAR(a b, 2) ^x "y" * : {title}:z`, "امطار أمطار",
		`"unclosed`, "a OR", "((", "-x", "lang:", "x\x00\xff", `a"b"c`, "NOT NOT NOT a", "-(a -b) c",
	} {
		f.Add(q)
	}
	fx := newFixture(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string) {
		pq, err := Parse(q)
		if err != nil {
			if !errors.Is(err, service.ErrBadQuery) {
				t.Fatalf("Parse(%q): %v, not ErrBadQuery", q, err)
			}
			return
		}
		back, err := Parse(pq.String())
		if err != nil || back.String() != pq.String() {
			t.Fatalf("Parse(%q) = %q, which reads back as %q, %v", q, pq.String(), back.String(), err)
		}
		p, err := Run(ctx, fx.st, q, "", 5)
		if err != nil {
			t.Fatalf("Run(%q): %v", q, err)
		}
		if p.Next != "" {
			if _, err := Run(ctx, fx.st, q, p.Next, 5); err != nil {
				t.Fatalf("Run(%q) page 2: %v", q, err)
			}
		}
	})
}
