package main

import (
	"io"
	"testing"
	"time"
)

func ms(ns ...int) []time.Duration {
	out := make([]time.Duration, len(ns))
	for i, n := range ns {
		out[i] = time.Duration(n) * time.Millisecond
	}
	return out
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name string
		in   []time.Duration
		want summary
	}{
		{"empty", nil, summary{}},
		{"one", ms(7), summary{N: 1, Min: 7 * time.Millisecond, Q1: 7 * time.Millisecond, Median: 7 * time.Millisecond, Q3: 7 * time.Millisecond, Max: 7 * time.Millisecond}},
		{"odd, unsorted", ms(50, 10, 40, 20, 30), summary{N: 5, Min: ms(10)[0], Q1: ms(20)[0], Median: ms(30)[0], Q3: ms(40)[0], Max: ms(50)[0]}},
		{"even", ms(40, 10, 30, 20), summary{N: 4, Min: ms(10)[0], Q1: ms(15)[0], Median: ms(25)[0], Q3: ms(35)[0], Max: ms(40)[0]}},
		{"outlier moves range, not median", ms(10, 11, 12, 13, 900), summary{N: 5, Min: ms(10)[0], Q1: ms(11)[0], Median: ms(12)[0], Q3: ms(13)[0], Max: ms(900)[0]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]time.Duration(nil), tt.in...)
			if got := summarize(tt.in); got != tt.want {
				t.Errorf("summarize(%v) = %+v, want %+v", tt.in, got, tt.want)
			}
			for i := range in {
				if in[i] != tt.in[i] {
					t.Fatalf("summarize sorted its argument: %v", tt.in)
				}
			}
		})
	}
}

func TestRatioAndFormat(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{ratio(ms(150)[0], ms(600)[0]), "0.25×"},
		{ratio(ms(600)[0], ms(300)[0]), "2.00×"},
		{ratio(ms(600)[0], 0), "–"},
		{ratio(0, ms(600)[0]), "–"},
		{secs(1234567 * time.Microsecond), "1.235 s"},
		{spread(summarize(ms(10, 20, 30, 40, 50))), "0.010–0.050 (IQR 0.020–0.040)"},
		{spread(summary{}), "–"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestParseLatencies(t *testing.T) {
	tests := []struct {
		in      string
		want    []time.Duration
		wantErr bool
	}{
		{"0ms,20ms,50ms", ms(0, 20, 50), false},
		{"0, 20 ,50", ms(0, 20, 50), false},
		{"0.05s", ms(50), false},
		{"fast", nil, true},
		{"-5ms", nil, true},
	}
	for _, tt := range tests {
		got, err := parseLatencies(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseLatencies(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("parseLatencies(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseLatencies(%q) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
}

func TestParseOptions(t *testing.T) {
	tests := []struct {
		args        []string
		n           int
		hold, limit time.Duration
		what        string
		wantErr     bool
	}{
		{nil, 10, time.Minute, 90 * time.Second, "all", false},
		{[]string{"-quick"}, 3, 5 * time.Second, 30 * time.Second, "all", false},
		{[]string{"-quick", "-n", "5", "-limit", "60s", "faults"}, 5, 5 * time.Second, time.Minute, "faults", false},
		{[]string{"speed"}, 10, time.Minute, 90 * time.Second, "speed", false},
		{[]string{"nonsense"}, 0, 0, 0, "", true},
		{[]string{"-n", "0"}, 0, 0, 0, "", true},
		{[]string{"speed", "faults"}, 0, 0, 0, "", true},
	}
	for _, tt := range tests {
		o, err := parseOptions(tt.args, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseOptions(%q) error %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if o.n != tt.n || o.hold != tt.hold || o.limit != tt.limit || o.what != tt.what {
			t.Errorf("parseOptions(%q) = n %d hold %v limit %v what %q; want %d %v %v %q",
				tt.args, o.n, o.hold, o.limit, o.what, tt.n, tt.hold, tt.limit, tt.what)
		}
	}
}
