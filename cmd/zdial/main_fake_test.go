package main

import (
	"os"
	"testing"

	"github.com/zdial/zdial/internal/fakepppd"
)

// cliEnv makes this test binary zdial itself: `zdial up` re-executes
// os.Executable() as `zdial run`, and the ensure tests start many CLIs.
const cliEnv = "ZDIAL_TEST_AS_CLI"

// TestMain lets this test binary stand in for pppd (internal/fakepppd):
// run under the fake's name, it is pppd and exits before any test runs.
// With cliEnv set, it is zdial.
func TestMain(m *testing.M) {
	fakepppd.Main()
	if os.Getenv(cliEnv) == "1" {
		main()
	}
	os.Exit(m.Run())
}
