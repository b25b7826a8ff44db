package client

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
)

const (
	opAdvancedCertificateRequest = "AdvancedCertificateRequest"
	opReissueCertificate         = "ReissueCertificate"
	opRegisterPrivateKey         = "RegisterPrivateKey"
	opSubscriptionExtend         = "SubscriptionExtend"
	opRevokeCertificate          = "RevokeCertificate"
)

// The Advanced certificate types (API doc §4.2).
const (
	AdvancedDV CertificateType = "NCP_PAID_DV_01"
	AdvancedOV CertificateType = "NCP_PAID_OV_01"
)

// AdvancedRequest orders an Advanced DV/OV certificate for a customer CSR.
type AdvancedRequest struct {
	Type              CertificateType // AdvancedDV or AdvancedOV
	Name              string
	CommonName        string
	DNSNames          []string
	CSR               string // PEM CERTIFICATE REQUEST; its names must be CommonName + DNSNames
	ValidationMethod  string // "D" or "PD"
	OrganizationNo    int64  // required for AdvancedOV; 0 = not sent
	SubscriptionYears int    // 1–3; 0 = not sent (the service's default, 1)
	KeyAlgorithm      string // "" = not sent
	// RequestToken is required: generated once by the caller and kept, so that every send
	// of this request carries the same token: this call's own resends, and the caller's
	// later attempts (the provider keeps it in private state and, when an order's outcome
	// stayed unknown, sends the request again with it on the next apply).
	RequestToken string
}

// AdvancedResult is what an Advanced request placed: its order and its certificate.
type AdvancedResult struct {
	OrderID     string
	Certificate Certificate
}

type advancedBody struct {
	CSR                string   `json:"csr"`
	CertificateType    string   `json:"certificateType"`
	CertificateName    string   `json:"certificateName"`
	CommonName         string   `json:"commonName"`
	DNSName            []string `json:"dnsName,omitempty"`
	ValidationMethod   string   `json:"validationMethod"`
	OrganizationNo     int64    `json:"organizationNo,omitempty"`
	KeyAlgorithm       string   `json:"keyAlgorithm,omitempty"`
	RequestToken       string   `json:"requestToken"`
	SubscriptionPeriod int      `json:"subscriptionPeriod,omitempty"`
}

// advancedAnswer: {paidCertificate: {certificateNo, certificateName, orderId, ...}}; any
// field may be missing (API doc §8), orderId also at top level is accepted.
type advancedAnswer struct {
	PaidCertificate flexArray[wireCertificate] `json:"paidCertificate"`
	OrderID         flexString                 `json:"orderId"`
	CertificateNo   flexInt                    `json:"certificateNo"`
}

func (a *advancedAnswer) numbers() (no int64, orderID string) {
	no, orderID = a.CertificateNo.v, string(a.OrderID)
	for _, w := range a.PaidCertificate.items {
		if no == 0 {
			no = w.CertificateNo.v
		}
		if orderID == "" {
			orderID = firstNonEmpty(w.OrderID, w.OrderIDUpper)
		}
	}
	return no, orderID
}

// RequestAdvancedCertificate is v2 AdvancedCertificateRequest: it places an order for an
// Advanced DV/OV certificate and returns the order id and the certificate as listed.
//
// Lost answers (postSafely): the service answers the order a requestToken placed when the
// same token comes again, storing nothing new; so sending the SAME request again is the safe
// retry. The token's semantics are only documented by the mock, though (API doc §9), so it
// is resent only after a look-up by name (v1 getCertificateList) shows what is there:
//   - nothing under the name: the earlier attempt did not land, send again;
//   - a certificate with the requested names that belongs to an order (orderId on the item,
//     else found through ListAdvancedCertificates): possibly ours, send again with the same
//     token to learn the order. If the service refuses (another token placed it), it is
//     adopted only with proof (same names, registered after this call began), else
//   - anything else under the name: *NameInUseError (ByNames).
//
// At most one order is placed by this call. Refusals of the input: IsRequestInvalid.
func (c *Client) RequestAdvancedCertificate(ctx context.Context, req AdvancedRequest) (*AdvancedResult, error) {
	if req.Type != AdvancedDV && req.Type != AdvancedOV {
		return nil, fmt.Errorf("unknown Advanced certificate type %q: expected %q or %q; nothing was sent", req.Type, AdvancedDV, AdvancedOV)
	}
	if req.RequestToken == "" {
		return nil, fmt.Errorf("%s: a requestToken is required (generated once and kept by the caller); nothing was sent", opAdvancedCertificateRequest)
	}
	body := advancedBody{CSR: req.CSR, CertificateType: string(req.Type), CertificateName: req.Name, CommonName: req.CommonName,
		DNSName: req.DNSNames, ValidationMethod: req.ValidationMethod, OrganizationNo: req.OrganizationNo,
		KeyAlgorithm: req.KeyAlgorithm, RequestToken: req.RequestToken, SubscriptionPeriod: req.SubscriptionYears}
	cl := call{op: opAdvancedCertificateRequest, method: http.MethodPost, path: "/api/v2/certificate/requestPaidCertificateIssuance", body: &body}
	ours := func(found *Certificate) bool {
		return found.OrderID != "" && sameNames(found, req.CommonName, req.DNSNames)
	}
	var answer advancedAnswer
	adopted, err := c.postSafely(ctx, cl, &answer, createGuard{
		name:    req.Name,
		byNames: true,
		lookUp: func(ctx context.Context) (*Certificate, error) {
			found, err := c.FindCertificate(ctx, req.Name, KindAny)
			if err != nil || found == nil {
				return found, err
			}
			return found, c.orderOf(ctx, found) // v1 items may lack orderId
		},
		proof:      ours,
		resendOver: ours,
	})
	if err != nil {
		return nil, err
	}
	if adopted != nil {
		return &AdvancedResult{OrderID: adopted.OrderID, Certificate: *adopted}, nil
	}
	no, orderID := answer.numbers()
	cert, err := c.requested(ctx, cl.op, CertificateRef{No: no, Name: req.Name, Kind: KindAdvanced})
	if err != nil {
		return nil, err
	}
	if orderID == "" {
		if err := c.orderOf(ctx, cert); err != nil {
			return nil, fmt.Errorf("%s succeeded, but finding the order of certificate %d failed: %w", cl.op, cert.No, err)
		}
		orderID = cert.OrderID
	}
	if orderID == "" {
		return nil, fmt.Errorf("%s succeeded, but the order of certificate %d named %q could not be found", cl.op, cert.No, req.Name)
	}
	if cert.OrderID == "" {
		cert.OrderID = orderID
	}
	return &AdvancedResult{OrderID: orderID, Certificate: *cert}, nil
}

// ReissueRequest reissues an Advanced certificate under a new name (the older certificate
// stays; the name must be free).
type ReissueRequest struct {
	CSR              string
	Name             string
	CommonName       string
	DNSNames         []string
	ValidationMethod string // "D" or "PD"
}

type reissueBody struct {
	CSR              string   `json:"csr"`
	CertificateName  string   `json:"certificateName"`
	CommonName       string   `json:"commonName"`
	DNSName          []string `json:"dnsName,omitempty"`
	ValidationMethod string   `json:"validationMethod"`
}

// ReissueCertificate is v2 ReissueCertificate of certificate no: a NEW certificate in the
// same order. The answer carries no number ({totalRows: 1}), so the new certificate is found
// by its name afterwards. Lost answers as for RequestCertificate (postSafely): the name is
// looked up; a certificate there with the requested names, not no itself, registered after
// this call began is adopted; nothing there → sent again; anything else → *NameInUseError.
func (c *Client) ReissueCertificate(ctx context.Context, no int64, req ReissueRequest) (*Certificate, error) {
	cl := call{op: opReissueCertificate, method: http.MethodPost,
		path: "/api/v2/certificate/" + strconv.FormatInt(no, 10) + "/reissue",
		body: reissueBody{CSR: req.CSR, CertificateName: req.Name, CommonName: req.CommonName, DNSName: req.DNSNames,
			ValidationMethod: req.ValidationMethod}}
	adopted, err := c.postSafely(ctx, cl, nil, createGuard{
		name:    req.Name,
		byNames: true,
		lookUp:  func(ctx context.Context) (*Certificate, error) { return c.FindCertificate(ctx, req.Name, KindAny) },
		proof: func(found *Certificate) bool {
			return found.No != no && sameNames(found, req.CommonName, req.DNSNames)
		},
	})
	if err != nil || adopted != nil {
		return adopted, err
	}
	return c.requested(ctx, cl.op, CertificateRef{Name: req.Name, Kind: KindAdvanced})
}

type privateKeyBody struct {
	CertificateNo int64  `json:"certificateNo"`
	PrivateKey    string `json:"privateKey"`
}

// RegisterPrivateKey is v2 RegisterPrivateKey: the key of an Advanced certificate issued
// from a customer CSR (NORMAL_UNREGISTERED_PRIVATE_KEY → NORMAL). The key is masked in logs.
//
// Not idempotent: a certificate whose key is registered refuses another (2000). So after an
// uncertain outcome (or a refusal following one) the certificate is read: NORMAL means an
// earlier attempt landed (success); still NORMAL_UNREGISTERED_PRIVATE_KEY after an uncertain
// outcome means it did not (sent again, at most MaxRetries times); else the error stands.
func (c *Client) RegisterPrivateKey(ctx context.Context, no int64, keyPEM string) error {
	cl := call{op: opRegisterPrivateKey, method: http.MethodPost, path: "/api/v2/certificate/registPrivateKey",
		body: privateKeyBody{CertificateNo: no, PrivateKey: keyPEM}, masks: secretMasks(keyPEM)}
	return c.checkedPost(ctx, cl, func(ctx context.Context) (bool, bool, error) {
		cert, err := c.GetCertificate(ctx, no)
		if err != nil {
			return false, false, err
		}
		n, _ := statusNumber(cert.StatusCode, cert.StatusName)
		return n == statusCodes[StatusNormal], n == statusCodes[StatusNormalUnregisteredPrivateKey], nil
	})
}

// checkedPost sends a POST that is not idempotent and whose effect can be read back:
// after an uncertain outcome, or a refusal following one, check reports whether the change
// is there (done) or provably not (notYet: send again, at most MaxRetries times).
func (c *Client) checkedPost(ctx context.Context, cl call, check func(context.Context) (done, notYet bool, err error)) error {
	return c.checkedPostOut(ctx, cl, nil, check)
}

// checkedPostOut is checkedPost decoding a success answer into out.
func (c *Client) checkedPostOut(ctx context.Context, cl call, out any, check func(context.Context) (done, notYet bool, err error)) error {
	sawUncertain := false
	for resend := 0; ; resend++ {
		_, err := c.do(ctx, cl, out)
		if err == nil || ctx.Err() != nil {
			return err
		}
		uncertain := IsUncertain(err)
		if !uncertain && (!sawUncertain || !isServiceCode(err)) {
			return err
		}
		sawUncertain = true
		done, notYet, cerr := check(ctx)
		switch {
		case cerr != nil:
			return fmt.Errorf("%w (checking the outcome afterwards failed too: %w)", err, cerr)
		case done:
			return nil
		case !notYet || !uncertain || resend >= c.cfg.MaxRetries:
			return err
		}
		if serr := sleep(ctx, c.operationBackoff(resend)); serr != nil {
			return err
		}
	}
}

type extendBody struct {
	OrderID            string `json:"orderId"`
	SubscriptionPeriod string `json:"subscriptionPeriod"`
}

// ExtendSubscription is v2 SubscriptionExtend: years (1–3) more for the order ("1Y".."3Y").
// It reads the order first; after an uncertain outcome it reads it again: subscriptionYears
// increased → the extension landed; unchanged → sent again (at most MaxRetries times).
func (c *Client) ExtendSubscription(ctx context.Context, orderID string, years int) error {
	if years < 1 || years > 3 {
		return fmt.Errorf("%s: %d years: expected 1 to 3; nothing was sent", opSubscriptionExtend, years)
	}
	before, err := c.GetOrder(ctx, orderID)
	if err != nil {
		return err
	}
	cl := call{op: opSubscriptionExtend, method: http.MethodPost, path: "/api/v2/certificate/subscription/extend",
		body: extendBody{OrderID: orderID, SubscriptionPeriod: strconv.Itoa(years) + "Y"}}
	return c.checkedPost(ctx, cl, func(ctx context.Context) (bool, bool, error) {
		now, err := c.GetOrder(ctx, orderID)
		if err != nil {
			return false, false, err
		}
		return now.SubscriptionYears > before.SubscriptionYears, now.SubscriptionYears == before.SubscriptionYears, nil
	})
}

type revokeBody struct {
	OrderID       string `json:"orderId"`
	CertificateNo int64  `json:"certificateNo"`
	RevokeType    string `json:"revokeType"`
}

type rowsAnswer struct {
	TotalRows flexInt `json:"totalRows"`
}

// RevokeCertificate is v2 RevokeCertificate of certificate no of the order; revokeType is
// one of §4.3 (affiliationChanged, superseded, cessationOfOperation, unspecified). It returns
// how many certificates THIS request revoked (an earlier attempt's are not counted again).
//
// A revocation is final and the service does not refuse one for a certificate in use (API
// doc §8), so the client checks first, on the order (GetOrder), and sends nothing:
//   - for no 0 (the whole order at once: its usage cannot be checked certificate by
//     certificate at the moment the service acts) or a certificate not in the order;
//   - while usedInstanceNoList is not empty: an *InUseError naming the instances;
//   - when the service did not say whether it is in use.
//
// Idempotent by nature (revoking a revoked certificate revokes nothing and is no error),
// so it is retried after an uncertain outcome like a GET.
func (c *Client) RevokeCertificate(ctx context.Context, orderID string, no int64, revokeType string) (int, error) {
	if no <= 0 {
		return 0, fmt.Errorf("%s: a certificate number is required (the whole order at once could revoke a certificate in use); nothing was sent", opRevokeCertificate)
	}
	order, err := c.GetOrder(ctx, orderID)
	if err != nil {
		return 0, fmt.Errorf("%s of certificate %d: reading order %s first failed, nothing was sent: %w", opRevokeCertificate, no, orderID, err)
	}
	var cert *Certificate
	for i := range order.Certificates {
		if order.Certificates[i].No == no {
			cert = &order.Certificates[i]
		}
	}
	switch {
	case cert == nil:
		return 0, fmt.Errorf("%s: certificate %d is not a certificate of order %s; nothing was sent", opRevokeCertificate, no, orderID)
	case cert.InUse():
		return 0, &InUseError{CertificateNo: no, InstanceNos: cert.UsedInstanceNos}
	case !cert.UsedInstanceNosKnown:
		return 0, fmt.Errorf("%s: the service did not say whether certificate %d is in use (no usedInstanceNoList), and a revocation is final; nothing was sent", opRevokeCertificate, no)
	}
	var answer rowsAnswer
	_, err = c.do(ctx, call{op: opRevokeCertificate, method: http.MethodPost, path: "/api/v2/certificate/revoke",
		body: revokeBody{OrderID: orderID, CertificateNo: no, RevokeType: revokeType}, idempotent: true}, &answer)
	if err != nil {
		return 0, err
	}
	return int(answer.TotalRows.v), nil
}
