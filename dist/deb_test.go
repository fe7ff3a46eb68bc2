// Package dist holds zdial's packaging (dist/deb and dist/debian); its
// only Go code is this test, which builds the package and reads it back.
package dist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"debug/elf"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildDeb runs dist/deb into a fresh directory and returns the .deb.
func buildDeb(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "./deb", "--out", t.TempDir())
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		t.Fatalf("dist/deb: %v\n%s", err, stderr.String())
	}
	deb := strings.TrimSpace(stdout.String())
	if _, err := os.Stat(deb); err != nil {
		t.Fatalf("dist/deb printed %q: %v", deb, err)
	}
	return deb
}

func dpkgDeb(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "dpkg-deb", args...).Output()
	if err != nil {
		t.Fatalf("dpkg-deb %q: %v", args, err)
	}
	return string(out)
}

func TestDebianPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds zdial; not with -short")
	}
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("no dpkg-deb")
	}
	if runtime.GOOS != "linux" {
		t.Skip("builds a Linux package")
	}
	deb := buildDeb(t)
	if !strings.HasPrefix(filepath.Base(deb), "zdial_") || !strings.HasSuffix(deb, ".deb") {
		t.Errorf("package file name %q", filepath.Base(deb))
	}

	// The listing: every file root's, with the modes a package ships.
	want := map[string]string{
		"./usr/sbin/zdial":                              "-rwxr-xr-x",
		"./usr/lib/udev/rules.d/40-zdial.rules":         "-rw-r--r--",
		"./usr/lib/systemd/system/zdial@.service":       "-rw-r--r--",
		"./usr/share/man/man8/zdial.8.gz":               "-rw-r--r--",
		"./usr/share/bash-completion/completions/zdial": "-rw-r--r--",
		"./usr/share/doc/zdial/copyright":               "-rw-r--r--",
		"./usr/share/doc/zdial/changelog.Debian.gz":     "-rw-r--r--",
	}
	for _, line := range strings.Split(strings.TrimSpace(dpkgDeb(t, "-c", deb)), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			t.Fatalf("dpkg-deb -c line %q", line)
		}
		mode, owner, path := f[0], f[1], f[5]
		if owner != "root/root" {
			t.Errorf("%s is owned by %s", path, owner)
		}
		if strings.HasSuffix(path, "/") {
			if mode != "drwxr-xr-x" {
				t.Errorf("directory %s has mode %s", path, mode)
			}
			continue
		}
		w, ok := want[path]
		switch {
		case !ok && path != "./usr/share/lintian/overrides/zdial":
			t.Errorf("unexpected file %s", path)
		case ok && mode != w:
			t.Errorf("%s has mode %s, want %s", path, mode, w)
		}
		delete(want, path)
	}
	for path := range want {
		t.Errorf("the package lacks %s", path)
	}

	// The control fields.
	fields := dpkgDeb(t, "-f", deb, "Package", "Version", "Depends", "Section", "Priority", "Installed-Size", "Maintainer")
	for _, w := range []string{"Package: zdial\n", "Depends: ppp\n", "Section: net\n", "Priority: optional\n"} {
		if !strings.Contains(fields, w) {
			t.Errorf("control lacks %q:\n%s", w, fields)
		}
	}
	changelog, err := os.ReadFile("debian/changelog")
	if err != nil {
		t.Fatal(err)
	}
	version := strings.TrimSuffix(strings.Fields(string(changelog))[1][1:], ")")
	if !strings.Contains(fields, "Version: "+version+"\n") {
		t.Errorf("control's Version is not the changelog's %s:\n%s", version, fields)
	}

	root := t.TempDir()
	dpkgDeb(t, "-x", deb, root)
	read := func(path string) string {
		b, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	gunzip := func(path string) string {
		zr, err := gzip.NewReader(strings.NewReader(read(path)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return string(b)
	}

	// The binary: static (no interpreter, no shared libraries), stripped.
	bin := filepath.Join(root, "usr/sbin/zdial")
	ef, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ef.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("usr/sbin/zdial has an ELF interpreter: not static")
		}
	}
	if libs, _ := ef.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("usr/sbin/zdial needs %q", libs)
	}
	if ef.Section(".symtab") != nil {
		t.Error("usr/sbin/zdial is not stripped (.symtab)")
	}
	ef.Close()
	st, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	size := fieldValue(fields, "Installed-Size")
	if n, err := strconv.ParseInt(size, 10, 64); err != nil || n < st.Size()/1024 {
		t.Errorf("Installed-Size %q KiB is less than the binary's %d bytes", size, st.Size())
	}

	// The generated files name the installed zdial, and are what it prints.
	rule := read("usr/lib/udev/rules.d/40-zdial.rules")
	for _, w := range []string{`RUN+="/usr/sbin/zdial switch --no-wait %k"`, `IMPORT{program}="/usr/sbin/zdial udev-role %k"`} {
		if !strings.Contains(rule, w) {
			t.Errorf("the udev rule lacks %s", w)
		}
	}
	if unit := read("usr/lib/systemd/system/zdial@.service"); !strings.Contains(unit, "\nExecStart=/usr/sbin/zdial run %i\n") {
		t.Errorf("the unit's ExecStart is not /usr/sbin/zdial:\n%s", unit)
	}
	man := gunzip("usr/share/man/man8/zdial.8.gz")
	if !strings.Contains(man, "\n.TH ZDIAL 8 ") || !strings.Contains(man, `"zdial `+strings.SplitN(version, "-", 2)[0]+`"`) {
		t.Errorf("the man page's title line does not name zdial(8) %s: %q", version, strings.SplitN(man, "\n", 6))
	}
	if c := read("usr/share/bash-completion/completions/zdial"); !strings.Contains(c, "\ncomplete -o default -F _zdial zdial\n") {
		t.Error("the completion does not register _zdial for zdial")
	}
	if got := gunzip("usr/share/doc/zdial/changelog.Debian.gz"); got != string(changelog) {
		t.Error("changelog.Debian.gz is not dist/debian/changelog")
	}
	if strings.HasSuffix(deb, "_"+runtime.GOARCH+".deb") { // the packaged zdial runs here
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, bin, "version").Output()
		if err != nil || string(out) != "zdial "+strings.SplitN(version, "-", 2)[0]+"\n" {
			t.Errorf("usr/sbin/zdial version: %q, %v", out, err)
		}
		cmd := exec.CommandContext(ctx, bin, "help", "--man")
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH="+changelogEpoch(t, string(changelog)))
		if help, err := cmd.Output(); err != nil || string(help) != man {
			t.Errorf("zdial.8.gz is not what the packaged zdial's help --man prints (%v)", err)
		}
	}

	// md5sums lists every file with its sum.
	control := t.TempDir()
	dpkgDeb(t, "-e", deb, control)
	sums, err := os.Open(filepath.Join(control, "md5sums"))
	if err != nil {
		t.Fatal(err)
	}
	defer sums.Close()
	listed := 0
	sc := bufio.NewScanner(sums)
	for sc.Scan() {
		sum, path, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("md5sums line %q", sc.Text())
		}
		h := md5.Sum([]byte(read(path)))
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("md5sums: %s does not match", path)
		}
		listed++
	}
	if files := strings.Count(dpkgDeb(t, "-c", deb), "\n-"); listed != files {
		t.Errorf("md5sums lists %d files, the package has %d", listed, files)
	}

	// Reproducible: a second build is the same bytes.
	if again := buildDeb(t); read2(t, again) != read2(t, deb) {
		t.Error("a second build differs from the first")
	}
}

func fieldValue(fields, name string) string {
	for _, l := range strings.Split(fields, "\n") {
		if v, ok := strings.CutPrefix(l, name+": "); ok {
			return v
		}
	}
	return ""
}

// changelogEpoch is the top changelog entry's date, as dist/deb's
// SOURCE_DATE_EPOCH.
func changelogEpoch(t *testing.T, changelog string) string {
	t.Helper()
	_, trailer, _ := strings.Cut(changelog, "\n -- ")
	trailer, _, _ = strings.Cut(trailer, "\n")
	_, date, ok := strings.Cut(trailer, ">  ")
	d, err := time.Parse(time.RFC1123Z, date)
	if !ok || err != nil {
		t.Fatalf("changelog trailer %q: %v", trailer, err)
	}
	return strconv.FormatInt(d.Unix(), 10)
}

func read2(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
