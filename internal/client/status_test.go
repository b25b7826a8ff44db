package client

import "testing"

func TestStatusHelpers(t *testing.T) {
	tests := []struct {
		code, name                string
		label                     string
		issued, terminal, failReq bool
	}{
		{"0", "ONGOING", "ONGOING", false, false, false},
		{"1", "NORMAL", "NORMAL", true, false, false},
		{"1", "", "NORMAL", true, false, false},
		{"2", "", "NORMAL_UNREGISTERED_PRIVATE_KEY", true, false, false},
		{"", "NORMAL_GLOBAL_EDGE_DEDICATED", "NORMAL_GLOBAL_EDGE_DEDICATED", true, false, false},
		{" 3 ", "", "NORMAL_GLOBAL_EDGE_DEDICATED", true, false, false},
		{"-1", "FAILED", "FAILED", false, true, true},
		{"-2", "", "EXPIRE", false, true, false},
		{"-3", "", "VALIDATION_FAILED", false, true, true},
		{"-4", "VALIDATION_EXPIRE", "VALIDATION_EXPIRE", false, true, true},
		{"-5", "REVOKE", "REVOKE", false, true, false},
		{"-6", "", "DELETED", false, true, false},
		{"-7", "", "REQUEST_REVOKE", false, true, false},
		{"-11", "", "FAILED (LINT)", false, true, true},
		{"-12", "", "-12", false, true, false},                        // unlabelled: negative is an end state
		{"-20", "SOMETHING_NEW", "SOMETHING_NEW", false, true, false}, // unknown label kept, classified by code
		{"", "Normal", "Normal", true, false, false},                  // another spelling of a known label
		{"1", "EXPIRE", "EXPIRE", false, true, false},                 // a known label wins over the code
		{"", "", "", false, false, false},
		{"x", "", "x", false, false, false},
	}
	for _, tt := range tests {
		if got := StatusLabel(tt.code, tt.name); got != tt.label {
			t.Errorf("StatusLabel(%q, %q) = %q, want %q", tt.code, tt.name, got, tt.label)
		}
		c := Certificate{StatusCode: tt.code, StatusName: tt.name}
		if c.Status() != tt.label || c.Issued() != tt.issued || c.Terminal() != tt.terminal ||
			IsIssuedStatus(tt.code, tt.name) != tt.issued || IsTerminalStatus(tt.code, tt.name) != tt.terminal ||
			IsFailedRequestStatus(tt.code, tt.name) != tt.failReq {
			t.Errorf("(%q, %q): issued %v terminal %v failed request %v", tt.code, tt.name,
				c.Issued(), c.Terminal(), IsFailedRequestStatus(tt.code, tt.name))
		}
	}
	if DefaultDCVRecordType("NCP_FREE_DV_01") != "CNAME" || DefaultDCVRecordType("NCP_GLOBAL_EDGE_DEDICATED") != "TXT" ||
		DefaultDCVRecordType("NCP_PAID_DV_01") != "TXT" {
		t.Error("DefaultDCVRecordType")
	}
}
