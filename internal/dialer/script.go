package dialer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/internal/safefile"
)

// MaxScriptSize bounds a profile's chat script: a real one is a few
// hundred bytes.
const MaxScriptSize = 64 << 10

// ReadScript reads a chat script file the way every script zdial runs is
// read — a profile's script:, and `zdial chat FILE` as pppd's connect
// program, both run as root: the file must be one owner trusts (as root:
// root's, in directories only root can change), a link is followed only
// to such a file, nothing blocks (a FIFO is refused), and at most
// MaxScriptSize bytes are read.
func ReadScript(owner safefile.Owner, path string) ([]byte, error) {
	if err := owner.Trusted(path); err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	return safefile.ReadFile(real, MaxScriptSize)
}

// loadScript reads and parses the profile's own chat script, if it names
// one: a zdial YAML script (.yaml, .yml) or a chat(8) script, as found in
// /etc/chatscripts. The file must be one the dialer's Owner trusts (as
// root: root's, in directories only root can change), is read without
// following a final symbolic link or blocking, and at most MaxScriptSize
// bytes. A parse error names the line and column and what was expected,
// and never quotes the file: the path came from a config file, and the
// file may not be a script at all. The profile's values are available to
// YAML scripts as ${apn}, ${number}, ${cid}, ${pdp_type}, ${username} and
// the secret ${pin}; chat(8) scripts get the number as \T.
func (o *Dialer) loadScript() (*chat.Script, error) {
	p := o.Profile
	if p.Script == "" {
		return nil, nil
	}
	field := "profiles." + p.Name + ".script"
	src, err := ReadScript(o.owner(), p.Script)
	if err != nil {
		if _, ok := errors.AsType[*safefile.UntrustedError](err); ok {
			// It names the script and whatever above it is at fault.
			return nil, &profile.ConfigError{File: "profile " + p.Name, Field: "script", Err: err}
		}
		return nil, &profile.ConfigError{File: p.Script, Field: field, Err: unwrapPath(err)}
	}
	var secrets []string
	if p.PIN.IsSet() {
		secrets = append(secrets, p.PIN.Reveal())
	}
	// The number, cid and PDP type a script sees are the dial sequence's,
	// defaults included: Connect has validated them.
	dp, err := o.DialParams().WithDefaults()
	if err != nil {
		return nil, &profile.ConfigError{File: "profile " + p.Name, Err: err}
	}
	var script *chat.Script
	kind := "a chat(8) script (expect-send pairs of words)"
	switch strings.ToLower(filepath.Ext(p.Script)) {
	case ".yaml", ".yml":
		kind = "a zdial YAML chat script (a mapping with steps:)"
		script, err = chat.ParseScriptYAML(bytes.NewReader(src), p.Script, chat.ScriptVars{
			Values: map[string]string{
				"apn": p.APN, "number": dp.Number, "cid": strconv.Itoa(dp.CID),
				"pdp_type": dp.PDPType, "username": p.Username, "pin": p.PIN.Reveal(),
			},
			Secret: map[string]bool{"pin": true},
		})
	default:
		number := dp.Number
		script, err = chat.ParseChat8(bytes.NewReader(src), p.Script, chat.Chat8Options{Phone: &number, Secrets: secrets})
	}
	if err != nil {
		return nil, scriptError(p.Script, field, kind, err)
	}
	return script, nil
}

// scriptError places a parse error in the script without its content:
// chat's messages may quote the offending text, which for a file that is
// not a script at all (a root-only file named by mistake, or on purpose)
// would show its lines. Quoted parts are left out; the position and the
// kind of script expected stay.
func scriptError(file, field, kind string, err error) error {
	ce := &profile.ConfigError{File: file, Field: field}
	se, ok := errors.AsType[*chat.ScriptSyntaxError](err)
	if !ok {
		ce.Err = fmt.Errorf("not %s", kind)
		return ce
	}
	ce.Line, ce.Col = se.Pos.Line, se.Pos.Col
	ce.Err = fmt.Errorf("%w: not %s here: %s", ErrBadScript, kind, redactQuoted(se.Msg))
	return ce
}

// ErrBadScript is matched by the error for a profile's script that does
// not parse.
var ErrBadScript = errors.New("script does not parse")

// quotedRE matches what chat's messages quote: "…", `…`, '…' and (…).
var quotedRE = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`|'[^']*'|\\([^)]*\\)")

// redactQuoted drops quoted text from a parse message, and cuts it short.
func redactQuoted(msg string) string {
	msg = quotedRE.ReplaceAllString(msg, "(…)")
	if len(msg) > 120 {
		msg = msg[:120] + "…"
	}
	return msg
}

func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// runScript dials with the profile's own parsed chat script instead of
// the default one.
func (o *Dialer) runScript(ctx context.Context, line io.ReadWriter, script *chat.Script) error {
	p := o.Profile
	var secrets []string
	if p.PIN.IsSet() {
		secrets = append(secrets, p.PIN.Reveal())
	}
	opts := []chat.RunnerOption{chat.WithSecrets(secrets...)}
	if o.Trace != nil {
		opts = append(opts, chat.WithScriptLog(func(l string) { fmt.Fprintln(o.Trace, l) }))
	}
	r := chat.NewRunner(line, opts...)
	if _, err := r.Run(ctx, script); err != nil {
		r.Close()
		return fmt.Errorf("dialer: script %s: %w", p.Script, err)
	}
	o.note("script %s finished", p.Script)
	return r.Release(ctx)
}
