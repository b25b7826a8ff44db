package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The provider must work against any service that follows the API document, not just our
// mock: these tests put the mock behind a rewriter that answers with the alternatives of the
// API doc's §8 ("what the client must also accept") and run the whole lifecycle through it.

var kst = time.FixedZone("KST", 9*60*60)

var dateFields = map[string]bool{
	"regDate": true, "validStartDate": true, "validEndDate": true, "notBefore": true, "notAfter": true,
	"issueDate": true, "updateDate": true, "revokeDate": true,
}

// wireVariant rewrites one decoded JSON object in place.
type wireVariant struct {
	name string
	// item rewrites each certificate object; body rewrites the top-level envelope.
	item func(map[string]any)
	body func(map[string]any)
}

func rewriteDates(item map[string]any, format func(time.Time) any) {
	for k, v := range item {
		s, ok := v.(string)
		if !dateFields[k] || !ok || s == "" {
			continue
		}
		if t, err := time.ParseInLocation("2006-01-02 15:04:05", s, kst); err == nil {
			item[k] = format(t)
		}
	}
}

var wireVariants = []wireVariant{
	{
		// Numbers as strings and the reverse, RFC 3339 dates with an offset, loose SAN lists.
		name: "stringly typed",
		item: func(it map[string]any) {
			it["certificateNo"] = fmt.Sprint(it["certificateNo"])
			if n, err := strconv.Atoi(fmt.Sprint(it["statusCode"])); err == nil {
				it["statusCode"] = n
			}
			for _, k := range []string{"subDomainAddress", "dnsName"} {
				if s, ok := it[k].(string); ok {
					it[k] = strings.ReplaceAll(s, ",", ", \n")
				}
			}
			if used, ok := it["usedInstanceNoList"].([]any); ok {
				nums := []any{}
				for _, u := range used {
					n, _ := strconv.Atoi(fmt.Sprint(u))
					nums = append(nums, n)
				}
				it["usedInstanceNoList"] = nums
			}
			rewriteDates(it, func(t time.Time) any { return t.Format(time.RFC3339) })
		},
		body: func(b map[string]any) {
			for _, k := range []string{"totalRows", "totalCount"} {
				if v, ok := b[k]; ok {
					b[k] = fmt.Sprint(v)
				}
			}
		},
	},
	{
		// Only the older field names, epoch-millisecond dates, "0" with an empty list for
		// not found, and create answers without the created item.
		name: "legacy fields",
		item: func(it map[string]any) {
			for _, k := range []string{"serialNumber", "issuer", "signatureAlgorithm", "notBefore", "notAfter", "externalYn", "statusName"} {
				delete(it, k)
			}
			rewriteDates(it, func(t time.Time) any { return t.UnixMilli() })
		},
		body: func(b map[string]any) {
			if b["returnCode"] == "2200" {
				b["returnCode"], b["returnMessage"], b["totalRows"], b["sslCertificateList"] = "0", "Success", 0, []any{}
			}
		},
	},
	{
		// A sparse service: no serial at all, no instance list, local-time dates without zone.
		name: "sparse",
		item: func(it map[string]any) {
			for _, k := range []string{"serialNumber", "certSerialNumber", "usedInstanceNoList", "certPublicKeyInfo", "caInfo", "issuer", "memberNo", "domainCode"} {
				delete(it, k)
			}
			rewriteDates(it, func(t time.Time) any { return t.Format("2006-01-02T15:04:05") })
		},
	},
}

// rewritingHandler serves the mock through a variant.
func rewritingHandler(next http.Handler, v wireVariant) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		if strings.HasPrefix(r.URL.Path, "/api/") && len(bytes.TrimSpace(out)) > 0 {
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.UseNumber()
			var body map[string]any
			if err := dec.Decode(&body); err == nil {
				if v.body != nil {
					v.body(body)
				}
				if list, ok := body["sslCertificateList"].([]any); ok && v.item != nil {
					for _, it := range list {
						if m, ok := it.(map[string]any); ok {
							v.item(m)
						}
					}
				}
				if v.name == "legacy fields" && r.Method == http.MethodPost {
					delete(body, "sslCertificateList")
				}
				out, _ = json.Marshal(body)
			}
		}
		for k, vals := range rec.Header() {
			w.Header()[k] = vals
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	})
}

func TestAccExternalCertificate_wireAlternatives(t *testing.T) {
	t.Parallel()
	for _, v := range wireVariants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			if liveMode() {
				t.Skip("mock only")
			}
			mock, err := mockserver.New(mockserver.Options{})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(rewritingHandler(mock, v))
			t.Cleanup(srv.Close)
			m := &testMock{Server: mock, URL: srv.URL}
			ca := testCertificateAuthority(t)
			first := ca.issue(t, "wire.example.com", []string{"alt.example.com"})
			second := ca.issue(t, "wire.example.com", []string{"alt.example.com"})
			sameID := statecheck.CompareValue(compare.ValuesSame())
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories(),
				CheckDestroy:             m.checkNoCertificates,
				Steps: []resource.TestStep{
					{
						Config: m.providerBlock() + externalConfig("acc-wire", first, ca.intermediatePEM),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							sameID.AddStateValue(testResource, at("id")),
							statecheck.ExpectKnownValue(testResource, at("common_name"), knownvalue.StringExact("wire.example.com")),
							statecheck.ExpectKnownValue(testResource, at("dns_names"), knownvalue.SetExact([]knownvalue.Check{
								knownvalue.StringExact("wire.example.com"), knownvalue.StringExact("alt.example.com")})),
							statecheck.ExpectKnownValue(testResource, at("status"), knownvalue.StringExact("NORMAL")),
							statecheck.ExpectKnownValue(testResource, at("not_after"), knownvalue.StringExact(first.cert.NotAfter.UTC().Format(time.RFC3339))),
						},
					},
					{
						ResourceName:            testResource,
						ImportState:             true,
						ImportStateVerify:       true,
						ImportStateVerifyIgnore: []string{"private_key_pem"},
					},
					{
						Config: m.providerBlock() + externalConfig("acc-wire", second, ca.intermediatePEM),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testResource, at("id"))},
						Check:             m.expectRequests("createExternalCertificate", 1),
					},
				},
			})
		})
	}
}
