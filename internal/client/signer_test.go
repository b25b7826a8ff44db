package client

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The vectors of API doc §2.3.
func TestSignatureVectors(t *testing.T) {
	tests := []struct{ method, uri, want string }{
		{"POST", "/vserver/v2/createServerInstances?regionCode=KR", "xBcE26XFU55BMjppdPT7ZY3oDrqoOedfPyAn3Cq4lUw="},
		{"GET", "/api/v1/certificates?certificateNo=65655", "lYuQ+NBinWVAZUxUIfbXdTeJSZP2jqMREHRzrXYNbQM="},
		{"DELETE", "/api/v1/certificate/30728?certificateName=zero-certi", "uIjA1euuTRSzoq3IBcySEmqlvZZg/0JV68gCELAFRVc="},
		{"POST", "/api/v2/certificate/requestCertificateIssuance", "OIeZL9wb1UuILw6IL10HTnXfERYCtbAZFQCO1v2MZKU="},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.uri, func(t *testing.T) {
			if got := signature("SK_TEST", tt.method, tt.uri, "1700000000000", "AK_TEST"); got != tt.want {
				t.Errorf("signature = %s, want %s", got, tt.want)
			}
		})
	}
}

// The client signs the URI exactly as sent (with the query), at its clock, with the
// documented headers; the DELETE vector of §2.3 comes out of a real request.
func TestRequestHeadersAndSignature(t *testing.T) {
	var got *http.Request
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		writeJSON(w, 200, success(map[string]any{"totalRows": 0}))
	}), func(cfg *Config) {
		cfg.AccessKey, cfg.SecretKey = "AK_TEST", "SK_TEST"
		cfg.Version = "1.2.3"
		cfg.Now = func() time.Time { return time.UnixMilli(1700000000000) }
	})
	if err := c.DeleteCertificate(context.Background(), 30728, "zero-certi"); err != nil {
		t.Fatal(err)
	}
	if uri := got.URL.RequestURI(); uri != "/api/v1/certificate/30728?certificateName=zero-certi" {
		t.Errorf("request URI = %s", uri)
	}
	want := map[string]string{
		"x-ncp-apigw-timestamp":    "1700000000000",
		"x-ncp-iam-access-key":     "AK_TEST",
		"x-ncp-apigw-signature-v2": "uIjA1euuTRSzoq3IBcySEmqlvZZg/0JV68gCELAFRVc=",
		"Content-Type":             "application/json",
		"Accept":                   "application/json",
		"User-Agent":               "terraform-provider-ncloudcert/1.2.3",
	}
	for k, v := range want {
		if g := got.Header.Get(k); g != v {
			t.Errorf("header %s = %q, want %q", k, g, v)
		}
	}
}

// With a base path prefix, the signed URI is the full path as sent.
func TestSignatureWithEndpointPrefix(t *testing.T) {
	var uri string
	var ok bool
	mux := http.NewServeMux()
	mux.HandleFunc("/prefix/api/v1/certificates", func(w http.ResponseWriter, r *http.Request) {
		uri, ok = r.URL.RequestURI(), verifySignature(r, testSecretKey)
		writeJSON(w, 200, success(map[string]any{"totalRows": 0, "sslCertificateList": []any{}}))
	})
	_, srv := newTestClient(t, mux)
	c, err := New(Config{AccessKey: testAccessKey, SecretKey: testSecretKey, Endpoint: srv.URL + "/prefix/"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCertificateList(context.Background(), ListFilter{Name: "a b&c", No: 7}); err != nil {
		t.Fatal(err)
	}
	if uri != "/prefix/api/v1/certificates?certificateName=a+b%26c&certificateNo=7" {
		t.Errorf("uri = %s", uri)
	}
	if !ok {
		t.Error("signature does not verify over the prefixed URI")
	}
}

// A fresh timestamp (and signature) on every retry.
func TestRetriesAreResigned(t *testing.T) {
	var stamps []string
	var now int64 = 1700000000000
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !verifySignature(r, testSecretKey) {
			t.Error("bad signature")
		}
		stamps = append(stamps, r.Header.Get(headerTimestamp))
		if len(stamps) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, 200, emptyList())
	}), func(cfg *Config) {
		cfg.Now = func() time.Time { now += 1000; return time.UnixMilli(now) }
	})
	if _, err := c.GetCertificateList(context.Background(), ListFilter{}); err != nil {
		t.Fatal(err)
	}
	if len(stamps) != 2 || stamps[0] == stamps[1] {
		t.Errorf("timestamps = %v, want two different", stamps)
	}
}

func TestNewValidation(t *testing.T) {
	ok := Config{AccessKey: "a", SecretKey: "SECRET-xyz"}
	tests := []struct {
		name    string
		mod     func(*Config)
		wantErr string
	}{
		{"defaults", func(*Config) {}, ""},
		{"gov", func(c *Config) { c.Site = "gov" }, ""},
		{"endpoint with prefix", func(c *Config) { c.Endpoint = "http://127.0.0.1:1234/prefix" }, ""},
		{"unknown site", func(c *Config) { c.Site = "mars" }, `unknown site "mars"`},
		{"empty access key", func(c *Config) { c.AccessKey = " " }, "access key is empty"},
		{"empty secret key", func(c *Config) { c.SecretKey = "" }, "secret key is empty"},
		{"relative endpoint", func(c *Config) { c.Endpoint = "/api" }, "absolute http:// or https://"},
		{"scheme", func(c *Config) { c.Endpoint = "ftp://x" }, "absolute http:// or https://"},
		{"no host", func(c *Config) { c.Endpoint = "http://" }, "has no host"},
		{"bad url", func(c *Config) { c.Endpoint = "http://[::1" }, "not a valid URL"},
		{"query", func(c *Config) { c.Endpoint = "http://127.0.0.1/?a=b" }, "must not carry"},
		{"negative retries", func(c *Config) { c.MaxRetries = -1 }, "max retries"},
		{"http to localhost", func(c *Config) { c.Endpoint = "http://localhost:8080" }, ""},
		{"http to 127.0.0.0/8", func(c *Config) { c.Endpoint = "http://127.3.2.1:8080" }, ""},
		{"http to ::1", func(c *Config) { c.Endpoint = "http://[::1]:8080" }, ""},
		{"https anywhere", func(c *Config) { c.Endpoint = "https://proxy.example.com" }, ""},
		{"http to a host", func(c *Config) { c.Endpoint = "http://proxy.example.com:8080" }, "cleartext"},
		{"http to a private address", func(c *Config) { c.Endpoint = "http://10.0.0.5" }, "not a loopback address"},
		{"http to a name under localhost", func(c *Config) { c.Endpoint = "http://evil.localhost.example.com" }, "cleartext"},
		{"http to a host, opted in", func(c *Config) { c.Endpoint = "http://proxy.example.com:8080"; c.AllowInsecureHTTP = true }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.mod(&cfg)
			c, err := New(cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want it to contain %q", err, tt.wantErr)
			}
			if c != nil {
				t.Error("client returned with an error")
			}
			if strings.Contains(err.Error(), cfg.SecretKey) && cfg.SecretKey != "" {
				t.Error("error names the secret")
			}
		})
	}
	c, err := New(Config{AccessKey: "a", SecretKey: "s", Site: "fin"})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != Sites["fin"] || c.AccessKey() != "a" {
		t.Errorf("BaseURL = %s, AccessKey = %s", c.BaseURL(), c.AccessKey())
	}
	if c.cfg.RetryWaitMin != DefaultRetryWaitMin || c.cfg.PollInterval != DefaultPollInterval || c.userAgent != "terraform-provider-ncloudcert/dev" {
		t.Errorf("defaults not applied: %+v %s", c.cfg, strconv.Quote(c.userAgent))
	}
}
