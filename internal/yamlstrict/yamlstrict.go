// Package yamlstrict is the one strict YAML decoder for every file zdial
// reads (profiles, chat scripts, the carrier database). A key the target
// has no field for is an error, as is a value of the wrong type, and each
// error names its line, column and the dotted path of the field:
//
//	profiles:
//	  work:
//	    pppd:
//	      sped: 9600     →  4:7: profiles.work.pppd.sped: unknown field (known: defaultroute, …)
//
// The caller puts the file name in front. The package imports nothing from
// zdial, so that package chat, which imports no zdial domain package, can
// use it.
//
// Decode walks the document and the Go value together, field by field
// (through structs, pointers, slices and maps), rather than leaving it to
// yaml.v3's KnownFields, whose errors name a line but neither the column
// nor the field. A type with its own UnmarshalYAML decodes itself; if it
// calls Decode in turn, the errors it returns get the outer path in front.
package yamlstrict

import (
	"encoding"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a problem at a place in a YAML document.
type Error struct {
	Line, Col int    // 1-based; Col is 0 when yaml.v3 gave only a line
	Path      string // dotted path to the field: profiles.work.pppd.speed, steps[2].expect
	Err       error
}

// Error reads "line:col: path: problem".
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Line > 0 && e.Col > 0:
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Col)
	case e.Line > 0:
		fmt.Fprintf(&b, "%d: ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrUnknownField is matched by the error for a key the target lacks.
var ErrUnknownField = errors.New("unknown field")

// Errorf is an error about node n, for a type's own UnmarshalYAML.
func Errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{Line: n.Line, Col: n.Column, Err: fmt.Errorf(format, args...)}
}

// Read decodes the one YAML document in r into v, which must be a
// non-nil pointer. An empty document returns io.EOF; a syntax error is an
// *Error with the line yaml.v3 names.
func Read(r io.Reader, v any) error {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		return syntaxError(err)
	}
	return Decode(&doc, v)
}

// Decode decodes node n into v, a non-nil pointer, strictly.
func Decode(n *yaml.Node, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("yamlstrict: Decode needs a non-nil pointer, not %T", v)
	}
	return decode(n, rv.Elem(), "")
}

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func decode(n *yaml.Node, v reflect.Value, path string) error {
	for n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	pt := reflect.PointerTo(v.Type())
	if pt.Implements(unmarshalerType) || n.ShortTag() == "!!null" ||
		(pt.Implements(textUnmarshalerType) && n.Kind == yaml.ScalarNode) {
		// Types that decode themselves (a USB ID from "19d2:2000"):
		// yaml.v3 calls their UnmarshalYAML or UnmarshalText.
		return leaf(n, v, path)
	}
	switch {
	case v.Kind() == reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return decode(n, v.Elem(), path)
	case v.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		return decodeStruct(n, v, path)
	case v.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		return decodeMap(n, v, path)
	case v.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := decode(item, s.Index(i), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case v.Kind() == reflect.Struct || v.Kind() == reflect.Map:
		return &Error{Line: n.Line, Col: n.Column, Path: path, Err: errors.New("expected a mapping")}
	}
	return leaf(n, v, path)
}

func decodeStruct(n *yaml.Node, v reflect.Value, path string) error {
	fields := fieldsOf(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		idx, ok := fields[k.Value]
		if !ok {
			known := make([]string, 0, len(fields))
			for name := range fields {
				known = append(known, name)
			}
			sort.Strings(known)
			return &Error{Line: k.Line, Col: k.Column, Path: join(path, k.Value),
				Err: fmt.Errorf("%w (known: %s)", ErrUnknownField, strings.Join(known, ", "))}
		}
		if err := decode(val, v.Field(idx), join(path, k.Value)); err != nil {
			return err
		}
	}
	return nil
}

func decodeMap(n *yaml.Node, v reflect.Value, path string) error {
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := reflect.New(v.Type().Key()).Elem()
		if err := leaf(k, key, path); err != nil {
			return err
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		if err := decode(val, elem, join(path, k.Value)); err != nil {
			return err
		}
		v.SetMapIndex(key, elem)
	}
	return nil
}

// fieldsOf maps a struct's YAML keys to field indexes, named as yaml.v3
// names them: the tag, or the lower-cased field name.
func fieldsOf(t reflect.Type) map[string]int {
	fields := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		switch name {
		case "-":
			continue
		case "":
			name = strings.ToLower(f.Name)
		}
		fields[name] = i
	}
	return fields
}

// leaf lets yaml.v3 decode n into v, and places its errors.
func leaf(n *yaml.Node, v reflect.Value, path string) error {
	err := n.Decode(v.Addr().Interface())
	if err == nil {
		return nil
	}
	if e, ok := errors.AsType[*Error](err); ok {
		// From a type's own UnmarshalYAML: it knows the place, we the path.
		out := *e
		out.Path = join(path, e.Path)
		if out.Line == 0 {
			out.Line, out.Col = n.Line, n.Column
		}
		return &out
	}
	return &Error{Line: n.Line, Col: n.Column, Path: path, Err: cleanTypeError(err)}
}

func join(path, field string) string {
	switch {
	case path == "":
		return field
	case field == "" || strings.HasPrefix(field, "["):
		return path + field
	}
	return path + "." + field
}

// cleanTypeError drops yaml.v3's "yaml: unmarshal errors: line N:"
// framing: the Error gives the position.
func cleanTypeError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "line ") && i > 0 {
			msg = msg[i+2:]
		}
		return errors.New(msg)
	}
	return err
}

// syntaxError turns yaml.v3's "yaml: line 3: did not find expected key"
// into an *Error at line 3.
func syntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		return &Error{Line: line, Err: errors.New(msg)}
	}
	return &Error{Err: errors.New(msg)}
}
