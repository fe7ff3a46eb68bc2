package health

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Counters are an interface's byte counters since it was created (pppd
// makes a new ppp interface per connection).
type Counters struct {
	RxBytes, TxBytes uint64
}

// maxCounter bounds what is read from a sysfs attribute: a uint64 in
// decimal is at most 20 digits and a line feed.
const maxCounter = 32

// ReadCounters reads iface's byte counters under sysfsRoot (normally
// /sys): class/net/IFACE/statistics/{rx,tx}_bytes.
func ReadCounters(sysfsRoot, iface string) (Counters, error) {
	fail := func(err error) (Counters, error) {
		return Counters{}, &CheckError{Check: "counters", Target: iface, Err: err}
	}
	if err := ValidInterface(iface); err != nil {
		return fail(err)
	}
	dir := filepath.Join(sysfsRoot, "class", "net", iface)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return fail(ErrNoInterface)
	}
	var c Counters
	for _, f := range []struct {
		name string
		dst  *uint64
	}{{"rx_bytes", &c.RxBytes}, {"tx_bytes", &c.TxBytes}} {
		v, err := readUint(filepath.Join(dir, "statistics", f.name))
		if err != nil {
			return fail(err)
		}
		*f.dst = v
	}
	return c, nil
}

func readUint(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCounter+1))
	if err != nil {
		return 0, err
	}
	if len(b) > maxCounter {
		return 0, fmt.Errorf("%s: longer than a counter", path)
	}
	v, err := strconv.ParseUint(strings.TrimSuffix(string(b), "\n"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: not a counter: %q", path, b)
	}
	return v, nil
}
