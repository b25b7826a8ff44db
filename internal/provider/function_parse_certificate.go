package provider

import (
	"context"
	"crypto/x509"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = (*parseCertificateFunction)(nil)

func newParseCertificateFunction() function.Function { return &parseCertificateFunction{} }

// parseCertificateFunction is provider::ncloudcert::parse_certificate(pem): the fields of one
// X.509 certificate, parsed by the same PEM code as the resources, with the same errors.
type parseCertificateFunction struct{}

var parsedCertificateAttrTypes = map[string]attr.Type{
	"common_name": types.StringType, "dns_names": types.ListType{ElemType: types.StringType},
	"serial_number": types.StringType, "issuer": types.StringType, "not_before": types.StringType,
	"not_after": types.StringType, "key_algorithm": types.StringType, "sha1_fingerprint": types.StringType,
	"sha256_fingerprint": types.StringType, "is_ca": types.BoolType,
}

// parseCertificateHint says what to do with several certificates: the function describes one.
const parseCertificateHint = "pass exactly one certificate (the server certificate, such as certificate_pem; not a chain or a full-chain file)"

func (f *parseCertificateFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_certificate"
}

func (f *parseCertificateFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Parse a PEM certificate into its common name, names, serial, issuer, validity, key algorithm and fingerprints.",
		MarkdownDescription: "Parses one PEM-encoded X.509 certificate and returns an object with:\n\n" +
			"- `common_name` (string; null when the subject has none)\n" +
			"- `dns_names` (list of strings: the DNS subject alternative names, in the certificate's order)\n" +
			"- `serial_number` (lower-case hex without separators or leading zeros, as `serial_number` of the resources and data sources)\n" +
			"- `issuer` (the issuer's distinguished name, RFC 2253 form as `issuer` elsewhere, e.g. `CN=R11,O=Let's Encrypt,C=US`)\n" +
			"- `not_before`, `not_after` (RFC 3339 in UTC, e.g. `2026-03-01T12:00:00Z`: compare them with `timecmp()` and `timeadd(plantimestamp(), ...)`)\n" +
			"- `key_algorithm` (`RSA 2048`, `ECDSA P-256`, `Ed25519`, …: as the service's key information)\n" +
			"- `sha1_fingerprint`, `sha256_fingerprint` (the digest of the DER, lower-case hex without colons; `openssl x509 -fingerprint` prints the same digits in upper case with colons)\n" +
			"- `is_ca` (bool: the basic constraints mark it a CA)\n\n" +
			"The input is read as the resources read `certificate_pem`: Windows line endings, indentation, a byte-order mark, literal `\\n` escapes and text around the block are all fine. " +
			"It must hold exactly one certificate: text with no PEM block, a block that is not a `CERTIFICATE` (a private key, a CSR), a block that is not a valid X.509 certificate, or several certificates (a chain) is an error with the same message the resources give. " +
			"Nothing is sent to the service: the function works without provider configuration. Requires Terraform 1.8 or later, or OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "pem",
				MarkdownDescription: "One PEM-encoded certificate (`-----BEGIN CERTIFICATE-----` …).",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: parsedCertificateAttrTypes},
	}
}

func (f *parseCertificateFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text string
	resp.Error = req.Arguments.Get(ctx, &text)
	if resp.Error != nil {
		return
	}
	cert, err := parseOneCertificate(text, parseCertificateHint)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "Invalid certificate PEM: "+err.Error())
		return
	}
	obj, diags := parsedCertificateValue(cert)
	resp.Error = function.FuncErrorFromDiags(ctx, diags)
	if resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, obj)
}

func parsedCertificateValue(c *x509.Certificate) (types.Object, diag.Diagnostics) {
	names := make([]attr.Value, len(c.DNSNames))
	for i, n := range c.DNSNames {
		names[i] = types.StringValue(n)
	}
	sha1Hex, sha256Hex := fingerprints(c)
	return types.ObjectValue(parsedCertificateAttrTypes, map[string]attr.Value{
		"common_name":        optionalString(c.Subject.CommonName),
		"dns_names":          types.ListValueMust(types.StringType, names),
		"serial_number":      types.StringValue(certificateSerial(c)),
		"issuer":             types.StringValue(c.Issuer.String()),
		"not_before":         types.StringValue(c.NotBefore.UTC().Format(time.RFC3339)),
		"not_after":          types.StringValue(c.NotAfter.UTC().Format(time.RFC3339)),
		"key_algorithm":      types.StringValue(keyAlgorithm(c)),
		"sha1_fingerprint":   types.StringValue(sha1Hex),
		"sha256_fingerprint": types.StringValue(sha256Hex),
		"is_ca":              types.BoolValue(c.BasicConstraintsValid && c.IsCA),
	})
}
