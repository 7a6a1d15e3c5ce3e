// Package controllers reconciles the taskrouter.operator.dev kinds against
// Twilio TaskRouter: one shared reconcile core and one small adapter per kind.
package controllers
