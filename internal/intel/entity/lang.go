package entity

import (
	"bufio"
	"embed"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// The cue words of each language are data, one file a language under lang/:
// sections [person-title], [org-word], [place-word], [place] (places the
// country names from CLDR miss: continents, regions), [place-prefix],
// [connector], [not-name] and [speech-verb] (what a person does: said, told),
// one entry a line, matched without case.
//
//go:embed lang/*.txt
var langFiles embed.FS

// cues are one language's cue words.
type cues struct {
	lang      string
	titles    map[string]bool // person titles, as word sequences joined by one space
	maxTitle  int             // longest title, in words
	orgWords  map[string]bool
	placeWord map[string]bool
	// placePrefix: a run opening with one of these is a place (South
	// China); its last word then names no person.
	placePrefix map[string]bool
	connector   map[string]bool
	notName     map[string]bool
	// speech words what a person does: a name before one is a person's.
	speech map[string]bool
	places map[string]bool // country and region names in the language and in English
}

var (
	cueMu    sync.Mutex
	cueCache = map[string]*cues{}
)

// cuesFor returns the cues of lang merged with English ones (English names
// and titles run through every language's news), loading them once.
func cuesFor(lang string) *cues {
	cueMu.Lock()
	defer cueMu.Unlock()
	if c, ok := cueCache[lang]; ok {
		return c
	}
	c := &cues{lang: lang, titles: map[string]bool{}, orgWords: map[string]bool{}, placeWord: map[string]bool{}, placePrefix: map[string]bool{},
		connector: map[string]bool{}, notName: map[string]bool{}, speech: map[string]bool{}, places: map[string]bool{}}
	for _, l := range []string{"en", lang} {
		c.load(l)
		addPlaces(c.places, l)
	}
	cueCache[lang] = c
	return c
}

func (c *cues) load(lang string) {
	f, err := langFiles.Open("lang/" + lang + ".txt")
	if err != nil {
		return // no cues for this language: English ones only
	}
	defer f.Close()
	var section map[string]bool
	titles := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case line == "[person-title]":
			section, titles = c.titles, true
		case line == "[org-word]":
			section, titles = c.orgWords, false
		case line == "[place-word]":
			section, titles = c.placeWord, false
		case line == "[place]":
			section, titles = c.places, false
		case line == "[place-prefix]":
			section, titles = c.placePrefix, false
		case line == "[speech-verb]":
			section, titles = c.speech, false
		case line == "[connector]":
			section, titles = c.connector, false
		case line == "[not-name]":
			section, titles = c.notName, false
		case section != nil:
			k := fold(line)
			section[k] = true
			if titles {
				c.maxTitle = max(c.maxTitle, len(strings.Fields(k)))
			}
		}
	}
}

// addPlaces adds the names of countries and regions in lang, from the CLDR
// tables x/text carries: a gazetteer in every language for free.
func addPlaces(m map[string]bool, lang string) {
	tag, err := language.Parse(lang)
	if err != nil {
		return
	}
	namer := display.Regions(tag)
	if namer == nil {
		return
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() {
				continue
			}
			if n := namer.Name(r); n != "" && utf8.RuneCountInString(n) > 2 {
				m[fold(n)] = true
			}
		}
	}
}

// fold lowercases and folds typographic apostrophes, for matching cues.
func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "’", "'")
}
