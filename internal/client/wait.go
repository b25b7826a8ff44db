package client

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// WaitFor calls check every PollInterval until it reports done, returns an error, or ctx ends
// (then it returns the last check error or ctx.Err() wrapped with what it waited for).
func (c *Client) WaitFor(ctx context.Context, what string, check func(ctx context.Context) (done bool, err error)) error {
	for {
		done, err := check(ctx)
		if done && err == nil {
			return nil
		}
		if ctx.Err() != nil {
			// A check cut short by the deadline says more than the bare ctx error.
			if err == nil {
				err = ctx.Err()
			}
			return fmt.Errorf("gave up waiting for %s: %w", what, err)
		}
		if err != nil {
			return err
		}
		tflog.Debug(ctx, "Waiting", map[string]any{"for": what, "poll_interval": c.cfg.PollInterval.String()})
		if err := sleep(ctx, c.cfg.PollInterval); err != nil {
			return fmt.Errorf("gave up waiting for %s: %w", what, err)
		}
	}
}

// DeleteCertificateWhenUnused deletes through v1, retrying every PollInterval while the service
// answers "in use", until ctx ends; then it returns an *InUseError naming the instances (or
// saying they are unknown). A certificate already gone is success (nil).
//
// 1004 also means "name and number do not match", so the certificate is read after each
// 1004: while it still exists under this name, the 1004 is "in use" and waited out, whether
// or not the answer lists instances (API doc §8 allows it not to); under another name, the
// 1004 is returned.
func (c *Client) DeleteCertificateWhenUnused(ctx context.Context, no int64, name string) error {
	var inUse *InUseError
	for {
		err := c.DeleteCertificate(ctx, no, name)
		switch {
		case err == nil, IsNotFound(err):
			return nil
		case ctx.Err() != nil && inUse != nil:
			return inUse
		case !hasCode(err, codeInUse):
			return err
		}
		cert, gerr := c.GetCertificate(ctx, no)
		switch {
		case IsNotFound(gerr):
			return nil
		case gerr != nil && ctx.Err() != nil && inUse != nil:
			return inUse
		case gerr != nil:
			return fmt.Errorf("%w (reading the certificate afterwards failed: %w)", err, gerr)
		case cert.Name != "" && cert.Name != name:
			return err // the name and number do not match
		}
		inUse = &InUseError{CertificateNo: no, InstanceNos: cert.UsedInstanceNos, Err: err}
		tflog.Debug(ctx, "Certificate still in use; waiting before deleting again", map[string]any{
			"certificate_no": no, "used_instance_nos": fmt.Sprint(cert.UsedInstanceNos),
			"instances_known": cert.UsedInstanceNosKnown, "poll_interval": c.cfg.PollInterval.String(),
		})
		if sleep(ctx, c.cfg.PollInterval) != nil {
			return inUse
		}
	}
}
