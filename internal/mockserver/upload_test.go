package mockserver

import (
	"cmp"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/testcert"
)

// TestUploadDuplicatesAndChain checks the §8 rules "No duplicates" and "Chain must belong to
// the leaf" on v1 create, v2 register and v2 renewal: a refusal is 26034 and stores nothing.
func TestUploadDuplicatesAndChain(t *testing.T) {
	p := getPKI(t)
	foreign, err := testcert.NewCA("Unrelated")
	if err != nil {
		t.Fatal(err)
	}
	// Same names as the test CA, other keys: the issuer name matches, the signature does not.
	impostor, err := testcert.NewCA("Mock Test")
	if err != nil {
		t.Fatal(err)
	}
	l := p.ecLeaf
	crlfText := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

	cases := []struct {
		name     string
		key      string // "" = l's key
		cert     string // "" = l's certificate
		chain    string
		accepted bool
	}{
		{name: "leaf field holds the leaf twice", cert: l.certPEM + l.certPEM, chain: p.chainPEM},
		{name: "key field holds the key twice", key: l.keyPEM + l.keyPEM, chain: p.chainPEM},
		{name: "intermediate twice", chain: p.intermediatePEM + p.intermediatePEM},
		{name: "intermediate twice, once with CRLF", chain: p.intermediatePEM + crlfText(p.intermediatePEM)},
		{name: "intermediate repeated after the root", chain: p.chainPEM + p.intermediatePEM},
		{name: "root twice", chain: p.chainPEM + p.rootPEM},
		{name: "chain starts with the leaf", chain: l.certPEM + p.chainPEM},
		{name: "chain repeats the leaf after the intermediate", chain: p.intermediatePEM + l.certPEM},
		{name: "chain repeats the leaf at the end", chain: p.chainPEM + l.certPEM},
		{name: "chain of an unrelated CA", chain: foreign.ChainPEM()},
		{name: "same-named intermediate, other key", chain: impostor.ChainPEM()},
		{name: "root first", chain: p.rootPEM + p.intermediatePEM},
		{name: "root only", chain: p.rootPEM},
		{name: "intermediate", chain: p.intermediatePEM, accepted: true},
		{name: "intermediate and root", chain: p.chainPEM, accepted: true},
		// Only the first chain certificate must have signed the leaf.
		{name: "intermediate then an unrelated root", chain: p.intermediatePEM + foreign.RootPEM, accepted: true},
	}

	e := newEnv(t, Options{})
	renewNo := e.create("renew-target", p.rsaLeaf)
	for i, tc := range cases {
		key, cert := cmp.Or(tc.key, l.keyPEM), cmp.Or(tc.cert, l.certPEM)
		ops := []struct {
			op    string
			renew bool
			body  func(name string) any
			path  string
		}{
			{"v1 create", false, func(name string) any {
				return map[string]string{"certificateName": name, "privateKey": key, "publicKeyCertificate": cert, "certificateChain": tc.chain}
			}, "/api/v1/certificate/withExternal"},
			{"v2 register", false, func(name string) any {
				return map[string]any{"certificateName": name, "privateKey": key, "certificateBody": cert, "certificateChain": tc.chain}
			}, "/api/v2/certificate/withExternal"},
			{"v2 renewal", true, func(string) any {
				return map[string]any{"certificateName": "renew-target", "certificateNo": renewNo, "privateKey": key, "certificateBody": cert, "certificateChain": tc.chain}
			}, "/api/v2/certificate/withExternal"},
		}
		for j, op := range ops {
			t.Run(tc.name+"/"+op.op, func(t *testing.T) {
				count := e.srv.Stats().Certificates
				before, _ := e.srv.Certificate(renewNo)
				res := e.signed(http.MethodPost, op.path, op.body(fmt.Sprintf("ok-%d-%d", i, j)))
				if !tc.accepted {
					wantCode(t, res, http.StatusOK, codeInvalidCertificate, msgInvalidCertificate)
					if got := e.srv.Stats().Certificates; got != count {
						t.Errorf("certificates %d → %d", count, got)
					}
					if after, _ := e.srv.Certificate(renewNo); !reflect.DeepEqual(after, before) {
						t.Errorf("renewal target changed:\n%+v\n→ %+v", before, after)
					}
					return
				}
				wantOK(t, res)
				wantCount := count + 1
				if op.renew {
					wantCount = count
					after, _ := e.srv.Certificate(renewNo)
					if after.CertificatePEM != l.certPEM || after.ChainPEM != tc.chain {
						t.Errorf("renewal stored %+v", after)
					}
				}
				if got := e.srv.Stats().Certificates; got != wantCount {
					t.Errorf("certificates %d → %d, want %d", count, got, wantCount)
				}
			})
		}
	}
}
