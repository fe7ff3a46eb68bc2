package dialseq

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/zdial/zdial/internal/safefile"
)

// The dial learns two things about a modem that cost round trips to find
// out, and remembers them per modem so that the next dial does not pay
// again:
//
//   - the modem refuses command lines with several commands (a batch
//     answered ERROR whose commands all work one per line): every command
//     then goes on a line of its own;
//   - a query the modem lacks (plain ERROR, or +CME ERROR: 4, "operation
//     not supported": +CEREG? on a 3G-only stick): it is no longer asked.
//
// One small JSON file per modem, next to the port cache:
//
//	<state dir>/modems/<modem id>.json   (mode 0600, directory 0700)
//	{"version":1,"no_concat":true,"unsupported":["+CEREG"]}
//
// The modem id is Params.ModemID (the dialer passes the USB identity, as
// the port cache is keyed). Without a state dir or an id, what is learnt
// lasts for the run.
type modemQuirks struct {
	Version     int      `json:"version"`
	NoConcat    bool     `json:"no_concat,omitempty"`
	Unsupported []string `json:"unsupported,omitempty"` // of regQueries: "+CEREG", sorted
}

const quirksVersion = 1

// maxQuirksFile bounds what is read: a record is a few dozen bytes.
const maxQuirksFile = 4096

// quirkStore is where one modem's quirks live; path "" keeps them in memory.
type quirkStore struct {
	path string
}

func newQuirkStore(stateDir, modemID string) quirkStore {
	if stateDir == "" || modemID == "" {
		return quirkStore{}
	}
	return quirkStore{path: filepath.Join(stateDir, "modems", modemID+".json")}
}

// load returns the quirks on record. A missing, unreadable or foreign file
// is no record: at worst the dial learns again (nothing here is a safety
// rule, unlike the PIN memory).
func (s quirkStore) load() modemQuirks {
	if s.path == "" {
		return modemQuirks{}
	}
	b, err := safefile.ReadFile(s.path, maxQuirksFile)
	if err != nil {
		return modemQuirks{}
	}
	var q modemQuirks
	if json.Unmarshal(b, &q) != nil || q.Version != quirksVersion {
		return modemQuirks{}
	}
	q.Unsupported = onlyRegQueries(q.Unsupported)
	if all := !slices.ContainsFunc(regQueries, func(r string) bool { return !slices.Contains(q.Unsupported, r) }); all {
		q.Unsupported = nil // a modem that registers somehow: the record is wrong
	}
	return q
}

// store records q. The caller ignores the error but for the transcript: a
// failed write only costs the next dial a round trip.
func (s quirkStore) store(q modemQuirks) error {
	if s.path == "" {
		return nil
	}
	q.Version = quirksVersion
	q.Unsupported = onlyRegQueries(q.Unsupported)
	slices.Sort(q.Unsupported)
	b, err := json.Marshal(q)
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.path)
	if err := safefile.PrivateDir(filepath.Dir(dir)); err != nil {
		return fmt.Errorf("dialseq: modem memory: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("dialseq: modem memory: %w", err)
	}
	if err := safefile.WriteAtomic(s.path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("dialseq: modem memory: %w", err)
	}
	return nil
}

// forget removes the record (every registration query learnt unsupported
// means the record is wrong, not the modem).
func (s quirkStore) forget() error {
	if s.path == "" {
		return nil
	}
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dialseq: modem memory: %w", err)
	}
	return nil
}

// validModemID reports whether id can name a file in the state dir.
func validModemID(id string) bool {
	if id == "" || len(id) > 128 || id[0] == '.' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// onlyRegQueries keeps the registration queries of list, in a new slice:
// only those are remembered across runs (dial_register.go says why).
func onlyRegQueries(list []string) []string {
	var out []string
	for _, s := range list {
		if slices.Contains(regQueries, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
