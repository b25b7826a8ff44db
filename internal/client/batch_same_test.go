package client

import (
	"context"
	"reflect"
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// A certificate served by a listing is the one its own read returns, field for field.
func TestBatchedReadEqualsOwnRead(t *testing.T) {
	m := newBatchMock(t, mockserver.Options{})
	refs := externalRefs(seed(t, m, 5, "external", "b"))
	seed(t, m, 5, "cloud_basic", "cb")
	c := batchClient(t, m)
	ctx := context.Background()
	for _, kind := range []Kind{KindExternal, KindCloud} {
		rs := refs
		if kind == KindCloud {
			rs = refsOf(t, c, opListCloudCertificates)
			rs = rs[len(rs)-5:]
		}
		for _, ref := range rs {
			own, err := c.ReadCertificate(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			shared, err := c.ReadCertificateBatched(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(own, shared) {
				t.Errorf("%v %d: listed %+v\nown %+v", kind, ref.No, shared, own)
			}
		}
	}
}
