// Package modemsim simulates USB mobile-broadband modems on a pty or an
// in-memory pipe, so every part of zdial can be tested against the wire
// instead of against mocks of its own types. It imports no zdial package:
// a misunderstanding in the at package is not mirrored here.
//
// A session with the default persona, the ZTE MF622 (echo on, as
// shipped; "→" is what the dialer sends, "←" what the modem answers):
//
//	→ ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0<CR>
//	← ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0<CR><CR><LF>OK<CR><LF>
//	→ AT+CMEE=1<CR>
//	← AT+CMEE=1<CR><CR><LF>OK<CR><LF>
//	→ AT+CPIN?<CR>
//	← AT+CPIN?<CR><CR><LF>+CPIN: READY<CR><LF><CR><LF>OK<CR><LF>
//	← <CR><LF>+ZUSIMR:2<CR><LF>                      (unsolicited)
//	→ AT+CREG=2;+CREG?<CR>
//	← AT+CREG=2;+CREG?<CR><CR><LF>+CREG: 2,1,"0D4F","0001A2B3"<CR><LF><CR><LF>OK<CR><LF>
//	→ AT+CGDCONT=1,"IP","three.co.uk"<CR>
//	← AT+CGDCONT=1,"IP","three.co.uk"<CR><CR><LF>OK<CR><LF>
//	→ ATD*99#<CR>
//	← ATD*99#<CR><CR><LF>CONNECT 7200000<CR><LF>
//	   … data mode: bytes go to the data hook, or nowhere …
//	→ (guard time) +++ (guard time)
//	← <CR><LF>OK<CR><LF>
//	→ ATH<CR>
//	← ATH<CR><CR><LF>OK<CR><LF>
//
// # Using it
//
//	p, _ := modemsim.Builtin("zte-mf622")   // or ParsePersona(r, name)
//	client, sim := modemsim.Pipe(p)         // inside synctest.Test: fake clock
//	pty, _ := modemsim.OpenPTY(ctx, p)      // pty.Path is a raw tty; pty.Close()
//	err := modemsim.New(p, modemsim.WithExitOnConnect()).Serve(ctx, rw)
//	sim.Received()                          // command lines, as sent
//	sim.SetFaults(modemsim.Faults{...})     // silence, garbage, noise, byte-by-byte, vanish
//	sim.DropCarrier(); sim.Vanish()
//	sim.SetDTR(false)                       // a port that carries DTR: AT&D2 hangs up
//	modemsim.WithCallHook(func(up bool){})  // the network side hears calls start and end
//
// # What it answers
//
// Command lines start with AT (any case) and end with CR (or a lone LF);
// basic commands may be run together with spaces ("ATQ0 V1 E1 &C1"),
// extended ones separated by ';'. Execution stops at the first error
// (V.250 §5.2). Lines not starting with AT are recorded and ignored.
//
//   - V.250: E, V (V0 gives numeric result codes), Q, Z, &F, I, H, O, D, A,
//     Sn?/Sn= (S12 sets the +++ guard time in 1/50 s), &C &D &K &W &S X L M;
//   - identity: +CGMI +CGMM +CGMR +CGSN +GMI +GMM +GMR +GSN +GCAP +CIMI +CCID;
//   - SIM: +CPIN? +CPIN="pin" +CPIN="puk","newpin" (+CME 16 on a wrong
//     one; the last PIN attempt leaves SIM PUK, the last PUK attempt SIM
//     failure), +CPINR[="SIM PIN"|"SIM*"] when cpinr is set, +CME 14 for
//     sim.busy_after_unlock after an unlock;
//   - network: +CREG/+CGREG/+CEREG (=n, ?, =?; +CEREG only with
//     network.cereg), +COPS? (+COPS=3,n picks the name format), +COPS=0,
//     +CSQ, +CGATT;
//   - +CGDCONT=, ?, =?; +CMEE=0|1|2; +FCLASS +IPR +IFC +CFUN +CRC +CMGF
//     +CSCS +CGEREP accepted;
//   - vendor zte: +ZPINPUK=? (+ZPINPUK: <pin left>,<puk left>), +ZCDRUN=;
//   - vendor huawei: ^CPIN? (^CPIN: <code>,[<times>],<puk>,<pin>,<puk2>,<pin2>),
//     ^ICCID? (digits swapped in pairs, as Huawei firmware does), ^U2DIAG,
//     ^CURC=0|1 (0 stops the periodic ^ URCs);
//   - anything else: ERROR. With +CMEE=1 SIM and network errors are
//     "+CME ERROR: <n>", with +CMEE=2 the 27.007 §9.2 text.
//
// Registration: with a locked or absent SIM the stat is 0; once the SIM is
// ready (power-on, or the unlock) it is 2 (searching) for
// network.register_after, then network.stat. Each change is reported as
// +CREG: <stat>[,<lac>,<ci>[,<act>]] to every registration command whose
// n is 1 or 2. ATD needs a ready SIM and a registration, else NO CARRIER.
//
// After CONNECT the line is in data mode: no echo, no URCs. "+++" with a
// guard time of silence before and after returns to online command mode
// (OK); ATH then hangs up, ATO resumes (CONNECT). DropCarrier writes NO
// CARRIER and returns to command mode.
//
// On a pty (OpenPTY) the port has a DTR line of sorts: when the last
// client closes it, a call is hung up (AT&D2) and unread output discarded;
// while no client has it open, URCs are dropped, as by a USB serial driver.
// A line that carries a real DTR (the lab's USB function) drives SetDTR
// with the same effect.
//
// # Persona YAML
//
// Personas live in testdata/personas/*.yaml and are embedded. Every field
// is optional; unknown fields are errors. A persona may inherit a builtin
// one: the fields it sets replace the parent's, lists replace whole lists.
//
//	name: zte-mf622
//	inherit: ""                 # builtin persona to start from
//	description: free text
//	vendor: zte                 # generic | zte | huawei
//	identity: {manufacturer, model, revision, imei, imsi, iccid, gcap, ati: [lines]}
//	echo: true                  # at power-on and after ATZ
//	cmee: 0                     # +CMEE at power-on
//	cpinr: false                # answers AT+CPINR
//	latency: 0s                 # before each reply
//	guard_time: 200ms           # +++ guard time
//	no_concat: false            # ERROR to a line with ';' between commands
//	sim:
//	  state: ready              # ready | pin | puk | absent | failure
//	  pin: "1234"
//	  puk: "12345678"
//	  pin_attempts: 3           # remaining at power-on
//	  puk_attempts: 10
//	  busy_after_unlock: 0s     # +CME ERROR: 14 this long after an unlock
//	network:
//	  register_after: 0s        # searching this long after the SIM is ready
//	  stat: home                # none | home | searching | denied | roaming | 0-10
//	  lac: "0D4F"
//	  ci: "0001A2B3"
//	  act: UTRAN                # GSM | UTRAN | GSM-EGPRS | UTRAN-HSDPA | UTRAN-HSUPA | UTRAN-HSPA | E-UTRAN | 0-13
//	  report_act: false         # +CREG: 2,… carries <AcT>
//	  cereg: false              # answers +CEREG (LTE)
//	  operator: "3 UK"
//	  numeric: "23420"
//	  rssi: 17                  # +CSQ: <rssi>,<ber>
//	  ber: 99
//	dial:
//	  result: CONNECT           # CONNECT | NO CARRIER | BUSY | ERROR | NO DIALTONE | NO ANSWER
//	  rate: "7200000"           # CONNECT <rate>; empty: bare CONNECT
//	  delay: 0s
//	urcs:                       # unsolicited lines on a schedule
//	  - {line: "^RSSI:14", after: 700ms, every: 2s, count: 0}   # count 0: forever (once without every)
//	interleave:                 # a URC inside a reply, after after_lines info lines (0: all)
//	  - {command: "+CGMI", line: "^RSSI:14", after_lines: 0}
//	replies:                    # canned answers, checked before everything else
//	  - {command: "^GETPORTMODE", lines: ["^GETPORTMODE: …"], result: OK, cme: 0}
//	faults:                     # also settable with Sim.SetFaults
//	  silent: false             # never answer, no echo, no URCs
//	  silent_after: 0           # answer this many lines, then fall silent
//	  garbage: ""               # written before every reply ("\xff" is the byte 0xFF)
//	  noise_inside: ""          # written in the middle of every line of a reply
//	  noise_after: ""           # written after every reply
//	  byte_by_byte: false       # every reply byte its own Write
//	  byte_delay: 0s
//	  vanish_on: ""             # a line containing this is echoed, then the device vanishes
//
// # Timing
//
// All timing uses time.Timer on goroutines Serve starts (and waits for),
// so under testing/synctest a 20 s registration takes no wall time.
package modemsim
