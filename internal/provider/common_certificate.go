package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// certificateMetadataModel is the shared, computed vocabulary every certificate exposes.
type certificateMetadataModel struct {
	CertificateNo      types.Int64  `tfsdk:"certificate_no"`
	CommonName         types.String `tfsdk:"common_name"`
	DNSNames           types.Set    `tfsdk:"dns_names"`
	Type               types.String `tfsdk:"type"`
	Status             types.String `tfsdk:"status"`
	NotBefore          types.String `tfsdk:"not_before"`
	NotAfter           types.String `tfsdk:"not_after"`
	RegisteredAt       types.String `tfsdk:"registered_at"`
	Issuer             types.String `tfsdk:"issuer"`
	SerialNumber       types.String `tfsdk:"serial_number"`
	SignatureAlgorithm types.String `tfsdk:"signature_algorithm"`
	PublicKeyInfo      types.String `tfsdk:"public_key_info"`
	InUse              types.Bool   `tfsdk:"in_use"`
	UsedInstanceNos    types.List   `tfsdk:"used_instance_nos"`
}

// Descriptions of the shared vocabulary: one wording everywhere.
var metadataDescriptions = map[string]string{
	"certificate_no":      "Certificate number the service assigned.",
	"common_name":         "Common name (main domain) of the certificate.",
	"dns_names":           "Additional domains (subject alternative names) of the certificate.",
	"type":                "Kind of certificate: " + backtickList(certificateTypes) + ".",
	"status":              "Status label reported by the service, e.g. `NORMAL`, `ONGOING`, `EXPIRE`, `REVOKE`.",
	"not_before":          "Start of validity, RFC 3339 in UTC.",
	"not_after":           "End of validity, RFC 3339 in UTC.",
	"registered_at":       "When the certificate was registered with the service, RFC 3339 in UTC.",
	"issuer":              "Issuer distinguished name, as the service reports it.",
	"serial_number":       "Serial number in lowercase hexadecimal without separators.",
	"signature_algorithm": "Signature algorithm of the certificate, as the service reports it.",
	"public_key_info":     "Public key algorithm and size, as the service reports it (e.g. `RSA 2048`).",
	"in_use":              "Whether an instance (Load Balancer, CDN+, Global Edge) uses the certificate.",
	"used_instance_nos":   "Numbers of the instances that use the certificate.",
}

// certificateMetadataResourceAttributes: computed metadata with UseStateForUnknown, so plans
// stay quiet; resources mark them unknown themselves when a change will alter them.
func certificateMetadataResourceAttributes() map[string]schema.Attribute {
	str := func(name string) schema.Attribute {
		return schema.StringAttribute{
			MarkdownDescription: metadataDescriptions[name],
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	return map[string]schema.Attribute{
		"certificate_no": schema.Int64Attribute{
			MarkdownDescription: metadataDescriptions["certificate_no"],
			Computed:            true,
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		},
		"common_name": str("common_name"),
		"dns_names": schema.SetAttribute{
			MarkdownDescription: metadataDescriptions["dns_names"],
			Computed:            true,
			ElementType:         types.StringType,
			PlanModifiers:       []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
		},
		"type":                str("type"),
		"status":              str("status"),
		"not_before":          str("not_before"),
		"not_after":           str("not_after"),
		"registered_at":       str("registered_at"),
		"issuer":              str("issuer"),
		"serial_number":       str("serial_number"),
		"signature_algorithm": str("signature_algorithm"),
		"public_key_info":     str("public_key_info"),
		"in_use": schema.BoolAttribute{
			MarkdownDescription: metadataDescriptions["in_use"],
			Computed:            true,
			PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
		},
		"used_instance_nos": schema.ListAttribute{
			MarkdownDescription: metadataDescriptions["used_instance_nos"],
			Computed:            true,
			ElementType:         types.StringType,
			PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
		},
	}
}

// materialDependentMetadata are the attributes a renewal changes.
var materialDependentMetadata = []string{"common_name", "dns_names", "status", "not_before", "not_after", "issuer", "serial_number", "signature_algorithm", "public_key_info"}

// newCertificateMetadata flattens what the service reported.
func newCertificateMetadata(ctx context.Context, c *client.Certificate) (certificateMetadataModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	dnsNames, d := types.SetValueFrom(ctx, types.StringType, nonNilStrings(c.DNSNames))
	diags.Append(d...)
	used, d := types.ListValueFrom(ctx, types.StringType, nonNilStrings(c.UsedInstanceNos))
	diags.Append(d...)
	return certificateMetadataModel{
		CertificateNo:      types.Int64Value(c.No),
		CommonName:         optionalString(c.CommonName),
		DNSNames:           dnsNames,
		Type:               types.StringValue(certificateTypeOf(c)),
		Status:             optionalString(c.Status()),
		NotBefore:          optionalTime(c.NotBefore),
		NotAfter:           optionalTime(c.NotAfter),
		RegisteredAt:       optionalTime(c.RegisteredAt),
		Issuer:             optionalString(c.Issuer),
		SerialNumber:       optionalString(c.SerialNumber),
		SignatureAlgorithm: optionalString(c.SignatureAlgorithm),
		PublicKeyInfo:      optionalString(c.PublicKeyInfo),
		InUse:              types.BoolValue(c.InUse()),
		UsedInstanceNos:    used,
	}, diags
}

// mergeRemote fills the values a plan left unknown from what the service reported; known
// planned values are promises Terraform holds the provider to, so they stay.
func (m certificateMetadataModel) mergeRemote(remote certificateMetadataModel) certificateMetadataModel {
	return certificateMetadataModel{
		CertificateNo:      keepKnown(m.CertificateNo, remote.CertificateNo),
		CommonName:         keepKnown(m.CommonName, remote.CommonName),
		DNSNames:           keepKnown(m.DNSNames, remote.DNSNames),
		Type:               keepKnown(m.Type, remote.Type),
		Status:             keepKnown(m.Status, remote.Status),
		NotBefore:          keepKnown(m.NotBefore, remote.NotBefore),
		NotAfter:           keepKnown(m.NotAfter, remote.NotAfter),
		RegisteredAt:       keepKnown(m.RegisteredAt, remote.RegisteredAt),
		Issuer:             keepKnown(m.Issuer, remote.Issuer),
		SerialNumber:       keepKnown(m.SerialNumber, remote.SerialNumber),
		SignatureAlgorithm: keepKnown(m.SignatureAlgorithm, remote.SignatureAlgorithm),
		PublicKeyInfo:      keepKnown(m.PublicKeyInfo, remote.PublicKeyInfo),
		InUse:              keepKnown(m.InUse, remote.InUse),
		UsedInstanceNos:    keepKnown(m.UsedInstanceNos, remote.UsedInstanceNos),
	}
}

// metadataEqual reports whether two metadata sets hold the same values; a refresh that
// changes nothing then skips writing the state back, which is most of a refresh's cost.
func metadataEqual(m, o certificateMetadataModel) bool {
	return m.CertificateNo.Equal(o.CertificateNo) && m.CommonName.Equal(o.CommonName) && m.DNSNames.Equal(o.DNSNames) &&
		m.Type.Equal(o.Type) && m.Status.Equal(o.Status) && m.NotBefore.Equal(o.NotBefore) && m.NotAfter.Equal(o.NotAfter) &&
		m.RegisteredAt.Equal(o.RegisteredAt) && m.Issuer.Equal(o.Issuer) && m.SerialNumber.Equal(o.SerialNumber) &&
		m.SignatureAlgorithm.Equal(o.SignatureAlgorithm) && m.PublicKeyInfo.Equal(o.PublicKeyInfo) &&
		m.InUse.Equal(o.InUse) && m.UsedInstanceNos.Equal(o.UsedInstanceNos)
}

func keepKnown[T attr.Value](planned, remote T) T {
	if planned.IsUnknown() {
		return remote
	}
	return planned
}

// nullCertificateMetadata is the metadata of a certificate the service has not described.
func nullCertificateMetadata() certificateMetadataModel {
	return certificateMetadataModel{
		CertificateNo: types.Int64Null(), CommonName: types.StringNull(), DNSNames: types.SetNull(types.StringType),
		Type: types.StringNull(), Status: types.StringNull(), NotBefore: types.StringNull(), NotAfter: types.StringNull(),
		RegisteredAt: types.StringNull(), Issuer: types.StringNull(), SerialNumber: types.StringNull(),
		SignatureAlgorithm: types.StringNull(), PublicKeyInfo: types.StringNull(), InUse: types.BoolNull(),
		UsedInstanceNos: types.ListNull(types.StringType),
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func optionalTime(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// Certificate types of the shared vocabulary and the service codes behind them.
var (
	certificateTypes   = []string{"external", "cloud_basic", "global_edge", "advanced_dv", "advanced_ov"}
	certificateTypeFor = map[string]string{
		"EXTERNAL":                  "external",
		"NCP_FREE_DV_01":            "cloud_basic",
		"NCP_GLOBAL_EDGE_DEDICATED": "global_edge",
		"NCP_PAID_DV_01":            "advanced_dv",
		"NCP_PAID_OV_01":            "advanced_ov",
	}
)

func certificateTypeOf(c *client.Certificate) string {
	if c.External {
		return "external"
	}
	if t, ok := certificateTypeFor[strings.ToUpper(c.Type)]; ok {
		return t
	}
	return strings.ToLower(c.Type)
}

// markMetadataUnknown sets the attributes a renewal changes to unknown in a plan.
func markMetadataUnknown(ctx context.Context, plan *tfsdk.Plan) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, name := range materialDependentMetadata {
		var v attr.Value = types.StringUnknown()
		if name == "dns_names" {
			v = types.SetUnknown(types.StringType)
		}
		diags.Append(plan.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}
