package client

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// createGuard is how a create POST (registration, renewal, request) recognises its own
// earlier success after an answer was lost.
type createGuard struct {
	name string // the certificate name the create uses
	// renewal: the target already exists (by number). A definite refusal is final, and the
	// target is accepted as soon as it shows the proof (it was there before this call).
	renewal bool
	byNames bool // the proof compares names (requests), not serials: for *NameInUseError
	// lookUp reads what the create targets: by name, or by number for a renewal; nil, nil
	// when nothing is there.
	lookUp func(ctx context.Context) (*Certificate, error)
	// proof reports whether found is what this create makes (same serial, same names).
	proof func(found *Certificate) bool
	// resendOver (optional) reports that found may be this call's own lost success AND that
	// sending the very same request again is harmless: the service answers the earlier
	// result again (an Advanced request's requestToken). After an uncertain outcome such a
	// certificate is not adopted or refused: the request is sent again to learn the answer.
	resendOver func(found *Certificate) bool
}

// postSafely sends a create POST and, when the answer is lost or refused, checks what
// holds the name (or the number) before deciding to adopt, fail or send again. The POST
// itself is only retried by the transport when it provably did not reach the service.
//
// It returns nil, nil when the POST succeeded (out holds its answer); the found certificate
// when a lost success of this very call is proven: the proof holds and, for a new
// certificate, it was registered after this call began (so not left by someone else, or
// by an earlier apply); a *NameInUseError when something else holds the name; else the
// POST's error. It resends only after a look-up found nothing, at most MaxRetries times.
func (c *Client) postSafely(ctx context.Context, cl call, out any, g createGuard) (*Certificate, error) {
	sawUncertain := false // an attempt of this very call may have landed
	started := c.cfg.Now()
	for resend := 0; ; resend++ {
		_, err := c.do(ctx, cl, out)
		if err == nil {
			return nil, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		uncertain := IsUncertain(err)
		// Auth, forbidden, throttled after retries, v2 on gov, or a refused renewal.
		// A refused new create is checked: the refusal may be "name in use" under any code (§8).
		if !uncertain && (g.renewal || !isServiceCode(err)) {
			return nil, err
		}
		sawUncertain = sawUncertain || uncertain

		found, lerr := g.lookUp(ctx)
		if lerr != nil {
			return nil, fmt.Errorf("%w (checking for the certificate afterwards failed too: %w)", err, lerr)
		}
		if found != nil && uncertain && g.resendOver != nil && g.resendOver(found) {
			found = nil // resend below: the service answers this request's own result again
		}
		if found != nil {
			same := g.proof(found)
			switch {
			case g.renewal && same:
				return found, nil // the renewal landed
			case !g.renewal && same && sawUncertain && found.RegisteredSince(c.ServiceTime(started)):
				tflog.Info(ctx, "Adopted the certificate this create made before its answer was lost",
					map[string]any{"operation": cl.op, "certificate_no": found.No})
				return found, nil
			case !g.renewal:
				return nil, &NameInUseError{Operation: cl.op, Name: g.name, Existing: *found, SameMaterial: same,
					ByNames: g.byNames, Err: definite(err)}
			}
		}
		if !uncertain {
			return nil, err // a definite refusal and nothing under the name
		}
		if resend >= c.cfg.MaxRetries {
			return nil, err
		}
		tflog.Debug(ctx, "Earlier attempt did not land; sending it again",
			map[string]any{"operation": cl.op, "resend": resend + 1})
		if serr := sleep(ctx, c.operationBackoff(resend)); serr != nil {
			return nil, err
		}
	}
}

// definite drops an *UncertainError: once the name is found taken, the outcome is known.
func definite(err error) error {
	if IsUncertain(err) {
		return nil
	}
	return err
}

// clockSkew is how far the service's and our clocks may disagree (the gateway's window).
const clockSkew = 5 * time.Minute

// RegisteredSince reports whether the certificate provably was registered at or after t,
// a time on the service's clock known to within tolerance (see ServiceTime). Without a
// registration date nothing is proven.
func (c Certificate) RegisteredSince(t time.Time, tolerance time.Duration) bool {
	return provenSince(c.RegisteredAt, t, tolerance)
}

// provenSince reports whether at, a date the service reported, is provably at or after t
// (on the service's clock, known to within tolerance). A zero date proves nothing.
func provenSince(at, t time.Time, tolerance time.Duration) bool {
	return !at.IsZero() && !at.Before(t.Add(-tolerance))
}
