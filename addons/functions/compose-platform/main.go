// Command function-compose-platform is the realtime-platform addon's composition function. From a
// RealtimePlatformClaim's (or IotBrokerClaim's) composite it composes the provider-helm Release of
// this project's chart, with the connection details of the secrets the chart renders, and writes
// the claim's status. Every name, port, host and secret key comes from contract.json, generated
// from the platform contract.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	function "github.com/crossplane/function-sdk-go"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "function-compose-platform:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("function-compose-platform", flag.ContinueOnError)
	debug := flags.Bool("debug", false, "Emit debug logs in addition to info logs.")
	network := flags.String("network", "tcp", "Network on which to listen for gRPC connections.")
	address := flags.String("address", ":9443", "Address at which to listen for gRPC connections.")
	certs := flags.String("tls-certs-dir", os.Getenv("TLS_SERVER_CERTS_DIR"),
		"Directory with the server's tls.crt and tls.key and the ca.crt that verifies clients (Crossplane sets TLS_SERVER_CERTS_DIR).")
	insecure := flags.Bool("insecure", false, "Serve without mTLS (crossplane render's Development runtime only).")
	metrics := flags.String("metrics-address", ":8080", "Address of the Prometheus /metrics endpoint; empty turns it off.")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	log, err := function.NewLogger(*debug)
	if err != nil {
		return err
	}
	fn, err := NewFunction(log)
	if err != nil {
		return err
	}
	return function.Serve(fn,
		function.Listen(*network, *address),
		function.MTLSCertificates(*certs),
		function.Insecure(*insecure),
		function.WithMetricsServer(*metrics))
}
