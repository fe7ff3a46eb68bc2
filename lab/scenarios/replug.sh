# replug: the link is up under `zdial up`; the dongle drops off the bus (its firmware restarts:
# unbound from the UDC for 2 s) and comes back. zdial's pppd loses its tty and exits, the
# supervisor redials with back-off while /dev/ttyUSB0 is missing, and the link is back.
need_zdial
modem_dongle
t_up=$(now)
zdial up $ZDIAL_FLAGS three || fail "zdial up failed: $(tail -n 5 /run/zdial/three.log | tr '\n' ' ')"
has_addr ppp0 10.64.0.2 || fail "zdial up returned 0 but ppp0 lacks 10.64.0.2"
timing up-returns "$t_up"
sup=$(record_field pid | head -n 1)
old=$(host_pppd)

udc=$CONFIGFS/usb_gadget/zte/UDC
t_unplug=$(now)
echo "" >"$udc" || fail "cannot unplug the gadget"
wait_until 10 missing /dev/ttyUSB0 || fail "/dev/ttyUSB0 still there after the unplug"
wait_until 15 all_gone "$old" || fail "zdial's pppd $old survived the unplug"
step "unplugged; pppd gone after $(since "$t_unplug") s"
usleep 2000000
t_plug=$(now)
echo dummy_udc.0 >"$udc" || fail "cannot plug the gadget back"
wait_until 10 exists /dev/ttyUSB0 || fail "no /dev/ttyUSB0 after the replug"
timing plug-to-ttyUSB "$t_plug"
wait_until 60 relinked "$old" || fail "the link did not come back (supervisor log: $(tail -n 8 /run/zdial/three.log | tr '\n' ' '))"
timing plug-to-link-up "$t_plug"
timing unplug-to-link-up "$t_unplug"
[ "$(record_field pid | head -n 1)" = "$sup" ] || fail "a different supervisor: the first did not survive the replug"
ping -c 1 -W 5 10.64.0.1 >/run/log/ping 2>&1 || fail "ping did not cross the restored link"
zdial down --run-dir /run/zdial three || fail "zdial down failed"
