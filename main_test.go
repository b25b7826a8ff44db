package main

import (
	"os"
	"strings"
	"testing"
)

// clearLogEnv empties every TF_LOG* variable for the test (t.Setenv restores them).
func clearLogEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
			t.Setenv(name, "")
		}
	}
	for _, name := range unreadLogLevels {
		t.Setenv(name, "")
	}
}

func TestQuietUnreadLogs(t *testing.T) {
	t.Run("no TF_LOG variable: SDK and provider loggers off", func(t *testing.T) {
		clearLogEnv(t)
		quietUnreadLogs()
		for _, name := range unreadLogLevels {
			if got := os.Getenv(name); got != "off" {
				t.Errorf("%s=%q, want off", name, got)
			}
		}
	})
	for _, asked := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_NCLOUDCERT"} {
		t.Run(asked+" set: levels untouched", func(t *testing.T) {
			clearLogEnv(t)
			t.Setenv(asked, "trace")
			quietUnreadLogs()
			for _, name := range unreadLogLevels {
				want := ""
				if name == asked {
					want = "trace"
				}
				if got := os.Getenv(name); got != want {
					t.Errorf("%s=%q, want %q", name, got, want)
				}
			}
		})
	}
}
