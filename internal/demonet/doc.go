// Package demonet is the network side of `zdial demo`: a simulated modem
// between two pty pairs (Modem), a real pppd playing the operator's PPP
// peer on the far one (Network, run through pppctl like zdial's own), the
// namespaces that keep both pppds off the host (Isolation), and the checks
// that decide whether this host can run it (Checks).
//
//	zdial ── Port ═ Modem (modemsim) ═ Net ── Network pppd 10.64.0.1
//
// cmd/zdial wires it to the dialer and prints; nothing here prints.
package demonet
