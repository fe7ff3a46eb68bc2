package modeswitch

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"github.com/zdial/zdial/internal/safefile"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Where Debian's usb-modeswitch-data puts its files; both are parameters of
// Import so tests and other distributions can point elsewhere.
const (
	DataDir           = "/usr/share/usb_modeswitch"
	ConfigDir         = "/etc/usb_modeswitch.d"
	modeswitchPack    = "configPack.tar.gz"
	modeswitchNewList = "new.lst"
)

// ImportStats counts what an import read.
type ImportStats struct {
	Files    int     // files read: pack members and loose files, new.lst included
	Devices  int     // device configurations parsed into entries
	Failures []error // one per file that did not parse; the rest are still imported
}

// Import reads usb_modeswitch's device configurations: the
// members of dataDir/configPack.tar.gz, loose files in dataDir, and loose
// files in etcDir, where a later source overrides a file of the same name
// (the local administrator's /etc wins, as with usb_modeswitch_dispatcher).
// Missing directories are not errors: the package is optional.
func Import(dataDir, etcDir string) (*DB, ImportStats, error) {
	var st ImportStats
	files := map[string][]byte{}
	var order []string
	add := func(name string, data []byte) {
		st.Files++
		if _, dup := files[name]; !dup {
			order = append(order, name)
		}
		files[name] = data
	}
	if dataDir != "" {
		if err := readPack(filepath.Join(dataDir, modeswitchPack), add); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, st, err
		}
		if err := readLoose(dataDir, add); err != nil {
			return nil, st, err
		}
	}
	if etcDir != "" {
		if err := readLoose(etcDir, add); err != nil {
			return nil, st, err
		}
	}

	names := map[string]string{}
	if nl, ok := files[modeswitchNewList]; ok {
		names = parseNewList(string(nl))
	}
	sort.Strings(order)
	db := &DB{}
	for _, name := range order {
		if name == modeswitchNewList {
			continue
		}
		e, err := parseModeswitchFile(name, files[name])
		if err != nil {
			st.Failures = append(st.Failures, err)
			continue
		}
		if n, ok := names[name]; ok && strings.HasPrefix(e.Name, "usb_modeswitch ") {
			e.Name = n
		}
		db.entries = append(db.entries, e)
		st.Devices++
	}
	return db, st, nil
}

// maxConfigFile bounds one usb_modeswitch configuration (the largest in
// Debian's package is under 1 KiB): a damaged or hostile pack cannot make
// zdial hold more.
const maxConfigFile = 64 << 10

func readPack(path string, add func(string, []byte)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return &OpError{Op: "read", Path: path, Err: err}
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &OpError{Op: "read", Path: path, Err: err}
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, maxConfigFile+1))
		if err != nil {
			return &OpError{Op: "read", Path: path, Err: err}
		}
		if len(b) > maxConfigFile {
			return &OpError{Op: "read", Path: path, Err: fmt.Errorf("%s is larger than %d bytes: not a usb_modeswitch configuration", h.Name, maxConfigFile)}
		}
		add(filepath.Base(h.Name), b)
	}
}

// readLoose reads files named like configurations (VVVV:PPPP…) in dir.
func readLoose(dir string, add func(string, []byte)) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &OpError{Op: "read", Path: dir, Err: err}
	}
	for _, e := range ents {
		if e.IsDir() || !configName.MatchString(e.Name()) {
			continue
		}
		b, err := safefile.ReadFile(filepath.Join(dir, e.Name()), maxConfigFile)
		if err != nil {
			return err // names its path
		}
		add(e.Name(), b)
	}
	return nil
}

var configName = regexp.MustCompile(`^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}(:[us][A-Z][a-z]=.*)?$`)

// parseNewList reads new.lst: "[VVVV:PPPP…] Name, [VVVV:PPPP] Name, …".
func parseNewList(s string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`\[([^\]]+)\]\s*([^\[]*)`).FindAllStringSubmatch(s, -1) {
		out[m[1]] = strings.TrimSuffix(strings.TrimSpace(m[2]), ",")
	}
	return out
}

// modeswitchKeys are the keys usb_modeswitch 2.x reads from a configuration;
// any other key is reported, so a format change shows up as a failure.
var modeswitchKeys = map[string]bool{
	"DefaultVendor": true, "DefaultProduct": true, "TargetVendor": true, "TargetProduct": true,
	"TargetProductList": true, "TargetClass": true, "MessageEndpoint": true, "ResponseEndpoint": true,
	"MessageContent": true, "MessageContent2": true, "MessageContent3": true, "Interface": true,
	"Configuration": true, "AltSetting": true, "NeedResponse": true, "ReleaseDelay": true,
	"WaitBefore": true, "CheckSuccess": true, "ResetUSB": true, "NoDriverLoading": true,
	"NoMBIMCheck": true, "InquireDevice": true, "StandardEject": true, "DetachStorageOnly": true,
	"HuaweiMode": true, "HuaweiNewMode": true, "SierraMode": true, "SonyMode": true, "GCTMode": true,
	"KobilMode": true, "SequansMode": true, "MobileActionMode": true, "CiscoMode": true,
	"QisdaMode": true, "QuantaMode": true, "BlackberryMode": true, "PantechMode": true, "OptionMode": true,
}

// specialModes are usb_modeswitch's exclusive methods, in the order it applies them.
var specialModes = []string{"DetachStorageOnly", "HuaweiMode", "SierraMode", "GCTMode", "QisdaMode",
	"KobilMode", "QuantaMode", "SequansMode", "MobileActionMode", "CiscoMode", "BlackberryMode",
	"PantechMode", "SonyMode", "HuaweiNewMode", "OptionMode"}

// parseModeswitchFile parses one usb_modeswitch configuration. name is the
// file name: "VVVV:PPPP" optionally followed by ":uMa=…", ":uPr=…", ":uSe=…",
// ":sVe=…", ":sMo=…" or ":sRe=…" (a match on descriptor or SCSI strings).
func parseModeswitchFile(name string, data []byte) (Entry, error) {
	fail := func(format string, a ...any) (Entry, error) {
		return Entry{}, fmt.Errorf("modeswitch: usb_modeswitch file %s: %s", name, fmt.Sprintf(format, a...))
	}
	parts := strings.SplitN(name, ":", 3)
	if len(parts) < 2 {
		return fail("name is not VVVV:PPPP")
	}
	id, err := ParseID(parts[0] + ":" + parts[1])
	if err != nil {
		return fail("%v", err)
	}
	e := Entry{Storage: []ID{id}, Source: "usb-modeswitch-data:" + name}
	if len(parts) == 3 {
		k, v, ok := strings.Cut(parts[2], "=")
		if !ok {
			return fail("bad match suffix %q", parts[2])
		}
		m := &Match{}
		switch k {
		case "uMa":
			m.Manufacturer = v
		case "uPr":
			m.Product = v
		case "uSe":
			m.Serial = v
		case "sVe":
			m.SCSIVendor = v
		case "sMo":
			m.SCSIModel = v
		case "sRe":
			m.SCSIRevision = v
		default:
			return fail("unknown match key %q", k)
		}
		e.Match = m
	}

	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if line[0] == '#' || line[0] == ';' || line[0] == '!' {
			if e.Name == "" {
				e.Name = strings.TrimSpace(strings.TrimLeft(line, "#;! "))
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fail("line %d: no '=' in %q", ln, line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if c := strings.IndexAny(v, "#;!"); c >= 0 && !strings.HasPrefix(v, `"`) {
			v = strings.TrimSpace(v[:c])
		}
		if strings.HasPrefix(v, `"`) {
			end := strings.LastIndex(v, `"`)
			if end == 0 {
				return fail("line %d: missing end quote", ln)
			}
			v = v[1:end]
		}
		if !modeswitchKeys[k] {
			return fail("line %d: unknown key %q", ln, k)
		}
		if _, dup := kv[k]; !dup { // usb_modeswitch uses the first occurrence
			kv[k] = v
		}
	}
	if err := sc.Err(); err != nil {
		return fail("%v", err)
	}
	if e.Name == "" {
		e.Name = "usb_modeswitch " + name
	}

	num := func(k string) (int, error) {
		s, ok := kv[k]
		if !ok {
			return 0, nil
		}
		n, err := strconv.ParseInt(s, 0, 32)
		if err != nil {
			// usb_modeswitch reads endpoint and class values as hex even without 0x.
			n, err = strconv.ParseInt(strings.TrimPrefix(s, "0x"), 16, 32)
		}
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not a number", k, s)
		}
		return int(n), nil
	}
	sw := &SwitchSpec{}
	for _, k := range []string{"MessageContent", "MessageContent2", "MessageContent3"} {
		if v := kv[k]; v != "" {
			if _, err := decodeHex(v); err != nil {
				return fail("%s: %v", k, err)
			}
			sw.Messages = append(sw.Messages, strings.ToLower(v))
		}
	}
	for _, f := range []struct {
		key string
		dst *int
	}{{"Interface", &sw.Interface}, {"Configuration", &sw.Configuration}} {
		if *f.dst, err = num(f.key); err != nil {
			return fail("%v", err)
		}
	}
	for _, f := range []struct {
		key string
		dst *uint8
	}{{"MessageEndpoint", &sw.MessageEndpoint}, {"ResponseEndpoint", &sw.ResponseEndpoint}, {"TargetClass", &sw.TargetClass}} {
		n, err := num(f.key)
		if err != nil {
			return fail("%v", err)
		}
		if n < 0 || n > 0xff {
			return fail("%s=%d out of range", f.key, n)
		}
		*f.dst = uint8(n)
	}
	on := func(k string) bool { n, err := num(k); return err == nil && n > 0 }
	for _, k := range specialModes {
		if on(k) {
			if sw.Method != "" {
				return fail("two special modes: %s and %s", sw.Method, k)
			}
			sw.Method = Method(k)
			if k == "DetachStorageOnly" {
				sw.Method = detachStorageOnly
			}
		}
	}
	switch {
	case sw.Method != "":
		if len(sw.Messages) > 0 { // usb_modeswitch ignores messages with a special mode
			sw.Messages = nil
		}
	case on("StandardEject"):
		sw.Method = standardEject
		if len(sw.Messages) > 1 { // only MessageContent follows the eject
			sw.Messages = sw.Messages[:1]
		}
	case len(sw.Messages) > 0:
		sw.Method = messageContent
	case kv["Configuration"] != "":
		// Configuration=0 asks usb_modeswitch_dispatcher for the device's
		// MBIM configuration; zdial keeps it as method Configuration with 0.
		sw.Method = methodConfiguration
	default:
		return fail("no switching method")
	}
	e.Switch = sw

	tv, err := num("TargetVendor")
	if err != nil {
		return fail("%v", err)
	}
	list := kv["TargetProductList"]
	if p := kv["TargetProduct"]; p != "" {
		list = strings.TrimPrefix(strings.TrimPrefix(p, "0x"), "0X") + "," + list
	}
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pp, err := parseHex16(p)
		if err != nil {
			return fail("target product %q: %v", p, err)
		}
		v := uint16(tv)
		if tv == 0 {
			v = id.Vendor
		}
		e.Targets = append(e.Targets, Target{ID: ID{v, pp}})
	}
	if len(e.Targets) == 0 && sw.TargetClass != 0 { // same ID, new interface class
		e.Targets = []Target{{ID: id}}
	}
	return e, nil
}
