package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestArgumentChoices(t *testing.T) {
	str := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	num := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.Number, v) }
	null, unknown := str(nil), str(tftypes.UnknownValue)
	for _, tc := range []struct {
		name string
		args configArguments
		want []string // "attribute: summary" of each error, in order
	}{
		{"pem only", configArguments{"private_key_pem": str("k"), "private_key_pem_wo": null, "private_key_pem_wo_version": num(nil)}, nil},
		{"wo with version", configArguments{"private_key_pem": null, "private_key_pem_wo": str("k"), "private_key_pem_wo_version": num(1)}, nil},
		{"unknown pem counts as set", configArguments{"private_key_pem": unknown, "private_key_pem_wo": null}, nil},
		{"no key", configArguments{"private_key_pem": null, "private_key_pem_wo": null}, []string{"private_key_pem: Missing private key"}},
		{"both keys", configArguments{"private_key_pem": str("k"), "private_key_pem_wo": str("k"), "private_key_pem_wo_version": num(1)}, []string{"private_key_pem_wo: Invalid Attribute Combination"}},
		{"wo without version", configArguments{"private_key_pem_wo": str("k")}, []string{"private_key_pem_wo_version: Missing private_key_pem_wo_version"}},
		{"version without wo", configArguments{"private_key_pem": str("k"), "private_key_pem_wo_version": num(1)}, []string{"private_key_pem_wo_version: Invalid Attribute Combination"}},
		{"name and prefix", configArguments{"name": str("a-name"), "name_prefix": str("a-"), "private_key_pem": str("k")}, []string{"name_prefix: Invalid Attribute Combination"}},
		{"unknown name and prefix", configArguments{"name": unknown, "name_prefix": str("a-"), "private_key_pem": str("k")}, []string{"name_prefix: Invalid Attribute Combination"}},
		{"prefix only", configArguments{"name": null, "name_prefix": str("a-"), "private_key_pem": str("k")}, nil},
	} {
		var diags diag.Diagnostics
		checkNameChoice(tc.args, &diags)
		checkKeyChoice(tc.args, &diags)
		var got []string
		for _, d := range diags {
			p := d.(diag.DiagnosticWithPath).Path().String()
			got = append(got, p+": "+d.Summary())
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
