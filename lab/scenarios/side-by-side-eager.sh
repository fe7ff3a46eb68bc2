# side-by-side-eager: side-by-side against an operator that speaks first — its pppd sends LCP
# the moment the call is announced instead of waiting for the dialer (OPERATOR_EAGER=1). pppd
# sets its tty up with TCSAFLUSH when it starts and again after its connect script, so a frame
# that arrives in between is lost. Under chat that is the instant between chat's exit and
# pppd's second set-up; zdial starts pppd after CONNECT, so for zdial it is pppd's whole
# start-up, and the lost frame costs the operator's LCP restart (1 s here, lcp-restart 1; 3 s
# at pppd's default). This measures that cost.
OPERATOR_EAGER=1
. /lab/scenarios/side-by-side.sh
