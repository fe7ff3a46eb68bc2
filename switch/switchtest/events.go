package switchtest

import (
	"context"

	modeswitch "github.com/zdial/zdial/switch"
)

// Events is a modeswitch.Events whose events a test sends by hand. Every
// Watch returns the same channel; the test closes it (or cancels ctx) when
// done. make(Events) that nobody sends on is a quiet bus.
type Events chan modeswitch.Event

// Watch returns the channel itself.
func (c Events) Watch(ctx context.Context) (<-chan modeswitch.Event, error) { return c, nil }
