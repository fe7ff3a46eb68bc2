// Package hooks writes the text of the files through which the rest of a
// Linux system starts zdial: a pppd peers file, so that `pon PROFILE`,
// `pppd call PROFILE` and ifupdown's `provider PROFILE` dial through
// `zdial chat PROFILE`, and a systemd template unit that runs the
// supervisor, `zdial run PROFILE`, one instance per profile.
//
// It only generates text: cmd/zdial decides where the text goes. What it
// puts in a file is checked here first, since pppd runs the connect line
// through /bin/sh as root: names and paths that could be read as more
// than one word are refused, never quoted into a shell.
//
//	# /etc/ppp/peers/three (abridged)
//	/dev/ttyUSB2
//	connect "/usr/local/bin/zdial chat three"
//	noauth
//	defaultroute
//	usepeerdns
package hooks
