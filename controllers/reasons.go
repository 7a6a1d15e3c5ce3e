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

package controllers

// Condition and Event reasons a user may see, in one place so docs/conditions.md and the code
// cannot drift apart. Each says what happened; the condition's message says what to do.
const (
	// Ready=True.
	reasonSynced   = "Synced"   // the remote object matches the spec
	reasonObserved = "Observed" // ObserveOnly: the remote object matches the spec

	// Reconciling=True: the object waits for something that changes by itself, or retries.
	reasonWaitingForWorkspace    = "WaitingForWorkspace"    // the Workspace is missing or has no SID yet
	reasonWaitingForReference    = "WaitingForReference"    // a referenced Activity, TaskQueue, ... is missing or not Ready
	reasonWaitingForRemoteObject = "WaitingForRemoteObject" // AdoptOnly/ObserveOnly and no remote object has the name
	reasonWaitingForSID          = "WaitingForSID"          // (token Secrets) the object has no SID yet
	reasonRetrying               = "RetryingAfterError"     // a transient TaskRouter or network error
	reasonAddingFinalizer        = "AddingFinalizer"        // the finalizer could not be written yet
	reasonRecordingCreate        = "RecordingCreate"        // the create attempt could not be recorded yet
	reasonDeleting               = "Deleting"               // the remote object is being deleted

	// Ready=False, neither stalled nor in progress.
	reasonDrifted = "Drifted" // ObserveOnly: TaskRouter differs from the spec; nothing was written

	// Stalled=True: retrying cannot help until something changes.
	reasonInvalidSpec         = "InvalidSpec"         // the spec is wrong in a way the schema cannot catch
	reasonInvalidReference    = "InvalidReference"    // a reference points into another Workspace
	reasonReferenceDeleting   = "ReferenceDeleting"   // a referenced object is being deleted
	reasonWorkspaceDeleted    = "WorkspaceDeleted"    // the object's Workspace was deleted (or is being)
	reasonInvalidCapability   = "InvalidCapability"   // (token Secrets) an unknown capability
	reasonRejected            = "Rejected"            // TaskRouter refused the request
	reasonUnauthorized        = "Unauthorized"        // TaskRouter refused the credentials
	reasonCredentials         = "CredentialsInvalid"  // the credentials Secret is missing or lacks a key
	reasonAmbiguous           = "Ambiguous"           // several remote objects have the name
	reasonAlreadyExists       = "AlreadyExists"       // CreateOnly found an object with the name
	reasonConflict            = "Conflict"            // another resource already owns the remote object
	reasonNotFound            = "NotFound"            // spec.sid names no remote object
	reasonRemoteObjectMissing = "RemoteObjectMissing" // deleted outside the operator (an Event when it is recreated)
	reasonImmutableField      = "ImmutableField"      // a field TaskRouter cannot change differs
	reasonDeletionBlocked     = "DeletionBlocked"     // TaskRouter refused the delete
	// attributesPolicy Merge found the remote worker's attributes not a JSON object
	reasonAttributesNotMergeable = "AttributesNotMergeable"
	reasonTokenSecretConflict    = "TokenSecretConflict" // (token Secrets) a Secret of that name is not ours
	reasonConfigMapConflict      = "ConfigMapConflict"   // the SID ConfigMap\'s name is taken by a ConfigMap not ours

	// Events only.
	reasonCreated  = "Created"
	reasonAdopted  = "Adopted"
	reasonUpdated  = "Updated"
	reasonDeleted  = "Deleted"
	reasonOrphaned = "Orphaned"

	// Token Secret condition, Ready=True.
	reasonTokenKept = "TokenKept"
)
