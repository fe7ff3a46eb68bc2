package at

// maxLine bounds the text of one line. Real responses are far shorter (a
// +COPS=? scan is the longest at a few hundred bytes); a longer run without
// CR or LF is noise: the framer drops it whole and resynchronises at the
// next CR or LF, so memory stays bounded whatever the modem sends.
const maxLine = 4096

// noiseSample is how many noise bytes of a line the transcript shows.
const noiseSample = 16

// isNoise reports a byte that is never part of AT text: V.250 responses are
// printable ASCII (IRA) plus tab, framed by CR and LF. Everything else —
// NUL, XON/XOFF, ESC, DEL, bytes with the high bit set — is line noise:
// leftovers of a mode switch or of PPP, a modem resetting, a noisy line.
func isNoise(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c >= 0x7f
}

// frame is one line as the framer delivers it.
type frame struct {
	text   string // the line's text: its printable bytes, noise removed
	noise  int    // how many noise bytes were removed from the line
	sample string // the first of them (up to noiseSample), for the transcript
	tail   int    // text[tail:] is the text after the last noise byte
	long   int    // > 0: the line passed maxLine; its length, text is empty
}

// corrupted reports a line that had noise bytes in it.
func (fr frame) corrupted() bool { return fr.noise > 0 }

// framer splits a byte stream into lines. V.250 frames responses as
// CR LF text CR LF and commands end in CR; a modem in echo mode may also send
// a bare CR or LF, so either byte ends a line and empty lines carry nothing.
// Noise bytes are taken out as they arrive and counted with the line they
// were in, so they never count towards maxLine and a line made of nothing
// but noise still reaches the router, to be shown in the transcript.
// The framer keeps the unterminated tail between reads, so a reply
// delivered one byte at a time and many lines in one read frame the same
// way.
//
// The reader goroutine owns a framer; it is not safe for concurrent use.
type framer struct {
	pending []byte // text bytes of the current, unterminated line (≤ maxLine)
	noise   int    // noise bytes dropped from the current line
	sample  []byte // the first noiseSample of them
	tail    int    // len(pending) when the last noise byte came
	over    int    // > 0: the current line passed maxLine; bytes seen so far
	lastCR  bool   // the last terminator seen was CR (so a following LF is its pair)
}

// next returns the first complete line in pending+p and how many bytes of
// p it consumed. ok is false when p ran out first; the tail is kept. A line
// that is empty (no text, no noise) is skipped: it is the other half of a
// CR LF pair or the blank before a response.
func (f *framer) next(p []byte) (fr frame, n int, ok bool) {
	for i, c := range p {
		switch {
		case c == '\r' || c == '\n':
			f.lastCR = c == '\r'
			if len(f.pending) == 0 && f.noise == 0 && f.over == 0 {
				continue
			}
			return f.take(), i + 1, true
		case f.over > 0:
			f.over++ // discarding an over-long line up to its end
		case isNoise(c):
			f.lastCR = false
			if len(f.sample) < noiseSample {
				f.sample = append(f.sample, c)
			}
			f.noise++
			f.tail = len(f.pending)
		default:
			f.lastCR = false
			if len(f.pending) == maxLine {
				// Too long to be AT text: drop what we have and the rest
				// up to the next CR or LF.
				f.over = len(f.pending) + f.noise + 1
				f.pending, f.noise, f.sample, f.tail = f.pending[:0], 0, f.sample[:0], 0
				continue
			}
			f.pending = append(f.pending, c)
		}
	}
	return frame{}, len(p), false
}

// take ends the current line and resets the framer for the next.
func (f *framer) take() frame {
	fr := frame{text: string(f.pending), noise: f.noise, sample: string(f.sample), tail: f.tail, long: f.over}
	if f.noise == 0 {
		fr.tail = 0
	}
	f.pending, f.noise, f.sample, f.tail, f.over = f.pending[:0], 0, f.sample[:0], 0, 0
	return fr
}

// partial returns the unterminated text, which is where a "> " prompt sits:
// the modem sends CR LF "> " and waits for the message body without ending
// the line.
func (f *framer) partial() string { return string(f.pending) }

// takePartial discards the unterminated tail (after a prompt was consumed).
func (f *framer) takePartial() {
	f.pending, f.noise, f.sample, f.tail = f.pending[:0], 0, f.sample[:0], 0
}
