package dialseq

import "testing"

func TestRegVerdict(t *testing.T) {
	const no = regNoAnswer
	for _, tc := range []struct {
		name       string
		s          regSnapshot
		want       regVerdict
		wantStatus int
	}{
		{"lte home", regSnapshot{cs: 1, ps: 1, eps: 1}, regDone, 1},
		{"lte roaming", regSnapshot{cs: 5, ps: 5, eps: 5}, regDone, 5},
		{"3g only modem", regSnapshot{cs: 1, ps: 1, eps: no}, regDone, 1},
		{"data-only SIM: CS denied, EPS home", regSnapshot{cs: 3, ps: 0, eps: 1}, regDone, 1},
		{"CS registered, packet still searching", regSnapshot{cs: 1, ps: 2, eps: 2}, regWaiting, 2},
		{"searching", regSnapshot{cs: 2, ps: 2, eps: 2}, regWaiting, 2},
		{"not searching", regSnapshot{cs: 0, ps: 0, eps: 0}, regWaiting, 0},
		{"denied everywhere", regSnapshot{cs: 3, ps: 3, eps: 3}, regRefused, 3},
		{"denied on 3G, no LTE", regSnapshot{cs: 3, ps: 3, eps: no}, regRefused, 3},
		{"EPS denied, 3G searching", regSnapshot{cs: 2, ps: 2, eps: 3}, regWaiting, 2},
		{"CS denied, packet searching", regSnapshot{cs: 3, ps: 2, eps: 2}, regWaiting, 2},
		{"old modem: CREG only, home", regSnapshot{cs: 1, ps: no, eps: no}, regDone, 1},
		{"old modem: CREG only, denied", regSnapshot{cs: 3, ps: no, eps: no}, regRefused, 3},
		{"old modem: CREG only, searching", regSnapshot{cs: 2, ps: no, eps: no}, regWaiting, 2},
		{"SMS only is not data", regSnapshot{cs: no, ps: no, eps: 6}, regWaiting, 6},
		{"nothing answers", regSnapshot{cs: no, ps: no, eps: no}, regWaiting, no},
	} {
		v, st := tc.s.verdict()
		if v != tc.want || st != tc.wantStatus {
			t.Errorf("%s: %+v.verdict() = %v, %d; want %v, %d", tc.name, tc.s, v, st, tc.want, tc.wantStatus)
		}
	}
}
