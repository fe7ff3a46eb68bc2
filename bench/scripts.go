package main

import (
	"fmt"
	"strings"
)

// job is the one dial every dialer runs: commands in order, each expecting
// OK, then the dial command expecting CONNECT.
type job struct {
	Commands []string // without the dial, e.g. ATZ, the init string, +CGDCONT
	Dial     string   // ATD*99#
	Timeout  int      // seconds each command may take
}

// standardJob is the job of issue 11: ATZ, the usual init string, the APN,
// the dial.
func standardJob() job {
	return job{
		Commands: []string{"ATZ", "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", `AT+CGDCONT=1,"IP","three.co.uk"`},
		Dial:     "ATD*99#",
		Timeout:  10,
	}
}

// abortResults are the final results that end a job in every dialer.
var abortResults = []string{"NO CARRIER", "BUSY", "ERROR", "NO DIALTONE", "NO ANSWER"}

// chatScript is the job as a chat(8) script (chat -f FILE). Strings are
// single-quoted; the job holds no single quote.
func chatScript(j job) string {
	var b strings.Builder
	for _, a := range abortResults {
		fmt.Fprintf(&b, "ABORT '%s'\n", a)
	}
	fmt.Fprintf(&b, "TIMEOUT %d\n", j.Timeout)
	expect := "''"
	for _, c := range j.Commands {
		fmt.Fprintf(&b, "%s '%s'\n", expect, c)
		expect = "OK"
	}
	fmt.Fprintf(&b, "%s '%s'\n", expect, j.Dial)
	b.WriteString("CONNECT ''\n")
	return b.String()
}

// zdialYAML is the job as a zdial YAML script (zdial chat FILE.yaml).
func zdialYAML(j job) string {
	var b strings.Builder
	fmt.Fprintf(&b, "timeout: %ds\n", j.Timeout)
	b.WriteString("abort: [" + strings.Join(quoteAll(abortResults), ", ") + "]\n")
	b.WriteString("steps:\n")
	for _, c := range j.Commands {
		fmt.Fprintf(&b, "  - send: %s\n    expect: OK\n", yamlQuote(c))
	}
	fmt.Fprintf(&b, "  - send: %s\n    expect: CONNECT\n", yamlQuote(j.Dial))
	return b.String()
}

// comgtScript is the job as a comgt script (comgt -s -d PORT FILE). comgt's
// waitfor sets % to the index of the string seen, -1 on a timeout.
func comgtScript(j job) string {
	var b strings.Builder
	b.WriteString("opengt\nset com 115200n81\nset comecho off\nset senddelay 0\nset clocal on\n")
	step := func(cmd, want string) {
		fmt.Fprintf(&b, "send \"%s^m\"\n", strings.ReplaceAll(cmd, `"`, `\"`))
		fmt.Fprintf(&b, "waitfor %d %s\n", j.Timeout, strings.Join(quoteAll(append([]string{want}, abortResults...)), ","))
		b.WriteString("if % != 0 goto fail\n")
	}
	for _, c := range j.Commands {
		step(c, "OK")
	}
	step(j.Dial, "CONNECT")
	b.WriteString("exit 0\n:fail\nexit 1\n")
	return b.String()
}

// wvdialConf is the job as a wvdial.conf for port. Stupid Mode starts
// "pppd" right after CONNECT; pppd is a stub that exits, so nothing real
// starts. wvdial insists on a username and password.
func wvdialConf(j job, port, pppd string) string {
	var b strings.Builder
	b.WriteString("[Dialer Defaults]\n")
	fmt.Fprintf(&b, "Modem = %s\nBaud = 115200\n", port)
	for i, c := range j.Commands {
		fmt.Fprintf(&b, "Init%d = %s\n", i+1, c)
	}
	number, _ := strings.CutPrefix(strings.ToUpper(j.Dial), "ATD")
	fmt.Fprintf(&b, "Dial Command = ATD\nPhone = %s\n", number)
	b.WriteString("Username = bench\nPassword = bench\n")
	b.WriteString("Stupid Mode = 1\nCarrier Check = no\nAuto Reconnect = off\nAuto DNS = off\n")
	fmt.Fprintf(&b, "PPPD Path = %s\n", pppd)
	return b.String()
}

// stubPPPD is the "pppd" wvdial starts after CONNECT: it exits at once.
const stubPPPD = "#!/bin/sh\nexit 0\n"

// idlePPPD stands in for pppd when zdial holds a link: it answers
// --version, logs a link coming up on its logfd as pppd does, and waits
// until SIGTERM, then exits 5 (pppd's "user request").
const idlePPPD = `#!/bin/sh
case "$1" in --version) echo "pppd version 2.4.9"; exit 0;; esac
fd=; prev=
for a in "$@"; do [ "$prev" = logfd ] && fd=$a; prev=$a; done
log() { [ -n "$fd" ] && eval 'printf "%s\n" "$1" >&'"$fd"; }
log "Using interface ppp0"
log "Connect: ppp0 <--> /dev/bench"
log "local  IP address 10.11.12.13"
log "remote IP address 10.64.64.64"
log "primary   DNS address 10.11.12.1"
trap 'exit 5' TERM INT
while :; do sleep 3600 & wait $!; done
`

// zdialConfig is a config file with one profile, "bench", for Three UK
// with pin (empty: none).
func zdialConfig(pin string) string {
	s := "profiles:\n  bench:\n    inherits: three\n"
	if pin != "" {
		s += "    pin: " + yamlQuote(pin) + "\n"
	}
	return s
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = yamlQuote(s)
	}
	return out
}

// yamlQuote double-quotes s for YAML (and comgt, whose strings share the
// syntax for what a job holds).
func yamlQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
