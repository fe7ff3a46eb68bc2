// Package dialer composes zdial's packages into the one thing a user asks
// for: a dongle that is online. It owns the order of the stages and what
// happens between them, not the stages themselves:
//
//	lock the port (uucplock)  →  open the line (OpenLine)
//	→ dial: the default sequence (dialseq.Dial over at) or the profile's own
//	  chat script; Dial alone does this on a line pppd already holds
//	→ hand the open line to pppd (pppctl) — same descriptor, DTR never drops
//	→ supervise until the link ends or ctx is cancelled
//	→ hang up (+++, ATH, then DTR), release the lock
//
// Connect brings the link up once; a Supervisor (`zdial run`) calls it
// again whenever the link ends, with back-off, until it is stopped or an
// error retrying cannot fix (Retryable) comes up.
//
// A Dialer holds the resolved profile (internal/profile) and every path
// root; the dial defaults are dialseq's, not the dialer's. It prints nothing: progress
// goes to a callback, the AT transcript to an io.Writer, and errors are
// typed so the CLI can map them to exit codes (Classify).
package dialer
