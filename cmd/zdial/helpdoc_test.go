package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// helpFlag matches a flag line of flag.PrintDefaults, as --help prints it.
var helpFlag = regexp.MustCompile(`(?m)^  -([A-Za-z0-9][A-Za-z0-9_-]*)`)

// helpText is what `zdial NAME --help` prints (stdout and stderr), read
// as a user sees it: not through the recorder the generators use.
func helpText(t *testing.T, name string) string {
	t.Helper()
	code, out, errs := zdial(t, name, "--help")
	if code != exitOK {
		t.Fatalf("zdial %s --help: exit %d: %s", name, code, errs)
	}
	return out + errs
}

// helpFlags are the flags `zdial NAME --help` lists, as -v or --name.
func helpFlags(t *testing.T, name string) []string {
	var words []string
	for _, m := range helpFlag.FindAllStringSubmatch(helpText(t, name), -1) {
		if len(m[1]) == 1 {
			words = append(words, "-"+m[1])
		} else {
			words = append(words, "--"+m[1])
		}
	}
	return words
}

func manPage(t *testing.T) string {
	t.Helper()
	t.Setenv("SOURCE_DATE_EPOCH", "1764547200")
	code, out, errs := zdial(t, "help", "--man")
	if code != exitOK {
		t.Fatalf("zdial help --man: exit %d: %s", code, errs)
	}
	return out
}

// manSection is the text of one .SS (command) or .SH section.
func manSection(page, head string) string {
	_, rest, ok := strings.Cut(page, "\n"+head+"\n")
	if !ok {
		return ""
	}
	if i := strings.Index(rest, "\n.S"); i >= 0 { // the next .SS or .SH
		rest = rest[:i+1]
	}
	return rest
}

// Every command in the table has a section in zdial(8), with its summary
// and usage line, and every flag its --help lists is described there or,
// if the section lists it as common, under COMMON FLAGS.
func TestManPageHasEveryCommandAndFlag(t *testing.T) {
	page := manPage(t)
	common := manSection(page, ".SH \"COMMON FLAGS\"")
	if common == "" {
		t.Fatal("no COMMON FLAGS section")
	}
	for _, c := range commands() {
		sec := manSection(page, `.SS "`+roffEscapeInline(c.name)+`"`)
		if sec == "" {
			t.Errorf("zdial(8) has no section for %s", c.name)
			continue
		}
		if !strings.Contains(sec, roffEscape(c.summary)) {
			t.Errorf("%s: the section lacks the summary %q", c.name, c.summary)
		}
		if !strings.Contains(sec, `\fBzdial`) {
			t.Errorf("%s: the section has no usage line", c.name)
		}
		var shared []string
		if _, list, ok := strings.Cut(sec, "Common flags (see COMMON FLAGS): "); ok {
			list, _, _ = strings.Cut(list, "\n")
			shared = strings.Split(strings.TrimSuffix(list, "."), ", ")
		}
		for _, f := range helpFlags(t, c.name) {
			tag := `.TP` + "\n" + `\fB` + roffEscapeInline(f) + `\fR`
			switch {
			case strings.Contains(sec, tag):
			case slices.Contains(shared, roffEscapeInline(f)):
				if !strings.Contains(common, tag) {
					t.Errorf("%s: %s is listed as common but COMMON FLAGS does not describe it", c.name, f)
				}
			default:
				t.Errorf("%s: zdial(8) does not describe %s", c.name, f)
			}
		}
	}
	// Spot checks: a command's own flag with its text and default, a usage
	// line as --help prints it, a common flag's default.
	for _, want := range []string{
		"\\fBzdial devices\\fR [\\-\\-json] [\\-\\-sysfs DIR] [\\-\\-dev DIR]\n",
		".TP\n\\fB\\-\\-wait\\fR \\fIduration\\fR\nhow long to wait for the switched dongle's serial ports (default 20s)\n",
		".TP\n\\fB\\-\\-binary\\fR \\fIstring\\fR\nabsolute path of the zdial udev runs",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("zdial(8) lacks %q", want)
		}
	}
	if !strings.Contains(common, ".TP\n\\fB\\-\\-sysfs\\fR \\fIstring\\fR\nsysfs root (default \"/sys\")\n") {
		t.Errorf("COMMON FLAGS lacks --sysfs with its default:\n%s", common)
	}
	if !strings.Contains(page, `.TH ZDIAL 8 "2025\-12\-01" "zdial `) {
		t.Errorf("the title line does not carry SOURCE_DATE_EPOCH's date: %q", strings.SplitN(page, "\n", 5)[3])
	}
}

// A default that depends on who runs zdial is written as the rule, not as
// the generating user's value; every such flag still exists.
func TestManPageEnvDefaults(t *testing.T) {
	page := manPage(t)
	for name, text := range envDefaults {
		if !strings.Contains(page, "(default "+roffEscapeInline(text)+")") {
			t.Errorf("--%s's default is not written as %q", name, text)
		}
	}
	if home, err := os.UserHomeDir(); err == nil && home != "/" && home != "/root" && strings.Contains(page, home) {
		t.Errorf("the page names the generating user's home %s", home)
	}
}

// groff reads the page without a warning (lintian runs man --warnings on it).
func TestManPageRendersCleanly(t *testing.T) {
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("no groff")
	}
	file := filepath.Join(t.TempDir(), "zdial.8")
	if err := os.WriteFile(file, []byte(manPage(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, groff, "-man", "-ww", "-z", "-K", "utf8", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, stderr.String())
	}
}

func TestManDate(t *testing.T) {
	now := time.Date(2030, 5, 6, 23, 59, 0, 0, time.FixedZone("x", 3*3600))
	if d, err := manDate("", now); err != nil || d != "2030-05-06" {
		t.Errorf("no SOURCE_DATE_EPOCH: %q, %v", d, err)
	}
	if d, err := manDate("0", now); err != nil || d != "1970-01-01" {
		t.Errorf("SOURCE_DATE_EPOCH=0: %q, %v", d, err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if code, _, errs := zdial(t, "help", "--man"); code != exitUsage || !strings.Contains(errs, "SOURCE_DATE_EPOCH") {
		t.Errorf("a bad SOURCE_DATE_EPOCH: exit %d, %q", code, errs)
	}
}

// The man page's EXIT STATUS is the README's table, row for row.
func TestManExitCodesMatchREADME(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "### Exit codes")
	if !ok {
		t.Fatal("the README has no Exit codes section")
	}
	table, _, _ = strings.Cut(table, "\n#")
	rows := regexp.MustCompile(`(?m)^\| (\d+) \| (.*) \|$`).FindAllStringSubmatch(table, -1)
	if len(rows) != len(manExitCodes) {
		t.Fatalf("README has %d exit codes, the man page %d", len(rows), len(manExitCodes))
	}
	for i, r := range rows {
		e := manExitCodes[i]
		if r[1] != strconv.Itoa(e.code) || r[2] != e.text {
			t.Errorf("README row %q %q, man page %d %q", r[1], r[2], e.code, e.text)
		}
	}
}

func TestHelpCommand(t *testing.T) {
	if code, out, _ := zdial(t, "help"); code != exitOK || !strings.Contains(out, "udev-rule") {
		t.Errorf("zdial help: exit %d, %q", code, out)
	}
	code, out, _ := zdial(t, "help", "devices")
	if code != exitOK || out != helpText(t, "devices") {
		t.Errorf("zdial help devices: exit %d, %q; want zdial devices --help's text", code, out)
	}
	if code, _, errs := zdial(t, "help", "no-such"); code != exitUsage || !strings.Contains(errs, `no command "no-such"`) {
		t.Errorf("zdial help no-such: exit %d, %q", code, errs)
	}
	if code, _, _ := zdial(t, "help", "--man", "devices"); code != exitUsage {
		t.Errorf("zdial help --man devices: exit %d, want %d", code, exitUsage)
	}
	if code, out, _ := zdial(t, "version", "--bogus"); code != exitUsage || out != "" {
		t.Errorf("zdial version --bogus: exit %d, %q", code, out)
	}
}

func TestRoffEscape(t *testing.T) {
	for in, want := range map[string]string{
		`--sysfs`:         `\-\-sysfs`,
		`.hidden request`: `\&.hidden request`,
		`'quote request`:  `\&'quote request`,
		`a\b`:             `a\eb`,
		`plain`:           `plain`,
	} {
		if got := roffEscape(in); got != want {
			t.Errorf("roffEscape(%q) = %q, want %q", in, got, want)
		}
	}
	if got := roffQuote(`say "hi"`); got != `"say ""hi"""` {
		t.Errorf("roffQuote = %q", got)
	}
}
