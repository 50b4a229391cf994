package main

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// Schema is the structural OpenAPI v3 subset the platform contract writes its claim schemas in
// (the XRDs' openAPIV3Schema). CEL rules (x-kubernetes-validations) are enforced by the API server
// at admission; the function evaluates only the `!has(self.<field>)` ones (a field that must never
// be given, such as a device password in clear), as a second line of defence for a composite
// created without its claim's admission.
type Schema struct {
	Type        string             `json:"type"`
	Description string             `json:"description"`
	Properties  map[string]*Schema `json:"properties"`
	Required    []string           `json:"required"`
	Items       *Schema            `json:"items"`
	Enum        []any              `json:"enum"`
	Default     any                `json:"default"`
	Pattern     string             `json:"pattern"`
	MinLength   *int               `json:"minLength"`
	MaxLength   *int               `json:"maxLength"`
	Minimum     *float64           `json:"minimum"`
	MaxItems    *int               `json:"maxItems"`
	ListType    string             `json:"x-kubernetes-list-type"`
	ListMapKeys []string           `json:"x-kubernetes-list-map-keys"`
	Validations []Validation       `json:"x-kubernetes-validations"`
}

// Validation is a CEL rule and the message the API server reports when it fails.
type Validation struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// refusedField matches the CEL rules the function evaluates itself: `!has(self.<field>)`.
var refusedField = regexp.MustCompile(`^!has\(self\.([A-Za-z_][A-Za-z0-9_]*)\)$`)

// Normalize does what the API server does to an object of this schema before it stores it: prunes
// fields the schema does not know, applies defaults (also inside defaulted values), and validates.
// The problems are worded as the API server words them, each naming the field path.
func (s *Schema) Normalize(path string, value any) (any, []string) {
	normalized := s.prune(value)
	normalized = s.applyDefaults(normalized)
	var problems []string
	s.validate(path, normalized, &problems)
	return normalized, problems
}

func (s *Schema) prune(value any) any {
	switch s.Type {
	case "object":
		object, ok := value.(map[string]any)
		if !ok || s.Properties == nil {
			return value
		}
		pruned := make(map[string]any, len(object))
		for key, field := range object {
			if sub, known := s.Properties[key]; known {
				pruned[key] = sub.prune(field)
			}
		}
		return pruned
	case "array":
		list, ok := value.([]any)
		if !ok || s.Items == nil {
			return value
		}
		pruned := make([]any, len(list))
		for i, item := range list {
			pruned[i] = s.Items.prune(item)
		}
		return pruned
	}
	return value
}

func (s *Schema) applyDefaults(value any) any {
	switch s.Type {
	case "object":
		object, ok := value.(map[string]any)
		if !ok {
			return value
		}
		for key, sub := range s.Properties {
			if _, present := object[key]; !present && sub.Default != nil {
				object[key] = deepCopy(sub.Default)
			}
			if field, present := object[key]; present {
				object[key] = sub.applyDefaults(field)
			}
		}
		return object
	case "array":
		list, ok := value.([]any)
		if !ok || s.Items == nil {
			return value
		}
		for i, item := range list {
			list[i] = s.Items.applyDefaults(item)
		}
		return list
	}
	return value
}

func (s *Schema) validate(path string, value any, problems *[]string) {
	add := func(format string, args ...any) { *problems = append(*problems, fmt.Sprintf(format, args...)) }
	if !s.hasType(value) {
		add("%s: Invalid value: %q: %s in body must be of type %s: %q", path, jsonType(value), path, s.Type, jsonType(value))
		return
	}
	if len(s.Enum) > 0 && !contains(s.Enum, value) {
		allowed := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			allowed[i] = render(v)
		}
		add("%s: Unsupported value: %s: supported values: %s", path, render(value), strings.Join(allowed, ", "))
	}
	// hasType has checked value's type: the assertions below cannot fail.
	switch s.Type {
	case "string":
		text, _ := value.(string)
		if s.MaxLength != nil && len(text) > *s.MaxLength {
			add("%s: Too long: may not be more than %d bytes", path, *s.MaxLength)
		}
		if s.MinLength != nil && len(text) < *s.MinLength {
			add("%s: Invalid value: %q: %s in body should be at least %d chars long", path, text, path, *s.MinLength)
		}
		if s.Pattern != "" {
			if re, err := regexp.Compile(s.Pattern); err != nil {
				add("%s: schema pattern %q does not compile: %v", path, s.Pattern, err)
			} else if !re.MatchString(text) {
				add("%s: Invalid value: %q: %s in body should match '%s'", path, text, path, s.Pattern)
			}
		}
	case "integer":
		if number, _ := value.(float64); s.Minimum != nil && number < *s.Minimum {
			add("%s: Invalid value: %s: %s in body should be greater than or equal to %s", path, render(value), path, render(*s.Minimum))
		}
	case "object":
		object, _ := value.(map[string]any)
		for _, rule := range s.Validations {
			if field := refusedField.FindStringSubmatch(rule.Rule); field != nil {
				if _, present := object[field[1]]; present {
					add("%s: Invalid value: \"object\": %s", path, rule.Message)
				}
			}
		}
		for _, key := range s.Required {
			if _, present := object[key]; !present {
				add("%s.%s: Required value", path, key)
			}
		}
		for _, key := range sortedKeys(object) {
			if sub, known := s.Properties[key]; known {
				sub.validate(path+"."+key, object[key], problems)
			}
		}
	case "array":
		list, _ := value.([]any)
		if s.MaxItems != nil && len(list) > *s.MaxItems {
			add("%s: Too many: %d: must have at most %d items", path, len(list), *s.MaxItems)
		}
		seen := map[string]bool{}
		for i, item := range list {
			itemPath := fmt.Sprintf("%s[%d]", path, i)
			if s.Items != nil {
				s.Items.validate(itemPath, item, problems)
			}
			if s.ListType == "map" && len(s.ListMapKeys) > 0 {
				if object, ok := item.(map[string]any); ok {
					key := map[string]any{}
					for _, k := range s.ListMapKeys {
						key[k] = object[k]
					}
					id := render(key)
					if seen[id] {
						add("%s: Duplicate value: %s", itemPath, id)
					}
					seen[id] = true
				}
			}
		}
	}
}

// hasType: JSON numbers decode as float64; an integer is one without a fraction.
func (s *Schema) hasType(value any) bool {
	switch s.Type {
	case "object":
		_, ok := value.(map[string]any)
		return ok
	case "array":
		_, ok := value.([]any)
		return ok
	case "string":
		_, ok := value.(string)
		return ok
	case "boolean":
		_, ok := value.(bool)
		return ok
	case "integer":
		n, ok := value.(float64)
		return ok && n == math.Trunc(n)
	case "":
		return true
	}
	return false
}

func jsonType(value any) string {
	switch v := value.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", value)
}

func contains(values []any, value any) bool {
	for _, v := range values {
		if render(v) == render(value) {
			return true
		}
	}
	return false
}

// render is a value as JSON: "oracle", 3, {"name":"a"}.
func render(value any) string {
	out, err := json.Marshal(value)
	if err != nil {
		return fmt.Sprint(value)
	}
	return string(out)
}

func sortedKeys(object map[string]any) []string {
	keys := make([]string, 0, len(object))
	for key := range object {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

// deepCopy copies a JSON value (maps, lists, scalars), so defaults are never shared.
func deepCopy(value any) any {
	switch v := value.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for key, field := range v {
			out[key] = deepCopy(field)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = deepCopy(item)
		}
		return out
	}
	return value
}
