package provider

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// runParse calls the function as the framework does.
func runParse(t *testing.T, pem string) (map[string]attr.Value, *function.FuncError) {
	t.Helper()
	resp := &function.RunResponse{Result: function.NewResultData(types.ObjectUnknown(parsedCertificateAttrTypes))}
	newParseCertificateFunction().Run(context.Background(), function.RunRequest{
		Arguments: function.NewArgumentsData([]attr.Value{types.StringValue(pem)}),
	}, resp)
	if resp.Error != nil {
		return nil, resp.Error
	}
	obj, ok := resp.Result.Value().(types.Object)
	if !ok {
		t.Fatalf("result %T", resp.Result.Value())
	}
	return obj.Attributes(), nil
}

func strOf(v attr.Value) string { return v.(types.String).ValueString() }

func TestParseCertificateFunction_fields(t *testing.T) {
	t.Parallel()
	ca := testCertificateAuthority(t)
	notAfter := time.Date(2031, 2, 3, 4, 5, 6, 0, time.FixedZone("KST", 9*3600))
	leaf := ca.issue(t, "www.example.com", []string{"example.com"}, leafOptions{notAfter: notAfter})
	got, ferr := runParse(t, leaf.certPEM)
	if ferr != nil {
		t.Fatal(ferr)
	}
	sum := sha256.Sum256(leaf.cert.Raw)
	want := map[string]string{
		"common_name": "www.example.com", "serial_number": certificateSerial(leaf.cert), "issuer": leaf.cert.Issuer.String(),
		"not_after": "2031-02-02T19:05:06Z", "not_before": leaf.cert.NotBefore.UTC().Format(time.RFC3339),
		"key_algorithm": "ECDSA P-256", "sha256_fingerprint": hex.EncodeToString(sum[:]),
	}
	for k, w := range want {
		if g := strOf(got[k]); g != w {
			t.Errorf("%s = %q, want %q", k, g, w)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(strOf(got["sha1_fingerprint"])) {
		t.Errorf("sha1_fingerprint = %q", strOf(got["sha1_fingerprint"]))
	}
	if !strings.HasPrefix(strOf(got["issuer"]), "CN=") || !strings.HasSuffix(strOf(got["not_before"]), "Z") {
		t.Errorf("issuer %q / not_before %q", strOf(got["issuer"]), strOf(got["not_before"]))
	}
	if got["is_ca"].(types.Bool).ValueBool() {
		t.Error("a leaf is_ca")
	}
	if names := got["dns_names"].(types.List).Elements(); len(names) != 2 || strOf(names[0]) != "www.example.com" || strOf(names[1]) != "example.com" {
		t.Errorf("dns_names = %v", names)
	}
	rsaLeaf := ca.issue(t, "rsa.example.com", nil, leafOptions{rsa: true})
	if got, ferr := runParse(t, rsaLeaf.certPEM); ferr != nil || strOf(got["key_algorithm"]) != "RSA 2048" {
		t.Errorf("RSA: %v %v", got, ferr)
	}
	if got, ferr := runParse(t, ca.intermediatePEM); ferr != nil || !got["is_ca"].(types.Bool).ValueBool() {
		t.Errorf("intermediate: %v %v", got, ferr)
	}
	// Ed25519, and a subject without a common name (null, not "").
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(0x0abc), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"ed.example.com"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	got, ferr = runParse(t, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	if ferr != nil || strOf(got["key_algorithm"]) != "Ed25519" || !got["common_name"].IsNull() || strOf(got["serial_number"]) != "abc" {
		t.Errorf("Ed25519: %v %v", got, ferr)
	}
}

// Messy but valid input parses to the same certificate; bad input fails with the
// resources' own messages, on the argument.
func TestParseCertificateFunction_messyInput(t *testing.T) {
	t.Parallel()
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "messy.example.com", nil)
	clean, ferr := runParse(t, leaf.certPEM)
	if ferr != nil {
		t.Fatal(ferr)
	}
	indented := "  " + strings.ReplaceAll(strings.TrimSpace(leaf.certPEM), "\n", "\n    ") + "\n"
	for name, in := range map[string]string{
		"crlf":             strings.ReplaceAll(leaf.certPEM, "\n", "\r\n"),
		"leading spaces":   indented,
		"trailing garbage": leaf.certPEM + "\nsubject=CN=messy.example.com\nissuer=whatever\n",
		"bag attributes":   "Bag Attributes\n    friendlyName: messy\n" + leaf.certPEM,
		"escaped newlines": strings.ReplaceAll(strings.TrimSpace(leaf.certPEM), "\n", `\n`),
		"byte order mark":  "\ufeff" + leaf.certPEM,
	} {
		got, ferr := runParse(t, in)
		if ferr != nil {
			t.Errorf("%s: %v", name, ferr)
			continue
		}
		if strOf(got["sha256_fingerprint"]) != strOf(clean["sha256_fingerprint"]) {
			t.Errorf("%s: another certificate", name)
		}
	}
	for name, tc := range map[string]struct {
		in, want string
	}{
		"empty":          {"", "no PEM block found"},
		"not pem":        {"hello", "no PEM block found"},
		"a private key":  {leaf.keyPEM, `PEM block 1 is a "PRIVATE KEY", only CERTIFICATE blocks belong here`},
		"key after cert": {leaf.certPEM + leaf.keyPEM, `PEM block 2 is a "PRIVATE KEY"`},
		"two certs":      {leaf.certPEM + ca.intermediatePEM, "found 2 certificates; pass exactly one certificate"},
		"broken DER":     {"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "PEM block 1 is not a valid X.509 certificate"},
	} {
		_, ferr := runParse(t, tc.in)
		if ferr == nil || !strings.Contains(ferr.Text, tc.want) || !strings.HasPrefix(ferr.Text, "Invalid certificate PEM: ") {
			t.Errorf("%s: error %v, want %q", name, ferr, tc.want)
			continue
		}
		if ferr.FunctionArgument == nil || *ferr.FunctionArgument != 0 {
			t.Errorf("%s: error not on the pem argument: %+v", name, ferr)
		}
		// The resources say the same about the same input (two certificates aside, where
		// only the advice differs).
		if name == "two certs" {
			continue
		}
		_, problems := checkMaterial(tc.in, ca.intermediatePEM, "", "private_key_pem")
		if len(problems) == 0 || "Invalid certificate PEM: "+problems[0].detail != ferr.Text {
			t.Errorf("%s: resource says %+v, function %q", name, problems, ferr.Text)
		}
	}
}

// Through the Terraform CLI: an output over the function, with no provider configuration.
func TestAccFunctionParseCertificate(t *testing.T) {
	t.Parallel()
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "fn.example.com", []string{"api.example.com"})
	sum := sha256.Sum256(leaf.cert.Raw)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      `output "bad" { value = provider::ncloudcert::parse_certificate(` + hclHeredoc(leaf.keyPEM) + `) }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid certificate PEM: PEM block 1 is a\s+"PRIVATE KEY", only CERTIFICATE blocks belong here`),
			},
			{
				Config: `
locals {
  pem = ` + hclHeredoc("  "+strings.ReplaceAll(leaf.certPEM, "\n", "\n  ")) + `
}
output "parsed" { value = provider::ncloudcert::parse_certificate(local.pem) }
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("parsed", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"common_name":        knownvalue.StringExact("fn.example.com"),
						"dns_names":          knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("fn.example.com"), knownvalue.StringExact("api.example.com")}),
						"serial_number":      knownvalue.StringExact(certificateSerial(leaf.cert)),
						"issuer":             knownvalue.StringExact(leaf.cert.Issuer.String()),
						"not_before":         knownvalue.StringExact(leaf.cert.NotBefore.UTC().Format(time.RFC3339)),
						"not_after":          knownvalue.StringExact(leaf.cert.NotAfter.UTC().Format(time.RFC3339)),
						"key_algorithm":      knownvalue.StringExact("ECDSA P-256"),
						"sha1_fingerprint":   knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{40}$`)),
						"sha256_fingerprint": knownvalue.StringExact(hex.EncodeToString(sum[:])),
						"is_ca":              knownvalue.Bool(false),
					})),
				},
			},
		},
	})
}

// hclHeredoc quotes PEM text for HCL.
func hclHeredoc(s string) string { return "<<-EOT\n" + s + "\nEOT\n" }
