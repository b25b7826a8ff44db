// Command terraform-provider-ncloudcert serves the provider over protocol 6.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run with support for debuggers like delve")
	flag.Parse()

	quietUnreadLogs()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/ncloudcert/ncloudcert",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// Levels of the plugin's loggers, as terraform-plugin-log reads them: the SDK
// root logger (terraform-plugin-go), its protocol and framework subsystems,
// and the provider's own tflog logger (TF_LOG_PROVIDER_ + the provider type).
// Unset, each defaults to TRACE: every RPC then formats dozens of JSON lines
// on stderr, which Terraform reads and throws away unless TF_LOG or
// TF_LOG_PROVIDER asks for them (~28% of the plugin's CPU on a large plan).
var unreadLogLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_NCLOUDCERT"}

// quietUnreadLogs turns those loggers off when no TF_LOG* variable at all is
// set (TF_LOG, TF_LOG_PROVIDER, TF_LOG_PATH, TF_LOG_SDK*, ...): nobody will
// read their lines. Any such variable leaves logging exactly as the SDK sets
// it, so TF_LOG=trace shows everything as before. Errors still reach
// Terraform as diagnostics, and a crash's stack trace is written to stderr
// by the Go runtime, not through these loggers.
func quietUnreadLogs() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range unreadLogLevels {
		_ = os.Setenv(name, "off")
	}
}
