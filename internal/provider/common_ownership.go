package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
)

// Ownership, shared by every resource (design §3): a resource manages only what it created
// or what was imported into it. A create whose outcome was unknown leaves a name-only state;
// later reads and deletes act on a certificate of that name only with proof that this
// resource registered it.

// privateKeyCreateAttempt is the private-state key recording when an unconfirmed create began.
const privateKeyCreateAttempt = "create_attempt"

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// createAttempt is when an unconfirmed create began, on the service's clock, and how
// precisely that clock was known.
type createAttempt struct {
	Started     time.Time `json:"started"`
	ToleranceMS int64     `json:"tolerance_ms"`
}

func (a createAttempt) tolerance() time.Duration {
	return time.Duration(a.ToleranceMS) * time.Millisecond
}

// recordCreateAttempt keeps, beside a name-only state, when the create began.
func recordCreateAttempt(ctx context.Context, private privateSetter, c *client.Client, started time.Time) diag.Diagnostics {
	t, tol := c.ServiceTime(started)
	b, _ := json.Marshal(createAttempt{Started: t.UTC(), ToleranceMS: tol.Milliseconds()})
	return private.SetKey(ctx, privateKeyCreateAttempt, b)
}

// loadCreateAttempt returns the recorded start of an unconfirmed create, if any.
func loadCreateAttempt(ctx context.Context, private privateGetter) (createAttempt, bool) {
	if private == nil {
		return createAttempt{}, false
	}
	b, d := private.GetKey(ctx, privateKeyCreateAttempt)
	var a createAttempt
	if d.HasError() || len(b) == 0 || json.Unmarshal(b, &a) != nil || a.Started.IsZero() {
		return createAttempt{}, false
	}
	return a, true
}

// ownsUnconfirmedCreate decides whether cert, found under the name of a name-only state, is
// the one this resource tried to register: its serial must be the one of certificatePEM (the
// material recorded in state) and, when the start is known, it must have been registered
// after the create began. Otherwise why says, for a warning, what was found.
func ownsUnconfirmedCreate(cert *client.Certificate, name, certificatePEM string, attempt createAttempt, haveAttempt bool) (owned bool, why string) {
	if cert == nil {
		return false, fmt.Sprintf("No certificate named %q exists: the earlier create, whose outcome was unknown, did not register it.", name)
	}
	want := ""
	if leaf, err := parseLeafCertificate(certificatePEM); err == nil {
		want = certificateSerial(leaf)
	}
	switch {
	case cert.SerialNumber == "" || want == "":
		return false, fmt.Sprintf("Certificate %d holds the name %q, but nothing proves it is the one this resource tried to register (the service reported no serial to compare). It is left alone. If it is yours, import it: %s",
			cert.No, name, importHint(cert.No))
	case cert.SerialNumber != want:
		return false, fmt.Sprintf("Certificate %d holds the name %q with serial %s, not the serial %s this resource tried to register: it belongs to someone else and is left alone.",
			cert.No, name, cert.SerialNumber, want)
	case haveAttempt && !cert.RegisteredSince(attempt.Started, attempt.tolerance()):
		return false, fmt.Sprintf("Certificate %d holds the name %q and the same certificate, but it was registered at %s, before this resource's create began (%s): it was registered elsewhere and is left alone. If it is yours, import it: %s",
			cert.No, name, cert.RegisteredAt.UTC().Format(time.RFC3339), attempt.Started.UTC().Format(time.RFC3339), importHint(cert.No))
	}
	return true, ""
}

// importHint is the one-line form of the import instructions.
func importHint(no int64) string {
	return fmt.Sprintf("terraform import <resource address> %d", no)
}

// importInstructions is the ready-to-paste import command and block for a certificate number.
func importInstructions(resourceType string, id string) string {
	return fmt.Sprintf(`  terraform import %[1]s.<name> %[2]s

or, with Terraform 1.5 and later, add to the configuration and apply:

  import {
    to = %[1]s.<name>
    id = "%[2]s"
  }

where %[1]s.<name> is this resource's address (inside a module, or with count or for_each, its full address).`, resourceType, id)
}

// addNameInUseError reports a create refused because the name is taken, with the way to
// adopt the certificate deliberately.
func addNameInUseError(diags *diag.Diagnostics, resourceType string, err error) bool {
	var taken *client.NameInUseError
	if !errors.As(err, &taken) {
		return false
	}
	what := "It holds a different certificate than this configuration."
	switch {
	case taken.ByNames && taken.SameMaterial:
		what = "It was requested for the same domain names as this configuration, so it may have been requested by an apply that was interrupted before it could record the certificate in state."
	case taken.ByNames && taken.Existing.CommonName == "":
		what = "The service reported no common name, so it cannot be compared with this configuration."
	case taken.ByNames:
		what = "It is for other domain names than this configuration."
	case taken.SameMaterial:
		what = "It holds the same certificate as this configuration, so it may have been registered by an apply that was interrupted before it could record the certificate in state."
	case taken.Existing.SerialNumber == "":
		what = "The service reported no serial, so it cannot be compared with this configuration."
	}
	importID := strconv.FormatInt(taken.Existing.No, 10)
	if resourceType == advancedOrderType && taken.Existing.OrderID != "" {
		importID = taken.Existing.OrderID // an order imports by its id
	}
	diags.AddAttributeError(path.Root("name"), "Certificate name already in use",
		fmt.Sprintf("Certificate Manager already has certificate %d named %q. %s Terraform never takes over a certificate it did not create.\n\n"+
			"If it is the certificate this resource should manage, import it, then apply again:\n\n%s\n\n"+
			"Otherwise choose another name, or use name_prefix.\n\n%s",
			taken.Existing.No, taken.Name, what, importInstructions(resourceType, importID), err))
	return true
}

// managingResource names the resource type of this provider that manages each certificate
// type; later resources add theirs.
var managingResource = map[string]string{
	"external":    "ncloudcert_external_certificate",
	"cloud_basic": "ncloudcert_issued_certificate",
	"global_edge": "ncloudcert_issued_certificate",
	"advanced_dv": "ncloudcert_advanced_order",
	"advanced_ov": "ncloudcert_advanced_order",
}

// addWrongTypeError reports a certificate of another type read into a resource (an import
// by the wrong number): managing it here would renew or delete the wrong kind.
func addWrongTypeError(diags *diag.Diagnostics, resourceType, manages string, cert *client.Certificate, got string) {
	where := "No resource of this provider version manages " + got + " certificates."
	if other, ok := managingResource[got]; ok {
		where = "Import it into " + other + " instead."
		if other == advancedOrderType && cert.OrderID != "" {
			where = fmt.Sprintf("Import its order, %s, into %s instead (an order imports by its id).", cert.OrderID, other)
		}
	}
	diags.AddError("Not a certificate this resource manages",
		fmt.Sprintf("Certificate %d (%q) is %s %s certificate; %s manages only %s certificates, so nothing was imported or changed. %s",
			cert.No, cert.Name, article(got), got, resourceType, manages, where))
}

// article is "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// deleteOwnedCertificate is the Delete every certificate resource shares. With a number in
// state it deletes that certificate, waiting while instances use it. A name-only state, left
// by a create whose outcome was unknown and not refreshed since, deletes the certificate of
// that name only when owns proves this resource created it; otherwise it deletes nothing and
// warns why. kind is the kind of certificate the resource manages: it picks the API that
// lists and deletes it (API doc §8: a v1 may handle external certificates only).
func deleteOwnedCertificate(ctx context.Context, c *client.Client, private privateGetter, id types.String, no int64, name string, kind client.Kind,
	owns func(cert *client.Certificate, attempt createAttempt, haveAttempt bool) (bool, string), diags *diag.Diagnostics,
) {
	if id.IsNull() {
		cert, err := c.FindCertificate(ctx, name, nameLookupKind(kind))
		if err != nil {
			addClientError(diags, "Error looking up certificate "+strconv.Quote(name), err)
			return
		}
		attempt, haveAttempt := loadCreateAttempt(ctx, private)
		if owned, why := owns(cert, attempt, haveAttempt); !owned {
			diags.AddWarning("Nothing deleted", why)
			return
		}
		no = cert.No
	}
	if err := c.DeleteWhenUnused(ctx, client.CertificateRef{No: no, Name: name, Kind: kind}); err != nil && !client.IsNotFound(err) {
		addClientError(diags, fmt.Sprintf("Error deleting certificate %d", no), err)
	}
}

// readOwnedCertificate is the first half of every certificate resource's Read: the
// certificate by the number in state, or, for a name-only state, the certificate of that
// name when owns proves this resource created it (otherwise the resource is forgotten with
// a warning saying why, again is "registers it anew" or "requests it anew"). A certificate
// the service says is gone leaves state. nil means resp says what happened. kind is the kind
// the resource manages: with the name in state, a refresh is one request to its API.
func readOwnedCertificate(ctx context.Context, c *client.Client, req resource.ReadRequest, resp *resource.ReadResponse, id types.String, name string, kind client.Kind, again string,
	owns func(cert *client.Certificate, attempt createAttempt, haveAttempt bool) (bool, string),
) *client.Certificate {
	if id.IsNull() {
		cert, err := c.FindCertificate(ctx, name, nameLookupKind(kind))
		if err != nil {
			addClientError(&resp.Diagnostics, "Error looking up certificate "+strconv.Quote(name), err)
			return nil
		}
		attempt, haveAttempt := loadCreateAttempt(ctx, req.Private)
		if owned, why := owns(cert, attempt, haveAttempt); !owned {
			resp.Diagnostics.AddWarning("Forgetting a certificate that was never confirmed",
				why+" Terraform removes this resource from state; the next apply "+again+".")
			resp.State.RemoveResource(ctx)
			return nil
		}
		return cert
	}
	no, valid := parseCertificateNo(id.ValueString())
	if !valid {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid certificate id", fmt.Sprintf("The id %q in state is not a certificate number.", id.ValueString()))
		return nil
	}
	return readCertificate(ctx, c, resp, client.CertificateRef{No: no, Name: name, Kind: kind}, name)
}

// nameLookupKind is the kind to look a name-only state up with: an external certificate's
// own API; for the others every kind, v1 first, whose items carry the registration date
// that proves an unconfirmed create (v2 list items document none).
func nameLookupKind(kind client.Kind) client.Kind {
	if kind == client.KindExternal {
		return kind
	}
	return client.KindAny
}

// privateKeyCertificateRef remembers, for a resource whose state holds only a certificate
// number, the certificate's name and kind: API 2.0 finds a certificate by name, so with
// them a refresh is one request whichever API lists the certificate.
const privateKeyCertificateRef = "certificate_ref"

type storedCertificateRef struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

var kindsByName = map[string]client.Kind{
	client.KindExternal.String(): client.KindExternal, client.KindCloud.String(): client.KindCloud, client.KindAdvanced.String(): client.KindAdvanced,
}

// readCertificateByID reads the certificate whose number is a resource's id, the first time
// by number (v1, then v2 when v1 does not have it), later by the name and kind it remembers
// in private state. A certificate the service says is gone leaves state (with a log line);
// nil means resp says what happened.
func readCertificateByID(ctx context.Context, c *client.Client, resp *resource.ReadResponse, id types.String, what string) *client.Certificate {
	no, valid := parseCertificateNo(id.ValueString())
	if !valid {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid certificate id", fmt.Sprintf("The id %q in state is not a certificate number.", id.ValueString()))
		return nil
	}
	ref := client.CertificateRef{No: no}
	var stored storedCertificateRef
	if resp.Private != nil {
		if b, d := resp.Private.GetKey(ctx, privateKeyCertificateRef); !d.HasError() && len(b) > 0 && json.Unmarshal(b, &stored) == nil {
			if k, ok := kindsByName[stored.Kind]; ok && stored.Name != "" {
				ref.Name, ref.Kind = stored.Name, k
			}
		}
	}
	cert := readCertificate(ctx, c, resp, ref, what)
	if cert != nil && resp.Private != nil && cert.Ref() != ref {
		resp.Diagnostics.Append(rememberCertificateRef(ctx, resp.Private, cert)...)
	}
	return cert
}

// rememberCertificateRef records cert's name and kind for readCertificateByID (the create
// of a resource that holds only a number calls it, so its first refresh is one request).
func rememberCertificateRef(ctx context.Context, private privateSetter, cert *client.Certificate) diag.Diagnostics {
	ref := cert.Ref()
	if private == nil || ref.Kind == client.KindAny || ref.Name == "" {
		return nil
	}
	b, _ := json.Marshal(storedCertificateRef{Name: ref.Name, Kind: ref.Kind.String()})
	return private.SetKey(ctx, privateKeyCertificateRef, b)
}

// readCertificate reads ref for a refresh. A read without a name (an import by number) that finds nothing
// of ref's kind looks the number up among every kind, so that the resource can say which
// resource manages the certificate instead of "non-existent remote object".
func readCertificate(ctx context.Context, c *client.Client, resp *resource.ReadResponse, ref client.CertificateRef, what string) *client.Certificate {
	cert, err := c.ReadCertificateBatched(ctx, ref) // a refresh: shared listings may serve it

	if client.IsNotFound(err) && ref.Name == "" && ref.Kind != client.KindAny {
		if other, oerr := c.ReadCertificate(ctx, client.CertificateRef{No: ref.No}); oerr == nil {
			cert, err = other, nil
		}
	}
	switch {
	case client.IsNotFound(err):
		tflog.Warn(ctx, "certificate no longer exists; removing it from state", map[string]any{"id": strconv.FormatInt(ref.No, 10), "resource": what})
		resp.State.RemoveResource(ctx)
		return nil
	case err != nil:
		addClientError(&resp.Diagnostics, "Error reading certificate "+what, err)
		return nil
	}
	return cert
}
