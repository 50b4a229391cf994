package main

import (
	"fmt"
	"strconv"
)

// Platform is one platform (or iot-broker) as the contract models it: named {name}, in the claim's
// namespace, its Services' hosts under the cluster domain. Go's counterpart of the contract's
// describePlatform/resolveEndpoint, driven by contract.json (the addon's tests compare both).
type Platform struct {
	contract      *Contract
	Name          string
	Namespace     string
	ClusterDomain string
	// Spec holds the claim fields the contract's conditions read (iot, visualization, ...).
	Spec map[string]any
}

func (p *Platform) holds(condition *Condition) bool {
	return condition == nil || render(p.Spec[condition.Field]) == render(condition.Equals)
}

// ServiceName is {name}-{suffix}.
func (p *Platform) ServiceName(s *Service) string { return p.Name + "-" + s.Suffix }

// Host is <service>.<namespace>.svc.<clusterDomain>.
func (p *Platform) Host(s *Service) string {
	return fmt.Sprintf("%s.%s.svc.%s", p.ServiceName(s), p.Namespace, p.ClusterDomain)
}

// SecretName is {name}-{suffix}: {name}-mqtt-secret, ...
func (p *Platform) SecretName(s *Secret) string { return p.Name + "-" + s.Suffix }

// SecretEnabled is false when the claim turns the secret's feature off.
func (p *Platform) SecretEnabled(s *Secret) bool { return p.holds(s.EnabledWhen) }

// SecretKeys are the keys the secret holds for this claim: all of them, or only its flag when its
// feature is off.
func (p *Platform) SecretKeys(s *Secret) []string {
	keys := []string{}
	enabled := p.SecretEnabled(s)
	for _, key := range s.Keys {
		if enabled || (key.Kind == "setting" && key.Format == "flag") {
			keys = append(keys, key.Key)
		}
	}
	return keys
}

// Endpoint is the value of an endpoint key: on the first of its Services the claim deploys.
func (p *Platform) Endpoint(key SecretKey) (string, error) {
	if key.Kind != "endpoint" {
		return "", fmt.Errorf("%s is a %s, not an endpoint", key.Key, key.Kind)
	}
	for _, id := range key.Services {
		service, err := p.contract.service(id)
		if err != nil {
			return "", err
		}
		if !p.holds(service.EnabledWhen) {
			continue
		}
		portName := key.Port
		if name, ok := key.PortByService[id]; ok {
			portName = name
		}
		for _, port := range service.Ports {
			if port.Name != portName {
				continue
			}
			number := strconv.Itoa(port.Port)
			switch key.Format {
			case "host":
				return p.Host(service), nil
			case "port":
				return number, nil
			case "bootstrap":
				return p.Host(service) + ":" + number, nil
			case "url":
				scheme := key.Scheme
				if scheme == "" {
					scheme = "http"
				}
				return fmt.Sprintf("%s://%s:%s%s", scheme, p.Host(service), number, key.Path), nil
			}
			return "", fmt.Errorf("%s: unknown endpoint format %q", key.Key, key.Format)
		}
		return "", fmt.Errorf("%s: service %s has no port %s", key.Key, id, portName)
	}
	return "", fmt.Errorf("%s: none of %v is deployed", key.Key, key.Services)
}

// StatusEndpoint is the URL a status.endpoints field shows, or "" when its secret is turned off.
func (p *Platform) StatusEndpoint(field StatusField) (string, error) {
	secret, err := p.contract.secret(field.Secret)
	if err != nil {
		return "", err
	}
	if !p.SecretEnabled(secret) {
		return "", nil
	}
	for _, key := range secret.Keys {
		if key.Key == field.Key {
			return p.Endpoint(key)
		}
	}
	return "", fmt.Errorf("contract.json: secret %s has no key %s", field.Secret, field.Key)
}
