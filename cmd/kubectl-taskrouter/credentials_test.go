/*
Copyright 2026 The taskrouter-operator Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestCredentialsFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    taskrouter.Credentials
		wantErr string
	}{
		{"auth token", map[string]string{envAccountSID: "AC1", envAuthToken: "token"},
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token"}, ""},
		{"API key", map[string]string{envAccountSID: "AC1", envAPIKey: "SK1", envAPISecret: "secret"},
			taskrouter.Credentials{AccountSID: "AC1", APIKeySID: "SK1", APIKeySecret: "secret"}, ""},
		{"nothing", nil, taskrouter.Credentials{},
			"no TaskRouter credentials: pass --credentials NAMESPACE/NAME (a Secret with the keys accountSid and authToken, as the operator uses) or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)"},
		{"no account", map[string]string{envAuthToken: "token"}, taskrouter.Credentials{AuthToken: "token"},
			"credentials from the environment: TWILIO_ACCOUNT_SID is not set"},
		{"no token", map[string]string{envAccountSID: "AC1"}, taskrouter.Credentials{AccountSID: "AC1"},
			"credentials from the environment: set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET"},
		{"half an API key", map[string]string{envAccountSID: "AC1", envAuthToken: "token", envAPIKey: "SK1"},
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", APIKeySID: "SK1"},
			"credentials from the environment: TWILIO_API_KEY is set but TWILIO_API_SECRET is not"},
		{"a Twilio Region", map[string]string{envAccountSID: "AC1", envAuthToken: "token", envRegion: "ie1", envEdge: "dublin"},
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", Region: "ie1", Edge: "dublin"}, ""},
		{"a region without its edge", map[string]string{envAccountSID: "AC1", envAuthToken: "token", envRegion: "ie1"},
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", Region: "ie1"},
			`credentials from the environment: TWILIO_REGION "ie1" is set but TWILIO_EDGE is not: set TWILIO_EDGE to dublin`},
		{"an edge without its region", map[string]string{envAccountSID: "AC1", envAuthToken: "token", envEdge: "dublin"},
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", Edge: "dublin"},
			`credentials from the environment: TWILIO_EDGE "dublin" is set but TWILIO_REGION is not: set TWILIO_REGION to ie1 or us1`},
		{"malformed sids", map[string]string{envAccountSID: "WS1", envAPIKey: "AK1", envAPISecret: "secret"},
			taskrouter.Credentials{AccountSID: "WS1", APIKeySID: "AK1", APIKeySecret: "secret"},
			"credentials from the environment: TWILIO_ACCOUNT_SID must start with AC; TWILIO_API_KEY must start with SK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := credentialsFromEnv(func(key string) string { return tt.env[key] })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, errorText(err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCredentialsFromSecret(t *testing.T) {
	tests := []struct {
		name    string
		data    map[string][]byte
		want    taskrouter.Credentials
		wantErr string
	}{
		{"every key", map[string][]byte{"accountSid": []byte("AC1"), "authToken": []byte("token"), "apiKeySid": []byte("SK1"), "apiKeySecret": []byte("secret")},
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", APIKeySID: "SK1", APIKeySecret: "secret"}, ""},
		{"empty", nil, taskrouter.Credentials{},
			"credentials from Secret ops/twilio: accountSid is not set; set authToken, or apiKeySid and apiKeySecret"},
		{"half an API key", map[string][]byte{"accountSid": []byte("AC1"), "apiKeySecret": []byte("secret")},
			taskrouter.Credentials{AccountSID: "AC1", APIKeySecret: "secret"},
			"credentials from Secret ops/twilio: apiKeySecret is set but apiKeySid is not"},
		{"a Twilio Region", map[string][]byte{"accountSid": []byte("AC1"), "authToken": []byte("token"), "region": []byte("ie1"), "edge": []byte("dublin")},
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", Region: "ie1", Edge: "dublin"}, ""},
		{"a pair that does not exist", map[string][]byte{"accountSid": []byte("AC1"), "authToken": []byte("token"), "region": []byte("ie1"), "edge": []byte("sydney")},
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", Region: "ie1", Edge: "sydney"},
			`credentials from Secret ops/twilio: edge "sydney" does not reach region "ie1": set edge to dublin`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := credentialsFromSecret(tt.data, "ops/twilio")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, errorText(err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSecretRef(t *testing.T) {
	tests := []struct {
		flag, namespace         string
		wantNamespace, wantName string
		wantErr                 string
	}{
		{"ops/twilio", "", "ops", "twilio", ""},
		{"twilio", "team-a", "team-a", "twilio", ""},
		{"ops/", "", "", "", `--credentials "ops/": want NAMESPACE/NAME or NAME, e.g. --credentials taskrouter/twilio-credentials`},
		{"a/b/c", "", "", "", `--credentials "a/b/c": want NAMESPACE/NAME or NAME, e.g. --credentials taskrouter/twilio-credentials`},
	}
	for _, tt := range tests {
		t.Run(tt.flag, func(t *testing.T) {
			f := taskRouterFlags{credentials: tt.flag}
			// -n decides a bare name's namespace without reading a kubeconfig.
			namespace, name, err := f.secretRef(&kubeFlags{namespace: tt.namespace})
			if namespace != tt.wantNamespace || name != tt.wantName || errorText(err) != tt.wantErr {
				t.Errorf("secretRef(%q) = %q, %q, %v; want %q, %q, %q", tt.flag, namespace, name, err, tt.wantNamespace, tt.wantName, tt.wantErr)
			}
			var exit *exitError
			if err != nil && (!errors.As(err, &exit) || exit.code != exitUsage) {
				t.Errorf("error %v is not a usage error", err)
			}
		})
	}
}

// The account the plugin opens talks to TaskRouter with the manager's client:
// here to the emulator named by --taskrouter-base-url, with credentials from
// the environment.
func TestAccountReachesTheEmulator(t *testing.T) {
	server := httptest.NewServer(emulator.New(emulator.Config{}))
	defer server.Close()
	flags := taskRouterFlags{taskRouterBaseURL: baseURLFlag{server.URL, true}, eventBridgeBaseURL: baseURLFlag{server.URL, true}, qps: 1000}
	env := map[string]string{envAccountSID: emulator.DevAccountSID, envAPIKey: emulator.DevAPIKeySID, envAPISecret: emulator.DevAPIKeySecret}
	ctx := context.Background()
	account, err := flags.account(ctx, &kubeFlags{}, func(key string) string { return env[key] })
	if err != nil {
		t.Fatal(err)
	}
	created, err := account.Workspaces().Create(ctx, taskrouter.WorkspaceParams{FriendlyName: taskrouter.Ptr("Acme")})
	if err != nil {
		t.Fatal(err)
	}
	listed, err := account.Workspaces().List(ctx, "Acme")
	if err != nil || len(listed) != 1 || listed[0].SID != created.SID {
		t.Errorf("ListWorkspaces = %v, %v; want the workspace %s", listed, err, created.SID)
	}

	env[envAPISecret] = "wrong"
	account, err = flags.account(ctx, &kubeFlags{}, func(key string) string { return env[key] })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := account.Workspaces().List(ctx, ""); !taskrouter.IsUnauthorized(err) {
		t.Errorf("with a wrong API key secret: %v, want unauthorized", err)
	}
}

// The base-URL flags work as the manager's: given on the command line they win over the
// credentials' region and edge, host by host; left out, the region decides.
func TestBaseURLFlagsOverrideTheRegion(t *testing.T) {
	env := map[string]string{envAccountSID: "AC1", envAuthToken: "token", envRegion: "ie1", envEdge: "dublin"}
	tests := []struct {
		name string
		args []string
		want capability.URLs
	}{
		{"no flags: the region's hosts", nil,
			capability.URLs{TaskRouter: "https://taskrouter.dublin.ie1.twilio.com", EventBridge: "https://event-bridge.ie1.twilio.com"}},
		{"both flags: the emulator", []string{"--taskrouter-base-url", "http://127.0.0.1:8080", "--event-bridge-base-url", "http://127.0.0.1:8080"},
			capability.URLs{TaskRouter: "http://127.0.0.1:8080", EventBridge: "http://127.0.0.1:8080"}},
		{"given at the default, still given", []string{"--taskrouter-base-url", "https://taskrouter.twilio.com"},
			capability.URLs{TaskRouter: "https://taskrouter.twilio.com", EventBridge: "https://event-bridge.ie1.twilio.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f taskRouterFlags
			fs := pflag.NewFlagSet("export", pflag.ContinueOnError)
			f.bind(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			account, err := f.account(context.Background(), &kubeFlags{}, func(key string) string { return env[key] })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, account.URLs()); diff != "" {
				t.Errorf("account hosts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAccountRefusesABadBaseURL(t *testing.T) {
	flags := taskRouterFlags{taskRouterBaseURL: baseURLFlag{"taskrouter.example.com", true}, eventBridgeBaseURL: baseURLFlag{"https://event-bridge.twilio.com", false}, qps: 10}
	_, err := flags.account(context.Background(), &kubeFlags{}, func(string) string { return "" })
	want := `--taskrouter-base-url "taskrouter.example.com": want an http:// or https:// URL`
	var exit *exitError
	if errorText(err) != want || !errors.As(err, &exit) || exit.code != exitUsage {
		t.Errorf("error %v, want the usage error %q", err, want)
	}
}

// The TaskRouter flags export and preview will bind: their names and defaults.
func TestTaskRouterFlags(t *testing.T) {
	var f taskRouterFlags
	fs := pflag.NewFlagSet("export", pflag.ContinueOnError)
	f.bind(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	want := taskRouterFlags{taskRouterBaseURL: baseURLFlag{"https://taskrouter.twilio.com", false}, eventBridgeBaseURL: baseURLFlag{"https://event-bridge.twilio.com", false}, qps: taskrouter.DefaultQPS}
	if diff := cmp.Diff(want, f, cmp.AllowUnexported(taskRouterFlags{}, baseURLFlag{})); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if err := fs.Parse([]string{"--credentials", "ops/twilio", "--taskrouter-base-url", "http://127.0.0.1:8080",
		"--event-bridge-base-url", "http://127.0.0.1:8080", "--api-qps", "2.5"}); err != nil {
		t.Fatal(err)
	}
	want = taskRouterFlags{credentials: "ops/twilio", taskRouterBaseURL: baseURLFlag{"http://127.0.0.1:8080", true},
		eventBridgeBaseURL: baseURLFlag{"http://127.0.0.1:8080", true}, qps: 2.5}
	if diff := cmp.Diff(want, f, cmp.AllowUnexported(taskRouterFlags{}, baseURLFlag{})); diff != "" {
		t.Errorf("parsed (-want +got):\n%s", diff)
	}
}
