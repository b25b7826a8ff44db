package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// privateKeyAttributes are the private key arguments shared by the resources that send a
// certificate's key: exactly one of `private_key_pem` and `private_key_pem_wo` (the choice is
// checked by checkKeyChoice). woChange ends the write-only key's description (what bumping the
// version does); versionChange ends the version's.
func privateKeyAttributes(woChange, versionChange string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"private_key_pem": schema.StringAttribute{
			CustomType:          privateKeyPEMType,
			PlanModifiers:       []planmodifier.String{keepEquivalentPEM{pemPrivateKey}},
			MarkdownDescription: "The certificate's unencrypted private key in PEM format (PKCS#1, PKCS#8 or SEC1). Stored in state as a sensitive value; prefer `private_key_pem_wo` on Terraform 1.11 and later. Exactly one of `private_key_pem` and `private_key_pem_wo` is required.",
			Optional:            true,
			Sensitive:           true,
		},
		"private_key_pem_wo": schema.StringAttribute{
			MarkdownDescription: "Write-only form of `private_key_pem` (Terraform 1.11 and later): sent to the service and never stored in plan or state. " + woChange,
			Optional:            true,
			Sensitive:           true,
			WriteOnly:           true,
		},
		"private_key_pem_wo_version": schema.Int64Attribute{
			MarkdownDescription: "Version of `private_key_pem_wo`. " + versionChange,
			Optional:            true,
		},
	}
}
