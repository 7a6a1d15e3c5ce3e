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
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"slices"
	"time"
)

// The keys of the certificate Secret. ca.crt is the bundle the API server trusts: the CA that signs
// tls.crt first, then earlier CAs kept until they expire, so a CA rotation never leaves a replica
// serving a certificate the API server does not trust yet.
const (
	caCertKey = "ca.crt"
	caKeyKey  = "ca.key"
	certKey   = "tls.crt"
	keyKey    = "tls.key"
)

// Lifetimes: a certificate is replaced once less than its renewal margin is left, long before it
// expires, so a manager that was down for a while still renews in time.
const (
	caValidity         = 10 * 365 * 24 * time.Hour
	caRenewBefore      = 365 * 24 * time.Hour
	servingValidity    = 365 * 24 * time.Hour
	servingRenewBefore = 90 * 24 * time.Hour
	// clockSkew back-dates NotBefore, so an API server whose clock is behind accepts a new certificate.
	clockSkew = time.Hour
)

// keyPair is a certificate and its private key, parsed and as PEM.
type keyPair struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
	keyPEM  []byte
}

// refresh returns the Secret data the webhook needs at now for hosts: data itself when its CA and
// serving certificate are good for a while yet, else with what is missing, invalid or due renewed.
// renewAt is when to look again.
func refresh(data map[string][]byte, hosts []string, now time.Time) (next map[string][]byte, renewAt time.Time, err error) {
	ca, caErr := parseKeyPair(data[caCertKey], data[caKeyKey])
	var retired []*x509.Certificate
	if caErr == nil {
		retired = stillValid(trailingCertificates(data[caCertKey]), now)
	}
	if caErr != nil || now.Add(caRenewBefore).After(ca.cert.NotAfter) {
		if caErr == nil && now.Before(ca.cert.NotAfter) {
			retired = append([]*x509.Certificate{ca.cert}, retired...)
		}
		if ca, err = newCA(now); err != nil {
			return nil, time.Time{}, err
		}
	}
	signer := x509.NewCertPool()
	signer.AddCert(ca.cert)
	serving, servingErr := parseKeyPair(data[certKey], data[keyKey])
	if servingErr == nil {
		servingErr = verifyServing(serving.cert, signer, hosts, now.Add(servingRenewBefore))
	}
	if servingErr != nil {
		if serving, err = newServing(ca, hosts, now); err != nil {
			return nil, time.Time{}, err
		}
	}
	bundle := slices.Clone(ca.certPEM)
	renewAt = earliest(ca.cert.NotAfter.Add(-caRenewBefore), serving.cert.NotAfter.Add(-servingRenewBefore))
	for _, c := range retired {
		bundle = append(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
		renewAt = earliest(renewAt, c.NotAfter) // then it leaves the bundle
	}
	return map[string][]byte{caCertKey: bundle, caKeyKey: ca.keyPEM, certKey: serving.certPEM, keyKey: serving.keyPEM}, renewAt, nil
}

// sameData reports whether a and b hold the same certificates and keys.
func sameData(a, b map[string][]byte) bool {
	for _, k := range []string{caCertKey, caKeyKey, certKey, keyKey} {
		if !bytes.Equal(a[k], b[k]) {
			return false
		}
	}
	return true
}

// servingKeyPair is the serving certificate of data when it is usable at now for every host:
// signed by a CA of the bundle, not expired, naming the hosts.
func servingKeyPair(data map[string][]byte, hosts []string, now time.Time) (*tls.Certificate, error) {
	pair, err := parseKeyPair(data[certKey], data[keyKey])
	if err != nil {
		return nil, fmt.Errorf("%s and %s: %w", certKey, keyKey, err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(data[caCertKey]) {
		return nil, fmt.Errorf("%s holds no certificate", caCertKey)
	}
	if err := verifyServing(pair.cert, roots, hosts, now); err != nil {
		return nil, err
	}
	tlsCert, err := tls.X509KeyPair(pair.certPEM, pair.keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%s and %s: %w", certKey, keyKey, err)
	}
	return &tlsCert, nil
}

// verifyServing checks that cert chains to roots and serves every host at the time given.
func verifyServing(cert *x509.Certificate, roots *x509.CertPool, hosts []string, at time.Time) error {
	if len(hosts) == 0 {
		return errors.New("no host to serve")
	}
	for _, host := range hosts {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
			return fmt.Errorf("%s does not serve %s at %s: %w", certKey, host, at.Format(time.RFC3339), err)
		}
	}
	return nil
}

func newCA(now time.Time) (keyPair, error) {
	template := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "taskrouter-operator-webhook-ca"},
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return issue(template, nil)
}

func newServing(ca keyPair, hosts []string, now time.Time) (keyPair, error) {
	if len(hosts) == 0 {
		return keyPair{}, errors.New("the serving certificate needs at least one host name")
	}
	template := &x509.Certificate{
		Subject:     pkix.Name{CommonName: hosts[0]},
		NotBefore:   now.Add(-clockSkew),
		NotAfter:    now.Add(servingValidity),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			template.IPAddresses = append(template.IPAddresses, ip)
		} else {
			template.DNSNames = append(template.DNSNames, h)
		}
	}
	return issue(template, &ca)
}

// issue signs template with a new P-256 key: by signer, or by itself when signer is nil.
func issue(template *x509.Certificate, signer *keyPair) (keyPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return keyPair{}, fmt.Errorf("generate a key: %w", err)
	}
	if template.SerialNumber, err = rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128)); err != nil {
		return keyPair{}, fmt.Errorf("generate a serial number: %w", err)
	}
	parent, parentKey := template, key
	if signer != nil {
		parent, parentKey = signer.cert, signer.key
	}
	der, err := x509.CreateCertificate(rand.Reader, template, parent, &key.PublicKey, parentKey)
	if err != nil {
		return keyPair{}, fmt.Errorf("sign the certificate %q: %w", template.Subject.CommonName, err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return keyPair{}, fmt.Errorf("encode the key: %w", err)
	}
	return parseKeyPair(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
}

// parseKeyPair reads the first certificate of certPEM and the EC key of keyPEM, which must match.
func parseKeyPair(certPEM, keyPEM []byte) (keyPair, error) {
	certBlock, _ := pem.Decode(certPEM)
	keyBlock, _ := pem.Decode(keyPEM)
	if certBlock == nil || keyBlock == nil {
		return keyPair{}, errors.New("missing or not PEM")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return keyPair{}, fmt.Errorf("parse the certificate: %w", err)
	}
	key, err := x509.ParseECPrivateKey(keyBlock.Bytes)
	if err != nil {
		return keyPair{}, fmt.Errorf("parse the key: %w", err)
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return keyPair{}, errors.New("the key does not belong to the certificate")
	}
	return keyPair{cert: cert, key: key, certPEM: pem.EncodeToMemory(certBlock), keyPEM: pem.EncodeToMemory(keyBlock)}, nil
}

// trailingCertificates are the certificates of a bundle after the first.
func trailingCertificates(bundle []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for first := true; ; first = false {
		var block *pem.Block
		if block, bundle = pem.Decode(bundle); block == nil {
			return out
		}
		if c, err := x509.ParseCertificate(block.Bytes); err == nil && !first {
			out = append(out, c)
		}
	}
}

func stillValid(certs []*x509.Certificate, now time.Time) []*x509.Certificate {
	return slices.DeleteFunc(certs, func(c *x509.Certificate) bool { return !now.Before(c.NotAfter) })
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
