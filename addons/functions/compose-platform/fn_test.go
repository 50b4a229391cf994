package main

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

const platformInput = `{
	"apiVersion": "compose.platform.example.org/v1alpha1",
	"kind": "Input",
	"release": {
		"chart": {"name": "realtime-platform", "repository": "https://charts.example.test/rtp", "version": "0.1.0"},
		"waitTimeout": "15m",
		"rollbackLimit": 3,
		"providerConfigName": "realtime-platform"
	},
	"lenses": {"acceptEULA": true}
}`

const iotInput = `{
	"apiVersion": "compose.platform.example.org/v1alpha1",
	"kind": "Input",
	"release": {
		"chart": {"name": "iot-broker", "repository": "oci://registry.example.test/charts", "version": "0.1.0"},
		"waitTimeout": "5m",
		"rollbackLimit": 1,
		"providerConfigName": "realtime-platform"
	},
	"clusterDomain": "example.internal"
}`

// platformXR is a legacy (v1 XRD) composite of a claim in namespace apps, with Crossplane's fields.
func platformXR(spec string) string {
	return `{
		"apiVersion": "platform.example.org/v1alpha1",
		"kind": "XRealtimePlatformClaim",
		"metadata": {"name": "health-data-realtime-x7k2p"},
		"spec": ` + spec + `
	}`
}

func runFunction(t *testing.T, input, xr string, observed map[string]*fnv1.Resource) *fnv1.RunFunctionResponse {
	t.Helper()
	fn, err := NewFunction(logging.NewNopLogger())
	if err != nil {
		t.Fatalf("NewFunction: %v", err)
	}
	req := &fnv1.RunFunctionRequest{
		Input: resource.MustStructJSON(input),
		Observed: &fnv1.State{
			Composite: &fnv1.Resource{Resource: resource.MustStructJSON(xr)},
			Resources: observed,
		},
	}
	rsp, err := fn.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatalf("RunFunction: %v", err)
	}
	return rsp
}

func fatal(rsp *fnv1.RunFunctionResponse) string {
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			return r.GetMessage()
		}
	}
	return ""
}

func mustSucceed(t *testing.T, rsp *fnv1.RunFunctionResponse) {
	t.Helper()
	if message := fatal(rsp); message != "" {
		t.Fatalf("fatal result: %s", message)
	}
}

// asMap turns a desired object into plain JSON values.
func asMap(t *testing.T, r *fnv1.Resource) map[string]any {
	t.Helper()
	data, err := r.GetResource().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func jsonOf(t *testing.T, text string) any {
	t.Helper()
	var out any
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func at(value any, path ...string) any {
	for _, key := range path {
		object, ok := value.(map[string]any)
		if !ok {
			return nil
		}
		value = object[key]
	}
	return value
}

func expectEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func TestTheEmbeddedContractResolves(t *testing.T) {
	contract, err := LoadContract(contractJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(contract.Secrets) != 5 {
		t.Errorf("the contract has %d secrets, want the five", len(contract.Secrets))
	}
	if contract.RealtimePlatform.CompositeKind != "XRealtimePlatformClaim" || contract.IotBroker.CompositeKind != "XIotBrokerClaim" {
		t.Errorf("composite kinds: %s, %s", contract.RealtimePlatform.CompositeKind, contract.IotBroker.CompositeKind)
	}
}

func TestPointsTheDatabaseKeysAtTheServiceOfTheClaimsEngineOnItsDefaultPort(t *testing.T) {
	contract, err := LoadContract(contractJSON)
	if err != nil {
		t.Fatal(err)
	}
	db, err := contract.secret("db")
	if err != nil {
		t.Fatal(err)
	}
	for database, want := range map[string][2]string{
		"postgres": {"health-data-postgresql.apps.svc.cluster.local", "5432"},
		"mysql":    {"health-data-mysql.apps.svc.cluster.local", "3306"},
		"mongodb":  {"health-data-mongodb.apps.svc.cluster.local", "27017"},
	} {
		p := &Platform{contract: contract, Name: "health-data", Namespace: "apps", ClusterDomain: "cluster.local",
			Spec: map[string]any{"database": database}}
		got := [2]string{}
		for _, key := range db.Keys {
			for i, name := range []string{"DB_HOST", "DB_PORT"} {
				if key.Key == name {
					if got[i], err = p.Endpoint(key); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		expectEqual(t, "database "+database, got, want)
	}
}

func TestComposesTheChartAsAReleaseThatWaitsAndRollsBack(t *testing.T) {
	rsp := runFunction(t, platformInput, platformXR(`{"name": "health-data", "claimRef": {"namespace": "apps", "name": "health-data-realtime"}}`), nil)
	mustSucceed(t, rsp)
	desired := rsp.GetDesired().GetResources()
	if len(desired) != 1 {
		t.Fatalf("composed %d resources, want the Release only", len(desired))
	}
	release := asMap(t, desired["realtime-platform"])
	expectEqual(t, "apiVersion/kind", []any{release["apiVersion"], release["kind"]}, []any{"helm.crossplane.io/v1beta1", "Release"})
	expectEqual(t, "metadata", release["metadata"], jsonOf(t, `{"name": "health-data-realtime-x7k2p", "annotations": {"crossplane.io/external-name": "health-data"}}`))
	expectEqual(t, "providerConfigRef", at(release, "spec", "providerConfigRef"), jsonOf(t, `{"name": "realtime-platform"}`))
	expectEqual(t, "rollbackLimit", at(release, "spec", "rollbackLimit"), 3.0)
	forProvider := at(release, "spec", "forProvider").(map[string]any)
	expectEqual(t, "chart", forProvider["chart"], jsonOf(t, `{"name": "realtime-platform", "repository": "https://charts.example.test/rtp", "version": "0.1.0"}`))
	expectEqual(t, "namespace/skipCreateNamespace/wait/waitTimeout", []any{forProvider["namespace"], forProvider["skipCreateNamespace"], forProvider["wait"], forProvider["waitTimeout"]}, []any{"apps", true, true, "15m"})
	// values.platform is the claim spec with the schema's defaults, without Crossplane's fields.
	expectEqual(t, "values", forProvider["values"], jsonOf(t, `{
		"platform": {
			"name": "health-data", "database": "postgres", "visualization": "metabase", "iot": true,
			"streamProcessing": "builtin", "kafkaBrokers": 1, "mqttUsers": [], "dataRetention": "7d",
			"scaling": {"minReplicas": 1, "maxReplicas": 5}, "snowflake": {"enabled": false}, "topics": []
		},
		"clusterDomain": "cluster.local",
		"lenses": {"enabled": false}
	}`))
}

func TestWritesTheFiveSecretsWithTheContractKeysAsConnectionDetails(t *testing.T) {
	rsp := runFunction(t, platformInput, platformXR(`{"name": "health-data", "claimRef": {"namespace": "apps"}}`), nil)
	mustSucceed(t, rsp)
	spec := at(asMap(t, rsp.GetDesired().GetResources()["realtime-platform"]), "spec").(map[string]any)
	expectEqual(t, "writeConnectionSecretToRef", spec["writeConnectionSecretToRef"], jsonOf(t, `{"name": "health-data-realtime-connection", "namespace": "apps"}`))
	bySecret := map[string][]string{}
	for _, d := range spec["connectionDetails"].([]any) {
		detail := d.(map[string]any)
		if detail["kind"] != "Secret" || detail["apiVersion"] != "v1" || detail["namespace"] != "apps" {
			t.Errorf("detail %v is not a Secret of the claim namespace", detail)
		}
		key := detail["toConnectionSecretKey"].(string)
		if detail["fieldPath"] != "data."+key {
			t.Errorf("detail %v reads another key", detail)
		}
		bySecret[detail["name"].(string)] = append(bySecret[detail["name"].(string)], key)
	}
	expectEqual(t, "keys by secret", bySecret, map[string][]string{
		"health-data-mqtt-secret":     {"MQTT_ENABLED", "MQTT_HOST", "MQTT_PORT", "MQTT_URL", "MQTT_WS_PORT", "MQTT_WS_URL", "MQTT_USERNAME", "MQTT_PASSWORD"},
		"health-data-kafka-secret":    {"KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_USERNAME", "KAFKA_PASSWORD", "KAFKA_SCHEMA_REGISTRY_URL", "KAFKA_CONNECT_URL"},
		"health-data-db-secret":       {"DB_TYPE", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_URL"},
		"health-data-metabase-secret": {"DASHBOARD_TYPE", "DASHBOARD_URL", "DASHBOARD_USER", "DASHBOARD_PASSWORD"},
		// Lenses is off: its secret holds only the flag.
		"health-data-lenses-secret": {"LENSES_ENABLED"},
	})
}

func TestWritesSecretNamesAndEndpointsIntoTheStatusNotReadyYet(t *testing.T) {
	rsp := runFunction(t, platformInput, platformXR(`{"name": "health-data", "visualization": "grafana", "iot": false, "claimRef": {"namespace": "apps"}}`), nil)
	mustSucceed(t, rsp)
	xr := asMap(t, rsp.GetDesired().GetComposite())
	expectEqual(t, "composite", []any{xr["apiVersion"], xr["kind"]}, []any{"platform.example.org/v1alpha1", "XRealtimePlatformClaim"})
	expectEqual(t, "status", xr["status"], jsonOf(t, `{
		"ready": false,
		"message": "installing the realtime-platform chart into namespace apps",
		"secrets": {
			"mqtt": "health-data-mqtt-secret", "kafka": "health-data-kafka-secret", "database": "health-data-db-secret",
			"metabase": "health-data-metabase-secret", "lenses": "health-data-lenses-secret"
		},
		"endpoints": {"metabaseUI": "http://health-data-grafana.apps.svc.cluster.local:3000"}
	}`))
	if _, composedAnyField := xr["spec"]; composedAnyField {
		t.Error("the function must write only the composite's status")
	}
}

func TestWiresTheLensesSubchartsToThePlatformExactlyForStreamProcessingLenses(t *testing.T) {
	rsp := runFunction(t, platformInput, platformXR(`{"name": "clinic", "streamProcessing": "lenses", "claimRef": {"namespace": "clinic"}}`), nil)
	mustSucceed(t, rsp)
	values := at(asMap(t, rsp.GetDesired().GetResources()["realtime-platform"]), "spec", "forProvider", "values")
	expectEqual(t, "lenses", at(values, "lenses"), jsonOf(t, `{"enabled": true}`))
	expectEqual(t, "lenses-hq", at(values, "lenses-hq"), jsonOf(t, `{
		"fullnameOverride": "clinic-lenses-hq",
		"license": {"acceptEULA": true, "existingSecret": "lenses-license"},
		"postgresql": {"host": "clinic-postgresql.clinic.svc.cluster.local"},
		"auth": {"existingSecret": "clinic-lenses-hq-admin"}
	}`))
	expectEqual(t, "lenses-agent", at(values, "lenses-agent"), jsonOf(t, `{
		"fullnameOverride": "clinic-lenses-agent",
		"acceptEULA": true,
		"hq": {"host": "clinic-lenses-hq.clinic.svc.cluster.local", "auth": {"existingSecret": "clinic-lenses-hq-admin"}},
		"kafka": {"bootstrapServers": ["clinic-kafka.clinic.svc.cluster.local:9092"]},
		"schemaRegistry": {"urls": ["http://clinic-schema-registry.clinic.svc.cluster.local:8081"]},
		"connect": {"urls": ["http://clinic-kafka-connect.clinic.svc.cluster.local:8083"]},
		"postgresql": {"host": "clinic-postgresql.clinic.svc.cluster.local"}
	}`))
	status := at(asMap(t, rsp.GetDesired().GetComposite()), "status", "endpoints")
	expectEqual(t, "endpoints", status, jsonOf(t, `{
		"lensesUI": "http://clinic-lenses-hq.clinic.svc.cluster.local:9991",
		"metabaseUI": "http://clinic-metabase.clinic.svc.cluster.local:3000",
		"mqttWebSocket": "ws://clinic-mqtt.clinic.svc.cluster.local:9001/mqtt"
	}`))
}

func TestRefusesAnInvalidClaimNamingTheField(t *testing.T) {
	for _, c := range []struct{ spec, want string }{
		{`{"database": "postgres"}`, "spec.name: Required value"},
		{`{"name": "health-data", "database": "oracle"}`, `spec.database: Unsupported value: "oracle": supported values: "postgres", "mysql", "mongodb"`},
		{`{"name": "health-data", "dataRetention": "7x"}`, `spec.dataRetention: Invalid value: "7x": spec.dataRetention in body should match '^[0-9]+[dwm]$'`},
		{`{"name": "Health_Data"}`, `spec.name: Invalid value: "Health_Data": spec.name in body should match`},
		{`{"name": "h", "iot": "yes"}`, `spec.iot: Invalid value: "string": spec.iot in body must be of type boolean`},
		{`{"name": "h", "scaling": {"minReplicas": 0}}`, `spec.scaling.minReplicas: Invalid value: 0: spec.scaling.minReplicas in body should be greater than or equal to 1`},
		// A device password in clear never reaches the Release's values.
		{`{"name": "h", "mqttUsers": [{"username": "d", "password": "change-me", "passwordSecretRef": {"name": "devices", "key": "d"}}]}`, `spec.mqttUsers[0]: Invalid value: "object": spec.mqttUsers[].password is refused`},
		{`{"name": "h", "mqttUsers": [{"username": "d"}]}`, `spec.mqttUsers[0].passwordSecretRef: Required value`},
		{`{"name": "h", "topics": [{"name": "a"}, {"name": "a", "partitions": 2}]}`, `spec.topics[1]: Duplicate value: {"name":"a"}`},
	} {
		rsp := runFunction(t, platformInput, platformXR(c.spec), nil)
		if message := fatal(rsp); !strings.Contains(message, c.want) {
			t.Errorf("spec %s: fatal result %q, want it to contain %q", c.spec, message, c.want)
		}
		if len(rsp.GetDesired().GetResources()) != 0 {
			t.Errorf("spec %s: composed resources for an invalid claim", c.spec)
		}
	}
}

func TestReportsReadyAndPassesTheConnectionDetailsOnOnceTheReleaseIsReady(t *testing.T) {
	release := func(status, reason, message string) map[string]*fnv1.Resource {
		return map[string]*fnv1.Resource{"realtime-platform": {
			Resource: resource.MustStructJSON(`{"apiVersion": "helm.crossplane.io/v1beta1", "kind": "Release", "metadata": {"name": "x"},
				"status": {"conditions": [{"type": "Ready", "status": "` + status + `", "reason": "` + reason + `", "message": "` + message + `"}]}}`),
			ConnectionDetails: map[string][]byte{"DB_HOST": []byte("health-data-postgresql.apps.svc.cluster.local")},
		}}
	}
	xr := platformXR(`{"name": "health-data", "claimRef": {"namespace": "apps"}}`)

	ready := runFunction(t, platformInput, xr, release("True", "Available", ""))
	mustSucceed(t, ready)
	status := at(asMap(t, ready.GetDesired().GetComposite()), "status").(map[string]any)
	expectEqual(t, "ready", []any{status["ready"], status["message"]}, []any{true, "ready"})
	expectEqual(t, "composite connection details", ready.GetDesired().GetComposite().GetConnectionDetails(),
		map[string][]byte{"DB_HOST": []byte("health-data-postgresql.apps.svc.cluster.local")})

	failing := runFunction(t, platformInput, xr, release("False", "Unavailable", "timed out waiting for the condition"))
	mustSucceed(t, failing)
	status = at(asMap(t, failing.GetDesired().GetComposite()), "status").(map[string]any)
	want := "realtime-platform release not ready: timed out waiting for the condition"
	expectEqual(t, "not ready", []any{status["ready"], status["message"]}, []any{false, want})
	results := failing.GetResults()
	if len(results) != 1 || results[0].GetSeverity() != fnv1.Severity_SEVERITY_WARNING || results[0].GetMessage() != want ||
		results[0].GetTarget() != fnv1.Target_TARGET_COMPOSITE_AND_CLAIM {
		t.Errorf("results %v, want one warning for the composite and the claim", results)
	}

	noMessage := runFunction(t, platformInput, xr, release("False", "ReconcileError", ""))
	status = at(asMap(t, noMessage.GetDesired().GetComposite()), "status").(map[string]any)
	expectEqual(t, "reason when no message", status["message"], "realtime-platform release not ready: ReconcileError")
}

func TestComposesTheIotBrokerChartWithItsSecretAndEndpoints(t *testing.T) {
	xr := `{
		"apiVersion": "platform.example.org/v1alpha1", "kind": "XIotBrokerClaim",
		"metadata": {"name": "ward-devices-iot-abcde"},
		"spec": {"name": "ward-devices", "mqttUsers": [{"username": "monitor-7", "passwordSecretRef": {"name": "ward-devices", "key": "monitor-7"}}],
			"persistence": {"size": "2Gi"}, "crossplane": {"claimRef": {"namespace": "devices"}}}
	}`
	rsp := runFunction(t, iotInput, xr, nil)
	mustSucceed(t, rsp)
	release := asMap(t, rsp.GetDesired().GetResources()["iot-broker"])
	expectEqual(t, "forProvider", at(release, "spec", "forProvider"), jsonOf(t, `{
		"chart": {"name": "iot-broker", "repository": "oci://registry.example.test/charts", "version": "0.1.0"},
		"namespace": "devices", "skipCreateNamespace": true, "wait": true, "waitTimeout": "5m",
		"values": {
			"name": "ward-devices", "clusterDomain": "example.internal",
			"auth": {"users": [{"username": "monitor-7", "passwordSecretRef": {"name": "ward-devices", "key": "monitor-7"}}]},
			"persistence": {"enabled": true, "size": "2Gi"}
		}
	}`))
	expectEqual(t, "writeConnectionSecretToRef", at(release, "spec", "writeConnectionSecretToRef"), jsonOf(t, `{"name": "ward-devices-iot-connection", "namespace": "devices"}`))
	if n := len(at(release, "spec", "connectionDetails").([]any)); n != 8 {
		t.Errorf("%d connection details, want the 8 keys of the MQTT secret", n)
	}
	expectEqual(t, "status", at(asMap(t, rsp.GetDesired().GetComposite()), "status"), jsonOf(t, `{
		"ready": false, "message": "installing the iot-broker chart into namespace devices",
		"secrets": {"mqtt": "ward-devices-mqtt-secret"},
		"endpoints": {
			"mqtt": "mqtt://ward-devices-mqtt.devices.svc.example.internal:1883",
			"mqttWebSocket": "ws://ward-devices-mqtt.devices.svc.example.internal:9001/mqtt"
		}
	}`))
}

func TestRefusesAnInvalidInputOrAnotherComposite(t *testing.T) {
	noRepository := strings.Replace(platformInput, `"repository": "https://charts.example.test/rtp", `, "", 1)
	xr := platformXR(`{"name": "health-data"}`)
	if message := fatal(runFunction(t, noRepository, xr, nil)); !strings.Contains(message, "input.release.chart.repository: Required value") {
		t.Errorf("input without repository: %q", message)
	}
	wrongKind := strings.Replace(platformInput, `"kind": "Input"`, `"kind": "GoTemplate"`, 1)
	if message := fatal(runFunction(t, wrongKind, xr, nil)); !strings.Contains(message, "must be compose.platform.example.org/v1alpha1 Input") {
		t.Errorf("input of another kind: %q", message)
	}
	other := strings.Replace(xr, "XRealtimePlatformClaim", "XPostgreSQLInstance", 1)
	if message := fatal(runFunction(t, platformInput, other, nil)); !strings.Contains(message, "not XPostgreSQLInstance") {
		t.Errorf("another composite kind: %q", message)
	}
}

func TestInstallsIntoTheClaimNamespace(t *testing.T) {
	for _, c := range []struct{ xr, want string }{
		{`{"spec": {"claimRef": {"namespace": "a"}}}`, "a"},
		{`{"spec": {"crossplane": {"claimRef": {"namespace": "b"}}}}`, "b"},
		{`{"metadata": {"namespace": "c"}, "spec": {}}`, "c"},
		{`{"metadata": {"labels": {"crossplane.io/claim-namespace": "d"}}, "spec": {}}`, "d"},
		{`{"spec": {}}`, "default"},
	} {
		if got := claimNamespace(jsonOf(t, c.xr).(map[string]any)); got != c.want {
			t.Errorf("%s: namespace %q, want %q", c.xr, got, c.want)
		}
	}
}
