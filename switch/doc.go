// Package modeswitch owns USB mode switching, driver binding, udev watching
// and port discovery. The directory is named switch, which is a Go keyword,
// so import it as
//
//	modeswitch "github.com/zdial/zdial/switch"
package modeswitch
