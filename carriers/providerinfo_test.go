package carriers

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func readTestdata(t testing.TB, name string) (*Database, ProviderInfoStats) {
	t.Helper()
	db, st, err := LoadProviderInfo(os.DirFS("testdata/providerinfo"), name)
	if err != nil {
		t.Fatal(err)
	}
	return db, st
}

func TestProviderInfoBasic(t *testing.T) {
	db, st := readTestdata(t, "basic.xml")
	// 8 providers: 3, Example MVNO, Example Wireless, Example CDMA,
	// Example Net, Only MMS, a nameless one, No Networks (loaded, by
	// name only: its one network-id is malformed). The ia APN is not
	// loaded, and not an error.
	want := ProviderInfoStats{Countries: 3, Providers: 8, APNs: 12, Carriers: 5, Loaded: 8, CDMAOnly: 1, NoAPN: 1}
	got := st
	got.Skipped = nil
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}
	var whys []string
	for _, s := range st.Skipped {
		if s.Line < 1 || s.Col < 1 {
			t.Errorf("skip without a position: %v", s)
		}
		whys = append(whys, s.What+": "+s.Why)
	}
	for _, w := range []string{
		`provider "Example CDMA" (us): no GSM networks (CDMA only)`,
		`apn "bad\"apn" (Example Net, xx)`,
		`apn "quoted.example" (Example Net, xx): apn quoted.example: password`,
		`provider "Only MMS" (xx): no usable internet APN`,
		`provider "" (xx): no usable <name>`,
		`provider "No Networks" (xx): network-id mcc="9" mnc="1234"`,
	} {
		if !strings.Contains(strings.Join(whys, "\n"), w) {
			t.Errorf("skips lack %q:\n%s", w, strings.Join(whys, "\n"))
		}
	}
	for _, s := range st.Skipped {
		if strings.Contains(s.String(), "064") {
			t.Errorf("a password reached a skip message: %v", s)
		}
	}

	three, err := db.Lookup("3-gb")
	if err != nil {
		t.Fatal(err)
	}
	wantThree := Carrier{
		Name: "3-gb", Aliases: []string{"3", "3-gb", "three", "three-gb", "3-uk"},
		Display: "3", Country: "GB", MCCMNC: []string{"23420"}, Source: SourceProviderInfo,
		APNs: []APN{
			{Name: "3internet", Usage: UsageInternet, Label: "Internet", Plan: "postpaid"},
			{Name: "three.co.uk", Usage: UsageMMS},
		},
		APN: "3internet", primary: true,
	}
	if d := cmp.Diff(wantThree, three, cmp.AllowUnexported(Carrier{})); d != "" {
		t.Errorf("3-gb (-want +got):\n%s", d)
	}

	mvno, err := db.Lookup("example-mvno")
	if err != nil {
		t.Fatal(err)
	}
	if in, _ := mvno.Internet(); in != (APN{Name: "mvno.example", Usage: UsageInternet, Auth: AuthCHAP, User: "web", Password: "web"}) {
		t.Errorf("example-mvno internet APN = %+v", in)
	}
	if mvno.Username != "web" || mvno.Password != "web" {
		t.Errorf("example-mvno top-level credentials = %q/%q", mvno.Username, mvno.Password)
	}

	us, err := db.Resolve("Example Wireless", Hint{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"310260", "310026"}, us.MCCMNC); d != "" {
		t.Errorf("3-digit MNCs (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]APN{
		{Name: "fast.example.com", Usage: UsageInternet, Label: "Data"}, // two plans: either
		{Name: "wap.example.com", Usage: UsageWAP},
	}, us.APNs); d != "" {
		t.Errorf("APNs without usage, with two plans, wap and ia (-want +got):\n%s", d)
	}

	net, err := db.Lookup("example-net-xx")
	if err != nil {
		t.Fatal(err)
	}
	if net.Display != "Example Net" || net.APN != "spaced.example" || net.APNs[0].Auth != AuthPAP {
		t.Errorf("example-net-xx = %+v: want the untagged name, a trimmed APN and pap", net)
	}
}

func TestProviderInfoMinimal(t *testing.T) {
	db, st := readTestdata(t, "minimal.xml")
	if st.Carriers != 1 || len(st.Skipped) != 0 {
		t.Fatalf("stats = %+v", st)
	}
	c, err := db.Resolve("three", Hint{Country: "ie"})
	if err != nil || c.Name != "3-ie" || c.APN != "3ireland.ie" {
		t.Errorf("three in IE = %+v, %v", c, err)
	}
}

func TestProviderInfoEmpty(t *testing.T) {
	db, st := readTestdata(t, "empty.xml")
	if db.Len() != 0 || st.Countries != 0 {
		t.Errorf("empty file: %d carriers, %+v", db.Len(), st)
	}
}

func TestProviderInfoMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, in  string
		line, col int
		want      string
	}{
		{"empty input", "", 1, 1, "no <serviceproviders>"},
		{"wrong root", "<?xml version=\"1.0\"?>\n<providers/>", 2, 13, "root element <providers>"},
		{"truncated", "<serviceproviders>\n<country code=\"gb\">\n<provider><name>3", 3, 18, "unexpected EOF"},
		{"mismatched", "<serviceproviders>\n<country code=\"gb\">\n  <provider><name>3</nme></provider>", 3, 26, "element <name> closed by </nme>"},
		{"bad attribute", "<serviceproviders>\n<country code=gb>", 2, 16, "unquoted or missing attribute value"},
		{"outside provider", "<serviceproviders>\n<country code=\"gb\"></provider>", 2, 31, "element <country> closed by </provider>"},
		{"latin-1", "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><serviceproviders/>", 1, 44, "iso-8859-1"},
		{"not xml", "\x00\x01", 1, 3, "illegal character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadProviderInfo(strings.NewReader(tc.in), 0)
			var xe *XMLError
			if !errors.As(err, &xe) {
				t.Fatalf("err = %v, want *XMLError", err)
			}
			if xe.Line != tc.line || xe.Col != tc.col || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v (at %d:%d), want %q at %d:%d", err, xe.Line, xe.Col, tc.want, tc.line, tc.col)
			}
		})
	}
}

func TestProviderInfoTooLarge(t *testing.T) {
	data, err := os.ReadFile("testdata/providerinfo/basic.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = ReadProviderInfo(strings.NewReader(string(data)), int64(len(data))-1)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("limit one byte short: err = %v, want ErrTooLarge", err)
	}
	var xe *XMLError
	if !errors.As(err, &xe) || xe.Line < 2 {
		t.Errorf("err = %v: want the position reached", err)
	}
	if _, _, err := ReadProviderInfo(strings.NewReader(string(data)), int64(len(data))); err != nil {
		t.Errorf("limit exactly the size: %v", err)
	}
}

// endless is a stream that never ends: only the limit stops the reader.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	if e.n == 0 {
		e.n++
		return copy(p, "<serviceproviders><!-- "), nil
	}
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestProviderInfoEndlessStream(t *testing.T) {
	_, _, err := ReadProviderInfo(&endless{}, 1<<20)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestLoad(t *testing.T) {
	minimal, err := os.ReadFile("testdata/providerinfo/basic.xml")
	if err != nil {
		t.Fatal(err)
	}
	db, _, err := Load(fstest.MapFS{})
	if err != nil || db.Len() != Builtin().Len() {
		t.Errorf("no provider file: %d carriers, %v; want the built-in ones, no error", db.Len(), err)
	}
	db, st, err := Load(fstest.MapFS{ProviderInfoPath: {Data: minimal}})
	if err != nil {
		t.Fatal(err)
	}
	// 3-gb is Three UK, which we know: only Example MVNO, Example
	// Wireless and Example Net are added.
	if db.Len() != Builtin().Len()+st.Carriers-1 {
		t.Errorf("merged: %d carriers, want %d + %d - 1", db.Len(), Builtin().Len(), st.Carriers)
	}
	db, _, err = Load(fstest.MapFS{ProviderInfoPath: {Data: []byte("<serviceproviders>")}})
	if !errors.As(err, new(*XMLError)) || db.Len() != Builtin().Len() {
		t.Errorf("broken provider file: %d carriers, %v; want the built-in ones and an *XMLError", db.Len(), err)
	}
	_, _, err = LoadProviderInfo(fstest.MapFS{}, ProviderInfoPath)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadProviderInfo of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestMergeOursWin(t *testing.T) {
	pi, _ := readTestdata(t, "basic.xml")
	db := Builtin().Merge(pi)
	c, err := db.Lookup("three")
	if err != nil || c.Name != "three-uk" || c.APN != "three.co.uk" {
		t.Errorf("three after merge = %s %s, %v; want three-uk three.co.uk", c.Name, c.APN, err)
	}
	if _, err := db.Lookup("3-gb"); !errors.Is(err, ErrUnknown) {
		t.Errorf("3-gb is Three UK, which we know: want it left out, got %v", err)
	}
	got := names(db.ByMCCMNC("23420"))
	if d := cmp.Diff([]string{"three-uk", "example-mvno-gb"}, got); d != "" {
		t.Errorf("ByMCCMNC(23420) (-want +got):\n%s", d)
	}
	s, err := db.FromIMSI("234201234567890")
	if err != nil || s.Carrier.Name != "three-uk" {
		t.Errorf("FromIMSI on 23420 = %v, %v; want ours", s.Carrier.Name, err)
	}
	us, err := db.Resolve("example-wireless", Hint{})
	if err != nil || us.Source != SourceProviderInfo {
		t.Errorf("imported carrier = %+v, %v", us, err)
	}
	if got := names(db.ByCountry("us")); !strings.Contains(strings.Join(got, ","), "example-wireless-us") {
		t.Errorf("ByCountry(us) = %v", got)
	}
	// Neither input changed.
	if _, err := pi.Lookup("3-gb"); err != nil {
		t.Errorf("Merge changed its argument: %v", err)
	}
	if Builtin().Len() == db.Len() {
		t.Error("nothing merged")
	}
}

func names(cs []Carrier) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

// TestProviderInfoDebian reads the real file Debian's
// mobile-broadband-provider-info installs (CI installs it).
func TestProviderInfoDebian(t *testing.T) {
	root := os.DirFS("/")
	pi, st, err := LoadProviderInfo(root, ProviderInfoPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("mobile-broadband-provider-info is not installed")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d countries, %d providers, %d APNs; loaded %d carriers with %d APNs; %d CDMA-only, %d without an internet APN, %d items skipped",
		ProviderInfoPath, st.Countries, st.Providers, st.APNs, st.Carriers, st.Loaded, st.CDMAOnly, st.NoAPN, len(st.Skipped))
	// The 2023 Debian file: 154 countries, 700 providers, 1,304 APNs.
	if st.Countries < 140 || st.Providers < 600 || st.APNs < 1100 {
		t.Errorf("only %d countries, %d providers, %d APNs", st.Countries, st.Providers, st.APNs)
	}
	// Nearly everything loads: CDMA-only providers are the main exception.
	if st.Carriers+st.CDMAOnly+st.NoAPN+5 < st.Providers || st.Loaded < st.APNs*9/10 {
		t.Errorf("loaded only %d carriers, %d APNs; skipped: %v", st.Carriers, st.Loaded, st.Skipped)
	}

	// By MCC/MNC: 234/20 is 3 (Three UK) with its APNs.
	var three *Carrier
	for _, c := range pi.ByMCCMNC("23420") {
		if c.Display == "3" {
			three = &c
		}
	}
	if three == nil {
		t.Fatalf("no provider 3 on 23420: %v", names(pi.ByMCCMNC("23420")))
	}
	var apns []string
	for _, a := range three.APNs {
		apns = append(apns, a.Name)
	}
	if three.Country != "GB" || !strings.Contains(strings.Join(apns, " "), "three.co.uk") {
		t.Errorf("234/20 = %s in %s with APNs %v; want GB and three.co.uk", three.Name, three.Country, apns)
	}
	// By name and country, in the imported database alone.
	c, err := pi.Resolve("three", Hint{Country: "GB"})
	if err != nil || c.Name != three.Name {
		t.Errorf("three in GB = %s, %v; want %s", c.Name, err, three.Name)
	}
	c, err = pi.Resolve("vodafone", Hint{Country: "DE"})
	if err != nil || c.Country != "DE" || !strings.Contains(c.APN, "vodafone") {
		t.Errorf("vodafone in DE = %+v, %v", c, err)
	}
	if n := len(pi.ByCountry("DE")); n < 5 {
		t.Errorf("only %d carriers in DE", n)
	}
	// Merged beneath ours: ours win, the rest of the world is reachable.
	db := Builtin().Merge(pi)
	t.Logf("merged: %d carriers (%d ours)", db.Len(), Builtin().Len())
	s, err := db.FromIMSI("234201234567890")
	if err != nil || s.Carrier.Name != "three-uk" || s.APN.Name != "three.co.uk" {
		t.Errorf("FromIMSI 23420… = %+v, %v; want three-uk, three.co.uk", s, err)
	}
	if _, err := db.Lookup(three.Name); !errors.Is(err, ErrUnknown) {
		t.Errorf("%s should be shadowed by three-uk, got %v", three.Name, err)
	}
	c, err = db.Resolve("vodafone", Hint{MCCMNC: "20205"})
	if err != nil || c.Country != "GR" {
		t.Errorf("vodafone on 202/05 = %+v, %v; want Vodafone Greece", c, err)
	}
	var ae *AmbiguousError
	if _, err := db.Lookup("vodafone"); !errors.As(err, &ae) || len(ae.Candidates) < 15 {
		t.Errorf("vodafone with nothing to narrow it: %v", err)
	}
	if s, err := db.FromIMSI("262021234567890"); err != nil || s.Carrier.Name != "vodafone-de" {
		t.Errorf("FromIMSI 26202… = %+v, %v", s.Carrier.Name, err)
	}
}

// BenchmarkProviderInfoRead: the XML reader alone over the real file.
func BenchmarkProviderInfoRead(b *testing.B) {
	data, err := os.ReadFile("/" + ProviderInfoPath)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ReadProviderInfo(strings.NewReader(string(data)), 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProviderInfoLoad: what a zdial run pays, the built-in database
// parsed and the real file read and merged beneath it.
func BenchmarkProviderInfoLoad(b *testing.B) {
	data, err := os.ReadFile("/" + ProviderInfoPath)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pi, _, err := ReadProviderInfo(strings.NewReader(string(data)), 0)
		if err != nil {
			b.Fatal(err)
		}
		_ = Builtin().Merge(pi)
	}
}

func benchDB(b *testing.B) *Database {
	pi, _, err := LoadProviderInfo(os.DirFS("/"), ProviderInfoPath)
	if err != nil {
		b.Skip(err)
	}
	return Builtin().Merge(pi)
}

func BenchmarkResolve(b *testing.B) {
	db := benchDB(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Resolve("vodafone", Hint{MCCMNC: "26202"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromIMSI(b *testing.B) {
	db := benchDB(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.FromIMSI("234201234567890"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLoadProviderInfoNamesFile(t *testing.T) {
	_, _, err := LoadProviderInfo(fstest.MapFS{"x/sp.xml": {Data: []byte("<serviceproviders>\n<country>")}}, "x/sp.xml")
	if err == nil || !strings.HasPrefix(err.Error(), "carriers: x/sp.xml:2:10: ") {
		t.Errorf("err = %v, want it to start with carriers: x/sp.xml:2:10", err)
	}
}

// TestBuiltinAgreesWithProviderInfo: where mobile-broadband-provider-info
// knows the same carrier (same country, a network code in common, the same
// name), ours must dial one of its internet APNs, or say below why not.
// Ours win in the merge, so a wrong first APN here is what zdial dials —
// as vodafone-es once dialled a phone's WAP APN (airtelwap.es) and
// claro-pe an APN that Claro Perú's own modem terms do not name (ba.amx).
func TestBuiltinAgreesWithProviderInfo(t *testing.T) {
	pi, _, err := LoadProviderInfo(os.DirFS("/"), ProviderInfoPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("mobile-broadband-provider-info is not installed")
	}
	if err != nil {
		t.Fatal(err)
	}
	// Ours differ on purpose; each entry must still differ (a fixed
	// provider-info drops out of this list).
	differs := map[string]string{
		"windtre-it": "internet.it is WINDTRE's APN since Wind and 3 Italia merged; provider-info has Wind's internet.wind",
		"orange-es":  "orangeworld, Orange España's long-published APN; provider-info lists only internet",
		"tele2-se":   "4g.tele2.se, Tele2's APN for current subscriptions; provider-info lists the older internet.tele2.se",
		"orange-be":  "mworld.be, the APN of Orange Belgium (ex-Mobistar); provider-info lists orangeinternet",
		"tim-br":     "timbrasil.br, the APN widely documented for TIM Brasil; provider-info files it as MMS and lists tim.br",
	}
	checked := 0
	for _, c := range Builtin().All() {
		ours, ok := c.Internet()
		if !ok {
			continue
		}
		names := map[string]bool{normName(c.Display): true, c.Name: true,
			strings.TrimSuffix(c.Name, "-"+strings.ToLower(c.Country)): true}
		for _, a := range c.Aliases {
			names[normName(a)] = true
		}
		seen := map[string]bool{}
		for _, m := range c.MCCMNC {
			for _, p := range pi.ByMCCMNC(m) {
				if p.Country != c.Country || !names[normName(p.Display)] || seen[p.Name] {
					continue
				}
				seen[p.Name] = true
				var theirs []string
				for _, a := range p.APNs {
					if a.Usage == "" || a.Usage == "internet" {
						theirs = append(theirs, a.Name)
					}
				}
				if len(theirs) == 0 {
					continue
				}
				checked++
				agree := slices.ContainsFunc(theirs, func(n string) bool { return strings.EqualFold(n, ours.Name) })
				why, known := differs[c.Name]
				switch {
				case !agree && !known:
					t.Errorf("%s dials %s; provider-info's %s (%s) has internet APNs %v: fix ours, or say in differs why ours is right",
						c.Name, ours.Name, p.Display, m, theirs)
				case agree && known:
					t.Errorf("%s now agrees with provider-info (%s): drop it from differs", c.Name, ours.Name)
				case known:
					t.Logf("%s dials %s, provider-info %v: %s", c.Name, ours.Name, theirs, why)
				}
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d of our carriers matched one in provider-info: the matching is broken", checked)
	}
}
