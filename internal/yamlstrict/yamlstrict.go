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
// A key given twice in one mapping is an error naming both places, a second
// document in the stream is an error, and a near miss of a known key gets
// "did you mean". Decoding goes on after a problem, so a file's errors are
// reported together (up to MaxErrors). Errors never quote a value from the
// file. The caller puts the file name in front. The package imports nothing from
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
	"regexp"
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

// ErrDuplicateKey is matched by the error for a key given twice in one
// mapping: yaml.v3 would keep the second silently (a profile's PIN lost
// to a second profile of the same name).
var ErrDuplicateKey = errors.New("duplicate key")

// ErrSecondDocument is matched by the error for a stream that holds more
// than one document: every file zdial reads is one document, and the rest
// would be ignored.
var ErrSecondDocument = errors.New("a second YAML document")

// MaxErrors is how many problems Read and Decode report at most before
// they stop looking.
const MaxErrors = 20

// List is several problems in one document, in document order. Read and
// Decode return a single *Error when there is one problem, and a List when
// there are several; errors.As finds the first *Error in either.
type List []*Error

func (l List) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Errors returns the problems err holds: the *Errors of a List, the one
// *Error, or nil.
func Errors(err error) []*Error {
	if l, ok := errors.AsType[List](err); ok {
		return l
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return []*Error{e}
	}
	return nil
}

// Read decodes the one YAML document in r into v, which must be a
// non-nil pointer. An empty document returns io.EOF; a syntax error is an
// *Error with the line yaml.v3 names; a second document is an error at its
// start (ErrSecondDocument).
func Read(r io.Reader, v any) error {
	dec := yaml.NewDecoder(r)
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		return syntaxError(err)
	}
	err := Decode(&doc, v)
	var next yaml.Node
	switch nerr := dec.Decode(&next); {
	case errors.Is(nerr, io.EOF):
	case nerr != nil && err == nil:
		return syntaxError(nerr)
	case nerr == nil:
		line, col := next.Line, next.Column
		if len(next.Content) > 0 {
			line, col = next.Content[0].Line, next.Content[0].Column
		}
		second := &Error{Line: line, Col: col,
			Err: fmt.Errorf("%w: a file holds one document; remove the --- line before it, or move it to a file of its own", ErrSecondDocument)}
		return join(Errors(err), second)
	}
	return err
}

// join returns errs as one error: nil, the *Error, or a List.
func join(errs []*Error, more ...*Error) error {
	errs = append(errs, more...)
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return List(errs)
}

// Decode decodes node n into v, a non-nil pointer, strictly. It goes on
// after a problem where it can (an unknown or duplicate key, a value of
// the wrong type), up to MaxErrors.
func Decode(n *yaml.Node, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("yamlstrict: Decode needs a non-nil pointer, not %T", v)
	}
	d := &decoder{}
	if err := d.decode(n, rv.Elem(), ""); err != nil {
		d.add(err)
	}
	return join(d.errs)
}

// decoder collects the problems of one Decode.
type decoder struct {
	errs  []*Error
	nodes int // nodes visited, aliases expanded
}

// MaxNodes bounds the nodes one Decode visits, counting each use of an
// alias afresh: a small document whose aliases refer to aliases ("a
// billion laughs") would otherwise expand without end.
const MaxNodes = 1 << 17

// ErrTooComplex is matched by the error for a document past MaxNodes.
var ErrTooComplex = errors.New("document too complex")

// add records err; it reports false once MaxErrors are recorded, when
// decoding should stop.
func (d *decoder) add(err error) bool {
	if err == errStop {
		return false
	}
	for _, e := range Errors(err) {
		if len(d.errs) < MaxErrors {
			d.errs = append(d.errs, e)
		}
	}
	if len(Errors(err)) == 0 && len(d.errs) < MaxErrors {
		d.errs = append(d.errs, &Error{Err: err})
	}
	return len(d.errs) < MaxErrors
}

// errStop unwinds a decode that has recorded MaxErrors problems.
var errStop = errors.New("yamlstrict: too many errors")

// note records a problem found while decoding goes on; the error it
// returns, when not nil, stops the decode.
func (d *decoder) note(err error) error {
	if !d.add(err) {
		return errStop
	}
	return nil
}

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) error {
	d.nodes += 1 + len(n.Content)
	if d.nodes > MaxNodes {
		d.add(&Error{Line: n.Line, Col: n.Column, Path: path,
			Err: fmt.Errorf("%w: more than %d values once aliases are expanded", ErrTooComplex, MaxNodes)})
		return errStop
	}
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
		return d.decode(n, v.Elem(), path)
	case v.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		return d.decodeStruct(n, v, path)
	case v.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		return d.decodeMap(n, v, path)
	case v.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := d.decode(item, s.Index(i), path+"["+strconv.Itoa(i)+"]"); err != nil {
				if err := d.note(err); err != nil {
					return err
				}
			}
		}
		v.Set(s)
		return nil
	case v.Kind() == reflect.Struct || v.Kind() == reflect.Map:
		return &Error{Line: n.Line, Col: n.Column, Path: path, Err: errors.New("expected a mapping")}
	}
	return leaf(n, v, path)
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) error {
	fields := fieldsOf(v.Type())
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if err := duplicate(seen, k, path); err != nil {
			if err := d.note(err); err != nil {
				return err
			}
			continue
		}
		idx, ok := fields[k.Value]
		if !ok {
			if err := d.note(unknownField(k, path, fields)); err != nil {
				return err
			}
			continue
		}
		if err := d.decode(val, v.Field(idx), join2(path, keyName(k.Value))); err != nil {
			if err := d.note(err); err != nil {
				return err
			}
		}
	}
	return nil
}

// duplicate records key k of a mapping in seen, and returns an error naming
// both places when the mapping had it already.
func duplicate(seen map[string]*yaml.Node, k *yaml.Node, path string) error {
	if first, ok := seen[k.Value]; ok && k.Kind == yaml.ScalarNode {
		return &Error{Line: k.Line, Col: k.Column, Path: join2(path, keyName(k.Value)),
			Err: fmt.Errorf("%w: also at line %d:%d; keep one of them", ErrDuplicateKey, first.Line, first.Column)}
	}
	seen[k.Value] = k
	return nil
}

// unknownField is the error for key k, which the struct lacks: with the
// near miss it probably meant, and the keys it knows.
func unknownField(k *yaml.Node, path string, fields map[string]int) error {
	known := make([]string, 0, len(fields))
	for name := range fields {
		known = append(known, name)
	}
	sort.Strings(known)
	msg := fmt.Errorf("%w (known: %s)", ErrUnknownField, strings.Join(known, ", "))
	if near := nearest(k.Value, known); near != "" {
		msg = fmt.Errorf("%w (known: %s); did you mean %s?", ErrUnknownField, strings.Join(known, ", "), near)
	}
	return &Error{Line: k.Line, Col: k.Column, Path: join2(path, keyName(k.Value)), Err: msg}
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) error {
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if err := duplicate(seen, k, path); err != nil {
			if err := d.note(err); err != nil {
				return err
			}
			continue
		}
		key := reflect.New(v.Type().Key()).Elem()
		if err := leaf(k, key, path); err != nil {
			if err := d.note(err); err != nil {
				return err
			}
			continue
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		if err := d.decode(val, elem, join2(path, keyName(k.Value))); err != nil {
			if err := d.note(err); err != nil {
				return err
			}
			continue
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
	if own := Errors(err); len(own) > 0 {
		// From a type's own UnmarshalYAML: it knows the place, we the path.
		out := make([]*Error, len(own))
		for i, e := range own {
			c := *e
			c.Path = join2(path, e.Path)
			if c.Line == 0 {
				c.Line, c.Col = n.Line, n.Column
			}
			out[i] = &c
		}
		return join(out)
	}
	return &Error{Line: n.Line, Col: n.Column, Path: path, Err: cleanTypeError(err)}
}

// keyName is a key as a path shows it: a key that does not look like one
// (too long, or with characters keys do not have) is shown as "…", so
// that a file that is not what the caller expected — a shadow file named
// as a script — is not echoed line by line in the errors.
func keyName(k string) string {
	if len(k) == 0 || len(k) > 40 {
		return "…"
	}
	for _, r := range k {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(" _.+@-", r):
		default:
			return "…"
		}
	}
	return k
}

func join2(path, field string) string {
	switch {
	case path == "":
		return field
	case field == "" || strings.HasPrefix(field, "["):
		return path + field
	}
	return path + "." + field
}

// cleanTypeError drops yaml.v3's "yaml: unmarshal errors: line N:"
// framing (the Error gives the position) and the value it quotes: the
// error says where and what was expected, and never echoes the file, which
// may not be the file the user meant to name.
func cleanTypeError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "line ") && i > 0 {
			msg = msg[i+2:]
		}
		if m := typeErrorRE.FindStringSubmatch(msg); m != nil {
			return fmt.Errorf("cannot unmarshal !!%s into %s: expected %s, found %s", m[1], m[2], goTypeName(m[2]), yamlTagName(m[1]))
		}
		return errors.New(msg)
	}
	return err
}

// typeErrorRE is yaml.v3's "cannot unmarshal !!str `lots` into int".
var typeErrorRE = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `.*`)? into (.+)$")

func yamlTagName(tag string) string {
	switch tag {
	case "str":
		return "a string"
	case "int":
		return "an integer"
	case "float":
		return "a number"
	case "bool":
		return "true or false"
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	}
	return "!!" + tag
}

func goTypeName(t string) string {
	switch {
	case t == "time.Duration":
		return "a duration such as 30s or 1m30s"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "an integer (" + t + ")"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	}
	return t
}

// nearest returns the key in known that name most likely misspells: one
// at most two edits away, or one that starts with name or that name starts
// with; "" if none.
func nearest(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		d := levenshtein(name, k)
		if d < bestD {
			best, bestD = k, d
		}
	}
	if best != "" {
		return best
	}
	if len(name) >= 3 {
		for _, k := range known {
			if strings.HasPrefix(k, name) || strings.HasPrefix(name, k) {
				return k
			}
		}
	}
	return ""
}

// levenshtein is the edit distance between a and b (bytes), capped at 3:
// only "two edits or fewer" matters.
func levenshtein(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 3
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], 3)
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
