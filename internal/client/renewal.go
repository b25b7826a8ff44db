package client

import (
	"context"
	"net/http"
)

const opSetRenewalStatus = "SetRenewalStatus"

type renewalBody struct {
	CertificateNo int64  `json:"certificateNo"`
	RenewalYn     string `json:"renewalYn"`
}

// SetRenewalStatus is v2 SetRenewalStatus: automatic renewal on (renewalYn "Y") or off
// ("N"). The list items show the setting as Certificate.AutoRenewal.
//
// A POST, but it sets a flag to a given value: sending it twice leaves the same state as
// sending it once, so unlike creates it is retried after an uncertain outcome (a dropped
// connection, a 5xx) like a GET, with no look-up first.
func (c *Client) SetRenewalStatus(ctx context.Context, no int64, enabled bool) error {
	yn := "N"
	if enabled {
		yn = "Y"
	}
	_, err := c.do(ctx, call{op: opSetRenewalStatus, method: http.MethodPost, path: "/api/v2/certificate/setCertificateRenewal",
		body: renewalBody{CertificateNo: no, RenewalYn: yn}, idempotent: true}, nil)
	return err
}
