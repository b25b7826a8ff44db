package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// The data source examples, applied as written with the Terraform CLI against an account
// holding what they look for: their outputs say what each page promises.
func TestAccExample_dataSources(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	tf, dir := cliTerraform(t, m, "1.5.0")
	ctx := context.Background()
	ca := testCertificateAuthority(t)
	chain := ca.intermediatePEM + ca.rootPEM
	www := registerOutside(t, m, "www-example-com", ca.issue(t, "*.example.com", nil, leafOptions{notAfter: time.Now().Add(20 * 24 * time.Hour)}), chain).No
	registerOutside(t, m, "legacy-web", ca.issue(t, "legacy.example.org", nil), chain)
	api, err := m.client(t).RequestCertificate(ctx, client.CertificateRequest{Type: client.GlobalEdge, Name: "api-example-com", CommonName: "api.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ValidateCertificate(api.No); err != nil { // NORMAL_GLOBAL_EDGE_DEDICATED: usable, found by name
		t.Fatal(err)
	}
	waiting, _ := testAdvancedCertificate(t, m, "ex-adv", true)
	testAdvancedCertificate(t, m, "ex-adv-pending", false)
	for _, name := range []string{"ncloudcert_certificates", "ncloudcert_certificate", "ncloudcert_advanced_certificates", "ncloudcert_advanced_orders"} {
		copyFile(t, "../../examples/data-sources/"+name+"/data-source.tf", filepath.Join(dir, name+".tf"))
	}
	if err := tf.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	out, err := tf.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var expiring map[string]string
	var wwwCert struct {
		No int64 `json:"certificate_no"`
	}
	var waitingForKey []string
	var ending map[string]any
	for key, into := range map[string]any{"expiring": &expiring, "www_certificate": &wwwCert, "waiting_for_key": &waitingForKey, "subscriptions_ending": &ending} {
		if err := json.Unmarshal(out[key].Value, into); err != nil {
			t.Fatalf("output %s: %v", key, err)
		}
	}
	if _, ok := expiring["www-example-com"]; !ok || len(expiring) != 1 {
		t.Errorf("expiring = %v, want www-example-com", expiring)
	}
	if wwwCert.No != www {
		t.Errorf("www_certificate = %d, want %d", wwwCert.No, www)
	}
	if len(waitingForKey) != 1 || !strings.HasSuffix(waitingForKey[0], fmt.Sprintf("/%d ex-adv", waiting)) {
		t.Errorf("waiting_for_key = %v, want only certificate %d (the pending one is not issued)", waitingForKey, waiting)
	}
	if len(ending) != 0 {
		t.Errorf("subscriptions_ending = %v, want none", ending)
	}
}
