package provider

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// private_key_registered is true only for an issued Advanced certificate whose key is
// registered, false only for one issued without it, and null for every status where the
// question does not apply (not issued, failed) or the service no longer says (expired, revoked).
func TestPrivateKeyRegisteredOnlyForIssued(t *testing.T) {
	for _, tc := range []struct {
		typ, code, name string
		want            types.Bool
	}{
		{"NCP_PAID_DV_01", "1", client.StatusNormal, types.BoolValue(true)},
		{"NCP_PAID_OV_01", "1", "", types.BoolValue(true)}, // code only
		{"NCP_PAID_DV_01", "2", client.StatusNormalUnregisteredPrivateKey, types.BoolValue(false)},
		{"NCP_PAID_DV_01", "2", "", types.BoolValue(false)},
		{"NCP_PAID_DV_01", "0", client.StatusOngoing, types.BoolNull()},
		{"NCP_PAID_DV_01", "-4", client.StatusValidationExpire, types.BoolNull()},
		{"NCP_PAID_DV_01", "-3", client.StatusValidationFailed, types.BoolNull()},
		{"NCP_PAID_DV_01", "-1", client.StatusFailed, types.BoolNull()},
		{"NCP_PAID_DV_01", "-11", "", types.BoolNull()},
		{"NCP_PAID_DV_01", "-2", client.StatusExpire, types.BoolNull()},
		{"NCP_PAID_DV_01", "-5", client.StatusRevoke, types.BoolNull()},
		{"NCP_PAID_DV_01", "", "", types.BoolNull()},
		{"NCP_FREE_DV_01", "1", client.StatusNormal, types.BoolNull()},
		{"NCP_GLOBAL_EDGE_DEDICATED", "3", client.StatusNormalGlobalEdgeDedicated, types.BoolNull()},
	} {
		c := &client.Certificate{No: 5, Type: tc.typ, StatusCode: tc.code, StatusName: tc.name}
		vals, diags := certificateListItemValues(context.Background(), c)
		if diags.HasError() {
			t.Fatal(diags)
		}
		if got := vals["private_key_registered"]; !got.Equal(tc.want) {
			t.Errorf("%s status %q/%q: private_key_registered = %v, want %v", tc.typ, tc.code, tc.name, got, tc.want)
		}
	}
}

// Orders sort by id, numerically when the ids are numbers (999999 before 1000000), numbers
// before other ids; the join files split groups and ListOrders' own items under one order.
func TestAdvancedOrdersSortAndJoin(t *testing.T) {
	orders := []client.Order{{ID: "1000000"}, {ID: "b"}, {ID: "999999"}, {ID: "a"}, {ID: "900001", Certificates: []client.Certificate{{No: 3}}}}
	groups := []client.AdvancedCertificateOrder{
		{OrderID: "999999", Certificates: []client.Certificate{{No: 7}}},
		{OrderID: "900001", Certificates: []client.Certificate{{No: 3, Name: "from the listing"}, {No: 9}}},
		{OrderID: "999999", Certificates: []client.Certificate{{No: 8}, {No: 7}}},
		{OrderID: "gone", Certificates: []client.Certificate{{No: 11}}},
	}
	joinOrderCertificates(orders, groups)
	sortOrdersByID(orders)
	var ids []string
	for _, o := range orders {
		ids = append(ids, o.ID)
	}
	if got := strings.Join(ids, " "); got != "900001 999999 1000000 a b" {
		t.Fatalf("order = %s", got)
	}
	nos := func(o client.Order) string {
		var out []string
		for _, c := range o.Certificates {
			if c.OrderID != o.ID {
				t.Errorf("certificate %d of order %s carries order %q", c.No, o.ID, c.OrderID)
			}
			out = append(out, strconv.FormatInt(c.No, 10))
		}
		return strings.Join(out, ",")
	}
	if got := nos(orders[0]); got != "3,9" || orders[0].Certificates[0].Name != "from the listing" {
		t.Errorf("order 900001: %s %+v", got, orders[0].Certificates)
	}
	if got := nos(orders[1]); got != "7,8" {
		t.Errorf("order 999999: %s", got)
	}
	if got := nos(orders[2]); got != "" {
		t.Errorf("order 1000000: %s", got)
	}
}

// Lists come out ascending by number, whatever order the service answered in, and
// stable for equal numbers.
func TestSortByNumber(t *testing.T) {
	certs := []client.Certificate{{No: 30, Name: "c"}, {No: 10, Name: "a"}, {No: 20, Name: "b1"}, {No: 20, Name: "b2"}}
	sortByNumber(certs)
	var got []string
	for _, c := range certs {
		got = append(got, c.Name)
	}
	if strings.Join(got, ",") != "a,b1,b2,c" {
		t.Errorf("sorted: %v", got)
	}
}
