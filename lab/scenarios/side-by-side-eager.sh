# side-by-side-eager: side-by-side against an operator that speaks first — its pppd sends LCP
# the moment the call is announced instead of waiting for the dialer (OPERATOR_EAGER=1). A
# dialer whose pppd owns the line before CONNECT (chat under pppd) hears that frame; one that
# starts pppd after CONNECT (zdial, like wvdial) loses it to pppd's TCSAFLUSH at start-up and
# waits for the operator's LCP restart (1 s here, lcp-restart 1). This measures that cost.
OPERATOR_EAGER=1
. /lab/scenarios/side-by-side.sh
