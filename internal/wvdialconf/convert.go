package wvdialconf

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Convert maps every [Dialer …] section of f to a zdial profile. It fails
// only when f has no dialer at all; everything else it cannot carry over
// is listed in Result.Unmapped.
func Convert(f *File) (*Result, error) {
	c := &converter{f: f, res: &Result{Source: f.Name}, noted: map[string]bool{}, used: map[*Section]bool{}}
	for _, p := range f.Problems {
		c.unmapped(Note{Line: p.Line, Text: p.Reason})
	}
	var dialers []*Section
	if d, ok := f.Section(defaultsSection); ok {
		dialers = append(dialers, d)
	}
	for _, s := range f.Sections {
		if k := fold(s.Name); strings.HasPrefix(k, "dialer ") && k != defaultsSection {
			dialers = append(dialers, s)
		}
	}
	if len(dialers) == 0 {
		return nil, &Error{File: f.Name, Err: ErrNoDialer}
	}
	names := map[string]bool{}
	for _, s := range dialers {
		name := uniqueName(profileName(s.Name), names)
		c.note(Note{Line: s.Line, Section: s.Name, Text: nameNote(s.Name, name)})
		c.res.Profiles = append(c.res.Profiles, c.profile(name, s, c.chain(s)))
	}
	for _, s := range f.Sections {
		if !c.used[s] {
			c.unmapped(Note{Line: s.Line, Section: s.Name, Text: "not a [Dialer …] section and nothing inherits it: wvdial never reads it"})
		}
	}
	byLine := func(ns []Note) {
		sort.SliceStable(ns, func(i, j int) bool { return ns[i].Line < ns[j].Line })
	}
	byLine(c.res.Notes)
	byLine(c.res.Unmapped)
	return c.res, nil
}

type converter struct {
	f     *File
	res   *Result
	noted map[string]bool   // notes already made, as "kind\x00line\x00text"
	used  map[*Section]bool // sections some dialer reads
}

func (c *converter) note(n Note)     { c.add(&c.res.Notes, "n", n) }
func (c *converter) unmapped(n Note) { c.add(&c.res.Unmapped, "u", n) }

// add records n once: a line of [Dialer Defaults] is read by every
// profile but is worth one note.
func (c *converter) add(list *[]Note, kind string, n Note) {
	k := kind + "\x00" + strconv.Itoa(n.Line) + "\x00" + n.Key + "\x00" + n.Text
	if c.noted[k] {
		return
	}
	c.noted[k] = true
	*list = append(*list, n)
}

// chain lists the sections a dialer reads, in the order wvdial looks a
// key up: the section, what it Inherits (transitively), then
// [Dialer Defaults] and what that inherits. A section already in the chain
// ends it, as in wvdial, and is reported as a cycle.
func (c *converter) chain(s *Section) []*Section {
	var out []*Section
	in := map[*Section]bool{}
	walk := func(s *Section) {
		for s != nil && !in[s] {
			in[s] = true
			c.used[s] = true
			out = append(out, s)
			e, ok := s.get("inherits")
			if !ok || e.Value == "" {
				return
			}
			next, ok := c.f.Section(e.Value)
			switch {
			case !ok:
				hint := ""
				if _, ok := c.f.Section("Dialer " + e.Value); ok {
					hint = fmt.Sprintf(" (the value names the whole section: Inherits = Dialer %s)", show(e.Value))
				}
				c.unmapped(Note{Line: e.Line, Section: s.Name, Key: e.Key,
					Text: fmt.Sprintf("no section [%s]; wvdial ignores it too%s", show(e.Value), hint)})
				return
			case in[next]:
				var path []string
				for _, x := range out {
					path = append(path, "["+show(x.Name)+"]")
				}
				c.unmapped(Note{Line: e.Line, Section: s.Name, Key: e.Key,
					Text: fmt.Sprintf("inheritance cycle %s → [%s]: the repeat is skipped, as wvdial does", strings.Join(path, " → "), show(next.Name))})
				return
			}
			s = next
		}
	}
	walk(s)
	if d, ok := c.f.Section(defaultsSection); ok {
		walk(d)
	}
	return out
}

// located is the entry a key resolves to.
type located struct {
	e   Entry
	sec *Section
}

// resolve gives, for each key the chain sets, the entry that wins: the
// first section in the chain that has it, the last line in that section.
func resolve(chain []*Section) (map[string]located, []string) {
	eff := map[string]located{}
	var order []string
	for _, sec := range chain {
		for i, e := range sec.Entries {
			k := sec.foldedKey(i)
			if last, _ := sec.lastIndex(k); last != i {
				continue // a later line in this section wins
			}
			if _, ok := eff[k]; !ok {
				eff[k] = located{e, sec}
				order = append(order, k)
			}
		}
	}
	return eff, order
}

func Import(r io.Reader, name string) (*Result, error) {
	f, err := Parse(r, name)
	if err != nil {
		return nil, err
	}
	return Convert(f)
}
