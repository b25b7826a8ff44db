package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// The issued certificate's whole DNS flow through the rewriting proxy of
// wire_alternatives_test.go, extended to the answers only this flow sees: ListDcvStatuses and
// the two request answers, rewritten into the alternatives of the API doc's §8.

// issuedWireVariant is a wireVariant (list items and envelopes, applied by rewritingHandler;
// item also to the Global Edge answer's certificate object, the same shape) plus rewrites of
// the issue flow's own answers.
type issuedWireVariant struct {
	wireVariant
	dcvBody    func(map[string]any)                   // the ListDcvStatuses envelope
	dcvItem    func(map[string]any)                   // each dnsVerificationList item
	dcvList    func(domain string, items []any) []any // the list as a whole; domain as queried
	cloudBasic func(map[string]any)                   // the CloudBasicCertificateRequest answer
	globalEdge func(map[string]any)                   // the GlobalEdgeCertificateRequest answer's certificate
	// sharedValues is how many values the record shared by *.wire.example.com and
	// wire.example.com must expose.
	sharedValues int
}

// stringify turns the given numeric fields of m into numeric strings.
func stringify(m map[string]any, keys ...string) {
	for _, k := range keys {
		if v, ok := m[k]; ok && v != nil {
			m[k] = fmt.Sprint(v)
		}
	}
}

var issuedWireVariants = func() []issuedWireVariant {
	var out []issuedWireVariant
	for _, v := range wireVariants {
		out = append(out, issuedWireVariant{wireVariant: v, sharedValues: 1})
	}
	return append(out,
		issuedWireVariant{
			// ListDcvStatuses before 2026-09-17 and then some: validSn a string, no recordType
			// (the type's default applies), the value as a one-element array, counts as strings.
			wireVariant: wireVariant{name: "dcv stringly typed"},
			dcvBody: func(b map[string]any) {
				stringify(b, "totalRows", "dnsVerificationCount", "emailVerificationCount")
			},
			dcvItem: func(it map[string]any) {
				stringify(it, "validSn")
				delete(it, "recordType")
				if v, ok := it["txtValue"].(string); ok {
					it["txtValue"] = []any{v}
				}
			},
			sharedValues: 1,
		},
		issuedWireVariant{
			// Several items for one query: *.x and x listed apart, at the same name with
			// distinct values (every value is exposed; publishing both validates).
			wireVariant: wireVariant{name: "dcv several items"},
			dcvList: func(domain string, items []any) []any {
				if canonicalDomain(domain) != "wire.example.com" {
					return items
				}
				var out []any
				for _, it := range items {
					m, ok := it.(map[string]any)
					if !ok {
						continue
					}
					wildcard := make(map[string]any, len(m))
					for k, v := range m {
						wildcard[k] = v
					}
					wildcard["domainAddress"] = "*.wire.example.com"
					wildcard["txtValue"] = "wildcard-" + fmt.Sprint(m["txtValue"])
					wildcard["validSn"] = json.Number("7" + fmt.Sprint(m["validSn"]))
					out = append(out, wildcard, m)
				}
				return out
			},
			dcvBody: func(b map[string]any) {
				if l, ok := b["dnsVerificationList"].([]any); ok {
					b["totalRows"], b["dnsVerificationCount"] = len(l), len(l)
				}
			},
			sharedValues: 2,
		},
		issuedWireVariant{
			// Request answers: Cloud Basic without requestSn (and still no certificateNo),
			// Global Edge with certificateNo and statusCode as strings.
			wireVariant: wireVariant{name: "request answers"},
			cloudBasic:  func(b map[string]any) { delete(b, "requestSn") },
			globalEdge: func(c map[string]any) {
				stringify(c, "certificateNo", "statusCode")
			},
			sharedValues: 1,
		},
	)
}()

// issuedWireHits counts the answers the proxy rewrote, so that a variant cannot pass
// without its rewrite ever reaching the provider.
type issuedWireHits struct {
	dcv, cloudBasic, globalEdge atomic.Int64
}

// check fails when an answer the variant rewrites for this type was never rewritten.
func (h *issuedWireHits) check(v issuedWireVariant, typ string) resource.TestCheckFunc {
	return func(*terraformState) error {
		switch {
		case (v.dcvItem != nil || v.dcvList != nil || v.dcvBody != nil) && h.dcv.Load() == 0:
			return fmt.Errorf("no ListDcvStatuses answer went through the %q rewrite", v.name)
		case typ == "cloud_basic" && v.cloudBasic != nil && h.cloudBasic.Load() != 1:
			return fmt.Errorf("%d CloudBasicCertificateRequest answers went through the %q rewrite, want 1", h.cloudBasic.Load(), v.name)
		case typ == "global_edge" && (v.globalEdge != nil || v.item != nil) && h.globalEdge.Load() != 1:
			return fmt.Errorf("%d GlobalEdgeCertificateRequest answers went through the %q rewrite, want 1", h.globalEdge.Load(), v.name)
		}
		return nil
	}
}

// issuedRewritingHandler serves the mock through v: the issue flow's answers first, then
// rewritingHandler for list items and envelopes (so its body rewrite sees every answer).
func issuedRewritingHandler(next http.Handler, v issuedWireVariant, hits *issuedWireHits) http.Handler {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		if strings.HasPrefix(r.URL.Path, "/api/") && len(bytes.TrimSpace(out)) > 0 {
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.UseNumber()
			var body map[string]any
			if err := dec.Decode(&body); err == nil {
				if list, ok := body["dnsVerificationList"].([]any); ok {
					hits.dcv.Add(1)
					if v.dcvList != nil {
						list = v.dcvList(r.URL.Query().Get("domainAddress"), list)
						body["dnsVerificationList"] = list
					}
					for _, it := range list {
						if m, ok := it.(map[string]any); ok && v.dcvItem != nil {
							v.dcvItem(m)
						}
					}
					if v.dcvBody != nil {
						v.dcvBody(body)
					}
				}
				if strings.HasSuffix(r.URL.Path, "/requestCertificateIssuance") && v.cloudBasic != nil {
					hits.cloudBasic.Add(1)
					v.cloudBasic(body)
				}
				// GetCertificateChain's "certificate" is a PEM string: only the object counts.
				if c, ok := body["certificate"].(map[string]any); ok {
					hits.globalEdge.Add(1)
					if v.item != nil {
						v.item(c)
					}
					if v.globalEdge != nil {
						v.globalEdge(c)
					}
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
	return rewritingHandler(inner, v.wireVariant)
}

func TestAccIssuedCertificate_wireAlternatives(t *testing.T) {
	t.Parallel()
	for _, v := range issuedWireVariants {
		for _, typ := range issuedCertificateTypes {
			t.Run(v.name+"/"+typ, func(t *testing.T) {
				t.Parallel()
				if liveMode() {
					t.Skip("mock only")
				}
				testIssuedWireVariant(t, v, typ)
			})
		}
	}
}

func testIssuedWireVariant(t *testing.T, v issuedWireVariant, typ string) {
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hits := &issuedWireHits{}
	srv := httptest.NewServer(issuedRewritingHandler(mock, v, hits))
	t.Cleanup(srv.Close)
	m := &testMock{Server: mock, URL: srv.URL}

	op, otherOp := mockserver.OpCloudBasicCertificateRequest, mockserver.OpGlobalEdgeCertificateRequest
	status, recordType := client.StatusNormal, "CNAME"
	if typ == "global_edge" {
		op, otherOp = otherOp, op
		status, recordType = client.StatusNormalGlobalEdgeDedicated, "TXT"
	}
	config := func(extra string) string {
		return m.providerBlock() + issuedBlock(
			`  name        = "acc-wire"`,
			`  type        = "`+typ+`"`,
			`  common_name = "*.wire.example.com"`,
			`  dns_names   = ["wire.example.com", "alt.example.com"]`,
			extra,
		) + dnsRecordsBlock + validationBlock(
			// A regression fails here instead of waiting 75 minutes for a record never seen.
			`  timeouts {`, `    create = "90s"`, `  }`)
	}
	records := at("domain_validation_records")
	requests := resource.ComposeAggregateTestCheckFunc(m.expectRequests(op, 1), m.expectRequests(otherOp, 0))
	sameID := statecheck.CompareValue(compare.ValuesSame())
	emptyAfter := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactoriesWithDNS(m),
		CheckDestroy:             m.checkNoCertificatesNorRecords,
		Steps: []resource.TestStep{
			{
				// Request, records into DNS, validation: one apply.
				Config:           config(""),
				ConfigPlanChecks: emptyAfter,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact(status)),
					statecheck.ExpectKnownValue(validationResource, at("issued_at"), knownvalue.NotNull()),
					statecheck.CompareValuePairs(validationResource, at("certificate_no"), issuedResource, at("certificate_no"), compare.ValuesSame()),
					// *.wire.example.com and wire.example.com share one entry.
					statecheck.ExpectKnownValue(issuedResource, records, knownvalue.MapSizeExact(2)),
					statecheck.ExpectKnownValue(issuedResource, records.AtMapKey("wire.example.com").AtMapKey("domains"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("*.wire.example.com"), knownvalue.StringExact("wire.example.com")})),
					statecheck.ExpectKnownValue(issuedResource, records.AtMapKey("wire.example.com").AtMapKey("record_type"), knownvalue.StringExact(recordType)),
					statecheck.ExpectKnownValue(issuedResource, records.AtMapKey("alt.example.com").AtMapKey("record_type"), knownvalue.StringExact(recordType)),
					statecheck.ExpectKnownValue(issuedResource, records.AtMapKey("wire.example.com").AtMapKey("record_values"), knownvalue.ListSizeExact(v.sharedValues)),
					statecheck.ExpectKnownValue(issuedResource, records.AtMapKey("alt.example.com").AtMapKey("record_values"), knownvalue.ListSizeExact(1)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(requests, m.expectCertificates(1), m.expectDNSRecords(2)),
			},
			{
				// A refresh sees it issued, with its PEM.
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					statecheck.ExpectKnownValue(issuedResource, at("status"), knownvalue.StringExact(status)),
					statecheck.ExpectKnownValue(issuedResource, at("certificate_pem"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(issuedResource, at("issued_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(issuedResource, records, knownvalue.MapSizeExact(2)),
					statecheck.ExpectKnownValue(issuedResource, at("validation_status").AtMapKey("wire.example.com"), knownvalue.StringExact(client.DCVStatusSuccess)),
					statecheck.ExpectKnownValue(issuedResource, records.AtMapKey("wire.example.com").AtMapKey("record_values"), knownvalue.ListSizeExact(v.sharedValues)),
					expectLeafNames{issuedResource, []string{"*.wire.example.com", "wire.example.com", "alt.example.com"}},
				},
				Check: requests,
			},
			{
				ResourceName:      issuedResource,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				// auto_renewal in place.
				Config: config(`  auto_renewal = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(issuedResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(validationResource, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(issuedResource, at("id")),
					statecheck.ExpectKnownValue(issuedResource, at("auto_renewal"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(issuedResource, at("status"), knownvalue.StringExact(status)),
					statecheck.ExpectKnownValue(validationResource, at("status"), knownvalue.StringExact(status)),
					statecheck.ExpectKnownValue(issuedResource, records, knownvalue.MapSizeExact(2)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					requests,
					hits.check(v, typ),
					m.expectRequests(mockserver.OpSetRenewalStatus, 2), // on at create (the default), off now
					func(s *terraformState) error {
						no, err := certificateNoOf(s, issuedResource)
						if err != nil {
							return err
						}
						if info, _ := m.Certificate(no); info.RenewalYn != "N" {
							return fmt.Errorf("renewalYn is %q on the service, want N", info.RenewalYn)
						}
						return nil
					},
				),
			},
		},
	})
}
