package main

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
)

// contractJSON is generated from @realtime-platform/platform-contract by the addon's generator
// (npx nx run addons:generate; a test fails when it is stale). The function knows no name, port,
// host or secret key of its own: they are all in here.
//
//go:embed contract.json
var contractJSON []byte

// Contract is the part of the platform contract the function composes from.
type Contract struct {
	APIVersion           string         `json:"apiVersion"`
	DefaultClusterDomain string         `json:"defaultClusterDomain"`
	Release              TypeMeta       `json:"release"`
	Input                InputContract  `json:"input"`
	Services             []Service      `json:"services"`
	Secrets              []Secret       `json:"secrets"`
	RealtimePlatform     CompositeShape `json:"realtimePlatform"`
	IotBroker            CompositeShape `json:"iotBroker"`
}

// TypeMeta is an apiVersion and a kind.
type TypeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

// InputContract is the function's input type and its schema.
type InputContract struct {
	APIVersion string  `json:"apiVersion"`
	Kind       string  `json:"kind"`
	Schema     *Schema `json:"schema"`
}

// Condition is a claim field value that turns a Service or secret on (absent: always on).
type Condition struct {
	Field  string `json:"field"`
	Equals any    `json:"equals"`
}

// Port is a named Service port.
type Port struct {
	Name string `json:"name"`
	Port int    `json:"port"`
}

// Service is a Kubernetes Service of a platform, named {name}-{suffix}.
type Service struct {
	ID          string     `json:"id"`
	Suffix      string     `json:"suffix"`
	Ports       []Port     `json:"ports"`
	EnabledWhen *Condition `json:"enabledWhen"`
}

// SecretKey is a key of one of the five secrets.
type SecretKey struct {
	Key    string `json:"key"`
	Kind   string `json:"kind"`   // endpoint, setting, credential or connection (a URL of the others)
	Format string `json:"format"` // host, port, bootstrap, url (endpoints); flag, enum, name (settings)
	// Services are the candidates in order: an endpoint points at the first one the claim deploys.
	Services []string `json:"services"`
	// Port names the port on the Service; PortByService for candidates whose port is named otherwise
	// (the database keys: postgresql, mysql, mongodb).
	Port          string            `json:"port"`
	PortByService map[string]string `json:"portByService"`
	Scheme        string            `json:"scheme"`
	Path          string            `json:"path"`
}

// Secret is one of the five secrets, named {name}-{suffix}. When its condition does not hold it
// still exists and holds only its flag key (<PREFIX>ENABLED: "false").
type Secret struct {
	ID          string      `json:"id"`
	Suffix      string      `json:"suffix"`
	Prefix      string      `json:"prefix"`
	EnabledWhen *Condition  `json:"enabledWhen"`
	Keys        []SecretKey `json:"keys"`
}

// StatusField is a status.secrets or status.endpoints field and what it shows.
type StatusField struct {
	Field  string `json:"field"`
	Secret string `json:"secret"`
	Key    string `json:"key"`
}

// CompositeShape is what the function composes for one composite kind.
type CompositeShape struct {
	CompositeKind          string         `json:"compositeKind"`
	ResourceName           string         `json:"resourceName"`
	ConnectionSecretSuffix string         `json:"connectionSecretSuffix"`
	Spec                   *Schema        `json:"spec"`
	StatusSecrets          []StatusField  `json:"statusSecrets"`
	StatusEndpoints        []StatusField  `json:"statusEndpoints"`
	LensesValues           map[string]any `json:"lensesValues"`
	// Conditions fixes claim fields a composite kind does not have (an iot-broker is MQTT alone).
	Conditions map[string]any `json:"conditions"`
	// Secrets are the ids of the secrets the chart renders; empty means all five.
	Secrets []string `json:"secrets"`
}

// LoadContract parses contract.json and checks that its references resolve.
func LoadContract(data []byte) (*Contract, error) {
	c := &Contract{}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("cannot parse contract.json: %w", err)
	}
	for _, shape := range []CompositeShape{c.RealtimePlatform, c.IotBroker} {
		if shape.CompositeKind == "" || shape.ResourceName == "" || shape.Spec == nil {
			return nil, fmt.Errorf("contract.json: incomplete composite %+v", shape)
		}
		for _, field := range append(append([]StatusField{}, shape.StatusSecrets...), shape.StatusEndpoints...) {
			if _, err := c.secret(field.Secret); err != nil {
				return nil, err
			}
		}
		for _, id := range shape.Secrets {
			if _, err := c.secret(id); err != nil {
				return nil, err
			}
		}
	}
	for _, secret := range c.Secrets {
		for _, key := range secret.Keys {
			for _, id := range key.Services {
				if _, err := c.service(id); err != nil {
					return nil, fmt.Errorf("contract.json: %s: %w", key.Key, err)
				}
			}
		}
	}
	if c.Input.Schema == nil {
		return nil, errors.New("contract.json: no input schema")
	}
	return c, nil
}

func (c *Contract) service(id string) (*Service, error) {
	for i := range c.Services {
		if c.Services[i].ID == id {
			return &c.Services[i], nil
		}
	}
	return nil, fmt.Errorf("contract.json: unknown service %q", id)
}

func (c *Contract) secret(id string) (*Secret, error) {
	for i := range c.Secrets {
		if c.Secrets[i].ID == id {
			return &c.Secrets[i], nil
		}
	}
	return nil, fmt.Errorf("contract.json: unknown secret %q", id)
}

// shapeOf is the composite shape of a composite kind.
func (c *Contract) shapeOf(kind string) (*CompositeShape, bool) {
	switch kind {
	case c.RealtimePlatform.CompositeKind:
		return &c.RealtimePlatform, true
	case c.IotBroker.CompositeKind:
		return &c.IotBroker, true
	}
	return nil, false
}
