package mockserver

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AnyOperation as a Fault's Operation matches every operation.
const AnyOperation = "*"

// Fault makes the next Count calls to Operation (AnyOperation = any) fail. Status is the HTTP
// status of the gateway error sent: 429 (errorCode 410 Throttle Limited), 500 (900 Unexpected
// Error), 503 (500 Endpoint Error), 504 (510 Endpoint Timeout); 0 means 503. Drop closes the
// connection without any response instead. With AfterCommit the operation runs and commits
// its change first, and only its answer is replaced (or dropped). RetryAfter > 0 adds a
// Retry-After header (seconds) to the error.
type Fault struct {
	Operation   string
	Count       int
	Status      int
	Drop        bool
	AfterCommit bool
	RetryAfter  int
}

// gatewayFaults maps a fault's HTTP status to the gateway's errorCode and message (§3.4).
var gatewayFaults = map[int][2]string{
	http.StatusBadRequest:            {"100", "Bad Request Exception"},
	http.StatusUnauthorized:          {"200", "Authentication Failed"},
	http.StatusNotFound:              {"300", "Not Found Exception"},
	http.StatusTooManyRequests:       {"410", "Throttle Limited"},
	http.StatusRequestEntityTooLarge: {"430", "Request Entity Too Large"},
	http.StatusInternalServerError:   {"900", "Unexpected Error"},
	http.StatusServiceUnavailable:    {"500", "Endpoint Error"},
	http.StatusGatewayTimeout:        {"510", "Endpoint Timeout"},
}

// validFaultStatus reports whether a fault may use status (0 = default 503).
func validFaultStatus(status int) bool {
	_, ok := gatewayFaults[status]
	return ok || status == 0
}

// controls holds the scripted behaviour and the request counters.
type controls struct {
	mu       sync.Mutex
	requests map[string]int
	faults   []Fault
	delayAll time.Duration
	delayOp  map[string]time.Duration
}

func newControls() *controls {
	return &controls{requests: map[string]int{}, delayOp: map[string]time.Duration{}}
}

func (c *controls) count(op string) {
	c.mu.Lock()
	c.requests[op]++
	c.mu.Unlock()
}

func (c *controls) requestCount(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests[op]
}

func (c *controls) addFault(f Fault) {
	if f.Count <= 0 {
		return
	}
	if f.Operation == "" {
		f.Operation = AnyOperation
	}
	c.mu.Lock()
	c.faults = append(c.faults, f)
	c.mu.Unlock()
}

// takeFault consumes one call of the first fault scripted for op (in the order added).
func (c *controls) takeFault(op string) (Fault, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.faults {
		f := &c.faults[i]
		if f.Operation != op && f.Operation != AnyOperation {
			continue
		}
		taken := *f
		f.Count--
		if f.Count == 0 {
			c.faults = append(c.faults[:i], c.faults[i+1:]...)
		}
		return taken, true
	}
	return Fault{}, false
}

func (c *controls) setLatency(op string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if op == "" || op == AnyOperation {
		c.delayAll = d
		return
	}
	if d <= 0 {
		delete(c.delayOp, op)
		return
	}
	c.delayOp[op] = d
}

// latency is the delay for op: the all-operations delay plus op's own.
func (c *controls) latency(op string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.delayAll + c.delayOp[op]
}

func (c *controls) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = map[string]int{}
	c.faults = nil
	c.delayAll = 0
	c.delayOp = map[string]time.Duration{}
}

// writeFault answers with the fault's gateway error, or drops the connection. It returns the
// status written (0 when dropped).
func writeFault(w http.ResponseWriter, f Fault) int {
	if f.Drop {
		dropConnection(w)
		return 0
	}
	status := f.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	gw := gatewayFaults[status]
	resp := gatewayError(status, gw[0], gw[1], "fault injected by ncloudcert-mock")
	if f.RetryAfter > 0 {
		resp.header = map[string]string{"Retry-After": strconv.Itoa(f.RetryAfter)}
	}
	return writeResponse(w, resp)
}

// dropConnection closes the client connection without writing a response.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2 and recorders: abort the response instead
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// ParseFault parses the command line's fault form OPERATION:KIND:COUNT[:RETRY_AFTER], where
// OPERATION is an operation name or "*", KIND is an HTTP status (429, 500, 503, 504) or
// "drop", optionally suffixed "-after" to fail after the change is committed, COUNT is the
// number of calls to fail and RETRY_AFTER the Retry-After seconds. Examples:
// "createExternalCertificate:503:2", "getCertificateList:drop-after:1", "*:429:3:1".
func ParseFault(spec string) (Fault, error) {
	parts := strings.Split(spec, ":")
	if len(parts) < 3 || len(parts) > 4 {
		return Fault{}, fmt.Errorf("fault %q: want OPERATION:KIND:COUNT[:RETRY_AFTER]", spec)
	}
	f := Fault{Operation: parts[0]}
	if f.Operation != AnyOperation && !slices.Contains(operationNames(), f.Operation) {
		return Fault{}, fmt.Errorf("fault %q: unknown operation %q (want one of %s or %q)",
			spec, f.Operation, strings.Join(operationNames(), ", "), AnyOperation)
	}
	kind, after := strings.CutSuffix(parts[1], "-after")
	f.AfterCommit = after
	if kind == "drop" {
		f.Drop = true
	} else {
		status, err := strconv.Atoi(kind)
		if err != nil || status == 0 || !validFaultStatus(status) {
			return Fault{}, fmt.Errorf("fault %q: kind must be drop or one of the statuses 429, 500, 503, 504 (optionally with -after)", spec)
		}
		f.Status = status
	}
	count, err := strconv.Atoi(parts[2])
	if err != nil || count <= 0 {
		return Fault{}, fmt.Errorf("fault %q: count must be a positive integer", spec)
	}
	f.Count = count
	if len(parts) == 4 {
		if f.RetryAfter, err = strconv.Atoi(parts[3]); err != nil || f.RetryAfter < 0 {
			return Fault{}, fmt.Errorf("fault %q: retry-after must be a non-negative number of seconds", spec)
		}
	}
	return f, nil
}
