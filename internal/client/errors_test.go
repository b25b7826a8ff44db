package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestErrorEnvelopes(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		path    string // "v2" calls the chain operation
		want    APIError
		wantMsg string // substring of Error()
		is      func(error) bool
	}{
		{
			name: "returnCode on HTTP 400", status: 400,
			body:    `{"returnCode":"2000","returnMessage":"can only contain 3-20 English alphabet"}`,
			want:    APIError{Operation: "getCertificateList", HTTPStatus: 400, Code: "2000", Message: "can only contain 3-20 English alphabet"},
			wantMsg: "getCertificateList: HTTP 400, code 2000: can only contain 3-20 English alphabet",
		},
		{
			name: "returnCode on HTTP 200", status: 200,
			body: `{"returnCode":"1004","returnMessage":"Failed to delete the certificate."}`,
			want: APIError{Operation: "getCertificateList", HTTPStatus: 200, Code: "1004", Message: "Failed to delete the certificate."},
			is:   IsInUse,
		},
		{
			name: "numeric returnCode", status: 200, body: `{"returnCode":1006,"returnMessage":"No certificate exists."}`,
			want: APIError{Operation: "getCertificateList", HTTPStatus: 200, Code: "1006", Message: "No certificate exists."},
		},
		{
			name: "gateway envelope 401", status: 401,
			body:    `{"error":{"errorCode":"200","message":"Authentication Failed","details":"Invalid authentication information."}}`,
			want:    APIError{Operation: "getCertificateList", HTTPStatus: 401, Code: "200", Message: "Authentication Failed: Invalid authentication information.", AccessKey: testAccessKey},
			wantMsg: `access key "AK_TEST"`, is: IsAuth,
		},
		{
			name: "gateway envelope 429", status: 429, body: `{"error":{"errorCode":"410","message":"Throttle Limited"}}`,
			want: APIError{Operation: "getCertificateList", HTTPStatus: 429, Code: "410", Message: "Throttle Limited"},
			is:   IsThrottled,
		},
		{
			name: "gateway route not found", status: 404, body: `{"error":{"errorCode":"300","message":"Not Found Exception"}}`,
			want:    APIError{Operation: "getCertificateList", HTTPStatus: 404, Code: "300", Message: "Not Found Exception"},
			wantMsg: "check the endpoint", is: notServiceNotFound,
		},
		{
			// A web server's error page says nothing about the certificate (API doc §8).
			name: "spring 404", status: 404,
			body:    `{"timestamp":"2026-09-17T01:00:00.000+00:00","status":404,"error":"Not Found","path":"/api/v1/x"}`,
			want:    APIError{Operation: "getCertificateList", HTTPStatus: 404, Message: "Not Found"},
			wantMsg: "getCertificateList: HTTP 404: Not Found (from GET http://", is: notServiceNotFound,
		},
		{
			name: "proxy 404 page", status: 404, body: `<html><body><h1>404 Not Found</h1></body></html>`,
			want:    APIError{Operation: "getCertificateList", HTTPStatus: 404, Message: "<html><body><h1>404 Not Found</h1></body></html>"},
			wantMsg: "/api/v1/certificates: not a Certificate Manager answer; check the endpoint", is: notServiceNotFound,
		},
		{
			name: "empty 200", status: 200, body: "",
			want:    APIError{Operation: "getCertificateList", HTTPStatus: 200, Message: "empty response body (OK)"},
			wantMsg: "not a Certificate Manager answer", is: notServiceNotFound,
		},
		{
			name: "JSON 200 without returnCode", status: 200, body: `{"status":"ok"}`,
			want:    APIError{Operation: "getCertificateList", HTTPStatus: 200, Message: `no returnCode in the answer: {"status":"ok"}`},
			wantMsg: "not a Certificate Manager answer", is: notServiceNotFound,
		},
		{
			name: "returnCode 0 without the list", status: 200, body: `{"returnCode":"0","returnMessage":"Success"}`,
			want:    APIError{Operation: "getCertificateList", HTTPStatus: 200, Message: "the answer has no sslCertificateList field"},
			wantMsg: "not a Certificate Manager answer", is: notServiceNotFound,
		},
		{
			name: "spring with message", status: 500, body: `{"status":500,"error":"Internal Server Error","message":"boom"}`,
			want: APIError{Operation: "getCertificateList", HTTPStatus: 500, Message: "Internal Server Error: boom"},
		},
		{
			name: "empty 403 on v2", status: 403, body: "", path: "v2",
			want:    APIError{Operation: "GetCertificateChain", HTTPStatus: 403, Message: v2SubAccountForbidMsg, AccessKey: testAccessKey},
			wantMsg: "main-account", is: IsForbidden,
		},
		{
			name: "empty 403 on v1", status: 403, body: "",
			want: APIError{Operation: "getCertificateList", HTTPStatus: 403, Message: "empty response body (Forbidden)", AccessKey: testAccessKey},
			is:   IsForbidden,
		},
		{
			name: "empty 500", status: 500, body: "",
			want: APIError{Operation: "getCertificateList", HTTPStatus: 500, Message: "empty response body (Internal Server Error)"},
		},
		{
			name: "html 502", status: 502, body: "<html><body>Bad   Gateway</body></html>",
			want: APIError{Operation: "getCertificateList", HTTPStatus: 502, Message: "<html><body>Bad Gateway</body></html>"},
		},
		{
			name: "responseError wrapper", status: 200, body: `{"responseError":{"returnCode":"2200","returnMessage":"No certificate was found."}}`,
			want: APIError{Operation: "getCertificateList", HTTPStatus: 200, Code: "2200", Message: "No certificate was found."},
		},
		{
			name: "gateway envelope on HTTP 200", status: 200, body: `{"error":{"errorCode":"900","message":"Unexpected Error"}}`,
			want: APIError{Operation: "getCertificateList", HTTPStatus: 200, Code: "900", Message: "Unexpected Error"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}), func(cfg *Config) { cfg.MaxRetries = 0 })
			var err error
			if tt.path == "v2" {
				_, err = c.GetCertificateChain(context.Background(), 1)
			} else {
				// Raw call: GetCertificateList would turn 2200 into an empty list.
				_, err = c.getListRaw(context.Background())
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %T %v is not an *APIError", err, err)
			}
			if got := *apiErr; got.Operation != tt.want.Operation || got.HTTPStatus != tt.want.HTTPStatus ||
				got.Code != tt.want.Code || got.Message != tt.want.Message || got.AccessKey != tt.want.AccessKey {
				t.Errorf("got  %#v\nwant %#v", *apiErr, tt.want)
			}
			if tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Error() = %q, want it to contain %q", err.Error(), tt.wantMsg)
			}
			if tt.is != nil && !tt.is(err) {
				t.Errorf("classifier false for %v", err)
			}
			if strings.Contains(err.Error(), testSecretKey) {
				t.Error("error names the secret key")
			}
			if n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// notServiceNotFound: an answer that is not the service's proves nothing about existence.
func notServiceNotFound(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.NotService && !IsNotFound(err) && !IsNotFound(fmt.Errorf("wrapped: %w", err))
}

// getListRaw is one getCertificateList call without GetCertificateList's not-found mapping.
func (c *Client) getListRaw(ctx context.Context) (listResponse, error) {
	var r listResponse
	_, err := c.do(ctx, call{op: opGetCertificateList, method: http.MethodGet, path: "/api/v1/certificates", needList: true}, &r)
	return r, err
}

func TestErrorMessages(t *testing.T) {
	e := &APIError{Operation: "createExternalCertificate", HTTPStatus: 400, Code: "2000", Message: "bad name"}
	if got := e.Error(); got != "createExternalCertificate: HTTP 400, code 2000: bad name" {
		t.Errorf("got %q", got)
	}
	auth := &APIError{Operation: "getCertificateList", HTTPStatus: 401, Code: "200", Message: "Authentication Failed", AccessKey: "AKID"}
	for _, want := range []string{`access key "AKID"`, "signature", "clock"} {
		if !strings.Contains(auth.Error(), want) {
			t.Errorf("auth error %q lacks %q", auth.Error(), want)
		}
	}
	iu := &InUseError{CertificateNo: 123, InstanceNos: []string{"111", "222"}, Err: e}
	if got := iu.Error(); got != "certificate 123 is still in use by instance(s) 111, 222: detach it from them (or replace it there) and retry" {
		t.Errorf("got %q", got)
	}
	if !errors.Is(iu, e) || !IsInUse(iu) {
		t.Error("InUseError does not unwrap")
	}
	u := &UncertainError{Operation: "createExternalCertificate", Err: &APIError{Operation: "createExternalCertificate", HTTPStatus: 503}}
	if !IsUncertain(fmt.Errorf("wrapped: %w", u)) || !strings.Contains(u.Error(), "HTTP 503: Service Unavailable") {
		t.Errorf("uncertain: %v", u)
	}
}

func TestClassifiers(t *testing.T) {
	api := func(status int, code string) error {
		return fmt.Errorf("wrapped: %w", &APIError{Operation: "op", HTTPStatus: status, Code: code})
	}
	tests := []struct {
		name string
		fn   func(error) bool
		yes  []error
		no   []error
	}{
		{"IsNotFound", IsNotFound,
			[]error{api(200, "2200"), api(200, "1006")},
			[]error{api(404, "300"), api(404, ""), api(200, "1004"), api(400, "2000"), errors.New("2200"), nil,
				&APIError{HTTPStatus: 404, Message: "Not Found", NotService: true}}},
		{"IsInUse", IsInUse,
			[]error{api(200, "1004"), &InUseError{Err: errors.New("x")}},
			[]error{api(200, "1006"), errors.New("1004 in use"), nil}},
		{"IsThrottled", IsThrottled,
			[]error{api(429, ""), api(429, "420"), api(503, "400")},
			[]error{api(503, "500"), api(400, "2000"), nil}},
		{"IsAuth", IsAuth,
			[]error{api(401, "200"), api(401, ""), api(401, "210"), api(403, "210"), api(400, "200")},
			[]error{api(403, ""), api(200, "0"), errors.New("Authentication Failed"), nil}},
		{"IsForbidden", IsForbidden,
			[]error{api(403, "")},
			[]error{api(401, "200"), nil}},
		{"IsRequestInvalid", IsRequestInvalid,
			[]error{api(400, "2000"), api(400, "2100"), api(200, "2201"), api(400, "2201"), api(200, "2202"), api(400, "2202"),
				&NameInUseError{Err: &APIError{HTTPStatus: 400, Code: "2000"}}},
			[]error{api(200, "2000"), api(500, "2201"), api(400, "2200"), api(400, ""), errors.New("2201"), nil}},
		{"IsNotFound (validation information)", func(err error) bool { return !IsNotFound(err) && IsNoValidationInfo(err) },
			[]error{fmt.Errorf("w: %w", &NoValidationInfoError{Err: &APIError{HTTPStatus: 200, Code: "2200"}})},
			[]error{api(200, "2200"), nil}},
		{"IsTerminalStatusError", IsTerminalStatusError,
			[]error{fmt.Errorf("w: %w", &TerminalStatusError{No: 1, Status: "FAILED"})},
			[]error{api(200, "2200"), nil}},
		{"IsUncertain", IsUncertain,
			[]error{&UncertainError{Err: errors.New("EOF")}},
			[]error{api(503, ""), nil}},
	}
	for _, tt := range tests {
		for _, err := range tt.yes {
			if !tt.fn(err) {
				t.Errorf("%s(%v) = false", tt.name, err)
			}
		}
		for _, err := range tt.no {
			if tt.fn(err) {
				t.Errorf("%s(%v) = true", tt.name, err)
			}
		}
	}
}
