package dialer

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/pppctl"
)

// Check makes every check Connect makes before it touches a modem, so
// that `zdial config check` finds what a dial would refuse: the profile's
// pppd options and dial values, the pppd binary (found, and trusted by the
// user zdial runs as; not run), and the profile's chat script (trusted,
// read and parsed). A pppd that is simply not installed is no error here
// unless the profile names one: installing ppp is not a config change.
func Check(o Dialer) error {
	o.setDefaults()
	if _, err := o.preflight(); err != nil {
		return err
	}
	path := o.pppdPath()
	if _, err := findPPPD(path, o.owner()); err != nil && (path != "" || !errors.Is(err, ErrNoPPPD)) {
		if path == "" || o.PPPD != "" {
			return err
		}
		// The profile named it: say so, and where it points.
		if pe, ok := errors.AsType[*fs.PathError](err); ok && errors.Is(err, ErrNoPPPD) {
			err = fmt.Errorf("%s: %w", path, pe.Err)
		}
		return &profile.ConfigError{File: "profile " + o.Profile.Name, Field: "pppd.path", Err: err}
	}
	_, err := o.loadScript()
	return err
}

// preflight validates the profile's pppd options and dial values and
// returns the options.
func (o *Dialer) preflight() (pppctl.Options, error) {
	opts := pppOptions(o.Profile)
	if err := opts.Validate(); err != nil {
		return opts, err
	}
	if err := o.DialParams().Validate(); err != nil {
		return opts, &profile.ConfigError{File: "profile " + o.Profile.Name, Err: err}
	}
	return opts, nil
}

// pppdPath is the pppd to run: Dialer.PPPD (--pppd) wins over the
// profile's pppd.path; empty means pppd in PATH.
func (o *Dialer) pppdPath() string {
	if o.PPPD != "" {
		return o.PPPD
	}
	return o.Profile.PPPD.Path
}
