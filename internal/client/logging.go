package client

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// leveledLogger routes go-retryablehttp's own messages (attempts, retries, waits) to tflog
// with the request's ctx, like terraform-provider-http does.
type leveledLogger struct{ ctx context.Context }

var _ retryablehttp.LeveledLogger = leveledLogger{}

func (l leveledLogger) Error(msg string, kv ...any) { tflog.Error(l.ctx, msg, kvFields(kv)) }
func (l leveledLogger) Warn(msg string, kv ...any)  { tflog.Warn(l.ctx, msg, kvFields(kv)) }
func (l leveledLogger) Info(msg string, kv ...any)  { tflog.Info(l.ctx, msg, kvFields(kv)) }
func (l leveledLogger) Debug(msg string, kv ...any) { tflog.Debug(l.ctx, msg, kvFields(kv)) }

// kvFields turns alternating keys and values into tflog fields. Values that are not
// strings or numbers (errors, durations) become strings so that masking applies to them:
// tflog masks string field values only.
func kvFields(kv []any) map[string]any {
	f := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		key := fmt.Sprint(kv[i])
		switch v := kv[i+1].(type) {
		case string, int, int64, bool:
			f[key] = v
		default:
			f[key] = fmt.Sprint(v)
		}
	}
	return f
}

func withFields(base, extra map[string]any) map[string]any {
	f := make(map[string]any, len(base)+len(extra))
	for k, v := range base {
		f[k] = v
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// logContext masks the secret key (and any private key of this call) in every log line.
// Nothing logs them on purpose: this is defence in depth.
func (c *Client) logContext(ctx context.Context, extra ...string) context.Context {
	masks := make([]string, 0, 1+len(extra))
	for _, s := range append([]string{c.cfg.SecretKey}, extra...) {
		if s != "" { // an empty mask would match everywhere
			masks = append(masks, s)
		}
	}
	return tflog.MaskMessageStrings(tflog.MaskAllFieldValuesStrings(ctx, masks...), masks...)
}

// secretMasks returns the strings to mask for a PEM secret: the whole value as given and
// trimmed, and each of its base64 lines, so that no fragment survives in a log line.
func secretMasks(pem string) []string {
	if pem == "" {
		return nil
	}
	out := []string{pem, strings.TrimSpace(pem)}
	for _, line := range strings.Split(pem, "\n") {
		line = strings.TrimSpace(line)
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	return out
}
