package client

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func decodeItem(t *testing.T, js string) Certificate {
	t.Helper()
	var w wireCertificate
	if err := json.Unmarshal([]byte(js), &w); err != nil {
		t.Fatalf("unmarshal %s: %v", js, err)
	}
	return w.certificate()
}

func TestDecodeTimes(t *testing.T) {
	// 2026-09-17 10:00:00 KST = 01:00:00 UTC
	want := time.Date(2026, 9, 17, 1, 0, 0, 0, time.UTC)
	tests := []struct{ name, in string }{
		{"KST space", `"2026-09-17 10:00:00"`},
		{"KST space fractional", `"2026-09-17 10:00:00.000"`},
		{"RFC3339 UTC", `"2026-09-17T01:00:00Z"`},
		{"RFC3339 +09:00", `"2026-09-17T10:00:00+09:00"`},
		{"RFC3339 -05:00", `"2026-09-16T20:00:00-05:00"`},
		{"RFC3339 nano", `"2026-09-17T01:00:00.000000Z"`},
		{"T without offset is KST", `"2026-09-17T10:00:00"`},
		{"offset without colon", `"2026-09-17T10:00:00+0900"`},
		{"space and offset", `"2026-09-17 10:00:00+09:00"`},
		{"epoch ms number", `1789606800000`},
		{"epoch ms string", `"1789606800000"`},
		{"epoch ms float", `1.7896068e12`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f flexTime
			if err := json.Unmarshal([]byte(tt.in), &f); err != nil {
				t.Fatal(err)
			}
			got := time.Time(f)
			if !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("got %v (%v), want %v in UTC", got, got.Location(), want)
			}
		})
	}
	for _, zero := range []string{`""`, `null`, `"garbage"`, `{}`, `[]`, `"  "`} {
		var f flexTime
		if err := json.Unmarshal([]byte(zero), &f); err != nil {
			t.Fatalf("%s: %v", zero, err)
		}
		if !time.Time(f).IsZero() {
			t.Errorf("%s: got %v, want zero", zero, time.Time(f))
		}
	}
	if got := parseTime("2026-09-17"); !got.Equal(time.Date(2026, 9, 16, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("date only: %v", got)
	}
}

func TestDecodeNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		set  bool
	}{
		{`65655`, 65655, true},
		{`"65655"`, 65655, true},
		{`" 42 "`, 42, true},
		{`6.5655e4`, 65655, true},
		{`""`, 0, false},
		{`null`, 0, false},
		{`"abc"`, 0, false},
		{`{}`, 0, false},
	}
	for _, tt := range tests {
		var f flexInt
		if err := json.Unmarshal([]byte(tt.in), &f); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if f.v != tt.want || f.set != tt.set {
			t.Errorf("%s: got %d/%v, want %d/%v", tt.in, f.v, f.set, tt.want, tt.set)
		}
	}
	// statusCode arrives as a string or a number; both are kept as text.
	for in, want := range map[string]string{`"1"`: "1", `1`: "1", `-4`: "-4", `"-4"`: "-4", `null`: "", `true`: "true"} {
		var s flexString
		if err := json.Unmarshal([]byte(in), &s); err != nil {
			t.Fatal(err)
		}
		if string(s) != want {
			t.Errorf("%s: got %q want %q", in, s, want)
		}
	}
}

func TestDecodeLists(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"array of strings", `["111","222"]`, []string{"111", "222"}},
		{"array of numbers", `[111,222]`, []string{"111", "222"}},
		{"comma string", `"111,222"`, []string{"111", "222"}},
		{"comma space string", `"111, 222"`, []string{"111", "222"}},
		{"spaces and newlines", `"a.example.com b.example.com\nc.example.com\r\n"`, []string{"a.example.com", "b.example.com", "c.example.com"}},
		{"empty string", `""`, []string{}},
		{"null", `null`, []string{}},
		{"empty array", `[]`, []string{}},
		{"array with nulls", `["1",null,""]`, []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f flexList
			if err := json.Unmarshal([]byte(tt.in), &f); err != nil {
				t.Fatal(err)
			}
			if f == nil || !reflect.DeepEqual([]string(f), tt.want) {
				t.Errorf("got %#v, want %#v", f, tt.want)
			}
		})
	}
}

func TestNormalizeSerial(t *testing.T) {
	for in, want := range map[string]string{
		"0A:1B:2C":     "a1b2c",
		"0a 1b 2c":     "a1b2c",
		"0A-1B-2C":     "a1b2c",
		"000A1B2C":     "a1b2c",
		"a1b2c":        "a1b2c",
		"0x0A1B":       "a1b",
		" 00:00 ":      "0",
		"":             "",
		"DEADBEEF":     "deadbeef",
		"01:AB:CD:EF ": "1abcdef",
	} {
		if got := NormalizeSerial(in); got != want {
			t.Errorf("NormalizeSerial(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeV1Item(t *testing.T) {
	c := decodeItem(t, `{
		"certificateNo": "65655", "certificateType": "EXTERNAL", "certificateName": "my-cert",
		"memberNo": "1234567", "dnInfo": "CN=*.example.com", "domainAddress": "*.example.com",
		"subDomainAddress": "example.com,www.example.com", "regDate": "2026-09-17 10:00:00",
		"validStartDate": "2026-09-01 09:00:00", "validEndDate": "2026-12-01 09:00:00",
		"updateDate": "2026-09-18 10:00:00", "issueDate": "2026-09-01 09:00:00",
		"statusCode": 1, "statusName": "NORMAL", "externalYn": "Y", "domainCode": "x",
		"caInfo": "CN=Test CA", "certSerialNumber": "0A:BC", "certPublicKeyInfo": "RSA 2048",
		"certSignAlgorithmName": "SHA256withRSA", "somethingNew": {"nested": true}
	}`)
	kst := func(s string) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02 15:04:05", s, time.FixedZone("", 9*3600))
		return tm.UTC()
	}
	want := Certificate{
		No: 65655, Name: "my-cert", Type: "EXTERNAL", External: true, CommonName: "*.example.com",
		DNSNames: []string{"example.com", "www.example.com"}, StatusCode: "1", StatusName: "NORMAL",
		Issuer: "CN=Test CA", SerialNumber: "abc", SignatureAlgorithm: "SHA256withRSA", PublicKeyInfo: "RSA 2048",
		DNInfo: "CN=*.example.com", NotBefore: kst("2026-09-01 09:00:00"), NotAfter: kst("2026-12-01 09:00:00"),
		RegisteredAt: kst("2026-09-17 10:00:00"), IssuedAt: kst("2026-09-01 09:00:00"), UpdatedAt: kst("2026-09-18 10:00:00"),
		UsedInstanceNos: []string{},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

func TestDecodeV1ItemWith2026Additions(t *testing.T) {
	c := decodeItem(t, `{
		"certificateNo": 1, "certificateName": "n", "issuer": "CN=New", "caInfo": "CN=Old",
		"serialNumber": "00:FF", "certSerialNumber": "EE", "signatureAlgorithm": "ECDSA-SHA256",
		"certSignAlgorithmName": "SHA1withRSA", "notBefore": "2026-01-01T00:00:00Z",
		"validStartDate": "2020-01-01 00:00:00", "notAfter": "2027-01-01T00:00:00Z",
		"validEndDate": "2020-02-01 00:00:00", "usedInstanceNoList": [111, 222]
	}`)
	if c.Issuer != "CN=New" || c.SerialNumber != "ff" || c.SignatureAlgorithm != "ECDSA-SHA256" {
		t.Errorf("preferred fields not used: %+v", c)
	}
	if !c.NotBefore.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !c.NotAfter.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("notBefore/notAfter not preferred: %v %v", c.NotBefore, c.NotAfter)
	}
	if !c.InUse() || !reflect.DeepEqual(c.UsedInstanceNos, []string{"111", "222"}) {
		t.Errorf("used instances: %#v", c.UsedInstanceNos)
	}
}

func TestDecodeV2Item(t *testing.T) {
	c := decodeItem(t, `{
		"certificateNo": 7, "certificateName": "cb", "memberNo": "1", "commonName": "example.com",
		"dnsName": "example.com www.example.com", "statusCode": "0", "statusName": "ONGOING",
		"certificateType": "NCP_FREE_DV_01", "subjectDN": "CN=example.com", "orderId": "900001",
		"usedInstanceNoList": "333,444", "certPublicKeyInfo": "EC P-256"
	}`)
	if c.CommonName != "example.com" || !reflect.DeepEqual(c.DNSNames, []string{"example.com", "www.example.com"}) ||
		c.DNInfo != "CN=example.com" || c.OrderID != "900001" || c.External || c.StatusCode != "0" ||
		!reflect.DeepEqual(c.UsedInstanceNos, []string{"333", "444"}) || c.PublicKeyInfo != "EC P-256" {
		t.Errorf("got %+v", c)
	}
	// ListAdvancedCertificates spelling and the pre-2026 type field.
	c = decodeItem(t, `{"orderID": "5", "certificateTypeCode": "NCP_PAID_DV_01", "dnsName": ["a.example.com", "b.example.com"]}`)
	if c.OrderID != "5" || c.Type != "NCP_PAID_DV_01" || len(c.DNSNames) != 2 {
		t.Errorf("got %+v", c)
	}
}

func TestDecodeExternalFlag(t *testing.T) {
	tests := []struct {
		js   string
		want bool
	}{
		{`{"externalYn": "Y", "certificateType": "NCP_FREE_DV_01"}`, true},
		{`{"externalYn": "N", "certificateType": "EXTERNAL"}`, false},
		{`{"certificateType": "external"}`, true},
		{`{"certificateType": "EXTERNAL", "externalYn": ""}`, true},
		{`{"certificateType": "NCP_FREE_DV_01"}`, false},
		{`{}`, false},
	}
	for _, tt := range tests {
		if got := decodeItem(t, tt.js).External; got != tt.want {
			t.Errorf("%s: External = %v, want %v", tt.js, got, tt.want)
		}
	}
}

// renewalYn and failReason, with the spellings and types the service might use instead.
func TestDecodeRenewalAndFailReason(t *testing.T) {
	tests := []struct {
		js           string
		renew, known bool
		reason       string
	}{
		{`{"renewalYn": "Y", "failReason": ""}`, true, true, ""},
		{`{"renewalYn": "N", "failReason": " CAA forbids issuance "}`, false, true, "CAA forbids issuance"},
		{`{"autoRenewalYn": "y", "reason": "timeout"}`, true, true, "timeout"},
		{`{"autoRenewal": true, "failMessage": "lint"}`, true, true, "lint"},
		{`{"autoRenewal": false}`, false, true, ""},
		{`{"renewalYn": ""}`, false, false, ""},
		{`{"renewalYn": null, "failReason": null}`, false, false, ""},
		{`{"renewalYn": "maybe"}`, false, false, ""},
		{`{}`, false, false, ""},
	}
	for _, tt := range tests {
		c := decodeItem(t, tt.js)
		if c.AutoRenewal != tt.renew || c.AutoRenewalKnown != tt.known || c.FailReason != tt.reason {
			t.Errorf("%s: renewal %v/%v reason %q", tt.js, c.AutoRenewal, c.AutoRenewalKnown, c.FailReason)
		}
	}
}

// A requested certificate before issuance: names only, empty certificate fields.
func TestDecodePendingRequest(t *testing.T) {
	c := decodeItem(t, `{"certificateNo": 1001, "certificateName": "cb", "certificateType": "NCP_FREE_DV_01", "externalYn": "N",
		"commonName": "*.example.com", "dnsName": "*.example.com,example.com", "statusCode": "0", "statusName": "ONGOING",
		"serialNumber": "", "issuer": "", "notBefore": "", "notAfter": "", "issueDate": "", "renewalYn": "N", "failReason": ""}`)
	if c.External || c.SerialNumber != "" || !c.NotAfter.IsZero() || !c.IssuedAt.IsZero() || c.Issued() || c.Terminal() ||
		!sameNames(&c, "*.example.com", []string{"example.com"}) {
		t.Errorf("got %+v", c)
	}
}

func TestDecodeMissingFields(t *testing.T) {
	c := decodeItem(t, `{}`)
	if c.UsedInstanceNos == nil || c.DNSNames == nil || c.InUse() || !c.NotAfter.IsZero() || c.No != 0 {
		t.Errorf("got %+v", c)
	}
	// Wrong types are ignored, never fatal.
	c = decodeItem(t, `{"certificateNo": {"x":1}, "regDate": 1.5, "usedInstanceNoList": {"a":1}, "certificateName": ["x"]}`)
	if c.No != 0 || c.Name != "" || len(c.UsedInstanceNos) != 0 {
		t.Errorf("got %+v", c)
	}
}

func TestDecodeListResponse(t *testing.T) {
	tests := []struct {
		js      string
		items   int
		total   int64
		counted bool
	}{
		{`{"returnCode":"0","totalRows":1,"sslCertificateList":[{"certificateNo":1}]}`, 1, 0, false},
		{`{"returnCode":"0","totalCount":"250","sslCertificateList":[{"certificateNo":1}]}`, 1, 250, true},
		{`{"returnCode":"0","totalRows":250,"sslCertificateList":[{"certificateNo":1}]}`, 1, 250, true},
		{`{"returnCode":"0","totalRows":1}`, 0, 1, true},
		{`{"sslCertificateList":null}`, 0, 0, false},
		{`{"sslCertificateList":{"certificateNo":3}}`, 1, 0, false},
		{`{"sslCertificateList":[1, {"certificateNo":3}]}`, 1, 0, false},
	}
	for _, tt := range tests {
		var r listResponse
		if err := json.Unmarshal([]byte(tt.js), &r); err != nil {
			t.Fatalf("%s: %v", tt.js, err)
		}
		items := r.SSLCertificateList.certificates()
		total, counted := r.grandTotal(len(items))
		if len(items) != tt.items || total != tt.total || counted != tt.counted {
			t.Errorf("%s: items=%d total=%d/%v", tt.js, len(items), total, counted)
		}
	}
}
