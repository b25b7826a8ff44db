package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// waitingResource matches the resources whose apply waits for DNS validation.
var waitingResource = regexp.MustCompile(`resource "ncloudcert_(certificate_validation|certificate_private_key|domain_validation_wait)"`)

// TestExamplesThatWaitSayHow: an example that waits for DNS validation says so in its
// opening comment, with the way through against the mock (publish the records, or
// -dcv-delay): run as the README starts the mock, it would otherwise wait 75 minutes
// with nothing to say why.
func TestExamplesThatWaitSayHow(t *testing.T) {
	err := filepath.WalkDir("../../examples", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !waitingResource.Match(b) {
			return nil
		}
		var opening strings.Builder
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(line, "#") {
				break
			}
			opening.WriteString(line + "\n")
		}
		head := strings.ToLower(opening.String())
		if !strings.Contains(head, "wait") || !(strings.Contains(head, "-dcv-delay") || strings.Contains(head, "/_mock/dns")) {
			t.Errorf("%s waits for DNS validation but its opening comment does not say so, nor how to publish the records to the mock (/_mock/dns) or use -dcv-delay:\n%s", p, opening.String())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
