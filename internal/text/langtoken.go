package text

import "encoding/hex"

// LangToken returns the word the full-text index keeps for an article in
// lang (the store's article_fts column lang_token), so that a search names
// languages inside its full-text expression: "xxlang" and the code, when
// it is lower-case ASCII letters ("xxlangen"), else "xxlang0" and the
// code's bytes in hex ("xxlang0" for no language, "xxlang0656e2d7573" for
// "en-us"). Different codes give different words, each one word to the
// FTS5 unicode61 tokenizer (letters and digits only, lower case). The
// store computes the same in SQL; TestLangTokenSQL keeps them in step.
func LangToken(lang string) string {
	plain := lang != ""
	for i := 0; i < len(lang) && plain; i++ {
		plain = lang[i] >= 'a' && lang[i] <= 'z'
	}
	if plain {
		return "xxlang" + lang
	}
	return "xxlang0" + hex.EncodeToString([]byte(lang))
}
