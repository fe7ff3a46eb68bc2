package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/zdial/zdial/internal/modemsim"
)

// runSim serves a simulated modem, so a person can point any dialer
// (zdial, wvdial, chat, minicom) at it:
//
//	zdial sim --persona zte-mf622          prints the pty path, serves until ^C
//	zdial sim --persona zte-mf622 --stdio  serves stdin/stdout, exits after CONNECT
//
// --stdio is for pppd's connect option on the far end of a line (the lab's
// "network" side): pppd gives its connect program the tty as stdin/stdout.
func runSim(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("sim", io.err)
	persona := fs.String("persona", "zte-mf622", "persona to serve: "+strings.Join(modemsim.BuiltinNames(), ", "))
	file := fs.String("persona-file", "", "serve a persona from this YAML file instead")
	useStdio := fs.Bool("stdio", false, "serve stdin/stdout and exit 0 right after CONNECT (as pppd's connect program)")
	logCmds := fs.Bool("v", false, "log each command received to stderr")
	if _, code, ok := parseArgs(fs, args); !ok {
		return code
	}
	p, err := loadPersona(*persona, *file)
	if err != nil {
		fmt.Fprintln(io.err, "zdial sim:", err)
		return exitUsage
	}
	var opts []modemsim.Option
	if *logCmds {
		opts = append(opts, modemsim.WithLogf(func(format string, a ...any) {
			fmt.Fprintf(io.err, "zdial sim: "+format+"\n", a...)
		}))
	}
	if *useStdio {
		opts = append(opts, modemsim.WithExitOnConnect())
		err := modemsim.New(p, opts...).Serve(ctx, stdioRW{r: os.Stdin, w: os.Stdout})
		if err != nil {
			fmt.Fprintln(io.err, "zdial sim:", err)
			return exitOther
		}
		return exitOK
	}
	pty, err := modemsim.OpenPTY(ctx, p, opts...)
	if err != nil {
		fmt.Fprintln(io.err, "zdial sim:", err)
		return exitOther
	}
	defer pty.Close()
	fmt.Fprintf(io.out, "%s\n", pty.Path)
	fmt.Fprintf(io.err, "zdial sim: %s (%s %s) on %s; Ctrl-C to stop\n", p.Name, p.Identity.Manufacturer, p.Identity.Model, pty.Path)
	select {
	case <-ctx.Done():
	case <-pty.Sim.Done():
	}
	return exitOK
}

func loadPersona(name, file string) (modemsim.Persona, error) {
	if file == "" {
		return modemsim.Builtin(name)
	}
	f, err := os.Open(file)
	if err != nil {
		return modemsim.Persona{}, err
	}
	defer f.Close()
	return modemsim.ParsePersona(f, file)
}

// stdioRW joins stdin and stdout into the one io.ReadWriter a Sim serves.
type stdioRW struct {
	r *os.File
	w *os.File
}

func (s stdioRW) Read(p []byte) (int, error)  { return s.r.Read(p) }
func (s stdioRW) Write(p []byte) (int, error) { return s.w.Write(p) }
