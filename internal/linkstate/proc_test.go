package linkstate

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func statLine(pid int, comm string, state byte, start uint64) string {
	return fmt.Sprintf("%d (%s) %c 1 %d %d 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 %d 12345678 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		pid, comm, state, pid, pid, start)
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		state     byte
		start     uint64
		wantError bool
	}{
		{"plain", statLine(812, "zdial", 'S', 90211), 'S', 90211, false},
		{"comm with spaces and parens", statLine(812, "a) (b c) Z (", 'R', 7), 'R', 7, false},
		{"zombie", statLine(9, "zdial", 'Z', 1), 'Z', 1, false},
		{"no comm", "812 zdial S 1", 0, 0, true},
		{"truncated", "812 (zdial) S 1 2 3", 0, 0, true},
		{"bad start", "1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 soon 1\n", 0, 0, true},
	}
	for _, tt := range tests {
		state, start, err := parseStat([]byte(tt.line))
		if (err != nil) != tt.wantError || state != tt.state || start != tt.start {
			t.Errorf("%s: %c %d %v; want %c %d error=%v", tt.name, state, start, err, tt.state, tt.start, tt.wantError)
		}
	}
}

// fakeProc writes procRoot/PID/stat for each process.
func fakeProc(t *testing.T, procs map[int]string) string {
	t.Helper()
	root := t.TempDir()
	for pid, line := range procs {
		dir := filepath.Join(root, fmt.Sprint(pid))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "stat"), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestAliveFakeProc(t *testing.T) {
	d := Dir{ProcRoot: fakeProc(t, map[int]string{
		812: statLine(812, "zdial", 'S', 90211),
		813: statLine(813, "zdial", 'Z', 90300),
		814: statLine(814, "bash", 'S', 99999), // PID reused
		815: "garbage",
	})}
	tests := []struct {
		p         Process
		alive     bool
		wantError bool
	}{
		{Process{PID: 812, Start: 90211}, true, false},
		{Process{PID: 812}, true, false}, // start unknown: PID alone decides
		{Process{PID: 813, Start: 90300}, false, false},
		{Process{PID: 814, Start: 90400}, false, false},
		{Process{PID: 900, Start: 1}, false, false},
		{Process{}, false, false},
		{Process{PID: 815}, false, true},
	}
	for _, tt := range tests {
		alive, err := d.Alive(tt.p)
		if alive != tt.alive || (err != nil) != tt.wantError {
			t.Errorf("Alive(%+v) = %v, %v; want %v, error=%v", tt.p, alive, err, tt.alive, tt.wantError)
		}
	}
}

// TestAliveRealProc: this process is alive under its own start time, not
// under another; a child that exited and was reaped is not.
func TestAliveRealProc(t *testing.T) {
	d := Dir{ProcRoot: "/proc"}
	self, err := d.Identify(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if self.Start == 0 {
		t.Error("start time 0")
	}
	if alive, err := d.Alive(self); !alive || err != nil {
		t.Errorf("self: %v %v", alive, err)
	}
	if alive, _ := d.Alive(Process{PID: self.PID, Start: self.Start + 1}); alive {
		t.Error("self under another start time counts as alive (PID reuse undetected)")
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"=exit")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	child, err := d.Identify(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if alive, err := d.Alive(child); alive || err != nil {
		t.Errorf("reaped child: alive=%v %v", alive, err)
	}
}
