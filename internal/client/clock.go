package client

import (
	"net/http"
	"sync/atomic"
	"time"
)

// serviceClock learns how far the service's clock is from ours, from the Date header of its
// answers, so that "registered after this create began" can be judged to a few seconds
// instead of the gateway's 5 minutes of allowed skew.
type serviceClock struct {
	offset atomic.Int64 // service − local, in nanoseconds
	known  atomic.Bool
}

// Date has one-second resolution and registration dates are truncated to the second too.
const knownClockTolerance = 2 * time.Second

func (sc *serviceClock) observe(resp *http.Response, received time.Time) {
	if resp == nil {
		return
	}
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return
	}
	sc.offset.Store(int64(d.Sub(received)))
	sc.known.Store(true)
}

// ServiceTime converts a local time to the service's clock, with the tolerance of that
// conversion: a few seconds once an answer carried a Date header, else the gateway's skew.
func (c *Client) ServiceTime(local time.Time) (time.Time, time.Duration) {
	if !c.clock.known.Load() {
		return local, clockSkew
	}
	return local.Add(time.Duration(c.clock.offset.Load())), knownClockTolerance
}
