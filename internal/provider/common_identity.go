package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12+): every resource is identified by one attribute that
// mirrors a state attribute, so `import { identity = { certificate_no = 12345 } }` works and
// Terraform records who each instance is. Older CLIs neither send nor store identity: every
// Create, Read and Update therefore sets it from the state it returns, never from what the CLI
// sent, and the framework refuses a successful answer whose identity is fully null.
//
// Adding identity to a resource: declare resource.ResourceWithIdentity, an IdentitySchema
// method calling <identity>.schema(resp), `defer <identity>.afterCreate(ctx, resp)` (and
// afterRead / afterUpdate) as the first lines of Create, Read and Update, and
// <identity>.importState(ctx, req, resp) as ImportState. A resource whose refresh may keep a
// state without its id (a lost create answer it resolves later) also sets
// resp.ResourceBehavior.MutableIdentity in Metadata (see set).

// idIdentity is a one-attribute identity.
type idIdentity struct {
	name        string // identity attribute, as typed in `import { identity = {...} }`
	stateAttr   string // the state attribute it mirrors (an Int64 when number, else a String)
	number      bool
	description string
	expected    string                      // what a valid id looks like, for import errors
	valid       func(string) (string, bool) // normalises an import id; false when it is not one
	// toState writes an imported id into a fresh state (the id and what Read needs to start).
	toState func(ctx context.Context, state *tfsdk.State, id string) diag.Diagnostics
}

// certificateNoIdentity identifies the resources whose id is a certificate number.
var certificateNoIdentity = idIdentity{
	name: "certificate_no", stateAttr: "certificate_no", number: true,
	description: "The certificate number (shown in the Certificate Manager console).",
	expected:    "the certificate number, a positive integer such as 12345 (shown in the Certificate Manager console)",
	valid:       validPositiveInteger,
	toState:     idAndNumber("certificate_no"),
}

// orderIDIdentity identifies an Advanced order (ncloudcert_advanced_order's id).
var orderIDIdentity = idIdentity{
	name: "order_id", stateAttr: "id",
	description: "The order id (shown with the order in the Certificate Manager console).",
	expected:    "the order id, a positive integer such as 900001 (shown with the order in the Certificate Manager console)",
	valid:       validPositiveInteger,
	toState: func(ctx context.Context, state *tfsdk.State, id string) diag.Diagnostics {
		return state.SetAttribute(ctx, path.Root("id"), id)
	},
}

// accountIDIdentity identifies an ACME EAB credential (ncloudcert_acme_eab_credential).
var accountIDIdentity = idIdentity{
	name: "account_id", stateAttr: "account_id", number: true,
	description: "The ACME account id of the credential (shown in the Certificate Manager console's ACME list).",
	expected:    "the ACME account id of the credential, a positive integer such as 59723 (shown in the Certificate Manager console's ACME list)",
	valid:       validPositiveInteger,
	toState:     idAndNumber("account_id"),
}

// domainIDIdentity identifies a pre-validated domain registration (ncloudcert_domain_validation
// and the wait on it).
var domainIDIdentity = idIdentity{
	name: "domain_id", stateAttr: "domain_id", number: true,
	description: "The domain id (`dmnId`, listed by ListDomainValidations).",
	expected:    "the domain id (dmnId), a positive integer such as 573 (ListDomainValidations shows it)",
	valid:       validPositiveInteger,
	toState:     idAndNumber("domain_id"),
}

// idAndNumber is the toState of a resource whose id is a positive integer kept twice: as the
// string id and as the Int64 attribute name.
func idAndNumber(name string) func(context.Context, *tfsdk.State, string) diag.Diagnostics {
	return func(ctx context.Context, state *tfsdk.State, id string) diag.Diagnostics {
		no, _ := parseCertificateNo(id)
		diags := state.SetAttribute(ctx, path.Root("id"), id)
		diags.Append(state.SetAttribute(ctx, path.Root(name), no)...)
		return diags
	}
}

func validPositiveInteger(s string) (string, bool) {
	no, ok := parseCertificateNo(s)
	return strconv.FormatInt(no, 10), ok
}

// schema is the resource's IdentitySchema.
func (i idIdentity) schema(resp *resource.IdentitySchemaResponse) {
	var a identityschema.Attribute = identityschema.StringAttribute{RequiredForImport: true, Description: i.description}
	if i.number {
		a = identityschema.Int64Attribute{RequiredForImport: true, Description: i.description}
	}
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{i.name: a}}
}

// importState imports by id (`terraform import`, `import { id = ... }`) or by identity, with
// the same checks, and records the identity.
func (i idIdentity) importState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	raw, byIdentity := req.ID, false
	if raw == "" && req.Identity != nil {
		byIdentity = true
		v, d := i.read(ctx, req.Identity.GetAttribute, i.name)
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			return
		}
		raw = valueText(v)
	}
	id, ok := i.valid(raw)
	switch {
	case !ok && byIdentity:
		resp.Diagnostics.AddError("Invalid import identity",
			fmt.Sprintf("identity.%s: expected %s, got %s.", i.name, i.expected, strconv.Quote(raw)))
		return
	case !ok:
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Expected %s, got %q.", i.expected, raw))
		return
	}
	resp.Diagnostics.Append(i.toState(ctx, &resp.State, id)...)
	if resp.Identity != nil {
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root(i.name), i.value(id))...)
	}
}

// afterCreate, afterRead and afterUpdate are deferred at the top of Create, Read and Update.
func (i idIdentity) afterCreate(ctx context.Context, resp *resource.CreateResponse) {
	i.set(ctx, resp.State, tfsdk.State{}, resp.Identity, &resp.Diagnostics)
}

func (i idIdentity) afterRead(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	i.set(ctx, resp.State, req.State, resp.Identity, &resp.Diagnostics)
}

func (i idIdentity) afterUpdate(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	i.set(ctx, resp.State, req.State, resp.Identity, &resp.Diagnostics)
}

// set copies the mirrored attribute of state into identity; when the resource left state,
// from prior. Neither holds it after a create whose answer was lost: a failed operation leaves
// the identity null (a placeholder would be stored, and the refresh that finds the object
// could not change it). A successful one must not (the framework refuses a fully null
// identity then): when a refresh forgets or keeps such a name-only state, the zero value
// stands in. A removal drops it; ncloudcert_advanced_order, which may keep the state, declares
// its identity mutable so that the refresh that finds the order replaces it.
func (i idIdentity) set(ctx context.Context, state, prior tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	v := i.fromState(ctx, state)
	if v == nil {
		v = i.fromState(ctx, prior)
	}
	if v == nil {
		if diags.HasError() {
			return
		}
		var cur attr.Value = types.StringNull()
		if i.number {
			cur = types.Int64Null()
		}
		if d := identity.GetAttribute(ctx, path.Root(i.name), &cur); !d.HasError() && !cur.IsNull() && !cur.IsUnknown() {
			return // keeps what it had
		}
		v = i.value("")
	}
	diags.Append(identity.SetAttribute(ctx, path.Root(i.name), v)...)
}

// fromState is the known value of the mirrored attribute, nil when there is none.
func (i idIdentity) fromState(ctx context.Context, s tfsdk.State) attr.Value {
	if s.Raw.IsNull() || !s.Raw.IsKnown() {
		return nil
	}
	v, d := i.read(ctx, s.GetAttribute, i.stateAttr)
	if d.HasError() || v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v
}

func (i idIdentity) read(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics, name string) (attr.Value, diag.Diagnostics) {
	if i.number {
		var v types.Int64
		d := get(ctx, path.Root(name), &v)
		return v, d
	}
	var v types.String
	d := get(ctx, path.Root(name), &v)
	return v, d
}

// value is id as the identity attribute's type; "" is the zero value.
func (i idIdentity) value(id string) attr.Value {
	if i.number {
		no, _ := strconv.ParseInt(id, 10, 64)
		return types.Int64Value(no)
	}
	return types.StringValue(id)
}

func valueText(v attr.Value) string {
	switch v := v.(type) {
	case types.Int64:
		if v.IsNull() || v.IsUnknown() {
			return ""
		}
		return strconv.FormatInt(v.ValueInt64(), 10)
	case types.String:
		return v.ValueString()
	}
	return ""
}
