package modemsim

import (
	"errors"
	"io"
	"testing"
	"testing/synctest"
)

// stdio is the shape pppd's connect program gets: a reader and a writer.
type stdio struct {
	io.Reader
	io.Writer
}

func TestExitOnConnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		sim := New(noURCs(t, "zte-mf622"), WithExitOnConnect())
		errc := make(chan error, 1)
		go func() { errc <- sim.Serve(t.Context(), stdio{inR, outW}) }()
		out := make(chan string)
		go func() {
			b, _ := io.ReadAll(outR)
			out <- string(b)
		}()
		go inW.Write([]byte("ATE0\rATD*99#\r"))
		if err := <-errc; err != nil {
			t.Fatalf("Serve = %v, want nil after CONNECT", err)
		}
		outW.Close()
		if got, want := <-out, "ATE0\r\r\nOK\r\n\r\nCONNECT 7200000\r\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		// Nothing reads the line any more: it is pppd's now.
		done := make(chan struct{})
		go func() { inW.Write([]byte{0x7e}); close(done) }()
		synctest.Wait()
		select {
		case <-done:
			t.Error("the simulator still reads after CONNECT")
		default:
		}
		inR.Close()
		<-done
	})
}

func TestExitOnConnectHangup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inR, inW := io.Pipe()
		sim := New(noURCs(t, "zte-mf622"), WithExitOnConnect())
		errc := make(chan error, 1)
		go func() { errc <- sim.Serve(t.Context(), stdio{inR, io.Discard}) }()
		inW.Write([]byte("AT\r"))
		inW.Close()
		if err := <-errc; !errors.Is(err, ErrNoConnect) {
			t.Errorf("Serve = %v, want ErrNoConnect", err)
		}
		if err := sim.Serve(t.Context(), stdio{inR, io.Discard}); !errors.Is(err, ErrServed) {
			t.Errorf("second Serve = %v, want ErrServed", err)
		}
	})
}
