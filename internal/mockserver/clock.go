package mockserver

import (
	"math"
	"net/http"
	"time"
)

// AdvanceClock moves the server's business clock by d (negative d moves it back): dates,
// validation windows and delays, leaf expiry and subscriptions. The gateway's 5-minute
// timestamp window keeps using the real clock (Options.Now or time.Now), so signed requests
// stay valid. The offset is kept in the state file; Reset clears it.
func (s *Server) AdvanceClock(d time.Duration) {
	s.advance.Add(int64(d))
	s.committed()
}

// Now returns the server's business clock (the real clock plus the AdvanceClock offset).
func (s *Server) Now() time.Time { return s.now() }

type clockBody struct {
	AdvanceHours float64 `json:"advance_hours"`
}

type clockResponse struct {
	Now          string  `json:"now"`
	AdvanceHours float64 `json:"advance_hours"`
}

func (s *Server) clockState() response {
	return ok(clockResponse{
		Now:          s.now().UTC().Format(time.RFC3339),
		AdvanceHours: time.Duration(s.advance.Load()).Hours(),
	})
}

// ctlClockGet: GET /_mock/clock.
func (s *Server) ctlClockGet(*request) response { return s.clockState() }

// ctlClock: POST /_mock/clock {"advance_hours": N}.
func (s *Server) ctlClock(q *request) response {
	var b clockBody
	if err := q.decodeStrict(&b); err != nil {
		return ctlError(http.StatusBadRequest, "invalid clock body: "+err.Error())
	}
	if math.IsNaN(b.AdvanceHours) || math.Abs(b.AdvanceHours) > 24*365*100 {
		return ctlError(http.StatusBadRequest, "advance_hours must be within ±876000 (100 years)")
	}
	s.AdvanceClock(time.Duration(b.AdvanceHours * float64(time.Hour)))
	return s.clockState()
}
