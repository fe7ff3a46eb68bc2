// Package wvdialconf reads a wvdial.conf (wvdial.conf(5)) and converts its
// dialers into zdial profiles, for `zdial import-wvdial`.
//
// A wvdial.conf is an ini file; wvdial with no arguments dials
// [Dialer Defaults], `wvdial NAME` dials [Dialer NAME] over the defaults:
//
//	[Dialer Defaults]
//	Modem = /dev/ttyUSB0
//	Init1 = ATZ
//	Init3 = AT+CGDCONT=1,"IP","three.co.uk"
//	Phone = *99#
//	Username = user
//	Password = pass
//	Stupid Mode = 1
//
//	[Dialer work]
//	Inherits = Dialer Defaults
//	Init4 = AT+CPIN=1234
//
// becomes (after a comment block with the notes and what was not mapped)
//
//	profiles:
//	  # from [Dialer Defaults], line 1
//	  defaults:
//	    port: /dev/ttyUSB0
//	    apn: three.co.uk
//	    pdp_type: IP
//	    cid: 1
//	    number: '*99#'
//	    username: user
//	    password: pass
//	  # from [Dialer work], line 10
//	  work:
//	    port: /dev/ttyUSB0
//	    apn: three.co.uk
//	    pdp_type: IP
//	    cid: 1
//	    number: '*99#'
//	    pin: "1234"
//	    username: user
//	    password: pass
//
// Every profile is flattened: wvdial resolves each key on its own through
// the section, its Inherits chain and [Dialer Defaults], and Init1…Init9
// are separate keys there, while zdial's `init:` list replaces an
// inherited one whole. Emitting `inherits:` would change which init
// strings a profile sends, so each profile carries everything it uses.
//
// Parse is pure (an io.Reader and a name for messages); Convert maps the
// parsed file; Result.EmitYAML writes a zdial config file. Nothing here
// prints, opens files or reads flags. A PIN or password is never part of a
// note or an error; it is written only into the YAML, which the caller
// must create with mode 0600.
package wvdialconf
