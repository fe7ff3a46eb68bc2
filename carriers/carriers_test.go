package carriers

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuiltinThree(t *testing.T) {
	c, err := Builtin().Lookup("Three")
	if err != nil {
		t.Fatal(err)
	}
	if c.APN != "three.co.uk" || c.Number != "" || c.Username != "" || c.Name != "three-uk" {
		t.Errorf("three = %+v, want three-uk: APN three.co.uk, no number (the cid's default), no username", c)
	}
}

// TestLegacyNames: the six names zdial knew before keep their meaning.
func TestLegacyNames(t *testing.T) {
	for _, tc := range []struct{ name, apn, user, pass string }{
		{"three", "three.co.uk", "", ""},
		{"three-ie", "3ireland.ie", "", ""},
		{"vodafone-uk", "pp.vodafone.co.uk", "wap", "wap"},
		{"ee", "everywhere", "eesecure", "secure"},
		{"o2-uk", "mobile.o2.co.uk", "o2web", "password"},
		{"giffgaff", "giffgaff.com", "giffgaff", ""},
	} {
		c, err := Builtin().Lookup(tc.name)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if c.APN != tc.apn || c.Username != tc.user || c.Password != tc.pass {
			t.Errorf("%s = %s %s/%s, want %s %s/%s", tc.name, c.APN, c.Username, c.Password, tc.apn, tc.user, tc.pass)
		}
	}
}

// TestBuiltinEntries checks every entry is complete, and that it is
// reachable by its full name, its country and each of its networks.
func TestBuiltinEntries(t *testing.T) {
	db := Builtin()
	countries := map[string]bool{}
	for _, c := range db.All() {
		countries[c.Country] = true
		if c.Display == "" || c.Country == "" || len(c.MCCMNC) == 0 || c.Source != SourceZdial {
			t.Errorf("%s: incomplete: %+v", c.Name, c)
		}
		if in, ok := c.Internet(); !ok || in.Name != c.APN {
			t.Errorf("%s: internet APN %q, top-level APN %q", c.Name, in.Name, c.APN)
		}
		if got, err := db.Lookup(c.Name); err != nil || got.Name != c.Name {
			t.Errorf("Lookup(%s) = %s, %v", c.Name, got.Name, err)
		}
		if !slices.ContainsFunc(db.ByCountry(strings.ToLower(c.Country)), func(o Carrier) bool { return o.Name == c.Name }) {
			t.Errorf("%s: not in ByCountry(%s)", c.Name, c.Country)
		}
		for _, n := range c.MCCMNC {
			if !slices.ContainsFunc(db.ByMCCMNC(n), func(o Carrier) bool { return o.Name == c.Name }) {
				t.Errorf("%s: not in ByMCCMNC(%s)", c.Name, n)
			}
		}
	}
	for _, cc := range []string{"GB", "IE", "DE", "IT", "FR", "ES", "US", "IN", "AT", "SE", "DK", "HK", "BR"} {
		if !countries[cc] {
			t.Errorf("no carrier in %s", cc)
		}
	}
	t.Logf("%d built-in carriers in %d countries", db.Len(), len(countries))
	if db.Len() < 50 {
		t.Errorf("only %d built-in carriers", db.Len())
	}
}

// TestBuiltinNetworksUnique: two of our host networks never claim the same
// MCC/MNC, or the SIM could not choose between them.
func TestBuiltinNetworksUnique(t *testing.T) {
	owner := map[string]string{}
	for _, c := range Builtin().All() {
		if c.MVNO {
			continue
		}
		for _, n := range c.MCCMNC {
			if o, dup := owner[n]; dup {
				t.Errorf("%s claimed by %s and %s", n, o, c.Name)
			}
			owner[n] = c.Name
		}
	}
}

func TestResolve(t *testing.T) {
	db := Builtin()
	for _, tc := range []struct {
		name string
		hint Hint
		want string // full name, or "" for an *AmbiguousError
	}{
		{"three", Hint{}, "three-uk"},
		{"3", Hint{}, "three-uk"},
		{"three", Hint{MCCMNC: "27205"}, "three-ie"},
		{"three", Hint{MCCMNC: "27202"}, "three-ie"},
		{"three", Hint{Country: "at"}, "three-at"},
		{"three", Hint{Country: "SE"}, "three-se"},
		{"three", Hint{MCCMNC: "45403"}, "three-hk"},
		{"three", Hint{MCCMNC: "23415"}, "three-uk"},                // a Vodafone UK SIM: three in its country
		{"three", Hint{MCCMNC: "27205", Country: "GB"}, "three-ie"}, // the SIM before the country
		{"three", Hint{Country: "FR"}, ""},                          // no Three in France
		{"three", Hint{MCCMNC: "20801"}, ""},                        // nor for a French SIM
		{"three", Hint{MCCMNC: "99999"}, "three-uk"},                // a network of no known country says nothing
		{"vodafone", Hint{MCCMNC: "99999"}, ""},
		{"three-ie", Hint{MCCMNC: "23420"}, "three-ie"}, // a full name is what it says
		{"Three UK", Hint{}, "three-uk"},
		{"THREE_IE", Hint{}, "three-ie"},
		{"vodafone", Hint{}, ""},
		{"vodafone", Hint{Country: "de"}, "vodafone-de"},
		{"vodafone", Hint{MCCMNC: "22210"}, "vodafone-it"},
		{"vodafone", Hint{MCCMNC: "40420"}, "vi-in"},
		{"vodafone", Hint{MCCMNC: "23420"}, "vodafone-uk"}, // a Three UK SIM: vodafone in its country
		{"o2", Hint{}, ""},
		{"o2", Hint{MCCMNC: "26203"}, "o2-de"},
		{"o2", Hint{MCCMNC: "23410"}, "o2-uk"},
		{"tim", Hint{}, ""},
		{"tim", Hint{Country: "IT"}, "tim-it"},
		{"tim", Hint{MCCMNC: "72404"}, "tim-br"},
		{"claro", Hint{}, ""},
		{"claro", Hint{MCCMNC: "72405"}, "claro-br"},
		{"claro", Hint{MCCMNC: "732101"}, "claro-co"},
		{"t-mobile", Hint{MCCMNC: "310260"}, "t-mobile-us"},
		{"t-mobile", Hint{Country: "de"}, "telekom-de"},
		{"orange", Hint{Country: "ES"}, "orange-es"},
		{"jio", Hint{}, "jio-in"},
		{"reliance", Hint{}, "jio-in"},
		{"at&t", Hint{}, "att-us"},
		{"giffgaff", Hint{MCCMNC: "27205"}, "giffgaff"}, // one carrier by that name: the SIM does not matter
	} {
		c, err := db.Resolve(tc.name, tc.hint)
		if tc.want == "" {
			var ae *AmbiguousError
			if !errors.As(err, &ae) || !errors.Is(err, ErrAmbiguous) || len(ae.Candidates) < 2 {
				t.Errorf("Resolve(%q, %+v) = %s, %v; want *AmbiguousError", tc.name, tc.hint, c.Name, err)
			}
			continue
		}
		if err != nil || c.Name != tc.want {
			t.Errorf("Resolve(%q, %+v) = %s, %v; want %s", tc.name, tc.hint, c.Name, err, tc.want)
		}
	}
}

func TestAmbiguousListsCandidates(t *testing.T) {
	_, err := Builtin().Lookup("three")
	if err != nil {
		t.Fatalf("three has a default: %v", err)
	}
	_, err = Builtin().Resolve("three", Hint{Country: "fr"})
	var ae *AmbiguousError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	want := []Candidate{
		{"three-at", "Drei Austria", "AT"}, {"three-dk", "3 Denmark", "DK"}, {"three-hk", "3 Hong Kong", "HK"},
		{"three-id", "3 Indonesia", "ID"}, {"three-ie", "Three Ireland", "IE"}, {"three-se", "Tre Sweden", "SE"},
		{"three-uk", "Three UK", "GB"},
	}
	if d := cmp.Diff(want, ae.Candidates); d != "" {
		t.Errorf("candidates (-want +got):\n%s", d)
	}
	for _, s := range []string{`"three" is ambiguous even in FR`, "three-uk (Three UK, GB)", "three-ie (Three Ireland, IE)"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
	_, err = Builtin().Lookup("vodafone")
	if err == nil || !strings.Contains(err.Error(), "vodafone-uk (Vodafone UK, GB)") || !strings.Contains(err.Error(), "or set a country") {
		t.Errorf("vodafone: %v", err)
	}
}

func TestUnknownListsKnown(t *testing.T) {
	_, err := Builtin().Lookup("thre")
	var ue *UnknownError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnknown) {
		t.Fatalf("err = %v, want *UnknownError", err)
	}
	if !strings.Contains(err.Error(), "three-uk") || len(ue.Known) < 2 {
		t.Errorf("error %q should list the known carriers", err)
	}
}

func TestByMCCMNC(t *testing.T) {
	got := names(Builtin().ByMCCMNC("23410"))
	if d := cmp.Diff([]string{"giffgaff", "o2-uk", "tesco-mobile-uk"}, got); d != "" {
		t.Errorf("ByMCCMNC(23410) (-want +got):\n%s", d)
	}
	if got := Builtin().ByMCCMNC("99999"); len(got) != 0 {
		t.Errorf("ByMCCMNC(99999) = %v", names(got))
	}
}

func TestByMCCMNCIsACopy(t *testing.T) {
	db := Builtin()
	c := db.ByMCCMNC("23420")[0]
	c.MCCMNC[0] = "00000"
	c.APNs[0].Name = "changed"
	if again := db.ByMCCMNC("23420"); len(again) == 0 || again[0].APNs[0].Name != "three.co.uk" {
		t.Error("changing a returned carrier changed the database")
	}
}

func TestParseShortForm(t *testing.T) {
	db, err := Parse(strings.NewReader("x:\n  display: X\n  country: gb\n  mccmnc: [\"99901\"]\n  apn: a.b\n  username: u\n  password: p\n  pdp_type: ipv4v6\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := db.Lookup("x")
	want := []APN{{Name: "a.b", Usage: UsageInternet, PDPType: "IPV4V6", User: "u", Password: "p"}}
	if d := cmp.Diff(want, c.APNs); d != "" || c.Country != "GB" || c.PDPType != "IPV4V6" {
		t.Errorf("short form: country %q, pdp %q, APNs (-want +got):\n%s", c.Country, c.PDPType, d)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"x:\n  apn: a\n  colour: red\n", "3:3: x.colour: unknown field (known: aliases, apn,"},
		{"x:\n  display: X\n", "line 1: x: no apn"},
		{"x:\n  apns:\n    - {apn: m, usage: mms}\n", "no apn (none with usage internet)"},
		{"x:\n  apn: a\n  apns: [{apn: b}]\n", "both apn and apns"},
		{"x:\n  username: u\n", "without apn"},
		{"x:\n  apn: 'a\"b'\n", `apn "a\"b": want letters`},
		{"x:\n  apns: [{apn: a, usage: video}]\n", `usage "video"`},
		{"x:\n  apns: [{apn: a, pdp_type: ppp}]\n", `pdp_type "PPP"`},
		{"x:\n  apns: [{apn: a, auth: mschap}]\n", `auth "mschap"`},
		{"x:\n  apns: [{apn: a, plan: free}]\n", `plan "free"`},
		{"x:\n  apns: [{apn: a, username: 'a b'}]\n", "username: want printable ASCII"},
		{"x:\n  apns: [{apn: a, password: \"p\\\"w\"}]\n", "password: want printable ASCII"},
		{"x:\n  apn: a\n  country: GBR\n", `country "GBR"`},
		{"x:\n  apn: a\n  mccmnc: ['2342']\n", `mccmnc "2342"`},
		{"x:\n  apn: a\n  number: 'ATD*99#'\n", `number "ATD*99#"`},
		{"X Y:\n  apn: a\n", "line 1: X Y: want lower case"},
		{"x:\n  apn: a\n  default_for: [y]\n", `default_for "y" is not one of its aliases`},
		{"x:\n  apn: a\n  aliases: [y]\n  default_for: [y]\nz:\n  apn: a\n  aliases: [y]\n  default_for: [y]\n", `both the default for "y"`},
		{"x:\n  apn: a\n  display: \"a\\x07\"\n", "display"},
		{"x:\n  apn: a\n  display: \"a\\u202Eb\"\n", "display"},
		{"- a\n- b\n", "want a mapping"},
	} {
		_, err := Parse(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) err = %v, want mention of %q", tc.in, err, tc.want)
		}
	}
}

func TestParseDuplicate(t *testing.T) {
	_, err := Parse(strings.NewReader("x:\n  apn: a\nX:\n  apn: b\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3: X") {
		t.Errorf("err = %v", err)
	}
}

// TestJSON pins what `zdial carriers --json` prints: public passwords and
// the internal default_for stay out.
func TestJSON(t *testing.T) {
	c, err := Builtin().Lookup("ee")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"ee","aliases":["ee-uk","ee-gb","everything-everywhere","t-mobile-uk","orange-uk"],` +
		`"display":"EE","country":"GB","mccmnc":["23430","23433","23434"],` +
		`"apns":[{"apn":"everywhere","usage":"internet","username":"eesecure"},{"apn":"eezone","usage":"mms","username":"eesecure"}],` +
		`"source":"zdial"}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}

func TestSearch(t *testing.T) {
	db := Builtin()
	for _, tc := range []struct {
		q    Query
		want []string
	}{
		{Query{Text: "three", Country: "gb"}, []string{"three-uk"}},
		{Query{Text: "Vodafone", Country: "IN"}, []string{"vi-in"}}, // by alias
		{Query{MCCMNC: "23410"}, []string{"giffgaff", "o2-uk", "tesco-mobile-uk"}},
		{Query{Text: "telekom", MCCMNC: "26201"}, []string{"telekom-de"}},
		{Query{Text: "Bouygues Tel"}, []string{"bouygues-fr"}}, // display name
		{Query{Country: "dk"}, []string{"telia-dk", "three-dk"}},
		{Query{Text: "nosuch"}, nil},
	} {
		if d := cmp.Diff(tc.want, names(db.Search(tc.q))); d != "" {
			t.Errorf("Search(%+v) (-want +got):\n%s", tc.q, d)
		}
	}
	if got := len(db.Search(Query{})); got != db.Len() {
		t.Errorf("empty query: %d of %d carriers", got, db.Len())
	}
}

func TestSearchSources(t *testing.T) {
	pi, _ := readTestdata(t, "basic.xml")
	got := Builtin().Merge(pi).Search(Query{MCCMNC: "23420"})
	var src []string
	for _, c := range got {
		src = append(src, c.Name+":"+c.Source)
	}
	if d := cmp.Diff([]string{"three-uk:zdial", "example-mvno-gb:mobile-broadband-provider-info"}, src); d != "" {
		t.Errorf("sources (-want +got):\n%s", d)
	}
}
