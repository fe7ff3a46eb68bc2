package modemsim

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Vendor selects a family of proprietary AT commands.
type Vendor string

const (
	VendorGeneric Vendor = "generic"
	VendorZTE     Vendor = "zte"    // +ZPINPUK, +ZCDRUN
	VendorHuawei  Vendor = "huawei" // ^CPIN, ^U2DIAG, ^GETPORTMODE, ^ICCID, ^CURC
)

// SIMState is the SIM's state as +CPIN? sees it.
type SIMState string

const (
	SIMReady   SIMState = "ready"
	SIMPIN     SIMState = "pin"     // +CPIN: SIM PIN
	SIMPUK     SIMState = "puk"     // +CPIN: SIM PUK
	SIMAbsent  SIMState = "absent"  // +CME ERROR: 10
	SIMFailure SIMState = "failure" // +CME ERROR: 13
)

// RegStat is a 3GPP TS 27.007 +CREG <stat>.
type RegStat int

const (
	RegNone      RegStat = 0 // not registered, not searching
	RegHome      RegStat = 1
	RegSearching RegStat = 2
	RegDenied    RegStat = 3
	RegRoaming   RegStat = 5
)

// AcT is a 3GPP TS 27.007 access technology (+COPS/+CREG <AcT>).
type AcT int

// Result is a final result code a persona may choose.
type Result string

const (
	ResultOK         Result = "OK"
	ResultConnect    Result = "CONNECT"
	ResultNoCarrier  Result = "NO CARRIER"
	ResultError      Result = "ERROR"
	ResultBusy       Result = "BUSY"
	ResultNoDialtone Result = "NO DIALTONE"
	ResultNoAnswer   Result = "NO ANSWER"
)

var (
	vendorNames = map[string]Vendor{"generic": VendorGeneric, "zte": VendorZTE, "huawei": VendorHuawei}
	simNames    = map[string]SIMState{"ready": SIMReady, "pin": SIMPIN, "puk": SIMPUK, "absent": SIMAbsent, "failure": SIMFailure}
	statNames   = map[string]RegStat{"none": RegNone, "home": RegHome, "searching": RegSearching, "denied": RegDenied, "roaming": RegRoaming}
	actNames    = map[string]AcT{"GSM": 0, "GSM-COMPACT": 1, "UTRAN": 2, "GSM-EGPRS": 3, "UTRAN-HSDPA": 4,
		"UTRAN-HSUPA": 5, "UTRAN-HSPA": 6, "E-UTRAN": 7}
	resultNames = map[string]Result{"OK": ResultOK, "CONNECT": ResultConnect, "NO CARRIER": ResultNoCarrier,
		"ERROR": ResultError, "BUSY": ResultBusy, "NO DIALTONE": ResultNoDialtone, "NO ANSWER": ResultNoAnswer}
)

// lookup resolves a scalar node against names, naming the node's line when it fails.
func lookup[T any](n *yaml.Node, what string, names map[string]T, fold func(string) string) (T, error) {
	var zero T
	if n.Kind != yaml.ScalarNode {
		return zero, fmt.Errorf("line %d: %s must be a scalar", n.Line, what)
	}
	if v, ok := names[fold(n.Value)]; ok {
		return v, nil
	}
	known := slices.Sorted(maps.Keys(names))
	return zero, fmt.Errorf("line %d: unknown %s %q (known: %s)", n.Line, what, n.Value, strings.Join(known, ", "))
}

func same(s string) string { return s }

// UnmarshalYAML accepts generic, zte or huawei.
func (v *Vendor) UnmarshalYAML(n *yaml.Node) (err error) {
	*v, err = lookup(n, "vendor", vendorNames, strings.ToLower)
	return err
}

// UnmarshalYAML accepts ready, pin, puk, absent or failure.
func (s *SIMState) UnmarshalYAML(n *yaml.Node) (err error) {
	*s, err = lookup(n, "sim state", simNames, strings.ToLower)
	return err
}

// UnmarshalYAML accepts none, home, searching, denied, roaming or the number.
func (r *RegStat) UnmarshalYAML(n *yaml.Node) (err error) {
	if i, e := strconv.Atoi(n.Value); e == nil && n.Kind == yaml.ScalarNode && i >= 0 && i <= 10 {
		*r = RegStat(i)
		return nil
	}
	*r, err = lookup(n, "registration stat", statNames, strings.ToLower)
	return err
}

// UnmarshalYAML accepts a 27.007 name (GSM, UTRAN, E-UTRAN, …) or the number.
func (a *AcT) UnmarshalYAML(n *yaml.Node) (err error) {
	if i, e := strconv.Atoi(n.Value); e == nil && n.Kind == yaml.ScalarNode && i >= 0 && i <= 13 {
		*a = AcT(i)
		return nil
	}
	*a, err = lookup(n, "access technology", actNames, strings.ToUpper)
	return err
}

// UnmarshalYAML accepts a final result code in capitals, e.g. "NO CARRIER".
func (r *Result) UnmarshalYAML(n *yaml.Node) (err error) {
	*r, err = lookup(n, "result", resultNames, same)
	return err
}
