package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestExportMatchesTerraform checks the exporter against `terraform providers
// schema -json` over the built provider, when the acceptance-test Terraform
// (TF_ACC_TERRAFORM_PATH) is 1.11 or newer: older ones drop write_only.
func TestExportMatchesTerraform(t *testing.T) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		t.Skip("needs TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test sets both)")
	}
	if v := terraformVersion(t, tf); !atLeast(v, 1, 11) {
		t.Skipf("terraform %s is older than 1.11 and omits write_only", v)
	}

	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "bin", "terraform-provider-ncloudcert"), "github.com/ncloudcert/terraform-provider-ncloudcert")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// Both registry hosts: Terraform resolves ncloudcert/ncloudcert on
	// registry.terraform.io, OpenTofu on registry.opentofu.org.
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/ncloudcert/ncloudcert" = %[1]q
    "registry.opentofu.org/ncloudcert/ncloudcert" = %[1]q
  }
  direct {
    exclude = ["registry.terraform.io/*/*", "registry.opentofu.org/*/*"]
  }
}
`, filepath.Join(dir, "bin"))
	mustWrite(t, filepath.Join(dir, "terraformrc"), rc)
	mustWrite(t, filepath.Join(dir, "main.tf"), `terraform {
  required_providers {
    ncloudcert = { source = "ncloudcert/ncloudcert" }
  }
}
`)
	cmd := exec.Command(tf, "providers", "schema", "-json")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "terraformrc"), "CHECKPOINT_DISABLE=1")
	cmd.Stderr = os.Stderr
	tfOut, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform providers schema -json: %v", err)
	}

	var want map[string]any
	if err := json.Unmarshal(tfOut, &want); err != nil {
		t.Fatal(err)
	}
	schemas, _ := want["provider_schemas"].(map[string]any)
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		if s, ok := schemas[host+"/ncloudcert/ncloudcert"]; ok {
			schemas[providerKey] = s
			delete(schemas, host+"/ncloudcert/ncloudcert")
		}
	}

	gotJSON, err := export(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(gotJSON, &got); err != nil {
		t.Fatal(err)
	}
	// Terraform prints resource identity schemas from 1.12 on; an older CLI cannot check ours.
	if w, ok := schemas[providerKey].(map[string]any); ok {
		if _, has := w["resource_identity_schemas"]; !has {
			if g, ok := got["provider_schemas"].(map[string]any)[providerKey].(map[string]any); ok {
				delete(g, "resource_identity_schemas")
			}
		}
	}
	var diffs []string
	diff("", got, want, &diffs)
	if len(diffs) > 0 {
		t.Errorf("the exported schema differs from terraform's:\n%s", strings.Join(diffs, "\n"))
	}
}

func diff(path string, got, want any, out *[]string) {
	g, gok := got.(map[string]any)
	w, wok := want.(map[string]any)
	if !gok || !wok {
		if !reflect.DeepEqual(got, want) {
			*out = append(*out, fmt.Sprintf("%s: got %v, terraform has %v", path, got, want))
		}
		return
	}
	keys := map[string]bool{}
	for k := range g {
		keys[k] = true
	}
	for k := range w {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		diff(path+"/"+k, g[k], w[k], out)
	}
}

func terraformVersion(t *testing.T, tf string) string {
	t.Helper()
	out, err := exec.Command(tf, "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	return v.Version
}

func atLeast(version string, major, minor int) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || (ma == major && mi >= minor)
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
