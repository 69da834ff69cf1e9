package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected files from the current output")

func render(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return out.String(), errb.String(), code
}

// The hand-written chart renders exactly as `helm template` prints it.
func TestGolden(t *testing.T) {
	cases := []struct {
		expected string
		args     []string
	}{
		{"demo-default.yaml", []string{"testdata/demo", "--release", "shop", "--namespace", "shop-dev", "--notes"}},
		{"demo-production.yaml", []string{"testdata/demo", "-f", "testdata/demo/values-production.yaml",
			"--release", "shop", "--namespace", "shop-prod", "--notes"}},
		{"demo-layered.yaml", []string{"--namespace=shop-prod", "-f", "testdata/demo/values-production.yaml",
			"testdata/demo", "--values", "testdata/values-override.yaml", "--release", "demo-shop", "--no-hooks"}},
		{"demo-release-defaults.yaml", []string{"testdata/demo"}},
	}
	for _, c := range cases {
		t.Run(c.expected, func(t *testing.T) {
			got, stderr, code := render(t, c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			path := filepath.Join("testdata", "expected", c.expected)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("render differs from %s:\n%s", path, firstDiff(string(want), got))
			}
		})
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return "(no line differs)"
}

func itoa(i int) string { return strconv.Itoa(i) }

// A chart that Helm refuses must make the tool fail, with Helm's message.
func TestBrokenCharts(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"undefined function", []string{"testdata/broken/undefined-function"},
			`parse error at (undefined-function/templates/configmap.yaml:4): function "nosuchfunction" not defined`},
		{"env is removed", []string{"testdata/broken/env-removed"}, `function "env" not defined`},
		{"fail", []string{"testdata/broken/fail"},
			"execution error at (fail/templates/configmap.yaml:2:4): enabled must be true"},
		{"required value nulled out", []string{"testdata/demo", "-f", "testdata/values-no-database.yaml"},
			"execution error at (demo/templates/configmap.yaml:9:19): database.url is required: set it in a values file"},
		{"include recursion", []string{"testdata/broken/include-loop"},
			"rendering template has a nested reference name: loop"},
		{"invalid YAML output", []string{"testdata/broken/bad-yaml"},
			"YAML parse error on bad-yaml/templates/configmap.yaml"},
		{"missing values file", []string{"testdata/demo", "-f", "testdata/no-such-file.yaml"}, "no-such-file.yaml"},
		{"invalid release name", []string{"testdata/demo", "--release", "Shop_1"}, `release name "Shop_1" is invalid`},
		{"kubeVersion constraint", []string{"testdata/demo", "--kube-version", "1.24.3"},
			"chart requires kubeVersion: >=1.25.0-0 which is incompatible with Kubernetes v1.24.3"},
		{"not a chart", []string{"testdata/broken"}, "Chart.yaml file is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := render(t, c.args...)
			if code == 0 {
				t.Fatalf("exit 0, wanted a failure; output:\n%s", out)
			}
			if out != "" {
				t.Errorf("printed manifests on failure:\n%s", out)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q does not contain %q", stderr, c.want)
			}
		})
	}
	if _, _, code := render(t, "--bogus", "testdata/demo"); code != 2 {
		t.Errorf("unknown flag: exit %d, wanted 2", code)
	}
}

// -f files merge in order, maps key by key; lists and scalars replace; null deletes the key
// (also the chart's default, which must not come back).
func TestValuesMerge(t *testing.T) {
	chart := map[string]interface{}{
		"a":     map[string]interface{}{"x": 1.0, "y": 2.0, "keep": "chart"},
		"list":  []interface{}{"c1", "c2"},
		"gone":  "chart default",
		"table": map[string]interface{}{"k": "v"},
	}
	f1 := map[string]interface{}{
		"a":    map[string]interface{}{"x": 10.0, "y": nil},
		"list": []interface{}{"u1"},
		"gone": "set by f1",
	}
	f2 := map[string]interface{}{
		"gone":  nil,
		"a":     map[string]interface{}{"z": map[string]interface{}{"deep": true}},
		"table": "scalar over a table",
		"extra": nil,
	}
	got := coalesce(mergeMaps(mergeMaps(map[string]interface{}{}, f1), f2), chart)
	want := map[string]interface{}{
		"a":     map[string]interface{}{"x": 10.0, "keep": "chart", "z": map[string]interface{}{"deep": true}},
		"list":  []interface{}{"u1"},
		"table": "scalar over a table",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged values:\n got %#v\nwant %#v", got, want)
	}
	if _, ok := chart["gone"]; !ok {
		t.Error("coalesce modified the chart's own values")
	}
}

// Helm's install order: known kinds by rank, unknown kinds last by name, render order kept.
func TestKindOrder(t *testing.T) {
	ms := []Manifest{
		{Kind: "ServiceMonitor", Source: "1"}, {Kind: "Ingress", Source: "2"}, {Kind: "Deployment", Source: "3"},
		{Kind: "ExternalSecret", Source: "4"}, {Kind: "Service", Source: "5"}, {Kind: "Deployment", Source: "6"},
		{Kind: "Namespace", Source: "7"}, {Kind: "NetworkPolicy", Source: "8"}, {Kind: "HorizontalPodAutoscaler", Source: "9"},
		{Kind: "PodDisruptionBudget", Source: "10"}, {Kind: "ServiceAccount", Source: "11"}, {Kind: "ConfigMap", Source: "12"},
		{Kind: "CronJob", Source: "13"}, {Kind: "PrometheusRule", Source: "14"}, {Kind: "Service", Source: "15"},
	}
	sortByKind(ms)
	var got []string
	for _, m := range ms {
		got = append(got, m.Kind+"#"+m.Source)
	}
	want := []string{"Namespace#7", "NetworkPolicy#8", "PodDisruptionBudget#10", "ServiceAccount#11",
		"ConfigMap#12", "Service#5", "Service#15", "Deployment#3", "Deployment#6",
		"HorizontalPodAutoscaler#9", "CronJob#13", "Ingress#2", "ExternalSecret#4",
		"PrometheusRule#14", "ServiceMonitor#1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
}

// Documents split like Helm's SplitManifests (same separator expression): empty ones dropped,
// each trimmed. The separator's trailing \s* eats the newline a directly following `---` would
// need, so that one stays inside the next document, as it does in Helm.
func TestSplitManifests(t *testing.T) {
	in := "\n---\n# only a comment\n---\n\na: 1\n---\nb: 2\n  \n--- \nc: 3\n---\n---\nd: 4\n---\n"
	got := splitManifests(in)
	want := []string{"# only a comment", "a: 1", "b: 2", "c: 3", "---\nd: 4"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Helm-specific functions behave as Helm's do.
func TestFunctions(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Chart.yaml", "apiVersion: v2\nname: fn\nversion: 1.0.0\nappVersion: \"2\"\n")
	write("values.yaml", "greeting: \"hello {{ .Release.Name }}\"\nnum: 3\nlist: [b, a]\n")
	write("files/a.conf", "alpha\nbeta\n")
	write("files/sub/b.conf", "gamma\n")
	write("templates/cm.yaml", `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
data:
  tpl: {{ tpl .Values.greeting . | quote }}
  num: {{ .Values.num | quote }}
  missing: "{{ .Values.nope }}"
  fromYaml: {{ (fromYaml "a: {b: 1}").a.b | quote }}
  fromYamlError: {{ hasKey (fromYaml "a: [") "Error" | quote }}
  fromYamlArray: {{ fromYamlArray "[1, two]" | toJson | quote }}
  toJson: {{ .Values.list | toJson | quote }}
  fromJson: {{ (fromJson "{\"k\": \"v\"}").k | quote }}
  lookup: {{ lookup "v1" "Secret" "ns" "name" | toJson | quote }}
  has: {{ .Capabilities.APIVersions.Has "apps/v1" }}-{{ .Capabilities.APIVersions.Has "example.com/v9" }}-{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}
  kube: {{ .Capabilities.KubeVersion.Major }}.{{ .Capabilities.KubeVersion.Minor }}
  release: {{ printf "%s/%s/%v/%v/%s" .Release.Name .Release.Namespace .Release.IsInstall .Release.Revision .Release.Service | quote }}
  template: {{ .Template.BasePath | quote }}
  file: {{ .Files.Get "files/a.conf" | quote }}
  lines: {{ .Files.Lines "files/a.conf" | toJson | quote }}
  glob: {{ range $p, $_ := .Files.Glob "files/**.conf" }}{{ $p }};{{ end }}
  globOne: {{ range $p, $_ := .Files.Glob "files/*.conf" }}{{ $p }};{{ end }}
  config: {{ (.Files.Glob "files/*.conf").AsConfig | quote }}
`)
	out, stderr, code := render(t, dir, "--release", "r1", "-n", "ns1", "-a", "monitoring.coreos.com/v1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"# Source: fn/templates/cm.yaml\n",
		"name: r1-fn\n",
		`tpl: "hello r1"`,
		`num: "3"`,
		`missing: ""`,
		`fromYaml: "1"`,
		`fromYamlError: "true"`,
		`fromYamlArray: "[1,\"two\"]"`,
		`toJson: "[\"b\",\"a\"]"`,
		`fromJson: "v"`,
		`lookup: "{}"`,
		"has: true-false-true\n",
		"kube: 1.30\n",
		`release: "r1/ns1/true/1/Helm"`,
		`template: "fn/templates"`,
		`file: "alpha\nbeta\n"`,
		`lines: "[\"alpha\",\"beta\"]"`,
		"glob: files/a.conf;files/sub/b.conf;\n",
		"globOne: files/a.conf;\n",
		`config: "a.conf: |\n  alpha\n  beta"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Same input, same bytes: map iteration order must not leak into the output.
func TestDeterministic(t *testing.T) {
	args := []string{"testdata/demo", "-f", "testdata/demo/values-production.yaml", "--notes"}
	first, _, _ := render(t, args...)
	for i := 0; i < 10; i++ {
		if again, _, _ := render(t, args...); again != first {
			t.Fatal("two renders differ")
		}
	}
}
