package modeswitch

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPortsE1750(t *testing.T) {
	h, d := hostFor(t, "e1750-modem")
	want := []Port{
		{Name: "ttyUSB0", Path: "/dev/ttyUSB0", Interface: 0, Driver: "option", Role: RolePPP},
		{Name: "ttyUSB1", Path: "/dev/ttyUSB1", Interface: 1, Driver: "option", Role: RoleDiag},
		{Name: "ttyUSB2", Path: "/dev/ttyUSB2", Interface: 2, Driver: "option", Role: RoleAT},
	}
	if diff := cmp.Diff(want, h.Ports(mustBuiltin(t), d)); diff != "" {
		t.Errorf("ports (-want +got):\n%s", diff)
	}
}

func TestInfoE1750(t *testing.T) {
	db := mustBuiltin(t)
	h := &Host{Sysfs: sysfsTree("e1750-modem"), Dev: "/dev"}
	gs, err := h.Dongles(db)
	if err != nil {
		t.Fatal(err)
	}
	in := h.Info(db, gs[0])
	if in.ID != (ID{0x12d1, 0x1001}) || in.Mode != ModeModem || !in.Known || len(in.Ports) != 3 ||
		in.Ports[0].Role != RolePPP || !cmp.Equal(in.Drivers, []string{"option", "usb-storage"}) {
		t.Errorf("info = %+v", in)
	}
	if PermanentModemCommand(in.ID) != "^U2DIAG=0" || PermanentModemCommand(ID{0x19d2, 1}) != "+ZCDRUN=8" {
		t.Errorf("permanent commands wrong")
	}
}
