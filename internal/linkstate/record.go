package linkstate

import (
	"errors"
	"fmt"
	"github.com/zdial/zdial/internal/printable"
	"net/netip"
	"time"
)

// Sentinels for the conditions callers act on (errors.Is).
var (
	ErrNotFound   = errors.New("linkstate: no record")
	ErrBadProfile = errors.New("linkstate: profile name unusable as a file name")
	ErrUnsafe     = errors.New("linkstate: unsafe file")
	ErrCorrupt    = errors.New("linkstate: malformed record")
	ErrBusy       = errors.New("linkstate: dial lock held by another process")
)

// State is where a link stands.
type State string

// The states a supervisor goes through.
const (
	StateDialing State = "dialing" // switching, probing, dialling or negotiating
	StateUp      State = "up"      // pppd reported the link's address
	StateDown    State = "down"    // the link dropped; the supervisor decides what next
	StateBackoff State = "backoff" // waiting before the next dial
	StateStopped State = "stopped" // the supervisor gave up (SIM, PIN, configuration) or was told to stop
)

// Valid reports whether s is one of the states above.
func (s State) Valid() bool {
	switch s {
	case StateDialing, StateUp, StateDown, StateBackoff, StateStopped:
		return true
	}
	return false
}

// Process names a process across PID reuse.
type Process struct {
	PID   int    `json:"pid"`
	Start uint64 `json:"start"` // /proc/PID/stat field 22: clock ticks from boot to its start
}

// Record is one profile's runtime state. It holds no secrets, by design:
// the file is world-readable.
type Record struct {
	Profile    string       `json:"profile"`
	State      State        `json:"state"`
	Supervisor Process      `json:"supervisor"`
	PPPD       Process      `json:"pppd,omitzero"`
	Device     string       `json:"device,omitempty"` // "12d1:1506/SERIAL" or a sysfs name such as "1-1.2"
	Port       string       `json:"port,omitempty"`   // "/dev/ttyUSB0"
	Interface  string       `json:"interface,omitempty"`
	IP         netip.Addr   `json:"ip,omitzero"`
	Peer       netip.Addr   `json:"peer,omitzero"`
	DNS        []netip.Addr `json:"dns,omitempty"`
	Operator   string       `json:"operator,omitempty"`
	AccessTech string       `json:"access_technology,omitempty"` // "LTE", "UMTS", …
	SignalDBm  *int         `json:"signal_dbm,omitempty"`
	Since      time.Time    `json:"since,omitzero"` // when State began
	Reconnects int          `json:"reconnects"`
	LastExit   *int         `json:"last_exit_code,omitempty"` // pppd's last exit status
	// ExitCode is zdial's exit code (README, "Exit codes") for LastError:
	// what `zdial ensure` and `zdial up` report for a dial they did not run.
	ExitCode  *int   `json:"exit_code,omitempty"`
	LastError string `json:"last_error,omitempty"`
}

// Bounds on what a record may hold.
const (
	MaxRecordSize = 64 << 10
	maxText       = 256 // free-text fields are cut here
	maxDNS        = 8
	maxProfile    = 64
)

// ValidProfile checks that name can name the profile's files: 1 to 64
// bytes of printable ASCII without '/' (so no path, and no ".."), not
// starting with '.' (hidden and temporary files) or '-' (an option to
// whatever is handed the name).
func ValidProfile(name string) error {
	if name == "" || len(name) > maxProfile || name[0] == '.' || name[0] == '-' {
		return fmt.Errorf("%w: %q", ErrBadProfile, name)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c >= 0x7f || c == '/' {
			return fmt.Errorf("%w: %q", ErrBadProfile, name)
		}
	}
	return nil
}

// check reports why r cannot be stored, or nil.
func (r *Record) check() error {
	if err := ValidProfile(r.Profile); err != nil {
		return err
	}
	bad := func(what string, v any) error { return fmt.Errorf("%w: %s %v", ErrCorrupt, what, v) }
	switch {
	case !r.State.Valid():
		return bad("state", fmt.Sprintf("%q", r.State))
	case r.Supervisor.PID <= 0:
		return bad("supervisor PID", r.Supervisor.PID)
	case r.PPPD.PID < 0:
		return bad("pppd PID", r.PPPD.PID)
	case r.Reconnects < 0:
		return bad("reconnect count", r.Reconnects)
	case len(r.DNS) > maxDNS:
		return bad("DNS server count", len(r.DNS))
	case !validInterface(r.Interface):
		return bad("interface", fmt.Sprintf("%q", r.Interface))
	}
	return nil
}

// validInterface: empty, or a name Linux would accept (dev_valid_name).
func validInterface(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > 15 || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '/' || c == ':' || c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// clean makes the free-text fields safe to print: valid UTF-8, no control
// characters, bounded.
func (r *Record) clean() {
	for _, p := range []*string{&r.Device, &r.Port, &r.Operator, &r.AccessTech, &r.LastError} {
		*p = cleanText(*p)
	}
}

func cleanText(s string) string { return printable.Cut(printable.Strip(s), maxText) }
