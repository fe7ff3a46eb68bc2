package dialer

import (
	"os"
	"path/filepath"
	"strings"

	modeswitch "github.com/zdial/zdial/switch"
)

// modemID names the USB device behind a tty port as the port cache does
// ("19d2-0001-<serial>"), for what the dial learns about the modem
// (dialseq.Params.ModemID). "" when the port is no USB device's (a pty, a
// built-in UART) or sysfs does not say: the dial then learns for the run.
func modemID(sysfsRoot, port string) string {
	if p, err := filepath.EvalSymlinks(port); err == nil {
		port = p // /dev/serial/by-id/… → /dev/ttyUSB2
	}
	dev, err := filepath.EvalSymlinks(filepath.Join(sysfsRoot, "class", "tty", filepath.Base(port), "device"))
	if err != nil {
		return ""
	}
	root := filepath.Clean(sysfsRoot)
	for d := dev; strings.HasPrefix(d, root+"/"); d = filepath.Dir(d) {
		v, err := os.ReadFile(filepath.Join(d, "idVendor"))
		if err != nil {
			continue
		}
		p, err := os.ReadFile(filepath.Join(d, "idProduct"))
		if err != nil {
			return ""
		}
		id, err := modeswitch.ParseID(strings.TrimSpace(string(v)) + ":" + strings.TrimSpace(string(p)))
		if err != nil {
			return ""
		}
		serial, _ := os.ReadFile(filepath.Join(d, "serial"))
		return strings.TrimSuffix(cacheKey(modeswitch.Device{ID: id, Serial: strings.TrimSpace(string(serial))}), ".json")
	}
	return ""
}
