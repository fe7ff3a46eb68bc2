package sysfstest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// NodeType is what a Node becomes on disk.
type NodeType int

const (
	Dir      NodeType = iota
	File              // Data is the content
	Symlink           // Data is the target, relative to the link's directory
	CharDev           // a character device node (Major, Minor); materialised as an empty file
	BlockDev          // a block device node; likewise
)

// Node is one path of a snapshot, relative to its root (sysfs or /dev).
type Node struct {
	Path         string // slash-separated, "bus/usb/devices/1-1/idVendor"
	Type         NodeType
	Data         string
	Major, Minor int
	Line         int // where the capture said so
}

// Snapshot is one state of the machine: its sysfs and /dev.
type Snapshot struct {
	Name string
	Sys  []Node // relative to the sysfs root, in capture order
	Dev  []Node // relative to the /dev root
}

// usbDevices is where the capture's entry-relative paths live.
const usbDevices = "bus/usb/devices"

// lsLine matches busybox and coreutils ls -l lines: type and mode, links,
// owner, group, then "major, minor" for a device or a size, the date, the name.
var lsLine = regexp.MustCompile(`^([-bcdlps])[-rwxsStT]{9}\s+\d+\s+\S+\s+\S+\s+(?:(\d+),\s*(\d+)|\d+)\s+\S+\s+\d+\s+[\d:]+\s+(\S+)$`)

// ReadFile parses the capture in file name.
func ReadFile(name string) ([]*Snapshot, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("sysfstest: %w", err)
	}
	defer f.Close()
	return Parse(f)
}

// Find returns the snapshot called name.
func Find(snaps []*Snapshot, name string) (*Snapshot, error) {
	for _, s := range snaps {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNoSnapshot, name)
}

// Parse reads every snapshot of a capture (see the package doc).
func Parse(r io.Reader) ([]*Snapshot, error) {
	p := parser{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		p.line++
		if err := p.parseLine(sc.Text()); err != nil {
			return nil, &ParseError{Line: p.line, Text: sc.Text(), Err: err}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sysfstest: %w", err)
	}
	if p.cur != nil {
		return nil, &ParseError{Line: p.line, Err: fmt.Errorf("%w: snapshot %q has no END", ErrSyntax, p.cur.Name)}
	}
	return p.out, nil
}

// parser holds the state between lines: the open snapshot, the directory
// of the ls listing being read, and where each uevent file is, so its
// lines can be appended.
type parser struct {
	line    int
	out     []*Snapshot
	cur     *Snapshot
	listing string         // absolute directory of the current ls -l listing, "" outside one
	uevents map[string]int // uevent file path → index in cur.Sys
}

func (p *parser) parseLine(line string) error {
	if name, ok := strings.CutPrefix(line, "==== SNAPSHOT "); ok {
		if p.cur != nil {
			return fmt.Errorf("%w: snapshot %q inside %q", ErrSyntax, name, p.cur.Name)
		}
		p.cur = &Snapshot{Name: name}
		p.listing, p.uevents = "", map[string]int{}
		return nil
	}
	if name, ok := strings.CutPrefix(line, "==== END "); ok {
		if p.cur == nil || p.cur.Name != name {
			return fmt.Errorf("%w: END %q without its SNAPSHOT", ErrSyntax, name)
		}
		p.out = append(p.out, p.cur)
		p.cur = nil
		return nil
	}
	if p.cur == nil {
		if line == "" || strings.HasPrefix(line, "#") {
			return nil // the file's header
		}
		return fmt.Errorf("%w outside a snapshot", ErrSyntax)
	}
	switch {
	case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "total "):
		return nil
	case strings.HasPrefix(line, "## "):
		return p.entry(strings.TrimPrefix(line, "## "))
	case strings.HasPrefix(line, "/") && strings.HasSuffix(line, "/:"):
		p.listing = strings.TrimSuffix(line, ":")
		return nil
	case strings.HasPrefix(line, "/"):
		return p.listed(line)
	case lsLine.MatchString(line):
		return p.ls(lsLine.FindStringSubmatch(line))
	}
	return p.item(line)
}

// entry is "1-1 -> ../../../devices/…/usb1/1-1".
func (p *parser) entry(s string) error {
	name, target, ok := strings.Cut(s, " -> ")
	if !ok || strings.Contains(name, "/") {
		return fmt.Errorf("%w: want \"## ENTRY -> TARGET\"", ErrSyntax)
	}
	return p.add(&p.cur.Sys, Node{Path: path.Join(usbDevices, name), Type: Symlink, Data: target})
}

// item is an entry-relative attribute, link, directory or uevent line.
func (p *parser) item(line string) error {
	name, rest, _ := strings.Cut(line, " ")
	if !strings.Contains(strings.TrimSuffix(name, "/"), "/") {
		return ErrSyntax // not ENTRY/PATH: nothing this format has
	}
	switch {
	case strings.HasSuffix(name, "/uevent:"):
		return p.uevent(path.Join(usbDevices, strings.TrimSuffix(name, ":")), rest)
	case strings.HasSuffix(name, "/") && rest == "":
		return p.add(&p.cur.Sys, Node{Path: path.Join(usbDevices, name), Type: Dir})
	case rest == "=" || strings.HasPrefix(rest, "= "):
		v := strings.TrimPrefix(strings.TrimPrefix(rest, "="), " ")
		return p.add(&p.cur.Sys, Node{Path: path.Join(usbDevices, name), Type: File,
			Data: strings.ReplaceAll(v, "|", "\n")})
	case strings.HasPrefix(rest, "-> "):
		return p.add(&p.cur.Sys, Node{Path: path.Join(usbDevices, name), Type: Symlink,
			Data: strings.TrimPrefix(rest, "-> ")})
	}
	return ErrSyntax
}

func (p *parser) uevent(file, kv string) error {
	if !strings.Contains(kv, "=") {
		return fmt.Errorf("%w: uevent line without KEY=VALUE", ErrSyntax)
	}
	if i, ok := p.uevents[file]; ok {
		p.cur.Sys[i].Data += kv + "\n"
		return nil
	}
	p.uevents[file] = len(p.cur.Sys)
	return p.add(&p.cur.Sys, Node{Path: file, Type: File, Data: kv + "\n"})
}

// listed is an absolute path from a find listing: a directory. A path that
// goes through a "driver" link is skipped: the capture does not record
// where the driver links of usb-serial ports point, and a driver's
// directory holds links, so making directories there would invent a layout.
func (p *parser) listed(abs string) error {
	rel, ok := strings.CutPrefix(abs, "/sys/")
	if !ok || strings.Contains(abs, " ") {
		return fmt.Errorf("%w: a listed path outside /sys", ErrSyntax)
	}
	if slices.Contains(strings.Split(rel, "/"), "driver") {
		return nil
	}
	return p.add(&p.cur.Sys, Node{Path: path.Clean(rel), Type: Dir})
}

// ls is one ls -l line: m[1] type, m[2] m[3] major and minor, m[4] the name.
func (p *parser) ls(m []string) error {
	name := m[4]
	if !strings.HasPrefix(name, "/") {
		if p.listing == "" {
			return fmt.Errorf("%w: ls line outside a listing", ErrSyntax)
		}
		name = path.Join(p.listing, name)
	}
	n := Node{}
	switch m[1] {
	case "d":
		n.Type = Dir
	case "-":
		n.Type = File
	case "c", "b":
		n.Type = CharDev
		if m[1] == "b" {
			n.Type = BlockDev
		}
		n.Major, _ = strconv.Atoi(m[2])
		n.Minor, _ = strconv.Atoi(m[3])
	default:
		return fmt.Errorf("%w: ls type %q not supported", ErrSyntax, m[1])
	}
	if rel, ok := strings.CutPrefix(name, "/sys/"); ok {
		if n.Type == CharDev || n.Type == BlockDev {
			return fmt.Errorf("%w: device node in sysfs", ErrSyntax)
		}
		n.Path = path.Clean(rel)
		return p.add(&p.cur.Sys, n)
	}
	if rel, ok := strings.CutPrefix(name, "/dev/"); ok {
		n.Path = path.Clean(rel)
		return p.add(&p.cur.Dev, n)
	}
	return fmt.Errorf("%w: ls line outside /sys and /dev", ErrSyntax)
}

// add appends n after checking that its path stays inside its root and,
// for an entry of bus/usb/devices, whose target directory Materialise
// creates, that the target does too. Other links are only links: a
// dangling or outward one writes nothing.
func (p *parser) add(to *[]Node, n Node) error {
	if !local(n.Path) {
		return fmt.Errorf("%w: path %q leaves the root", ErrSyntax, n.Path)
	}
	if n.Type == Symlink && path.Dir(n.Path) == usbDevices && !local(path.Join(usbDevices, n.Data)) {
		return fmt.Errorf("%w: entry link %q leaves the root", ErrSyntax, n.Data)
	}
	n.Line = p.line
	*to = append(*to, n)
	return nil
}

func local(p string) bool {
	return p != "" && !path.IsAbs(p) && p != ".." && !strings.HasPrefix(path.Clean(p), "../")
}

// Uevent returns the KEY=VALUE pairs of entry's uevent file ("1-1"), nil
// when the capture has none.
func (s *Snapshot) Uevent(entry string) map[string]string {
	file := path.Join(usbDevices, entry, "uevent")
	for _, n := range s.Sys {
		if n.Path != file || n.Type != File {
			continue
		}
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSuffix(n.Data, "\n"), "\n") {
			k, v, _ := strings.Cut(l, "=")
			m[k] = v
		}
		return m
	}
	return nil
}

// Entries lists the capture's /sys/bus/usb/devices entries, in capture order.
func (s *Snapshot) Entries() []string {
	var out []string
	for _, n := range s.Sys {
		if n.Type == Symlink && path.Dir(n.Path) == usbDevices {
			out = append(out, path.Base(n.Path))
		}
	}
	return out
}
