// Package at talks to a modem in AT commands (ITU-T V.250, 3GPP TS 27.007)
// over any io.ReadWriter: a serial port, a pty, a net.Pipe.
//
// One command runs at a time. A typical exchange with echo on, as the
// reader goroutine sees it, with the class each line is routed to:
//
//	> AT+CSQ\r
//	< AT+CSQ             echo         (dropped: it is our own command)
//	< +CSQ: 17,99        information  (returned by Command)
//	< ^RSSI:17           unsolicited  (to subscribers only, never to Command)
//	< OK                 final result (ends the command: nil error)
//
//	> ATD*99#\r
//	< CONNECT 7200000    final result (Dial returns "7200000"; the reader
//	                     stops, so the line can be handed to pppd)
//
// Final results map to errors: ERROR → ErrError, "+CME ERROR: 11" or
// "+CME ERROR: SIM PIN required" → *CMEError{Code: 11} (errors.Is with
// ErrSIMPINRequired), +CMS ERROR → *CMSError, NO CARRIER → ErrNoCarrier,
// BUSY, NO ANSWER, NO DIALTONE likewise. Every error from a command is a
// *CommandError naming the command, secrets masked and redacted.
//
// A line is unsolicited when no command is running, or when it starts with
// a known unsolicited prefix (+CREG:, ^RSSI:, +ZUSIMR:, RING, ...) that is
// not the running command's own response prefix: +CREG: during AT+CREG? is
// the answer, during AT+CSQ it is a URC.
//
// A command whose ctx ends returns ctx.Err(); the late reply it still owes
// is drained before the next command is sent, for at most the drain window
// counted from when it was abandoned (see Modem and drain.go). A wake-up
// probe sent with NoDrain goes out at once, every second if need be:
//
//	> AT                 (lost: the port was not open yet; abandoned after 1 s)
//	> AT                 (NoDrain: sent at once, not held for the drain window)
//	< AT                 echo
//	< OK                 the modem is alive
//
// A device that goes away gives ErrHangup; a local Close gives ErrClosed.
//
// Line noise — bytes that are not printable ASCII, a line that is mostly
// such bytes, a line longer than 4 KiB — is dropped and shown in the
// transcript as "# noise: ..."; it never fails or delays a command, and a
// final result is found even with junk before it on its line (noise.go):
//
//	> AT+CPIN="1234"
//	# noise: 1 byte "\x13"
//	< AT+CPIN=****       the echo, with a stray XOFF after it: still the echo
//	< +CME ERROR: 16     final result: *CMEError{Code: 16}
//
// What a modem can make the engine hold is bounded: a line (4 KiB), the
// information of one command (WithResponseLimit; past it the command fails
// at once with ErrResponseTooLarge and the rest of its answer is drained),
// the URCs waiting for subscribers (256, the oldest dropped), and a flood
// of dropped lines costs a few transcript lines, not one per line.
//
// A command's secrets (the arguments of +CPIN= and the like, or of a
// Secret() call) are masked in the transcript and in CommandError.Cmd, and
// their values are redacted from everything the modem sends while the
// command runs or owes its answer: echoes, information, URCs, and the text
// of the command's errors (secret.go).
//
// The engine expects verbose results (ATV1), the default of every modem.
// The Read* helpers run one query (ReadICCID and ReadPINCounts try the
// vendors' commands in turn) and decode it with a pure Parse* function.
// The parsers are table-tested on testdata/responses.txt: mostly replies
// written by hand in the formats of ZTE, Huawei, Sierra, Option, Quectel
// and Telit manuals, plus a few lines seen on real devices, each with its
// source (the file's header says which are which).
package at
