// Package client is a signed client for the NAVER Cloud Platform Certificate Manager API
// (v1 and v2): one retry policy, typed errors, tolerant decoding, paging and waiters.
// It never imports the plugin framework; it logs through tflog only.
package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// Sites maps the provider's `site` values to API hosts (API doc §1).
var Sites = map[string]string{
	"public": "https://certificatemanager.apigw.ntruss.com",
	"gov":    "https://certificatemanager.apigw.gov-ntruss.com",
	"fin":    "https://certificatemanager.apigw.fin-ntruss.com",
}

// Defaults for zero Config values.
const (
	DefaultSite         = "public"
	DefaultRetryWaitMin = time.Second
	DefaultRetryWaitMax = 30 * time.Second
	DefaultPollInterval = 10 * time.Second
	// DefaultPollIntervalMax caps the growing interval of status waiters: issuance can take
	// the better part of an hour, and polling every 10s for that long only spends quota.
	DefaultPollIntervalMax = time.Minute

	// defaultAttemptTimeout bounds one HTTP attempt when the base client sets no timeout,
	// so a silent server cannot hang an operation until its (possibly long) ctx deadline.
	defaultAttemptTimeout = 2 * time.Minute
)

// Config configures a Client. Zero values take the documented defaults.
type Config struct {
	AccessKey string
	SecretKey string
	Site      string // "public" (default), "gov", "fin"
	Endpoint  string // base URL override; "/api/v1" and "/api/v2" are appended
	// AllowInsecureHTTP lets an http:// Endpoint reach a host that is not loopback. Without
	// it only loopback addresses (the bundled mock) may be reached in cleartext.
	AllowInsecureHTTP bool
	Version           string // provider version for the User-Agent

	MaxRetries   int           // retries after the first attempt; 0 disables retries
	RetryWaitMin time.Duration // default 1s
	RetryWaitMax time.Duration // default 30s
	PollInterval time.Duration // waiters (in-use delete, status waits); default 10s
	// PollIntervalMax: status waiters (WaitForCertificate) start at PollInterval and grow
	// ×1.5 per poll up to this; default 1 minute, never below PollInterval.
	PollIntervalMax time.Duration

	// BatchReads lets ReadCertificateBatched and ReadOrderBatched serve reads from shared
	// listings (batch.go); off, they read one certificate or order per request.
	BatchReads bool

	HTTPClient *http.Client // optional base client (its Transport is used); default cleanhttp pooled
	Now        func() time.Time
}

// Client is safe for concurrent use.
type Client struct {
	cfg       Config
	base      *url.URL // scheme, host and optional path prefix, without a trailing slash
	http      *http.Client
	userAgent string
	clock     serviceClock
	batch     batcher
}

// New validates cfg (site known, endpoint a valid absolute http(s) URL, keys non-empty).
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.AccessKey) == "" {
		return nil, errors.New("access key is empty: set access_key or NCLOUD_ACCESS_KEY")
	}
	if strings.TrimSpace(cfg.SecretKey) == "" {
		return nil, errors.New("secret key is empty: set secret_key or NCLOUD_SECRET_KEY")
	}
	if cfg.Site == "" {
		cfg.Site = DefaultSite
	}
	host, ok := Sites[cfg.Site]
	if !ok {
		return nil, fmt.Errorf("unknown site %q: expected one of %s", cfg.Site, strings.Join(siteNames(), ", "))
	}
	raw := host
	if cfg.Endpoint != "" {
		raw = cfg.Endpoint
	}
	base, err := parseEndpoint(raw)
	if err != nil {
		return nil, err
	}
	if err := CheckCleartext(base, cfg.AllowInsecureHTTP); err != nil {
		return nil, err
	}
	if cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("max retries must be 0 or more, got %d", cfg.MaxRetries)
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.PollIntervalMax <= 0 {
		cfg.PollIntervalMax = DefaultPollIntervalMax
	}
	cfg.PollIntervalMax = max(cfg.PollIntervalMax, cfg.PollInterval)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	version := cfg.Version
	if version == "" {
		version = "dev"
	}
	return &Client{
		cfg:       cfg,
		base:      base,
		http:      httpClient(cfg.HTTPClient),
		userAgent: "terraform-provider-ncloudcert/" + version,
	}, nil
}

// v2Site is the only zone that documents API 2.0 (API doc §1).
const v2Site = "public"

// ErrV2Unavailable: an API 2.0 operation on a site that does not offer it.
var ErrV2Unavailable = errors.New("API 2.0 (/api/v2) of Certificate Manager is only documented for site \"" + v2Site + "\"")

// SupportsV2 reports whether the configured site offers API 2.0 (in-place renewal, the
// chain export): gov and fin document only API 1.0.
func (c *Client) SupportsV2() bool { return c.cfg.Site == v2Site }

// Site returns the configured site.
func (c *Client) Site() string { return c.cfg.Site }

// AccessKey returns the configured access key id (for diagnostics; never the secret).
func (c *Client) AccessKey() string { return c.cfg.AccessKey }

// BaseURL returns the base URL requests go to (site host or endpoint override), for diagnostics.
func (c *Client) BaseURL() string { return c.base.String() }

func siteNames() []string {
	names := make([]string, 0, len(Sites))
	for k := range Sites {
		names = append(names, fmt.Sprintf("%q", k))
	}
	sort.Strings(names)
	return names
}

// ErrCleartextEndpoint: an http:// endpoint to a host that is not loopback, not opted in.
var ErrCleartextEndpoint = errors.New("cleartext endpoint refused")

// CheckCleartext refuses an http:// URL whose host is not a loopback address (127.0.0.0/8,
// ::1, localhost) unless allowed: private keys (registration, key registration) and signed
// requests, which anyone on the path could replay within the timestamp window, would cross
// the network in clear.
func CheckCleartext(u *url.URL, allowed bool) error {
	if u.Scheme != "http" || allowed || IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: endpoint %q uses http:// to %s, which is not a loopback address: private keys and replayable signed requests would cross the network in cleartext. "+
		"Use https://, or opt in explicitly with allow_insecure_http = true", ErrCleartextEndpoint, u.Redacted(), u.Hostname())
}

// IsLoopbackHost reports whether host (no port) is localhost or a loopback IP address.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

func parseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q must be an absolute http:// or https:// URL", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("endpoint %q has no host", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q must not carry credentials, a query or a fragment", raw)
	}
	// "/api/v1" and "/api/v2" are appended: drop trailing slashes so paths never double them.
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// httpClient keeps the caller's transport (proxies, TLS settings, test servers) but owns
// the http.Client itself so the retry layer can rely on its settings.
func httpClient(base *http.Client) *http.Client {
	if base == nil {
		base = cleanhttp.DefaultPooledClient()
	}
	timeout := base.Timeout
	if timeout == 0 {
		timeout = defaultAttemptTimeout
	}
	return &http.Client{
		Transport:     base.Transport,
		CheckRedirect: base.CheckRedirect,
		Jar:           base.Jar,
		Timeout:       timeout,
	}
}
