// Package dialseq is the default dial sequence: what a profile runs unless
// it names a chat script of its own. It takes an at.Modem from a silent or
// freshly opened port to CONNECT — wake, init, SIM and PIN policy,
// registration, APN, dial — and is the one home of the dial defaults: the
// number from the cid (*99# for cid 1, *99***<cid># otherwise; an explicit
// number wins), the PDP type and every stage's timeout (see Params).
//
//	stage     → sent                          ← typical answer
//	wake      AT                              OK          (again every 1 s)
//	init      ATZ, ATQ0 V1 E1 …, AT+CMEE=1    OK
//	sim       AT+CPIN?                        +CPIN: READY
//	register  AT+CEREG? AT+CGREG? AT+CREG?    +CEREG: 0,1
//	apn       AT+CGDCONT=3,"IP","internet"    OK
//	dial      ATD*99***3#                     CONNECT 150000000
//
// The package sees only the *at.Modem it is given: opening the port, the
// UUCP lock and pppd belong to internal/dialer. "sim" in its file names is
// the SIM card; the modem simulator is internal/modemsim.
package dialseq
