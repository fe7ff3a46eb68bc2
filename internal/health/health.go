// Package health answers `zdial ensure`'s question "is this link fine?"
// without touching the modem, so a cron run on a healthy link costs well
// under a second and never competes with the supervisor for the port:
//
//	interface  ppp0 exists, is up and holds 10.64.1.7        (always)
//	tcp        connect to 1.1.1.1:443 through ppp0           (if the profile names host:port)
//	dns        look up example.org, asking through ppp0      (if the profile names a name)
//	counters   /sys/class/net/ppp0/statistics/{rx,tx}_bytes  (for status and metrics)
//
// A connectivity check can pass over another route (the box's Ethernet)
// while the mobile link is dead; with Target.Bind the check's sockets are
// bound to the link's interface (SO_BINDTODEVICE, which needs root or
// CAP_NET_RAW, as zdial has) so only the link itself can make it pass.
//
// The interface lookup is a function in Checker so tests need no ppp0; the
// sysfs root is a parameter; every check runs under ctx and Checker.Timeout.
package health

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Sentinels for the conditions a caller acts on (errors.Is).
var (
	ErrBadInterface = errors.New("health: invalid interface name")
	ErrNoInterface  = errors.New("health: no such interface")
	ErrDown         = errors.New("health: interface is down")
	ErrNoAddress    = errors.New("health: interface lacks the link's address")
	ErrUnreachable  = errors.New("health: connectivity check failed")
)

// CheckError says which check failed on what.
type CheckError struct {
	Check  string // "interface", "tcp", "dns", "counters"
	Target string // the interface, host:port or name
	Err    error
}

func (e *CheckError) Error() string {
	return fmt.Sprintf("health: %s check of %s: %v", e.Check, e.Target, e.Err)
}

func (e *CheckError) Unwrap() error { return e.Err }

// DefaultTimeout bounds each connectivity check when Checker.Timeout is 0.
const DefaultTimeout = 5 * time.Second

// InterfaceInfo is what the interface check needs to know.
type InterfaceInfo struct {
	Up    bool
	Addrs []netip.Addr
}

// Checker runs checks. The zero value uses the system.
type Checker struct {
	// Lookup describes an interface; nil means SystemInterface. It
	// returns an error matching ErrNoInterface for a missing interface.
	Lookup func(name string) (InterfaceInfo, error)
	// Timeout bounds each of the TCP and DNS checks within ctx.
	Timeout time.Duration
}

// Target is one link's health check, from its record and profile.
type Target struct {
	Interface string     // "ppp0"
	Address   netip.Addr // the link's local address; zero: any address will do
	TCP       string     // "host:port" to connect to; "" for none
	DNS       string     // a name to look up (not one in /etc/hosts); "" for none
	// Nameserver, if valid, is asked instead of resolv.conf's servers,
	// for instance a DNS server the link's peer handed out.
	Nameserver netip.AddrPort
	// Bind makes TCP and DNS traffic leave through Interface only.
	Bind bool
}

// Check runs the interface check, then the connectivity checks t names.
// It stops at the first failure, which it returns as a *CheckError.
func (c Checker) Check(ctx context.Context, t Target) error {
	if err := c.Interface(t.Interface, t.Address); err != nil {
		return err
	}
	bind := ""
	if t.Bind {
		bind = t.Interface
	}
	if t.TCP != "" {
		if err := c.TCP(ctx, t.TCP, bind); err != nil {
			return err
		}
	}
	if t.DNS != "" {
		if err := c.DNS(ctx, t.DNS, t.Nameserver, bind); err != nil {
			return err
		}
	}
	return nil
}

// Interface checks that name exists, is up and holds want (any address if
// want is the zero Addr).
func (c Checker) Interface(name string, want netip.Addr) error {
	fail := func(err error) error { return &CheckError{Check: "interface", Target: name, Err: err} }
	if err := ValidInterface(name); err != nil {
		return fail(err)
	}
	lookup := c.Lookup
	if lookup == nil {
		lookup = SystemInterface
	}
	info, err := lookup(name)
	if err != nil {
		return fail(err)
	}
	if !info.Up {
		return fail(ErrDown)
	}
	if len(info.Addrs) == 0 {
		return fail(ErrNoAddress)
	}
	if want.IsValid() && !slices.Contains(info.Addrs, want.Unmap()) {
		return fail(fmt.Errorf("%w: %s not among %v", ErrNoAddress, want, info.Addrs))
	}
	return nil
}

// SystemInterface describes a kernel network interface.
func SystemInterface(name string) (InterfaceInfo, error) {
	// net.InterfaceByName's "no such network interface" is unexported;
	// listing all interfaces (a handful on a router) tells absence from a
	// failure to ask.
	ifs, err := net.Interfaces()
	if err != nil {
		return InterfaceInfo{}, err
	}
	i := slices.IndexFunc(ifs, func(ifi net.Interface) bool { return ifi.Name == name })
	if i < 0 {
		return InterfaceInfo{}, ErrNoInterface
	}
	ifi := ifs[i]
	addrs, err := ifi.Addrs()
	if err != nil {
		return InterfaceInfo{}, err
	}
	info := InterfaceInfo{Up: ifi.Flags&net.FlagUp != 0}
	for _, a := range addrs {
		var ip net.IP
		switch a := a.(type) {
		case *net.IPNet:
			ip = a.IP
		case *net.IPAddr:
			ip = a.IP
		}
		if addr, ok := netip.AddrFromSlice(ip); ok {
			info.Addrs = append(info.Addrs, addr.Unmap())
		}
	}
	return info, nil
}

// TCP connects to addr ("host:port") and hangs up. With bind set, the
// socket is bound to that interface.
func (c Checker) TCP(ctx context.Context, addr, bind string) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	d := dialer(bind)
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return &CheckError{Check: "tcp", Target: addr, Err: fmt.Errorf("%w: %w", ErrUnreachable, err)}
	}
	conn.Close()
	return nil
}

// DNS looks name up; it passes if the answer holds at least one address.
// A valid nameserver is asked instead of the system's; with bind set, the
// queries leave through that interface.
func (c Checker) DNS(ctx context.Context, name string, nameserver netip.AddrPort, bind string) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	r := net.DefaultResolver
	if bind != "" || nameserver.IsValid() {
		d := dialer(bind)
		r = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			if nameserver.IsValid() {
				address = nameserver.String()
			}
			return d.DialContext(ctx, network, address)
		}}
	}
	addrs, err := r.LookupNetIP(ctx, "ip", name)
	if err == nil && len(addrs) == 0 {
		err = errors.New("no addresses in the answer")
	}
	if err != nil {
		return &CheckError{Check: "dns", Target: name, Err: fmt.Errorf("%w: %w", ErrUnreachable, err)}
	}
	return nil
}

func (c Checker) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// dialer returns a dialer whose sockets are bound to the interface bind,
// if not "".
func dialer(bind string) *net.Dialer {
	d := &net.Dialer{}
	if bind == "" {
		return d
	}
	d.Control = func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptString(int(fd), unix.SOL_SOCKET, unix.SO_BINDTODEVICE, bind)
		}); err != nil {
			return err
		}
		if serr != nil {
			return fmt.Errorf("bind to %s: %w", bind, serr)
		}
		return nil
	}
	return d
}

// ValidInterface checks name as Linux does (dev_valid_name): 1 to 15
// bytes, not "." or "..", no '/', ':' or white space. It keeps a name from
// a record or profile from escaping the sysfs directory.
func ValidInterface(name string) error {
	if name == "" || len(name) > 15 || name == "." || name == ".." {
		return fmt.Errorf("%w: %q", ErrBadInterface, name)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c == '/' || c == ':' || c <= ' ' || c >= 0x7f {
			return fmt.Errorf("%w: %q", ErrBadInterface, name)
		}
	}
	return nil
}
