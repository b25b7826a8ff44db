package mockserver

import (
	"os"
	"strings"
	"testing"
)

// TestControlAPIDocumented: every control endpoint appears, with its method, in the guide
// "Testing against the bundled mock" (its table and curl examples), so a user never has to
// read this package's source to drive the mock.
func TestControlAPIDocumented(t *testing.T) {
	b, err := os.ReadFile("../../templates/guides/testing-against-the-mock.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	for _, r := range controlRouteTable() {
		row := "`" + r.method + " " + r.pattern + "`"
		if !strings.Contains(guide, row) {
			t.Errorf("the guide's control API table has no row %s", row)
		}
		example := r.pattern
		if i := strings.Index(example, "{no}"); i >= 0 {
			example = example[:i]
		}
		if !strings.Contains(guide, "localhost:8080"+example) && !strings.Contains(guide, "'localhost:8080"+example) {
			t.Errorf("the guide has no curl example for %s %s", r.method, r.pattern)
		}
	}
}
