package main

import (
	"os"
	"testing"

	"github.com/zdial/zdial/internal/fakepppd"
)

// TestMain lets this test binary stand in for pppd (internal/fakepppd):
// run under the fake's name, it is pppd and exits before any test runs.
func TestMain(m *testing.M) {
	fakepppd.Main()
	os.Exit(m.Run())
}
