module github.com/zdial/zdial

go 1.26.0

require (
	github.com/creack/pty v1.1.24
	github.com/google/go-cmp v0.7.0
	github.com/jochenvg/go-udev v0.0.0-20171110120927-d6b62d56d37b
	go.bug.st/serial v1.8.0
	golang.org/x/sys v0.50.0
	gopkg.in/yaml.v3 v3.0.1
)

require github.com/jkeiser/iter v0.0.0-00010101000000-000000000000 // indirect

// github.com/jochenvg/go-udev imports github.com/jkeiser/iter, which the Go
// module proxy does not serve at any version. go-udev uses only its Iterator
// type and FINISHED error, so a small package of ours with that API stands in.
replace github.com/jkeiser/iter => ./internal/jkeiseriter
