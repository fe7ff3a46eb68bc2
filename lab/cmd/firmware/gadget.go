package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A spec describes one USB device as configfs builds it: device IDs, strings, one
// configuration and its functions, linked into the configuration in order (so function i
// becomes interface i on the host, and gser.N becomes /dev/ttyGS<N> on the gadget).
type spec struct {
	vendor, product uint16
	manufacturer    string
	productName     string
	serial          string
	functions       []function
}

// A function is a configfs function directory and the attributes written into it, in order
// (for mass storage, cdrom and removable must be set before file). ready, if set, runs once
// the function is linked into the configuration and before the gadget is bound: a FunctionFS
// function must have its descriptors written by then, or the bind fails.
type function struct {
	name  string
	attrs [][2]string
	ready func() error
}

// A gadget is one usb_gadget directory under configfs.
type gadget struct {
	dir string // <configfs>/usb_gadget/<name>
}

func newGadget(configfs, name string) gadget {
	return gadget{dir: filepath.Join(configfs, "usb_gadget", name)}
}

func (g gadget) write(rel, value string) error {
	if err := os.WriteFile(filepath.Join(g.dir, rel), []byte(value+"\n"), 0o644); err != nil {
		return fmt.Errorf("firmware: write %s: %w", rel, err)
	}
	return nil
}

func (g gadget) read(rel string) (string, error) {
	b, err := os.ReadFile(filepath.Join(g.dir, rel))
	return strings.TrimSpace(string(b)), err
}

func (g gadget) mkdir(rel string) error {
	if err := os.Mkdir(filepath.Join(g.dir, rel), 0o755); err != nil {
		return fmt.Errorf("firmware: mkdir %s: %w", rel, err)
	}
	return nil
}

const config = "configs/c.1"

// create builds the gadget described by s and binds it to udc: the host sees a plug.
func (g gadget) create(s spec, udc string) error {
	if err := os.Mkdir(g.dir, 0o755); err != nil {
		return fmt.Errorf("firmware: create gadget: %w", err)
	}
	steps := []func() error{
		func() error { return g.write("idVendor", fmt.Sprintf("0x%04x", s.vendor)) },
		func() error { return g.write("idProduct", fmt.Sprintf("0x%04x", s.product)) },
		func() error { return g.write("bcdDevice", "0x0000") },
		func() error { return g.write("bcdUSB", "0x0200") },
		func() error { return g.mkdir("strings/0x409") },
		func() error { return g.write("strings/0x409/manufacturer", s.manufacturer) },
		func() error { return g.write("strings/0x409/product", s.productName) },
		func() error { return g.write("strings/0x409/serialnumber", s.serial) },
		func() error { return g.mkdir(config) },
		func() error { return g.write(config+"/MaxPower", "500") },
		func() error { return g.mkdir(config + "/strings/0x409") },
		func() error { return g.write(config+"/strings/0x409/configuration", "zdial lab") },
	}
	for _, f := range s.functions {
		steps = append(steps, func() error { return g.mkdir("functions/" + f.name) })
		for _, a := range f.attrs {
			steps = append(steps, func() error { return g.write("functions/"+f.name+"/"+a[0], a[1]) })
		}
		steps = append(steps, func() error {
			err := os.Symlink(filepath.Join(g.dir, "functions", f.name), filepath.Join(g.dir, config, f.name))
			if err != nil {
				return fmt.Errorf("firmware: link %s: %w", f.name, err)
			}
			return nil
		})
		if f.ready != nil {
			steps = append(steps, f.ready)
		}
	}
	steps = append(steps, func() error { return g.write("UDC", udc) })
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// remove unbinds the gadget (the host sees an unplug) and takes its configfs tree apart,
// innermost first, as configfs requires.
func (g gadget) remove() error {
	if _, err := os.Stat(g.dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if udc, _ := g.read("UDC"); udc != "" {
		if err := g.write("UDC", ""); err != nil {
			return err
		}
	}
	links, _ := filepath.Glob(filepath.Join(g.dir, config, "*.*"))
	for _, l := range links {
		if fi, err := os.Lstat(l); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if err := os.Remove(l); err != nil {
				return fmt.Errorf("firmware: unlink %s: %w", l, err)
			}
		}
	}
	dirs := []string{filepath.Join(g.dir, config, "strings/0x409"), filepath.Join(g.dir, config)}
	funcs, _ := filepath.Glob(filepath.Join(g.dir, "functions", "*.*"))
	dirs = append(dirs, funcs...)
	dirs = append(dirs, filepath.Join(g.dir, "strings/0x409"), g.dir)
	for _, d := range dirs {
		if err := os.Remove(d); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("firmware: rmdir %s: %w", d, err)
		}
	}
	return nil
}

// ZTE's IDs and strings, as an MF622 reports them.
const (
	zteVendor      = 0x19d2
	zteZeroCD      = 0x2000
	zteModem       = 0x0001
	zteMaker       = "ZTE,Incorporated"
	zteProductName = "ZTE CDMA Technologies MSM"
)

// zeroCDSpec is the dongle as first plugged: one mass-storage function whose LUN is a
// removable CD-ROM holding the driver installer (image must be at least 300 sectors).
func zeroCDSpec(serial, image string) spec {
	return spec{
		vendor: zteVendor, product: zteZeroCD,
		manufacturer: zteMaker, productName: zteProductName, serial: serial,
		functions: []function{{name: "mass_storage.0", attrs: [][2]string{
			{"stall", "1"},
			{"lun.0/cdrom", "1"},
			{"lun.0/removable", "1"},
			{"lun.0/ro", "1"},
			{"lun.0/inquiry_string", "ZTE     USB SCSI CD-ROM 2.31"},
			{"lun.0/file", image},
		}}},
	}
}

// modemSpec is the dongle after the switch: n vendor-class serial functions.
func modemSpec(serial string, n int) spec {
	s := spec{
		vendor: zteVendor, product: zteModem,
		manufacturer: zteMaker, productName: zteProductName, serial: serial,
	}
	for i := range n {
		s.functions = append(s.functions, function{name: fmt.Sprintf("gser.%d", i)})
	}
	return s
}

// diskSpec is a plain USB stick: the bystander whose mounts must survive every switch.
func diskSpec(serial, image string) spec {
	return spec{
		vendor: 0x0781, product: 0x5567, // a common USB flash drive's IDs
		manufacturer: "Lab", productName: "Lab Flash Disk", serial: serial,
		functions: []function{{name: "mass_storage.0", attrs: [][2]string{
			{"lun.0/removable", "1"},
			{"lun.0/ro", "0"},
			{"lun.0/file", image},
		}}},
	}
}
