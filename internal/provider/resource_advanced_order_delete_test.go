package provider

import (
	"context"
	"testing"
	"time"
)

// Each certificate of an order gets its share of the delete deadline, so a wait on one
// (a certificate still in use) never uses up the others' time.
func TestShareOfDeadline(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	deadline, _ := parent.Deadline()
	for _, tc := range []struct {
		n        int
		atMostOf time.Duration // of the parent's hour
	}{{4, 15 * time.Minute}, {2, 30 * time.Minute}} {
		ctx, cancel := shareOfDeadline(parent, tc.n)
		got, ok := ctx.Deadline()
		cancel()
		if !ok || got.After(deadline.Add(-time.Hour+tc.atMostOf+time.Minute)) {
			t.Errorf("%d certificates: deadline %v later than the parent's start + %v (+1m) (parent %v)", tc.n, got, tc.atMostOf, deadline)
		}
	}
	ctx, cancel2 := shareOfDeadline(parent, 1)
	defer cancel2()
	if got, _ := ctx.Deadline(); !got.Equal(deadline) {
		t.Errorf("the last certificate gets %v, want all that is left (%v)", got, deadline)
	}
}
