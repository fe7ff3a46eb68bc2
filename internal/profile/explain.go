package profile

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/zdial/zdial/internal/secret"
)

// flatten lists the set (non-zero) fields of p by their YAML paths, in
// field order, secrets masked: what `zdial config show` prints, and what
// tells which layer of a resolution set a value.
func flatten(p Profile) []Value {
	var out []Value
	walk(reflect.ValueOf(p), "", &out)
	return out
}

var secretType = reflect.TypeFor[secret.String]()

func walk(v reflect.Value, path string, out *[]Value) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		field := v.Field(i)
		if path != "" {
			name = path + "." + name
		}
		if field.IsZero() {
			continue
		}
		switch {
		case field.Type() == secretType:
			*out = append(*out, Value{Field: name, Value: secret.Mask})
		case field.Kind() == reflect.Struct && field.Type().PkgPath() == t.PkgPath():
			walk(field, name, out)
		case field.Kind() == reflect.Pointer:
			*out = append(*out, Value{Field: name, Value: fmt.Sprint(field.Elem().Interface())})
		case field.Kind() == reflect.Slice:
			*out = append(*out, Value{Field: name, Value: fmt.Sprintf("%q", field.Interface())})
		default:
			*out = append(*out, Value{Field: name, Value: fmt.Sprint(field.Interface())})
		}
	}
}
