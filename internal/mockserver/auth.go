package mockserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"
)

// Gateway signature headers (API doc §2.1).
const (
	headerTimestamp = "x-ncp-apigw-timestamp"
	headerAccessKey = "x-ncp-iam-access-key"
	headerSignature = "x-ncp-apigw-signature-v2"
)

// timestampWindow is how far the request timestamp may be from the gateway's clock.
const timestampWindow = 5 * time.Minute

// sign computes the API Gateway signature v2 (API doc §2.2) for method and requestURI (the
// escaped path plus "?" and the raw query when there is one) at timestamp ts (milliseconds).
func sign(method, requestURI, ts, accessKey, secretKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(method + " " + requestURI + "\n" + ts + "\n" + accessKey))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignRequest sets the gateway signature headers on req for the key pair, as a client of the
// real service does: for tools that call the mock (or the service) outside the provider.
func SignRequest(req *http.Request, accessKey, secretKey string, now time.Time) {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	req.Header.Set(headerTimestamp, ts)
	req.Header.Set(headerAccessKey, accessKey)
	req.Header.Set(headerSignature, sign(req.Method, req.URL.RequestURI(), ts, accessKey, secretKey))
}

// authenticate verifies the signature headers as the gateway does (API doc §2.4). It returns
// the access key, or a 401 response to send.
func (s *Server) authenticate(r *http.Request) (string, *response) {
	fail := func(details string) (string, *response) {
		resp := gatewayError(http.StatusUnauthorized, "200", "Authentication Failed", details)
		return "", &resp
	}
	ts := r.Header.Get(headerTimestamp)
	accessKey := r.Header.Get(headerAccessKey)
	signature := r.Header.Get(headerSignature)
	switch {
	case ts == "":
		return fail("missing header " + headerTimestamp)
	case accessKey == "":
		return fail("missing header " + headerAccessKey)
	case signature == "":
		return fail("missing header " + headerSignature)
	}
	secret, known := s.credentials[accessKey]
	if !known {
		return fail("unknown access key")
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fail("invalid timestamp")
	}
	skew := s.clock().Sub(time.UnixMilli(ms)) // the real clock, never the advanced one
	if skew > timestampWindow || skew < -timestampWindow {
		return fail("timestamp is outside the 5-minute window of the gateway clock")
	}
	want := sign(r.Method, requestURI(r), ts, accessKey, secret)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return fail("signature mismatch")
	}
	return accessKey, nil
}

// requestURI is the URI as received: escaped path, then "?" and the raw query if any.
func requestURI(r *http.Request) string {
	uri := r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		uri += "?" + r.URL.RawQuery
	}
	return uri
}
