package linkstate

import (
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func sample(profile string, sup Process) Record {
	sig, exit := -71, 16
	return Record{
		Profile: profile, State: StateUp, Supervisor: sup, PPPD: Process{PID: 840, Start: 90577},
		Device: "12d1:1506/SERIAL1234", Port: "/dev/ttyUSB0", Interface: "ppp0",
		IP: netip.MustParseAddr("10.64.1.7"), Peer: netip.MustParseAddr("10.64.64.64"),
		DNS:      []netip.Addr{netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("2001:4860:4860::8888")},
		Operator: "Vodafone.de", AccessTech: "LTE", SignalDBm: &sig,
		Since: time.Date(2026, 12, 1, 2, 31, 0, 0, time.UTC), Reconnects: 2, LastExit: &exit,
		LastError: "pppd: exit 16 (hangup)",
	}
}

func newDir(t *testing.T) Dir {
	t.Helper()
	return Dir{Path: filepath.Join(t.TempDir(), "run"), ProcRoot: "/proc"}
}

func TestWriteReadRoundTrip(t *testing.T) {
	d := newDir(t)
	want := sample("home", Process{PID: 812, Start: 90211})
	if err := d.Write(want); err != nil {
		t.Fatal(err)
	}
	got, err := d.Read("home")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	fi, err := os.Stat(filepath.Join(d.Path, "home.json"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("record mode %v, want 0644", fi.Mode().Perm())
	}
	// The file is plain JSON with the documented names.
	b, _ := os.ReadFile(filepath.Join(d.Path, "home.json"))
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"profile", "state", "supervisor", "pppd", "device", "port", "interface", "ip", "peer",
		"dns", "operator", "access_technology", "signal_dbm", "since", "reconnects", "last_exit_code", "last_error"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	// A minimal record leaves unknown things out rather than writing zeros.
	if err := d.Write(Record{Profile: "van", State: StateDialing, Supervisor: Process{PID: 1}}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(d.Path, "van.json"))
	for _, k := range []string{`"ip"`, `"pppd"`, `"since"`, `"signal_dbm"`, `"dns"`} {
		if strings.Contains(string(b), k) {
			t.Errorf("minimal record writes %s:\n%s", k, b)
		}
	}
}

// TestRecordHasNoSecretField pins the promise of the doc comment: no field
// of the world-readable record is meant for a secret.
func TestRecordHasNoSecretField(t *testing.T) {
	b, err := json.Marshal(sample("home", Process{PID: 1}))
	if err != nil {
		t.Fatal(err)
	}
	low := strings.ToLower(string(b))
	for _, w := range []string{"pin", "puk", "password", "secret", "passwd"} {
		if strings.Contains(low, `"`+w) {
			t.Errorf("record JSON has a %q field: %s", w, b)
		}
	}
}

func TestWriteCleansAndRejects(t *testing.T) {
	d := newDir(t)
	r := sample("home", Process{PID: 1})
	r.Operator = "Evil\x1b[2J"
	if err := d.Write(r); err != nil {
		t.Fatal(err)
	}
	got, _ := d.Read("home")
	if got.Operator != "Evil" {
		t.Errorf("operator stored as %q", got.Operator)
	}
	bad := sample("../etc/passwd", Process{PID: 1})
	if err := d.Write(bad); !errors.Is(err, ErrBadProfile) {
		t.Errorf("bad profile: %v", err)
	}
	bad = sample("home", Process{})
	if err := d.Write(bad); !errors.Is(err, ErrCorrupt) {
		t.Errorf("no supervisor: %v", err)
	}
}

func TestReadRefuses(t *testing.T) {
	valid, _ := json.Marshal(sample("home", Process{PID: 1}))
	tests := []struct {
		name  string
		setup func(t *testing.T, dir, path string)
		err   error
	}{
		{"missing", func(*testing.T, string, string) {}, ErrNotFound},
		{"symlink", func(t *testing.T, dir, path string) {
			os.WriteFile(filepath.Join(dir, "elsewhere"), valid, 0o644)
			must(t, os.Symlink(filepath.Join(dir, "elsewhere"), path))
		}, ErrUnsafe},
		{"fifo", func(t *testing.T, dir, path string) { must(t, syscall.Mkfifo(path, 0o644)) }, ErrUnsafe},
		{"directory", func(t *testing.T, dir, path string) { must(t, os.Mkdir(path, 0o755)) }, ErrUnsafe},
		{"writable by others", func(t *testing.T, dir, path string) {
			must(t, os.WriteFile(path, valid, 0o644))
			must(t, os.Chmod(path, 0o666))
		}, ErrUnsafe},
		{"foreign owner", func(t *testing.T, dir, path string) {
			if os.Geteuid() != 0 {
				t.Skip("needs root to give a file away")
			}
			must(t, os.WriteFile(path, valid, 0o644))
			must(t, os.Chown(path, 4242, 4242))
		}, ErrUnsafe},
		{"too big", func(t *testing.T, dir, path string) {
			must(t, os.WriteFile(path, append(valid[:len(valid)-1], []byte(`,"x":"`+strings.Repeat("a", MaxRecordSize)+`"}`)...), 0o644))
		}, ErrCorrupt},
		{"not JSON", func(t *testing.T, dir, path string) { must(t, os.WriteFile(path, []byte("up\n"), 0o644)) }, ErrCorrupt},
		{"other profile", func(t *testing.T, dir, path string) {
			b, _ := json.Marshal(sample("van", Process{PID: 1}))
			must(t, os.WriteFile(path, b, 0o644))
		}, ErrCorrupt},
		{"invalid state", func(t *testing.T, dir, path string) {
			must(t, os.WriteFile(path, []byte(`{"profile":"home","state":"party","supervisor":{"pid":1}}`), 0o644))
		}, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDir(t)
			must(t, os.MkdirAll(d.Path, 0o755))
			tt.setup(t, d.Path, filepath.Join(d.Path, "home.json"))
			_, err := d.Read("home")
			if !errors.Is(err, tt.err) {
				t.Errorf("Read = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestUnsafeRunDir(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "real")
	must(t, os.Mkdir(real, 0o755))
	link := filepath.Join(base, "link")
	must(t, os.Symlink(real, link))
	open := filepath.Join(base, "open")
	must(t, os.Mkdir(open, 0o755))
	must(t, os.Chmod(open, 0o777))
	for _, p := range []string{link, open} {
		d := Dir{Path: p, ProcRoot: "/proc"}
		if err := d.Write(sample("home", Process{PID: 1})); !errors.Is(err, ErrUnsafe) {
			t.Errorf("Write in %s: %v, want ErrUnsafe", p, err)
		}
		if _, err := d.TryLock("home"); !errors.Is(err, ErrUnsafe) {
			t.Errorf("TryLock in %s: %v, want ErrUnsafe", p, err)
		}
	}
}

func TestListSkipsAndReports(t *testing.T) {
	d := newDir(t)
	for _, p := range []string{"van", "home"} {
		must(t, d.Write(sample(p, Process{PID: 1})))
	}
	must(t, os.WriteFile(filepath.Join(d.Path, "broken.json"), []byte("{"), 0o644))
	must(t, os.WriteFile(filepath.Join(d.Path, ".home.json.tmp-1"), []byte("{"), 0o644))
	must(t, os.WriteFile(filepath.Join(d.Path, "notes.txt"), []byte("x"), 0o644))
	l, err := d.TryLock("home") // lock files are not records
	must(t, err)
	defer l.Unlock()
	recs, err := d.List()
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "broken") {
		t.Errorf("List error = %v, want the broken record reported", err)
	}
	var names []string
	for _, r := range recs {
		names = append(names, r.Profile)
	}
	if diff := cmp.Diff([]string{"home", "van"}, names); diff != "" {
		t.Errorf("profiles (-want +got):\n%s", diff)
	}
	empty := Dir{Path: filepath.Join(t.TempDir(), "absent")}
	if recs, err := empty.List(); err != nil || len(recs) != 0 {
		t.Errorf("List of a missing run dir = %v, %v", recs, err)
	}
}

func TestStaleAndRemoveStale(t *testing.T) {
	d := newDir(t)
	d.ProcRoot = fakeProc(t, map[int]string{
		812: statLine(812, "zdial", 'S', 90211),
		814: statLine(814, "bash", 'S', 99999),
	})
	must(t, d.Write(sample("live", Process{PID: 812, Start: 90211})))
	must(t, d.Write(sample("dead", Process{PID: 900, Start: 1})))
	must(t, d.Write(sample("reused", Process{PID: 814, Start: 90400})))
	for profile, wantStale := range map[string]bool{"live": false, "dead": true, "reused": true} {
		r, err := d.Read(profile)
		must(t, err)
		stale, err := d.Stale(r)
		if err != nil || stale != wantStale {
			t.Errorf("Stale(%s) = %v, %v; want %v", profile, stale, err, wantStale)
		}
		removed, err := d.RemoveStale(profile)
		if err != nil || removed != wantStale {
			t.Errorf("RemoveStale(%s) = %v, %v; want %v", profile, removed, err, wantStale)
		}
		_, err = d.Read(profile)
		if gone := errors.Is(err, ErrNotFound); gone != wantStale {
			t.Errorf("after RemoveStale(%s): Read err %v", profile, err)
		}
	}
	if removed, err := d.RemoveStale("never"); removed || err != nil {
		t.Errorf("RemoveStale of no record = %v, %v", removed, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkReadAndAlive measures what ensure does first on a healthy link:
// read the record and check its supervisor and pppd are alive.
func BenchmarkReadAndAlive(b *testing.B) {
	d := Dir{Path: b.TempDir(), ProcRoot: "/proc"}
	self, err := d.Identify(os.Getpid())
	if err != nil {
		b.Fatal(err)
	}
	r := sample("home", self)
	r.PPPD = self
	if err := d.Write(r); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := d.Read("home")
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range []Process{r.Supervisor, r.PPPD} {
			if ok, err := d.Alive(p); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	}
}
