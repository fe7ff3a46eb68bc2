// Command scsieject ejects the medium of a SCSI CD-ROM the plain way, through the kernel's
// SCSI generic ioctl on the block device, as `eject` would: the lab's independent check that
// the emulated dongle switches on an eject that zdial did not send.
//
//	scsieject [-timeout 5s] /dev/sr0
//
// It sends two commands with SG_IO:
//
//	1e 00 00 00 00 00   PREVENT ALLOW MEDIUM REMOVAL (allow)
//	1b 00 00 00 02 00   START STOP UNIT, LoEj=1 Start=0 (eject)
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	timeout := flag.Duration("timeout", 5*time.Second, "per-command timeout")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: scsieject [-timeout D] DEVICE")
		os.Exit(2)
	}
	if err := eject(flag.Arg(0), *timeout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func eject(path string, timeout time.Duration) error {
	f, err := os.OpenFile(path, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return fmt.Errorf("scsieject: %w", err)
	}
	defer f.Close()
	for _, c := range []struct {
		name string
		cdb  []byte
	}{
		{"allow medium removal", allowRemoval},
		{"start stop unit (eject)", startStopEject},
	} {
		if err := sgCommand(f, c.cdb, timeout); err != nil {
			return fmt.Errorf("scsieject: %s on %s: %w", c.name, path, err)
		}
	}
	return nil
}
