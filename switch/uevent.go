package modeswitch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
)

// A uevent arrives on a NETLINK_KOBJECT_UEVENT socket in one of two forms:
//
//	kernel group (1):  "add@/devices/…/1-1\0ACTION=add\0DEVPATH=/devices/…\0SUBSYSTEM=usb\0…"
//	udev group (2):    "libudev\0" + a binary header (magic 0xfeedcafe, big-endian,
//	                   then header size, properties offset and length in host order)
//	                   + "ACTION=add\0DEVPATH=…\0…" at the properties offset
//
// parseUEvent reads both. Nothing here is trusted beyond "something may have
// changed": callers re-read sysfs before acting, so a malformed or forged
// message costs at most one re-check.

// errBadUEvent is returned for a message in neither form.
var errBadUEvent = errors.New("modeswitch: malformed uevent")

// udevMagic is libudev's monitor magic (network byte order on the wire).
const udevMagic = 0xfeedcafe

// maxUEventVars bounds the variables kept from one message.
const maxUEventVars = 64

func parseUEvent(b []byte) (Event, error) {
	var props []byte
	switch {
	case bytes.HasPrefix(b, []byte("libudev\x00")):
		if len(b) < 24 || binary.BigEndian.Uint32(b[8:12]) != udevMagic {
			return Event{}, errBadUEvent
		}
		off := binary.NativeEndian.Uint32(b[16:20])
		n := binary.NativeEndian.Uint32(b[20:24])
		if off < 24 || uint64(off)+uint64(n) > uint64(len(b)) {
			return Event{}, errBadUEvent
		}
		props = b[off : off+n]
	default:
		head, rest, ok := bytes.Cut(b, []byte{0})
		if !ok || !bytes.Contains(head, []byte("@")) {
			return Event{}, errBadUEvent
		}
		props = rest
	}
	env := map[string]string{}
	for _, kv := range bytes.Split(props, []byte{0}) {
		k, v, ok := strings.Cut(string(kv), "=")
		if !ok || k == "" {
			continue
		}
		if len(env) >= maxUEventVars {
			break
		}
		env[k] = v
	}
	e := Event{Action: env["ACTION"], DevPath: env["DEVPATH"], Subsystem: env["SUBSYSTEM"], Env: env}
	if e.Action == "" || e.DevPath == "" {
		return Event{}, errBadUEvent
	}
	return e, nil
}
