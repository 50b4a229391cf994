// Package v1alpha1 is the input of function-compose-platform: compose.platform.example.org/v1alpha1
// Input, the step input of the addon's Compositions (as function-template-go keeps its typed input
// under input/<version>).
//
// Its schema is not derived from these types: the CRD in package/input/ and the schema the function
// defaults and validates the input with (contract.json) are generated from the addon's TypeScript
// (addons/src/crossplane/compose-function.ts), the one source of truth. These types only read the
// defaulted, validated input; the function's tests prove every schema field has a typed field here
// and the reverse, so the two cannot drift. No deepcopy is generated: the input is decoded once per
// request and never stored in a scheme or a cache.
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Group, Version and Kind of the input, as the Compositions write them.
const (
	Group   = "compose.platform.example.org"
	Version = "v1alpha1"
	Kind    = "Input"
)

// APIVersion is group/version: compose.platform.example.org/v1alpha1.
const APIVersion = Group + "/" + Version

// Input is what a Composition tells function-compose-platform: the chart to install and how
// provider-helm installs it. Everything else comes from the composite resource and the contract.
type Input struct {
	metav1.TypeMeta `json:",inline"`

	// Release is the provider-helm Release the function composes.
	Release Release `json:"release"`
	// ClusterDomain is the cluster DNS domain of the hosts in the values, status and connection
	// details (default cluster.local).
	ClusterDomain string `json:"clusterDomain"`
	// Lenses holds the Lenses HQ and Agent settings, for platforms with streamProcessing: lenses.
	Lenses Lenses `json:"lenses"`
}

// Release is how provider-helm installs the chart.
type Release struct {
	// Chart is the chart in a Helm repository.
	Chart Chart `json:"chart"`
	// WaitTimeout is how long provider-helm waits for the release (wait is always true): 15m.
	WaitTimeout string `json:"waitTimeout"`
	// RollbackLimit is how often provider-helm rolls a failed release back and retries.
	RollbackLimit int `json:"rollbackLimit"`
	// ProviderConfigName is the provider-helm ProviderConfig.
	ProviderConfigName string `json:"providerConfigName"`
}

// Chart is a chart in a Helm repository.
type Chart struct {
	Name string `json:"name"`
	// Repository is the Helm repository URL (https:// or oci://).
	Repository string `json:"repository"`
	Version    string `json:"version"`
}

// Lenses are the licence settings of the Lenses subcharts.
type Lenses struct {
	// AcceptEULA accepts the Lenses EULA for every platform with streamProcessing: lenses.
	AcceptEULA bool `json:"acceptEULA"`
	// LicenseSecret is the Secret in the claim namespace with the licence under the key license.
	LicenseSecret string `json:"licenseSecret"`
}
