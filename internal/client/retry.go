package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

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

// maxRetryAfter bounds a Retry-After when the operation has no deadline.
const maxRetryAfter = time.Hour

// backoff honours Retry-After (seconds or an HTTP date) on 429/503 in full: the service
// knows when it will answer, and the caller's deadline (see beyondDeadline) is the only
// cap. Otherwise it is exponential from min plus up to half again of random jitter (so
// that many resources retrying together spread out), capped by max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if d, ok := retryAfterOf(resp); ok {
		return min(d, maxRetryAfter)
	}
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	d += time.Duration(rand.Int64N(int64(d/2) + 1)) //nolint:gosec // jitter needs no cryptographic randomness
	return min(d, maxWait)
}

// retryAfterOf is the Retry-After of a 429 or 503 answer.
func retryAfterOf(resp *http.Response) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	return retryAfter(resp.Header.Get("Retry-After"))
}

// beyondDeadline reports whether waiting d would outlast ctx.
func beyondDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Until(deadline) < d
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
		const maxSeconds = int64(365 * 24 * time.Hour / time.Second) // no Duration overflow
		return time.Duration(min(s, maxSeconds)) * time.Second, true
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
