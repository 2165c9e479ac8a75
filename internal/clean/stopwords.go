package clean

import "strings"

// Small function-word lists per language (the [stop] sections of
// phrases/*.txt). Body prose is dense in them and chrome (menus, buttons,
// headlines) is not; jusText rests on the same observation. The lists are
// merged: a line's ratio is taken against the union, which needs no
// language guess and costs little precision.
var stopWords = func() map[string]bool {
	m := make(map[string]bool, 600)
	for _, secs := range rawPhrases {
		for _, w := range secs["stop"] {
			m[w] = true
		}
	}
	return m
}()

// cjkStop holds frequent Chinese and Japanese function characters (the
// [stop-chars] sections).
var cjkStop = func() map[rune]bool {
	m := map[rune]bool{}
	for _, secs := range rawPhrases {
		for _, e := range secs["stop-chars"] {
			for _, r := range e {
				m[r] = true
			}
		}
	}
	return m
}()

// langStops counts the words of s found in one language's list; tests and
// the title finder use it to tell languages apart.
func langStops(lang, s string) int {
	list := stopSets[lang]
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r == '\'' || r >= 'a' && r <= 'z' || r > 127 && !strings.ContainsRune("“”‘’«»—–…", r))
	}) {
		if list[w] {
			n++
		}
	}
	return n
}

var stopSets = func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for lang, secs := range rawPhrases {
		if len(secs["stop"]) == 0 {
			continue
		}
		m := map[string]bool{}
		for _, w := range secs["stop"] {
			m[w] = true
		}
		out[lang] = m
	}
	return out
}()
