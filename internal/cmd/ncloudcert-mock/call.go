package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// callUsage documents `ncloudcert-mock call`.
const callUsage = `usage: ncloudcert-mock call METHOD PATH [JSON | -]

Sends one signed request to the Certificate Manager API, as the provider would, and prints the
answer (JSON indented) on stdout; the HTTP status goes to stderr. JSON is the request body ("-"
reads it from stdin). The endpoint and keys come from the provider's environment variables:
  NCLOUD_CERTIFICATE_MANAGER_ENDPOINT  default http://127.0.0.1:8080 (the mock's default address)
  NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY default the mock's demo keys
The exit code is 0 for a 2xx answer whose returnCode (when present) is "0", else 1; 2 for bad usage.

Examples:
  ncloudcert-mock call GET '/api/v1/certificates?certificateName=www'
  ncloudcert-mock call POST /api/v1/certificate/withExternal '{"certificateName":"www","privateKey":"...","publicKeyCertificate":"...","certificateChain":"..."}'
  ncloudcert-mock call POST /api/v2/certificate/requestCertificateIssuance '{"certificateName":"web","commonName":"example.com","validationMethod":"D"}'
`

// runCall implements `ncloudcert-mock call`.
func runCall(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	envOr := func(name, fallback string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return fallback
	}
	if len(args) < 2 || len(args) > 3 || strings.HasPrefix(args[0], "-") {
		_, _ = fmt.Fprint(stderr, callUsage)
		return 2
	}
	method, path := strings.ToUpper(args[0]), args[1]
	if !strings.HasPrefix(path, "/") {
		_, _ = fmt.Fprintf(stderr, "ncloudcert-mock call: PATH must start with /, e.g. /api/v1/certificates (got %q)\n", path)
		return 2
	}
	var body []byte
	if len(args) == 3 {
		body = []byte(args[2])
		if args[2] == "-" {
			b, err := io.ReadAll(stdin)
			if err != nil {
				_, _ = fmt.Fprintf(stderr, "ncloudcert-mock call: reading the body from stdin: %v\n", err)
				return 2
			}
			body = b
		}
		if !json.Valid(body) {
			_, _ = fmt.Fprintln(stderr, "ncloudcert-mock call: the body is not valid JSON")
			return 2
		}
	}
	endpoint := envOr("NCLOUD_CERTIFICATE_MANAGER_ENDPOINT", "http://127.0.0.1:8080")
	base, err := url.Parse(strings.TrimRight(endpoint, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		_, _ = fmt.Fprintf(stderr, "ncloudcert-mock call: NCLOUD_CERTIFICATE_MANAGER_ENDPOINT %q is not an http(s) URL\n", endpoint)
		return 2
	}
	req, err := http.NewRequestWithContext(ctx, method, base.String()+path, bytes.NewReader(body)) //nolint:gosec // the endpoint is the user's own choice, as for the provider
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "ncloudcert-mock call: %v\n", err)
		return 2
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	mockserver.SignRequest(req, envOr("NCLOUD_ACCESS_KEY", mockserver.DemoAccessKey), envOr("NCLOUD_SECRET_KEY", mockserver.DemoSecretKey), time.Now())

	client := &http.Client{Timeout: time.Minute}
	resp, err := client.Do(req) //nolint:gosec // see above: sending to the configured endpoint is the point
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "ncloudcert-mock call: %v\n", err)
		return 1
	}
	defer func() { _ = resp.Body.Close() }()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "ncloudcert-mock call: reading the answer: %v\n", err)
		return 1
	}
	_, _ = fmt.Fprintf(stderr, "HTTP %s\n", resp.Status)
	var pretty bytes.Buffer
	if json.Indent(&pretty, answer, "", "  ") == nil {
		answer = append(pretty.Bytes(), '\n')
	}
	_, _ = stdout.Write(answer)
	if resp.StatusCode/100 != 2 {
		return 1
	}
	var envelope struct {
		ReturnCode json.RawMessage `json:"returnCode"`
	}
	if json.Unmarshal(answer, &envelope) == nil && len(envelope.ReturnCode) > 0 && strings.Trim(string(envelope.ReturnCode), `"`) != "0" {
		return 1
	}
	return 0
}
