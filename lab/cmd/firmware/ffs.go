package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"
)

// An ffsPort is one serial function of the dongle served from user space through FunctionFS
// (usb_f_fs) instead of the kernel's gser. gser stalls every class request, so the host's
// SET_CONTROL_LINE_STATE — how option (usb_wwan) passes TIOCMBIC/TIOCMBIS and the last close's
// DTR drop down the cable — fails with EPIPE and the modem never sees DTR. Here the request
// reaches ep0 as a SETUP event and onDTR hears it; the data moves over two bulk endpoints
// (ep1 IN, ep2 OUT), which Read and Write serve.
//
//	host (option)                              gadget (this port)
//	TIOCMBIC TIOCM_DTR → ctrl 21 22 0000 ifnum   ep0: SETUP → onDTR(false), then the status stage
//	write(ttyUSBn)     → bulk OUT               ep2: Read
//	read(ttyUSBn)      ← bulk IN                ep1: Write
type ffsPort struct {
	dir      string    // the functionfs mount
	ep0      io.Reader // its reads are events, or the data or status stage of a SETUP
	ep0fd    int       // ep0's descriptor, blocking; -1 once closed
	in, out  *os.File
	onDTR    func(on bool) // set before serve
	pending  []byte        // the rest of an OUT transfer larger than the caller's buffer
	readBuf  []byte
	once     sync.Once
	closeErr error
}

// usb_functionfs magic numbers and flags (linux/usb/functionfs.h).
const (
	ffsDescriptorsMagicV2 = 3
	ffsStringsMagic       = 2
	ffsHasFSDesc          = 1
	ffsHasHSDesc          = 2
)

// ep0's events: struct usb_functionfs_event is a usb_ctrlrequest (8 bytes), the type, and 3
// bytes of padding.
const ffsEventSize = 12

// The event types, enum usb_functionfs_event_type.
const (
	ffsEventBind = iota
	ffsEventUnbind
	ffsEventEnable
	ffsEventDisable
	ffsEventSetup
	ffsEventSuspend
	ffsEventResume
)

var ffsEventNames = map[byte]string{
	ffsEventBind: "bound", ffsEventUnbind: "unbound",
	ffsEventEnable: "enabled (the host configured the device)", ffsEventDisable: "disabled",
}

// The one class request the modem cares about (USB CDC PSTN 6.3.12), as usb_wwan sends it.
const (
	cdcSetControlLineState = 0x22
	cdcDTR                 = 0x01
	reqClassInterfaceOut   = 0x21 // host to device, class, interface
	reqDirIn               = 0x80
)

// ffsDescriptors is the function's interface as gser presents it — vendor class ff/00/00,
// one bulk IN and one bulk OUT endpoint — at full and high speed (dummy_hcd is high speed).
// Interface and endpoint numbers are FunctionFS's own; the gadget renumbers them.
func ffsDescriptors() []byte {
	iface := []byte{9, 4, 0, 0, 2, 0xff, 0x00, 0x00, 0}
	ep := func(addr byte, maxPacket uint16) []byte {
		return []byte{7, 5, addr, 2 /* bulk */, byte(maxPacket), byte(maxPacket >> 8), 0}
	}
	var body []byte
	for _, mp := range []uint16{64, 512} {
		body = append(body, iface...)
		body = append(body, ep(0x81, mp)...) // ep1: IN, to the host
		body = append(body, ep(0x02, mp)...) // ep2: OUT, from the host
	}
	head := make([]byte, 20)
	binary.LittleEndian.PutUint32(head[0:], ffsDescriptorsMagicV2)
	binary.LittleEndian.PutUint32(head[4:], uint32(len(head)+len(body)))
	binary.LittleEndian.PutUint32(head[8:], ffsHasFSDesc|ffsHasHSDesc)
	binary.LittleEndian.PutUint32(head[12:], 3) // full-speed descriptors
	binary.LittleEndian.PutUint32(head[16:], 3) // high-speed descriptors
	return append(head, body...)
}

// ffsNoStrings says the function has no strings (iInterface is 0).
func ffsNoStrings() []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint32(b[0:], ffsStringsMagic)
	binary.LittleEndian.PutUint32(b[4:], 16)
	return b
}

// openFFS mounts the FunctionFS instance (the configfs function "ffs.<instance>" must exist)
// on dir and writes its descriptors: after this the gadget can be bound to its UDC. Events
// are not read until serve.
func openFFS(instance, dir string) (*ffsPort, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("firmware: functionfs: %w", err)
	}
	if err := unix.Mount(instance, dir, "functionfs", 0, ""); err != nil {
		return nil, fmt.Errorf("firmware: mount functionfs %s on %s: %w", instance, dir, err)
	}
	p := &ffsPort{dir: dir, ep0fd: -1, readBuf: make([]byte, 4096)}
	fail := func(err error) (*ffsPort, error) {
		p.Close()
		return nil, fmt.Errorf("firmware: functionfs: %w", err)
	}
	fd, err := unix.Open(filepath.Join(dir, "ep0"), unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return fail(err)
	}
	p.ep0fd, p.ep0 = fd, rawFD(fd)
	for _, b := range [][]byte{ffsDescriptors(), ffsNoStrings()} {
		if _, err := unix.Write(fd, b); err != nil {
			return fail(fmt.Errorf("write ep0: %w", err))
		}
	}
	// Not pollable: os.File falls back to blocking reads and writes, which wait for the
	// host (and, before the host configures the device, for the endpoint to be enabled).
	if p.in, err = os.OpenFile(filepath.Join(dir, "ep1"), os.O_RDWR, 0); err != nil {
		return fail(err)
	}
	if p.out, err = os.OpenFile(filepath.Join(dir, "ep2"), os.O_RDWR, 0); err != nil {
		return fail(err)
	}
	return p, nil
}

// serve handles ep0's events until ep0 fails (the port is closed). Class requests OUT to
// the interface are accepted (SET_LINE_CODING's data is read and dropped); DTR changes go to
// onDTR before the status stage, so the modem has hung up by the time the host's ioctl
// returns. IN requests (GET_LINE_CODING) are stalled, as gser stalls them all. The function
// being bound, unbound, enabled or disabled is DTR low too. log gets the lifecycle events.
func (p *ffsPort) serve(log func(format string, args ...any)) error {
	buf := make([]byte, 4*ffsEventSize)
	for {
		n, err := p.ep0.Read(buf)
		if errors.Is(err, unix.EIDRM) { // the host cancelled a SETUP
			continue
		}
		if err != nil {
			return fmt.Errorf("firmware: functionfs ep0: %w", err)
		}
		if n == 0 {
			return errors.New("firmware: functionfs ep0: closed")
		}
		for ev := buf[:n]; len(ev) >= ffsEventSize; ev = ev[ffsEventSize:] {
			switch ev[8] {
			case ffsEventSetup:
				p.setup(ev[:8], log)
			case ffsEventBind, ffsEventUnbind, ffsEventEnable, ffsEventDisable:
				// Plugged, unplugged, configured, unconfigured: whichever the
				// modem hears, nobody has the port open, so DTR is low. (f_fs
				// drops a queued event when a later one of these comes: after an
				// unplug and replug, DISABLE may never be read, only ENABLE.)
				log("modem port: %s", ffsEventNames[ev[8]])
				if p.onDTR != nil {
					p.onDTR(false)
				}
			case ffsEventSuspend, ffsEventResume:
			}
		}
	}
}

// setup answers one control request (struct usb_ctrlrequest in req).
func (p *ffsPort) setup(req []byte, log func(format string, args ...any)) {
	reqType, request := req[0], req[1]
	value, length := binary.LittleEndian.Uint16(req[2:]), binary.LittleEndian.Uint16(req[6:])
	if reqType&reqDirIn != 0 {
		p.ep0.Read(nil) // reading an IN request stalls it
		return
	}
	if reqType == reqClassInterfaceOut && request == cdcSetControlLineState && p.onDTR != nil {
		p.onDTR(value&cdcDTR != 0)
	}
	data := make([]byte, length)
	if _, err := p.ep0.Read(data); err != nil { // the data stage, then the status stage
		log("modem port: control request %02x %02x: %v", reqType, request, err)
	}
}

// rawFD reads a descriptor with read(2) itself, even for zero bytes: on ep0 a zero-length
// read is the status stage of a request, which os.File.Read would skip. A read interrupted by
// a signal — Go preempts goroutines with SIGURG, which interrupts a blocking read(2) — is
// made again, as os.File does: f_fs then queues the stage anew. Returning EINTR instead would
// leave a request half answered and the next event read taken for its status stage.
type rawFD int

func (fd rawFD) Read(b []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), b)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// Read returns what the host wrote. An OUT transfer may be longer than b; the rest is kept
// for the next Read. The endpoint goes away while the host reconfigures the device
// (ESHUTDOWN); the read is then retried, waiting for the endpoint to come back. One
// goroutine reads (the simulator's).
func (p *ffsPort) Read(b []byte) (int, error) {
	for len(p.pending) == 0 {
		n, err := p.out.Read(p.readBuf)
		if errors.Is(err, unix.ESHUTDOWN) || errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return 0, err
		}
		p.pending = p.readBuf[:n]
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// Write sends b to the host in transfers the host's 4 KiB bulk-in buffers (usb_wwan) take
// whole, none of them a multiple of the packet size: the gadget sends no zero-length packet
// after a full last packet, and the host would sit on such a transfer until more data came.
func (p *ffsPort) Write(b []byte) (int, error) {
	done := 0
	for done < len(b) {
		chunk := min(len(b)-done, 4095)
		if chunk%512 == 0 {
			chunk--
		}
		n, err := p.in.Write(b[done : done+chunk])
		done += n
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// Close releases the endpoints and unmounts the function; it is idempotent. A Read or
// Write blocked on an endpoint returns once the gadget is unbound.
func (p *ffsPort) Close() error {
	p.once.Do(func() { p.closeErr = p.close() })
	return p.closeErr
}

func (p *ffsPort) close() error {
	var errs []error
	for _, f := range []*os.File{p.in, p.out} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	if p.ep0fd >= 0 {
		errs = append(errs, unix.Close(p.ep0fd))
		p.ep0fd = -1
	}
	if err := unix.Unmount(p.dir, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
