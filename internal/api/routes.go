package api

import (
	"fmt"
	"net/http"
	"reflect"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/service"
)

// route is one endpoint: what serves it and how the OpenAPI document
// describes it. The mux and the document are both built from routes(), and
// a test checks each against the other.
type route struct {
	method string
	path   string // as the document writes it: /feeds/story/{id}.atom
	// pattern is the mux's pattern when it is not "METHOD path" (a
	// wildcard that is not a whole segment, or a remainder).
	pattern string
	write   bool // needs the bearer token; has a limited body
	h       handlerFunc
	op      operation
}

func (rt route) muxPattern() string {
	if rt.pattern != "" {
		return rt.pattern
	}
	return rt.method + " " + rt.path
}

// operation is a route's OpenAPI description.
type operation struct {
	id, summary, description string
	params                   []paramDoc
	// body is the request body: content type → schema (a Go value whose
	// type gives the schema, or a map that is one).
	body     map[string]any
	bodyDesc string
	// ok is the success status; result the success body's Go value (its
	// type gives the schema), or feedBody.
	ok       int
	okDesc   string
	result   any
	also     map[int]any // other success statuses: status → Go value
	errors   []int       // error statuses
	feedType string      // for feeds: the content type
}

// paramDoc is one parameter.
type paramDoc struct {
	name, in, description string
	required              bool
	schema                map[string]any
}

var (
	idParam = func(what string) paramDoc {
		return paramDoc{name: "id", in: "path", required: true, description: "the " + what + "'s ID",
			schema: map[string]any{"type": "integer", "format": "int64", "minimum": 1}}
	}
	cursorParam = paramDoc{name: "cursor", in: "query",
		description: "where the page starts: the previous page's next; omit for the first page",
		schema:      map[string]any{"type": "string", "maxLength": MaxParam}}
	limitParam = paramDoc{name: "limit", in: "query",
		description: fmt.Sprintf("items a page holds at most (default %d, maximum %d: larger values are reduced to it)", DefaultLimit, MaxLimit),
		schema:      map[string]any{"type": "integer", "minimum": 1, "default": DefaultLimit, "maximum": MaxLimit}}
	feedLimitParam = paramDoc{name: "limit", in: "query",
		description: fmt.Sprintf("entries at most (default %d, maximum %d)", DefaultFeedLimit, MaxLimit),
		schema:      map[string]any{"type": "integer", "minimum": 1, "default": DefaultFeedLimit, "maximum": MaxLimit}}
	queryParam = paramDoc{name: "q", in: "query", required: true,
		description: "the search query, in Storyline's search syntax",
		schema:      map[string]any{"type": "string", "minLength": 1, "maxLength": MaxParam}}
)

func (a *API) routes() []route {
	rs := []route{
		{method: "GET", path: "/api/stories", h: a.stories, op: operation{id: "listStories", summary: "List stories",
			description: "Stories, most recently seen first (or biggest first), a page at a time: follow next until it is absent to see every story once.",
			params: []paramDoc{
				{name: "lang", in: "query", description: "only stories with an article in this language (ISO 639-1 code, such as en or ar)",
					schema: map[string]any{"type": "string", "pattern": "^[A-Za-z]{2,3}([-_].*)?$"}},
				{name: "outlet", in: "query", description: "only stories with an article from this outlet",
					schema: map[string]any{"type": "string", "maxLength": MaxParam}},
				{name: "after", in: "query", description: "only stories last seen at or after this time (RFC 3339, or a date: midnight UTC)",
					schema: map[string]any{"type": "string", "format": "date-time"}},
				{name: "before", in: "query", description: "only stories first seen before this time (RFC 3339, or a date: midnight UTC)",
					schema: map[string]any{"type": "string", "format": "date-time"}},
				{name: "sort", in: "query", description: "recent: last seen first; biggest: most articles first",
					schema: map[string]any{"type": "string", "enum": []string{"recent", "biggest"}, "default": "recent"}},
				cursorParam, limitParam},
			ok: 200, okDesc: "a page of stories", result: service.StoryPage{}, errors: []int{400, 500}}},
		{method: "GET", path: "/api/stories/{id}", h: a.story, op: operation{id: "getStory", summary: "A story's digest",
			description: "Everything about one story: its articles (the latest 400; omitted_articles counts older ones), a summary quoted from them, its entities, quotes and figures across outlets, a timeline, a coverage matrix, and why each article is in it.",
			params:      []paramDoc{idParam("story")}, ok: 200, okDesc: "the story's digest", result: digest.Digest{}, errors: []int{400, 404, 500}}},
		{method: "GET", path: "/api/articles/{id}", h: a.article, op: operation{id: "getArticle", summary: "An article",
			description: "One article with the fields storyline export prints, and the names, quotes and figures found in it.",
			params:      []paramDoc{idParam("article")}, ok: 200, okDesc: "the article", result: Article{}, errors: []int{400, 404, 500}}},
		{method: "GET", path: "/api/entities/{id}", h: a.entity, op: operation{id: "getEntity", summary: "An entity",
			description: "A person, body or place under all its spellings, the merges that made it, the latest stories naming it and its quotes. A merged entity's ID gives the entity it was merged into.",
			params:      []paramDoc{idParam("entity")}, ok: 200, okDesc: "the entity", result: EntityDetail{}, errors: []int{400, 404, 500}}},
		{method: "GET", path: "/api/outlets/{name}", pattern: "GET /api/outlets/{name...}", h: a.outlet, op: operation{id: "getOutlet",
			summary: "An outlet", description: "One outlet: its languages, article count, what it tends to leave out, and its stories a page at a time.",
			params: []paramDoc{{name: "name", in: "path", required: true, description: "the outlet's name, as stories list it",
				schema: map[string]any{"type": "string", "minLength": 1}}, cursorParam, limitParam},
			ok: 200, okDesc: "the outlet and a page of its stories", result: service.OutletPage{}, errors: []int{400, 404, 500}}},
		{method: "GET", path: "/api/search", h: a.search, op: operation{id: "search", summary: "Search articles",
			description: "Articles matching a query, grouped by story, a page at a time. A query that does not parse is a 400 saying why.",
			params:      []paramDoc{queryParam, cursorParam, limitParam},
			ok:          200, okDesc: "a page of results", result: service.SearchPage{}, errors: []int{400, 500}}},
		{method: "GET", path: "/api/status", h: a.status, op: operation{id: "getStatus", summary: "Service status",
			description: "When the store last changed, how many articles and stories it holds, and the polled feeds.",
			ok:          200, okDesc: "the status", result: service.Status{}, errors: []int{500}}},
		{method: "GET", path: "/api/openapi.json", h: a.openAPI, op: operation{id: "getOpenAPI", summary: "This document",
			ok: 200, okDesc: "the OpenAPI 3.1 description of this API", result: map[string]any{"type": "object"}}},
		{method: "POST", path: "/api/articles", write: true, h: a.submit, op: operation{id: "submitArticles", summary: "Submit articles",
			description: "Ingest articles: one JSON object, a JSON array of them, or JSON lines (one object a line), with the fields of a JSONL input line; one of text (extracted text, stored as given) or html (a page to extract) is needed, or only url, to fetch that page. Fields of the wrong type read as empty. Each item that cannot be read is one line of the report's errors and the others go on; a body with no readable item is a 400. Returns once the articles are stored: 201 when some are new, 200 when none is.",
			body: map[string]any{
				"application/json": map[string]any{"oneOf": []any{SubmittedArticle{}, []SubmittedArticle{}}},
				"application/x-ndjson": map[string]any{"type": "string",
					"description": "JSON lines: one SubmittedArticle object a line"},
			},
			bodyDesc: "the articles",
			ok:       201, okDesc: "some articles were stored", result: service.SubmitReport{},
			also:   map[int]any{200: service.SubmitReport{}},
			errors: []int{400, 401, 403, 413, 500}}},
		{method: "POST", path: "/api/corrections", write: true, h: a.correct, op: operation{id: "correct", summary: "Record a correction",
			description: "A person's change to the stories or entities, applied at once and respected by later assignment. kind says what the other fields mean: move-article (article goes to story other), merge-stories (story other becomes part of story), split-story (articles leave story for a new story), merge-entities (entity other becomes part of entity), split-entity (spelling leaves entity for a new entity). Unknown fields are an error.",
			body:        map[string]any{"application/json": service.Correction{}}, bodyDesc: "the correction",
			ok: 201, okDesc: "the correction is recorded", result: CorrectionResult{}, errors: []int{400, 401, 403, 404, 409, 413, 500}}},
		{method: "POST", path: "/api/corrections/{id}/undo", write: true, h: a.undo, op: operation{id: "undoCorrection",
			summary: "Undo a correction", params: []paramDoc{idParam("correction")},
			ok: 200, okDesc: "the correction is undone", result: UndoResult{}, errors: []int{400, 401, 403, 404, 409, 500}}},
	}
	for _, f := range []string{"atom", "rss"} {
		ctype := "application/atom+xml"
		if f == "rss" {
			ctype = "application/rss+xml"
		}
		feedDesc := func(s string) string {
			if f == "atom" {
				return s + " As Atom 1.0."
			}
			return s + " As RSS 2.0."
		}
		rs = append(rs,
			route{method: "GET", path: "/feeds/stories." + f, h: a.storiesFeed(f), op: operation{id: "storiesFeed" + f,
				summary: "Latest stories feed", description: feedDesc("The most recently seen stories, one entry each, linking to /stories/{id}."),
				params: []paramDoc{feedLimitParam}, ok: 200, okDesc: "the feed", feedType: ctype, errors: []int{400, 500}}},
			route{method: "GET", path: "/feeds/story/{id}." + f, pattern: "GET /feeds/story/{file}", h: a.storyFeed,
				op: operation{id: "storyFeed" + f, summary: "One story's articles feed",
					description: feedDesc("A story's articles, latest first, linking to each article's page."),
					params:      []paramDoc{idParam("story"), feedLimitParam}, ok: 200, okDesc: "the feed", feedType: ctype, errors: []int{400, 404, 500}}},
			route{method: "GET", path: "/feeds/search." + f, h: a.searchFeed(f), op: operation{id: "searchFeed" + f,
				summary: "Search feed", description: feedDesc("The articles matching a query, as GET /api/search ranks them."),
				params: []paramDoc{queryParam, feedLimitParam}, ok: 200, okDesc: "the feed", feedType: ctype, errors: []int{400, 500}}},
		)
	}
	return rs
}

// SubmittedArticle is one article of POST /api/articles: the fields of a
// JSONL input line. Every field is optional but one of text, html and url.
type SubmittedArticle struct {
	ID        string `json:"id,omitempty"`        // the source's own ID
	Title     string `json:"title,omitempty"`     // a hint; extraction may find better
	Text      string `json:"text,omitempty"`      // extracted text, stored as given
	HTML      string `json:"html,omitempty"`      // a page to extract
	URL       string `json:"url,omitempty"`       // the article's address; alone, the page to fetch
	Source    string `json:"source,omitempty"`    // the outlet
	Published string `json:"published,omitempty"` // RFC 3339, RFC 1123, a date, Unix seconds…
	Lang      string `json:"lang,omitempty"`      // a language tag: en, ar, en-GB
}

var errorStatus = map[int]string{
	400: "bad request: a malformed parameter, query or body (the message says which)",
	401: "no bearer token, or the wrong one",
	403: "writes are disabled on this server",
	404: "no such story, article, entity, outlet or correction",
	413: "the body is over the size limit",
	500: "internal error (the cause is logged)",
}

// openAPIDocument is the OpenAPI 3.1 description of routes, as JSON.
func openAPIDocument(routes []route) []byte {
	s := &schemaSet{defs: map[string]any{}, types: map[string]reflect.Type{}}
	errRef := s.of(reflect.TypeFor[Error]())
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		o := rt.op
		op := map[string]any{"operationId": o.id, "summary": o.summary}
		if o.description != "" {
			op["description"] = o.description
		}
		tag := "read"
		switch {
		case rt.write:
			tag = "write"
		case o.feedType != "":
			tag = "feeds"
		}
		op["tags"] = []string{tag}
		var params []any
		for _, p := range o.params {
			params = append(params, map[string]any{"name": p.name, "in": p.in, "required": p.required,
				"description": p.description, "schema": p.schema})
		}
		if params != nil {
			op["parameters"] = params
		}
		if o.body != nil {
			content := map[string]any{}
			for ct, v := range o.body {
				content[ct] = map[string]any{"schema": s.value(v)}
			}
			op["requestBody"] = map[string]any{"required": true, "description": o.bodyDesc, "content": content}
		}
		resp := map[string]any{}
		if o.feedType != "" {
			resp[fmt.Sprint(o.ok)] = map[string]any{"description": o.okDesc,
				"content": map[string]any{o.feedType: map[string]any{"schema": map[string]any{"type": "string"}}}}
		} else {
			resp[fmt.Sprint(o.ok)] = map[string]any{"description": o.okDesc,
				"content": map[string]any{"application/json": map[string]any{"schema": s.value(o.result)}}}
			for st, v := range o.also {
				resp[fmt.Sprint(st)] = map[string]any{"description": http.StatusText(st),
					"content": map[string]any{"application/json": map[string]any{"schema": s.value(v)}}}
			}
		}
		for _, st := range o.errors {
			resp[fmt.Sprint(st)] = map[string]any{"description": errorStatus[st],
				"content": map[string]any{"application/json": map[string]any{"schema": errRef}}}
		}
		if rt.write {
			op["security"] = []any{map[string]any{"bearer": []string{}}}
			resp["401"].(map[string]any)["headers"] = map[string]any{"WWW-Authenticate": map[string]any{
				"description": `Bearer realm="storyline"`, "schema": map[string]any{"type": "string"}}}
		}
		op["responses"] = resp
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][lower(rt.method)] = op
	}
	// The correction's kinds.
	if c, ok := s.defs["Correction"].(map[string]any); ok {
		c["properties"].(map[string]any)["kind"] = map[string]any{"type": "string", "enum": correctionKinds}
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "Storyline API",
			"version": "1",
			"description": "Stories, articles, entities and search over a Storyline store, and the writes a person makes. " +
				"JSON in snake_case; errors are {\"error\": \"...\", \"status\": N}. Lists are cursor-paged: pass a page's next as cursor " +
				"to get the following page, until next is absent. Writes need Authorization: Bearer TOKEN. No CORS headers are sent.",
		},
		"servers": []any{map[string]any{"url": "/"}},
		"tags": []any{
			map[string]any{"name": "read", "description": "reads, open to all"},
			map[string]any{"name": "write", "description": "changes, with the bearer token"},
			map[string]any{"name": "feeds", "description": "Atom and RSS feeds"},
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": s.defs,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "the server's write token"}},
		},
	}
	b, err := marshalIndent(doc)
	if err != nil {
		panic("api: OpenAPI document: " + err.Error()) // a bug: the document is built from constants
	}
	return b
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
