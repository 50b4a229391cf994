package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/crossplane/function-sdk-go/response"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/realtime-platform/realtime-platform/addons/functions/compose-platform/input/v1alpha1"
)

// Function composes a RealtimePlatformClaim's or IotBrokerClaim's provider-helm Release (with the
// connection details of the secrets its chart renders) and writes the claim's status.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log      logging.Logger
	contract *Contract
}

// NewFunction is the function with the embedded platform contract.
func NewFunction(log logging.Logger) (*Function, error) {
	contract, err := LoadContract(contractJSON)
	if err != nil {
		return nil, err
	}
	return &Function{log: log, contract: contract}, nil
}

// RunFunction runs the function's one step. Problems with the composite or the input are fatal
// results that name the field: Crossplane reports them on the claim, crossplane render fails.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := response.To(req, response.DefaultTTL)

	in, err := f.input(req)
	if err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	oxr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, fmt.Errorf("cannot get the observed composite resource: %w", err))
		return rsp, nil
	}
	kind, name := oxr.Resource.GetKind(), oxr.Resource.GetName()
	log := f.log.WithValues("xr-kind", kind, "xr-name", name)
	shape, ok := f.contract.shapeOf(kind)
	if !ok {
		response.Fatal(rsp, fmt.Errorf("function-compose-platform composes %s and %s, not %s",
			f.contract.RealtimePlatform.CompositeKind, f.contract.IotBroker.CompositeKind, kind))
		return rsp, nil
	}
	specValue, _ := oxr.Resource.Object["spec"].(map[string]any)
	if specValue == nil {
		specValue = map[string]any{}
	}
	normalized, problems := shape.Spec.Normalize("spec", specValue)
	if len(problems) > 0 {
		response.Fatal(rsp, fmt.Errorf("%s %s is invalid: %s", kind, name, strings.Join(problems, "; ")))
		return rsp, nil
	}
	// The schema makes spec an object with a string name (required): checked all the same, so a
	// schema without them is a fatal result, not a panic of the server.
	spec, _ := normalized.(map[string]any)
	platformName, _ := spec["name"].(string)
	if platformName == "" {
		response.Fatal(rsp, fmt.Errorf("%s %s is invalid: spec.name: Required value", kind, name))
		return rsp, nil
	}
	platform := &Platform{
		contract:      f.contract,
		Name:          platformName,
		Namespace:     claimNamespace(oxr.Resource.Object),
		ClusterDomain: in.ClusterDomain,
		Spec:          map[string]any{},
	}
	maps.Copy(platform.Spec, spec)
	maps.Copy(platform.Spec, shape.Conditions)

	composition, err := f.compose(in, shape, platform, spec, name)
	if err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}

	observed, err := request.GetObservedComposedResources(req)
	if err != nil {
		response.Fatal(rsp, fmt.Errorf("cannot get the observed composed resources: %w", err))
		return rsp, nil
	}
	desired, err := request.GetDesiredComposedResources(req)
	if err != nil {
		response.Fatal(rsp, fmt.Errorf("cannot get the desired composed resources: %w", err))
		return rsp, nil
	}
	release := composed.New()
	release.Object = composition.release
	desired[resource.Name(shape.ResourceName)] = &resource.DesiredComposed{Resource: release}
	if err := response.SetDesiredComposedResources(rsp, desired); err != nil {
		response.Fatal(rsp, fmt.Errorf("cannot set the desired composed resources: %w", err))
		return rsp, nil
	}

	// status.ready and status.message follow the Release's Ready condition (provider-helm sets it
	// once helm install --wait has finished).
	chart := in.Release.Chart.Name
	ready, message := false, fmt.Sprintf("installing the %s chart into namespace %s", chart, platform.Namespace)
	observedRelease, found := observed[resource.Name(shape.ResourceName)]
	if found {
		if status, reason, text, has := readyCondition(observedRelease.Resource.Object); has {
			if status == "True" {
				ready, message = true, "ready"
			} else {
				if text == "" {
					text = reason
				}
				message = fmt.Sprintf("%s release not ready: %s", chart, text)
				response.Warning(rsp, errors.New(message)).TargetCompositeAndClaim()
			}
		}
	}
	composition.status["ready"] = ready
	composition.status["message"] = message

	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, fmt.Errorf("cannot get the desired composite resource: %w", err))
		return rsp, nil
	}
	dxr.Resource.SetAPIVersion(oxr.Resource.GetAPIVersion())
	dxr.Resource.SetKind(kind)
	if err := dxr.Resource.SetValue("status", composition.status); err != nil {
		response.Fatal(rsp, fmt.Errorf("cannot set the composite status: %w", err))
		return rsp, nil
	}
	// The Release's connection details (what provider-helm read from the chart's secrets) become the
	// composite's: a claim's writeConnectionSecretToRef gets them, as with any Crossplane claim.
	if found && len(observedRelease.ConnectionDetails) > 0 {
		if dxr.ConnectionDetails == nil {
			dxr.ConnectionDetails = resource.ConnectionDetails{}
		}
		maps.Copy(dxr.ConnectionDetails, observedRelease.ConnectionDetails)
	}
	if err := response.SetDesiredCompositeResource(rsp, dxr); err != nil {
		response.Fatal(rsp, fmt.Errorf("cannot set the desired composite resource: %w", err))
		return rsp, nil
	}
	log.Debug("composed", "release", composition.release["metadata"], "ready", ready)
	return rsp, nil
}

// input is the step's input, defaulted and validated against its schema in contract.json.
func (f *Function) input(req *fnv1.RunFunctionRequest) (*v1alpha1.Input, error) {
	raw := map[string]any{}
	if req.GetInput() != nil {
		raw = req.GetInput().AsMap()
	}
	schema := f.contract.Input
	if apiVersion, kind := raw["apiVersion"], raw["kind"]; apiVersion != schema.APIVersion || kind != schema.Kind {
		return nil, fmt.Errorf("the step's input must be %s %s, not %v %v", schema.APIVersion, schema.Kind, apiVersion, kind)
	}
	normalized, problems := schema.Schema.Normalize("input", raw)
	if len(problems) > 0 {
		return nil, fmt.Errorf("invalid function input: %s", strings.Join(problems, "; "))
	}
	data, err := json.Marshal(normalized)
	if err != nil {
		return nil, err
	}
	in := &v1alpha1.Input{}
	if err := json.Unmarshal(data, in); err != nil {
		return nil, fmt.Errorf("invalid function input: %w", err)
	}
	// The schema has no apiVersion and kind (every object has them), so pruning dropped them.
	in.APIVersion, in.Kind = schema.APIVersion, schema.Kind
	return in, nil
}

type composition struct {
	release map[string]any
	status  map[string]any
}

// compose builds the Release and the status (less ready and message) of one composite.
func (f *Function) compose(in *v1alpha1.Input, shape *CompositeShape, p *Platform, spec map[string]any, xrName string) (*composition, error) {
	var values map[string]any
	if shape == &f.contract.RealtimePlatform {
		values = f.platformValues(in, p, spec)
	} else {
		values = iotBrokerValues(p, spec)
	}

	secrets := f.contract.Secrets
	if len(shape.Secrets) > 0 {
		secrets = nil
		for _, id := range shape.Secrets {
			secret, _ := f.contract.secret(id)
			secrets = append(secrets, *secret)
		}
	}
	// The Release's connection details: every key of the secrets the chart renders, read by
	// provider-helm from the release's own Secrets and written to {name}-<suffix>.
	details := []any{}
	for i := range secrets {
		for _, key := range p.SecretKeys(&secrets[i]) {
			details = append(details, map[string]any{
				"apiVersion":            "v1",
				"kind":                  "Secret",
				"name":                  p.SecretName(&secrets[i]),
				"namespace":             p.Namespace,
				"fieldPath":             "data." + key,
				"toConnectionSecretKey": key,
			})
		}
	}

	release := map[string]any{
		"apiVersion": f.contract.Release.APIVersion,
		"kind":       f.contract.Release.Kind,
		"metadata": map[string]any{
			"name": xrName,
			// The Helm release is named after the platform: its objects are {name}-<part>.
			"annotations": map[string]any{"crossplane.io/external-name": p.Name},
		},
		"spec": map[string]any{
			"providerConfigRef": map[string]any{"name": in.Release.ProviderConfigName},
			"rollbackLimit":     in.Release.RollbackLimit,
			"forProvider": map[string]any{
				"chart": map[string]any{
					"name":       in.Release.Chart.Name,
					"repository": in.Release.Chart.Repository,
					"version":    in.Release.Chart.Version,
				},
				"namespace": p.Namespace,
				// The claim's namespace exists (the claim is in it). Without this provider-helm
				// creates it first, which the addon's RBAC rightly does not allow (namespaces are
				// cluster-scoped): the real API server refused it.
				"skipCreateNamespace": true,
				"wait":                true,
				"waitTimeout":         in.Release.WaitTimeout,
				"values":              values,
			},
			"connectionDetails": details,
			"writeConnectionSecretToRef": map[string]any{
				"name":      p.Name + "-" + shape.ConnectionSecretSuffix,
				"namespace": p.Namespace,
			},
		},
	}

	secretNames := map[string]any{}
	for _, field := range shape.StatusSecrets {
		secret, err := f.contract.secret(field.Secret)
		if err != nil {
			return nil, err
		}
		secretNames[field.Field] = p.SecretName(secret)
	}
	endpoints := map[string]any{}
	for _, field := range shape.StatusEndpoints {
		url, err := p.StatusEndpoint(field)
		if err != nil {
			return nil, err
		}
		if url != "" {
			endpoints[field.Field] = url
		}
	}
	return &composition{
		release: release,
		status:  map[string]any{"secrets": secretNames, "endpoints": endpoints},
	}, nil
}

// platformValues are the realtime-platform chart's values: `platform` is the claim spec (only the
// contract's fields, defaulted), and the Lenses subcharts are loaded and wired exactly for
// streamProcessing: lenses (the chart refuses anything else).
func (f *Function) platformValues(in *v1alpha1.Input, p *Platform, spec map[string]any) map[string]any {
	lenses := spec["streamProcessing"] == "lenses"
	values := map[string]any{
		"platform":      spec,
		"clusterDomain": p.ClusterDomain,
		"lenses":        map[string]any{"enabled": lenses},
	}
	if !lenses {
		return values
	}
	replacer := strings.NewReplacer("{name}", p.Name, "{namespace}", p.Namespace, "{clusterDomain}", p.ClusterDomain)
	wiring, _ := substitute(deepCopy(f.contract.RealtimePlatform.LensesValues), replacer).(map[string]any)
	hq, _ := wiring["lenses-hq"].(map[string]any)
	agent, _ := wiring["lenses-agent"].(map[string]any)
	if hq == nil || agent == nil {
		hq, agent = map[string]any{}, map[string]any{}
	}
	hq["license"] = map[string]any{"acceptEULA": in.Lenses.AcceptEULA, "existingSecret": in.Lenses.LicenseSecret}
	agent["acceptEULA"] = in.Lenses.AcceptEULA
	values["lenses-hq"] = hq
	values["lenses-agent"] = agent
	return values
}

// iotBrokerValues are the iot-broker chart's values: name, clusterDomain, auth.users, persistence.
func iotBrokerValues(p *Platform, spec map[string]any) map[string]any {
	values := map[string]any{"name": p.Name, "clusterDomain": p.ClusterDomain}
	if users, ok := spec["mqttUsers"]; ok {
		values["auth"] = map[string]any{"users": users}
	}
	if persistence, ok := spec["persistence"]; ok {
		values["persistence"] = persistence
	}
	return values
}

func substitute(value any, replacer *strings.Replacer) any {
	switch v := value.(type) {
	case string:
		return replacer.Replace(v)
	case map[string]any:
		for key, field := range v {
			v[key] = substitute(field, replacer)
		}
		return v
	case []any:
		for i, item := range v {
			v[i] = substitute(item, replacer)
		}
		return v
	}
	return value
}

// claimNamespace is where the platform is installed: the claim's namespace (spec.claimRef on legacy
// composites, spec.crossplane.claimRef on v2 ones), a namespaced composite's own, else "default".
func claimNamespace(xr map[string]any) string {
	u := unstructured.Unstructured{Object: xr}
	for _, path := range [][]string{
		{"spec", "claimRef", "namespace"},
		{"spec", "crossplane", "claimRef", "namespace"},
		{"metadata", "namespace"},
		{"metadata", "labels", "crossplane.io/claim-namespace"},
	} {
		if ns, found, _ := unstructured.NestedString(u.Object, path...); found && ns != "" {
			return ns
		}
	}
	return "default"
}

// readyCondition is the status, reason and message of a resource's Ready condition.
func readyCondition(object map[string]any) (status, reason, message string, found bool) {
	conditions, _, _ := unstructured.NestedSlice(object, "status", "conditions")
	for _, c := range conditions {
		condition, _ := c.(map[string]any)
		if condition["type"] != "Ready" {
			continue
		}
		status, _ = condition["status"].(string)
		reason, _ = condition["reason"].(string)
		message, _ = condition["message"].(string)
		return status, reason, message, true
	}
	return "", "", "", false
}
