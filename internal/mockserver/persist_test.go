package mockserver

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStateFileRoundTrip(t *testing.T) {
	p := getPKI(t)
	path := filepath.Join(t.TempDir(), "state.json")

	a := newEnv(t, Options{StateFile: path})
	first := a.create("keep-one", p.rsaLeaf)
	second := a.create("keep-two", p.ecLeaf)
	third := a.create("drop-me", p.ecLeaf)
	if err := a.srv.SetInUse(first, "111", "222"); err != nil {
		t.Fatal(err)
	}
	if err := a.srv.SetStatus(second, "REVOKE"); err != nil {
		t.Fatal(err)
	}
	wantOK(t, a.signed("DELETE", "/api/v1/certificate/100003?certificateName=drop-me", nil))

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	if leftovers, _ := filepath.Glob(path + ".tmp-*"); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	b := newEnv(t, Options{StateFile: path})
	if got := b.srv.Stats().Certificates; got != 2 {
		t.Fatalf("reloaded %d certificates, want 2", got)
	}
	want, _ := a.srv.Certificate(first)
	got, ok := b.srv.Certificate(first)
	if !ok || got.Name != want.Name || got.SerialNumber != want.SerialNumber || got.CertificatePEM != want.CertificatePEM ||
		got.ChainPEM != want.ChainPEM || len(got.InstanceNos) != 2 || !got.RegisteredAt.Equal(want.RegisteredAt) {
		t.Fatalf("reloaded %+v, want %+v", got, want)
	}
	if info, _ := b.srv.Certificate(second); info.StatusName != "REVOKE" {
		t.Errorf("forced status lost: %s", info.StatusName)
	}
	// Numbers keep counting past the deleted one; names stay unique.
	if no := b.create("keep-three", p.ecLeaf); no != third+1 {
		t.Errorf("next number %d, want %d", no, third+1)
	}
	wantCode(t, b.signed("POST", "/api/v1/certificate/withExternal", v1Body("keep-one", p.ecLeaf, p.chainPEM)), 400, codeValidation, msgNameTaken)

	// Reset empties the file too.
	b.srv.Reset()
	c := newEnv(t, Options{StateFile: path})
	if got := c.srv.Stats().Certificates; got != 0 {
		t.Errorf("after reset: %d certificates", got)
	}
}

func TestStateFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StateFile: bad}); err == nil {
		t.Error("New accepted a corrupt state file")
	}
	if err := os.WriteFile(bad, []byte(`{"version":99}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StateFile: bad}); err == nil {
		t.Error("New accepted an unknown state version")
	}
	// A missing file is an empty store; Save without a state file does nothing.
	s, err := New(Options{StateFile: filepath.Join(dir, "new.json")})
	if err != nil || s.Stats().Certificates != 0 {
		t.Fatalf("missing state file: %v", err)
	}
	s2, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Save(); err != nil {
		t.Errorf("Save without StateFile: %v", err)
	}
}
