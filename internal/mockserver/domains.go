package mockserver

import (
	"fmt"
	"net/http"
	"strings"
)

// Domain limits of issuance requests.
const (
	// maxDomainNames is how many names one certificate may hold: the common name and the
	// dnsName entries (SANs) together.
	maxDomainNames = 100
	// maxDomainLength is the longest domain name (RFC 1035, without the root's trailing dot).
	maxDomainLength = 253
	// maxCommonNameLength is the X.509 upper bound of a common name (RFC 5280 ub-common-name).
	maxCommonNameLength = 64
)

// canonicalName is a domain name as the mock stores and compares it: lower case, without
// a trailing dot.
func canonicalName(name string) string {
	return strings.ToLower(strings.TrimSuffix(name, "."))
}

// validationDomain is the domain whose DNS record validates name: name without a leading
// "*." label, so "*.example.com" and "example.com" share one record.
func validationDomain(name string) string {
	return strings.TrimPrefix(name, "*.")
}

// checkDomain reports why canonical name d is not a valid certificate domain: LDH labels of
// 1–63 characters (no leading or trailing hyphen), at least two labels, at most 253
// characters, a top-level label that is not all digits, and "*" only as the whole leftmost
// label of a name with at least two more labels.
func checkDomain(d string) error {
	switch {
	case d == "":
		return fmt.Errorf("empty domain name")
	case len(d) > maxDomainLength:
		return fmt.Errorf("%q is longer than %d characters", d, maxDomainLength)
	}
	labels := strings.Split(d, ".")
	base := labels
	if labels[0] == "*" {
		base = labels[1:]
	}
	if len(base) < 2 {
		return fmt.Errorf("%q needs at least two labels below the wildcard or root", d)
	}
	for _, l := range base {
		if err := checkLabel(l); err != nil {
			if strings.Contains(l, "*") {
				return fmt.Errorf("%q: a wildcard is allowed only as the whole leftmost label (*.example.com)", d)
			}
			return fmt.Errorf("%q: %w", d, err)
		}
	}
	if tld := base[len(base)-1]; strings.Trim(tld, "0123456789") == "" {
		return fmt.Errorf("%q: the top-level label must not be all digits", d)
	}
	return nil
}

// checkLabel checks one LDH label.
func checkLabel(l string) error {
	if l == "" || len(l) > 63 {
		return fmt.Errorf("a label must have 1 to 63 characters")
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return fmt.Errorf("label %q starts or ends with a hyphen", l)
	}
	if strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return fmt.Errorf("label %q has a character other than letters, digits and hyphens", l)
	}
	return nil
}

// requestedNames checks a request's common name and SANs and returns them canonical, the
// common name first. The answer on a refusal is HTTP 400 with returnCode 2000 for the common
// name and for too many names, 2201 for a malformed or repeated dnsName entry.
func requestedNames(commonName string, sans []string) ([]string, *response) {
	cn := canonicalName(commonName)
	if err := checkDomain(cn); err != nil {
		resp := validationError("commonName is not a valid domain name: " + err.Error())
		return nil, &resp
	}
	if len(cn) > maxCommonNameLength {
		resp := validationError(fmt.Sprintf("commonName is longer than %d characters.", maxCommonNameLength))
		return nil, &resp
	}
	names := make([]string, 0, 1+len(sans))
	names = append(names, cn)
	for _, san := range sans {
		d := canonicalName(san)
		if err := checkDomain(d); err != nil {
			resp := sanError("dnsName " + err.Error())
			return nil, &resp
		}
		names = append(names, d)
	}
	if len(names) > maxDomainNames {
		resp := validationError(fmt.Sprintf("A certificate can hold at most %d domain names (commonName and dnsName together); %d were given.", maxDomainNames, len(names)))
		return nil, &resp
	}
	seen := make(map[string]bool, len(names))
	for i, d := range names {
		if seen[d] {
			what := "another dnsName entry"
			if d == cn {
				what = "the commonName"
			}
			resp := sanError(fmt.Sprintf("dnsName %q repeats %s.", sans[i-1], what))
			return nil, &resp
		}
		seen[d] = true
	}
	return names, nil
}

// sanError is the HTTP 400 / 2201 refusal of the dnsName list.
func sanError(detail string) response {
	return serviceError(http.StatusBadRequest, codeInvalidSANs, msgInvalidSANs+" "+detail)
}
