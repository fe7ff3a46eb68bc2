package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/printable"
)

// runCarriers is `zdial carriers [QUERY] [--country CC] [--mccmnc N]
// [--json]`: search the carrier database, ours and
// mobile-broadband-provider-info's, marking where each entry came from.
func runCarriers(_ context.Context, args []string, io stdio) int {
	fs := newFlagSet("carriers", io.err)
	var (
		p       paths
		country = fs.String("country", "", "only carriers of this country (ISO 3166 code: GB, DE, IT…)")
		mccmnc  = fs.String("mccmnc", "", "only carriers on this network (MCC+MNC, the first 5 or 6 digits of the SIM's IMSI)")
		asJSON  = fs.Bool("json", false, "one JSON object per carrier")
	)
	p.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial carriers [QUERY] [--country CC] [--mccmnc N] [--json]")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		fs.Usage()
		return exitUsage
	}
	q := carriers.Query{Country: *country, MCCMNC: *mccmnc}
	if len(pos) == 1 {
		q.Text = pos[0]
	}
	found := loadCarriers(&p, io).Search(q)
	if *asJSON {
		enc := json.NewEncoder(io.out)
		for _, c := range found {
			enc.Encode(c)
		}
	} else {
		printCarriers(io, found)
	}
	if len(found) == 0 {
		fmt.Fprintln(io.err, "zdial: no carrier matches; try a shorter QUERY, or --country alone")
		return exitOther
	}
	return exitOK
}

func printCarriers(io stdio, found []carriers.Carrier) {
	tw := tabwriter.NewWriter(io.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCARRIER\tCOUNTRY\tMCCMNC\tINTERNET APN\tSOURCE")
	for _, c := range found {
		apn := "-"
		if a, ok := c.Internet(); ok {
			apn = a.Name
			if a.User != "" {
				apn += " (user " + a.User + ")"
			}
		}
		nets := strings.Join(c.MCCMNC, ",")
		if len(c.MCCMNC) > 3 {
			nets = strings.Join(c.MCCMNC[:3], ",") + fmt.Sprintf(",… (%d)", len(c.MCCMNC))
		}
		src := "zdial"
		if c.Source != carriers.SourceZdial {
			src = "provider-info"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", printable.Strip(c.Name), printable.Strip(c.Display), c.Country, nets, printable.Strip(apn), src)
	}
	tw.Flush()
	if len(found) > 0 {
		fmt.Fprintln(io.out, "\nDial one with zdial NAME, or use its APN: zdial auto --apn APN. provider-info: "+carriers.SourceProviderInfo+".")
	}
}
