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

package lint

import (
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// constraint is what a CRD's OpenAPI schema says about one field beyond its
// type. The fields are named as in the schema so a test can compare this
// table with config/crd/bases and fail when the two drift apart.
type constraint struct {
	Enum                 []string
	Minimum, Maximum     *int64
	MinLength, MaxLength *int64
	Pattern              string
	MinItems, MaxItems   *int64
	// ListSet is x-kubernetes-list-type: set, which refuses a repeated item.
	ListSet bool
}

// celRule is one x-kubernetes-validations rule of a CRD, with its message and
// field path as the API server reports them.
type celRule struct {
	Rule, Message, FieldPath string
	// broken reports whether the node the rule sits on breaks it. It is nil for
	// a transition rule (oldSelf): those need the stored object, which an
	// offline lint does not have; and for a rule a kind's check() reports more
	// precisely (naming the entry at fault rather than the list).
	broken func(self *yaml.Node) bool
}

// schema is what the CRD of one kind refuses beyond Go types and required
// fields, keyed by field pattern (list indices written [*]).
type schema struct {
	constraints map[string]constraint
	rules       map[string][]celRule
	// provisional lists the patterns lint accepts before the CRD has them (a
	// field API.md names ahead of its CRD); the drift test leaves them out.
	provisional []string
}

func n64(v int64) *int64 { return &v }

// length is a string's length constraint in characters.
func length(min, max int64) constraint {
	c := constraint{MaxLength: n64(max)}
	if min > 0 {
		c.MinLength = n64(min)
	}
	return c
}

func between(min, max int64) constraint { return constraint{Minimum: n64(min), Maximum: n64(max)} }

func enum(values ...string) constraint { return constraint{Enum: values} }

func sidPattern(prefix string) constraint {
	return constraint{Pattern: "^" + prefix + "[0-9a-fA-F]{32}$"}
}

var (
	objectName = length(1, 253)
	httpURL    = constraint{MaxLength: n64(2048), Pattern: "^https?://"}
)

// newSchema holds what every kind's CRD has: the remote-object fields, the
// rule tying sid to adoptionPolicy, and the 64-character friendly name.
func newSchema(noun, sidPrefix string) schema {
	s := schema{
		constraints: map[string]constraint{
			"spec.friendlyName":     length(1, 64),
			"spec.sid":              sidPattern(sidPrefix),
			"spec.adoptionPolicy":   enum("AdoptOrCreate", "CreateOnly", "AdoptOnly"),
			"spec.deletionPolicy":   enum("Delete", "Orphan"),
			"spec.managementPolicy": enum("Manage", "ObserveOnly"),
		},
		rules: map[string][]celRule{
			"": {{
				Rule:      "has(self.spec.friendlyName) || size(self.metadata.name) <= 64",
				Message:   "metadata.name is longer than 64 characters: set spec.friendlyName (at most 64)",
				FieldPath: ".spec.friendlyName",
				broken: func(self *yaml.Node) bool {
					return !has(lookup(self, "spec"), "friendlyName") && utf8.RuneCountInString(stringAt(lookup(self, "metadata"), "name")) > 64
				},
			}},
			"spec": {{
				Rule:      "!(has(self.sid) && self.adoptionPolicy == 'CreateOnly')",
				Message:   "sid adopts an existing " + noun + "; adoptionPolicy CreateOnly forbids adoption: remove one of them",
				FieldPath: ".adoptionPolicy",
				broken: func(self *yaml.Node) bool {
					return has(self, "sid") && stringAt(self, "adoptionPolicy") == "CreateOnly"
				},
			}},
		},
	}
	if noun != "workspace" {
		s.constraints["spec.workspaceRef.name"] = objectName
	}
	return s
}

func (s schema) with(pattern string, c constraint) schema {
	s.constraints[pattern] = c
	return s
}

func (s schema) rule(pattern string, r celRule) schema {
	s.rules[pattern] = append(s.rules[pattern], r)
	return s
}

// statistics adds spec.statistics.
func (s schema) statistics() schema { return s.with("spec.statistics.minutes", between(1, 43200)) }

// splitStatistics adds spec.statistics with its per-channel and wait-time splits.
func (s schema) splitStatistics() schema {
	return s.statistics().
		with("spec.statistics.taskChannels", constraint{MaxItems: n64(15), ListSet: true}).
		with("spec.statistics.taskChannels[*]", length(1, 64)).
		with("spec.statistics.splitByWaitTime", constraint{MaxItems: n64(10), ListSet: true}).
		with("spec.statistics.splitByWaitTime[*]", between(1, 86400))
}

// tokenSecret adds spec.tokenSecret with the kind's capabilities.
func (s schema) tokenSecret(capabilities ...string) schema {
	c := enum(capabilities...)
	return s.with("spec.tokenSecret.name", objectName).
		with("spec.tokenSecret.capabilities", constraint{ListSet: true}).
		with("spec.tokenSecret.capabilities[*]", c).
		rule("spec.tokenSecret.ttl", celRule{
			Rule:    "duration(self) >= duration('1m') && duration(self) <= duration('24h')",
			Message: "ttl must be between 1m and 24h",
			broken: func(self *yaml.Node) bool {
				d, err := time.ParseDuration(self.Value)
				return err == nil && (d < time.Minute || d > 24*time.Hour)
			},
		})
}

// unchangeable adds a transition rule lint cannot check offline.
func (s schema) unchangeable(pattern, rule, message, fieldPath string) schema {
	return s.rule(pattern, celRule{Rule: rule, Message: message, FieldPath: fieldPath})
}

func workspaceSchema() schema {
	return newSchema("workspace", "WS").splitStatistics().
		tokenSecret("FetchSubresources", "Updates", "UpdatesSubresources", "Delete", "DeleteSubresources").
		with("spec.credentialsRef.name", objectName).
		with("spec.authMode", enum("CapabilityToken", "Basic")).
		with("spec.eventCallbackUrl", httpURL).
		with("spec.eventsFilter", constraint{ListSet: true}).
		with("spec.prioritizeQueueOrder", enum("FIFO", "LIFO")).
		with("spec.template", enum("NONE", "FIFO")).
		with("spec.defaultActivityRef.name", objectName).
		with("spec.timeoutActivityRef.name", objectName).
		with("spec.sidConfigMap.name", objectName).
		unchangeable("spec", "has(self.template) == has(oldSelf.template)",
			"template is create-only: it cannot be added or removed after the Workspace exists", ".template").
		unchangeable("spec.template", "self == oldSelf", "template is create-only and cannot change", "")
}

func activitySchema() schema {
	return newSchema("activity", "WA").
		unchangeable("spec.available", "self == oldSelf",
			"available cannot change after the Activity is created (TaskRouter forbids it): create a new Activity instead", "")
}

func taskQueueSchema() schema {
	return newSchema("task queue", "WQ").splitStatistics().
		tokenSecret("FetchSubresources", "Updates", "Delete").
		with("spec.targetWorkers", length(1, 4096)).
		with("spec.maxReservedWorkers", between(1, 50)).
		with("spec.taskOrder", enum("FIFO", "LIFO")).
		with("spec.reservationActivityRef.name", objectName).
		with("spec.assignmentActivityRef.name", objectName)
}

func workflowSchema() schema {
	s := newSchema("workflow", "WW").statistics().
		with("spec.assignmentCallbackUrl", httpURL).
		with("spec.fallbackAssignmentCallbackUrl", httpURL).
		with("spec.taskReservationTimeout", between(1, 86400))
	const routing = "spec.configuration.taskRouting"
	const filter = routing + ".filters[*]"
	const target = filter + ".targets[*]"
	s = s.with(routing+".filters", constraint{MaxItems: n64(100)}).
		with(filter+".filterFriendlyName", length(1, 64)).
		with(filter+".expression", length(1, 4096)).
		with(filter+".targets", constraint{MinItems: n64(1), MaxItems: n64(50)}).
		with(target+".timeout", constraint{Minimum: n64(0)}).
		with(target+".expression", length(0, 4096)).
		with(target+".orderBy", length(0, 1024)).
		with(target+".skipIf", length(0, 1024)).
		with(target+".knownWorkerSid", sidPattern("WK")).
		with(target+".knownWorkerFriendlyName", length(0, 64))
	for _, selector := range []string{target, routing + ".defaultFilter"} {
		s = s.with(selector+".queueRef.name", objectName).
			with(selector+".queueSid", sidPattern("WQ")).
			rule(selector, celRule{
				Rule:    "has(self.queueRef) != has(self.queueSid)",
				Message: "set exactly one of queueRef (a TaskQueue in this namespace) or queueSid (WQ...)",
				broken:  func(self *yaml.Node) bool { return has(self, "queueRef") == has(self, "queueSid") },
			})
	}
	return s
}

func workerSchema() schema {
	s := newSchema("worker", "WK").statistics().
		tokenSecret("ActivityUpdates", "ReservationUpdates").
		with("spec.activityRef.name", objectName).
		with("spec.activityPolicy", enum("Initial", "Enforce")).
		rule("spec", celRule{
			Rule:      "!(self.activityPolicy == 'Enforce' && !has(self.activityRef))",
			Message:   "activityPolicy Enforce needs activityRef: name the Activity to keep the worker in",
			FieldPath: ".activityPolicy",
			broken: func(self *yaml.Node) bool {
				return stringAt(self, "activityPolicy") == "Enforce" && !has(self, "activityRef")
			},
		})
	s = s.with("spec.attributesPolicy", enum("Replace", "Merge")).
		with("spec.channelPolicy", enum("Initial", "Enforce")).
		with("spec.channels", constraint{MaxItems: n64(15)}).
		with("spec.channels[*].channelRef.name", objectName).
		with("spec.channels[*].uniqueName", length(1, 64)).
		with("spec.channels[*].capacity", between(0, 50)).
		rule("spec.channels[*]", celRule{
			Rule:    "has(self.channelRef) != has(self.uniqueName)",
			Message: "set exactly one of channelRef (a TaskChannel in this namespace) or uniqueName (a channel no TaskChannel manages, e.g. voice)",
			broken:  func(self *yaml.Node) bool { return has(self, "channelRef") == has(self, "uniqueName") },
		}).
		rule("spec.channels", celRule{
			// worker.check() names the repeated entry.
			Rule:    "self.all(a, self.exists_one(b, (has(a.channelRef) && has(b.channelRef) && a.channelRef.name == b.channelRef.name) || (has(a.uniqueName) && has(b.uniqueName) && a.uniqueName == b.uniqueName)))",
			Message: "each channel may be listed once: a channelRef or uniqueName repeats",
		})
	return s
}

// taskChannelSchema: the unique name defaults to metadata.name, so both its
// length and its immutability are rules on the whole object.
func taskChannelSchema() schema {
	return newSchema("task channel", "TC").
		with("spec.uniqueName", length(1, 64)).
		rule("", celRule{
			Rule:      "has(self.spec.uniqueName) || size(self.metadata.name) <= 64",
			Message:   "metadata.name is longer than 64 characters: set spec.uniqueName (at most 64)",
			FieldPath: ".spec.uniqueName",
			broken: func(self *yaml.Node) bool {
				return !has(lookup(self, "spec"), "uniqueName") && utf8.RuneCountInString(stringAt(lookup(self, "metadata"), "name")) > 64
			},
		}).
		unchangeable("", "(has(self.spec.uniqueName) ? self.spec.uniqueName : self.metadata.name) == (has(oldSelf.spec.uniqueName) ? oldSelf.spec.uniqueName : oldSelf.metadata.name)",
			"uniqueName cannot change after the TaskChannel is created (TaskRouter identifies a channel by it): create a new TaskChannel instead", ".spec.uniqueName")
}
