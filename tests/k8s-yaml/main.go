// k8s-yaml prints what Kubernetes reads from YAML: for every case file given, it writes
// NAME.json (the JSON that sigs.k8s.io/yaml.YAMLToJSON produces, as the API server and kubectl
// do) or NAME.err (the error it returns). Build in GOPATH mode against Debian's sources:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o k8s-yaml main.go
package main

import (
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

func main() {
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		base := strings.TrimSuffix(path, ".yaml")
		os.Remove(base + ".json")
		os.Remove(base + ".err")
		j, err := yaml.YAMLToJSON(data)
		if err != nil {
			must(os.WriteFile(base+".err", []byte(err.Error()+"\n"), 0o644))
			continue
		}
		must(os.WriteFile(base+".json", append(j, '\n'), 0o644))
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
