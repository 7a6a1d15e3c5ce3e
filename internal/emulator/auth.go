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

package emulator

import (
	"crypto/subtle"
	"net/http"
)

// basicAuthOK reports whether r carries AccountSid:AuthToken or
// APIKeySid:APIKeySecret. Comparisons are constant-time.
func (e *Emulator) basicAuthOK(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	if secretEqual(user, e.cfg.AccountSID) && secretEqual(pass, e.cfg.AuthToken) {
		return true
	}
	return e.cfg.APIKeySID != "" && secretEqual(user, e.cfg.APIKeySID) && secretEqual(pass, e.cfg.APIKeySecret)
}

func secretEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
