// Package switchtest fakes the wire under package modeswitch for tests:
// a usbdevfs device that answers like a bulk-only mass-storage dongle
// (FakeUSB), a bus that opens such devices by path and records what was
// opened (FakeBus), and a uevent source a test feeds by hand (Events).
// Production code never imports it.
package switchtest
