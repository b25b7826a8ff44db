package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// Batched refresh through the real CLI (-parallelism=10): the requests one plan's refresh
// costs, counted by the mock. The certificates are seeded on the mock and written into the
// state directly (no apply of hundreds of resources): the configuration holds none of
// them, and `plan -refresh-only` refreshes every instance in state all the same.

// refreshState writes a state holding one external certificate instance per number.
func refreshState(t *testing.T, dir string, m *testMock, nos []int64, pemFor func(int64) string) {
	t.Helper()
	host := "registry.terraform.io"
	if strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu") {
		host = "registry.opentofu.org"
	}
	var instances []map[string]any
	for i, no := range nos {
		info, ok := m.Certificate(no)
		if !ok {
			t.Fatalf("certificate %d is not on the mock", no)
		}
		pem := info.CertificatePEM
		if pemFor != nil {
			pem = pemFor(no)
		}
		instances = append(instances, map[string]any{
			"index_key": i, "schema_version": 0, "sensitive_attributes": []any{},
			"attributes": map[string]any{"id": fmt.Sprint(no), "name": info.Name, "certificate_pem": pem},
		})
	}
	state := map[string]any{
		"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "00000000-0000-0000-0000-00000000batch",
		"outputs": map[string]any{},
		"resources": []any{map[string]any{
			"mode": "managed", "type": "ncloudcert_external_certificate", "name": "c",
			"provider":  fmt.Sprintf("provider[%q]", host+"/ncloudcert/ncloudcert"),
			"instances": instances,
		}},
	}
	b, err := json.Marshal(state)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "terraform.tfstate"), string(b))
}

func batchRefreshConfig(batch string) string {
	return fmt.Sprintf(`
provider "ncloudcert" {
  max_retries = 2
  %s
}
`, batch)
}

func seedExternals(t *testing.T, m *testMock, n int, prefix string) []int64 {
	t.Helper()
	res, err := m.Seed(n, mockserver.SeedOptions{Types: []string{"external"}, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	var nos []int64
	for no := res.First; no <= res.Last; no++ {
		nos = append(nos, no)
	}
	return nos
}

func totalMockRequests(m *testMock) int {
	n := 0
	for _, v := range m.Stats().Requests {
		n += v
	}
	return n
}

// refreshCount runs one `plan -refresh-only` and returns the API requests it cost.
func refreshCount(ctx context.Context, t *testing.T, tf *tfexec.Terraform, m *testMock) int {
	t.Helper()
	before := totalMockRequests(m)
	if _, err := tf.Plan(ctx, tfexec.RefreshOnly(true), tfexec.Parallelism(10)); err != nil {
		t.Fatalf("plan -refresh-only: %v", err)
	}
	return totalMockRequests(m) - before
}

// One certificate among 10,000 others: exactly one request, as before batching.
func TestAccCLI_batchRefreshOneAmongMany(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	seedExternals(t, m, 10000, "other")
	mine := seedExternals(t, m, 1, "mine")
	writeFile(t, filepath.Join(dir, "main.tf"), batchRefreshConfig(""))
	refreshState(t, dir, m, mine, nil)
	ctx := context.Background()
	if got := refreshCount(ctx, t, tf, m); got != 1 {
		t.Errorf("refresh of 1 certificate among 10,001 cost %d requests, want 1 (%v)", got, m.Stats().Requests)
	}
}

// 300 external certificates: the first read alone, then one v1 listing for the rest; the
// one whose serial differs from state still gets its PEM read; two deleted outside
// Terraform leave state on the complete listing's evidence. batch_reads = false pays one
// request per certificate, as before.
func TestAccCLI_batchRefreshExternals(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	nos := seedExternals(t, m, 300, "b")
	drifted := nos[7]
	other := testCertificateAuthority(t).issue(t, "drifted.example.com", nil)
	writeFile(t, filepath.Join(dir, "main.tf"), batchRefreshConfig(""))
	refreshState(t, dir, m, nos, func(no int64) string {
		if no == drifted {
			return other.certPEM // the service's serial differs: replaced outside Terraform
		}
		info, _ := m.Certificate(no)
		return info.CertificatePEM
	})
	ctx := context.Background()
	chains := m.Requests(mockserver.OpGetCertificateChain)
	if got := refreshCount(ctx, t, tf, m); got > 3 {
		t.Errorf("refresh of 300 certificates cost %d requests, want <= 3 (%v)", got, m.Stats().Requests)
	}
	if got := m.Requests(mockserver.OpGetCertificateChain) - chains; got != 1 {
		t.Errorf("%d PEM reads, want 1 (the drifted certificate alone)", got)
	}

	// Deleted outside Terraform: removed from state on the complete listing's word.
	c := m.client(t)
	for _, no := range nos[:2] {
		info, _ := m.Certificate(no)
		if err := c.DeleteCertificate(ctx, no, info.Name); err != nil {
			t.Fatal(err)
		}
	}
	before := totalMockRequests(m)
	if err := tf.Apply(ctx, tfexec.RefreshOnly(true), tfexec.Parallelism(10)); err != nil {
		t.Fatalf("apply -refresh-only: %v", err)
	}
	if got := totalMockRequests(m) - before; got > 4 {
		t.Errorf("refresh with two deleted cost %d requests, want <= 4 (%v)", got, m.Stats().Requests)
	}
	st, err := tf.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(stateResources(st)); n != 298 {
		t.Errorf("%d certificates in state, want 298", n)
	}

	// The escape hatch: one request per certificate.
	writeFile(t, filepath.Join(dir, "main.tf"), batchRefreshConfig("batch_reads = false"))
	if got := refreshCount(ctx, t, tf, m); got != 298 {
		t.Errorf("refresh with batch_reads = false cost %d requests, want 298", got)
	}
}

// stateResource is one resource of a handwritten state: instances' attributes by index.
func stateResource(host, typ string, attrs []map[string]any) map[string]any {
	var instances []map[string]any
	for i, a := range attrs {
		instances = append(instances, map[string]any{"index_key": i, "schema_version": 0, "sensitive_attributes": []any{}, "attributes": a})
	}
	return map[string]any{"mode": "managed", "type": typ, "name": "c",
		"provider": fmt.Sprintf("provider[%q]", host+"/ncloudcert/ncloudcert"), "instances": instances}
}

// Every kind at once: externals, Cloud Basic issued certificates, Advanced orders. After a
// first refresh fills the state, a refresh costs a handful of listings, and a certificate
// the service renewed in place (new serial) gets its PEM read, alone.
func TestAccCLI_batchRefreshMixedKinds(t *testing.T) {
	t.Parallel()
	m := newTestMock(t, mockserver.Options{DCVDelay: time.Millisecond})
	tf, dir := cliTerraform(t, m, "1.5.0")
	const n = 60
	host := "registry.terraform.io"
	if strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu") {
		host = "registry.opentofu.org"
	}
	var ext, issued, orders []map[string]any
	for _, no := range seedExternals(t, m, n, "ext") {
		info, _ := m.Certificate(no)
		ext = append(ext, map[string]any{"id": fmt.Sprint(no), "name": info.Name, "certificate_pem": info.CertificatePEM})
	}
	res, err := m.Seed(n, mockserver.SeedOptions{Types: []string{"cloud_basic"}, Prefix: "cb"})
	if err != nil {
		t.Fatal(err)
	}
	for no := res.First; no <= res.Last; no++ {
		info, _ := m.Certificate(no)
		issued = append(issued, map[string]any{"id": fmt.Sprint(no), "name": info.Name})
	}
	// One issued by a real request, which the mock can renew in place.
	c := m.client(t)
	requested, err := c.RequestCertificate(context.Background(), client.CertificateRequest{Type: client.CloudBasic, Name: "renewable", CommonName: "renewable.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForIssued(context.Background(), requested.No); err != nil {
		t.Fatal(err)
	}
	renewedNo := requested.No
	issued = append(issued, map[string]any{"id": fmt.Sprint(renewedNo), "name": "renewable"})
	if _, err = m.Seed(n, mockserver.SeedOptions{Types: []string{"advanced_dv"}, Prefix: "adv", Statuses: []string{"NORMAL"}}); err != nil {
		t.Fatal(err)
	}
	all, err := m.client(t).ListOrders(context.Background())
	if err != nil || len(all) != n {
		t.Fatalf("%d orders, %v", len(all), err)
	}
	for _, o := range all {
		orders = append(orders, map[string]any{"id": o.ID, "representative_certificate_no": o.Certificates[0].No, "deletion_protection": false})
	}
	state := map[string]any{
		"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "00000000-0000-0000-0000-00000000batch",
		"outputs": map[string]any{},
		"resources": []any{
			stateResource(host, "ncloudcert_external_certificate", ext),
			stateResource(host, "ncloudcert_issued_certificate", issued),
			stateResource(host, "ncloudcert_advanced_order", orders),
		},
	}
	b, err := json.Marshal(state)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "terraform.tfstate"), string(b))
	writeFile(t, filepath.Join(dir, "main.tf"), batchRefreshConfig(""))
	ctx := context.Background()
	// The first refresh fills what the handwritten state lacks (PEM, records).
	if err := tf.Apply(ctx, tfexec.RefreshOnly(true), tfexec.Parallelism(10)); err != nil {
		t.Fatalf("apply -refresh-only: %v", err)
	}
	got := refreshCount(ctx, t, tf, m)
	t.Logf("refresh of %d certificates and orders: %d requests (%v)", 3*n+1, got, m.Stats().Requests)
	if got > 20 {
		t.Errorf("refresh of %d certificates and orders cost %d requests, want <= 20 (%v)", 3*n, got, m.Stats().Requests)
	}

	// Renewed in place by the service: the same number, a new serial; its PEM is read once.
	if err := m.RenewCertificate(renewedNo); err != nil {
		t.Fatal(err)
	}
	pemReads := m.Requests(mockserver.OpGetCertificateChain) + m.Requests(mockserver.OpDownloadCertificate)
	if err := tf.Apply(ctx, tfexec.RefreshOnly(true), tfexec.Parallelism(10)); err != nil {
		t.Fatalf("apply -refresh-only after renewal: %v", err)
	}
	if got := m.Requests(mockserver.OpGetCertificateChain) + m.Requests(mockserver.OpDownloadCertificate) - pemReads; got != 1 {
		t.Errorf("%d PEM reads after one renewal, want 1", got)
	}
	info, _ := m.Certificate(renewedNo)
	st, err := tf.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range stateResources(st) {
		if r.Type == "ncloudcert_issued_certificate" && fmt.Sprint(r.AttributeValues["id"]) == fmt.Sprint(renewedNo) {
			if got := pemSerial(fmt.Sprint(r.AttributeValues["certificate_pem"])); !strings.EqualFold(strings.ReplaceAll(got, ":", ""), info.SerialNumber) {
				t.Errorf("state holds the PEM of serial %s, want the renewed %s", got, info.SerialNumber)
			}
		}
	}
}
