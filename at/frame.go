package at

// maxLine bounds one line. Real responses are far shorter (a +COPS=? scan is
// the longest at a few hundred bytes); a longer run without CR or LF is noise
// and is cut so that memory stays bounded.
const maxLine = 4096

// framer splits a byte stream into lines. V.250 frames responses as
// CR LF text CR LF and commands end in CR; a modem in echo mode may also send
// a bare CR or LF, so either byte ends a line and empty lines carry nothing.
// The framer keeps the unterminated tail between reads, so a reply delivered
// one byte at a time and many lines in one read frame the same way.
//
// The reader goroutine owns a framer; it is not safe for concurrent use.
type framer struct {
	pending []byte // bytes of the current, unterminated line
	lastCR  bool   // the last terminator seen was CR (so a following LF is its pair)
}

// next returns the first complete, non-empty line in pending+p and how many
// bytes of p it consumed. ok is false when p ran out first; the tail is kept.
// long reports a line cut at maxLine rather than ended by CR or LF.
func (f *framer) next(p []byte) (line string, n int, long, ok bool) {
	for i, c := range p {
		if c == '\r' || c == '\n' {
			f.lastCR = c == '\r'
			if len(f.pending) == 0 {
				continue
			}
			line = string(f.pending)
			f.pending = f.pending[:0]
			return line, i + 1, false, true
		}
		f.lastCR = false
		f.pending = append(f.pending, c)
		if len(f.pending) >= maxLine {
			line = string(f.pending)
			f.pending = f.pending[:0]
			return line, i + 1, true, true
		}
	}
	return "", len(p), false, false
}

// partial returns the unterminated tail, which is where a "> " prompt sits:
// the modem sends CR LF "> " and waits for the message body without ending
// the line.
func (f *framer) partial() string { return string(f.pending) }

// takePartial discards the unterminated tail (after a prompt was consumed).
func (f *framer) takePartial() { f.pending = f.pending[:0] }
