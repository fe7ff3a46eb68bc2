package fakepppd

import "os"

// Name is the fake's program name: Main acts when os.Args[0] has this base.
const Name = "fake-pppd"

// DefaultVersion is what `fake-pppd --version` reports when Spec.Version
// is empty; pppctl derives the passwordfd plugin directory from it.
const DefaultVersion = "2.4.9"

// ReadyLine is logged once the fake has logged Spec.Log and, in ModeTerm
// and ModeIgnoreTerm, is waiting for a signal: a test may stop it from then
// on and know every Spec.Log line has been written.
const ReadyLine = "fake: ready"

// Mode says how the fake ends.
type Mode string

const (
	// ModeExit exits with Spec.Exit right after logging. The zero Mode.
	ModeExit Mode = "exit"
	// ModeTerm waits for SIGTERM, logs pppd's termination lines and exits
	// with status 5, as pppd does when it is asked to stop.
	ModeTerm Mode = "term"
	// ModeIgnoreTerm waits, ignoring SIGTERM, until it is killed.
	ModeIgnoreTerm Mode = "ignore-term"
	// ModeIgnoreTermChild is ModeIgnoreTerm with a child in the fake's
	// process group that ignores SIGTERM too and holds the log pipe (as
	// its stdout): a helper pppd left behind. Its pid is logged, after
	// ChildLine, before ReadyLine.
	ModeIgnoreTermChild Mode = "ignore-term-child"
)

// ChildLine starts the log line that gives the pid of the child in
// ModeIgnoreTermChild: "fake: child 1234".
const ChildLine = "fake: child "

// Spec is what one installed fake does.
type Spec struct {
	TTY     string   // path of the device the fake's stdin must be
	Log     []string // lines for logfd; {tty} becomes the stdin tty's name
	Exit    int      // exit status in ModeExit
	Mode    Mode     // "" means ModeExit
	Version string   // for --version; "" means DefaultVersion
}

// Record is what the fake saw. The last run other than --version writes it.
type Record struct {
	Args        []string // argv without the program name
	Env         []string
	StdinIsLine bool   // stdin is the character device at Spec.TTY
	StdinErr    string // why StdinIsLine is false, when a check failed
	Password    string // as pppd would have read it; "" if none was offered
	Via         string // "passwordfd", "file", or "" if no password was offered
	OptionsFile string // the `file` argument
	FileMode    os.FileMode
	DirMode     os.FileMode // of the options file's directory
	Err         string      // a problem the fake met; Install's record fails the test on it
}

// Files next to the fake's symlink.
const (
	specFile   = "fakepppd-spec.json"
	recordFile = "fakepppd-record.json"
)
