package client

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func typesServer(t *testing.T, body string) *Client {
	t.Helper()
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/api/v2/certificate/certificateTypes" {
			http.Error(w, "unexpected", http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	return c
}

const typeItems = `[{"name":"Advanced OV","pricingPlan":"PAID","validationLevel":"Organization Validation Certificate","validity":"397","ca":"Sectigo","csrRequired":"Y","certificateTypeCode":"NCP_PAID_OV_01"},
 {"name":"Cloud Basic","pricingPlan":"FREE","validationLevel":"Domain Validation Certificate","validity":90,"csrRequired":"N","certificateTypeCode":"NCP_FREE_DV_01"}]`

// The documented lowercase-t field, its camel-case spelling and the plural all decode.
func TestListCertificateTypes_fieldSpellings(t *testing.T) {
	t.Parallel()
	for _, field := range []string{"certificatetype", "certificateType", "certificateTypes"} {
		c := typesServer(t, `{"returnCode":"0","returnMessage":"Success","totalCount":2,"`+field+`":`+typeItems+`}`)
		got, err := c.ListCertificateTypes(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", field, err)
		}
		if len(got) != 2 {
			t.Fatalf("%s: %+v", field, got)
		}
		ov, basic := got[0], got[1]
		if ov.Code != "NCP_PAID_OV_01" || ov.PricingPlan != "PAID" || ov.ValidityDays == nil || *ov.ValidityDays != 397 ||
			ov.CSRRequired == nil || !*ov.CSRRequired || ov.CA != "Sectigo" || ov.ValidationLevel != "Organization Validation Certificate" {
			t.Errorf("%s: OV = %+v", field, ov)
		}
		if basic.CSRRequired == nil || *basic.CSRRequired || basic.CA != "" || *basic.ValidityDays != 90 {
			t.Errorf("%s: basic = %+v", field, basic)
		}
	}
}

// Without the list field the answer is an error, never "no types".
func TestListCertificateTypes_missingList(t *testing.T) {
	t.Parallel()
	c := typesServer(t, `{"returnCode":"0","returnMessage":"Success","totalCount":0}`)
	if _, err := c.ListCertificateTypes(context.Background()); err == nil || !strings.Contains(err.Error(), "certificatetype") {
		t.Fatalf("err = %v", err)
	}
	c = typesServer(t, `{"returnCode":"0","certificatetype":[{"certificateTypeCode":"X"}]}`)
	got, err := c.ListCertificateTypes(context.Background())
	if err != nil || len(got) != 1 || got[0].ValidityDays != nil || got[0].CSRRequired != nil {
		t.Fatalf("sparse item: %+v %v", got, err)
	}
}
