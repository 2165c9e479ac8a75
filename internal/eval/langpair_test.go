package eval

import "testing"

func TestByLangPair(t *testing.T) {
	gold := map[string]string{"en1": "s1", "ru1": "s1", "ja1": "s1", "en2": "s2", "ru2": "s2", "en3": "s3"}
	lang := map[string]string{"en1": "en", "ru1": "ru", "ja1": "ja", "en2": "en", "ru2": "ru", "en3": "en"}
	// s1's Japanese translation stands alone; s2's Russian one joins s1's
	// Russian one instead of its source; en3 joins en2 wrongly.
	pred := map[string]string{"en1": "a", "ru1": "a", "ja1": "b", "en2": "c", "ru2": "a", "en3": "c"}
	got := map[[2]string]LangPair{}
	for _, lp := range ByLangPair(pred, gold, lang) {
		got[[2]string{lp.A, lp.B}] = lp
	}
	want := map[[2]string]LangPair{
		{"en", "ru"}: {A: "en", B: "ru", Gold: 2, Joined: 1, Wrong: 1}, // en1–ru2 wrong
		{"en", "ja"}: {A: "en", B: "ja", Gold: 1, Joined: 0},
		{"ja", "ru"}: {A: "ja", B: "ru", Gold: 1, Joined: 0},
		{"ru", "ru"}: {A: "ru", B: "ru", Wrong: 1},
		{"en", "en"}: {A: "en", B: "en", Wrong: 1},
	}
	if len(got) != len(want) {
		t.Errorf("got %d language pairs, want %d: %+v", len(got), len(want), got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%v: got %+v, want %+v", k, got[k], w)
		}
	}
	if r := want[[2]string{"en", "ru"}].Recall(); r != 0.5 {
		t.Errorf("recall %v, want 0.5", r)
	}
}
