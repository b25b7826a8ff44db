package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// A v1 that lists and deletes external certificates only (API doc §8): every other kind is
// requested, read, waited on and deleted through API 2.0.
func TestV1ExternalOnlyRequestReadWaitDelete(t *testing.T) {
	fs := newFakeService(t)
	fs.v1ExternalOnly = true
	c, _ := newTestClient(t, fs)
	ctx := context.Background()

	cert, err := c.RequestCertificate(ctx, cloudBasic("cb", "example.com"))
	if err != nil || cert.Name != "cb" || KindOf(cert) != KindCloud {
		t.Fatalf("cert=%+v err=%v", cert, err)
	}
	// Known kind and name: one v2 request, none to v1.
	before := fs.snapshot()
	got, err := c.ReadCertificate(ctx, cert.Ref())
	if err != nil || got.No != cert.No || got.Status() != StatusOngoing {
		t.Fatalf("read: %+v %v", got, err)
	}
	if fs.count(opListCloudCertificates)-before[opListCloudCertificates] != 1 || fs.count(opGetCertificateList) != 0 {
		t.Errorf("calls = %v", fs.snapshot())
	}
	// Unknown kind (by number only): v1 does not have it, v2 does.
	if got, err := c.GetCertificate(ctx, cert.No); err != nil || got.No != cert.No {
		t.Fatalf("by number: %+v %v", got, err)
	}
	// A waiter learns the reference: after the first read, one v2 request per poll.
	fs.mu.Lock()
	fs.certs[cert.No]["statusCode"], fs.certs[cert.No]["statusName"] = "1", "NORMAL"
	fs.mu.Unlock()
	v1 := fs.count(opGetCertificateList)
	if got, err := c.WaitForIssued(ctx, cert.No); err != nil || !got.Issued() {
		t.Fatalf("wait: %+v %v", got, err)
	}
	if fs.count(opGetCertificateList)-v1 != 1 {
		t.Errorf("v1 reads while waiting = %d, want 1", fs.count(opGetCertificateList)-v1)
	}
	// Delete of unknown kind: v1's 1006 is not believed while v2 lists it.
	if err := c.DeleteCertificateWhenUnused(ctx, cert.No, "cb"); err != nil {
		t.Fatal(err)
	}
	if fs.numCerts() != 0 || fs.count(opDeleteCertificateV2) != 1 {
		t.Errorf("certificates left %d, calls %v", fs.numCerts(), fs.snapshot())
	}
	// Gone: v2's complete list is the evidence.
	if _, err := c.ReadCertificate(ctx, CertificateRef{No: cert.No, Name: "cb", Kind: KindCloud}); !IsNotFound(err) {
		t.Errorf("gone: %v", err)
	}
}

// A known kind is deleted through its own API; a known external certificate never asks v2.
func TestDeleteWhenUnusedByKind(t *testing.T) {
	fs := newFakeService(t)
	no := fs.addRequested("cb", string(CloudBasic), kstNow(), "example.com")
	ext := fs.addCert("ext", "01", nil)
	c, _ := newTestClient(t, fs)
	ctx := context.Background()
	if err := c.DeleteWhenUnused(ctx, CertificateRef{No: no, Name: "cb", Kind: KindCloud}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteWhenUnused(ctx, CertificateRef{No: ext, Name: "ext", Kind: KindExternal}); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{opDeleteCertificateV2: 1, opDeleteCertificate: 1}
	if got := fs.snapshot(); !reflect.DeepEqual(got, want) || fs.numCerts() != 0 {
		t.Errorf("calls = %v, want %v", got, want)
	}
}

// Not found only on evidence: a v2 answer that is not the service's is an error.
func TestReadCertificateV2Evidence(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html>404</html>"))
	}))
	_, err := c.ReadCertificate(context.Background(), CertificateRef{No: 7, Name: "x", Kind: KindAdvanced})
	var apiErr *APIError
	if err == nil || IsNotFound(err) || !errors.As(err, &apiErr) || apiErr.Operation != opListCertificates {
		t.Errorf("err = %v", err)
	}
}

// A list that is not provably complete proves nothing: a server that ignores `page` while
// its totalCount says more exist, or that repeats a full page without a count.
func TestReadCertificateV2Incomplete(t *testing.T) {
	page := func(withCount bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			items := []any{}
			for i := 1; i <= 100; i++ {
				items = append(items, map[string]any{"certificateNo": i, "certificateName": "n"})
			}
			body := map[string]any{"sslCertificateList": items}
			if withCount {
				body["totalCount"] = 250
			}
			writeJSON(w, 200, success(body))
		}
	}
	for _, withCount := range []bool{true, false} {
		c, _ := newTestClient(t, page(withCount))
		_, err := c.ReadCertificate(context.Background(), CertificateRef{No: 200, Name: "n", Kind: KindCloud})
		if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "incomplete") {
			t.Errorf("count %v: err = %v", withCount, err)
		}
	}
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		c    Certificate
		want Kind
	}{
		{Certificate{External: true, Type: "NCP_FREE_DV_01"}, KindExternal},
		{Certificate{Type: "ncp_free_dv_01"}, KindCloud},
		{Certificate{Type: string(GlobalEdge)}, KindCloud},
		{Certificate{Type: string(AdvancedOV)}, KindAdvanced},
		{Certificate{}, KindAny},
	} {
		if got := KindOf(&tc.c); got != tc.want {
			t.Errorf("KindOf(%+v) = %v, want %v", tc.c, got, tc.want)
		}
	}
}
