package modemsim

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// +CGDCONT (27.007 §10.1.1): define, list and delete PDP contexts.

const maxCID = 16

var pdpTypes = []string{"IP", "IPV6", "IPV4V6", "PPP"}

func cmdCGDCONT(s *Sim, c command, r *reply) {
	switch c.op {
	case "=?":
		for _, t := range pdpTypes[:3] {
			r.add(fmt.Sprintf(`+CGDCONT: (1-%d),"%s",,,(0-2),(0-4)`, maxCID, t))
		}
	case "?":
		for _, cid := range slices.Sorted(maps.Keys(s.st.pdp)) {
			ctx := s.st.pdp[cid]
			r.add(fmt.Sprintf(`+CGDCONT: %d,"%s","%s","0.0.0.0",0,0`, cid, ctx.typ, ctx.apn))
		}
	case "=":
		p := params(c.args)
		cid, err := strconv.Atoi(firstOr(p, ""))
		if err != nil || cid < 1 || cid > maxCID {
			r.fail()
			return
		}
		if len(p) == 1 {
			delete(s.st.pdp, cid)
			return
		}
		typ := strings.ToUpper(p[1])
		if !slices.Contains(pdpTypes, typ) {
			r.fail()
			return
		}
		apn := ""
		if len(p) > 2 {
			apn = p[2]
		}
		s.st.pdp[cid] = pdpContext{typ: typ, apn: apn}
	default:
		r.fail()
	}
}

func firstOr(p []string, def string) string {
	if len(p) == 0 {
		return def
	}
	return p[0]
}
