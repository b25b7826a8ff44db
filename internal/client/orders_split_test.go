package client

import (
	"context"
	"net/http"
	"testing"
)

// A service that pages ListAdvancedCertificates by certificate may split one order's group
// across pages: every part is kept (the order id alone is not the item's identity), while a
// page repeated by a service that ignores `page` still ends the listing.
func TestListAdvancedCertificatesSplitGroups(t *testing.T) {
	group := func(id string, nos ...int) map[string]any {
		certs := []any{}
		for _, n := range nos {
			certs = append(certs, map[string]any{"certificateNo": n, "certificateName": "adv", "certificateType": "NCP_PAID_DV_01"})
		}
		return map[string]any{"orderID": id, "certificates": certs}
	}
	pages := map[string][]any{
		"1": {group("900001", 1, 2)},
		"2": {group("900001", 3), group("900002", 4)}, // 900001 continues here
		"3": {group("900002", 4)},                     // the last page again (page ignored): nothing new
	}
	var n counter
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		writeJSON(w, 200, success(map[string]any{"orders": pages[r.URL.Query().Get("page")]}))
	}))
	groups, err := c.ListAdvancedCertificates(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int64{}
	for _, g := range groups {
		for _, cert := range g.Certificates {
			got[g.OrderID] = append(got[g.OrderID], cert.No)
		}
	}
	if len(got["900001"]) != 3 || len(got["900002"]) != 1 || n.get() != 3 {
		t.Errorf("certificates by order %v after %d requests, want 900001: [1 2 3], 900002: [4] in 3", got, n.get())
	}
}
