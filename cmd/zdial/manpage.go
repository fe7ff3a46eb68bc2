package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// runHelp is zdial help: the command list, one command's --help, or the
// zdial(8) manual page built from every command's --help.
//
//	zdial help               the command list (as zdial --help)
//	zdial help switch        zdial switch --help
//	zdial help --man         zdial(8) in man(7) format; the date is
//	                         $SOURCE_DATE_EPOCH's when set (reproducible builds)
func runHelp(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("help", io.err)
	man := fs.Bool("man", false, "print the zdial(8) manual page (man(7) format) instead")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial help [COMMAND | --man]")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	switch {
	case *man && len(pos) == 0:
		date, err := manDate(os.Getenv("SOURCE_DATE_EPOCH"), time.Now())
		if err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			return exitUsage
		}
		helps, err := commandHelps(ctx)
		if err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			return exitOther
		}
		writeManPage(io.out, helps, version, date)
		return exitOK
	case *man || len(pos) > 1:
		fs.Usage()
		return exitUsage
	case len(pos) == 1:
		for _, c := range commands() {
			if c.name == pos[0] {
				return c.run(ctx, []string{"--help"}, stdio{in: io.in, out: io.out, err: io.out})
			}
		}
		fmt.Fprintf(io.err, "zdial: no command %q; zdial help lists them\n", pos[0])
		return exitUsage
	}
	usage(io.out)
	return exitOK
}

// manDate is the page's date: SOURCE_DATE_EPOCH's (seconds since 1970,
// UTC) when set, otherwise now's.
func manDate(epoch string, now time.Time) (string, error) {
	t := now
	if epoch != "" {
		s, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return "", fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", epoch)
		}
		t = time.Unix(s, 0)
	}
	return t.UTC().Format("2006-01-02"), nil
}

// manDescription is the DESCRIPTION section, one paragraph per entry.
var manDescription = []string{
	"zdial takes a USB mobile-broadband dongle on Linux from \"just plugged in\" to \"online\": it switches the dongle out of its CD-ROM (ZeroCD) mode, finds and probes the modem's serial ports, unlocks the SIM, registers, sets the carrier's APN, dials and hands the line to pppd(8), and keeps the link up.",
	"PROFILE is a carrier zdial knows by name (three is Three UK) or a profile from the configuration file. zdial PROFILE is zdial connect PROFILE.",
	"The package installs a udev rule that switches known dongles when they are plugged in or found at boot, gives their ports the dialout group and stable links under /dev/zdial, and keeps ModemManager off them; and the systemd template zdial@.service: systemctl enable --now zdial@three runs zdial run three, the supervisor that keeps the link up.",
	"Every flag can be written -name or --name. Secrets (PIN, PUK, password) are never shown in transcripts, logs, argument lists or errors.",
}

// manExitCodes is EXIT STATUS: the README's "Exit codes" table, which a
// test holds this to.
var manExitCodes = []struct {
	code int
	text string
}{
	{exitOK, "connected and the link ended normally, or the command succeeded"},
	{exitOther, "anything else"},
	{exitUsage, "usage or configuration error"},
	{exitPort, "no modem port, or it could not be opened"},
	{exitSIM, "SIM problem: absent, PIN needed and none configured, PIN rejected or refused as unsafe, PUK-locked"},
	{exitRegister, "not registered before the deadline, or registration denied"},
	{exitDial, "dial failed"},
	{exitPPPD, "pppd failed (its exit status is in the message)"},
	{exitBusy, "port busy: locked or held by another program"},
}

// manFiles is FILES.
var manFiles = []struct{ path, text string }{
	{"/etc/zdial/zdial.yaml", "the configuration: profiles (then ~/.config/zdial/zdial.yaml for a user other than root)"},
	{"/var/lib/zdial", "state: the port cache and the record of rejected PINs"},
	{"/run/zdial", "per-device switch locks and records"},
	{"/usr/lib/udev/rules.d/40-zdial.rules", "the packaged udev rule; zdial udev-rule --install writes /etc/udev/rules.d/40-zdial.rules, which takes its place"},
	{"/usr/lib/systemd/system/zdial@.service", "the packaged systemd template; zdial install-unit --install writes /etc/systemd/system/zdial@.service"},
	{"/etc/ppp/peers/PROFILE", "written by zdial peer PROFILE --install"},
	{"/dev/zdial/DEVICE/ppp, at, diag", "stable links to a dongle's ports, made by the udev rule"},
}

var manSeeAlso = "pppd(8), chat(8), udev(7), udevadm(8), systemd.service(5), usb_modeswitch(1)"

// commonMin is how many commands must share a flag (same name, text and
// default) for it to be described once under COMMON FLAGS.
const commonMin = 3

// writeManPage writes zdial(8) in man(7) format.
func writeManPage(w io.Writer, helps []cmdHelp, version, date string) {
	p := &roffWriter{w: w}
	p.raw(`.\" zdial(8): generated by "zdial help --man" from zdial's --help texts; do not edit.`)
	p.raw(fmt.Sprintf(".TH ZDIAL 8 %s %s %s", roffQuote(date), roffQuote("zdial "+version), roffQuote("System Administration")))
	p.raw(".nh") // no hyphenation: flags and paths are copied from the page
	p.raw(".ad l")
	p.raw(".SH NAME")
	p.text("zdial - take a USB mobile-broadband dongle online and keep it online")

	p.raw(".SH SYNOPSIS")
	p.raw(".nf")
	for _, h := range helps {
		for _, s := range h.synopsis() {
			p.synopsis(h.name, s)
		}
	}
	p.raw(".fi")

	p.raw(".SH DESCRIPTION")
	for i, para := range manDescription {
		if i > 0 {
			p.raw(".PP")
		}
		p.text(para)
	}

	common := commonFlags(helps)
	p.raw(".SH COMMANDS")
	for _, h := range helps {
		p.raw(".SS " + roffQuote(h.name))
		p.text(h.summary + ".")
		p.raw(".PP")
		p.raw(".nf")
		for _, s := range h.synopsis() {
			p.synopsis(h.name, s)
		}
		p.raw(".fi")
		if n := h.notes(); n != "" {
			p.raw(".PP")
			p.raw(".nf")
			p.text(n)
			p.raw(".fi")
		}
		var shared []string
		for _, f := range h.flags {
			if common[commonKey(f)] {
				shared = append(shared, flagWord(f))
				continue
			}
			p.flag(f)
		}
		if len(shared) > 0 {
			p.raw(".PP")
			p.text("Common flags (see COMMON FLAGS): " + strings.Join(shared, ", ") + ".")
		}
	}

	if len(common) > 0 {
		p.raw(`.SH "COMMON FLAGS"`)
		p.text("Flags that several commands take, with the same meaning.")
		done := map[string]bool{}
		var flags []*flag.Flag
		for _, h := range helps {
			for _, f := range h.flags {
				if k := commonKey(f); common[k] && !done[k] {
					done[k] = true
					flags = append(flags, f)
				}
			}
		}
		sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
		for _, f := range flags {
			p.flag(f)
		}
	}

	p.raw(`.SH "EXIT STATUS"`)
	for _, e := range manExitCodes {
		p.raw(".TP")
		p.raw(fmt.Sprintf(`.B %d`, e.code))
		p.text(e.text)
	}
	p.raw(".PP")
	p.text("zdial chat exits with chat(8)'s statuses, as pppd expects of a connect program.")

	p.raw(".SH FILES")
	for _, f := range manFiles {
		p.raw(".TP")
		p.raw(".I " + roffQuote(f.path))
		p.text(f.text)
	}

	p.raw(`.SH "SEE ALSO"`)
	p.text(manSeeAlso)
}

// commonKey identifies a flag by what --help says of it.
func commonKey(f *flag.Flag) string { return f.Name + "\x00" + f.Usage + "\x00" + f.DefValue }

// commonFlags are the flags at least commonMin commands share.
func commonFlags(helps []cmdHelp) map[string]bool {
	n := map[string]int{}
	for _, h := range helps {
		for _, f := range h.flags {
			n[commonKey(f)]++
		}
	}
	common := map[string]bool{}
	for k, c := range n {
		if c >= commonMin {
			common[k] = true
		}
	}
	return common
}

// roffWriter writes man(7) lines; text is escaped so that no word of it
// is read as a request or an escape.
type roffWriter struct{ w io.Writer }

func (p *roffWriter) raw(line string) { fmt.Fprintln(p.w, line) }

func (p *roffWriter) text(s string) {
	for _, l := range strings.Split(s, "\n") {
		fmt.Fprintln(p.w, roffEscape(strings.TrimSpace(l)))
	}
}

// synopsis writes a usage line with "zdial" and the command name bold.
func (p *roffWriter) synopsis(name, s string) {
	head := "zdial"
	if s == head+" "+name || strings.HasPrefix(s, head+" "+name+" ") {
		head += " " + name
	}
	rest := strings.TrimPrefix(s, head)
	fmt.Fprintf(p.w, "\\fB%s\\fR%s\n", roffEscapeInline(head), roffEscapeInline(rest))
}

// flag writes one flag as a tagged paragraph: the flag and its argument,
// then its usage and default.
func (p *roffWriter) flag(f *flag.Flag) {
	arg, usage := flag.UnquoteUsage(f)
	p.raw(".TP")
	tag := `\fB` + roffEscapeInline(flagWord(f)) + `\fR`
	if arg != "" {
		tag += ` \fI` + roffEscapeInline(arg) + `\fR`
	}
	p.raw(tag)
	if d := flagDefault(f); d != "" {
		usage += " (default " + d + ")"
	}
	p.text(usage)
}

// roffEscapeInline escapes backslashes and makes every hyphen a minus
// sign (\-), which is what a flag or a path needs to be copied from the
// page.
func roffEscapeInline(s string) string {
	return strings.NewReplacer(`\`, `\e`, `-`, `\-`).Replace(s)
}

// roffEscape escapes a text line: inline escapes, and a leading . or '
// (a request) is guarded with \&.
func roffEscape(s string) string {
	s = roffEscapeInline(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// roffQuote is a request argument: quoted, with quotes doubled.
func roffQuote(s string) string {
	return `"` + strings.ReplaceAll(roffEscapeInline(s), `"`, `""`) + `"`
}
