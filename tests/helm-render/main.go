// helm-render renders a Helm chart the way `helm template` does, for the tests of platc's Helm
// backend: Helm itself cannot be installed from the registries this project reaches.
//
//	helm-render CHART_DIR [-f values.yaml]... [--release NAME] [--namespace NS]
//	            [--kube-version v1.30.0] [-a API_VERSION]... [--notes] [--no-hooks]
//
// The engine is Go's text/template with sprig and Helm's own functions, wired as Helm 3 wires
// them: missingkey=zero with "<no value>" removed from the output, include with a recursion
// limit, tpl, required, fail, toYaml/fromYaml/toJson/fromJson/fromYamlArray/fromJsonArray,
// lookup returning an empty map, env and expandenv removed. The rendered files are split into
// YAML documents and printed in Helm's install order with a `# Source:` comment each, exactly as
// `helm template` prints them. Deviations from Helm are listed in README.md beside this file.
//
// It builds offline from Debian packages only:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `usage: helm-render CHART_DIR [-f VALUES]... [--release NAME] [--namespace NS]
                   [--kube-version VERSION] [-a API_VERSION]... [--notes] [--no-hooks]
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	opts := Options{Release: "release-name", Namespace: "default", KubeVersion: defaultKubeVersion}
	chartDir := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		if !strings.HasPrefix(a, "-") {
			if chartDir != "" {
				fmt.Fprintf(stderr, "Error: unexpected argument %q\n%s", a, usage)
				return 2
			}
			chartDir = a
			continue
		}
		takesValue := map[string]bool{"-f": true, "--values": true, "--release": true, "--name": true,
			"-n": true, "--namespace": true, "--kube-version": true, "-a": true, "--api-versions": true}
		if takesValue[name] && !hasValue {
			if i+1 >= len(args) {
				fmt.Fprintf(stderr, "Error: flag %s needs a value\n%s", name, usage)
				return 2
			}
			i++
			value = args[i]
		}
		switch name {
		case "-f", "--values":
			opts.ValueFiles = append(opts.ValueFiles, value)
		case "--release", "--name":
			opts.Release = value
		case "-n", "--namespace":
			opts.Namespace = value
		case "--kube-version":
			opts.KubeVersion = value
		case "-a", "--api-versions":
			opts.ExtraAPIVersions = append(opts.ExtraAPIVersions, strings.Split(value, ",")...)
		case "--notes":
			opts.Notes = true
		case "--no-hooks":
			opts.NoHooks = true
		case "-h", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		default:
			fmt.Fprintf(stderr, "Error: unknown flag %s\n%s", a, usage)
			return 2
		}
	}
	if chartDir == "" {
		fmt.Fprintf(stderr, "Error: no chart directory given\n%s", usage)
		return 2
	}
	out, err := Render(chartDir, opts)
	if err != nil {
		fmt.Fprintf(stderr, "Error: %s\n", shorten(err.Error()))
		return 1
	}
	fmt.Fprint(stdout, out)
	return 0
}

// shorten cuts the middle out of an error message, such as the chain of 1000 includes Helm
// reports for a recursive template, keeping its start (where) and end (why).
func shorten(msg string) string {
	const keep = 600
	if len(msg) <= 2*keep {
		return msg
	}
	return msg[:keep] + " ... " + msg[len(msg)-keep:]
}
