package provider

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// pemKind selects how two PEM strings are compared.
type pemKind int

const (
	pemCertificate pemKind = iota // one certificate: same DER
	pemChain                      // certificates: same DER sequence, a trailing self-signed root optional
	pemPrivateKey                 // same key, whatever the encoding (PKCS#1, PKCS#8, SEC1)
)

// pemType is a string type whose values compare semantically, so formatting alone
// (line endings, trailing newlines, surrounding whitespace, key encoding) never shows a diff.
type pemType struct {
	basetypes.StringType
	kind pemKind
}

var (
	certificatePEMType = pemType{kind: pemCertificate}
	chainPEMType       = pemType{kind: pemChain}
	privateKeyPEMType  = pemType{kind: pemPrivateKey}
)

var _ basetypes.StringTypable = pemType{}

func (t pemType) Equal(o attr.Type) bool {
	other, ok := o.(pemType)
	return ok && other.kind == t.kind
}

func (t pemType) String() string { return fmt.Sprintf("pemType(%d)", t.kind) }

func (t pemType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return pemValue{StringValue: in, kind: t.kind}, nil
}

func (t pemType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return pemValue{StringValue: s, kind: t.kind}, nil
}

func (t pemType) ValueType(context.Context) attr.Value { return pemValue{kind: t.kind} }

// pemValue is a value of pemType.
type pemValue struct {
	basetypes.StringValue
	kind pemKind
}

var _ basetypes.StringValuableWithSemanticEquals = pemValue{}

func newPEMValue(kind pemKind, s string) pemValue {
	return pemValue{StringValue: basetypes.NewStringValue(s), kind: kind}
}

func nullPEMValue(kind pemKind) pemValue {
	return pemValue{StringValue: basetypes.NewStringNull(), kind: kind}
}

func (v pemValue) Type(context.Context) attr.Type { return pemType{kind: v.kind} }

// String never shows the PEM: the framework logs values by String() at trace level, and
// for a private key that would leak it.
func (v pemValue) String() string {
	switch {
	case v.IsNull():
		return "<null>"
	case v.IsUnknown():
		return "<unknown>"
	}
	return fmt.Sprintf("<PEM, %d bytes>", len(v.ValueString()))
}

func (v pemValue) Equal(o attr.Value) bool {
	other, ok := o.(pemValue)
	return ok && other.kind == v.kind && v.StringValue.Equal(other.StringValue)
}

func (v pemValue) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	other, ok := newValuable.(pemValue)
	if !ok {
		return false, nil
	}
	return pemSemanticallyEqual(v.kind, v.ValueString(), other.ValueString()), nil
}

// pemSemanticallyEqual compares by content; unparsable values fall back to trimmed text.
func pemSemanticallyEqual(kind pemKind, a, b string) bool {
	if strings.TrimSpace(a) == strings.TrimSpace(b) {
		return true
	}
	switch kind {
	case pemPrivateKey:
		ka, errA := parsePrivateKey(a)
		kb, errB := parsePrivateKey(b)
		if errA != nil || errB != nil {
			return false
		}
		eq, ok := ka.(interface{ Equal(crypto.PrivateKey) bool })
		return ok && eq.Equal(kb)
	case pemChain:
		ca, errA := parseCertificates(a)
		cb, errB := parseCertificates(b)
		if errA != nil || errB != nil {
			return false
		}
		return sameCertificates(withoutTrailingRoot(ca), withoutTrailingRoot(cb))
	default:
		ca, errA := parseCertificates(a)
		cb, errB := parseCertificates(b)
		if errA != nil || errB != nil {
			return false
		}
		return sameCertificates(ca, cb)
	}
}

func sameCertificates(a, b []*x509.Certificate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) {
			return false
		}
	}
	return true
}

// withoutTrailingRoot drops a self-signed last certificate: services and CAs disagree on
// whether a chain carries the root, and clients never need it.
func withoutTrailingRoot(certs []*x509.Certificate) []*x509.Certificate {
	if n := len(certs); n > 0 {
		last := certs[n-1]
		if issuedBy(last, last) {
			return certs[:n-1]
		}
	}
	return certs
}

// keepEquivalentPEM plans the prior value when the configuration holds the same PEM content
// in another form. The framework applies semantic equality only after apply; without this,
// a reformatted file would still plan an update. Terraform accepts a prior value in place of
// an equivalent configuration value.
type keepEquivalentPEM struct{ kind pemKind }

var _ planmodifier.String = keepEquivalentPEM{}

func (m keepEquivalentPEM) Description(context.Context) string {
	return "Keeps the prior value when the configured PEM has the same content."
}

func (m keepEquivalentPEM) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m keepEquivalentPEM) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.PlanValue.IsUnknown() {
		return
	}
	if pemSemanticallyEqual(m.kind, req.StateValue.ValueString(), req.ConfigValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}
