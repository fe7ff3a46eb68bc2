// Package dialseq is the default dial sequence: what a profile runs unless
// it names a chat script of its own. It takes an at.Modem from a silent or
// freshly opened port to CONNECT — wake, init, SIM and PIN policy,
// registration, APN, dial — and is the one home of the dial defaults: the
// number from the cid (*99# for cid 1, *99***<cid># otherwise; an explicit
// number wins), the PDP type and every stage's timeout (see Params).
//
//	stage     → sent                                        ← typical answer
//	wake      ATZ                                           OK   (again every 1 s)
//	init+sim  ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0;+CMEE=1;+CPIN?  +CPIN: READY, OK
//	register  AT+CGREG?;+CREG?;+CSQ;+COPS?;+CEREG?          +CGREG: 0,1 … +COPS: 0,0,"3 UK",7, OK
//	apn       AT+CGDCONT=3,"IP","internet"                  OK
//	dial      ATD*99***3#                                   CONNECT 150000000
//
// Five round trips for a ready SIM on a registered modem: commands share
// a line where V.250 allows it (at.Join), and what a modem refuses — a
// shared line, a query it lacks — is learnt and remembered per modem
// (batch.go, quirks.go).
//
// The package sees only the *at.Modem it is given: opening the port, the
// UUCP lock and pppd belong to internal/dialer. "sim" in its file names is
// the SIM card; the modem simulator is internal/modemsim.
package dialseq
