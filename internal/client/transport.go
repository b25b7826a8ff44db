package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maxBody bounds how much of a response is read: a 100-item page is a few hundred KB.
const maxBody = 32 << 20

// call describes one API operation request.
type call struct {
	op     string     // API doc operation name
	method string     // GET, POST, DELETE
	path   string     // from /api/v1 or /api/v2 on, unescaped segments already escaped
	query  url.Values // only the parameters that are set
	body   any        // marshalled to JSON; nil sends no body
	masks  []string   // extra values (private keys) to mask in any log line
}

// result is what do learnt even when it fails: attempts tells delete whether a not-found
// answer came after a retry.
type result struct {
	status   int
	attempts int
}

// do sends c under the retry policy, checks the response envelope and decodes the body
// into out (when non-nil). Errors are *APIError for answers, *UncertainError when a
// non-idempotent request may have been applied, or a wrapped transport/ctx error.
func (c *Client) do(ctx context.Context, cl call, out any) (result, error) {
	ctx = c.logContext(ctx, cl.masks...)
	idempotent := cl.method != http.MethodPost
	res := result{}

	u := *c.base
	u.Path = c.base.Path + cl.path
	u.RawPath = ""
	if len(cl.query) > 0 {
		u.RawQuery = cl.query.Encode()
	}

	var body any // retryablehttp wants a nil interface, not a nil []byte, for "no body"
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return res, fmt.Errorf("%s: encoding request: %w", cl.op, err)
		}
		body = b
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return res, fmt.Errorf("%s: building request: %w", cl.op, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	c.sign(req.Request)
	uri := req.URL.RequestURI()

	// The body is read inside the retry loop so that a truncated answer to an idempotent
	// request is retried like any other transport error.
	var respBody []byte
	req.SetResponseHandler(func(resp *http.Response) error {
		defer func() { _ = resp.Body.Close() }()
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		respBody = b
		return err
	})

	fields := map[string]any{"operation": cl.op, "method": cl.method, "uri": uri}
	start := time.Now()
	var attemptStart time.Time
	// unsent: the policy retries a POST only when it provably did not reach the service;
	// if ctx ends during the wait that follows, the POST is still known not to have landed.
	unsent := false
	policy := retryPolicy(idempotent)
	rc := &retryablehttp.Client{
		HTTPClient:   c.http,
		Logger:       leveledLogger{ctx: ctx},
		RetryWaitMin: c.cfg.RetryWaitMin,
		RetryWaitMax: c.cfg.RetryWaitMax,
		RetryMax:     c.cfg.MaxRetries,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			retry, perr := policy(ctx, resp, err)
			unsent = retry
			return retry, perr
		},
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: func(r *http.Request) error {
			r.Header = r.Header.Clone() // the previous attempt may still hold the old map
			c.sign(r)
			return nil
		},
		RequestLogHook: func(_ retryablehttp.Logger, _ *http.Request, attempt int) {
			res.attempts = attempt + 1
			attemptStart = time.Now()
			unsent = false
			respBody = nil
			tflog.Debug(ctx, "Sending Certificate Manager API request", withFields(fields, map[string]any{"attempt": res.attempts}))
		},
		ResponseLogHook: func(_ retryablehttp.Logger, resp *http.Response) {
			tflog.Debug(ctx, "Received Certificate Manager API response", withFields(fields, map[string]any{
				"attempt": res.attempts, "http_status": resp.StatusCode,
				"duration_ms": time.Since(attemptStart).Milliseconds(),
			}))
		},
	}

	resp, err := rc.Do(req)
	if resp != nil {
		res.status = resp.StatusCode
	}
	if err != nil {
		err = c.transportError(ctx, cl, idempotent, res, unsent, err)
		tflog.Debug(ctx, "Certificate Manager API call failed", withFields(fields, map[string]any{
			"attempts": res.attempts, "duration_ms": time.Since(start).Milliseconds(), "error": err.Error(),
		}))
		return res, err
	}
	if respBody == nil && resp.Body != nil {
		// Retries ran out on a retryable status: the handler did not run for it.
		respBody, _ = io.ReadAll(io.LimitReader(resp.Body, maxBody))
		_ = resp.Body.Close()
	}

	apiErr := c.checkResponse(cl.op, strings.HasPrefix(cl.path, "/api/v2/"), resp.StatusCode, respBody)
	logFields := map[string]any{
		"attempts": res.attempts, "http_status": resp.StatusCode, "duration_ms": time.Since(start).Milliseconds(),
	}
	if apiErr != nil {
		logFields["return_code"] = apiErr.Code
		tflog.Debug(ctx, "Certificate Manager API call failed", withFields(fields, logFields))
		if !idempotent && resp.StatusCode >= 500 {
			return res, &UncertainError{Operation: cl.op, Err: apiErr}
		}
		return res, apiErr
	}
	logFields["return_code"] = codeSuccess
	tflog.Debug(ctx, "Certificate Manager API call succeeded", withFields(fields, logFields))

	if out != nil && len(bytes.TrimSpace(respBody)) > 0 {
		if err := json.Unmarshal(respBody, out); err != nil {
			err = fmt.Errorf("%s: HTTP %d: unreadable response body: %w", cl.op, resp.StatusCode, err)
			if !idempotent {
				return res, &UncertainError{Operation: cl.op, Err: err}
			}
			return res, err
		}
	}
	return res, nil
}

// transportError classifies a failure without a usable response.
func (c *Client) transportError(ctx context.Context, cl call, idempotent bool, res result, unsent bool, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) && (res.attempts == 0 || unsent) {
		return fmt.Errorf("%s: %w", cl.op, err) // the last attempt provably did not land
	}
	if !idempotent && !isDialError(err) {
		return &UncertainError{Operation: cl.op, Err: err}
	}
	return fmt.Errorf("%s: %s request failed after %d attempt(s): %w", cl.op, cl.method, res.attempts, err)
}

// retryPolicy is the one retry policy (style habit 4). GET and DELETE are retried on
// connection errors, 429 and 502/503/504. A POST is retried only when it provably never
// reached the service: a failed dial, or a gateway 429. Everything else about a POST is
// left to the operation, which checks for its own earlier success before sending again.
func retryPolicy(idempotent bool) retryablehttp.CheckRetry {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if err != nil {
			if isDialError(err) {
				return true, nil
			}
			if !idempotent {
				return false, nil
			}
			// The default policy declines TLS, scheme and redirect errors that never heal.
			return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
		}
		switch resp.StatusCode {
		case http.StatusTooManyRequests:
			return true, nil
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return idempotent, nil
		}
		return false, nil
	}
}

// isDialError reports a connection that was never established, so nothing was sent.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// backoff honours Retry-After (seconds or an HTTP date) on 429/503, capped by max;
// otherwise it is exponential from min plus up to half again of random jitter (so that
// many resources retrying together spread out), capped by max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(d, maxWait)
		}
	}
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	d += time.Duration(rand.Int64N(int64(d/2) + 1))
	return min(d, maxWait)
}

func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// operationBackoff is the wait before an operation-level resend (after a look-up proved
// an earlier POST did not land): the same curve as transport retries.
func (c *Client) operationBackoff(attempt int) time.Duration {
	return backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, attempt, nil)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
