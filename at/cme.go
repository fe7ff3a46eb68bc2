package at

import (
	"errors"
	"strconv"
	"strings"
)

// CME error codes that callers branch on, as sentinels. A *CMEError with the
// matching code satisfies errors.Is(err, ErrSIMPINRequired) and so on, whether
// the modem reported the code numerically (+CMEE=1) or verbosely (+CMEE=2).
var (
	ErrPhoneFailure         = errors.New("at: phone failure")
	ErrNotAllowed           = errors.New("at: operation not allowed")
	ErrNotSupported         = errors.New("at: operation not supported")
	ErrPHSIMPINRequired     = errors.New("at: PH-SIM PIN required")
	ErrSIMNotInserted       = errors.New("at: SIM not inserted")
	ErrSIMPINRequired       = errors.New("at: SIM PIN required")
	ErrSIMPUKRequired       = errors.New("at: SIM PUK required")
	ErrSIMFailure           = errors.New("at: SIM failure")
	ErrSIMBusy              = errors.New("at: SIM busy")
	ErrSIMWrong             = errors.New("at: SIM wrong")
	ErrIncorrectPassword    = errors.New("at: incorrect password")
	ErrSIMPIN2Required      = errors.New("at: SIM PIN2 required")
	ErrSIMPUK2Required      = errors.New("at: SIM PUK2 required")
	ErrNoNetworkService     = errors.New("at: no network service")
	ErrNetworkTimeout       = errors.New("at: network timeout")
	ErrEmergencyOnly        = errors.New("at: network not allowed - emergency calls only")
	ErrGPRSNotAllowed       = errors.New("at: GPRS services not allowed")
	ErrPLMNNotAllowed       = errors.New("at: PLMN not allowed")
	ErrMissingAPN           = errors.New("at: missing or unknown APN")
	ErrUserAuthFailed       = errors.New("at: user authentication failed")
	ErrServiceNotSubscribed = errors.New("at: requested service option not subscribed")
)

var cmeSentinel = map[int]error{
	0: ErrPhoneFailure, 3: ErrNotAllowed, 4: ErrNotSupported, 5: ErrPHSIMPINRequired,
	10: ErrSIMNotInserted, 11: ErrSIMPINRequired, 12: ErrSIMPUKRequired, 13: ErrSIMFailure,
	14: ErrSIMBusy, 15: ErrSIMWrong, 16: ErrIncorrectPassword, 17: ErrSIMPIN2Required,
	18: ErrSIMPUK2Required, 30: ErrNoNetworkService, 31: ErrNetworkTimeout, 32: ErrEmergencyOnly,
	107: ErrGPRSNotAllowed, 111: ErrPLMNNotAllowed, 126: ErrMissingAPN, 128: ErrUserAuthFailed,
	133: ErrServiceNotSubscribed,
}

// cmeText is 3GPP TS 27.007 §9.2.1 (general) and §9.2.2 (GPRS/EPS) <err>
// values with their verbose text, which +CMEE=2 modems print instead of the number.
var cmeText = map[int]string{
	0: "phone failure", 1: "no connection to phone", 2: "phone-adaptor link reserved",
	3: "operation not allowed", 4: "operation not supported", 5: "PH-SIM PIN required",
	6: "PH-FSIM PIN required", 7: "PH-FSIM PUK required",
	10: "SIM not inserted", 11: "SIM PIN required", 12: "SIM PUK required", 13: "SIM failure",
	14: "SIM busy", 15: "SIM wrong", 16: "incorrect password", 17: "SIM PIN2 required",
	18: "SIM PUK2 required", 20: "memory full", 21: "invalid index", 22: "not found",
	23: "memory failure", 24: "text string too long", 25: "invalid characters in text string",
	26: "dial string too long", 27: "invalid characters in dial string",
	30: "no network service", 31: "network timeout", 32: "network not allowed - emergency calls only",
	40: "network personalization PIN required", 41: "network personalization PUK required",
	42: "network subset personalization PIN required", 43: "network subset personalization PUK required",
	44: "service provider personalization PIN required", 45: "service provider personalization PUK required",
	46: "corporate personalization PIN required", 47: "corporate personalization PUK required",
	48: "hidden key required", 49: "EAP method not supported", 50: "incorrect parameters",
	51: "command implemented but currently disabled", 52: "command aborted by user",
	53: "not attached to network due to MT functionality restrictions",
	54: "modem not allowed - MT restricted to emergency calls only",
	55: "operation not allowed because of MT functionality restrictions",
	56: "fixed dial number only allowed - called number is not a fixed dial number",
	57: "temporarily out of service due to other MT usage", 58: "language/alphabet not supported",
	59: "unexpected data value", 60: "system failure", 61: "data missing", 62: "call barred",
	63: "message waiting indication subscription failure", 100: "unknown",
	103: "illegal MS", 106: "illegal ME", 107: "GPRS services not allowed",
	108: "GPRS services and non-GPRS services not allowed", 111: "PLMN not allowed",
	112: "location area not allowed", 113: "roaming not allowed in this location area",
	114: "GPRS services not allowed in this PLMN", 115: "no suitable cells in location area",
	122: "congestion", 125: "insufficient resources", 126: "missing or unknown APN",
	127: "unknown PDP address or PDP type", 128: "user authentication failed",
	129: "activation rejected by GGSN, Serving GW or PDN GW", 130: "activation rejected, unspecified",
	131: "service option not supported", 132: "requested service option not subscribed",
	133: "service option temporarily out of order", 148: "unspecified GPRS error",
	149: "PDP authentication failure", 150: "invalid mobile class",
}

// cmeByText maps normalised verbose text back to its code. Several vendors
// word a few texts differently; the aliases cover the ones seen in the wild.
var cmeByText = func() map[string]int {
	m := make(map[string]int, len(cmeText)+8)
	for code, text := range cmeText {
		m[normText(text)] = code
	}
	for text, code := range map[string]int{
		"SIM PIN necessary": 11, "SIM PUK necessary": 12, "unknown error": 100,
		"operation not permitted": 3, "SIM not present": 10, "no SIM": 10,
		"SIM blocked": 12, "invalid password": 16, "wrong password": 16,
		"PH_SIM PIN required": 5, "network not allowed emergency calls only": 32,
	} {
		m[normText(text)] = code
	}
	return m
}()

// normText folds case and drops everything but letters and digits, so
// "Network not allowed - Emergency calls only" and its variants compare equal.
func normText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		}
	}
	return b.String()
}

// CMEError is "+CME ERROR: <err>": a mobile-equipment error (27.007 §9.2).
// Code is -1 when the modem sent text that is not in the table.
type CMEError struct {
	Code int
	Text string
}

func (e *CMEError) Error() string {
	if e.Code < 0 {
		return "at: +CME ERROR: " + e.Text
	}
	return "at: +CME ERROR: " + strconv.Itoa(e.Code) + " (" + e.Text + ")"
}

// Is lets errors.Is match the per-condition sentinels and ErrError.
func (e *CMEError) Is(target error) bool {
	if target == ErrError {
		return true
	}
	s, ok := cmeSentinel[e.Code]
	return ok && s == target
}

// CMSError is "+CMS ERROR: <err>": a message-service error (27.005 §3.2.5).
type CMSError struct {
	Code int // -1 when the modem sent text
	Text string
}

func (e *CMSError) Error() string {
	if e.Code < 0 {
		return "at: +CMS ERROR: " + e.Text
	}
	return "at: +CMS ERROR: " + strconv.Itoa(e.Code)
}

// Is lets errors.Is(err, ErrError) hold for message-service errors.
func (e *CMSError) Is(target error) bool { return target == ErrError }

// parseCME turns the text after "+CME ERROR:" into a *CMEError, accepting
// both the numeric and the verbose form.
func parseCME(arg string) *CMEError {
	arg = strings.TrimSpace(arg)
	if n, err := strconv.Atoi(arg); err == nil && n >= 0 {
		t, ok := cmeText[n]
		if !ok {
			t = "unknown code"
		}
		return &CMEError{Code: n, Text: t}
	}
	arg = strings.Trim(arg, `"`)
	if code, ok := cmeByText[normText(arg)]; ok {
		return &CMEError{Code: code, Text: arg}
	}
	return &CMEError{Code: -1, Text: arg}
}

func parseCMS(arg string) *CMSError {
	arg = strings.TrimSpace(arg)
	if n, err := strconv.Atoi(arg); err == nil && n >= 0 {
		return &CMSError{Code: n}
	}
	return &CMSError{Code: -1, Text: strings.Trim(arg, `"`)}
}
