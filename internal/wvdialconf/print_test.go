package wvdialconf

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// sprintAll prints v every way a careless caller might.
func sprintAll(v any) string {
	var b strings.Builder
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		fmt.Fprintf(&b, f+"\n", v)
	}
	j, _ := json.Marshal(v)
	b.Write(j)
	slog.New(slog.NewTextHandler(&b, nil)).Info("result", "r", v)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("result", "r", v)
	return b.String()
}
