// Package metrics writes a link's state as a Prometheus text-format file for
// node_exporter's textfile collector, so a fleet of unattended boxes can be
// watched without zdial serving HTTP:
//
//	# HELP zdial_link_up Whether the profile's PPP link is up (1) or not (0).
//	# TYPE zdial_link_up gauge
//	zdial_link_up{profile="home"} 1
//	# HELP zdial_signal_dbm Received signal strength reported by the modem, in dBm.
//	# TYPE zdial_signal_dbm gauge
//	zdial_signal_dbm{profile="home"} -71
//	…
//
// The file is replaced atomically (internal/safefile), since the collector
// reads it at any moment. One supervisor writes one profile's file; give each
// profile its own file (zdial-home.prom, zdial-van.prom) in the collector's
// directory.
//
// The byte counters come from the PPP interface, which pppd creates anew on
// each connection: they restart at zero after a reconnect, which Prometheus'
// rate() and increase() treat as a counter reset.
package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/zdial/zdial/internal/safefile"
)

// ErrInvalid is matched by errors for a Link that cannot be written.
var ErrInvalid = errors.New("metrics: invalid link")

// Link is what one profile's metrics say. Fields whose Has… flag is false
// are unknown and their series are left out (no made-up zeros).
type Link struct {
	Profile string
	Up      bool

	HasSignal bool
	SignalDBm float64

	Tech string // access technology ("LTE", "UMTS", "GSM"); "" if unknown

	Reconnects uint64

	HasCounters      bool
	RxBytes, TxBytes uint64

	HasExitCode  bool
	LastExitCode int // pppd's last exit status
}

type family struct {
	name, help, typ string
	sample          func(l Link) (labels [][2]string, value string, ok bool)
}

func profileLabel(l Link) [][2]string { return [][2]string{{"profile", l.Profile}} }

var families = []family{
	{"zdial_link_up", "Whether the profile's PPP link is up (1) or not (0).", "gauge",
		func(l Link) ([][2]string, string, bool) { return profileLabel(l), boolValue(l.Up), true }},
	{"zdial_signal_dbm", "Received signal strength reported by the modem, in dBm.", "gauge",
		func(l Link) ([][2]string, string, bool) {
			return profileLabel(l), strconv.FormatFloat(l.SignalDBm, 'g', -1, 64), l.HasSignal
		}},
	{"zdial_access_technology_info", "The radio access technology the modem reports; the value is always 1.", "gauge",
		func(l Link) ([][2]string, string, bool) {
			return [][2]string{{"profile", l.Profile}, {"tech", l.Tech}}, "1", l.Tech != ""
		}},
	{"zdial_reconnects_total", "Redials by the supervisor since it started.", "counter",
		func(l Link) ([][2]string, string, bool) {
			return profileLabel(l), strconv.FormatUint(l.Reconnects, 10), true
		}},
	{"zdial_receive_bytes_total", "Bytes received on the PPP interface since it came up.", "counter",
		func(l Link) ([][2]string, string, bool) {
			return profileLabel(l), strconv.FormatUint(l.RxBytes, 10), l.HasCounters
		}},
	{"zdial_transmit_bytes_total", "Bytes sent on the PPP interface since it came up.", "counter",
		func(l Link) ([][2]string, string, bool) {
			return profileLabel(l), strconv.FormatUint(l.TxBytes, 10), l.HasCounters
		}},
	{"zdial_last_exit_code", "Exit status of the last pppd run (pppd(8) EXIT STATUS).", "gauge",
		func(l Link) ([][2]string, string, bool) {
			return profileLabel(l), strconv.Itoa(l.LastExitCode), l.HasExitCode
		}},
}

// Counters are written as integers, not floats: a byte count past 2^53
// would lose its last digits in float notation.
func boolValue(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Format writes links in the text exposition format, grouped by metric
// family as the format requires, in a fixed order.
func Format(w io.Writer, links []Link) error {
	seen := map[string]bool{}
	for _, l := range links {
		if l.Profile == "" {
			return fmt.Errorf("%w: empty profile name", ErrInvalid)
		}
		if seen[l.Profile] {
			return fmt.Errorf("%w: profile %q listed twice", ErrInvalid, l.Profile)
		}
		seen[l.Profile] = true
		if l.HasSignal && (math.IsNaN(l.SignalDBm) || math.IsInf(l.SignalDBm, 0)) {
			return fmt.Errorf("%w: signal of %q is not a number", ErrInvalid, l.Profile)
		}
	}
	var b bytes.Buffer
	for _, f := range families {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f.name, escapeHelp(f.help), f.name, f.typ)
		for _, l := range links {
			labels, v, ok := f.sample(l)
			if !ok {
				continue
			}
			b.WriteString(f.name)
			b.WriteByte('{')
			for i, kv := range labels {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%s=\"%s\"", kv[0], EscapeLabel(kv[1]))
			}
			b.WriteString("} ")
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteFile replaces path with links' metrics, atomically, mode 0644 (the
// collector runs as another user; nothing in it is secret).
func WriteFile(path string, links []Link) error {
	var b bytes.Buffer
	if err := Format(&b, links); err != nil {
		return err
	}
	if err := safefile.WriteAtomic(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}

// EscapeLabel escapes a label value as the text format requires (backslash,
// double quote and line feed), after replacing invalid UTF-8: label values
// can come from the modem (an access technology name).
func EscapeLabel(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return labelEscaper.Replace(s)
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func escapeHelp(s string) string { return helpEscaper.Replace(s) }

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
