package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// openAPIDoc is the parsed document, with a small JSON Schema validator
// for the responses it describes.
type openAPIDoc struct {
	raw     map[string]any
	paths   map[string]any
	schemas map[string]any
}

func loadDoc(t testing.TB, h http.Handler) openAPIDoc {
	t.Helper()
	rec := do(t, h, "GET", "/api/openapi.json", nil)
	if rec.Code != 200 {
		t.Fatalf("openapi.json: %d", rec.Code)
	}
	var raw map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	d := openAPIDoc{raw: raw}
	d.paths, _ = raw["paths"].(map[string]any)
	comp, _ := raw["components"].(map[string]any)
	d.schemas, _ = comp["schemas"].(map[string]any)
	return d
}

func (d openAPIDoc) op(method, path string) map[string]any {
	p, _ := d.paths[path].(map[string]any)
	o, _ := p[method].(map[string]any)
	return o
}

// checkResponse validates a response body against the schema the document
// gives for method path status.
func (d openAPIDoc) checkResponse(t testing.TB, method, path string, status int, body any) {
	t.Helper()
	o := d.op(method, path)
	if o == nil {
		t.Fatalf("%s %s is not in the document", method, path)
	}
	resp, _ := o["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if resp == nil {
		t.Fatalf("%s %s: status %d is not in the document", method, path, status)
	}
	sch := resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	for _, err := range d.validate("$", body, sch) {
		t.Errorf("%s %s %d: %v", method, path, status, err)
	}
}

// validate checks v against a schema: $ref, oneOf, type, properties,
// required, additionalProperties, items, enum and date-time.
func (d openAPIDoc) validate(at string, v any, sch map[string]any) []error {
	if ref, ok := sch["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		def, ok := d.schemas[name].(map[string]any)
		if !ok {
			return []error{fmt.Errorf("%s: $ref %s does not resolve", at, ref)}
		}
		return d.validate(at, v, def)
	}
	if alts, ok := sch["oneOf"].([]any); ok {
		for _, a := range alts {
			if len(d.validate(at, v, a.(map[string]any))) == 0 {
				return nil
			}
		}
		return []error{fmt.Errorf("%s: matches no oneOf", at)}
	}
	var types []string
	switch ty := sch["type"].(type) {
	case string:
		types = []string{ty}
	case []any:
		for _, x := range ty {
			types = append(types, x.(string))
		}
	}
	if len(types) > 0 && !slices.Contains(types, jsonType(v)) && !(jsonType(v) == "integer" && slices.Contains(types, "number")) {
		return []error{fmt.Errorf("%s: %s, want %v", at, jsonType(v), types)}
	}
	if enum, ok := sch["enum"].([]any); ok && !slices.Contains(enum, v) {
		return []error{fmt.Errorf("%s: %v is not one of %v", at, v, enum)}
	}
	var errs []error
	switch x := v.(type) {
	case string:
		if sch["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a date-time", at, x))
			}
		}
	case []any:
		if items, ok := sch["items"].(map[string]any); ok {
			for i, y := range x {
				errs = append(errs, d.validate(fmt.Sprintf("%s[%d]", at, i), y, items)...)
			}
		}
	case map[string]any:
		props, _ := sch["properties"].(map[string]any)
		if req, ok := sch["required"].([]any); ok {
			for _, r := range req {
				if _, ok := x[r.(string)]; !ok {
					errs = append(errs, fmt.Errorf("%s: no %s", at, r))
				}
			}
		}
		for k, y := range x {
			if p, ok := props[k].(map[string]any); ok {
				errs = append(errs, d.validate(at+"."+k, y, p)...)
				continue
			}
			switch ap := sch["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Errorf("%s: %s is not in the schema", at, k))
				}
			case map[string]any:
				errs = append(errs, d.validate(at+"."+k, y, ap)...)
			}
		}
	}
	return errs
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

func TestOpenAPIDocument(t *testing.T) {
	h, _ := newTest(t)
	d := loadDoc(t, h)
	if v, _ := d.raw["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", v)
	}
	info, _ := d.raw["info"].(map[string]any)
	if info["title"] == "" || info["title"] == nil || info["version"] == "" || info["version"] == nil {
		t.Errorf("info %v lacks title or version", info)
	}
	if len(d.paths) == 0 {
		t.Fatal("no paths")
	}
	rec := do(t, h, "GET", "/api/openapi.json", nil)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}

	// Every route is in the document, and every operation of the document
	// is a route.
	a := h.(*API)
	served := map[string]bool{}
	for _, rt := range a.routes() {
		key := strings.ToLower(rt.method) + " " + rt.path
		served[key] = true
		if d.op(strings.ToLower(rt.method), rt.path) == nil {
			t.Errorf("route %s is not in the document", key)
		}
	}
	ids := map[string]bool{}
	tmpl := regexp.MustCompile(`\{([a-z_]+)\}`)
	for path, p := range d.paths {
		for method, o := range p.(map[string]any) {
			key := method + " " + path
			if !served[key] {
				t.Errorf("the document has %s, which no route serves", key)
			}
			op := o.(map[string]any)
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s: operationId %q missing or repeated", key, id)
			}
			ids[id] = true
			if _, ok := op["responses"].(map[string]any); !ok {
				t.Errorf("%s: no responses", key)
			}
			// Path parameters are declared, and declared ones are in the path.
			declared := map[string]bool{}
			params, _ := op["parameters"].([]any)
			for _, x := range params {
				pm := x.(map[string]any)
				if pm["in"] == "path" {
					declared[pm["name"].(string)] = true
					if pm["required"] != true {
						t.Errorf("%s: path parameter %v not required", key, pm["name"])
					}
				}
				if pm["schema"] == nil || pm["description"] == "" {
					t.Errorf("%s: parameter %v lacks a schema or description", key, pm["name"])
				}
			}
			for _, m := range tmpl.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s: {%s} is not declared", key, m[1])
				}
				delete(declared, m[1])
			}
			if len(declared) > 0 {
				t.Errorf("%s: declared path parameters %v are not in the path", key, declared)
			}
			// The handler serves it: not the router's 404 or 405.
			target := tmpl.ReplaceAllStringFunc(path, func(s string) string {
				if s == "{name}" {
					return "Reuters"
				}
				return "1"
			})
			if strings.Contains(target, "search") {
				target += "?q=floods"
			}
			rec := do(t, h, strings.ToUpper(method), target, strings.NewReader("{}"))
			if rec.Code == http.StatusMethodNotAllowed || strings.Contains(rec.Body.String(), "no such endpoint") {
				t.Errorf("%s %s: the handler does not serve it (%d %s)", method, target, rec.Code, rec.Body)
			}
			if _, ok := op["responses"].(map[string]any)[fmt.Sprint(rec.Code)]; !ok {
				t.Errorf("%s %s: status %d is not documented", method, target, rec.Code)
			}
		}
	}

	// Every $ref resolves, anywhere in the document.
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if _, ok := d.schemas[strings.TrimPrefix(ref, "#/components/schemas/")]; !ok || !strings.HasPrefix(ref, "#/components/schemas/") {
					t.Errorf("%s: $ref %s does not resolve", at, ref)
				}
			}
			for k, y := range x {
				walk(at+"/"+k, y)
			}
		case []any:
			for i, y := range x {
				walk(fmt.Sprintf("%s/%d", at, i), y)
			}
		}
	}
	walk("#", d.raw)

	// Schema property names are snake_case too.
	for name, s := range d.schemas {
		props, _ := s.(map[string]any)["properties"].(map[string]any)
		for k := range props {
			if !snake.MatchString(k) {
				t.Errorf("schema %s: property %q is not snake_case", name, k)
			}
		}
	}
	// Writes name their security; reads do not.
	for _, rt := range a.routes() {
		_, has := d.op(strings.ToLower(rt.method), rt.path)["security"]
		if has != rt.write {
			t.Errorf("%s %s: security %v, write %v", rt.method, rt.path, has, rt.write)
		}
	}
}
