package carriers

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadProviderInfo: whatever the bytes, the reader returns either a
// positioned *XMLError or a database whose every entry is safe to dial
// with; it never panics.
func FuzzReadProviderInfo(f *testing.F) {
	files, _ := filepath.Glob("testdata/providerinfo/*.xml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "<serviceproviders/>", "<serviceproviders><country code=\"gb\"><provider><name>a</name><gsm>",
		"<serviceproviders><provider><name>x</name><gsm><network-id mcc=\"234\" mnc=\"20\"/><apn value=\"a\"/></gsm></provider></serviceproviders>",
		"<serviceproviders><country code=\"de\"><provider primary=\"true\"><name xml:lang=\"de\">ä</name><gsm><apn value=\"a b\"><usage type=\"mms\"/></apn></gsm></provider></country></serviceproviders>",
		"<!DOCTYPE x [<!ENTITY a \"b\">]><serviceproviders>&a;</serviceproviders>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		db, st, err := ReadProviderInfo(strings.NewReader(string(data)), 1<<16)
		if err != nil {
			var xe *XMLError
			if !errors.As(err, &xe) || xe.Line < 1 || xe.Col < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			if db != nil {
				t.Fatalf("a database with an error")
			}
			return
		}
		if st.Carriers != db.Len() || st.Carriers > st.Providers || st.Loaded > st.APNs {
			t.Fatalf("stats %+v for %d carriers", st, db.Len())
		}
		for _, c := range db.All() {
			if !isCountry(c.Country) || c.Name == "" || c.Source != SourceProviderInfo {
				t.Fatalf("carrier %+v", c)
			}
			for _, n := range c.MCCMNC {
				if !isMCCMNC(n) {
					t.Fatalf("%s: mccmnc %q", c.Name, n)
				}
			}
			in, ok := c.Internet()
			if !ok || in.Name != c.APN {
				t.Fatalf("%s: internet APN %+v, APN %q", c.Name, in, c.APN)
			}
			for _, a := range c.APNs {
				if err := a.normalize(); err != nil { // what reaches the modem passed the same checks as ours
					t.Fatalf("%s: %v", c.Name, err)
				}
			}
			if got, err := db.Lookup(c.Name); err != nil || got.Name != c.Name {
				t.Fatalf("Lookup(%q) = %q, %v", c.Name, got.Name, err)
			}
		}
	})
}
