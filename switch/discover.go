package modeswitch

import (
	"context"
	"time"
)

// DiscoverOptions are the roots and seams of Discover.
type DiscoverOptions struct {
	Prober       Prober
	Cache        *PortCache    // nil: no cache
	Reprobe      bool          // ignore the cache (its port failed) and probe again
	LockDir      string        // UUCP lock directory, "/var/lock"; "" skips the lock check
	ProcRoot     string        // "/proc", to name a lock's holder
	ProbeTimeout time.Duration // per port; 0 means DefaultProbeTimeout
}

// Discover finds d's PPP port: from the cache when it has an entry and that
// interface still has a tty, otherwise by ChoosePort, storing the answer.
// Ports held by another program (UUCP lock with a live PID) are not probed;
// if the chosen port is held, the error is a *PortBusyError naming the holder.
func (h *Host) Discover(ctx context.Context, db *DB, d Device, opt DiscoverOptions) (Choice, error) {
	ports := h.Ports(db, d)
	sortPorts(ports)
	holders := map[string]*Holder{}
	if opt.LockDir != "" {
		for _, p := range ports {
			hd, err := FindHolder(opt.LockDir, opt.ProcRoot, p.Name)
			if err != nil {
				return Choice{}, err
			}
			if hd != nil && hd.Name != "" { // stale locks do not hold anything
				holders[p.Name] = hd
			}
		}
	}
	busy := func(c Choice) (Choice, error) {
		if hd := holders[c.Port.Name]; hd != nil {
			return c, PortBusy(d, c.Port.Name, *hd)
		}
		return c, nil
	}

	if opt.Cache != nil && opt.Reprobe {
		if err := opt.Cache.Forget(d); err != nil {
			return Choice{}, err
		}
	}
	if opt.Cache != nil && !opt.Reprobe {
		iface, ok, err := opt.Cache.Load(d)
		if err != nil {
			return Choice{}, err
		}
		for _, p := range ports {
			if ok && p.Interface == iface && p.Role.Probeable() {
				return busy(Choice{Port: p, Ports: ports, Reason: "cache", FromCache: true})
			}
		}
	}

	probe := opt.Prober
	var held []Port
	var free []Port
	for _, p := range ports {
		if holders[p.Name] != nil {
			held = append(held, p)
			continue
		}
		free = append(free, p)
	}
	c, err := ChoosePort(ctx, free, probe, opt.ProbeTimeout)
	c.Ports = append(c.Ports, held...)
	sortPorts(c.Ports)
	if err != nil {
		for _, p := range held { // the database's PPP port is held: say by whom
			if p.Role == RolePPP {
				return busy(Choice{Port: p, Ports: c.Ports})
			}
		}
		return c, err
	}
	if opt.Cache != nil {
		if err := opt.Cache.Store(d, c.Port, c.Reason); err != nil {
			return c, err
		}
	}
	return c, nil
}
