package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
	path   string     // from /api/v1 or /api/v2 on, segments already escaped
	query  url.Values // only the parameters that are set
	body   any        // marshalled to JSON; nil sends no body
	masks  []string   // extra values (private keys) to mask in any log line
	// needList: a success answer must carry its list field (out implements listHolder);
	// without it the answer proves nothing about what exists (API doc §8).
	needList bool
	// accept is the Accept header; "" means application/json.
	accept string
	// raw: a 2xx answer that is not JSON is the result itself (a file download) and goes to
	// out, a *[]byte. JSON answers (the errors) still pass the envelope check.
	raw bool
	// idempotent: a POST that cannot apply anything twice (an export, a setter writing the
	// same value again). The transport retries it like a GET and its outcome is never
	// uncertain.
	idempotent bool
	// envelopeOptional: a 2xx JSON answer without returnCode (even a bare array) is let
	// through for an operation whose envelope is undocumented; its decoder must then find
	// the list, or the answer is no answer (needList).
	envelopeOptional bool
}

// retrySafe reports whether sending cl again can do no harm.
func (cl call) retrySafe() bool { return cl.method != http.MethodPost || cl.idempotent }

// listHolder is a decoded answer that can say which list field it lacked.
type listHolder interface{ missingList() string }

// exchange is the state of one call across its attempts, shared with the retry hooks.
type exchange struct {
	attempts     int
	attemptStart time.Time
	body         []byte // body of the last response, read inside the retry loop
	// unsent: the policy retries a POST only when it provably did not reach the service;
	// if ctx ends during the wait that follows, the POST is still known not to have landed.
	unsent bool
	// retryAfter: a Retry-After the operation's deadline could not honour.
	retryAfter time.Duration
}

// do sends cl under the retry policy, checks the response envelope and decodes the body
// into out (when non-nil). Errors are *APIError for answers, *UncertainError when a
// non-idempotent request may have been applied, or a wrapped transport/ctx error.
// attempts (also on failure) tells delete whether a not-found answer came after a retry.
func (c *Client) do(ctx context.Context, cl call, out any) (attempts int, err error) {
	if strings.HasPrefix(cl.path, "/api/v2/") && !c.SupportsV2() {
		return 0, fmt.Errorf("%s: %w on site %q; nothing was sent", cl.op, ErrV2Unavailable, c.cfg.Site)
	}
	if cl.method != http.MethodGet && !postReads[cl.op] {
		// Anything but a GET or a POST that reads may change what a listing shows (batch.go).
		c.batch.writeBegin()
		defer c.batch.writeEnd()
	}
	ctx = c.logContext(ctx, cl.masks...)
	req, err := c.newRequest(ctx, cl)
	if err != nil {
		return 0, err
	}
	fields := map[string]any{"operation": cl.op, "method": cl.method, "uri": req.URL.RequestURI()}
	start := time.Now()
	ex := &exchange{}
	// The body is read inside the retry loop so that a truncated answer to an idempotent
	// request is retried like any other transport error.
	req.SetResponseHandler(func(resp *http.Response) error {
		defer func() { _ = resp.Body.Close() }()
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		ex.body = b
		return err
	})

	resp, err := c.retryClient(ctx, cl, ex, fields).Do(req)
	attempts = ex.attempts
	done := map[string]any{"attempts": ex.attempts, "duration_ms": time.Since(start).Milliseconds()}
	if err != nil {
		err = transportError(ctx, cl, ex, err)
		done["error"] = err.Error()
		tflog.Debug(ctx, "Certificate Manager API call failed", withFields(fields, done))
		return attempts, err
	}
	if ex.body == nil {
		// Retries ran out on a retryable status: the handler did not run for it.
		ex.body, _ = io.ReadAll(io.LimitReader(resp.Body, maxBody))
		_ = resp.Body.Close()
	}

	done["http_status"] = resp.StatusCode
	if cl.raw && resp.StatusCode < 300 && len(bytes.TrimSpace(ex.body)) > 0 && !isJSONObject(ex.body) {
		// The file itself (never logged: it may hold a private key).
		done["bytes"] = len(ex.body)
		tflog.Debug(ctx, "Certificate Manager API call succeeded", withFields(fields, done))
		if p, ok := out.(*[]byte); ok {
			*p = ex.body
		}
		return attempts, nil
	}
	apiErr := c.checkResponse(cl, req.URL.String(), resp.StatusCode, ex.body)
	if apiErr != nil {
		apiErr.RetryAfter = ex.retryAfter
		done["return_code"] = apiErr.Code
		tflog.Debug(ctx, "Certificate Manager API call failed", withFields(fields, done))
		// A POST that got a server error, or a 2xx that is not the service's answer, may
		// or may not have been applied.
		if !cl.retrySafe() && (resp.StatusCode >= 500 || (apiErr.NotService && resp.StatusCode < 300)) {
			return attempts, &UncertainError{Operation: cl.op, Err: apiErr}
		}
		return attempts, apiErr
	}
	done["return_code"] = codeSuccess
	tflog.Debug(ctx, "Certificate Manager API call succeeded", withFields(fields, done))
	if cl.raw {
		return attempts, fmt.Errorf("%s: HTTP %d: a success envelope without the file", cl.op, resp.StatusCode)
	}

	if out != nil && len(bytes.TrimSpace(ex.body)) > 0 {
		if err := json.Unmarshal(ex.body, out); err != nil {
			err = fmt.Errorf("%s: HTTP %d: unreadable response body: %w", cl.op, resp.StatusCode, err)
			if !cl.retrySafe() {
				return attempts, &UncertainError{Operation: cl.op, Err: err}
			}
			return attempts, err
		}
	}
	if lh, ok := out.(listHolder); ok && cl.needList {
		if field := lh.missingList(); field != "" {
			return attempts, &APIError{Operation: cl.op, HTTPStatus: resp.StatusCode, URL: cl.method + " " + req.URL.String(),
				NotService: true, Message: "the answer has no " + field + " field"}
		}
	}
	return attempts, nil
}

// newRequest builds the signed request: base URL (with any endpoint prefix) + path + query.
func (c *Client) newRequest(ctx context.Context, cl call) (*retryablehttp.Request, error) {
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
			return nil, fmt.Errorf("%s: encoding request: %w", cl.op, err)
		}
		body = b
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: building request: %w", cl.op, err)
	}
	req.Header.Set("Content-Type", "application/json")
	accept := cl.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.userAgent)
	c.sign(req.Request)
	return req, nil
}

// retryClient is built per call so that its logger and hooks carry the call's ctx (tflog
// needs it) and state; the underlying http.Client, and so the connection pool, is shared.
func (c *Client) retryClient(ctx context.Context, cl call, ex *exchange, fields map[string]any) *retryablehttp.Client {
	policy := retryPolicy(cl.retrySafe())
	return &retryablehttp.Client{
		HTTPClient:   c.http,
		Logger:       leveledLogger{ctx: ctx},
		RetryWaitMin: c.cfg.RetryWaitMin,
		RetryWaitMax: c.cfg.RetryWaitMax,
		RetryMax:     c.cfg.MaxRetries,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			retry, perr := policy(ctx, resp, err)
			if d, ok := retryAfterOf(resp); retry && ok && beyondDeadline(ctx, d) {
				// Waiting would only end at the deadline: answer now, saying why.
				retry, ex.retryAfter = false, d
			}
			ex.unsent = retry
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
			ex.attempts, ex.attemptStart, ex.unsent, ex.body = attempt+1, time.Now(), false, nil
			tflog.Debug(ctx, "Sending Certificate Manager API request", withFields(fields, map[string]any{"attempt": ex.attempts}))
		},
		ResponseLogHook: func(_ retryablehttp.Logger, resp *http.Response) {
			c.clock.observe(resp, time.Now())
			tflog.Debug(ctx, "Received Certificate Manager API response", withFields(fields, map[string]any{
				"attempt": ex.attempts, "http_status": resp.StatusCode,
				"duration_ms": time.Since(ex.attemptStart).Milliseconds(),
			}))
		},
	}
}

// transportError classifies a failure without a usable response.
func transportError(ctx context.Context, cl call, ex *exchange, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) && (ex.attempts == 0 || ex.unsent) {
		return fmt.Errorf("%s: %w", cl.op, err) // the last attempt provably did not land
	}
	if !cl.retrySafe() && !isDialError(err) {
		return &UncertainError{Operation: cl.op, Err: err}
	}
	return fmt.Errorf("%s: %s request failed after %d attempt(s): %w", cl.op, cl.method, ex.attempts, err)
}

// isJSONObject reports whether b (after whitespace) starts a JSON object: the shape of
// every service and gateway envelope.
func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}
