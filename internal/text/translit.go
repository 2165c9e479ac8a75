package text

import "github.com/storyline/storyline/internal/translit"

func init() {
	DefaultTranslit = Translit{Latin: translit.Latin, Key: translit.Key, Liquid: translit.LiquidKey}
}
