package client

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"
)

// Header names of the API Gateway "signature v2" scheme (API doc §2.1).
const (
	headerTimestamp = "x-ncp-apigw-timestamp"
	headerAccessKey = "x-ncp-iam-access-key"
	headerSignature = "x-ncp-apigw-signature-v2"
)

// signature computes the API Gateway v2 signature (API doc §2.2):
// base64(HMAC-SHA256(secret, METHOD + " " + requestURI + "\n" + timestamp + "\n" + accessKey)).
// requestURI is the escaped path (with any endpoint prefix and /api/v1|v2) plus "?" and the
// raw query when there is one, exactly as sent.
func signature(secretKey, method, requestURI, timestamp, accessKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(method + " " + requestURI + "\n" + timestamp + "\n" + accessKey))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// sign sets the three x-ncp headers on req. It is called again before every retry: the
// gateway rejects timestamps more than five minutes old, and backoffs can add up.
func (c *Client) sign(req *http.Request) {
	ts := strconv.FormatInt(c.cfg.Now().UnixNano()/int64(time.Millisecond), 10)
	req.Header.Set(headerTimestamp, ts)
	req.Header.Set(headerAccessKey, c.cfg.AccessKey)
	req.Header.Set(headerSignature, signature(c.cfg.SecretKey, req.Method, req.URL.RequestURI(), ts, c.cfg.AccessKey))
}
