package client

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The real service is only partly documented (API doc §8), so every wire value decodes
// leniently: a custom UnmarshalJSON that returned an error would fail the whole response,
// which is worse than one unknown field.

// flexInt accepts a JSON number, a numeric string, "" or null.
type flexInt struct {
	v   int64
	set bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s, ok := scalarText(b)
	s = strings.TrimSpace(s)
	if !ok || s == "" {
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		f.v, f.set = n, true
		return nil
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		f.v, f.set = int64(x), true
	}
	return nil
}

// flexString accepts a string, a number or a boolean (kept as its JSON text), or null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	s, _ := scalarText(b)
	*f = flexString(s)
	return nil
}

// scalarText returns the text of a JSON string (as sent), number or boolean; ok is false
// for null, objects and arrays.
func scalarText(b []byte) (string, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) || b[0] == '{' || b[0] == '[' {
		return "", false
	}
	if b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return "", false
		}
		return s, true
	}
	return string(b), true
}

// flexList accepts an array of strings or numbers, a string separated by commas, spaces or
// newlines, or null. The result is never nil.
type flexList []string

func (f *flexList) UnmarshalJSON(b []byte) error {
	out := []string{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var raw []json.RawMessage
		if json.Unmarshal(b, &raw) == nil {
			for _, r := range raw {
				s, _ := scalarText(r)
				out = append(out, splitList(s)...)
			}
		}
	} else if s, ok := scalarText(b); ok {
		out = splitList(s)
	}
	*f = out
	return nil
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// kst is Korea Standard Time: dates without an offset are KST (API doc §8).
var kst = time.FixedZone("KST", 9*60*60)

// Layouts tried in order; the ones without an offset are read as KST. Go accepts
// fractional seconds after the seconds field even when a layout does not name them.
var (
	offsetLayouts = []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05Z0700",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05Z0700",
		"2006-01-02 15:04:05 Z07:00",
		"2006-01-02 15:04:05 Z0700",
	}
	localLayouts = []string{
		"2006-01-02 15:04:05",
		"2006-01-02T15:04:05",
		"2006-01-02 15:04",
		"2006-01-02",
	}
)

// flexTime accepts the date forms of API doc §8: "yyyy-MM-dd HH:mm:ss" (KST), RFC 3339 with
// any offset, "yyyy-MM-ddTHH:mm:ss" (KST), an offset without a colon, epoch milliseconds as
// a number or a string, "" or null (zero). The result is always UTC; unreadable is zero.
type flexTime time.Time

func (f *flexTime) UnmarshalJSON(b []byte) error {
	s, ok := scalarText(b)
	if !ok {
		return nil
	}
	*f = flexTime(parseTime(strings.TrimSpace(s)))
	return nil
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if isDigits(s) {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}
		}
		return time.UnixMilli(ms).UTC()
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil { // 1.7e12 from a float encoder
		return time.UnixMilli(int64(x)).UTC()
	}
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, kst); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// NormalizeSerial: lowercase hex, separators (':', ' ', '-') removed, leading zeros trimmed.
// An optional "0x" prefix is dropped too; an all-zero serial becomes "0".
func NormalizeSerial(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer(":", "", " ", "", "-", "").Replace(s)
	s = strings.TrimPrefix(s, "0x")
	if t := strings.TrimLeft(s, "0"); t != "" || s == "" {
		return t
	}
	return "0"
}

// firstNonEmpty returns the first non-empty value: the wire has several names for one field.
func firstNonEmpty(vals ...flexString) string {
	for _, v := range vals {
		if v != "" {
			return string(v)
		}
	}
	return ""
}

func firstTime(vals ...flexTime) time.Time {
	for _, v := range vals {
		if t := time.Time(v); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
