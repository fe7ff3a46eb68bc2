package modemsim

import (
	"fmt"
	"strconv"
)

// cmdCMEE sets how errors are reported: 0 ERROR, 1 numeric, 2 verbose.
func cmdCMEE(s *Sim, c command, r *reply) {
	switch c.op {
	case "?":
		r.add(fmt.Sprintf("+CMEE: %d", s.st.cmee))
	case "=?":
		r.add("+CMEE: (0-2)")
	case "=":
		n, err := strconv.Atoi(c.args)
		if c.args == "" {
			n, err = 0, nil
		}
		if err != nil || n < 0 || n > 2 {
			r.fail()
			return
		}
		s.st.cmee = n
	default:
		r.fail()
	}
}

// setting accepts "=x" and answers "?" with a fixed value; for commands a
// dialer sends but the simulator need not model (+FCLASS, +IPR, +CFUN…).
func setting(value string) handler {
	return func(_ *Sim, c command, r *reply) {
		switch c.op {
		case "?":
			r.add(c.name + ": " + value)
		case "=", "=?":
		default:
			r.fail()
		}
	}
}
