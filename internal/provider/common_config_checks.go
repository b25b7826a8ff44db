package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Argument combinations, checked in one pass over the configuration from ValidateConfig.
// The path-expression validators (ConflictsWith, ExactlyOneOf, RequiredTogether) check the
// same, but profiling a 300-certificate plan showed them costing more than all the other
// validation together; resources call these instead.

// configArguments are the top-level arguments of a configuration; nil when it cannot be read
// (then the framework's own checks report the problem).
type configArguments map[string]tftypes.Value

func argumentsOf(config tfsdk.Config) configArguments {
	var m map[string]tftypes.Value
	if config.Raw.As(&m) != nil {
		return nil
	}
	return m
}

// set reports whether an argument is given (an unknown value counts: it will be).
func (a configArguments) set(name string) bool {
	v, ok := a[name]
	return ok && !v.IsNull()
}

// checkNameChoice: `name` and `name_prefix` exclude each other.
func checkNameChoice(a configArguments, diags *diag.Diagnostics) {
	if a.set("name") && a.set("name_prefix") {
		diags.AddAttributeError(path.Root("name_prefix"), "Invalid Attribute Combination",
			"Set either name or name_prefix, not both: name_prefix generates a name, name gives one.")
	}
}

// checkKeyChoice: exactly one of `private_key_pem` and `private_key_pem_wo`, and the
// write-only key always with its version (Terraform cannot see changes to write-only values).
func checkKeyChoice(a configArguments, diags *diag.Diagnostics) {
	pem, wo, version := a.set("private_key_pem"), a.set("private_key_pem_wo"), a.set("private_key_pem_wo_version")
	switch {
	case pem && wo:
		diags.AddAttributeError(path.Root("private_key_pem_wo"), "Invalid Attribute Combination",
			"Set exactly one of private_key_pem and private_key_pem_wo, not both.")
	case !pem && !wo:
		diags.AddAttributeError(path.Root("private_key_pem"), "Missing private key",
			"Set exactly one of private_key_pem and private_key_pem_wo (with private_key_pem_wo_version): the service needs the certificate's private key.")
	}
	switch {
	case wo && !version:
		diags.AddAttributeError(path.Root("private_key_pem_wo_version"), "Missing private_key_pem_wo_version",
			"private_key_pem_wo needs private_key_pem_wo_version: Terraform cannot see changes to a write-only value, so bumping the version is how a new key is sent.")
	case version && !wo:
		diags.AddAttributeError(path.Root("private_key_pem_wo_version"), "Invalid Attribute Combination",
			"private_key_pem_wo_version versions private_key_pem_wo; set private_key_pem_wo too, or remove the version.")
	}
}
