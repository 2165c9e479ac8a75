package extract

// rule is one post-processing step Storyline applies on top of
// go-trafilatura. Every rule can be switched off on its own, so that each
// one is measured with and without it (TestRuleAblation): a rule is kept
// only when removing it does not raise shingle F1 on the checking half of
// the Scrapinghub set and it is general — about what a line says or how the
// extractors agree, never about one site's strings.
type rule uint32

const (
	// ruleEmpty takes readability's text when trafilatura finds none.
	ruleEmpty rule = 1 << iota
	// ruleRuby drops ruby readings (<rt>, <rp>) before extraction.
	ruleRuby
	// ruleAgree keeps only trafilatura's paragraphs that readability
	// also has (see combine).
	ruleAgree
	// ruleContinue appends readability's prose paragraphs that run on past
	// the last agreed paragraph.
	ruleContinue
	// ruleContained takes readability's text when the two disagree but
	// readability's is nearly all inside trafilatura's.
	ruleContained
	// ruleTitleLine drops the headline repeated as one of the first lines.
	ruleTitleLine
	// ruleURLLine drops a paragraph that is the page's URL.
	ruleURLLine
	// ruleCue drops short "Related:", "Read more:" lines.
	ruleCue
	// rulePromo drops short subscription, newsletter and app notices.
	rulePromo
	// ruleCaption drops short photo credits and captions.
	ruleCaption
	// ruleByline drops byline and contact lines.
	ruleByline
	// ruleInside keeps, against ruleAgree, trafilatura's prose paragraphs
	// that lie between two agreed ones: article text readability skipped
	// (a quote box, a paragraph after an inline ad), not a teaser around
	// the article.
	ruleInside
	// ruleSubscribe drops short subscription and paywall calls to action.
	ruleSubscribe
	// rulePaging drops paging controls ("Seite 2 von 3", "1 2 3 Next").
	rulePaging

	allRules = ruleEmpty<<iota - 1
)

// ruleNames name the rules in the ablation table.
var ruleNames = []struct {
	r    rule
	name string
}{
	{ruleEmpty, "empty: readability when trafilatura finds nothing"},
	{ruleRuby, "ruby: drop <rt>/<rp> readings before extraction"},
	{ruleAgree, "agree: drop paragraphs readability lacks"},
	{ruleContinue, "continue: readability's prose past the agreed end"},
	{ruleContained, "contained: readability when inside trafilatura's"},
	{ruleTitleLine, "title line at the top"},
	{ruleURLLine, "URL line"},
	{ruleCue, "cue lines (Related:, Read more:)"},
	{rulePromo, "promo lines (subscribe, newsletter, app)"},
	{ruleCaption, "caption and photo-credit lines"},
	{ruleByline, "byline and contact lines"},
	{ruleInside, "inside: keep prose between agreed paragraphs"},
	{ruleSubscribe, "subscribe and paywall lines"},
	{rulePaging, "paging lines"},
}

// chromeRules are the rules of the chrome/*.txt patterns.
const chromeRules = ruleCue | rulePromo | ruleCaption | ruleByline | ruleSubscribe | rulePaging

// preRules are the rules that change the page before the extractors run.
const preRules = ruleRuby

// keptRules are the rules defaultConfig applies.
const keptRules = allRules
