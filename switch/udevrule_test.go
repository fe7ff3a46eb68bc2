package modeswitch

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUdevRule(t *testing.T) {
	db := mustBuiltin(t)
	r := UdevRule(db, "/usr/bin/zdial")
	line := func(id ID) string {
		return `ACTION=="bind", ATTR{idVendor}=="` + id.String()[:4] + `", ATTR{idProduct}=="` + id.String()[5:] +
			`", RUN+="/usr/bin/zdial switch --no-wait %k", GOTO="zdial_end"` + "\n"
	}
	// Storage-mode IDs: the run that sends the switch.
	for _, id := range db.StorageIDs() {
		if !strings.Contains(r, line(id)) {
			t.Errorf("rule lacks %s", line(id))
		}
	}
	// Modem-mode IDs: the run after re-enumeration that binds option.
	for _, id := range []ID{{0x19d2, 0x0001}, {0x12d1, 0x1001}, {0x1199, 0x6812}} {
		if !strings.Contains(r, line(id)) {
			t.Errorf("rule lacks %s", line(id))
		}
	}
	// The MF636DB keeps 19d2:0033 in both modes: one line, so one run per
	// event, and whether it switches or binds is decided by what sysfs shows.
	if n := strings.Count(r, `ATTR{idProduct}=="0033"`); n != 1 {
		t.Errorf("19d2:0033 has %d RUN lines, want 1", n)
	}
	if strings.Contains(r, `ACTION=="add"`) || strings.Count(r, "RUN+=") != strings.Count(r, "--no-wait %k") {
		t.Errorf("every RUN must be a --no-wait run on bind:\n%s", r)
	}
	if !strings.Contains(r, `ATTRS{idVendor}=="19d2", ATTRS{idProduct}=="0001", ENV{ID_MM_DEVICE_IGNORE}="1"`) {
		t.Errorf("no ModemManager line for 19d2:0001")
	}
	// Every GOTO has its LABEL, and every LABEL is used.
	gotos, labels := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(r, "\n") {
		if i := strings.Index(l, `GOTO="`); i >= 0 {
			gotos[strings.SplitN(l[i+6:], `"`, 2)[0]] = true
		}
		if strings.HasPrefix(l, `LABEL="`) {
			labels[strings.SplitN(l[7:], `"`, 2)[0]] = true
		}
	}
	if !cmp.Equal(gotos, labels) {
		t.Errorf("GOTOs %v vs LABELs %v", gotos, labels)
	}
	if UdevRule(db, "/usr/bin/zdial") != r {
		t.Errorf("not deterministic")
	}
}
