package fakepppd

// UnquoteWord reads one word the way pppd's getword (options.c) does, for
// the subset pppctl's quoting produces: double quotes, backslash escapes
// and \ooo octal bytes. It is how the fake reads the password from an
// options file, so a round trip through it checks pppctl's quoting.
func UnquoteWord(s string) string {
	var out []byte
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] >= '0' && s[i] <= '7' {
				v := 0
				for n := 0; n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; n++ {
					v = v<<3 | int(s[i]-'0')
					i++
				}
				i--
				out = append(out, byte(v))
			} else {
				out = append(out, s[i])
			}
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ' ' || c == '\t'):
			return string(out)
		default:
			out = append(out, c)
		}
	}
	return string(out)
}
