package wvdialconf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// DefaultPath is where wvdial reads its configuration.
const DefaultPath = "/etc/wvdial.conf"

// Bounds on the input. A real wvdial.conf is a few hundred bytes with a
// handful of sections; these keep a hostile one from costing more than
// milliseconds (every dialer reads its whole Inherits chain).
const (
	MaxSize     = 1 << 20 // bytes
	MaxSections = 200
	MaxEntries  = 2000 // Key = Value lines
)

// Sentinels for the conditions an *Error reports; match with errors.Is.
var (
	ErrTooLarge = errors.New("wvdialconf: file too large for a wvdial.conf")
	ErrSyntax   = errors.New("wvdialconf: syntax error")
	ErrNoDialer = errors.New("wvdialconf: no [Dialer …] section")
)

// Error is a problem that stops the import, at a line of the file (Line 0:
// the file as a whole). Its text never quotes a value from the file, since
// a broken line may hold a PIN or password.
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// File is a parsed wvdial.conf.
type File struct {
	Name     string     // for messages, as given to Parse
	Sections []*Section // in the order they first appear
	// Problems are lines wvdial ignores (no '=', a key outside any
	// section…) and keys given twice; they do not stop the import.
	Problems []Problem

	byName map[string]*Section // folded name → section
}

// Section is one [NAME] section. Sections are case-insensitive in wvdial,
// so a second [Dialer three] adds to the first [Dialer Three].
type Section struct {
	Name    string // inside the brackets, runs of spaces folded, e.g. "Dialer Three UK"
	Line    int    // of the first header
	Entries []Entry

	index  map[string]int // folded key → its last entry
	folded []string       // folded key of each entry
}

// Entry is one Key = Value line.
type Entry struct {
	Key   string // as written, spaces trimmed
	Value string // as written, spaces trimmed; quotes are part of the value, as in wvdial
	Line  int
}

// Problem is a line that does not count, and why.
type Problem struct {
	Line   int
	Reason string // never quotes the line
}

// Parse reads a wvdial.conf of at most MaxSize bytes. Comments are whole
// lines starting with ';' or '#': a ';' later in a line is part of the
// value, as it is for wvdial (passwords may hold one). Keys and section
// names are matched case-insensitively with runs of spaces folded, so
// "stupid   MODE" is "Stupid Mode".
func Parse(r io.Reader, name string) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	if len(data) > MaxSize {
		return nil, &Error{File: name, Err: fmt.Errorf("%w (more than %d bytes)", ErrTooLarge, MaxSize)}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	f := &File{Name: name, byName: map[string]*Section{}}
	var cur *Section
	entries := 0
	lines := strings.Split(string(data), "\n")
	for i, raw := range lines {
		n := i + 1
		if strings.IndexByte(raw, 0) >= 0 {
			return nil, &Error{File: name, Line: n, Err: fmt.Errorf("%w: a NUL byte: this is not a text file", ErrSyntax)}
		}
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		if !utf8.ValidString(line) {
			return nil, &Error{File: name, Line: n, Err: fmt.Errorf("%w: not valid UTF-8 (convert the file first, e.g. iconv -f latin1 -t utf-8)", ErrSyntax)}
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 || !isCommentOrEmpty(line[end+1:]) {
				// Guessing where this section ends could file a PIN
				// under the wrong profile, so stop.
				return nil, &Error{File: name, Line: n, Err: fmt.Errorf("%w: a section header needs a closing ']' and nothing after it but a comment", ErrSyntax)}
			}
			sname := strings.Join(strings.Fields(line[1:end]), " ")
			if sname == "" {
				return nil, &Error{File: name, Line: n, Err: fmt.Errorf("%w: empty section name", ErrSyntax)}
			}
			key := fold(sname)
			if s, ok := f.byName[key]; ok {
				cur = s
				continue
			}
			if len(f.Sections) == MaxSections {
				return nil, &Error{File: name, Line: n, Err: fmt.Errorf("%w (more than %d sections)", ErrTooLarge, MaxSections)}
			}
			cur = &Section{Name: sname, Line: n, index: map[string]int{}}
			f.byName[key] = cur
			f.Sections = append(f.Sections, cur)
			continue
		}
		eq := strings.IndexByte(line, '=')
		switch {
		case eq < 0:
			f.Problems = append(f.Problems, Problem{n, "not a Key = Value line (wvdial ignores it)"})
			continue
		case strings.TrimSpace(line[:eq]) == "":
			f.Problems = append(f.Problems, Problem{n, "no key before '=' (wvdial ignores it)"})
			continue
		case cur == nil:
			f.Problems = append(f.Problems, Problem{n, "a setting before any [section] (wvdial ignores it)"})
			continue
		}
		if entries++; entries > MaxEntries {
			return nil, &Error{File: name, Line: n, Err: fmt.Errorf("%w (more than %d settings)", ErrTooLarge, MaxEntries)}
		}
		e := Entry{Key: strings.TrimSpace(line[:eq]), Value: strings.TrimSpace(line[eq+1:]), Line: n}
		k := fold(e.Key)
		if prev, ok := cur.index[k]; ok {
			f.Problems = append(f.Problems, Problem{n, fmt.Sprintf("%s repeats line %d in [%s]; this later one is used", keyForNote(e.Key), cur.Entries[prev].Line, show(cur.Name))})
		}
		cur.index[k] = len(cur.Entries)
		cur.Entries = append(cur.Entries, e)
		cur.folded = append(cur.folded, k)
	}
	return f, nil
}

// Section returns the section called name (case-insensitive).
func (f *File) Section(name string) (*Section, bool) {
	k := fold(name)
	if f.byName != nil {
		s, ok := f.byName[k]
		return s, ok
	}
	for _, s := range f.Sections {
		if fold(s.Name) == k {
			return s, true
		}
	}
	return nil, false
}

// Get returns the last entry for key (case-insensitive, spaces folded).
func (s *Section) Get(key string) (Entry, bool) { return s.get(key) }

func (s *Section) get(key string) (Entry, bool) {
	k := fold(key)
	if s.index != nil {
		i, ok := s.index[k]
		if !ok {
			return Entry{}, false
		}
		return s.Entries[i], true
	}
	for i := len(s.Entries) - 1; i >= 0; i-- {
		if fold(s.Entries[i].Key) == k {
			return s.Entries[i], true
		}
	}
	return Entry{}, false
}

// fold is the form keys and section names are compared in.
func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// foldedKey is fold(s.Entries[i].Key), computed once by Parse.
func (s *Section) foldedKey(i int) string {
	if i < len(s.folded) {
		return s.folded[i]
	}
	return fold(s.Entries[i].Key)
}

// lastIndex is the index of the last entry with folded key k.
func (s *Section) lastIndex(k string) (int, bool) {
	if s.index != nil {
		i, ok := s.index[k]
		return i, ok
	}
	for i := len(s.Entries) - 1; i >= 0; i-- {
		if fold(s.Entries[i].Key) == k {
			return i, true
		}
	}
	return 0, false
}

func isCommentOrEmpty(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s[0] == ';' || s[0] == '#'
}
