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
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/pflag"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Keys of the credentials Secret, the same the operator reads (API.md).
const (
	keyAccountSID   = "accountSid"
	keyAuthToken    = "authToken"
	keyAPIKeySID    = "apiKeySid"
	keyAPIKeySecret = "apiKeySecret"
	keyRegion       = "region"
	keyEdge         = "edge"
)

// Environment variables, named as Twilio's CLI and helper libraries name them.
const (
	envAccountSID = "TWILIO_ACCOUNT_SID"
	envAuthToken  = "TWILIO_AUTH_TOKEN"
	envAPIKey     = "TWILIO_API_KEY"
	envAPISecret  = "TWILIO_API_SECRET"
	envRegion     = "TWILIO_REGION"
	envEdge       = "TWILIO_EDGE"
)

// taskRouterFlags are the flags of the subcommands that call TaskRouter.
type taskRouterFlags struct {
	credentials        string
	taskRouterBaseURL  baseURLFlag
	eventBridgeBaseURL baseURLFlag
	// qps paces the plugin's calls, as --api-qps paces the manager's.
	qps float64
}

func (f *taskRouterFlags) bind(fs *pflag.FlagSet) {
	fs.StringVar(&f.credentials, "credentials", "", fmt.Sprintf(
		"Secret with the Twilio credentials, as NAMESPACE/NAME or NAME in the current namespace, with the operator's keys "+
			"(%s, %s, optionally %s and %s, %s and %s); without it the credentials come from %s with %s, or with %s and %s "+
			"(and %s with %s for a Twilio Region)",
		keyAccountSID, keyAuthToken, keyAPIKeySID, keyAPIKeySecret, keyRegion, keyEdge,
		envAccountSID, envAuthToken, envAPIKey, envAPISecret, envRegion, envEdge))
	f.taskRouterBaseURL = baseURLFlag{url: capability.DefaultTaskRouterBaseURL}
	fs.Var(&f.taskRouterBaseURL, "taskrouter-base-url",
		"TaskRouter REST API base URL, e.g. a taskrouter-emulator's http://127.0.0.1:8080; given, it wins over the credentials' region and edge")
	f.eventBridgeBaseURL = baseURLFlag{url: capability.DefaultEventBridgeBaseURL}
	fs.Var(&f.eventBridgeBaseURL, "event-bridge-base-url",
		"event-bridge base URL, for calls made with capability tokens; given, it wins over the credentials' region and edge")
	fs.Float64Var(&f.qps, "api-qps", taskrouter.DefaultQPS,
		"ceiling on TaskRouter calls per second; below it the pace starts at 10/s and follows the account's rate-limit headers and 429s, as the manager's does")
}

// baseURLFlag is a base-URL flag that remembers whether it was given: given (even at its default
// value) it overrides the credentials' region and edge, as the manager's flag does; left out, the
// region and edge decide and the default serves credentials that name none.
type baseURLFlag struct {
	url   string
	given bool
}

func (b *baseURLFlag) String() string { return b.url }

// Set is called only for a flag on the command line.
func (b *baseURLFlag) Set(v string) error {
	b.url, b.given = v, true
	return nil
}

func (b *baseURLFlag) Type() string { return "string" }

// override is the URL when given, else "" (no override).
func (b baseURLFlag) override() string {
	if b.given {
		return b.url
	}
	return ""
}

// credentialNames names each credential in the terms of where it comes from,
// so an error says exactly what to set.
type credentialNames struct {
	source                                         string
	accountSID, authToken, apiKeySID, apiKeySecret string
	region                                         taskrouter.RegionKeys
}

var envNames = credentialNames{"the environment", envAccountSID, envAuthToken, envAPIKey, envAPISecret,
	taskrouter.RegionKeys{Region: envRegion, Edge: envEdge}}

func secretNames(ref string) credentialNames {
	return credentialNames{"Secret " + ref, keyAccountSID, keyAuthToken, keyAPIKeySID, keyAPIKeySecret, taskrouter.SecretRegionKeys}
}

// credentials resolves the TaskRouter credentials: from the Secret named by
// --credentials (read from the cluster, the only time a subcommand that
// calls TaskRouter needs one), else from the environment.
func (f *taskRouterFlags) resolveCredentials(ctx context.Context, kube *kubeFlags, getenv func(string) string) (taskrouter.Credentials, error) {
	if f.credentials == "" {
		return credentialsFromEnv(getenv)
	}
	namespace, name, err := f.secretRef(kube)
	if err != nil {
		return taskrouter.Credentials{}, err
	}
	secret, err := kube.readSecret(ctx, namespace, name)
	if err != nil {
		return taskrouter.Credentials{}, err
	}
	return credentialsFromSecret(secret.Data, namespace+"/"+name)
}

// secretRef splits --credentials into namespace and name; a bare name is in the current namespace.
func (f *taskRouterFlags) secretRef(kube *kubeFlags) (namespace, name string, err error) {
	namespace, name, qualified := strings.Cut(f.credentials, "/")
	if !qualified {
		name = namespace
		if namespace, err = kube.currentNamespace(); err != nil {
			return "", "", err
		}
	}
	if namespace == "" || name == "" || strings.Contains(name, "/") {
		return "", "", usageError(fmt.Errorf("--credentials %q: want NAMESPACE/NAME or NAME, e.g. --credentials taskrouter/twilio-credentials", f.credentials))
	}
	return namespace, name, nil
}

func credentialsFromEnv(getenv func(string) string) (taskrouter.Credentials, error) {
	creds := taskrouter.Credentials{
		AccountSID:   getenv(envAccountSID),
		AuthToken:    getenv(envAuthToken),
		APIKeySID:    getenv(envAPIKey),
		APIKeySecret: getenv(envAPISecret),
		Region:       getenv(envRegion),
		Edge:         getenv(envEdge),
	}
	if creds == (taskrouter.Credentials{}) {
		return creds, fmt.Errorf("no TaskRouter credentials: pass --credentials NAMESPACE/NAME (a Secret with the keys %s and %s, as the operator uses) or set %s and %s (or %s and %s)",
			keyAccountSID, keyAuthToken, envAccountSID, envAuthToken, envAPIKey, envAPISecret)
	}
	return creds, checkCredentials(creds, envNames)
}

func credentialsFromSecret(data map[string][]byte, ref string) (taskrouter.Credentials, error) {
	creds := taskrouter.Credentials{
		AccountSID:   string(data[keyAccountSID]),
		AuthToken:    string(data[keyAuthToken]),
		APIKeySID:    string(data[keyAPIKeySID]),
		APIKeySecret: string(data[keyAPIKeySecret]),
		Region:       string(data[keyRegion]),
		Edge:         string(data[keyEdge]),
	}
	return creds, checkCredentials(creds, secretNames(ref))
}

// checkCredentials refuses incomplete credentials, naming every missing or
// malformed one. Either the auth token or the API key pair is enough: the
// plugin calls TaskRouter with Basic auth.
func checkCredentials(c taskrouter.Credentials, n credentialNames) error {
	var problems []string
	switch {
	case c.AccountSID == "":
		problems = append(problems, n.accountSID+" is not set")
	case !strings.HasPrefix(c.AccountSID, "AC"):
		problems = append(problems, n.accountSID+" must start with AC")
	}
	switch {
	case c.APIKeySID != "" && c.APIKeySecret == "":
		problems = append(problems, fmt.Sprintf("%s is set but %s is not", n.apiKeySID, n.apiKeySecret))
	case c.APIKeySID == "" && c.APIKeySecret != "":
		problems = append(problems, fmt.Sprintf("%s is set but %s is not", n.apiKeySecret, n.apiKeySID))
	case c.APIKeySID == "" && c.AuthToken == "":
		problems = append(problems, fmt.Sprintf("set %s, or %s and %s", n.authToken, n.apiKeySID, n.apiKeySecret))
	case c.APIKeySID != "" && !strings.HasPrefix(c.APIKeySID, "SK"):
		problems = append(problems, n.apiKeySID+" must start with SK")
	}
	if err := taskrouter.CheckRegion(c.Region, c.Edge, n.region); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return fmt.Errorf("credentials from %s: %s", n.source, strings.Join(problems, "; "))
	}
	return nil
}

// account opens the TaskRouter account with the manager's client. The
// plugin uses Basic auth (the API key when there is one, else the auth
// token): listing and creating workspaces, which export needs, is refused to
// capability tokens.
func (f *taskRouterFlags) account(ctx context.Context, kube *kubeFlags, getenv func(string) string) (*taskrouter.Account, error) {
	for flag, value := range map[string]string{"--taskrouter-base-url": f.taskRouterBaseURL.url, "--event-bridge-base-url": f.eventBridgeBaseURL.url} {
		if u, err := url.Parse(value); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, usageError(fmt.Errorf("%s %q: want an http:// or https:// URL", flag, value))
		}
	}
	if f.qps <= 0 {
		return nil, usageError(fmt.Errorf("--api-qps %v: want a number of calls per second above 0, e.g. --api-qps 10", f.qps))
	}
	creds, err := f.resolveCredentials(ctx, kube, getenv)
	if err != nil {
		return nil, err
	}
	client := taskrouter.New(taskrouter.Config{
		TaskRouterBaseURL:  f.taskRouterBaseURL.url,
		EventBridgeBaseURL: f.eventBridgeBaseURL.url,
		Override:           capability.URLs{TaskRouter: f.taskRouterBaseURL.override(), EventBridge: f.eventBridgeBaseURL.override()},
		UserAgent:          fmt.Sprintf(userAgentFmt, taskrouter.Version),
		QPS:                f.qps,
		Burst:              max(1, int(f.qps)),
	})
	return client.Account(creds, taskrouter.AuthBasic)
}
