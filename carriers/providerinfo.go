package carriers

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ProviderInfoPath is where Debian's mobile-broadband-provider-info package
// puts NetworkManager's carrier database, relative to the file system root
// (pass os.DirFS("/") in production).
const ProviderInfoPath = "usr/share/mobile-broadband-provider-info/serviceproviders.xml"

// MaxProviderInfoSize bounds what [ReadProviderInfo] reads by default. The
// Debian file of 2023 is 362 kB.
const MaxProviderInfoSize = 16 << 20

// ErrTooLarge is matched when a provider database exceeds its size limit.
var ErrTooLarge = errors.New("carriers: provider database too large")

// XMLError is a serviceproviders.xml that does not parse, with the
// position (1-based line and column) where the reader gave up.
type XMLError struct {
	Name      string // the file; serviceproviders.xml when read from a stream
	Line, Col int
	Err       error
}

func (e *XMLError) Error() string {
	msg := e.Err.Error()
	var se *xml.SyntaxError
	if errors.As(e.Err, &se) {
		msg = se.Msg // without its own "on line N"
	}
	name := e.Name
	if name == "" {
		name = "serviceproviders.xml"
	}
	return fmt.Sprintf("carriers: %s:%d:%d: %s", name, e.Line, e.Col, msg)
}

func (e *XMLError) Unwrap() error { return e.Err }

// ProviderInfoStats counts what a read of serviceproviders.xml found.
type ProviderInfoStats struct {
	Countries int // <country> elements
	Providers int // <provider> elements
	APNs      int // <apn> elements
	Carriers  int // providers loaded as carriers
	Loaded    int // APNs loaded
	CDMAOnly  int // providers with no GSM part: zdial dials GSM/UMTS/LTE only
	NoAPN     int // GSM providers without a usable internet APN
	Skipped   []Skip
}

// Skip is one item left out of a provider database, and why.
type Skip struct {
	Line, Col int
	What      string // "provider Foo (gb)", "apn x (Foo, gb)"
	Why       string
}

func (s Skip) String() string { return fmt.Sprintf("%d:%d: %s: %s", s.Line, s.Col, s.What, s.Why) }

// The parts of serviceproviders.2.dtd zdial uses; the rest is skipped.
type xmlProvider struct {
	Primary string    `xml:"primary,attr"`
	Names   []xmlName `xml:"name"`
	GSM     *struct {
		Networks []struct {
			MCC string `xml:"mcc,attr"`
			MNC string `xml:"mnc,attr"`
		} `xml:"network-id"`
		APNs []xmlAPN `xml:"apn"`
	} `xml:"gsm"`
	CDMA *struct{} `xml:"cdma"`
}

type xmlName struct {
	Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Value string `xml:",chardata"`
}

type xmlAPN struct {
	Value string `xml:"value,attr"`
	Plans []struct {
		Type string `xml:"type,attr"`
	} `xml:"plan"`
	Usage *struct {
		Type string `xml:"type,attr"`
	} `xml:"usage"`
	Names    []xmlName `xml:"name"`
	Username string    `xml:"username"`
	Password string    `xml:"password"`
	Auth     *struct {
		Method string `xml:"method,attr"`
	} `xml:"authentication"`
}

// LoadProviderInfo reads the provider database at name in fsys (production:
// os.DirFS("/") and [ProviderInfoPath]). A missing file is an error
// matching fs.ErrNotExist: the database is optional, the caller decides.
func LoadProviderInfo(fsys fs.FS, name string) (*Database, ProviderInfoStats, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, ProviderInfoStats{}, fmt.Errorf("carriers: %w", err)
	}
	defer f.Close()
	db, st, err := ReadProviderInfo(f, MaxProviderInfoSize)
	if xe, ok := err.(*XMLError); ok {
		xe.Name = name
	}
	return db, st, err
}

// Load returns the built-in database with the provider database at
// ProviderInfoPath in fsys merged beneath it. When that file is missing
// the built-in database is returned alone, without error; when it is
// broken, the built-in database and the error.
func Load(fsys fs.FS) (*Database, ProviderInfoStats, error) {
	db := Builtin()
	pi, stats, err := LoadProviderInfo(fsys, ProviderInfoPath)
	if errors.Is(err, fs.ErrNotExist) {
		return db, stats, nil
	}
	if err != nil {
		return db, stats, err
	}
	return db.Merge(pi), stats, nil
}

// ReadProviderInfo reads NetworkManager's serviceproviders.xml (format
// 2.0) as a stream, one provider at a time, reading at most maxSize bytes
// (0: MaxProviderInfoSize). Every GSM provider with a usable internet APN
// becomes a carrier named after it and its country ("vodafone-de",
// "3-gb", which also answers to "three" and "three-gb"), with Source
// SourceProviderInfo. Providers and APNs that cannot be used (CDMA only,
// malformed codes, characters that may not reach a modem) are skipped and
// listed in the stats. XML that does not parse is an *XMLError with its
// position; exceeding maxSize is ErrTooLarge.
func ReadProviderInfo(r io.Reader, maxSize int64) (*Database, ProviderInfoStats, error) {
	if maxSize <= 0 {
		maxSize = MaxProviderInfoSize
	}
	lr := &limitReader{r: r, left: maxSize}
	dec := xml.NewDecoder(lr)
	var (
		stats   ProviderInfoStats
		db      = newDatabase()
		country string // code of the <country> we are in
		depth   int
		root    bool
	)
	pos := func() (line, col int) {
		line, col = dec.InputPos()
		return line, max(col, 1) // 0 when the decoder stopped before a line's first byte
	}
	fail := func(err error) (*Database, ProviderInfoStats, error) {
		line, col := pos()
		if lr.over {
			err = fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxSize)
		}
		return nil, stats, &XMLError{Line: line, Col: col, Err: err}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && t.Name.Local == "serviceproviders":
				root = true
			case depth == 1:
				return fail(fmt.Errorf("root element <%s>, want <serviceproviders>", t.Name.Local))
			case depth == 2 && t.Name.Local == "country":
				stats.Countries++
				country = strings.ToUpper(strings.TrimSpace(attr(t, "code")))
			case depth == 3 && t.Name.Local == "provider":
				line, col := pos()
				var p xmlProvider
				if err := dec.DecodeElement(&p, &t); err != nil {
					return fail(err)
				}
				depth--
				addProvider(db, &stats, p, country, line, col)
			default:
				if err := dec.Skip(); err != nil {
					return fail(err)
				}
				depth--
			}
		case xml.EndElement:
			depth--
			if depth == 1 {
				country = ""
			}
		}
	}
	if !root {
		line, col := pos()
		return nil, stats, &XMLError{Line: line, Col: col, Err: errors.New("no <serviceproviders> element")}
	}
	return db, stats, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// pickName prefers a name without xml:lang, then English, then the first.
func pickName(ns []xmlName) string {
	best := -1
	for i, n := range ns {
		if strings.TrimSpace(n.Value) == "" {
			continue
		}
		if n.Lang == "" {
			best = i
			break
		}
		if best < 0 || n.Lang == "en" && ns[best].Lang != "en" {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return strings.Join(strings.Fields(ns[best].Value), " ")
}

// addProvider turns one <provider> into a carrier, or records why not.
func addProvider(db *Database, st *ProviderInfoStats, p xmlProvider, country string, line, col int) {
	st.Providers++
	name := pickName(p.Names)
	what := fmt.Sprintf("provider %q (%s)", name, strings.ToLower(country))
	skip := func(why string) { st.Skipped = append(st.Skipped, Skip{Line: line, Col: col, What: what, Why: why}) }
	if p.GSM != nil {
		st.APNs += len(p.GSM.APNs)
	}
	switch {
	case p.GSM == nil:
		if p.CDMA != nil {
			st.CDMAOnly++
		}
		skip("no GSM networks (CDMA only)")
		return
	case !isCountry(country):
		skip("not inside a <country> with a 2-letter code")
		return
	case name == "" || !printable(name, 100):
		skip("no usable <name>")
		return
	}
	c := Carrier{
		Display: name,
		Country: country,
		Source:  SourceProviderInfo,
		primary: p.Primary == "true",
	}
	for _, n := range p.GSM.Networks {
		code := strings.TrimSpace(n.MCC) + strings.TrimSpace(n.MNC)
		if len(strings.TrimSpace(n.MCC)) != 3 || !isMCCMNC(code) {
			skip(fmt.Sprintf("network-id mcc=%q mnc=%q: want 3 and 2-3 digits", n.MCC, n.MNC))
			continue
		}
		if !slices.Contains(c.MCCMNC, code) {
			c.MCCMNC = append(c.MCCMNC, code)
		}
	}
	for _, x := range p.GSM.APNs {
		a := APN{
			Name:     strings.TrimSpace(x.Value),
			Usage:    UsageInternet, // the DTD's default: an APN without <usage> is for data
			Label:    truncate(pickName(x.Names), 100),
			User:     strings.TrimSpace(x.Username),
			Password: strings.TrimSpace(x.Password),
		}
		if x.Usage != nil {
			a.Usage = strings.TrimSpace(x.Usage.Type)
		}
		if len(x.Plans) == 1 {
			a.Plan = strings.TrimSpace(x.Plans[0].Type)
		}
		if x.Auth != nil {
			a.Auth = strings.TrimSpace(x.Auth.Method)
		}
		if a.Usage != UsageInternet && a.Usage != UsageMMS && a.Usage != UsageWAP {
			continue // ia, mms-internet-hipri…: phone-only uses, not an error
		}
		if err := a.normalize(); err != nil {
			st.Skipped = append(st.Skipped, Skip{Line: line, Col: col,
				What: fmt.Sprintf("apn %q (%s, %s)", printableOr(a.Name), name, strings.ToLower(country)), Why: redact(err, a)})
			continue
		}
		c.APNs = append(c.APNs, a)
		st.Loaded++
	}
	in, ok := c.Internet()
	if !ok {
		st.NoAPN++
		skip("no usable internet APN")
		return
	}
	c.APN, c.PDPType, c.Username, c.Password = in.Name, in.PDPType, in.User, in.Password
	slug := slugify(name)
	if slug == "" {
		slug = "carrier"
	}
	cc := strings.ToLower(country)
	c.Aliases = []string{slug, slug + "-" + cc}
	if slug == "3" || slug == "tre" || slug == "drei" {
		c.Aliases = append(c.Aliases, "three", "three-"+cc)
	}
	if cc == "gb" {
		c.Aliases = append(c.Aliases, slug+"-uk")
	}
	c.Name = db.freeName(slug + "-" + cc)
	db.add(c)
	st.Carriers++
}

// redact keeps a carrier's password out of a skip message.
func redact(err error, a APN) string {
	s := err.Error()
	if a.Password != "" {
		s = strings.ReplaceAll(s, a.Password, "…")
	}
	return s
}

// truncate cuts s to at most max bytes on a rune boundary, marking the cut.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max - len("…")
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func printableOr(s string) string {
	if printable(s, 100) {
		return s
	}
	return "(unprintable)"
}

// slugify makes a name zdial's users can type: lower-case letters and
// digits of any script, runs of anything else as one '-'.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '&':
			if b.Len() > 0 {
				dash = true
			}
			continue
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r > 0x7f && isLetterOrDigit(r):
		default:
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteRune(r)
	}
	out := []rune(b.String())
	if len(out) > 40 {
		out = out[:40]
	}
	return strings.TrimRight(string(out), "-")
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// limitReader reads at most left bytes, then fails and remembers that it
// did, so the error says "too large", not "unexpected EOF".
type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One more byte tells a file of exactly left bytes from a longer one.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.over = true
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
