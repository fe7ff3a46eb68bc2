package chat

import "time"

// chat8Clean applies chat(8)'s escapes to one string, as chat(8)'s clean()
// does. sending selects the send rules: a carriage return is appended
// unless the string ends in \c; \d \p \K become pauses and breaks; \N is a
// NUL; \T and \U are the phone numbers. When expecting, those are plain
// letters (\d is "d"), and \T stays the two characters `\T`.
//
// The result is the string as bytes plus, when sending, the parts with
// pauses and breaks. quiet reports a \q (the send is not to be logged).
type chat8Cleaned struct {
	text  []byte     // expect/abort/say text, or the send's bytes without pauses
	parts []SendPart // sending only
	quiet bool
}

// chat8Env is what clean() reads from chat(8)'s globals.
type chat8Env struct {
	phone, phone2 *string                     // -T, -U
	getenv        func(string) (string, bool) // -E; nil: no $VAR substitution
}

// Pauses chat(8) makes for \d and \p.
const (
	chat8PauseD = time.Second
	chat8PauseP = 10 * time.Millisecond
)

func chat8Clean(s string, sending bool, env chat8Env) chat8Cleaned {
	var out chat8Cleaned
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out.parts = append(out.parts, SendPart{Data: cur})
			out.text = append(out.text, cur...)
			cur = nil
		}
	}
	emit := func(b ...byte) { cur = append(cur, b...) }
	addReturn := sending

	for i := 0; i < len(s); {
		c := s[i]
		i++
		if c == '^' {
			if i >= len(s) {
				emit('^')
				break
			}
			c = s[i] & 0x1f
			i++
			if c != 0 {
				emit(c)
			}
			continue
		}
		if env.getenv != nil && c == '$' {
			j := i
			for j < len(s) && isEnvNameByte(s[j]) {
				j++
			}
			if v, ok := env.getenv(s[i:j]); ok {
				emit([]byte(v)...)
			}
			i = j
			continue
		}
		if c != '\\' {
			emit(c)
			continue
		}
		if i >= len(s) { // a lone trailing backslash
			if sending {
				emit('\\')
			}
			break
		}
		c = s[i]
		i++
		switch c {
		case 'b':
			emit('\b')
		case 'c':
			if sending && i == len(s) {
				addReturn = false
			} else {
				emit('c')
			}
		case '\\':
			emit('\\')
		case 'd', 'p', 'K':
			if !sending {
				emit(c)
				break
			}
			flush()
			switch c {
			case 'd':
				out.parts = append(out.parts, SendPart{Pause: chat8PauseD})
			case 'p':
				out.parts = append(out.parts, SendPart{Pause: chat8PauseP})
			default:
				out.parts = append(out.parts, SendPart{Break: true})
			}
		case 'T', 'U':
			num := env.phone
			if c == 'U' {
				num = env.phone2
			}
			switch {
			case sending && num != nil:
				emit([]byte(*num)...)
			case sending:
				emit(c) // chat(8) passes `\T` on to its writer, which drops the backslash
			default:
				emit('\\', c)
			}
		case 'q':
			out.quiet = true
		case 'r':
			emit('\r')
		case 'n':
			emit('\n')
		case 's':
			emit(' ')
		case 't':
			emit('\t')
		case 'N':
			if sending {
				emit(0)
			} else {
				emit('N')
			}
		case '$':
			emit('$')
		default:
			if c >= '0' && c <= '7' {
				v := c & 7
				for k := 0; k < 2 && i < len(s) && s[i] >= '0' && s[i] <= '7'; k++ {
					v = v<<3 | (s[i] - '0')
					i++
				}
				if v != 0 || sending {
					emit(v)
				}
				break
			}
			emit(c)
		}
	}
	if addReturn {
		emit('\r')
	}
	flush()
	return out
}

func isEnvNameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
