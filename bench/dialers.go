package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// env is what every run shares: the zdial binary, the generated scripts
// and the stub pppds, all under one temporary directory.
type env struct {
	dir     string // scratch directory, removed at the end
	zdial   string // the static zdial binary under test
	stub    string // a "pppd" that exits at once (wvdial, zdial --dry-run)
	idle    string // a "pppd" that logs a link up and waits (resources)
	job     job
	chat    string // chat(8) script
	comgt   string // comgt script
	yaml    string // zdial YAML script
	config  string // zdial config with the "bench" profile, no PIN
	timeout time.Duration
	runs    int // runs so far, to name run directories
}

// newEnv writes the job's scripts and the stubs under dir.
func newEnv(dir, zdial string, j job) (*env, error) {
	e := &env{dir: dir, zdial: zdial, job: j, timeout: 90 * time.Second}
	files := []struct {
		path *string
		name string
		text string
		mode os.FileMode
	}{
		{&e.stub, "pppd-stub", stubPPPD, 0o755},
		{&e.idle, "pppd-idle", idlePPPD, 0o755},
		{&e.chat, "job.chat", chatScript(j), 0o644},
		{&e.comgt, "job.comgt", comgtScript(j), 0o644},
		{&e.yaml, "job.yaml", zdialYAML(j), 0o644},
		{&e.config, "zdial.yaml", zdialConfig(""), 0o600},
	}
	for _, f := range files {
		*f.path = filepath.Join(dir, f.name)
		if err := os.WriteFile(*f.path, []byte(f.text), f.mode); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// runDir makes a fresh directory for one run (wvdial.conf, zdial's lock
// and state directories).
func (e *env) runDir() (string, error) {
	e.runs++
	d := filepath.Join(e.dir, fmt.Sprintf("run%04d", e.runs))
	for _, sub := range []string{"lock", "state"} {
		if err := os.MkdirAll(filepath.Join(d, sub), 0o700); err != nil {
			return "", err
		}
	}
	return d, nil
}

// dialer is one program under test and how to run the job with it.
type dialer struct {
	name string
	what string // the job it runs, for the table
	// child builds the run on port; dir is the run's own directory.
	child func(e *env, port, dir string) (child, error)
}

var (
	zdialJob = dialer{"zdial", "same 4-command job, YAML script (`zdial chat job.yaml`)",
		func(e *env, port, dir string) (child, error) {
			return child{argv: []string{e.zdial, "chat", e.yaml}, onPort: true, port: port, timeout: e.timeout}, nil
		}}
	zdialFull = dialer{"zdial (full)", "full default dial (`zdial --dry-run --port PTY bench`)",
		func(e *env, port, dir string) (child, error) {
			return child{argv: zdialConnectArgv(e, e.config, port, dir, "--dry-run", "--pppd", e.stub), timeout: e.timeout}, nil
		}}
	chatDialer = dialer{"chat", "same job (`chat -V -f job.chat`)",
		func(e *env, port, dir string) (child, error) {
			return child{argv: []string{"chat", "-V", "-f", e.chat}, onPort: true, port: port, timeout: e.timeout}, nil
		}}
	wvdialDialer = dialer{"wvdial", "same job (`wvdial --config wvdial.conf`, Stupid Mode, stub pppd)",
		func(e *env, port, dir string) (child, error) {
			conf := filepath.Join(dir, "wvdial.conf")
			if err := os.WriteFile(conf, []byte(wvdialConf(e.job, port, e.stub)), 0o600); err != nil {
				return child{}, err
			}
			return child{argv: []string{"wvdial", "--config", conf}, timeout: e.timeout}, nil
		}}
	comgtDialer = dialer{"comgt", "same job (`comgt -s -d PTY job.comgt`)",
		func(e *env, port, dir string) (child, error) {
			return child{argv: []string{"comgt", "-s", "-d", port, e.comgt}, timeout: e.timeout}, nil
		}}
)

// zdialConnectArgv is zdial dialing the "bench" profile from config on
// port, with its lock and state directories inside the run's directory.
func zdialConnectArgv(e *env, config, port, dir string, extra ...string) []string {
	argv := []string{e.zdial, "--port", port, "--config", config,
		"--lock-dir", filepath.Join(dir, "lock"), "--state-dir", filepath.Join(dir, "state")}
	return append(append(argv, extra...), "bench")
}
