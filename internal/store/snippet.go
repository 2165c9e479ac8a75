package store

// SearchSnippetScan bounds how much of an article's text, in characters,
// a search reads for its snippet.
const SearchSnippetScan = searchSnippetScan

// SearchSnippet is the snippet SearchArticles writes for an article in
// lang with text s (see SearchRow.Snippet), for other stores' searches to
// write the same.
func SearchSnippet(lang, s string, terms []string) string { return searchSnippet(lang, s, terms) }
