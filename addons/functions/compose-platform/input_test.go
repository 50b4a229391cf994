package main

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/realtime-platform/realtime-platform/addons/functions/compose-platform/input/v1alpha1"
)

// jsonFields are the JSON field names of a struct type and their types (inline TypeMeta left out:
// apiVersion and kind are every object's, not the schema's).
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		field := t.Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = field.Type
	}
	return fields
}

// sameShape reports where a Go type and a schema of contract.json differ: a schema property
// without a typed field (the function would silently ignore it), a typed field the schema does not
// have (never set: the schema prunes it), or a field of another type.
func sameShape(path string, t reflect.Type, s *Schema) []string {
	kinds := map[string]reflect.Kind{"string": reflect.String, "boolean": reflect.Bool, "integer": reflect.Int, "object": reflect.Struct}
	if want, known := kinds[s.Type]; !known || t.Kind() != want {
		return []string{path + ": schema type " + s.Type + ", Go type " + t.String()}
	}
	if s.Type != "object" {
		return nil
	}
	var problems []string
	fields := jsonFields(t)
	for name, sub := range s.Properties {
		field, typed := fields[name]
		if !typed {
			problems = append(problems, path+"."+name+": in the schema, not in the Go type")
			continue
		}
		problems = append(problems, sameShape(path+"."+name, field, sub)...)
	}
	for name := range fields {
		if _, inSchema := s.Properties[name]; !inSchema {
			problems = append(problems, path+"."+name+": in the Go type, not in the schema")
		}
	}
	sort.Strings(problems)
	return problems
}

func TestTheTypedInputIsTheGeneratedInputSchema(t *testing.T) {
	contract, err := LoadContract(contractJSON)
	if err != nil {
		t.Fatalf("LoadContract: %v", err)
	}
	if contract.Input.APIVersion != v1alpha1.APIVersion || contract.Input.Kind != v1alpha1.Kind {
		t.Errorf("contract.json's input is %s %s, the Go package's %s %s",
			contract.Input.APIVersion, contract.Input.Kind, v1alpha1.APIVersion, v1alpha1.Kind)
	}
	if problems := sameShape("input", reflect.TypeFor[v1alpha1.Input](), contract.Input.Schema); len(problems) > 0 {
		t.Errorf("input/v1alpha1 and contract.json's input schema differ:\n%s", strings.Join(problems, "\n"))
	}
}

func TestTheShapeCheckCatchesADriftedInputType(t *testing.T) {
	contract, err := LoadContract(contractJSON)
	if err != nil {
		t.Fatalf("LoadContract: %v", err)
	}
	type drifted struct {
		Release       v1alpha1.Release `json:"release"`
		ClusterDomain int              `json:"clusterDomain"`
		Extra         string           `json:"extra"`
	}
	got := strings.Join(sameShape("input", reflect.TypeFor[drifted](), contract.Input.Schema), "\n")
	for _, want := range []string{
		"input.clusterDomain: schema type string, Go type int",
		"input.extra: in the Go type, not in the schema",
		"input.lenses: in the schema, not in the Go type",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("sameShape did not report %q; it reported:\n%s", want, got)
		}
	}
}
