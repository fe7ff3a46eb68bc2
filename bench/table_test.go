package main

import "testing"

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name string
		t    table
		want string
	}{
		{
			name: "padded, right-aligned numbers",
			t: table{header: []string{"dialer", "median"}, right: []bool{false, true},
				rows: [][]string{{"chat", "0.450 s"}, {"zdial", "0.035 s"}}},
			want: "| dialer |  median |\n" +
				"| ------ | ------: |\n" +
				"| chat   | 0.450 s |\n" +
				"| zdial  | 0.035 s |\n",
		},
		{
			name: "pipes escaped, newlines flattened, short rows padded, wide runes counted once",
			t: table{header: []string{"a", "b"},
				rows: [][]string{{"x|y", "1\n2"}, {"✗"}}},
			want: "| a    | b   |\n" +
				"| ---- | --- |\n" +
				"| x\\|y | 1 2 |\n" +
				"| ✗    |     |\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.t.markdown(); got != tt.want {
				t.Errorf("markdown() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestLastLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "(no output)"},
		{"first\nzdial: dial: BUSY\n\n", "zdial: dial: BUSY"},
		{"--> Sending: ATZ\r\n\x00\xffjunk\r\n", "..junk"},
		{"“quoted” → ok\n", "“quoted” → ok"},
	}
	for _, tt := range tests {
		if got := lastLine(tt.in); got != tt.want {
			t.Errorf("lastLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
