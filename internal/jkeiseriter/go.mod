// Stand-in for github.com/jkeiser/iter, which the Go module proxy does not
// serve at any version. github.com/jochenvg/go-udev uses only Iterator and
// FINISHED from it; the root go.mod replaces the module with this directory.
module github.com/jkeiser/iter

go 1.21
