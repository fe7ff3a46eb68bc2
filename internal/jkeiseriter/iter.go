// Package iter provides the small part of github.com/jkeiser/iter that
// github.com/jochenvg/go-udev uses: a pull iterator and its end marker.
//
// The module proxy does not serve the original, so zdial's go.mod replaces it
// with this package. It is only compiled in the libudev build.
package iter

import "errors"

// FINISHED is returned by Next when the iterator has no more values.
var FINISHED = errors.New("FINISHED")

// Iterator yields values until Next returns FINISHED.
type Iterator struct {
	Next  func() (interface{}, error)
	Close func()
}
