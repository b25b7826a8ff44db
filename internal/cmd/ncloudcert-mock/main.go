// Command ncloudcert-mock serves the NAVER Cloud Certificate Manager mock (internal/mockserver)
// on a local port, for `make demo`, manual use and tests.
//
// The first line it prints is "ncloudcert-mock listening on http://HOST:PORT", followed by the
// shell lines that point the provider at it. `ncloudcert-mock call METHOD PATH [JSON]` sends one
// signed request instead (call.go). Request logs go to stderr. SIGINT or SIGTERM
// stops it cleanly (saving -state-file when set).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var code int
	if len(os.Args) > 1 && os.Args[1] == "call" {
		code = runCall(ctx, os.Args[2:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	} else {
		code = run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
	stop()
	os.Exit(code)
}

// run parses args, serves until ctx ends, and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ncloudcert-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	accessKey := fs.String("access-key", mockserver.DemoAccessKey, "access key the mock accepts")
	secretKey := fs.String("secret-key", mockserver.DemoSecretKey, "secret key of -access-key")
	subKeys := fs.String("sub-account-keys", "", "comma-separated access keys that act as Sub Account keys (HTTP 403 on /api/v2); KEY uses -secret-key, KEY:SECRET its own secret")
	stateFile := fs.String("state-file", "", "persist certificates to this file (contains private keys: demos only)")
	dcvDelay := fs.Duration("dcv-delay", 0, "demo shortcut: complete the domain validation of every issuance request this long after it, DNS records or not (0: only published DNS records or the control API validate)")
	validationWindow := fs.Duration("validation-window", 72*time.Hour, "how long an issuance request waits for validation before it turns VALIDATION_EXPIRE")
	latency := fs.Duration("latency", 0, "delay added to every API request")
	v1ExternalOnly := fs.Bool("v1-external-only", false, "API doc §8 alternative: API 1.0 lists and deletes external certificates only")
	dcvPerDomain := fs.Bool("dcv-per-domain", false, "API doc §8 alternative: ListDcvStatuses answers per queried domain, a distinct Global Edge value for *.x and x")
	orgEnvelope := fs.String("organizations-envelope", "", "where ListOrganizations puts its list (undocumented envelope, API doc §6.7): one of "+strings.Join(mockserver.OrganizationsEnvelopes, ", ")+"; empty: organizationInfoList")
	seed := fs.Int("seed", 0, "store this many certificates at start, cycling over every type (see POST /_mock/seed); 0: none")
	var faults []mockserver.Fault
	fs.Func("fault", "script a fault, OPERATION:KIND:COUNT[:RETRY_AFTER] with KIND 429|500|503|504|drop, optionally suffixed -after (repeatable)", func(v string) error {
		f, err := mockserver.ParseFault(v)
		if err != nil {
			return err
		}
		faults = append(faults, f)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *dcvDelay < 0 || *validationWindow <= 0 || *latency < 0 || *seed < 0 {
		_, _ = fmt.Fprintln(stderr, "ncloudcert-mock: -dcv-delay, -latency and -seed must not be negative, -validation-window must be positive")
		return 2
	}
	logger := log.New(stderr, "ncloudcert-mock: ", log.LstdFlags)

	creds := map[string]string{*accessKey: *secretKey}
	var subs []string
	for _, entry := range strings.Split(*subKeys, ",") {
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		key, secret, hasSecret := strings.Cut(entry, ":")
		if !hasSecret {
			secret = *secretKey
		}
		creds[key] = secret
		subs = append(subs, key)
	}
	srv, err := mockserver.New(mockserver.Options{
		Credentials:           creds,
		SubAccountKeys:        subs,
		DCVDelay:              *dcvDelay,
		ValidationWindow:      *validationWindow,
		StateFile:             *stateFile,
		V1ExternalOnly:        *v1ExternalOnly,
		DCVPerDomain:          *dcvPerDomain,
		OrganizationsEnvelope: *orgEnvelope,
		Logger:                logger,
	})
	if err != nil {
		logger.Print(err)
		return 1
	}
	if *seed > 0 {
		res, err := srv.Seed(*seed, mockserver.SeedOptions{})
		if err != nil {
			logger.Print(err)
			return 1
		}
		logger.Printf("seeded %d certificates (%d-%d)", res.Count, res.First, res.Last)
	}
	srv.SetLatency("", *latency)
	for _, f := range faults {
		srv.AddFault(f)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Print(err)
		return 1
	}
	base := "http://" + displayAddr(ln.Addr())
	// The first line goes out on its own (stdout is unbuffered): scripts wait for it.
	if _, err := fmt.Fprintf(stdout, "ncloudcert-mock listening on %s\n", base); err != nil {
		logger.Print(err)
		_ = ln.Close()
		return 1
	}
	if _, err := fmt.Fprintf(stdout, "export NCLOUD_ACCESS_KEY=%s\nexport NCLOUD_SECRET_KEY=%s\nexport NCLOUD_CERTIFICATE_MANAGER_ENDPOINT=%s\n",
		*accessKey, *secretKey, base); err != nil {
		logger.Print(err)
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: logger}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	code := 0
	select {
	case err := <-served:
		logger.Printf("serve: %v", err)
		code = 1
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := hs.Shutdown(shutdownCtx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
		cancel()
	}
	if err := srv.Save(); err != nil {
		logger.Print(err)
		code = 1
	}
	logger.Print("stopped")
	return code
}

// displayAddr renders a listener address for a URL, using 127.0.0.1 for a wildcard address.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}
