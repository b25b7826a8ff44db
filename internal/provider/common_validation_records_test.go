package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

func TestDomainProblem(t *testing.T) {
	for name, want := range map[string]string{
		"www.example.com":                        "",
		"*.example.com":                          "",
		"WWW.Example.COM.":                       "",
		"xn--9n2bp8q.test":                       "",
		"a-b.example.co.kr":                      "",
		"":                                       "empty",
		"example":                                "at least two labels",
		"*.com":                                  "a wildcard needs at least two labels",
		"*":                                      "a wildcard needs at least two labels",
		"www.*.example.com":                      "wildcard is allowed only as the whole leftmost label",
		"w*.example.com":                         "wildcard is allowed only as the whole leftmost label",
		"a..example.com":                         "empty label",
		"-a.example.com":                         "hyphen",
		"a_b.example.com":                        "other than letters, digits and hyphens",
		"192.168.0.1":                            "must not be all digits",
		"bücher.example":                         "punycode",
		strings.Repeat("a", 64) + ".example.com": "longer than 63 characters",
	} {
		got := domainProblem(name, false)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("domainProblem(%q) = %q, want %q", name, got, want)
		}
	}
	long := strings.Repeat("a", 55) + ".example.com" // 67 characters
	if domainProblem(long, false) != "" || !strings.Contains(domainProblem(long, true), "longer than 64 characters") {
		t.Errorf("a 67-character name is a fine SAN but too long for a common name")
	}
}

func TestDomainListProblems(t *testing.T) {
	tooMany := make([]string, maxCertificateNames)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("n%d.example.com", i)
	}
	for _, tc := range []struct {
		cn   string
		sans []string
		want []string
	}{
		{"a.example.com", []string{"b.example.com", "*.example.com"}, nil},
		{"a.example.com", tooMany[:maxCertificateNames-1], nil},
		{"a.example.com", []string{"A.example.com."}, []string{"repeats the common name"}},
		{"a.example.com", []string{"b.example.com", "B.EXAMPLE.COM"}, []string{"the same name"}},
		{"a.example.com", tooMany, []string{"at most 100", "has 101"}},
	} {
		var diags diag.Diagnostics
		addDomainListProblems(&diags, path.Root("dns_names"), tc.cn, tc.sans)
		var text string
		for _, d := range diags {
			text += d.Summary() + ": " + d.Detail() + "\n"
		}
		if len(tc.want) == 0 && diags.HasError() {
			t.Errorf("%s %d names: unexpected %s", tc.cn, len(tc.sans), text)
		}
		for _, w := range tc.want {
			if !strings.Contains(text, w) || len(diags) != 1 {
				t.Errorf("%s %d names: want one error with %q, got %s", tc.cn, len(tc.sans), w, text)
			}
		}
	}
}

func TestValidationGroups(t *testing.T) {
	got := validationGroups([]string{"*.Example.com", "example.com.", "www.example.com", "*.www.example.com", "api.example.com", "EXAMPLE.com"})
	want := []validationRecord{
		{Domain: "api.example.com", Domains: []string{"api.example.com"}},
		{Domain: "example.com", Domains: []string{"*.example.com", "example.com"}},
		{Domain: "www.example.com", Domains: []string{"*.www.example.com", "www.example.com"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("validationGroups = %+v, want %+v", got, want)
	}
	if q := (validationRecord{Domain: "example.com", Domains: []string{"*.example.com"}}).queryDomains(); !reflect.DeepEqual(q, []string{"*.example.com"}) {
		t.Errorf("a wildcard alone is asked about as itself, got %q", q)
	}
	// A service may answer per queried domain with distinct values (API doc §8): both asked.
	if q := got[1].queryDomains(); !reflect.DeepEqual(q, []string{"*.example.com", "example.com"}) {
		t.Errorf("the wildcard and the apex are each asked about, got %q", q)
	}
}

func TestValidationRecordItems(t *testing.T) {
	r := validationRecord{Domain: "example.com"}.withItems(context.Background(), []client.DCVRecord{
		{Name: "_x.example.com", Type: "TXT", Values: []string{"b"}, Status: client.DCVStatusSuccess},
		{Name: "_X.example.com.", Type: "TXT", Values: []string{"a", "b"}, Status: client.DCVStatusPending},
		{Name: "_other.example.com", Type: "TXT", Values: []string{"c"}, Status: client.DCVStatusSuccess},
	})
	if !r.Known || r.Name != "_x.example.com" || !reflect.DeepEqual(r.Values, []string{"a", "b"}) || r.Status != client.DCVStatusPending {
		t.Fatalf("withItems = %+v: want every value at the first name, sorted, and the pending status", r)
	}
	if s := combinedStatus([]string{client.DCVStatusPending, client.DCVStatusTimeout}); s != client.DCVStatusTimeout {
		t.Errorf("a timeout wins, got %s", s)
	}
	records := []validationRecord{
		{Name: "_a.example.com", Known: true}, {Name: "_b.example.com", Known: true}, {Name: "", Known: false},
	}
	if got := missingRecordNames(records, []string{"_A.EXAMPLE.COM."}); !reflect.DeepEqual(got, []string{"_b.example.com"}) {
		t.Errorf("missingRecordNames = %v", got)
	}
}

// Nothing in a record changes on validation: the values carry no status, and the same record
// read before and after validation is the same value. Progress is in validation_status, where
// a record the service did not describe keeps its prior status (or is left out).
func TestValidationRecordsStableAcrossValidation(t *testing.T) {
	ctx := context.Background()
	rec := validationRecord{Domain: "example.com", Domains: []string{"example.com"}, Name: "_x.example.com", Type: "CNAME", Values: []string{"v."}, Known: true}
	pending, success := rec, rec
	pending.Status, success.Status = client.DCVStatusPending, client.DCVStatusSuccess
	before, d := validationRecordsValue(ctx, []validationRecord{pending}, types.MapNull(validationRecordsType.ElemType))
	after, d2 := validationRecordsValue(ctx, []validationRecord{success}, before)
	if d.HasError() || d2.HasError() {
		t.Fatal(d, d2)
	}
	if !before.Equal(after) {
		t.Fatalf("the record changed on validation: %v → %v", before, after)
	}
	if _, has := validationRecordAttrTypes["status"]; has {
		t.Fatal("records carry a status")
	}
	statuses := validationStatusValue([]validationRecord{success}, types.MapNull(types.StringType))
	if got := statuses.Elements()["example.com"]; !got.Equal(types.StringValue(client.DCVStatusSuccess)) {
		t.Fatalf("validation_status %v", statuses)
	}
	unknown := validationRecord{Domain: "example.com"}
	if kept := validationStatusValue([]validationRecord{unknown}, statuses); !kept.Equal(statuses) {
		t.Fatalf("an undescribed record lost its prior status: %v", kept)
	}
	if none := validationStatusValue([]validationRecord{unknown}, types.MapNull(types.StringType)); len(none.Elements()) != 0 {
		t.Fatalf("an undescribed record without a prior status: %v", none)
	}
}
