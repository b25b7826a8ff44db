package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// syncBuffer collects the child's stderr safely.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestCommand(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ncloudcert-mock")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	state := filepath.Join(dir, "state.json")

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-state-file", state,
		"-fault", "getCertificateList:503:1", "-sub-account-keys", "sub-key")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})

	lines := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	readLine := func() string {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("stdout closed; stderr:\n%s", stderr.String())
			}
			return l
		case <-time.After(15 * time.Second):
			t.Fatalf("no output; stderr:\n%s", stderr.String())
		}
		return ""
	}
	first := readLine()
	m := regexp.MustCompile(`^ncloudcert-mock listening on (http://127\.0\.0\.1:\d+)$`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first line %q", first)
	}
	base := m[1]
	for _, want := range []string{
		"export NCLOUD_ACCESS_KEY=" + mockserver.DemoAccessKey,
		"export NCLOUD_SECRET_KEY=" + mockserver.DemoSecretKey,
		"export NCLOUD_CERTIFICATE_MANAGER_ENDPOINT=" + base,
	} {
		if got := readLine(); got != want {
			t.Errorf("line %q, want %q", got, want)
		}
	}

	// The -fault flag applies to the first call; the next succeeds.
	if status := signedGet(t, base, "/api/v1/certificates", mockserver.DemoAccessKey, mockserver.DemoSecretKey); status != http.StatusServiceUnavailable {
		t.Errorf("first getCertificateList: HTTP %d, want 503", status)
	}
	if status := signedGet(t, base, "/api/v1/certificates", mockserver.DemoAccessKey, mockserver.DemoSecretKey); status != http.StatusOK {
		t.Errorf("second getCertificateList: HTTP %d", status)
	}
	// A sub-account key (with the default secret) is refused on v2 only.
	if status := signedGet(t, base, "/api/v2/certificate/certificates", "sub-key", mockserver.DemoSecretKey); status != http.StatusForbidden {
		t.Errorf("sub-account v2: HTTP %d, want 403", status)
	}

	resp, err := http.Get(base + "/_mock/stats")
	if err != nil {
		t.Fatal(err)
	}
	var stats mockserver.Stats
	err = json.NewDecoder(resp.Body).Decode(&stats)
	_ = resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("stats: HTTP %d, %v", resp.StatusCode, err)
	}
	if stats.Requests[mockserver.OpGetCertificateList] != 2 || stats.Requests[mockserver.OpListCertificates] != 1 || stats.Certificates != 0 {
		t.Errorf("stats %+v", stats)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("did not stop on SIGTERM")
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("state file not written: %v", err)
	}
	logs := stderr.String()
	if !strings.Contains(logs, "GET /api/v1/certificates op=getCertificateList status=503") ||
		strings.Contains(logs, mockserver.DemoSecretKey) || strings.Contains(logs, "x-ncp-") {
		t.Errorf("stderr:\n%s", logs)
	}
}

func signedGet(t *testing.T, base, uri, accessKey, secretKey string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	mockserver.SignRequest(req, accessKey, secretKey, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func TestRunFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-fault", "nope:503:1"},
		{"-fault", "getCertificateList:418:1"},
		{"-latency", "soon"},
		{"-seed", "-1"},
		{"-seed", "many"},
		{"-unknown"},
	} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out.Len() != 0 {
			t.Errorf("%v: printed %q", args, out.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-addr", "256.0.0.1:bad"}, &out, &errOut); code != 1 {
		t.Errorf("bad address: exit %d, want 1", code)
	}
}

func TestRunSeed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve nothing: seed, listen, print, shut down
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"-addr", "127.0.0.1:0", "-seed", "50"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "seeded 50 certificates (100001-100050)") {
		t.Errorf("stderr: %s", errOut.String())
	}
}
