package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
)

// dcvServer answers ListDcvStatuses with answer and records the request.
func dcvServer(t *testing.T, status int, answer map[string]any) (*Client, *counter, *string) {
	t.Helper()
	var n counter
	var uri string
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		uri = r.Method + " " + r.URL.RequestURI()
		writeJSON(w, status, answer)
	}))
	return c, &n, &uri
}

// The mock's shape: one item per call.
func TestListDcvStatuses(t *testing.T) {
	c, n, uri := dcvServer(t, 200, success(map[string]any{"totalRows": 1, "dnsVerificationCount": 1,
		"dnsVerificationList": []any{map[string]any{"validSn": 5001, "requestSn": "900001", "validStatusCode": "VALID_STATUS_REG",
			"txtName": "_abc.example.com", "txtValue": "def.dcv.ncloudcert-mock.test.", "recordType": "CNAME", "domainAddress": "*.example.com"}},
		"emailVerificationCount": 0, "emailVerificationList": []any{}}))
	recs, err := c.ListDcvStatuses(context.Background(), 1001, "*.example.com", "TXT")
	if err != nil {
		t.Fatal(err)
	}
	want := []DCVRecord{{ValidSn: "5001", RequestSn: "900001", Status: DCVStatusPending, Name: "_abc.example.com", Type: "CNAME",
		Values: []string{"def.dcv.ncloudcert-mock.test."}, Domain: "*.example.com"}}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("got  %+v\nwant %+v", recs, want)
	}
	if *uri != "GET /api/v2/certificate/getVerificationInfo/1001?domainAddress=%2A.example.com" || n.get() != 1 {
		t.Errorf("uri = %s, %d requests", *uri, n.get())
	}
}

// §8 alternatives: validSn as a string, no recordType (the caller's default), several
// items, distinct values for "*.x" and "x" at the same name, a value list, no domain.
func TestListDcvStatusesAlternatives(t *testing.T) {
	c, _, _ := dcvServer(t, 200, success(map[string]any{"totalRows": "2", "dnsVerificationList": []any{
		map[string]any{"validSn": "5001", "requestSn": 900001, "validStatusCode": "VALID_STATUS_SUCCESS",
			"txtName": "_acme-challenge.example.com", "txtValue": "token-for-wildcard", "domainAddress": "*.example.com"},
		map[string]any{"validSn": "5002", "validStatusCode": "VALID_STATUS_REG", "txtName": "_acme-challenge.example.com",
			"txtValue": []any{"token-for-apex", "", "second value"}, "recordType": "txt"},
		"not an object",
	}}))
	recs, err := c.ListDcvStatuses(context.Background(), 7, "example.com", DefaultDCVRecordType(string(GlobalEdge)))
	if err != nil {
		t.Fatal(err)
	}
	want := []DCVRecord{
		{ValidSn: "5001", RequestSn: "900001", Status: DCVStatusSuccess, Name: "_acme-challenge.example.com", Type: "TXT",
			Values: []string{"token-for-wildcard"}, Domain: "*.example.com"},
		{ValidSn: "5002", Status: DCVStatusPending, Name: "_acme-challenge.example.com", Type: "TXT",
			Values: []string{"token-for-apex", "second value"}, Domain: "example.com"},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("got  %+v\nwant %+v", recs, want)
	}
	// A Cloud Basic default.
	c, _, _ = dcvServer(t, 200, success(map[string]any{"dnsVerificationList": map[string]any{"txtName": "_x.example.com", "txtValue": "v."}}))
	recs, err = c.ListDcvStatuses(context.Background(), 7, "example.com", DefaultDCVRecordType(string(CloudBasic)))
	if err != nil || len(recs) != 1 || recs[0].Type != "CNAME" || recs[0].Values[0] != "v." {
		t.Errorf("recs=%+v err=%v", recs, err)
	}
}

func TestListDcvStatusesEmptyAndMissing(t *testing.T) {
	c, _, _ := dcvServer(t, 200, success(map[string]any{"totalRows": 0, "dnsVerificationList": []any{}}))
	recs, err := c.ListDcvStatuses(context.Background(), 7, "example.com", "TXT")
	if err != nil || recs == nil || len(recs) != 0 {
		t.Errorf("empty: %v %v", recs, err)
	}
	// No list field at all proves nothing: an error naming the field.
	c, _, _ = dcvServer(t, 200, success(map[string]any{"totalRows": 0}))
	if _, err := c.ListDcvStatuses(context.Background(), 7, "example.com", "TXT"); err == nil || IsNoValidationInfo(err) {
		t.Errorf("missing list: %v", err)
	}
	// An empty domain sends nothing.
	c, n, _ := dcvServer(t, 200, success(nil))
	if _, err := c.ListDcvStatuses(context.Background(), 7, " ", "TXT"); err == nil || n.get() != 0 {
		t.Errorf("empty domain: %v, %d requests", err, n.get())
	}
}

// 2200 here says there is no validation information for the domain: not "not found".
func TestListDcvStatuses2200IsNotNotFound(t *testing.T) {
	c, n, _ := dcvServer(t, 200, map[string]any{"returnCode": "2200", "returnMessage": "No domain validation information was found for the domain."})
	_, err := c.ListDcvStatuses(context.Background(), 7, "other.example.com", "TXT")
	var nv *NoValidationInfoError
	var apiErr *APIError
	if IsNotFound(err) || !IsNoValidationInfo(err) || !errors.As(err, &nv) || nv.CertificateNo != 7 || nv.Domain != "other.example.com" ||
		!errors.As(err, &apiErr) || apiErr.Code != "2200" {
		t.Fatalf("err = %#v", err)
	}
	if n.get() != 1 {
		t.Errorf("%d requests", n.get())
	}
	// Other errors pass through unchanged.
	c, _, _ = dcvServer(t, 400, map[string]any{"returnCode": "2000", "returnMessage": "domainAddress is required."})
	if _, err := c.ListDcvStatuses(context.Background(), 7, "x.example.com", "TXT"); !IsRequestInvalid(err) || IsNoValidationInfo(err) {
		t.Errorf("err = %v", err)
	}
}
