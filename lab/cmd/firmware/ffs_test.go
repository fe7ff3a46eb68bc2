package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"golang.org/x/sys/unix"
)

// fakeEP0 is FunctionFS's ep0 as the firmware reads it: each Read takes the next step of the
// wire, and a step must be read as the kernel requires — events into a buffer of whole
// events; a SETUP's data stage with exactly wLength bytes; its status stage (or an IN
// request's stall) with a read of zero bytes. A read of the wrong kind is recorded.
type fakeEP0 struct {
	steps  []step
	misuse []string
}

type step struct {
	kind string // "event", "data", "status"
	b    []byte
}

func (f *fakeEP0) Read(b []byte) (int, error) {
	if len(f.steps) == 0 {
		return 0, unix.ESHUTDOWN
	}
	s := f.steps[0]
	f.steps = f.steps[1:]
	switch {
	case s.kind == "event" && len(b) >= ffsEventSize && len(b)%ffsEventSize == 0,
		s.kind == "data" && len(b) == len(s.b),
		s.kind == "status" && len(b) == 0:
		return copy(b, s.b), nil
	}
	f.misuse = append(f.misuse, fmt.Sprintf("%s step read with %d bytes", s.kind, len(b)))
	return 0, unix.EINVAL
}

// ffsEvent encodes one struct usb_functionfs_event as ep0 delivers it.
func ffsEvent(typ byte, reqType, request byte, value, length uint16) step {
	b := make([]byte, ffsEventSize)
	b[0], b[1] = reqType, request
	binary.LittleEndian.PutUint16(b[2:], value)
	binary.LittleEndian.PutUint16(b[4:], 0) // wIndex: the interface, as FunctionFS renumbers it
	binary.LittleEndian.PutUint16(b[6:], length)
	b[8] = typ
	return step{"event", b}
}

var status = step{kind: "status"}

// TestServeDTR plays ep0 the requests option sends on open, on TIOCMBIC/TIOCMBIS and on the
// last close, with a SET_LINE_CODING data stage and a GET_LINE_CODING (stalled) between
// them, then the function being disabled: each DTR change reaches onDTR in order (bound,
// enabled and disabled are DTR low), and every stage is read as the kernel wants.
func TestServeDTR(t *testing.T) {
	ep0 := &fakeEP0{steps: []step{
		ffsEvent(ffsEventBind, 0, 0, 0, 0),
		ffsEvent(ffsEventEnable, 0, 0, 0, 0),
		ffsEvent(ffsEventSetup, reqClassInterfaceOut, cdcSetControlLineState, 0x3, 0), status, // open: DTR|RTS
		ffsEvent(ffsEventSetup, reqClassInterfaceOut, 0x20, 0, 7), // SET_LINE_CODING 115200 8N1
		{"data", []byte{0x00, 0xc2, 0x01, 0x00, 0x00, 0x00, 0x08}},
		ffsEvent(ffsEventSetup, reqDirIn|reqClassInterfaceOut, 0x21, 0, 7), status, // GET_LINE_CODING
		ffsEvent(ffsEventSetup, reqClassInterfaceOut, cdcSetControlLineState, 0x2, 0), status, // TIOCMBIC DTR
		ffsEvent(ffsEventSetup, reqClassInterfaceOut, cdcSetControlLineState, 0x3, 0), status, // TIOCMBIS DTR
		ffsEvent(ffsEventSetup, reqClassInterfaceOut, cdcSetControlLineState, 0x0, 0), status, // last close
		ffsEvent(ffsEventDisable, 0, 0, 0, 0),
	}}
	var dtr []bool
	var logged []string
	p := &ffsPort{ep0: ep0, onDTR: func(on bool) { dtr = append(dtr, on) }}
	err := p.serve(func(format string, args ...any) { logged = append(logged, format) })
	if !errors.Is(err, unix.ESHUTDOWN) {
		t.Errorf("serve = %v, want ep0's end", err)
	}
	if len(ep0.misuse) > 0 || len(ep0.steps) > 0 {
		t.Errorf("ep0 misread: %q; %d steps left", ep0.misuse, len(ep0.steps))
	}
	// Bound and enabled first (DTR low), then the requests, then disabled.
	if want := []bool{false, false, true, false, true, false, false}; !slices.Equal(dtr, want) {
		t.Errorf("DTR went %v, want %v", dtr, want)
	}
	if len(logged) != 3 {
		t.Errorf("logged %q, want the bind, the enable and the disable", logged)
	}
}

// TestDescriptors checks the v2 header against the body: FunctionFS refuses the function
// (and the gadget cannot bind) when a count or the length is off.
func TestDescriptors(t *testing.T) {
	d := ffsDescriptors()
	if got := binary.LittleEndian.Uint32(d[4:]); int(got) != len(d) {
		t.Errorf("length field %d, descriptors %d bytes", got, len(d))
	}
	count := 0
	for b := d[20:]; len(b) > 0; b = b[b[0]:] {
		count++
	}
	fs, hs := binary.LittleEndian.Uint32(d[12:]), binary.LittleEndian.Uint32(d[16:])
	if int(fs+hs) != count {
		t.Errorf("counts %d+%d, descriptors %d", fs, hs, count)
	}
}

// TestWriteTransfers: the bulk-in endpoint takes one transfer per write; a socket of
// packets stands in for it, so each transfer's size can be read back. None may be a
// multiple of the 512-byte packet (the host would wait for a zero-length packet that never
// comes) or exceed usb_wwan's 4 KiB receive buffer, and every byte must arrive in order.
func TestWriteTransfers(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	in, host := os.NewFile(uintptr(fds[0]), "ep1"), os.NewFile(uintptr(fds[1]), "host")
	defer in.Close()
	defer host.Close()
	unix.SetsockoptInt(fds[0], unix.SOL_SOCKET, unix.SO_SNDBUF, 1<<20)
	p := &ffsPort{in: in}
	for _, size := range []int{1, 511, 512, 1024, 4095, 4096, 4097, 9000} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i * 7)
		}
		if n, err := p.Write(data); n != size || err != nil {
			t.Fatalf("Write(%d bytes) = %d, %v", size, n, err)
		}
		var got []byte
		buf := make([]byte, 8192)
		for len(got) < size {
			n, err := host.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			if n%512 == 0 || n > 4096 {
				t.Errorf("Write(%d bytes): a transfer of %d bytes", size, n)
			}
			got = append(got, buf[:n]...)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("Write(%d bytes): the host read different bytes", size)
		}
	}
}
