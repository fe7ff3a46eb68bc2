package dialseq

import (
	"testing"

	"github.com/zdial/zdial/at"
)

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

// JudgeRegistration is what `zdial probe` shows: the answers that once made
// probe say "registered (home)" while the dial kept waiting now read as the
// dial reads them.
func TestJudgeRegistration(t *testing.T) {
	reg := func(stat at.RegStat, act at.AcT) *at.Registration { return &at.Registration{Stat: stat, AcT: act} }
	for _, tc := range []struct {
		name string
		a    RegAnswers
		want RegVerdict
	}{
		{"CS home, packet searching", RegAnswers{EPS: reg(at.RegSearching, at.AcTUnknown), PS: reg(at.RegSearching, at.AcTUnknown), CS: reg(at.RegHome, 2)},
			RegVerdict{Status: at.RegSearching, Answered: true, AccessTech: "UMTS"}},
		{"data-only SIM", RegAnswers{EPS: reg(at.RegHome, 7), CS: reg(at.RegDenied, at.AcTUnknown)},
			RegVerdict{Status: at.RegHome, Answered: true, Registered: true, AccessTech: "LTE"}},
		{"roaming on 3G", RegAnswers{PS: reg(at.RegRoaming, 4)},
			RegVerdict{Status: at.RegRoaming, Answered: true, Registered: true, AccessTech: "HSPA"}},
		{"denied", RegAnswers{EPS: reg(at.RegDenied, at.AcTUnknown), PS: reg(at.RegDenied, at.AcTUnknown)},
			RegVerdict{Status: at.RegDenied, Answered: true, Denied: true}},
		{"no answers", RegAnswers{}, RegVerdict{Status: regNoAnswer}},
	} {
		if got := JudgeRegistration(tc.a); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
