package dialseq

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/zdial/zdial/at"
)

// query is one command of a batch. prefix is the information line it
// answers with ("+CPIN"), "" for a command that answers only OK, or
// imsiAnswer for +CIMI, whose answer is bare digits.
type query struct {
	cmd    string
	prefix string
}

// answer is one query's share of a batch's reply: its information lines
// and, if the modem refused it, the modem's error (modemSaid is true of it).
type answer struct {
	lines []string
	err   error
}

// batch runs qs in order, as few command lines as the modem allows (see
// at.Join), and returns one answer per query. The error is only what ends
// the dial: the line failing, a timeout, ctx.
//
// A line the modem refuses (ERROR or +CME ERROR) is read as V.250 says it
// ran: every command up to the failing one answered, the failing one gave
// the error, the rest did not run. When the queries before the failing one
// have information lines, their presence names it: it gets the error, and
// the rest go on as a batch again (so a 3G stick's ERROR to +CEREG? costs
// nothing more). When nothing names it, the commands go one per line; if
// each then works, it was the line the modem refused, not a command: the
// modem takes one command per line, and that is remembered (quirks.go).
func (d *dialRun) batch(ctx context.Context, qs []query) ([]answer, error) {
	ans := make([]answer, len(qs))
	// Commands that cannot share a line (ATZ in an init string) go alone,
	// in order; the groups between them are batched.
	start := 0
	for i := 0; i <= len(qs); i++ {
		if i < len(qs) && at.Joinable(qs[i].cmd) {
			continue
		}
		if err := d.batchGroup(ctx, qs[start:i], ans[start:i]); err != nil {
			return ans, err
		}
		if i < len(qs) {
			if err := d.singles(ctx, qs[i:i+1], ans[i:i+1]); err != nil {
				return ans, err
			}
		}
		start = i + 1
	}
	return ans, nil
}

// batchGroup runs joinable qs, filling ans (of the same length).
func (d *dialRun) batchGroup(ctx context.Context, qs []query, ans []answer) error {
	if len(qs) <= 1 || d.quirks.NoConcat {
		return d.singles(ctx, qs, ans)
	}
	cmds := make([]string, len(qs))
	for i, q := range qs {
		cmds[i] = q.cmd
	}
	line, err := at.Join(cmds...)
	if err != nil {
		return d.singles(ctx, qs, ans)
	}
	lines, err := d.cmd(ctx, line)
	if err != nil && !modemSaid(err) {
		return err
	}
	distribute(lines, qs, ans)
	if err == nil {
		return nil
	}
	failed := 0
	for failed < len(qs) && qs[failed].prefix != "" && ans[failed].lines != nil {
		failed++
	}
	if failed > 0 && failed < len(qs) {
		ans[failed] = answer{err: err}
		return d.batchGroup(ctx, qs[failed+1:], ans[failed+1:])
	}
	clear(ans)
	if err := d.singles(ctx, qs, ans); err != nil {
		return err
	}
	if !slices.ContainsFunc(ans, func(a answer) bool { return a.err != nil }) {
		d.learn(func(q *modemQuirks) bool {
			was := q.NoConcat
			q.NoConcat = true
			return !was
		})
	}
	return nil
}

// singles runs qs one per line.
func (d *dialRun) singles(ctx context.Context, qs []query, ans []answer) error {
	for i, q := range qs {
		lines, err := d.cmd(ctx, q.cmd)
		if err != nil && !modemSaid(err) {
			return err
		}
		ans[i] = answer{lines: lines, err: err}
	}
	return nil
}

// distribute hands each information line of a batch to the query whose
// prefix it carries; lines of no query's (an ATI in an init string) are
// dropped, as they were when each command had its own line.
func distribute(lines []string, qs []query, ans []answer) {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		for i, q := range qs {
			if q.prefix == imsiAnswer {
				if isIMSI(t) && ans[i].lines == nil {
					ans[i].lines = []string{t}
					break
				}
				continue
			}
			if q.prefix != "" && len(t) > len(q.prefix) && strings.EqualFold(t[:len(q.prefix)], q.prefix) && t[len(q.prefix)] == ':' {
				ans[i].lines = append(ans[i].lines, l)
				break
			}
		}
	}
}

// learn applies change to what is known about the modem and, if it
// changed anything, records it (quirks.go). A failed write is noted in the
// transcript's log only: it costs the next dial a round trip, no more.
func (d *dialRun) learn(change func(*modemQuirks) bool) {
	if !change(&d.quirks) {
		return
	}
	_ = d.store.store(d.quirks)
}

// unsupportedQuery reports an answer meaning the modem lacks the command:
// a plain ERROR, +CME ERROR: 4 (operation not supported), or an answer the
// parsers cannot read. Other +CME errors (SIM busy, no network service)
// may pass: the query is asked again next time.
func unsupportedQuery(err error) bool {
	if !modemSaid(err) && !isParseErr(err) {
		return false
	}
	var cme *at.CMEError
	return !errors.As(err, &cme) || errors.Is(err, at.ErrNotSupported)
}

// imsiAnswer marks the query whose answer is an IMSI: a line of digits
// with no prefix (27.007 +CIMI).
const imsiAnswer = "(imsi)"

// isIMSI reports a line that can be an IMSI: 6 to 15 digits.
func isIMSI(s string) bool {
	if len(s) < 6 || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
