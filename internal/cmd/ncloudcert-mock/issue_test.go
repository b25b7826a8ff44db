package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

func TestRunIssuanceFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-dcv-delay", "-1s"},
		{"-dcv-delay", "soon"},
		{"-validation-window", "0s"},
		{"-validation-window", "-1h"},
		{"-latency", "-1s"},
	} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out.Len() != 0 {
			t.Errorf("%v: printed %q", args, out.String())
		}
	}
}

// startRun runs the command in-process until the test ends and returns its base URL and a
// function that stops it and returns the exit code.
func startRun(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		_ = pw.Close()
	}()
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			select {
			case first <- sc.Text():
			default: // keep draining
			}
		}
		close(first)
	}()
	var base string
	select {
	case line := <-first:
		base = strings.TrimPrefix(line, "ncloudcert-mock listening on ")
		if base == line {
			t.Fatalf("first line %q", line)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the command printed nothing")
	}
	stopped := false
	code := 0
	stop := func() int {
		if !stopped {
			stopped = true
			cancel()
			code = <-done
		}
		return code
	}
	t.Cleanup(func() { stop() })
	return base, stop
}

// call sends a request signed with the demo keys (control API calls unsigned) and decodes
// the JSON answer.
func call(t *testing.T, base, method, uri string, body any) map[string]any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, base+uri, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if strings.HasPrefix(uri, "/api/") {
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		mac := hmac.New(sha256.New, []byte(mockserver.DemoSecretKey))
		mac.Write([]byte(method + " " + req.URL.RequestURI() + "\n" + ts + "\n" + mockserver.DemoAccessKey))
		req.Header.Set("x-ncp-apigw-timestamp", ts)
		req.Header.Set("x-ncp-iam-access-key", mockserver.DemoAccessKey)
		req.Header.Set("x-ncp-apigw-signature-v2", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: HTTP %d: %v", method, uri, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d %v", method, uri, resp.StatusCode, out)
	}
	return out
}

// statusOf polls ListCertificates for the certificate's status until it is want (or the
// deadline passes) and returns the last status seen.
func statusOf(t *testing.T, base, name, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := call(t, base, http.MethodGet, "/api/v2/certificate/certificates?certificateName="+name, nil)
		items, _ := res["sslCertificateList"].([]any)
		if len(items) != 1 {
			t.Fatalf("list %s: %v", name, res)
		}
		got, _ := items[0].(map[string]any)["statusName"].(string)
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond) // polling a clock-driven status, not readiness
	}
}

// TestRunIssuance: -dcv-delay completes requests; -validation-window expires them; the
// state file keeps requests, issued material and DNS records across a restart.
func TestRunIssuance(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	base, stop := startRun(t, "-dcv-delay", "200ms", "-state-file", state)
	call(t, base, http.MethodPost, "/api/v2/certificate/requestCertificateIssuance",
		map[string]any{"certificateName": "cmd-basic", "commonName": "cmd.example.com", "validationMethod": "D"})
	if got := statusOf(t, base, "cmd-basic", "NORMAL"); got != "NORMAL" {
		t.Fatalf("with -dcv-delay: %s", got)
	}
	call(t, base, http.MethodPost, "/_mock/dns", map[string]any{"name": "keep.example.com", "type": "TXT", "values": []string{"v"}})
	if code := stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.Stat(state); err != nil {
		t.Fatal(err)
	}

	// Restarted without a delay and with a short window: the issued certificate and the DNS
	// record are back; a new request expires.
	base, stop = startRun(t, "-validation-window", "100ms", "-state-file", state)
	if got := statusOf(t, base, "cmd-basic", "NORMAL"); got != "NORMAL" {
		t.Errorf("after restart: %s", got)
	}
	dns := call(t, base, http.MethodGet, "/_mock/dns", nil)
	if records, _ := dns["records"].([]any); len(records) != 1 {
		t.Errorf("DNS after restart: %v", dns)
	}
	res := call(t, base, http.MethodPost, "/api/v2/certificate/requestGedCertificateIssuance",
		map[string]any{"certificateName": "cmd-edge", "commonName": "edge.example.com"})
	if res["returnCode"] != "0" {
		t.Fatalf("request: %v", res)
	}
	if got := statusOf(t, base, "cmd-edge", "VALIDATION_EXPIRE"); got != "VALIDATION_EXPIRE" {
		t.Errorf("with -validation-window: %s", got)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}
