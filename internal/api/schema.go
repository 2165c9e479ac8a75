package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// schemaSet builds JSON Schemas (OpenAPI 3.1 dialect) from Go types as
// encoding/json writes them, so that the document cannot drift from the
// responses: named structs become components, referred to by $ref.
type schemaSet struct {
	defs  map[string]any
	types map[string]reflect.Type
}

// value is the schema of a Go value's type, or v itself when it is a
// schema already (a map), with the Go values in its oneOf turned into
// schemas.
func (s *schemaSet) value(v any) any {
	if m, ok := v.(map[string]any); ok {
		out := map[string]any{}
		for k, x := range m {
			if k == "oneOf" {
				var alts []any
				for _, a := range x.([]any) {
					alts = append(alts, s.value(a))
				}
				x = alts
			}
			out[k] = x
		}
		return out
	}
	return s.of(reflect.TypeOf(v))
}

var timeType = reflect.TypeFor[time.Time]()

// of is the schema of t.
func (s *schemaSet) of(t reflect.Type) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.of(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer"}
	case reflect.Int64, reflect.Uint, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": s.of(t.Elem())}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("api: schema of %v: map keys must be strings", t))
		}
		return map[string]any{"type": "object", "additionalProperties": s.of(t.Elem())}
	case reflect.Struct:
		name := t.Name()
		if name == "" {
			return s.object(t)
		}
		if prev, ok := s.types[name]; ok {
			if prev != t {
				panic(fmt.Sprintf("api: schema name %s for both %v and %v", name, prev, t))
			}
		} else {
			s.types[name] = t
			s.defs[name] = nil // a placeholder against recursion
			s.defs[name] = s.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	case reflect.Interface:
		return map[string]any{}
	}
	panic(fmt.Sprintf("api: no schema for %v", t))
}

// object is a struct's schema: its JSON fields, those without omitempty
// or omitzero required.
func (s *schemaSet) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	s.fields(t, props, &required)
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func (s *schemaSet) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			s.fields(f.Type, props, required)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		sch := s.of(f.Type)
		if strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			// Omitted when empty: never null.
		} else {
			*required = append(*required, name)
			if k := f.Type.Kind(); k == reflect.Slice || k == reflect.Map {
				sch["type"] = []string{sch["type"].(string), "null"} // encoding/json writes a nil one as null
			}
		}
		props[name] = sch
	}
}

// marshalIndent writes v as indented JSON without HTML escaping.
func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
