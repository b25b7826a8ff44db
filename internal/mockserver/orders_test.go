package mockserver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// placeOrder requests an Advanced certificate and returns its number and order id.
func (e *testEnv) placeOrder(name, cn, method string, years int) (int64, string) {
	e.t.Helper()
	csr, _ := testCSR(e.t, cn)
	b := advancedBody(csr, name, cn)
	b["validationMethod"], b["subscriptionPeriod"] = method, years
	res := e.signed(http.MethodPost, advancedPath, b)
	wantOK(e.t, res)
	p := res.body["paidCertificate"].(map[string]any)
	return numOf(e.t, p["certificateNo"]), p["orderId"].(string)
}

// wantRefusal checks status, code and that the message contains part.
func wantRefusal(t testing.TB, res result, status int, code, part string) {
	t.Helper()
	if res.status != status || res.str("returnCode") != code || !strings.Contains(res.str("returnMessage"), part) {
		t.Fatalf("want HTTP %d code %s containing %q, got HTTP %d: %s", status, code, part, res.status, res.raw)
	}
}

func (e *testEnv) getOrder(id string) result {
	e.t.Helper()
	return e.signed(http.MethodGet, "/api/v2/certificate/orders/"+id, nil)
}

func TestListAdvancedCertificates(t *testing.T) {
	e := newEnv(t, Options{})
	for i := 1; i <= 3; i++ {
		e.placeOrder(fmt.Sprintf("paid-%d", i), fmt.Sprintf("p%d.example.com", i), "D", 1)
	}
	e.request(typeCloudBasic, "basic-1", "basic.example.com") // not Advanced: never listed
	cases := []struct {
		query     string
		total     int
		orderIDs  []string
		certNames []string
	}{
		{"", 3, []string{"900001", "900002", "900003"}, []string{"paid-1", "paid-2", "paid-3"}},
		{"?pageSize=0", 3, []string{"900001", "900002", "900003"}, nil},
		{"?page=2&pageSize=2", 3, []string{"900003"}, []string{"paid-3"}},
		{"?page=9&pageSize=2", 3, []string{}, nil},
		{"?pageSize=1000", 3, []string{"900001", "900002", "900003"}, nil},
		{"?certificateName=paid-2", 1, []string{"900002"}, []string{"paid-2"}},
		{"?certificateName=basic-1", 0, []string{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			res := e.signed(http.MethodGet, "/api/v2/certificate/getPaidCertificates"+tc.query, nil)
			wantOK(t, res)
			orders := res.list("orders")
			if int(res.num("totalCount")) != tc.total || len(orders) != len(tc.orderIDs) {
				t.Fatalf("got %s", res.raw)
			}
			var names []string
			for i, o := range orders {
				if o["orderID"] != tc.orderIDs[i] {
					t.Fatalf("order %d: %v", i, o)
				}
				for _, c := range o["certificates"].([]any) {
					c := c.(map[string]any)
					names = append(names, c["certificateName"].(string))
					if c["orderId"] != o["orderID"] || c["certificateType"] != typeAdvancedDV || c["statusName"] != "ONGOING" {
						t.Fatalf("item %v", c)
					}
				}
			}
			if tc.certNames != nil && strings.Join(names, ",") != strings.Join(tc.certNames, ",") {
				t.Fatalf("names %v", names)
			}
		})
	}
	wantCode(t, e.signed(http.MethodGet, "/api/v2/certificate/getPaidCertificates?page=x", nil), http.StatusBadRequest, codeValidation, "")
}

func TestListOrdersAndGetOrder(t *testing.T) {
	e := newEnv(t, Options{})
	no1, id1 := e.placeOrder("ord-1", "o1.example.com", "D", 1)
	_, id2 := e.placeOrder("ord-2", "o2.example.com", "D", 2)
	start := e.srv.Now()
	// Before issuance: end and remainingDays null, nothing extendable.
	res := e.getOrder(id1)
	wantOK(t, res)
	if res.body["subscriptionEndDt"] != nil || res.body["remainingDays"] != nil || res.num("extendableYears") != 0 ||
		res.num("subscriptionYears") != 1 || res.num("totalCount") != 1 || res.str("orderId") != id1 ||
		res.str("subscriptionStartDt") == "" {
		t.Fatalf("pending order: %s", res.raw)
	}
	if err := e.srv.ValidateCertificate(no1); err != nil {
		t.Fatal(err)
	}
	res = e.getOrder(id1)
	wantOK(t, res)
	end, err := time.ParseInLocation(time.DateTime, res.str("subscriptionEndDt"), kst)
	if err != nil {
		t.Fatalf("end %s", res.raw)
	}
	if d := end.Sub(start.AddDate(1, 0, 0)); d < -5*time.Second || d > 5*time.Second {
		t.Fatalf("end %v, want about a year after %v", end, start)
	}
	if days := res.num("remainingDays"); days < 363 || days > 366 {
		t.Fatalf("remainingDays %d", days)
	}
	if res.num("extendableYears") != 2 {
		t.Fatalf("extendableYears %s", res.raw)
	}
	certs := res.list("certificates")
	if len(certs) != 1 || certs[0]["statusName"] != "NORMAL_UNREGISTERED_PRIVATE_KEY" {
		t.Fatalf("certificates %s", res.raw)
	}
	cases := []struct {
		query string
		ids   []string
	}{
		{"", []string{id1, id2}},
		{"?page=1&pageSize=0", []string{id1, id2}},
		{"?page=2&pageSize=1", []string{id2}},
		{"?page=3&pageSize=1", nil},
	}
	for _, tc := range cases {
		t.Run("list"+tc.query, func(t *testing.T) {
			res := e.signed(http.MethodGet, "/api/v2/certificate/orders"+tc.query, nil)
			wantOK(t, res)
			orders := res.list("orders")
			if res.num("totalCount") != 2 || len(orders) != len(tc.ids) {
				t.Fatalf("got %s", res.raw)
			}
			for i, o := range orders {
				if o["orderId"] != tc.ids[i] {
					t.Fatalf("order %d %v", i, o)
				}
			}
		})
	}
	// The clock: after expiry remainingDays is negative and nothing is extendable.
	e.srv.AdvanceClock(2 * 366 * 24 * time.Hour)
	res = e.getOrder(id1)
	if res.num("remainingDays") >= 0 || res.num("extendableYears") != 0 || res.list("certificates")[0]["statusName"] != "EXPIRE" {
		t.Fatalf("after expiry: %s", res.raw)
	}
	wantCode(t, e.getOrder("123"), http.StatusOK, codeNotFound, "")
}

func TestSubscriptionExtend(t *testing.T) {
	e := newEnv(t, Options{})
	no, id := e.placeOrder("ext-1", "ext.example.com", "D", 1)
	path := "/api/v2/certificate/subscription/extend"
	ext := func(id, period string) result {
		return e.signed(http.MethodPost, path, map[string]any{"orderId": id, "subscriptionPeriod": period})
	}
	wantRefusal(t, ext(id, "1Y"), http.StatusBadRequest, codeValidation, "no issued certificate")
	if err := e.srv.ValidateCertificate(no); err != nil {
		t.Fatal(err)
	}
	endOf := func() string { return e.getOrder(id).str("subscriptionEndDt") }
	steps := []struct {
		period    string
		code, msg string
		years     int64
		left      int64
	}{
		{"4Y", codeValidation, `"1Y", "2Y" or "3Y"`, 1, 2},
		{"3Y", codeValidation, `allowed: "1Y" to "2Y"`, 1, 2},
		{"1Y", "0", "", 2, 1},
		{"2Y", codeValidation, `allowed: "1Y")`, 2, 1},
		{"1Y", "0", "", 3, 0},
		{"1Y", codeValidation, "ceiling", 3, 0},
	}
	for i, st := range steps {
		before := endOf()
		res := ext(id, st.period)
		if st.code == "0" {
			wantOK(t, res)
		} else {
			wantRefusal(t, res, http.StatusBadRequest, st.code, st.msg)
		}
		o := e.getOrder(id)
		if o.num("subscriptionYears") != st.years || o.num("extendableYears") != st.left ||
			(st.code == "0") == (o.str("subscriptionEndDt") == before) {
			t.Fatalf("step %d (%s): %s", i, st.period, o.raw)
		}
	}
	wantCode(t, ext("999999", "1Y"), http.StatusOK, codeNotFound, "")
	wantRefusal(t, ext("", "1Y"), http.StatusBadRequest, codeValidation, "orderId")
	e.srv.AdvanceClock(5 * 366 * 24 * time.Hour)
	wantRefusal(t, ext(id, "1Y"), http.StatusBadRequest, codeValidation, "expired")
	if n := e.srv.Requests(OpSubscriptionExtend); n != 10 {
		t.Fatalf("requests %d", n)
	}
}

func TestReissueCertificate(t *testing.T) {
	for _, method := range []string{"D", "PD"} {
		t.Run(method, func(t *testing.T) {
			e := newEnv(t, Options{})
			no, id := e.placeOrder("re-1", "re.example.com", method, 1)
			recs := e.records(no)
			if err := e.srv.PublishDNS(recs[0].Name, recs[0].Type, recs[0].Value); err != nil {
				t.Fatal(err)
			}
			csr, _ := testCSR(t, "re.example.com")
			path := fmt.Sprintf("/api/v2/certificate/%d/reissue", no)
			body := func(name string) map[string]any {
				return map[string]any{"csr": csr, "certificateName": name, "commonName": "re.example.com", "validationMethod": method}
			}
			bad := body("re-2")
			bad["commonName"] = "other.example.com"
			wantRefusal(t, e.signed(http.MethodPost, path, bad), http.StatusBadRequest, codeValidation, "do not match")
			wantCode(t, e.signed(http.MethodPost, path, body("re-1")), http.StatusBadRequest, codeValidation, msgNameTaken)
			wantCode(t, e.signed(http.MethodPost, "/api/v2/certificate/999999/reissue", body("re-2")), http.StatusOK, codeNotFound, "")
			basic := e.request(typeCloudBasic, "basic-1", "basic.example.com")
			wantRefusal(t, e.signed(http.MethodPost, fmt.Sprintf("/api/v2/certificate/%d/reissue", basic), body("re-2")),
				http.StatusBadRequest, codeValidation, "Advanced")
			res := e.signed(http.MethodPost, path, body("re-2"))
			wantOK(t, res)
			if res.num("totalRows") != 1 {
				t.Fatalf("answer %s", res.raw)
			}
			o := e.getOrder(id)
			certs := o.list("certificates")
			if o.num("totalCount") != 2 || len(certs) != 2 || numOf(t, certs[0]["certificateNo"]) != no || certs[1]["certificateName"] != "re-2" {
				t.Fatalf("order %s", o.raw)
			}
			newNo := numOf(t, certs[1]["certificateNo"])
			// PD reuses the published persistent record: validated at once; D waits for a new record.
			want := map[string]string{"D": "ONGOING", "PD": "NORMAL_UNREGISTERED_PRIVATE_KEY"}[method]
			if st := e.statusOf(newNo); st != want || e.statusOf(no) != "NORMAL_UNREGISTERED_PRIVATE_KEY" {
				t.Fatalf("statuses new %s old %s", st, e.statusOf(no))
			}
			if method == "D" {
				if r := e.records(newNo); r[0].Name == recs[0].Name {
					t.Fatalf("D reused the record %v", r)
				}
				if err := e.srv.ValidateCertificate(newNo); err != nil {
					t.Fatal(err)
				}
			}
			if st := e.srv.Stats(); st.Orders != 1 || st.Certificates != 3 {
				t.Fatalf("stats %+v", st)
			}
		})
	}
}

func TestRevokeCertificate(t *testing.T) {
	e := newEnv(t, Options{})
	no, id := e.placeOrder("rv-1", "rv.example.com", "D", 1)
	other, _ := e.placeOrder("rv-x", "rvx.example.com", "D", 1)
	if err := e.srv.ValidateCertificate(no); err != nil {
		t.Fatal(err)
	}
	csr, _ := testCSR(t, "rv.example.com")
	wantOK(t, e.signed(http.MethodPost, fmt.Sprintf("/api/v2/certificate/%d/reissue", no),
		map[string]any{"csr": csr, "certificateName": "rv-2", "commonName": "rv.example.com", "validationMethod": "D"}))
	no2 := e.noByName("rv-2")
	if err := e.srv.ValidateCertificate(no2); err != nil {
		t.Fatal(err)
	}
	path := "/api/v2/certificate/revoke"
	rv := func(id string, no int64, typ string) result {
		return e.signed(http.MethodPost, path, map[string]any{"orderId": id, "certificateNo": no, "revokeType": typ})
	}
	cases := []struct {
		name      string
		id        string
		no        int64
		typ       string
		status    int
		code      string
		rows      int64
		revokedNo []int64
	}{
		{"unknown order", "1", 0, "superseded", http.StatusOK, codeNotFound, 0, nil},
		{"bad type", id, no, "because", http.StatusBadRequest, codeValidation, 0, nil},
		{"not in order", id, other, "superseded", http.StatusBadRequest, codeValidation, 0, nil},
		{"one", id, no, "superseded", http.StatusOK, "0", 1, []int64{no}},
		{"again", id, no, "superseded", http.StatusOK, "0", 0, []int64{no}},
		{"all", id, 0, "unspecified", http.StatusOK, "0", 1, []int64{no, no2}},
		{"all again", id, 0, "unspecified", http.StatusOK, "0", 0, []int64{no, no2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := rv(tc.id, tc.no, tc.typ)
			if res.status != tc.status || res.str("returnCode") != tc.code {
				t.Fatalf("got %d %s", res.status, res.raw)
			}
			if tc.code == "0" && res.num("totalRows") != tc.rows {
				t.Fatalf("rows %s", res.raw)
			}
			for _, n := range tc.revokedNo {
				if st := e.statusOf(n); st != "REVOKE" {
					t.Fatalf("%d: %s", n, st)
				}
				if item := e.v2Of(n); item["statusCode"] != "-5" || item["revokeDate"] == "" {
					t.Fatalf("item %v", item)
				}
			}
		})
	}
	if st := e.statusOf(other); st != "ONGOING" {
		t.Fatalf("other order touched: %s", st)
	}
}

// The service is not known to refuse revoking a certificate in use (API doc §8): neither
// does the mock, so the tests prove that the client and the provider never send one.
func TestRevokeCertificateInUse(t *testing.T) {
	e := newEnv(t, Options{})
	no, id := e.placeOrder("rvu-1", "rvu.example.com", "D", 1)
	if err := e.srv.ValidateCertificate(no); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetInUse(no, "7001"); err != nil {
		t.Fatal(err)
	}
	res := e.signed(http.MethodPost, "/api/v2/certificate/revoke", map[string]any{"orderId": id, "certificateNo": no, "revokeType": "superseded"})
	if res.status != http.StatusOK || res.str("returnCode") != "0" || res.num("totalRows") != 1 {
		t.Fatalf("got %d %s", res.status, res.raw)
	}
	if st := e.statusOf(no); st != "REVOKE" {
		t.Fatalf("status %s, want REVOKE", st)
	}
}

func TestClockControl(t *testing.T) {
	e := newEnv(t, Options{ValidationWindow: time.Hour})
	no, _ := e.placeOrder("clk-1", "clk.example.com", "D", 1)
	res := e.control(http.MethodPost, "/_mock/clock", map[string]any{"advance_hours": 2})
	if res.status != http.StatusOK || res.num("advance_hours") != 2 {
		t.Fatalf("clock: %d %s", res.status, res.raw)
	}
	// The business clock moved (the window passed); signing still uses the real clock.
	if st := e.statusOf(no); st != "VALIDATION_EXPIRE" {
		t.Fatalf("status %s", st)
	}
	if res := e.control(http.MethodPost, "/_mock/clock", map[string]any{"hours": 2}); res.status != http.StatusBadRequest {
		t.Fatalf("typo accepted: %s", res.raw)
	}
	if res := e.control(http.MethodGet, "/_mock/clock", nil); res.num("advance_hours") != 2 {
		t.Fatalf("get: %s", res.raw)
	}
	wantCtlOK(t, e.control(http.MethodPost, "/_mock/reset", nil))
	if d := e.srv.Now().Sub(e.now()); d > time.Minute || d < -time.Minute {
		t.Fatalf("reset kept the offset: %v", d)
	}
}

func TestAdvancedControlValidateFail(t *testing.T) {
	e := newEnv(t, Options{})
	no, _ := e.placeOrder("cv-1", "cv.example.com", "PD", 1)
	no2, _ := e.placeOrder("cv-2", "cv2.example.com", "D", 1)
	wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/validate", no), nil))
	if st := e.statusOf(no); st != "NORMAL_UNREGISTERED_PRIVATE_KEY" {
		t.Fatalf("validate: %s", st)
	}
	wantCtlOK(t, e.control(http.MethodPost, fmt.Sprintf("/_mock/certificates/%d/fail", no2), map[string]any{"reason": "CAA"}))
	if item := e.v2Of(no2); item["statusName"] != "FAILED" || item["failReason"] != "CAA" {
		t.Fatalf("fail: %v", item)
	}
}

func TestOrdersPersist(t *testing.T) {
	path := t.TempDir() + "/state.json"
	e := newEnv(t, Options{StateFile: path})
	no, id := e.placeOrder("ps-1", "ps.example.com", "D", 1)
	if err := e.srv.ValidateCertificate(no); err != nil {
		t.Fatal(err)
	}
	wantOK(t, e.signed(http.MethodPost, "/api/v2/certificate/subscription/extend", map[string]any{"orderId": id, "subscriptionPeriod": "1Y"}))
	wantOK(t, e.signed(http.MethodPost, "/api/v2/certificate/revoke", map[string]any{"orderId": id, "certificateNo": 0, "revokeType": "superseded"}))
	_, id2 := e.placeOrder("ps-2", "ps2.example.com", "D", 1)
	wantOK(t, e.signed(http.MethodDelete, fmt.Sprintf("/api/v2/certificate/deleteCertificate/%d?certificateName=ps-2", e.noByName("ps-2")), nil))
	e.srv.AdvanceClock(48 * time.Hour)
	e2 := newEnv(t, Options{StateFile: path})
	o := e2.getOrder(id)
	if o.num("subscriptionYears") != 2 || e2.statusOf(no) != "REVOKE" || e2.v2Of(no)["revokeDate"] == "" {
		t.Fatalf("after reload: %s", o.raw)
	}
	if o2 := e2.getOrder(id2); o2.num("totalCount") != 0 {
		t.Fatalf("deleted certificate still in its order: %s", o2.raw)
	}
	if d := e2.srv.Now().Sub(e2.now()); d < 47*time.Hour {
		t.Fatalf("clock offset not kept: %v", d)
	}
}
