package main

import (
	"fmt"
	"slices"
	"time"
)

// summary is the spread of one dialer's times at one latency.
type summary struct {
	N                        int
	Min, Q1, Median, Q3, Max time.Duration
}

// summarize computes the median, quartiles and range of ds. Quartiles are
// the medians of the lower and upper halves (Tukey's hinges), which need
// no interpolation and stay meaningful for the small N a bench runs.
func summarize(ds []time.Duration) summary {
	if len(ds) == 0 {
		return summary{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	half := n / 2
	return summary{
		N:      n,
		Min:    s[0],
		Q1:     median(s[:(n+1)/2]),
		Median: median(s),
		Q3:     median(s[half:]),
		Max:    s[n-1],
	}
}

// median of a sorted, non-empty slice.
func median(s []time.Duration) time.Duration {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ratio formats a/b as "0.42×"; "–" when b is zero (no measurement).
func ratio(a, b time.Duration) string {
	if a <= 0 || b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", float64(a)/float64(b))
}

// secs formats d in seconds with millisecond resolution: "0.045 s".
func secs(d time.Duration) string {
	return fmt.Sprintf("%.3f s", d.Seconds())
}

// spread formats a summary's range and interquartile range.
func spread(s summary) string {
	if s.N == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f–%.3f (IQR %.3f–%.3f)", s.Min.Seconds(), s.Max.Seconds(), s.Q1.Seconds(), s.Q3.Seconds())
}
