// Package profile is zdial's configuration: the YAML files that hold a
// user's profiles, inheritance between profiles and from the carrier
// database, and resolving a name to one Profile.
//
//	profiles:
//	  work:
//	    inherits: three        # a carrier name or another profile
//	    cid: 3                 # no number: the dial sequence dials *99***3#
//	    pin: "1234"
//
// Resolve fills in no dial defaults (number, cid, PDP type, timeouts): those
// have one home, internal/dialseq, which can then tell a value the user set
// from one nobody set. Files are decoded strictly (internal/yamlstrict):
// a misspelt key is an error at its line and column.
package profile
