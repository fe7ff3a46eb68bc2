package dialseq

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/zdial/zdial/internal/safefile"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The PIN memory remembers, per SIM, a PIN that SIM has rejected, so that a
// later run — cron, a restart loop, a second profile — never spends another of
// the SIM's three attempts on a PIN already known to be wrong. A record stops
// applying as soon as the configured PIN changes, and is removed when a PIN is
// accepted.
//
// One small JSON file per SIM in the state directory:
//
//	<state dir>/pin-rejected-<key>.json   (mode 0600, directory 0700)
//	{"version":1,"salt":"…","pin_hmac":"…","rejected_at":"…"}
//
// <key> is a SHA-256 digest of the SIM's identity (ICCID, else IMSI), so the
// file names do not list the SIMs. The file holds HMAC-SHA256(salt, PIN) with
// a random salt, never the PIN. That keeps the PIN from being read off the
// disk at a glance; it does not stop a determined reader, who can try all
// 10^4–10^8 PINs against the digest. The real protection is the file mode,
// and the profile holding the PIN is more sensitive than this file anyway.
//
// One file per SIM (rather than one file for all) means two zdial processes
// dialing two modems never race on a read-modify-write.

const pinRecordVersion = 1

// pinRecord is the on-disk form of one rejected PIN.
type pinRecord struct {
	Version    int       `json:"version"`
	Salt       string    `json:"salt"`     // hex, 32 random bytes
	PINHMAC    string    `json:"pin_hmac"` // hex HMAC-SHA256(salt, PIN)
	RejectedAt time.Time `json:"rejected_at"`
}

// pinRecordPath is where the record for the SIM with this identity lives.
// An empty identity (the modem told us neither ICCID nor IMSI) still gets a
// record of its own, shared by all unidentified SIMs: that errs on the side of
// not sending a PIN.
// maxPINRecord bounds what is read of a record: one is about 200 bytes.
const maxPINRecord = 4096

func pinRecordPath(dir, simIdentity string) string {
	sum := sha256.Sum256([]byte("zdial sim identity\x00" + simIdentity))
	return filepath.Join(dir, "pin-rejected-"+hex.EncodeToString(sum[:16])+".json")
}

func pinHMAC(salt []byte, pin string) []byte {
	mac := hmac.New(sha256.New, salt)
	mac.Write([]byte(pin))
	return mac.Sum(nil)
}

// pinWasRejected reports whether pin is the PIN this SIM rejected before.
// A record that cannot be read or parsed is an error, never "no": not knowing
// whether a PIN was rejected must not lead to sending it.
func pinWasRejected(dir, simIdentity, pin string) (bool, error) {
	if dir == "" {
		return false, nil
	}
	path := pinRecordPath(dir, simIdentity)
	data, err := safefile.ReadFile(path, maxPINRecord)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dialseq: reading PIN state: %w", err)
	}
	var rec pinRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return false, fmt.Errorf("dialseq: PIN state %s is damaged (%v): remove it once the configured PIN is known to be right", path, err)
	}
	salt, err1 := hex.DecodeString(rec.Salt)
	want, err2 := hex.DecodeString(rec.PINHMAC)
	if rec.Version != pinRecordVersion || err1 != nil || err2 != nil || len(salt) == 0 || len(want) == 0 {
		return false, fmt.Errorf("dialseq: PIN state %s is damaged or from another version: remove it once the configured PIN is known to be right", path)
	}
	return hmac.Equal(pinHMAC(salt, pin), want), nil
}

// rememberRejectedPIN records that the SIM rejected pin. The file is written
// to a temporary name and renamed, so a crash leaves the old record or the new
// one, never half of one. random supplies the salt (crypto/rand.Reader in
// production).
func rememberRejectedPIN(dir, simIdentity, pin string, now time.Time, random io.Reader) error {
	if dir == "" {
		return errors.New("dialseq: no state directory configured: cannot remember the rejected PIN")
	}
	if err := safefile.PrivateDir(dir); err != nil {
		return fmt.Errorf("dialseq: PIN state: %w", err)
	}
	salt := make([]byte, 32)
	if _, err := io.ReadFull(random, salt); err != nil {
		return fmt.Errorf("dialseq: PIN state: salt: %w", err)
	}
	rec := pinRecord{
		Version:    pinRecordVersion,
		Salt:       hex.EncodeToString(salt),
		PINHMAC:    hex.EncodeToString(pinHMAC(salt, pin)),
		RejectedAt: now.UTC(),
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("dialseq: PIN state: %w", err)
	}
	path := pinRecordPath(dir, simIdentity)
	if err := safefile.WriteAtomic(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("dialseq: PIN state: %w", err)
	}
	return nil
}

// forgetRejectedPIN removes the SIM's record; called once the SIM accepted a
// PIN, so a record of an older, wrong PIN does not linger.
func forgetRejectedPIN(dir, simIdentity string) error {
	if dir == "" {
		return nil
	}
	err := os.Remove(pinRecordPath(dir, simIdentity))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dialseq: PIN state: %w", err)
	}
	return nil
}
