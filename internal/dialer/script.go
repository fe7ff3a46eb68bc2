package dialer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/profile"
)

// runScript dials with the profile's own chat script instead of the
// default one: a zdial YAML script (.yaml, .yml) or a chat(8) script, as
// found in /etc/chatscripts. The profile's values are available to YAML
// scripts as ${apn}, ${number}, ${cid}, ${pdp_type}, ${username} and the
// secret ${pin}; chat(8) scripts get the number as \T.
func (o *Dialer) runScript(ctx context.Context, line io.ReadWriter) error {
	p := o.Profile
	src, err := os.ReadFile(p.Script)
	if err != nil {
		return &profile.ConfigError{File: p.Script, Field: "profiles." + p.Name + ".script", Err: err}
	}
	var secrets []string
	if p.PIN.IsSet() {
		secrets = append(secrets, p.PIN.Reveal())
	}
	// The number, cid and PDP type a script sees are the dial sequence's,
	// defaults included: Connect has validated them.
	dp, err := o.DialParams().WithDefaults()
	if err != nil {
		return &profile.ConfigError{File: "profile " + p.Name, Err: err}
	}
	var script *chat.Script
	switch strings.ToLower(filepath.Ext(p.Script)) {
	case ".yaml", ".yml":
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
		return &profile.ConfigError{File: p.Script, Err: err}
	}
	var opts []chat.RunnerOption
	opts = append(opts, chat.WithSecrets(secrets...))
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
