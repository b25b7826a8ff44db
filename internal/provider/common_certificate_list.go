package provider

import (
	"context"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// The one schema-and-flatten path of the certificate data sources: every list item, and the
// single certificate of ncloudcert_certificate, is described by these attributes with the
// shared vocabulary (metadataDescriptions) and flattened by certificateListItem.

var listItemExtraDescriptions = map[string]string{
	"id":                     "Certificate number, as a string.",
	"name":                   "Name of the certificate.",
	"issued_at":              "When the certificate was issued, RFC 3339 in UTC.",
	"order_id":               "Advanced certificate order the certificate belongs to; null for other types.",
	"private_key_registered": "Advanced certificates that are issued: `true` when the private key is registered with the service (`NORMAL`), `false` while it still has to be (`NORMAL_UNREGISTERED_PRIVATE_KEY`, see `ncloudcert_certificate_private_key`). Null for a certificate not issued (`ONGOING`, `VALIDATION_EXPIRE`, `FAILED`, …) or no longer in use (`EXPIRE`, `REVOKE`, …), where the service does not say, and for other types.",
}

func listItemDescription(name string) string {
	if d, ok := metadataDescriptions[name]; ok {
		return d
	}
	return listItemExtraDescriptions[name]
}

// certificateListItemAttrTypes is the object type of one certificate in a data source.
var certificateListItemAttrTypes = map[string]attr.Type{
	"id":                     types.StringType,
	"certificate_no":         types.Int64Type,
	"name":                   types.StringType,
	"common_name":            types.StringType,
	"dns_names":              types.SetType{ElemType: types.StringType},
	"type":                   types.StringType,
	"status":                 types.StringType,
	"not_before":             types.StringType,
	"not_after":              types.StringType,
	"registered_at":          types.StringType,
	"issued_at":              types.StringType,
	"issuer":                 types.StringType,
	"serial_number":          types.StringType,
	"signature_algorithm":    types.StringType,
	"public_key_info":        types.StringType,
	"in_use":                 types.BoolType,
	"used_instance_nos":      types.ListType{ElemType: types.StringType},
	"order_id":               types.StringType,
	"private_key_registered": types.BoolType,
}

// certificateItemAttributes are the computed attributes of one certificate (data sources).
func certificateItemAttributes() map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(certificateListItemAttrTypes))
	for name, t := range certificateListItemAttrTypes {
		d := listItemDescription(name)
		switch t {
		case types.StringType:
			out[name] = schema.StringAttribute{MarkdownDescription: d, Computed: true}
		case types.Int64Type:
			out[name] = schema.Int64Attribute{MarkdownDescription: d, Computed: true}
		case types.BoolType:
			out[name] = schema.BoolAttribute{MarkdownDescription: d, Computed: true}
		default:
			if _, ok := t.(types.SetType); ok {
				out[name] = schema.SetAttribute{MarkdownDescription: d, Computed: true, ElementType: types.StringType}
			} else {
				out[name] = schema.ListAttribute{MarkdownDescription: d, Computed: true, ElementType: types.StringType}
			}
		}
	}
	return out
}

// certificatesListAttribute is the `certificates` attribute of the list data sources.
func certificatesListAttribute(description string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: certificateItemAttributes()},
	}
}

func isAdvancedType(t string) bool { return t == "advanced_dv" || t == "advanced_ov" }

// certificateListItemValues flattens one certificate into the shared item attributes.
func certificateListItemValues(ctx context.Context, c *client.Certificate) (map[string]attr.Value, diag.Diagnostics) {
	m, diags := newCertificateMetadata(ctx, c)
	keyRegistered := types.BoolNull()
	if registered, known := c.PrivateKeyRegistered(); known && isAdvancedType(m.Type.ValueString()) {
		keyRegistered = types.BoolValue(registered)
	}
	return map[string]attr.Value{
		"id":                     types.StringValue(strconv.FormatInt(c.No, 10)),
		"certificate_no":         m.CertificateNo,
		"name":                   optionalString(c.Name),
		"common_name":            m.CommonName,
		"dns_names":              m.DNSNames,
		"type":                   m.Type,
		"status":                 m.Status,
		"not_before":             m.NotBefore,
		"not_after":              m.NotAfter,
		"registered_at":          m.RegisteredAt,
		"issued_at":              optionalTime(c.IssuedAt),
		"issuer":                 m.Issuer,
		"serial_number":          m.SerialNumber,
		"signature_algorithm":    m.SignatureAlgorithm,
		"public_key_info":        m.PublicKeyInfo,
		"in_use":                 m.InUse,
		"used_instance_nos":      m.UsedInstanceNos,
		"order_id":               optionalString(c.OrderID),
		"private_key_registered": keyRegistered,
	}, diags
}

// certificateListValue flattens certificates (already filtered and sorted) into a list.
func certificateListValue(ctx context.Context, certs []client.Certificate) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	objType := types.ObjectType{AttrTypes: certificateListItemAttrTypes}
	items := make([]attr.Value, 0, len(certs))
	for i := range certs {
		vals, d := certificateListItemValues(ctx, &certs[i])
		diags.Append(d...)
		obj, d := types.ObjectValue(certificateListItemAttrTypes, vals)
		diags.Append(d...)
		items = append(items, obj)
	}
	l, d := types.ListValue(objType, items)
	diags.Append(d...)
	return l, diags
}

// sortByNumber orders certificates deterministically by certificate number.
func sortByNumber(certs []client.Certificate) {
	sort.SliceStable(certs, func(i, j int) bool { return certs[i].No < certs[j].No })
}
