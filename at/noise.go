package at

import "strings"

// Noise: what the engine makes of a line that had noise bytes in it.
//
// USB serial does not flip bits; junk on a dongle's port is inserted whole:
// bytes left over from before a mode switch or a reset, the tail of a PPP
// frame after a hang-up, a buffer the firmware flushes at boot. So the
// framer takes noise bytes out and keeps the line's printable text, which
// is the real line when the junk was all non-printable ("+CSQ: 1\x00\x01,99"
// is "+CSQ: 1,99"). But junk has printable bytes too (PPP's '~' and '}'),
// and a corrupted line may have lost its CR LF, so its text can be junk,
// or junk followed by a real line:
//
//	< \xff\x00~                      noise: nothing worth keeping
//	< \xff\x00~OK                    the final result OK, after the junk
//	< +CSQ: 17,99\x00OK              +CSQ: 17,99, then the final result OK
//	< AT+CPIN="1234"\x13             the command's echo (a stray XOFF)
//	< MF\x00\x1b622                   MF622: more text than noise
//	< \xffA\x13                      noise: more noise than text
//
// The rule, for a line with noise bytes in it: its text is first tried as
// a recognisable line — a final result code, the running command's echo,
// a line with the command's own response prefix or a known unsolicited
// prefix — as it is, with leading punctuation that starts no AT line
// trimmed, and from just after its last noise byte, where a real line
// begins when the junk swallowed its CR LF. A final result found there
// ends the command, and the text before it is kept if it is recognisable
// on its own. Otherwise the text is free text (an ATI or +CGMM answer) and
// is kept only if it has a letter or digit and more text bytes than noise
// bytes: a line that is mostly noise is noise. A clean line (no noise
// bytes) is always kept as it is. What is dropped is shown in the
// transcript as noise; noise never fails a command and never waits for
// anything.

// salvage returns the lines worth routing in fr, in order: none, one or
// two (a recognisable head and a final result after the last noise byte).
func salvage(fr frame, st *callState, extra []string) (out [2]string, n int) {
	if fr.long > 0 {
		return out, 0
	}
	s := fr.text
	if !fr.corrupted() {
		if s == "" {
			return out, 0
		}
		out[0] = s
		return out, 1
	}
	if isFinal(s) {
		out[0] = s
		return out, 1
	}
	tail := trimJunk(s[fr.tail:])
	if isFinal(tail) {
		if head := trimJunk(s[:fr.tail]); recognisable(head, st, extra) {
			out[0], out[1] = head, tail
			return out, 2
		}
		out[0] = tail
		return out, 1
	}
	for _, t := range [...]string{s, trimJunk(s), tail} {
		if recognisable(t, st, extra) {
			out[0] = t
			return out, 1
		}
	}
	if len(s) > fr.noise && trimJunk(s) != "" {
		out[0] = s
		return out, 1
	}
	return out, 0
}

// isFinal reports a final result code.
func isFinal(s string) bool {
	_, ok := parseFinal(s)
	return ok
}

// recognisable reports text that is an AT line whatever junk came with it:
// a final result, the running command's echo, or a line that starts with
// the command's response prefix or a known unsolicited prefix.
func recognisable(s string, st *callState, extra []string) bool {
	if s == "" {
		return false
	}
	return isFinal(s) || isEcho(s, st) || (st.active && ownsLine(s, st.names)) || hasURCPrefix(s, extra)
}

// isEcho reports the running command's own line, first copy or repeat.
func isEcho(s string, st *callState) bool {
	return st.active && strings.EqualFold(strings.TrimSpace(s), st.echo)
}

// trimJunk drops leading bytes that cannot start an AT line: anything but
// a letter, a digit or a command prefix character ('+', '^', '$', ...).
func trimJunk(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || isExtPrefix(c) {
			return s[i:]
		}
	}
	return ""
}
