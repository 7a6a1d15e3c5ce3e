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

package capability

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Verify's errors, distinguishable with errors.Is. None of them carries the token or the key.
var (
	// ErrMalformed: not a JWT, undecodable segments, or not a TaskRouter v1 claim set.
	ErrMalformed = errors.New("malformed capability token")
	// ErrSignature: not HS256 (including alg "none"), or not signed with the auth token.
	ErrSignature = errors.New("capability token signature invalid")
	// ErrExpired: the token is outside its validity window (exp has passed, or nbf is still ahead).
	ErrExpired = errors.New("capability token expired")
	// ErrWrongAccount: iss or account_sid is not the account the token is presented to.
	ErrWrongAccount = errors.New("capability token belongs to another account")
)

// hs256Parser accepts HS256 only and strict base64, so a token has exactly one valid encoding;
// claims are checked by Verify itself so it controls the order and the error kinds.
var hs256Parser = jwt.NewParser(
	jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
	jwt.WithStrictDecoding(),
	jwt.WithoutClaimsValidation(),
)

// Verify checks signature (HS256 only), expiry at now, that iss and account_sid both equal
// accountSID, and version "v1", and returns the claims.
func Verify(token, accountSID, authToken string, now time.Time) (*Claims, error) {
	if authToken == "" {
		// An empty HMAC key is forgeable by anyone: never accept a token against it.
		return nil, fmt.Errorf("verify capability token: no auth token: %w", ErrSignature)
	}
	claims := &Claims{}
	_, err := hs256Parser.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) {
		return []byte(authToken), nil
	})
	if err != nil {
		return nil, classify(err)
	}
	if err := checkClaims(claims, accountSID, now); err != nil {
		return nil, err
	}
	return claims, nil
}

// classify maps the jwt library's errors onto this package's four kinds without echoing input.
func classify(err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return fmt.Errorf("verify capability token: %w", ErrMalformed)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		// Unverifiable means an unknown or missing alg: it is not an HS256 signature either way.
		return fmt.Errorf("verify capability token: %w", ErrSignature)
	default:
		return fmt.Errorf("verify capability token: %w", ErrMalformed)
	}
}

// checkClaims runs after the signature is known good. Account first: a token of another
// account is refused as such whatever its lifetime.
func checkClaims(c *Claims, accountSID string, now time.Time) error {
	if accountSID == "" || c.Issuer != accountSID || c.AccountSID != accountSID {
		return fmt.Errorf("verify capability token: %w", ErrWrongAccount)
	}
	if c.Version != Version {
		return fmt.Errorf("verify capability token: version %q is not %q: %w", truncate(c.Version), Version, ErrMalformed)
	}
	if c.ExpiresAt == nil {
		return fmt.Errorf("verify capability token: no exp claim: %w", ErrMalformed)
	}
	if !now.Before(c.ExpiresAt.Time) {
		return fmt.Errorf("verify capability token: expired at %s: %w", c.ExpiresAt.UTC().Format(time.RFC3339), ErrExpired)
	}
	// Helper libraries that write nbf (twilio-python) set it to the minting time.
	if c.NotBefore != nil && now.Before(c.NotBefore.Time) {
		return fmt.Errorf("verify capability token: not valid before %s: %w", c.NotBefore.UTC().Format(time.RFC3339), ErrExpired)
	}
	return nil
}

// truncate keeps attacker-supplied claim text in error strings short.
func truncate(s string) string {
	const limit = 16
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}
