package modemsim

// commonCommands are the commands every persona answers. Never modified.
var commonCommands = map[string]handler{
	// V.250 basic commands.
	"E":  flag01(func(st *state) *bool { return &st.echo }),
	"V":  flag01(func(st *state) *bool { return &st.verbose }),
	"Q":  flag01(func(st *state) *bool { return &st.quiet }),
	"Z":  cmdReset,
	"&F": cmdReset,
	"I":  cmdInfo,
	"H":  cmdHangup,
	"O":  cmdOnline,
	"D":  cmdDial,
	"A":  cmdAnswer,
	"&C": accept, "&D": accept, "&K": accept, "&W": accept, "&S": accept,
	"X": accept, "L": accept, "M": accept,

	// Identity.
	"+CGMI": cmdCGMI, "+GMI": cmdCGMI,
	"+CGMM": cmdCGMM, "+GMM": cmdCGMM,
	"+CGMR": cmdCGMR, "+GMR": cmdCGMR,
	"+CGSN": cmdCGSN, "+GSN": cmdCGSN,
	"+GCAP": cmdGCAP,
	"+CIMI": cmdCIMI,
	"+CCID": cmdCCID,

	// SIM.
	"+CPIN":  cmdCPIN,
	"+CPINR": cmdCPINR,

	// Network.
	"+CREG":  cmdReg,
	"+CGREG": cmdReg,
	"+CEREG": cmdReg,
	"+COPS":  cmdCOPS,
	"+CSQ":   cmdCSQ,
	"+CGATT": cmdCGATT,

	// Packet data and settings.
	"+CGDCONT": cmdCGDCONT,
	"+CMEE":    cmdCMEE,
	"+FCLASS":  setting("0"),
	"+IPR":     setting("115200"),
	"+IFC":     setting("2,2"),
	"+CFUN":    setting("1"),
	"+CRC":     setting("0"),
	"+CMGF":    setting("0"),
	"+CSCS":    setting(`"IRA"`),
	"+CGEREP":  setting("0,0"),
}
