package article

import "testing"

func TestHeading(t *testing.T) {
	for _, tc := range []struct{ title, text, want string }{
		{"Quay reopens", "The northern quay reopened.", "Quay reopens"},
		{"", "  The northern quay\nreopened.  ", "The northern quay reopened."},
		{"", "one two three four five six seven eight nine ten eleven twelve thirteen", "one two three four five six seven eight nine ten eleven twelve …"},
		{"", "طوكيو (أ ب) – أعربت اليابان عن اهتمامها يوم الثلاثاء بالمشاركة في قيادة تحالف", "طوكيو (أ ب) – أعربت اليابان عن اهتمامها يوم الثلاثاء بالمشاركة في …"},
		{"", "", ""},
	} {
		if got := Heading(tc.title, tc.text); got != tc.want {
			t.Errorf("Heading(%q, %q) = %q, want %q", tc.title, tc.text, got, tc.want)
		}
	}
}
