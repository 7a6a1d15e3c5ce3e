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

package taskrouter

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

func TestCheckRegion(t *testing.T) {
	tests := []struct {
		name, region, edge string
		wantErr            string
	}{
		{"neither: Twilio's default", "", "", ""},
		{"Ireland", "ie1", "dublin", ""},
		{"US1 through a far edge", "us1", "sydney", ""},
		{"spelled loosely", " IE1\n", "Dublin ", ""},
		{"region without edge", "ie1", "", `region "ie1" is set but edge is not: set edge to dublin`},
		{"US1 without edge", "us1", "", `region "us1" is set but edge is not: ` +
			`set edge to ashburn, dublin, frankfurt, sao-paulo, singapore, sydney, tokyo or umatilla`},
		{"edge without region", "", "dublin", `edge "dublin" is set but region is not: set region to ie1 or us1`},
		{"edge that reaches US1 only", "", "umatilla", `edge "umatilla" is set but region is not: set region to us1`},
		{"unknown edge without region", "", "paris", `edge "paris" is set but region is not: set region to ie1 or us1`},
		{"unknown region", "eu1", "dublin", `region "eu1" is not a Twilio Region: set region to ie1 or us1`},
		{"region without TaskRouter", "au1", "sydney", `region "au1": Twilio does not offer TaskRouter in that Region: set region to ie1 or us1`},
		{"unknown pair", "ie1", "sydney", `edge "sydney" does not reach region "ie1": set edge to dublin`},
		{"legacy region as edge", "ie1", "ie1", `edge "ie1" does not reach region "ie1": set edge to dublin`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRegion(tt.region, tt.edge, SecretRegionKeys)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckRegionNamesTheCallersKeys(t *testing.T) {
	err := CheckRegion("ie1", "", RegionKeys{Region: "TWILIO_REGION", Edge: "TWILIO_EDGE"})
	want := `TWILIO_REGION "ie1" is set but TWILIO_EDGE is not: set TWILIO_EDGE to dublin`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestAccountURLs(t *testing.T) {
	const emulatorURL = "http://127.0.0.1:8080"
	ireland := Credentials{AccountSID: testAccount, AuthToken: testAuthToken, Region: "ie1", Edge: "dublin"}
	global := Credentials{AccountSID: testAccount, AuthToken: testAuthToken}
	regional := capability.URLs{TaskRouter: "https://taskrouter.dublin.ie1.twilio.com", EventBridge: "https://event-bridge.ie1.twilio.com"}
	tests := []struct {
		name  string
		cfg   Config
		creds Credentials
		want  capability.URLs
	}{
		{"no region: Twilio's global hosts", Config{}, global,
			capability.URLs{TaskRouter: "https://taskrouter.twilio.com", EventBridge: "https://event-bridge.twilio.com"}},
		{"no region: the configured defaults", Config{TaskRouterBaseURL: emulatorURL + "/", EventBridgeBaseURL: emulatorURL}, global,
			capability.URLs{TaskRouter: emulatorURL, EventBridge: emulatorURL}},
		{"a region wins over the defaults", Config{TaskRouterBaseURL: emulatorURL, EventBridgeBaseURL: emulatorURL}, ireland, regional},
		{"US1 through an edge keeps the global event bridge", Config{},
			Credentials{AccountSID: testAccount, AuthToken: testAuthToken, Region: "us1", Edge: "umatilla"},
			capability.URLs{TaskRouter: "https://taskrouter.umatilla.us1.twilio.com", EventBridge: "https://event-bridge.twilio.com"}},
		{"an override wins over the region", Config{Override: capability.URLs{TaskRouter: emulatorURL + "/", EventBridge: emulatorURL}}, ireland,
			capability.URLs{TaskRouter: emulatorURL, EventBridge: emulatorURL}},
		{"an override is host by host", Config{Override: capability.URLs{TaskRouter: "https://proxy.example.com"}}, ireland,
			capability.URLs{TaskRouter: "https://proxy.example.com", EventBridge: regional.EventBridge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, mode := range []AuthMode{AuthBasic, AuthCapabilityToken} {
				a, err := New(tt.cfg).Account(tt.creds, mode)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, a.URLs()); diff != "" {
					t.Errorf("%s account URLs (-want +got):\n%s", mode, diff)
				}
			}
		})
	}
}

func TestAccountRefusesAnInvalidRegionEvenUnderAnOverride(t *testing.T) {
	c := New(Config{Override: capability.URLs{TaskRouter: "http://127.0.0.1:8080", EventBridge: "http://127.0.0.1:8080"}})
	creds := Credentials{AccountSID: testAccount, AuthToken: testAuthToken, Region: "ie1"}
	if _, err := c.Account(creds, AuthCapabilityToken); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("Account error = %v, want ErrInvalidCredentials", err)
	}
	if _, err := c.URLs(creds); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("URLs error = %v, want ErrInvalidCredentials", err)
	}
}
