package dialseq

// EventKind says what an Event reports.
type EventKind int

const (
	// EventAwake: the modem answered AT.
	EventAwake EventKind = iota + 1
	// EventSIMReady: the SIM is ready; PINSent says whether zdial unlocked it.
	EventSIMReady
	// EventRegistering: registration is under way and something new is
	// known (status, operator, access technology or signal).
	EventRegistering
	// EventRegistered: registered, home or Roaming, with what is known of
	// Operator, AccessTech and SignalDBm.
	EventRegistered
	// EventAPNSet: +CGDCONT accepted APN, PDPType and CID.
	EventAPNSet
	// EventConnect: ATD answered CONNECT; Rate is what followed it, if anything.
	EventConnect
)

var eventKindNames = [...]string{
	EventAwake:       "awake",
	EventSIMReady:    "sim-ready",
	EventRegistering: "registering",
	EventRegistered:  "registered",
	EventAPNSet:      "apn-set",
	EventConnect:     "connect",
}

func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "unknown"
}

// Event is one progress report of the default dial script. Fields not
// known (yet) are zero; SignalDBm is 0 when the modem does not know the signal.
type Event struct {
	Kind  EventKind
	Stage Stage

	PINSent bool // EventSIMReady

	// Registration: the latest <stat> (1 home, 2 searching, 5 roaming…),
	// operator name as +COPS? gives it, access technology ("LTE", "UMTS"…)
	// and signal strength in dBm.
	RegStatus  int
	Roaming    bool
	Operator   string
	AccessTech string
	SignalDBm  int

	APN     string // EventAPNSet
	PDPType string
	CID     int

	Rate string // EventConnect: "150000000", or "" after a bare CONNECT
}

// Result is what a successful Dial learnt on the way. The modem is left
// in data mode: the line belongs to pppd now.
type Result struct {
	Rate       string // the CONNECT rate, "" if the modem gave none
	Number     string // what was dialed
	Operator   string
	AccessTech string
	SignalDBm  int // 0 if unknown
	Roaming    bool
	PINSent    bool // zdial unlocked the SIM on this run
}
