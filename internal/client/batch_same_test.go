package client

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// A certificate served by a listing is the one its own read returns, field for field, also
// from a v1 that lists external certificates only (API doc §8).
func TestBatchedReadEqualsOwnRead(t *testing.T) {
	for _, opts := range []mockserver.Options{{}, {V1ExternalOnly: true}} {
		t.Run(fmt.Sprintf("v1ExternalOnly=%v", opts.V1ExternalOnly), func(t *testing.T) { batchedEqualsOwn(t, opts) })
	}
}

func batchedEqualsOwn(t *testing.T, opts mockserver.Options) {
	m := newBatchMock(t, opts)
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
