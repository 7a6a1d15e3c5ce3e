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

package webhook

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"maps"
	"strings"
	"testing"
	"time"
)

var (
	start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hosts = ServiceHosts("taskrouter-operator-webhook-service", "taskrouter-operator-system")
)

func mustRefresh(t *testing.T, data map[string][]byte, hosts []string, now time.Time) (map[string][]byte, time.Time) {
	t.Helper()
	next, renewAt, err := refresh(data, hosts, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := servingKeyPair(next, hosts, now); err != nil {
		t.Fatalf("refresh at %s left no usable serving certificate: %v", now, err)
	}
	return next, renewAt
}

// bundleCount counts the CAs the API server is given.
func bundleCount(bundle []byte) int {
	n := 0
	for block, rest := pem.Decode(bundle); block != nil; block, rest = pem.Decode(rest) {
		n++
	}
	return n
}

func notAfter(t *testing.T, certPEM []byte) time.Time {
	t.Helper()
	block, _ := pem.Decode(certPEM)
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c.NotAfter
}

// TestRefreshLifecycle walks ten years of one Secret: issued empty, left alone while good, serving
// certificate renewed before it expires under the same CA, and a CA rotation that keeps trusting
// the old CA until it expires.
func TestRefreshLifecycle(t *testing.T) {
	issued, renewAt := mustRefresh(t, nil, hosts, start)
	if n := bundleCount(issued[caCertKey]); n != 1 {
		t.Fatalf("a new Secret's bundle holds %d CAs, want 1", n)
	}
	if want := notAfter(t, issued[certKey]).Add(-servingRenewBefore); !renewAt.Equal(want) {
		t.Fatalf("renewAt %s, want 90 days before the serving certificate expires (%s)", renewAt, want)
	}

	again, _ := mustRefresh(t, issued, hosts, renewAt.Add(-time.Minute))
	if !sameData(issued, again) {
		t.Fatal("a Secret good for a while yet was rewritten")
	}

	renewed, _ := mustRefresh(t, issued, hosts, renewAt.Add(time.Minute))
	if bytes.Equal(renewed[certKey], issued[certKey]) {
		t.Fatal("the serving certificate was not renewed when due")
	}
	if !bytes.Equal(renewed[caCertKey], issued[caCertKey]) || !bytes.Equal(renewed[caKeyKey], issued[caKeyKey]) {
		t.Fatal("renewing the serving certificate changed the CA: the caBundle would have to follow")
	}

	// Years later the CA itself is due: a new one signs, the old one stays in the bundle.
	caDue := notAfter(t, issued[caCertKey]).Add(-caRenewBefore).Add(time.Hour)
	lastBeforeRotation, _ := mustRefresh(t, renewed, hosts, caDue.Add(-24*time.Hour))
	if !bytes.Equal(lastBeforeRotation[caKeyKey], issued[caKeyKey]) {
		t.Fatal("the CA was replaced before it was due")
	}
	rotated, renewAt := mustRefresh(t, lastBeforeRotation, hosts, caDue)
	if bytes.Equal(rotated[caKeyKey], issued[caKeyKey]) || bundleCount(rotated[caCertKey]) != 2 {
		t.Fatalf("CA due: new key %v, %d CAs in the bundle; want a new CA and the old one kept", !bytes.Equal(rotated[caKeyKey], issued[caKeyKey]), bundleCount(rotated[caCertKey]))
	}
	// A replica still serving the previous certificate is trusted by the new bundle.
	stale := maps.Clone(lastBeforeRotation)
	stale[caCertKey] = rotated[caCertKey]
	if _, err := servingKeyPair(stale, hosts, caDue); err != nil {
		t.Fatalf("the old serving certificate is not trusted by the bundle during the CA rotation: %v", err)
	}
	oldCAExpiry := notAfter(t, issued[caCertKey])
	if renewAt.After(oldCAExpiry) {
		t.Fatalf("renewAt %s is after the old CA's expiry %s, when it leaves the bundle", renewAt, oldCAExpiry)
	}

	pruned, _ := mustRefresh(t, rotated, hosts, oldCAExpiry.Add(time.Second))
	if bundleCount(pruned[caCertKey]) != 1 || !bytes.Equal(pruned[caKeyKey], rotated[caKeyKey]) {
		t.Fatalf("after the old CA expired the bundle holds %d CAs, want only the current one", bundleCount(pruned[caCertKey]))
	}
}

// TestRefreshRepairs: whatever is wrong with the Secret, refresh leaves it serving, and keeps the
// CA when the CA is fine, so the caBundle need not change.
func TestRefreshRepairs(t *testing.T) {
	good, _ := mustRefresh(t, nil, hosts, start)
	other, _ := mustRefresh(t, nil, hosts, start)
	cases := []struct {
		name   string
		edit   func(map[string][]byte)
		hosts  []string
		keepCA bool
	}{
		{"empty Secret", func(d map[string][]byte) { clear(d) }, hosts, false},
		{"garbage CA", func(d map[string][]byte) { d[caCertKey] = []byte("not PEM") }, hosts, false},
		{"CA key of another CA", func(d map[string][]byte) { d[caKeyKey] = other[caKeyKey] }, hosts, false},
		{"serving key of another certificate", func(d map[string][]byte) { d[keyKey] = other[keyKey] }, hosts, true},
		{"serving certificate of another CA", func(d map[string][]byte) { d[certKey], d[keyKey] = other[certKey], other[keyKey] }, hosts, true},
		{"serving certificate missing", func(d map[string][]byte) { delete(d, certKey) }, hosts, true},
		{"the Service was renamed", func(map[string][]byte) {}, ServiceHosts("renamed", "taskrouter-operator-system"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := maps.Clone(good)
			tc.edit(data)
			next, _ := mustRefresh(t, data, tc.hosts, start)
			if kept := bytes.Equal(next[caKeyKey], good[caKeyKey]); kept != tc.keepCA {
				t.Fatalf("CA kept: %v, want %v", kept, tc.keepCA)
			}
		})
	}
}

func TestServingKeyPairRefuses(t *testing.T) {
	good, _ := mustRefresh(t, nil, hosts, start)
	other, _ := mustRefresh(t, nil, hosts, start)
	cases := []struct {
		name  string
		data  map[string][]byte
		hosts []string
		now   time.Time
		want  string
	}{
		{"an empty Secret", nil, hosts, start, "tls.crt and tls.key"},
		{"a certificate the bundle does not trust", map[string][]byte{caCertKey: other[caCertKey], certKey: good[certKey], keyKey: good[keyKey]}, hosts, start, "does not serve"},
		{"another host", good, []string{"elsewhere.example.com"}, start, "does not serve elsewhere.example.com"},
		{"expired", good, hosts, start.Add(servingValidity + time.Hour), "does not serve"},
		{"no CA", map[string][]byte{certKey: good[certKey], keyKey: good[keyKey]}, hosts, start, "ca.crt holds no certificate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := servingKeyPair(tc.data, tc.hosts, tc.now); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("servingKeyPair: %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestIPHosts(t *testing.T) {
	data, _ := mustRefresh(t, nil, []string{"127.0.0.1"}, start)
	block, _ := pem.Decode(data[certKey])
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.IPAddresses) != 1 || len(c.DNSNames) != 0 {
		t.Fatalf("an IP host became DNS names %v and IPs %v", c.DNSNames, c.IPAddresses)
	}
	if _, _, err := refresh(nil, nil, start); err == nil {
		t.Fatal("a serving certificate for no host was issued")
	}
}
