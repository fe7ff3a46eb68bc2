package modemsim

import "fmt"

// ZTE and Huawei extensions, enabled by the persona's vendor.

var zteCommands = map[string]handler{
	"+ZPINPUK": cmdZPINPUK,
	// AT+ZCDRUN=8: stay in modem mode (no ZeroCD) across resets.
	"+ZCDRUN": func(_ *Sim, c command, r *reply) {
		if c.op != "=" {
			r.fail()
		}
	},
}

var huaweiCommands = map[string]handler{
	"^CPIN":  cmdHuaweiCPIN,
	"^ICCID": cmdHuaweiICCID,
	// AT^U2DIAG=0: modem only, no CD-ROM, from the next power-up.
	"^U2DIAG": func(s *Sim, c command, r *reply) {
		switch c.op {
		case "?":
			r.add(fmt.Sprintf("^U2DIAG: %d", s.st.u2diag))
		case "=":
			var n int
			if _, err := fmt.Sscanf(c.args, "%d", &n); err != nil {
				r.fail()
				return
			}
			s.st.u2diag = n
		case "=?":
		default:
			r.fail()
		}
	},
	// AT^CURC=0 stops the periodic ^ reports (^RSSI, ^BOOT, ^MODE, ^DSFLOWRPT).
	"^CURC": func(s *Sim, c command, r *reply) {
		switch c.op {
		case "?":
			n := 0
			if s.st.curc {
				n = 1
			}
			r.add(fmt.Sprintf("^CURC: %d", n))
		case "=":
			if c.args != "0" && c.args != "1" {
				r.fail()
				return
			}
			s.st.curc = c.args == "1"
		case "=?":
		default:
			r.fail()
		}
	},
}
