package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// advFake is a small in-test service for the Advanced operations, with lost answers
// (HTTP 502 after or before applying) scripted per operation.
type advFake struct {
	t     *testing.T
	mu    sync.Mutex
	next  int64
	order int
	certs []map[string]any
	// orders: id → subscriptionYears; ends: id → subscriptionEndDt (nil = null)
	orders map[string]int
	tokens map[string]map[string]any // requestToken → the paidCertificate answered
	calls  map[string]int
	bodies map[string][]map[string]any
	paths  map[string][]string
	// loseAfter / loseBefore: answer the next n calls of an op with 502, after / without applying.
	loseAfter, loseBefore map[string]int

	bareAnswer   bool // the request answers {totalRows: 1} only
	v1NoOrder    bool // v1 items lack orderId
	lowerOrderID bool // getPaidCertificates says orderId instead of orderID
	stringy      bool // numbers as strings, statusCode as a number
}

func newAdvFake(t *testing.T) *advFake {
	return &advFake{t: t, next: 5000, orders: map[string]int{}, tokens: map[string]map[string]any{}, calls: map[string]int{},
		bodies: map[string][]map[string]any{}, paths: map[string][]string{}, loseAfter: map[string]int{}, loseBefore: map[string]int{}}
}

func (f *advFake) client(t *testing.T, mod ...func(*Config)) *Client {
	c, _ := newTestClient(t, f, mod...)
	return c
}

// addCert adds a certificate (orderID "" = not Advanced) registered at reg.
func (f *advFake) addCert(name, cn, sans, orderID, status, reg string) int64 {
	f.next++
	f.certs = append(f.certs, map[string]any{"certificateNo": f.next, "certificateName": name, "commonName": cn,
		"dnsName": sans, "statusCode": status, "statusName": map[string]string{"0": "ONGOING", "1": "NORMAL", "2": "NORMAL_UNREGISTERED_PRIVATE_KEY"}[status],
		"orderId": orderID, "regDate": reg, "usedInstanceNoList": []any{}})
	return f.next
}

func (f *advFake) byName(name string) map[string]any {
	for _, c := range f.certs {
		if c["certificateName"] == name {
			return c
		}
	}
	return nil
}

func (f *advFake) item(c map[string]any, v1 bool) map[string]any {
	out := map[string]any{}
	for k, v := range c {
		out[k] = v
	}
	if v1 && f.v1NoOrder {
		delete(out, "orderId")
	}
	if f.stringy {
		out["certificateNo"] = strconv.FormatInt(c["certificateNo"].(int64), 10)
		n, _ := strconv.Atoi(c["statusCode"].(string))
		out["statusCode"] = n
	}
	return out
}

func (f *advFake) orderJSON(id string) map[string]any {
	certs := []any{}
	for _, c := range f.certs {
		if c["orderId"] == id {
			certs = append(certs, f.item(c, false))
		}
	}
	var years any = f.orders[id]
	if f.stringy {
		years = strconv.Itoa(f.orders[id])
	}
	return map[string]any{"orderId": id, "subscriptionStartDt": "2026-11-01 10:00:00", "subscriptionEndDt": nil,
		"subscriptionYears": years, "remainingDays": nil, "extendableYears": 0, "certificates": certs}
}

func (f *advFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := r.URL.Path
	var op string
	switch {
	case p == "/api/v1/certificates":
		op = "v1list"
	case p == "/api/v2/certificate/certificates":
		op = opListCertificates
	case p == "/api/v2/certificate/getPaidCertificates":
		op = opListAdvancedCertificates
	case p == "/api/v2/certificate/orders":
		op = opListOrders
	case strings.HasPrefix(p, "/api/v2/certificate/orders/"):
		op = opGetOrder
	case p == "/api/v2/certificate/requestPaidCertificateIssuance":
		op = opAdvancedCertificateRequest
	case strings.HasSuffix(p, "/reissue"):
		op = opReissueCertificate
	case p == "/api/v2/certificate/registPrivateKey":
		op = opRegisterPrivateKey
	case p == "/api/v2/certificate/subscription/extend":
		op = opSubscriptionExtend
	case p == "/api/v2/certificate/revoke":
		op = opRevokeCertificate
	default:
		f.t.Errorf("unexpected %s %s", r.Method, p)
		writeJSON(w, 404, map[string]any{})
		return
	}
	f.calls[op]++
	f.paths[op] = append(f.paths[op], r.Method+" "+r.URL.RequestURI())
	body := map[string]any{}
	if r.Method == http.MethodPost {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.t.Errorf("%s: body: %v", op, err)
		}
		f.bodies[op] = append(f.bodies[op], body)
	}
	if f.loseBefore[op] > 0 {
		f.loseBefore[op]--
		writeJSON(w, 502, map[string]any{"error": map[string]any{"errorCode": "502", "message": "Bad Gateway"}})
		return
	}
	status, answer := f.serve(op, r, body)
	if f.loseAfter[op] > 0 {
		f.loseAfter[op]--
		writeJSON(w, 502, map[string]any{"error": map[string]any{"errorCode": "502", "message": "Bad Gateway"}})
		return
	}
	writeJSON(w, status, answer)
}

func refused(msg string) (int, map[string]any) {
	return 400, map[string]any{"returnCode": "2000", "returnMessage": msg}
}

func (f *advFake) serve(op string, r *http.Request, body map[string]any) (int, map[string]any) {
	q := r.URL.Query()
	switch op {
	case "v1list", opListCertificates:
		list := []any{}
		for _, c := range f.certs {
			if n := q.Get("certificateName"); n != "" && c["certificateName"] != n {
				continue
			}
			if n := q.Get("certificateNo"); n != "" && strconv.FormatInt(c["certificateNo"].(int64), 10) != n {
				continue
			}
			list = append(list, f.item(c, op == "v1list"))
		}
		return 200, success(map[string]any{"totalRows": len(list), "totalCount": len(list), "sslCertificateList": list})
	case opListAdvancedCertificates, opListOrders:
		orders := []any{}
		for i := 1; i <= f.order; i++ {
			id := strconv.Itoa(900000 + i)
			o := f.orderJSON(id)
			if op == opListAdvancedCertificates {
				key := "orderID"
				if f.lowerOrderID {
					key = "orderId"
				}
				certs := []any{}
				for _, c := range o["certificates"].([]any) {
					if n := q.Get("certificateName"); n == "" || c.(map[string]any)["certificateName"] == n {
						certs = append(certs, c)
					}
				}
				if len(certs) == 0 {
					continue
				}
				o = map[string]any{key: id, "certificates": certs}
			}
			orders = append(orders, o)
		}
		return 200, success(map[string]any{"totalCount": len(orders), "orders": orders})
	case opGetOrder:
		id := strings.TrimPrefix(r.URL.Path, "/api/v2/certificate/orders/")
		if _, ok := f.orders[id]; !ok {
			return 200, map[string]any{"returnCode": "2200", "returnMessage": "The order does not exist."}
		}
		return 200, success(f.orderJSON(id))
	case opAdvancedCertificateRequest:
		token, _ := body["requestToken"].(string)
		if pc, ok := f.tokens[token]; ok {
			return 200, f.paidAnswer(pc)
		}
		name, _ := body["certificateName"].(string)
		if f.byName(name) != nil {
			return refused("certificateName is already in use")
		}
		f.order++
		id := strconv.Itoa(900000 + f.order)
		f.orders[id] = 1
		if y, ok := body["subscriptionPeriod"].(float64); ok {
			f.orders[id] = int(y)
		}
		sans := []string{}
		for _, s := range body["dnsName"].([]any) {
			sans = append(sans, s.(string))
		}
		no := f.addCert(name, body["commonName"].(string), strings.Join(sans, ","), id, "0", kstNow())
		pc := map[string]any{"certificateNo": no, "certificateName": name, "orderId": id, "commonName": body["commonName"],
			"statusCode": "0", "statusName": "ONGOING"}
		f.tokens[token] = pc
		return 200, f.paidAnswer(pc)
	case opReissueCertificate:
		no, _ := strconv.ParseInt(strings.Split(r.URL.Path, "/")[4], 10, 64)
		var old map[string]any
		for _, c := range f.certs {
			if c["certificateNo"] == no {
				old = c
			}
		}
		if old == nil {
			return 200, map[string]any{"returnCode": "2200", "returnMessage": "No certificate was found."}
		}
		name, _ := body["certificateName"].(string)
		if f.byName(name) != nil {
			return refused("certificateName is already in use")
		}
		sans := []string{}
		for _, s := range body["dnsName"].([]any) {
			sans = append(sans, s.(string))
		}
		f.addCert(name, body["commonName"].(string), strings.Join(sans, ","), old["orderId"].(string), "0", kstNow())
		return 200, success(map[string]any{"totalRows": 1})
	case opRegisterPrivateKey:
		for _, c := range f.certs {
			if c["certificateNo"] == int64(body["certificateNo"].(float64)) {
				if c["statusCode"] != "2" {
					return refused("the certificate takes no private key")
				}
				c["statusCode"], c["statusName"] = "1", "NORMAL"
				return 200, success(map[string]any{"totalRows": 0})
			}
		}
		return 200, map[string]any{"returnCode": "2200", "returnMessage": "No certificate was found."}
	case opSubscriptionExtend:
		id, _ := body["orderId"].(string)
		n, _ := strconv.Atoi(strings.TrimSuffix(body["subscriptionPeriod"].(string), "Y"))
		f.orders[id] += n
		return 200, success(nil)
	case opRevokeCertificate:
		n := 0
		for _, c := range f.certs {
			if c["orderId"] == body["orderId"] && c["statusCode"] != "-5" {
				c["statusCode"], c["statusName"] = "-5", "REVOKE"
				n++
			}
		}
		return 200, success(map[string]any{"totalRows": n})
	}
	return 500, nil
}

func (f *advFake) paidAnswer(pc map[string]any) map[string]any {
	if f.bareAnswer {
		return success(map[string]any{"totalRows": 1})
	}
	out := map[string]any{}
	for k, v := range pc {
		out[k] = v
	}
	if f.stringy {
		out["certificateNo"] = strconv.FormatInt(pc["certificateNo"].(int64), 10)
		out["statusCode"] = 0
	}
	return success(map[string]any{"totalRows": 1, "paidCertificate": out})
}

func advRequest(name string) AdvancedRequest {
	return AdvancedRequest{Type: AdvancedDV, Name: name, CommonName: "example.com", DNSNames: []string{"www.example.com"},
		CSR: "-----BEGIN CERTIFICATE REQUEST-----\nX\n-----END CERTIFICATE REQUEST-----\n", ValidationMethod: "D",
		SubscriptionYears: 2, KeyAlgorithm: "RSA_2048", RequestToken: "tok-1"}
}

func TestRequestAdvancedCertificateBodyAndAnswer(t *testing.T) {
	for _, variant := range []string{"mock", "stringy", "bare answer, v1 without orderId", "bare, orderId spelling"} {
		f := newAdvFake(t)
		f.stringy = variant == "stringy"
		f.bareAnswer = strings.HasPrefix(variant, "bare")
		f.v1NoOrder = f.bareAnswer
		f.lowerOrderID = variant == "bare, orderId spelling"
		c := f.client(t)
		res, err := c.RequestAdvancedCertificate(context.Background(), advRequest("adv"))
		if err != nil {
			t.Fatalf("%s: %v", variant, err)
		}
		if res.OrderID != "900001" || res.Certificate.No != 5001 || res.Certificate.Name != "adv" || res.Certificate.OrderID != "900001" ||
			res.Certificate.Status() != StatusOngoing {
			t.Errorf("%s: result %+v", variant, res)
		}
		b := f.bodies[opAdvancedCertificateRequest][0]
		if b["certificateType"] != "NCP_PAID_DV_01" || b["requestToken"] != "tok-1" || b["subscriptionPeriod"] != 2.0 ||
			b["validationMethod"] != "D" || b["keyAlgorithm"] != "RSA_2048" || !strings.Contains(b["csr"].(string), "REQUEST") {
			t.Errorf("%s: body %v", variant, b)
		}
		if _, ok := b["organizationNo"]; ok {
			t.Errorf("%s: DV sent organizationNo: %v", variant, b)
		}
		if f.calls[opAdvancedCertificateRequest] != 1 || f.order != 1 {
			t.Errorf("%s: calls %v", variant, f.calls)
		}
	}
}

func TestRequestAdvancedCertificateRefusedInput(t *testing.T) {
	f := newAdvFake(t)
	c := f.client(t)
	req := advRequest("adv")
	req.RequestToken = ""
	if _, err := c.RequestAdvancedCertificate(context.Background(), req); err == nil {
		t.Error("no token: no error")
	}
	req = advRequest("adv")
	req.Type = CloudBasic
	if _, err := c.RequestAdvancedCertificate(context.Background(), req); err == nil {
		t.Error("wrong type: no error")
	}
	if len(f.calls) != 0 {
		t.Errorf("sent %v", f.calls)
	}
}

// A lost answer: the order exists; the name look-up finds it in an order, so the same
// request (same token) is sent again and the service answers the same order.
func TestRequestAdvancedCertificateLostAnswer(t *testing.T) {
	for _, v1NoOrder := range []bool{false, true} {
		f := newAdvFake(t)
		f.v1NoOrder = v1NoOrder
		f.loseAfter[opAdvancedCertificateRequest] = 1
		c := f.client(t)
		res, err := c.RequestAdvancedCertificate(context.Background(), advRequest("adv"))
		if err != nil {
			t.Fatalf("v1NoOrder=%v: %v", v1NoOrder, err)
		}
		bodies := f.bodies[opAdvancedCertificateRequest]
		if f.order != 1 || len(bodies) != 2 || bodies[0]["requestToken"] != bodies[1]["requestToken"] || res.OrderID != "900001" {
			t.Errorf("v1NoOrder=%v: orders %d, bodies %v, res %+v", v1NoOrder, f.order, bodies, res)
		}
		if f.calls["v1list"] == 0 {
			t.Error("no look-up by name before the resend")
		}
	}
	// The first attempt did not land: nothing under the name, sent again.
	f := newAdvFake(t)
	f.loseBefore[opAdvancedCertificateRequest] = 1
	res, err := f.client(t).RequestAdvancedCertificate(context.Background(), advRequest("adv"))
	if err != nil || f.order != 1 || f.calls[opAdvancedCertificateRequest] != 2 || res.OrderID != "900001" {
		t.Errorf("err %v, orders %d, calls %v", err, f.order, f.calls)
	}
}

func TestRequestAdvancedCertificateNameInUse(t *testing.T) {
	// Another certificate (not Advanced) holds the name.
	f := newAdvFake(t)
	f.addCert("adv", "other.example", "", "", "1", "2020-01-01 00:00:00")
	_, err := f.client(t).RequestAdvancedCertificate(context.Background(), advRequest("adv"))
	var nu *NameInUseError
	if !errors.As(err, &nu) || nu.Existing.No != 5001 {
		t.Errorf("err = %v", err)
	}
	// An older order's certificate with the same names, another token: refused, not adopted.
	f = newAdvFake(t)
	f.order, f.orders["900001"] = 1, 1
	f.addCert("adv", "example.com", "www.example.com", "900001", "1", "2020-01-01 00:00:00")
	f.loseAfter[opAdvancedCertificateRequest] = 0
	_, err = f.client(t).RequestAdvancedCertificate(context.Background(), advRequest("adv"))
	if !IsNameInUse(err) || f.order != 1 {
		t.Errorf("err = %v, orders %d", err, f.order)
	}
	// Same after a lost answer (502 before applying): the resend is refused, the holder is old.
	f = newAdvFake(t)
	f.order, f.orders["900001"] = 1, 1
	f.addCert("adv", "example.com", "www.example.com", "900001", "1", "2020-01-01 00:00:00")
	f.loseBefore[opAdvancedCertificateRequest] = 1
	_, err = f.client(t).RequestAdvancedCertificate(context.Background(), advRequest("adv"))
	if !IsNameInUse(err) || f.order != 1 || f.calls[opAdvancedCertificateRequest] != 2 {
		t.Errorf("err = %v, orders %d, calls %v", err, f.order, f.calls)
	}
}

func TestOrders(t *testing.T) {
	f := newAdvFake(t)
	f.stringy = true
	c := f.client(t)
	ctx := context.Background()
	if _, err := c.RequestAdvancedCertificate(ctx, advRequest("adv")); err != nil {
		t.Fatal(err)
	}
	o, err := c.GetOrder(ctx, "900001")
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != "900001" || o.SubscriptionYears != 2 || o.RemainingDays != nil || !o.SubscriptionEnd.IsZero() ||
		o.SubscriptionStart.IsZero() || len(o.Certificates) != 1 || o.Certificates[0].No != 5001 {
		t.Errorf("order %+v", o)
	}
	if _, err := c.GetOrder(ctx, "1"); !IsNotFound(err) {
		t.Errorf("unknown order: %v", err)
	}
	orders, err := c.ListOrders(ctx)
	if err != nil || len(orders) != 1 || orders[0].ID != "900001" {
		t.Errorf("ListOrders %+v %v", orders, err)
	}
	for _, lower := range []bool{false, true} {
		f.lowerOrderID = lower
		adv, err := c.ListAdvancedCertificates(ctx, "adv")
		if err != nil || len(adv) != 1 || adv[0].OrderID != "900001" || len(adv[0].Certificates) != 1 {
			t.Errorf("ListAdvancedCertificates %+v %v", adv, err)
		}
		if adv, _ := c.ListAdvancedCertificates(ctx, "none"); len(adv) != 0 {
			t.Errorf("filtered: %+v", adv)
		}
	}
	if q := f.paths[opListAdvancedCertificates][0]; !strings.Contains(q, "certificateName=adv") || !strings.Contains(q, "page=1") {
		t.Errorf("query %s", q)
	}
}

func TestOrderRemainingDays(t *testing.T) {
	var w orderResponse
	if err := json.Unmarshal([]byte(`{"orderId":900002,"subscriptionEndDt":"2027-11-01 10:00:00","remainingDays":"-3","subscriptionYears":1}`), &w); err != nil {
		t.Fatal(err)
	}
	o := w.order()
	if o.ID != "900002" || o.RemainingDays == nil || *o.RemainingDays != -3 || o.SubscriptionEnd.IsZero() {
		t.Errorf("%+v", o)
	}
}

func reissueReq(name string) ReissueRequest {
	return ReissueRequest{CSR: "csr", Name: name, CommonName: "example.com", DNSNames: []string{"www.example.com"}, ValidationMethod: "PD"}
}

func TestReissueCertificate(t *testing.T) {
	setup := func() (*advFake, int64) {
		f := newAdvFake(t)
		f.order, f.orders["900001"] = 1, 1
		return f, f.addCert("adv", "example.com", "www.example.com", "900001", "1", "2020-01-01 00:00:00")
	}
	ctx := context.Background()
	f, no := setup()
	cert, err := f.client(t).ReissueCertificate(ctx, no, reissueReq("adv-2"))
	if err != nil || cert.Name != "adv-2" || cert.No == no || cert.OrderID != "900001" {
		t.Fatalf("%+v %v", cert, err)
	}
	b := f.bodies[opReissueCertificate][0]
	if f.paths[opReissueCertificate][0] != "POST /api/v2/certificate/5001/reissue" || b["csr"] != "csr" || b["validationMethod"] != "PD" ||
		b["certificateName"] != "adv-2" {
		t.Errorf("%v %v", f.paths, b)
	}
	// Lost answer after applying: adopted, sent once.
	f, no = setup()
	f.loseAfter[opReissueCertificate] = 1
	cert, err = f.client(t).ReissueCertificate(ctx, no, reissueReq("adv-2"))
	if err != nil || cert.Name != "adv-2" || f.calls[opReissueCertificate] != 1 || len(f.certs) != 2 {
		t.Errorf("%+v %v %v", cert, err, f.calls)
	}
	// Did not land: sent again.
	f, no = setup()
	f.loseBefore[opReissueCertificate] = 1
	cert, err = f.client(t).ReissueCertificate(ctx, no, reissueReq("adv-2"))
	if err != nil || cert.Name != "adv-2" || f.calls[opReissueCertificate] != 2 || len(f.certs) != 2 {
		t.Errorf("%+v %v %v", cert, err, f.calls)
	}
	// The name is held by something else.
	f, no = setup()
	f.addCert("adv-2", "other.example", "", "", "1", "2020-01-01 00:00:00")
	if _, err := f.client(t).ReissueCertificate(ctx, no, reissueReq("adv-2")); !IsNameInUse(err) {
		t.Errorf("err = %v", err)
	}
}

func TestRegisterPrivateKey(t *testing.T) {
	const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
	for _, tc := range []struct {
		name        string
		after, bef  int
		wantPosts   int
		wantErr     bool
		startStatus string
	}{
		{"ok", 0, 0, 1, false, "2"},
		{"lost after applying", 1, 0, 1, false, "2"},
		{"lost before applying", 0, 1, 2, false, "2"},
		{"not issued yet", 0, 0, 1, true, "0"},
	} {
		f := newAdvFake(t)
		no := f.addCert("adv", "example.com", "", "900001", tc.startStatus, "2020-01-01 00:00:00")
		f.loseAfter[opRegisterPrivateKey], f.loseBefore[opRegisterPrivateKey] = tc.after, tc.bef
		err := f.client(t).RegisterPrivateKey(context.Background(), no, key)
		if (err != nil) != tc.wantErr || f.calls[opRegisterPrivateKey] != tc.wantPosts {
			t.Errorf("%s: err %v, calls %v", tc.name, err, f.calls)
		}
		if b := f.bodies[opRegisterPrivateKey][0]; b["privateKey"] != key || b["certificateNo"] != float64(no) {
			t.Errorf("%s: body %v", tc.name, b)
		}
	}
}

func TestExtendSubscription(t *testing.T) {
	for _, tc := range []struct {
		name              string
		after, bef, posts int
	}{{"ok", 0, 0, 1}, {"lost after applying", 1, 0, 1}, {"lost before applying", 0, 1, 2}} {
		f := newAdvFake(t)
		f.order, f.orders["900001"] = 1, 1
		f.loseAfter[opSubscriptionExtend], f.loseBefore[opSubscriptionExtend] = tc.after, tc.bef
		err := f.client(t).ExtendSubscription(context.Background(), "900001", 2)
		if err != nil || f.calls[opSubscriptionExtend] != tc.posts || f.orders["900001"] != 3 {
			t.Errorf("%s: err %v, calls %v, years %d", tc.name, err, f.calls, f.orders["900001"])
		}
		if b := f.bodies[opSubscriptionExtend][0]; b["orderId"] != "900001" || b["subscriptionPeriod"] != "2Y" {
			t.Errorf("%s: body %v", tc.name, b)
		}
	}
	f := newAdvFake(t)
	if err := f.client(t).ExtendSubscription(context.Background(), "900001", 4); err == nil || len(f.calls) != 0 {
		t.Errorf("4 years: %v %v", err, f.calls)
	}
}

func TestRevokeCertificateRetried(t *testing.T) {
	f := newAdvFake(t)
	no := f.addCert("adv", "example.com", "", "900001", "1", "2020-01-01 00:00:00")
	f.order, f.orders["900001"] = 1, 1
	f.loseBefore[opRevokeCertificate] = 1
	n, err := f.client(t).RevokeCertificate(context.Background(), "900001", no, "superseded")
	if err != nil || n != 1 || f.calls[opRevokeCertificate] != 2 {
		t.Errorf("n %d err %v calls %v", n, err, f.calls)
	}
	if b := f.bodies[opRevokeCertificate][0]; b["orderId"] != "900001" || b["certificateNo"] != float64(no) || b["revokeType"] != "superseded" {
		t.Errorf("body %v", b)
	}
}

// The service revokes a certificate in use (API doc §8): the client never sends such a
// revocation, nor one for the whole order (0), nor one whose usage it cannot know.
func TestRevokeCertificateNeverRevokesInUse(t *testing.T) {
	f := newAdvFake(t)
	used := f.addCert("used", "example.com", "", "900001", "1", "2020-01-01 00:00:00")
	f.certs[len(f.certs)-1]["usedInstanceNoList"] = []any{"7001", "7002"}
	f.order, f.orders["900001"] = 1, 1
	unknown := f.addCert("unknown", "example.com", "", "900001", "1", "2020-01-01 00:00:00")
	delete(f.certs[len(f.certs)-1], "usedInstanceNoList")
	c := f.client(t)
	ctx := context.Background()

	_, err := c.RevokeCertificate(ctx, "900001", used, "superseded")
	var iu *InUseError
	if !errors.As(err, &iu) || iu.CertificateNo != used || strings.Join(iu.InstanceNos, ",") != "7001,7002" || !IsInUse(err) {
		t.Errorf("in use: %v", err)
	}
	if _, err := c.RevokeCertificate(ctx, "900001", unknown, "superseded"); err == nil || !strings.Contains(err.Error(), "did not say whether") {
		t.Errorf("usage unknown: %v", err)
	}
	if _, err := c.RevokeCertificate(ctx, "900001", 0, "superseded"); err == nil || !strings.Contains(err.Error(), "certificate number is required") {
		t.Errorf("whole order: %v", err)
	}
	if _, err := c.RevokeCertificate(ctx, "900001", 12345, "superseded"); err == nil || !strings.Contains(err.Error(), "not a certificate of order") {
		t.Errorf("other certificate: %v", err)
	}
	if f.calls[opRevokeCertificate] != 0 {
		t.Errorf("RevokeCertificate sent %d times, want 0", f.calls[opRevokeCertificate])
	}
}

func TestAdvancedOperationsNotSentOnGov(t *testing.T) {
	f := newAdvFake(t)
	c := f.client(t, func(cfg *Config) { cfg.Site = "gov" })
	ctx := context.Background()
	errs := []error{}
	_, err := c.RequestAdvancedCertificate(ctx, advRequest("adv"))
	errs = append(errs, err)
	_, err = c.ListAdvancedCertificates(ctx, "")
	errs = append(errs, err)
	_, err = c.ListOrders(ctx)
	errs = append(errs, err)
	_, err = c.GetOrder(ctx, "1")
	errs = append(errs, err)
	_, err = c.ReissueCertificate(ctx, 1, reissueReq("x"))
	errs = append(errs, err)
	errs = append(errs, c.RegisterPrivateKey(ctx, 1, "k"), c.ExtendSubscription(ctx, "1", 1))
	_, err = c.RevokeCertificate(ctx, "1", 1, "superseded")
	errs = append(errs, err)
	for i, err := range errs {
		if !errors.Is(err, ErrV2Unavailable) {
			t.Errorf("op %d: %v", i, err)
		}
	}
	if len(f.calls) != 0 {
		t.Errorf("sent %v", f.calls)
	}
}

func TestRegisterPrivateKeyNeverLogsTheKey(t *testing.T) {
	f := newAdvFake(t)
	no := f.addCert("adv", "example.com", "", "900001", "2", "2020-01-01 00:00:00")
	f.loseAfter[opRegisterPrivateKey] = 1
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	key := testKeyPEM(t)
	if err := f.client(t).RegisterPrivateKey(ctx, no, key); err != nil {
		t.Fatal(err)
	}
	log := out.String()
	if !strings.Contains(log, opRegisterPrivateKey) {
		t.Error("the operation was not logged")
	}
	for _, line := range strings.Split(key, "\n") {
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(log, line) {
			t.Fatalf("key material in the log: %q", line)
		}
	}
}
