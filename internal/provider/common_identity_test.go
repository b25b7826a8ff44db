package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/client"
	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/mockserver"
)

// Resource identity at the protocol level, as Terraform 1.12+ drives it (no such CLI can be
// built here): the provider server in process, against the mock.

// protoServer is a configured provider server and the schemas it announced.
type protoServer struct {
	t          *testing.T
	srv        tfprotov6.ProviderServer
	schemas    map[string]*tfprotov6.Schema
	identities map[string]*tfprotov6.ResourceIdentitySchema
}

func newProtoServer(t *testing.T, m *testMock) *protoServer {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(New("test", testTimings, testPollCap)())()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sch, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasProtoError(sch.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, sch.Diagnostics)
	}
	ids, err := srv.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || hasProtoError(ids.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, ids.Diagnostics)
	}
	p := &protoServer{t: t, srv: srv, schemas: sch.ResourceSchemas, identities: ids.IdentitySchemas}
	cfg := p.object(sch.Provider, map[string]tftypes.Value{
		"endpoint":   tftypes.NewValue(tftypes.String, m.URL),
		"access_key": tftypes.NewValue(tftypes.String, mockserver.DemoAccessKey),
		"secret_key": tftypes.NewValue(tftypes.String, mockserver.DemoSecretKey),
	})
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: p.dynamic(sch.Provider.ValueType(), cfg)})
	if err != nil || hasProtoError(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %v", err, resp.Diagnostics)
	}
	return p
}

func hasProtoError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// object is a value of schema's type: the given attributes, null elsewhere.
func (p *protoServer) object(schema *tfprotov6.Schema, vals map[string]tftypes.Value) tftypes.Value {
	typ := schema.ValueType().(tftypes.Object)
	all := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		all[name] = tftypes.NewValue(at, nil)
		if v, ok := vals[name]; ok {
			all[name] = v
		}
	}
	return tftypes.NewValue(typ, all)
}

func (p *protoServer) dynamic(typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	d, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		p.t.Fatal(err)
	}
	return &d
}

func (p *protoServer) identityType(typeName string) tftypes.Type {
	return p.identities[typeName].ValueType()
}

// identityOf decodes an identity to its attribute values (nil when absent or null).
func (p *protoServer) identityOf(typeName string, id *tfprotov6.ResourceIdentityData) map[string]tftypes.Value {
	p.t.Helper()
	if id == nil || id.IdentityData == nil {
		return nil
	}
	v, err := id.IdentityData.Unmarshal(p.identityType(typeName))
	if err != nil {
		p.t.Fatal(err)
	}
	if v.IsNull() {
		return nil
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		p.t.Fatal(err)
	}
	return out
}

func (p *protoServer) identityData(typeName string, vals map[string]tftypes.Value) *tfprotov6.ResourceIdentityData {
	return &tfprotov6.ResourceIdentityData{IdentityData: p.dynamic(p.identityType(typeName), tftypes.NewValue(p.identityType(typeName), vals))}
}

func (p *protoServer) attrs(typeName string, d *tfprotov6.DynamicValue) map[string]tftypes.Value {
	p.t.Helper()
	v, err := d.Unmarshal(p.schemas[typeName].ValueType())
	if err != nil {
		p.t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if !v.IsNull() {
		if err := v.As(&out); err != nil {
			p.t.Fatal(err)
		}
	}
	return out
}

// expectNumberIdentity checks an identity {attr = want}.
func (p *protoServer) expectNumberIdentity(step, typeName string, id *tfprotov6.ResourceIdentityData, attr string, want int64) {
	p.t.Helper()
	vals := p.identityOf(typeName, id)
	var got big.Float
	if vals == nil || vals[attr].As(&got) != nil {
		p.t.Fatalf("%s: identity %v, want %s = %d", step, vals, attr, want)
	}
	if n, _ := got.Int64(); n != want {
		p.t.Fatalf("%s: identity %s = %d, want %d", step, attr, n, want)
	}
}

func num(n int64) tftypes.Value  { return tftypes.NewValue(tftypes.Number, n) }
func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// Every resource announces a one-attribute identity, required for import.
func TestIdentitySchemas(t *testing.T) {
	t.Parallel()
	p := newProtoServer(t, newTestMock(t))
	want := map[string]struct {
		attr string
		typ  tftypes.Type
	}{
		"ncloudcert_external_certificate":    {"certificate_no", tftypes.Number},
		"ncloudcert_issued_certificate":      {"certificate_no", tftypes.Number},
		"ncloudcert_certificate_validation":  {"certificate_no", tftypes.Number},
		"ncloudcert_certificate_private_key": {"certificate_no", tftypes.Number},
		"ncloudcert_advanced_order":          {"order_id", tftypes.String},
		"ncloudcert_acme_eab_credential":     {"account_id", tftypes.Number},
		"ncloudcert_domain_validation":       {"domain_id", tftypes.Number},
		"ncloudcert_domain_validation_wait":  {"domain_id", tftypes.Number},
	}
	for typeName := range p.schemas {
		if _, ok := p.identities[typeName]; !ok {
			t.Errorf("%s declares no identity", typeName)
		}
	}
	for typeName, w := range want {
		s := p.identities[typeName]
		if s == nil || len(s.IdentityAttributes) != 1 {
			t.Errorf("%s: identity schema %+v, want one attribute %s", typeName, s, w.attr)
			continue
		}
		a := s.IdentityAttributes[0]
		if a.Name != w.attr || !a.Type.Equal(w.typ) || !a.RequiredForImport || a.Description == "" {
			t.Errorf("%s: identity attribute %+v, want %s of %s, required for import, described", typeName, a, w.attr, w.typ)
		}
	}
}

// An external certificate keeps identity {certificate_no} through create, read (with and
// without a prior identity, as older CLIs send none), update in place and import by
// identity or by id; a bad identity is refused with the import id's checks.
func TestIdentity_externalCertificateLifecycle(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newProtoServer(t, m)
	ctx := context.Background()
	const typeName = "ncloudcert_external_certificate"
	schema := p.schemas[typeName]
	typ := schema.ValueType()
	ca := testCertificateAuthority(t)
	first, second := ca.issue(t, "identity.example.com", nil), ca.issue(t, "identity.example.com", nil)
	config := func(leaf testLeaf) tftypes.Value {
		return p.object(schema, map[string]tftypes.Value{
			"name": str("acc-identity"), "certificate_pem": str(leaf.certPEM),
			"certificate_chain_pem": str(ca.intermediatePEM), "private_key_pem": str(leaf.keyPEM),
		})
	}
	apply := func(step string, prior *tfprotov6.DynamicValue, priorPrivate []byte, priorIdentity *tfprotov6.ResourceIdentityData, proposed tftypes.Value, cfg tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
		t.Helper()
		if prior == nil {
			prior = p.dynamic(typ, tftypes.NewValue(typ, nil))
		}
		plan, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: prior, PriorPrivate: priorPrivate, PriorIdentity: priorIdentity,
			ProposedNewState: p.dynamic(typ, proposed), Config: p.dynamic(typ, cfg),
		})
		if err != nil || hasProtoError(plan.Diagnostics) {
			t.Fatalf("%s: PlanResourceChange: %v %v", step, err, plan.Diagnostics)
		}
		resp, err := p.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: typeName, PriorState: prior, PlannedState: plan.PlannedState, PlannedPrivate: plan.PlannedPrivate,
			PlannedIdentity: plan.PlannedIdentity, Config: p.dynamic(typ, cfg),
		})
		if err != nil || hasProtoError(resp.Diagnostics) {
			t.Fatalf("%s: ApplyResourceChange: %v %v", step, err, resp.Diagnostics)
		}
		return resp
	}

	created := apply("create", nil, nil, nil, config(first), config(first))
	no := m.lastCertificateNo(t)
	p.expectNumberIdentity("create", typeName, created.NewIdentity, "certificate_no", no)

	for _, prior := range []*tfprotov6.ResourceIdentityData{nil, created.NewIdentity} {
		read, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: created.NewState, Private: created.Private, CurrentIdentity: prior})
		if err != nil || hasProtoError(read.Diagnostics) {
			t.Fatalf("read: %v %v", err, read.Diagnostics)
		}
		p.expectNumberIdentity("read", typeName, read.NewIdentity, "certificate_no", no)
	}

	// Update in place (new material, same number), from a state written by an older CLI.
	proposed := p.attrs(typeName, created.NewState)
	for k, v := range p.attrs(typeName, p.dynamic(typ, config(second))) {
		if k == "certificate_pem" || k == "private_key_pem" {
			proposed[k] = v
		}
	}
	updated := apply("update", created.NewState, created.Private, nil, tftypes.NewValue(typ, proposed), config(second))
	p.expectNumberIdentity("update", typeName, updated.NewIdentity, "certificate_no", no)
	if got := m.Requests(mockserver.OpRegisterExternalCertificate); got != 1 {
		t.Fatalf("%d in-place renewals, want 1 (the update must have renewed)", got)
	}

	// Import by identity, then the read that follows; and by id.
	imported, err := p.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName, Identity: p.identityData(typeName, map[string]tftypes.Value{"certificate_no": num(no)}),
	})
	if err != nil || hasProtoError(imported.Diagnostics) || len(imported.ImportedResources) != 1 {
		t.Fatalf("import by identity: %v %v", err, imported.Diagnostics)
	}
	ir := imported.ImportedResources[0]
	p.expectNumberIdentity("import by identity", typeName, ir.Identity, "certificate_no", no)
	if got := p.attrs(typeName, ir.State)["id"]; !got.Equal(str(itoa(no))) {
		t.Fatalf("import by identity: id %v, want %d", got, no)
	}
	read, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: ir.State, Private: ir.Private, CurrentIdentity: ir.Identity})
	if err != nil || hasProtoError(read.Diagnostics) {
		t.Fatalf("read after import: %v %v", err, read.Diagnostics)
	}
	p.expectNumberIdentity("read after import", typeName, read.NewIdentity, "certificate_no", no)
	if got := p.attrs(typeName, read.NewState)["serial_number"]; got.IsNull() {
		t.Fatal("read after import: serial_number is null: the import did not lead to the certificate")
	}

	byID, err := p.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: itoa(no)})
	if err != nil || hasProtoError(byID.Diagnostics) {
		t.Fatalf("import by id: %v %v", err, byID.Diagnostics)
	}
	p.expectNumberIdentity("import by id", typeName, byID.ImportedResources[0].Identity, "certificate_no", no)

	p.expectIdentityRefused(ctx, typeName, "certificate_no", 0, "identity.certificate_no: expected the certificate number, a positive integer")
}

// A certificate deleted outside Terraform leaves state without "Missing Resource Identity
// After Read", also from a state that never had an identity (written by an older CLI), and a
// name-only state (a create whose answer was lost) whose certificate never appeared too.
func TestIdentity_readRemovedWithoutPriorIdentity(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newProtoServer(t, m)
	ctx := context.Background()
	const typeName = "ncloudcert_external_certificate"
	schema := p.schemas[typeName]
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "gone.example.com", nil)
	gone := registerOutside(t, m, "acc-gone", leaf, ca.intermediatePEM)
	if err := m.client(t).DeleteCertificate(ctx, gone.No, gone.Name); err != nil {
		t.Fatal(err)
	}
	for step, state := range map[string]tftypes.Value{
		"deleted": p.object(schema, map[string]tftypes.Value{"id": str(itoa(gone.No)), "certificate_no": num(gone.No), "name": str("acc-gone")}),
		"name-only": p.object(schema, map[string]tftypes.Value{"name": str("acc-never"), "certificate_pem": str(leaf.certPEM),
			"certificate_chain_pem": str(ca.intermediatePEM)}),
	} {
		read, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: p.dynamic(schema.ValueType(), state)})
		if err != nil || hasProtoError(read.Diagnostics) {
			t.Fatalf("%s: read: %v %+v", step, err, read.Diagnostics)
		}
		if v, _ := read.NewState.Unmarshal(schema.ValueType()); !v.IsNull() {
			t.Fatalf("%s: the resource stayed in state", step)
		}
	}
}

// An Advanced order: import by identity {order_id}, the read after it, and a read from a state
// an older CLI wrote, all answer the order id; a non-numeric order id is refused.
func TestIdentity_advancedOrderImport(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newProtoServer(t, m)
	ctx := context.Background()
	const typeName = "ncloudcert_advanced_order"
	csr, _ := testOrderCSR(t, "identity-order.example.com")
	res, err := m.client(t).RequestAdvancedCertificate(ctx, client.AdvancedRequest{
		Type: client.AdvancedDV, Name: "acc-id-order", CommonName: "identity-order.example.com", CSR: csr,
		ValidationMethod: "D", RequestToken: "token-identity",
	})
	if err != nil {
		t.Fatal(err)
	}
	expect := func(step string, id *tfprotov6.ResourceIdentityData) {
		t.Helper()
		if got := p.identityOf(typeName, id); got == nil || !got["order_id"].Equal(str(res.OrderID)) {
			t.Fatalf("%s: identity %v, want order_id %q", step, got, res.OrderID)
		}
	}
	imported, err := p.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName, Identity: p.identityData(typeName, map[string]tftypes.Value{"order_id": str(res.OrderID)}),
	})
	if err != nil || hasProtoError(imported.Diagnostics) {
		t.Fatalf("import by identity: %v %v", err, imported.Diagnostics)
	}
	ir := imported.ImportedResources[0]
	expect("import", ir.Identity)
	read, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: ir.State, Private: ir.Private, CurrentIdentity: ir.Identity})
	if err != nil || hasProtoError(read.Diagnostics) {
		t.Fatalf("read after import: %v %v", err, read.Diagnostics)
	}
	expect("read after import", read.NewIdentity)
	if got := p.attrs(typeName, read.NewState)["representative_certificate_no"]; got.IsNull() {
		t.Fatal("read after import: no representative certificate: the import did not lead to the order")
	}
	again, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: read.NewState, Private: read.Private})
	if err != nil || hasProtoError(again.Diagnostics) {
		t.Fatalf("read without a prior identity: %v %v", err, again.Diagnostics)
	}
	expect("read without a prior identity", again.NewIdentity)

	bad, err := p.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName, Identity: p.identityData(typeName, map[string]tftypes.Value{"order_id": str("order-1")}),
	})
	if err != nil || !hasProtoError(bad.Diagnostics) || !strings.Contains(bad.Diagnostics[0].Detail, "identity.order_id: expected the order id") {
		t.Fatalf("import of order id %q: %v %+v, want the order id check", "order-1", err, bad.Diagnostics)
	}
}

func itoa(n int64) string { return big.NewInt(n).String() }

// An order request whose outcome was unknown leaves a name-only state that a refresh keeps
// (with a warning) while no order answers to it: its identity is the placeholder "", never the
// framework's "Missing Resource Identity After Read". The refresh that finds the order then
// replaces the placeholder with the order id (the order's identity is declared mutable).
func TestIdentity_advancedOrderUnconfirmed(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newProtoServer(t, m)
	ctx := context.Background()
	const typeName = "ncloudcert_advanced_order"
	schema := p.schemas[typeName]
	state := p.dynamic(schema.ValueType(), p.object(schema, map[string]tftypes.Value{
		"name": str("acc-id-lost"), "type": str("advanced_dv"), "common_name": str("lost.example.com"),
	}))
	first, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: state})
	if err != nil || hasProtoError(first.Diagnostics) || len(first.Diagnostics) == 0 {
		t.Fatalf("read before the order exists: %v %+v, want the order-not-found warning only", err, first.Diagnostics)
	}
	if got := p.identityOf(typeName, first.NewIdentity); got == nil || !got["order_id"].Equal(str("")) {
		t.Fatalf("read before the order exists: identity %v, want the placeholder order_id \"\"", got)
	}
	csr, _ := testOrderCSR(t, "lost.example.com")
	res, err := m.client(t).RequestAdvancedCertificate(ctx, client.AdvancedRequest{
		Type: client.AdvancedDV, Name: "acc-id-lost", CommonName: "lost.example.com", CSR: csr, ValidationMethod: "D", RequestToken: "token-lost",
	})
	if err != nil {
		t.Fatal(err)
	}
	second, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: first.NewState, CurrentIdentity: first.NewIdentity})
	if err != nil || hasProtoError(second.Diagnostics) {
		t.Fatalf("read once the order exists: %v %+v", err, second.Diagnostics)
	}
	if got := p.identityOf(typeName, second.NewIdentity); got == nil || !got["order_id"].Equal(str(res.OrderID)) {
		t.Fatalf("read once the order exists: identity %v, want order_id %q", got, res.OrderID)
	}
}

// Each certificate-number resource answers identity {certificate_no} after an import by id
// and after the read that follows it, also when the CLI sends no identity (Terraform < 1.12).
func TestIdentity_certificateResourcesImportAndRead(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newProtoServer(t, m)
	ctx := context.Background()
	basic := testIssuedCloudCertificate(t, m, client.CloudBasic, "identity-basic")
	keyed, _ := testAdvancedCertificate(t, m, "identity-keyed", true)
	for typeName, no := range map[string]int64{
		"ncloudcert_issued_certificate":      basic,
		"ncloudcert_certificate_validation":  basic,
		"ncloudcert_certificate_private_key": keyed,
	} {
		p.importAndRead(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: itoa(no)}, "certificate_no", no)
	}
}

// A create whose answer was lost fails with a name-only state and no identity (never a
// placeholder that the refresh finding the certificate would have to change); that refresh
// then records the certificate's number.
func TestIdentity_externalCreateOutcomeUnknown(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newProtoServer(t, m)
	ctx := context.Background()
	const typeName = "ncloudcert_external_certificate"
	schema := p.schemas[typeName]
	typ := schema.ValueType()
	ca := testCertificateAuthority(t)
	leaf := ca.issue(t, "lost-answer.example.com", nil)
	cfg := p.dynamic(typ, p.object(schema, map[string]tftypes.Value{
		"name": str("acc-id-lost"), "certificate_pem": str(leaf.certPEM),
		"certificate_chain_pem": str(ca.intermediatePEM), "private_key_pem": str(leaf.keyPEM),
	}))
	prior := p.dynamic(typ, tftypes.NewValue(typ, nil))
	plan, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: prior, ProposedNewState: cfg, Config: cfg})
	if err != nil || hasProtoError(plan.Diagnostics) {
		t.Fatalf("plan: %v %v", err, plan.Diagnostics)
	}
	m.AddFault(mockserver.Fault{Operation: mockserver.OpCreateExternalCertificate, Count: 1, Drop: true, AfterCommit: true})
	m.AddFault(mockserver.Fault{Operation: mockserver.OpGetCertificateList, Count: 1 + defaultMaxRetries, Status: 503})
	created, err := p.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: prior, PlannedState: plan.PlannedState, PlannedPrivate: plan.PlannedPrivate,
		PlannedIdentity: plan.PlannedIdentity, Config: cfg,
	})
	if err != nil || !hasProtoError(created.Diagnostics) {
		t.Fatalf("create: %v %+v, want the unknown-outcome error", err, created.Diagnostics)
	}
	if got := p.identityOf(typeName, created.NewIdentity); got != nil && !got["certificate_no"].IsNull() {
		t.Fatalf("create: identity %v, want none while the number is unknown", got)
	}
	read, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: created.NewState, Private: created.Private, CurrentIdentity: created.NewIdentity})
	if err != nil || hasProtoError(read.Diagnostics) {
		t.Fatalf("read: %v %+v", err, read.Diagnostics)
	}
	p.expectNumberIdentity("read", typeName, read.NewIdentity, "certificate_no", m.lastCertificateNo(t))
}

// The EAB credential and the domain resources answer identity {account_id} / {domain_id}
// after an import by identity and after the read that follows it (with no prior identity,
// as Terraform < 1.12 sends); a bad identity is refused with the import id's checks.
func TestIdentity_accountAndDomainImportAndRead(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newProtoServer(t, m)
	ctx := context.Background()
	c := m.client(t)
	eab, err := c.CreateEabCredential(ctx, client.EabCredentialInput{ValidationMode: client.EabModeDNS01,
		CertificateType: client.EabTypeDV, ValidityDays: 90, Alias: "identity-eab"})
	if err != nil {
		t.Fatal(err)
	}
	dom, err := c.RegisterDomain(ctx, client.DomainInput{Domain: "identity.example.com",
		DcvType: client.DcvTypePersistentTXT, IssueType: client.IssueTypeConsole})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		typeName, attr string
		no             int64
	}{
		{"ncloudcert_acme_eab_credential", "account_id", eab.Credential.AccountID},
		{"ncloudcert_domain_validation", "domain_id", dom.ID},
		{"ncloudcert_domain_validation_wait", "domain_id", dom.ID},
	} {
		p.importAndRead(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: tc.typeName,
			Identity: p.identityData(tc.typeName, map[string]tftypes.Value{tc.attr: num(tc.no)})}, tc.attr, tc.no)
		p.expectIdentityRefused(ctx, tc.typeName, tc.attr, -5, "identity."+tc.attr+": expected ")
	}
}

// importAndRead imports (by id or identity), then reads with no prior identity (as Terraform
// < 1.12 sends); the imported id and both identities must be {attr = no}.
func (p *protoServer) importAndRead(ctx context.Context, req *tfprotov6.ImportResourceStateRequest, attr string, no int64) {
	p.t.Helper()
	typeName := req.TypeName
	imported, err := p.srv.ImportResourceState(ctx, req)
	if err != nil || hasProtoError(imported.Diagnostics) {
		p.t.Fatalf("%s: import: %v %+v", typeName, err, imported.Diagnostics)
	}
	ir := imported.ImportedResources[0]
	p.expectNumberIdentity(typeName+" import", typeName, ir.Identity, attr, no)
	if got := p.attrs(typeName, ir.State)["id"]; !got.Equal(str(itoa(no))) {
		p.t.Fatalf("%s: imported id %v, want %d", typeName, got, no)
	}
	read, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: ir.State, Private: ir.Private})
	if err != nil || hasProtoError(read.Diagnostics) {
		p.t.Fatalf("%s: read: %v %+v", typeName, err, read.Diagnostics)
	}
	p.expectNumberIdentity(typeName+" read", typeName, read.NewIdentity, attr, no)
}

// expectIdentityRefused imports by identity {attr = v} and expects the import id's checks to
// refuse it: "Invalid import identity", with detail holding want.
func (p *protoServer) expectIdentityRefused(ctx context.Context, typeName, attr string, v int64, want string) {
	p.t.Helper()
	bad, err := p.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName, Identity: p.identityData(typeName, map[string]tftypes.Value{attr: num(v)}),
	})
	if err != nil || !hasProtoError(bad.Diagnostics) || bad.Diagnostics[0].Summary != "Invalid import identity" ||
		!strings.Contains(bad.Diagnostics[0].Detail, want) {
		p.t.Fatalf("%s: import of identity %s = %d: %v %+v, want %q", typeName, attr, v, err, bad.Diagnostics, want)
	}
}
