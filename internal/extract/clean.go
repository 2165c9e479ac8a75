package extract

import trafilatura "github.com/markusmobius/go-trafilatura"

func dropLeftovers(paras []string, m trafilatura.Metadata) []string { return paras }
