package figure_test

import (
	"fmt"

	"github.com/storyline/storyline/internal/intel/figure"
)

func ExampleExtract() {
	for _, f := range figure.Extract("en", "On April 9, 2025 allies backed 3.5% of GDP by 2035 and about 1,000 troops.") {
		fmt.Printf("%q %g %s %q %s approx=%v\n", f.Text, f.Value, f.Unit, f.Of, f.Year, f.Approx)
	}
	// Output:
	// "3.5% of GDP by 2035" 3.5 % "gdp" 2035 approx=false
	// "1,000 troops" 1000 troops "troops"  approx=true
}

func ExampleGroups() {
	var figs []figure.Reported
	for i, a := range []struct{ outlet, lang, text string }{
		{"wire", "en", "NATO members should spend 2% of GDP on defence."},
		{"diario", "es", "Los aliados destinarán el 3,5% del PIB a defensa."},
	} {
		for _, f := range figure.Extract(a.lang, a.text) {
			figs = append(figs, figure.Reported{Article: int64(i), Outlet: a.outlet, Lang: a.lang, Figure: f})
		}
	}
	for _, g := range figure.Groups(figs, nil) {
		fmt.Println(g.Key, g.Label, len(g.Items), g.Conflict)
	}
	// Output:
	// %|gdp| % of gdp 2 true
}
