package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

const testResource = "ncloudcert_external_certificate.test"

func at(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

// create → empty plan → import verify → reformatted PEM is no change → in-place renewal
// keeping the id → name change replaces.
func TestAccExternalCertificate_lifecycle(t *testing.T) {
	t.Parallel()
	m := newTestTarget(t)
	ca := testCertificateAuthority(t)
	first := ca.issue(t, "www.example.com", []string{"example.com"})
	second := ca.issue(t, "www.example.com", []string{"example.com", "api.example.com"}, leafOptions{rsa: true})
	sameID := statecheck.CompareValue(compare.ValuesSame())
	reformatted := first
	reformatted.certPEM = "\n  " + strings.ReplaceAll(first.certPEM, "\n", "\r\n") + "\n\n"
	sec1, err := testcert.PrivateKeyPEM(first.key, testcert.Legacy) // the same key as "EC PRIVATE KEY"
	if err != nil {
		t.Fatal(err)
	}
	reformatted.keyPEM = sec1

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock() + externalConfig("acc-lifecycle", first, ca.intermediatePEM),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(testResource, at("type"), knownvalue.StringExact("external")),
						plancheck.ExpectUnknownValue(testResource, at("serial_number")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testResource, at("id")),
					statecheck.ExpectKnownValue(testResource, at("name"), knownvalue.StringExact("acc-lifecycle")),
					statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(first.serial())),
					statecheck.ExpectKnownValue(testResource, at("common_name"), knownvalue.StringExact("www.example.com")),
					statecheck.ExpectKnownValue(testResource, at("dns_names"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("www.example.com"), knownvalue.StringExact("example.com")})),
					statecheck.ExpectKnownValue(testResource, at("type"), knownvalue.StringExact("external")),
					statecheck.ExpectKnownValue(testResource, at("status"), knownvalue.StringExact("NORMAL")),
					statecheck.ExpectKnownValue(testResource, at("in_use"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testResource, at("public_key_info"), knownvalue.StringExact("ECDSA P-256")),
					statecheck.ExpectKnownValue(testResource, at("not_after"), knownvalue.StringExact(first.cert.NotAfter.UTC().Format("2006-01-02T15:04:05Z"))),
				},
				Check: m.expectRequests("createExternalCertificate", 1),
			},
			{
				ResourceName:            testResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"private_key_pem"},
			},
			{
				// Formatting alone is no change: CRLF and whitespace, a chain with its root, the key in SEC1 form.
				Config: m.providerBlock() + externalConfig("acc-lifecycle", reformatted, strings.ReplaceAll(ca.intermediatePEM, "\n", "\r\n")+ca.rootPEM),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: m.providerBlock() + externalConfig("acc-lifecycle", second, ca.intermediatePEM),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(testResource, at("serial_number")),
						plancheck.ExpectKnownValue(testResource, at("certificate_no"), knownvalue.NotNull()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testResource, at("id")),
					statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(second.serial())),
					statecheck.ExpectKnownValue(testResource, at("public_key_info"), knownvalue.StringExact("RSA 2048")),
					statecheck.ExpectKnownValue(testResource, at("dns_names"), knownvalue.SetSizeExact(3)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.expectRequests("createExternalCertificate", 1),
					m.expectRequests("RegisterExternalCertificate", 1),
				),
			},
			{
				Config: m.providerBlock() + externalConfig("acc-renamed", second, ca.intermediatePEM),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, at("name"), knownvalue.StringExact("acc-renamed")),
				},
				Check: m.expectCertificates(1),
			},
		},
	})
}

// name_prefix with create_before_destroy: a changed prefix registers the new certificate
// before the old one goes; names fit the service's rule.
func TestAccExternalCertificate_namePrefix(t *testing.T) {
	t.Parallel()
	m := newTestTarget(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "prefix.example.com", nil)
	config := func(prefix string) string {
		return m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_external_certificate" "test" {
  name_prefix           = %q
  certificate_pem       = %s
  certificate_chain_pem = %s
  private_key_pem       = %s
  lifecycle {
    create_before_destroy = true
  }
}
resource "ncloudcert_external_certificate" "generated" {
  certificate_pem       = %s
  certificate_chain_pem = %s
  private_key_pem       = %s
}
`, prefix, hcl(leaf.certPEM), hcl(ca.intermediatePEM), hcl(leaf.keyPEM), hcl(leaf.certPEM), hcl(ca.intermediatePEM), hcl(leaf.keyPEM))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: config("web-"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, at("name"), knownvalue.StringRegexp(regexp.MustCompile(`^web-[a-z0-9]{8}$`))),
					statecheck.ExpectKnownValue("ncloudcert_external_certificate.generated", at("name"), knownvalue.StringRegexp(regexp.MustCompile(`^tf-[a-z0-9]{8}$`))),
				},
			},
			{
				Config: config("api-"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreateBeforeDestroy)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, at("name"), knownvalue.StringRegexp(regexp.MustCompile(`^api-[a-z0-9]{8}$`))),
				},
			},
		},
	})
}

// The write-only key never reaches plan or state; bumping its version renews in place.
func TestAccExternalCertificate_writeOnlyKey(t *testing.T) {
	t.Parallel()
	m := newTestTarget(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "wo.example.com", nil)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	config := func(version int) string {
		return m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_external_certificate" "test" {
  name                       = "acc-write-only"
  certificate_pem            = %s
  certificate_chain_pem      = %s
  private_key_pem_wo         = %s
  private_key_pem_wo_version = %d
}
`, hcl(leaf.certPEM), hcl(ca.intermediatePEM), hcl(leaf.keyPEM), version)
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: config(1),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testResource, at("id")),
					statecheck.ExpectKnownValue(testResource, at("private_key_pem_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testResource, at("private_key_pem"), knownvalue.Null()),
					noSecretsInState{secrets: []string{leaf.keyPEM}},
				},
			},
			{
				Config: config(2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testResource, at("id")),
					noSecretsInState{secrets: []string{leaf.keyPEM}},
				},
				Check: m.expectRequests("RegisterExternalCertificate", 1),
			},
		},
	})
}

// Every bad input is an error on its attribute at plan time, and nothing reaches the service.
func TestAccExternalCertificate_badInput(t *testing.T) {
	t.Parallel()
	m := newTestTarget(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "bad.example.com", nil)
	other := ca.issue(t, "other.example.com", nil)
	expired := ca.issue(t, "expired.example.com", nil, leafOptions{notBefore: leaf.cert.NotBefore.AddDate(0, 0, -30), notAfter: leaf.cert.NotBefore.AddDate(0, 0, -1)})
	unrelated, err := testcert.NewCA("Unrelated")
	if err != nil {
		t.Fatal(err)
	}

	withKey := func(name, cert, chain, key string) string {
		return m.providerBlock() + externalConfig(name, testLeaf{certPEM: cert, keyPEM: key}, chain)
	}
	noKey := m.providerBlock() + fmt.Sprintf(`
resource "ncloudcert_external_certificate" "test" {
  name                  = "acc-no-key"
  certificate_pem       = %s
  certificate_chain_pem = %s
}
`, hcl(leaf.certPEM), hcl(ca.intermediatePEM))

	steps := []resource.TestStep{
		{Config: withKey("acc-bad", "garbage", ca.intermediatePEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Invalid certificate PEM.*certificate_pem\s+= "garbage"`)},
		{Config: withKey("acc-bad", leaf.certPEM+ca.intermediatePEM, ca.intermediatePEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`found 2 certificates`)},
		{Config: withKey("acc-bad", leaf.certPEM, ca.intermediatePEM, other.keyPEM), ExpectError: regexp.MustCompile(`(?s)Private key does not match the certificate.*private_key_pem\s+=`)},
		{Config: withKey("acc-bad", leaf.certPEM, ca.intermediatePEM+leaf.keyPEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Invalid certificate chain PEM.*certificate_chain_pem\s+=.*only CERTIFICATE blocks`)},
		{Config: withKey("acc-bad", leaf.certPEM, ca.intermediatePEM, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"), ExpectError: regexp.MustCompile(`encrypted`)},
		{Config: withKey("acc-bad", expired.certPEM, ca.intermediatePEM, expired.keyPEM), ExpectError: regexp.MustCompile(`(?s)Certificate has expired.*certificate_pem\s+=`)},
		{Config: withKey("1starts-with-digit", leaf.certPEM, ca.intermediatePEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*name\s+=.*3–20 characters`)},
		{Config: withKey("this-name-is-far-too-long", leaf.certPEM, ca.intermediatePEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*name\s+=.*3–20 characters`)},
		{Config: withKey("no_underscores", leaf.certPEM, ca.intermediatePEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*name\s+=.*3–20 characters`)},
		{Config: noKey, ExpectError: regexp.MustCompile(`(?s)private_key_pem.*private_key_pem_wo`)},
		// What the service refuses in a chain (API doc §8), caught before anything is sent.
		{Config: withKey("acc-bad", leaf.certPEM, "", leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Invalid certificate chain PEM.*certificate_chain_pem\s+=.*no PEM block found`)},
		{Config: withKey("acc-bad", leaf.certPEM, ca.intermediatePEM+ca.intermediatePEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Certificate chain does not fit the certificate.*certificate_chain_pem\s+=.*are the same certificate`)},
		{Config: withKey("acc-bad", leaf.certPEM, ca.intermediatePEM+leaf.certPEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Certificate chain does not fit the certificate.*server certificate itself`)},
		{Config: withKey("acc-bad", leaf.certPEM, ca.rootPEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Certificate chain does not fit the certificate.*did not issue the server certificate`)},
		{Config: withKey("acc-bad", leaf.certPEM, unrelated.IntermediatePEM, leaf.keyPEM), ExpectError: regexp.MustCompile(`(?s)Certificate chain does not fit the certificate.*did not issue the server certificate`)},
	}
	for i := range steps {
		steps[i].PlanOnly = true
	}
	steps = append(steps, resource.TestStep{
		Config:   m.providerBlock() + `resource "ncloudcert_external_certificate" "test" {}`,
		PlanOnly: true, ExpectError: regexp.MustCompile(`certificate_pem`),
	})
	for _, id := range []string{"not-a-number", "0", "-5", "12x"} {
		steps = append(steps, resource.TestStep{
			ResourceName: testResource, ImportState: true, ImportStateId: id,
			Config:      m.providerBlock() + externalConfig("acc-import", leaf, ca.intermediatePEM),
			ExpectError: regexp.MustCompile(`(?s)Invalid import id.*Expected the certificate number`),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		Steps:                    steps,
		CheckDestroy:             m.expectNoRequests,
	})
}

// A certificate deleted outside Terraform is recreated; one renewed outside shows as a diff
// and the apply puts the configured material back, keeping the number.
func TestAccExternalCertificate_drift(t *testing.T) {
	t.Parallel()
	m := newTestTarget(t)
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "drift.example.com", nil)
	outside := ca.issue(t, "drift.example.com", nil)
	config := m.providerBlock() + externalConfig("acc-drift", leaf, ca.intermediatePEM)
	c := m.client(t)
	var firstNo, secondNo int64
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories(),
		CheckDestroy:             m.checkNoCertificates,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraformState) error {
					_, err := fmt.Sscan(s.RootModule().Resources[testResource].Primary.ID, &firstNo)
					return err
				},
			},
			{
				PreConfig: func() {
					if err := c.DeleteCertificate(context.Background(), firstNo, "acc-drift"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testResource, at("id"))},
				Check: func(s *terraformState) error {
					var no int64
					if _, err := fmt.Sscan(s.RootModule().Resources[testResource].Primary.ID, &no); err != nil {
						return err
					}
					if no == firstNo {
						return fmt.Errorf("expected a new certificate number after recreation")
					}
					secondNo = no
					return nil
				},
			},
			{
				PreConfig: func() {
					_, err := c.RegisterExternalCertificate(context.Background(), client.ExternalCertificateInput{
						No: secondNo, Name: "acc-drift", Certificate: outside.certPEM, Chain: ca.intermediatePEM, PrivateKey: outside.keyPEM, SerialNumber: outside.serial(),
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testResource, at("id")),
					statecheck.ExpectKnownValue(testResource, at("serial_number"), knownvalue.StringExact(leaf.serial())),
				},
			},
		},
	})
}

// lastCertificateNo is the highest certificate number the mock holds.
func (m *testMock) lastCertificateNo(t *testing.T) int64 {
	t.Helper()
	certs, err := m.client(t).GetCertificateList(context.Background(), client.ListFilter{})
	if err != nil || len(certs) == 0 {
		t.Fatalf("listing certificates: %v (%d found)", err, len(certs))
	}
	var no int64
	for _, c := range certs {
		no = max(no, c.No)
	}
	return no
}
