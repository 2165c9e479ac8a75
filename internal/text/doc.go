// Package text turns article text in any language into the features story
// assignment compares: stemmed content words (for Chinese and Japanese,
// words cut by a dictionary segmenter, internal/text/segment; character
// bigrams when the language is not known, and in the search index), numbers and years normalised ("1,000" = "1000"),
// month names in a dozen languages, name-like tokens (capitalised words
// mid-sentence, acronyms, Latin words inside non-Latin text), their
// transliteration keys (internal/translit: "Rutte" and "روته" share one),
// Latin cognate prefixes, and, given a Translator such as
// internal/lexicon, English glosses of foreign words.
//
// Document frequencies are learned from the stream (Model), with smoothed
// IDF so that the first documents already get usable weights. Vectors are
// sorted sparse slices, so every score is reproducible bit for bit.
package text
