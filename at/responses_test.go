package at

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// loadResponses reads testdata/responses.txt into blocks keyed by their
// "[vendor-model what]" header.
func loadResponses(t testing.TB) map[string][]string {
	t.Helper()
	f, err := os.Open("testdata/responses.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blocks := map[string][]string{}
	var key string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case key == "" && strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			key = line[1 : len(line)-1]
			if _, dup := blocks[key]; dup {
				t.Fatalf("duplicate block %q", key)
			}
			blocks[key] = nil
		case line == "":
			key = ""
		case key != "":
			blocks[key] = append(blocks[key], line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// response returns one block, failing the test if it is missing.
func response(t *testing.T, blocks map[string][]string, key string) []string {
	t.Helper()
	b, ok := blocks[key]
	if !ok || len(b) == 0 {
		t.Fatalf("testdata/responses.txt has no block [%s]", key)
	}
	return b
}
