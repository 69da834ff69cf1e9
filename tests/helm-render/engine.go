package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/semver"
	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

const defaultKubeVersion = "v1.30.0"

// helmVersion is what `.Capabilities.HelmVersion.Version` reports.
const helmVersion = "v3.15.0"

// recursionMax is Helm's limit on nested `include`s of one template name.
const recursionMax = 1000

// Options are the `helm template` flags helm-render supports.
type Options struct {
	ValueFiles       []string
	Release          string
	Namespace        string
	KubeVersion      string
	ExtraAPIVersions []string
	Notes            bool
	NoHooks          bool
}

// ---------------------------------------------------------------------------------------------
// Values

// readValuesFile reads a values file the way Helm does (sigs.k8s.io/yaml: YAML → JSON → Go, so
// every number is a float64, as in Helm).
func readValuesFile(name string) (map[string]interface{}, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("failed to parse %s: %v", name, err)
	}
	if m == nil {
		m = map[string]interface{}{}
	}
	return m, nil
}

// mergeMaps merges the -f files in order: maps merge key by key, anything else (null included)
// replaces (Helm's pkg/cli/values mergeMaps).
func mergeMaps(a, b map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if vm, ok := v.(map[string]interface{}); ok {
			if om, ok := out[k].(map[string]interface{}); ok {
				out[k] = mergeMaps(om, vm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// coalesce lays the user's values over the chart's defaults (Helm's chartutil.CoalesceValues):
// the user's value wins, tables merge, and a user null deletes the key.
func coalesce(user, chart map[string]interface{}) map[string]interface{} {
	dst := deepCopy(user).(map[string]interface{})
	coalesceTables(dst, deepCopy(chart).(map[string]interface{}))
	return dst
}

func coalesceTables(dst, src map[string]interface{}) {
	for k, sv := range src {
		dv, ok := dst[k]
		switch {
		case ok && dv == nil:
			delete(dst, k) // a user null deletes the chart's default
		case !ok:
			dst[k] = sv
		default:
			sm, sIsMap := sv.(map[string]interface{})
			dm, dIsMap := dv.(map[string]interface{})
			if sIsMap && dIsMap {
				coalesceTables(dm, sm)
			}
			// Otherwise the user's value stays, table or not (Helm warns and keeps it).
		}
	}
	// A user null for a key the chart does not have is dropped too.
	for k, v := range dst {
		if v == nil {
			if _, inChart := src[k]; !inChart {
				delete(dst, k)
			}
		}
	}
}

func deepCopy(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		m := make(map[string]interface{}, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []interface{}:
		s := make([]interface{}, len(t))
		for i, x := range t {
			s[i] = deepCopy(x)
		}
		return s
	default:
		return v
	}
}

// ---------------------------------------------------------------------------------------------
// Capabilities

// KubeVersion is `.Capabilities.KubeVersion`.
type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

func (kv *KubeVersion) String() string { return kv.Version }

// GitVersion is the deprecated alias of Version.
func (kv *KubeVersion) GitVersion() string { return kv.Version }

// VersionSet is `.Capabilities.APIVersions`.
type VersionSet []string

// Has reports whether an API version ("apps/v1") or version/kind ("apps/v1/Deployment") is known.
func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

// BuildInfo is `.Capabilities.HelmVersion`.
type BuildInfo struct {
	Version      string
	GitCommit    string
	GitTreeState string
	GoVersion    string
}

// Capabilities is `.Capabilities`.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
	HelmVersion BuildInfo
}

// builtinAPIs are the group/versions a v1.30 API server serves by default, with the kinds charts
// usually probe for as group/version/Kind.
var builtinAPIs = map[string][]string{
	"v1": {"Binding", "ConfigMap", "Endpoints", "Event", "LimitRange", "Namespace", "Node",
		"PersistentVolume", "PersistentVolumeClaim", "Pod", "PodTemplate", "ReplicationController",
		"ResourceQuota", "Secret", "Service", "ServiceAccount"},
	"admissionregistration.k8s.io/v1": {"MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
		"ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration"},
	"apiextensions.k8s.io/v1":              {"CustomResourceDefinition"},
	"apiregistration.k8s.io/v1":            {"APIService"},
	"apps/v1":                              {"ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"},
	"authentication.k8s.io/v1":             {"SelfSubjectReview", "TokenReview"},
	"authorization.k8s.io/v1":              {"LocalSubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview"},
	"autoscaling/v1":                       {"HorizontalPodAutoscaler"},
	"autoscaling/v2":                       {"HorizontalPodAutoscaler"},
	"batch/v1":                             {"CronJob", "Job"},
	"certificates.k8s.io/v1":               {"CertificateSigningRequest"},
	"coordination.k8s.io/v1":               {"Lease"},
	"discovery.k8s.io/v1":                  {"EndpointSlice"},
	"events.k8s.io/v1":                     {"Event"},
	"flowcontrol.apiserver.k8s.io/v1":      {"FlowSchema", "PriorityLevelConfiguration"},
	"flowcontrol.apiserver.k8s.io/v1beta3": {"FlowSchema", "PriorityLevelConfiguration"},
	"networking.k8s.io/v1":                 {"Ingress", "IngressClass", "NetworkPolicy"},
	"node.k8s.io/v1":                       {"RuntimeClass"},
	"policy/v1":                            {"PodDisruptionBudget"},
	"rbac.authorization.k8s.io/v1":         {"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"},
	"scheduling.k8s.io/v1":                 {"PriorityClass"},
	"storage.k8s.io/v1":                    {"CSIDriver", "CSINode", "CSIStorageCapacity", "StorageClass", "VolumeAttachment"},
}

var kubeVersionRe = regexp.MustCompile(`^v?(\d+)\.(\d+)(\.\d+)?$`)

func newCapabilities(kubeVersion string, extra []string) (*Capabilities, error) {
	m := kubeVersionRe.FindStringSubmatch(kubeVersion)
	if m == nil {
		return nil, fmt.Errorf("invalid kube version %q", kubeVersion)
	}
	v := kubeVersion
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if m[3] == "" {
		v += ".0"
	}
	var apis VersionSet
	for gv, kinds := range builtinAPIs {
		apis = append(apis, gv)
		for _, k := range kinds {
			apis = append(apis, gv+"/"+k)
		}
	}
	for _, e := range extra {
		if e = strings.TrimSpace(e); e != "" {
			apis = append(apis, e)
		}
	}
	sort.Strings(apis)
	return &Capabilities{
		KubeVersion: KubeVersion{Version: v, Major: m[1], Minor: m[2]},
		APIVersions: apis,
		HelmVersion: BuildInfo{Version: helmVersion, GitTreeState: "clean", GoVersion: "go1.22"},
	}, nil
}

// ---------------------------------------------------------------------------------------------
// Functions

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return "" // Helm swallows the error inside a template
	}
	return strings.TrimSuffix(string(data), "\n")
}

func mustToYAML(v interface{}) (string, error) {
	data, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(data), "\n"), nil
}

func fromYAML(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(s string) []interface{} {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(s), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func mustToJSON(v interface{}) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(data), nil
}

func fromJSON(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(s string) []interface{} {
	a := []interface{}{}
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

// Helm wraps the messages of required and fail so that the execution error shows only them.
const errStart, errEnd = "HELM_ERR_START", "HELM_ERR_END"

func wrapErr(msg string) string { return errStart + msg + errEnd }

var wrappedErrRe = regexp.MustCompile(errStart + `(?s)(.*)` + errEnd)

func funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	extra := template.FuncMap{
		"toYaml":        toYAML,
		"mustToYaml":    mustToYAML,
		"fromYaml":      fromYAML,
		"fromYamlArray": fromYAMLArray,
		"toJson":        toJSON,
		"mustToJson":    mustToJSON,
		"fromJson":      fromJSON,
		"fromJsonArray": fromJSONArray,
		"required": func(msg string, v interface{}) (interface{}, error) {
			if v == nil {
				return v, errors.New(wrapErr(msg))
			}
			if s, ok := v.(string); ok && s == "" {
				return v, errors.New(wrapErr(msg))
			}
			return v, nil
		},
		"fail": func(msg string) (string, error) { return "", errors.New(wrapErr(msg)) },
		// No cluster: lookup finds nothing, as in `helm template`.
		"lookup": func(string, string, string, string) (map[string]interface{}, error) {
			return map[string]interface{}{}, nil
		},
		// Placeholders, replaced once the template exists (they close over it).
		"include": func(string, interface{}) string { return "not implemented" },
		"tpl":     func(string, interface{}) interface{} { return "not implemented" },
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func includeFun(t *template.Template, included map[string]int) func(string, interface{}) (string, error) {
	return func(name string, data interface{}) (string, error) {
		if included[name] > recursionMax {
			return "", fmt.Errorf("unable to execute template: rendering template has a nested reference name: %s", name)
		}
		included[name]++
		defer func() { included[name]-- }()
		var buf strings.Builder
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
}

func tplFun(parent *template.Template, included map[string]int) func(string, interface{}) (string, error) {
	return func(text string, vals interface{}) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("cannot clone template: %v", err)
		}
		t.Option("missingkey=zero")
		t.Funcs(template.FuncMap{"include": includeFun(t, included), "tpl": tplFun(t, included)})
		t, err = t.New(parent.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %v", text, err)
		}
		var buf strings.Builder
		if err := t.Execute(&buf, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %v", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

// ---------------------------------------------------------------------------------------------
// Rendering

// sortTemplates orders template names as Helm parses them: shallower paths first, then by name
// (Helm sorts in reverse of "deeper first, then by name").
func sortTemplates(names []string) {
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
		if ca == cb {
			return a > b
		}
		return ca > cb
	})
}

func cleanupParseError(name string, err error) error {
	tokens := strings.Split(err.Error(), ": ")
	if len(tokens) == 1 {
		return fmt.Errorf("parse error in (%s): %s", name, err)
	}
	location := tokens[1]
	msg := strings.Join(tokens[2:], ": ")
	return fmt.Errorf("parse error at (%s): %s", location, msg)
}

func cleanupExecError(name string, err error) error {
	var execErr template.ExecError
	if !errors.As(err, &execErr) {
		return err
	}
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("execution error in (%s): %s", name, err)
	}
	msg := tokens[2]
	if m := wrappedErrRe.FindStringSubmatch(msg); m != nil {
		msg = m[1]
	}
	return fmt.Errorf("execution error at (%s): %s", tokens[1], msg)
}

var releaseNameRe = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// renderTemplates executes every template of the chart and returns name → output.
func renderTemplates(c *Chart, top map[string]interface{}) (rendered map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	fm := funcMap()
	included := map[string]int{}
	fm["include"] = includeFun(t, included)
	fm["tpl"] = tplFun(t, included)
	t.Funcs(fm)

	var names []string
	sources := map[string]string{}
	for rel, src := range c.Templates {
		name := path.Join(c.Metadata.Name, rel)
		names = append(names, name)
		sources[name] = src
	}
	sortTemplates(names)
	for _, name := range names {
		if _, err := t.New(name).Parse(sources[name]); err != nil {
			return nil, cleanupParseError(name, err)
		}
	}
	rendered = map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := make(map[string]interface{}, len(top)+1)
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]interface{}{"Name": name, "BasePath": path.Join(c.Metadata.Name, "templates")}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			return nil, cleanupExecError(name, err)
		}
		rendered[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return rendered, nil
}

// Manifest is one YAML document of the rendered output.
type Manifest struct {
	Source  string
	Content string
	Kind    string
	Hook    bool
}

// installOrder is Helm's releaseutil.InstallOrder: kinds earlier in the list are printed first,
// unknown kinds last (alphabetically by kind), and the order within a kind is the render order.
var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
	"PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
	"ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
	"CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
	"ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
	"DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
	"HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
	"APIService",
}

func sortByKind(ms []Manifest) {
	rank := map[string]int{}
	for i, k := range installOrder {
		rank[k] = i
	}
	sort.SliceStable(ms, func(i, j int) bool {
		a, aok := rank[ms[i].Kind]
		b, bok := rank[ms[j].Kind]
		switch {
		case !aok && !bok:
			return ms[i].Kind < ms[j].Kind
		case !aok:
			return false
		case !bok:
			return true
		}
		return a < b
	})
}

var docSeparator = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

// splitManifests splits one rendered file into its documents, dropping the empty ones.
func splitManifests(s string) []string {
	var docs []string
	for _, d := range docSeparator.Split(strings.TrimSpace(s), -1) {
		if d == "" {
			continue
		}
		docs = append(docs, strings.TrimSpace(d))
	}
	return docs
}

type simpleHead struct {
	Version  string `json:"apiVersion"`
	Kind     string `json:"kind,omitempty"`
	Metadata *struct {
		Name        string            `json:"name"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata,omitempty"`
}

// Render renders a chart directory and returns what `helm template` would print.
func Render(chartDir string, opts Options) (string, error) {
	if len(opts.Release) > 53 || !releaseNameRe.MatchString(opts.Release) {
		return "", fmt.Errorf("release name %q is invalid", opts.Release)
	}
	c, err := LoadChart(chartDir)
	if err != nil {
		return "", err
	}
	caps, err := newCapabilities(opts.KubeVersion, opts.ExtraAPIVersions)
	if err != nil {
		return "", err
	}
	if c.Metadata.KubeVersion != "" {
		constraint, err := semver.NewConstraint(c.Metadata.KubeVersion)
		if err != nil {
			return "", fmt.Errorf("invalid kubeVersion %q in Chart.yaml: %v", c.Metadata.KubeVersion, err)
		}
		kv, _ := semver.NewVersion(caps.KubeVersion.Version)
		if !constraint.Check(kv) {
			return "", fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s",
				c.Metadata.KubeVersion, caps.KubeVersion.Version)
		}
	}
	user := map[string]interface{}{}
	for _, f := range opts.ValueFiles {
		m, err := readValuesFile(f)
		if err != nil {
			return "", err
		}
		user = mergeMaps(user, m)
	}
	values := coalesce(user, c.Values)

	top := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name":      opts.Release,
			"Namespace": opts.Namespace,
			"IsUpgrade": false,
			"IsInstall": true,
			"Revision":  1,
			"Service":   "Helm",
		},
		"Chart":        c.Metadata,
		"Capabilities": caps,
		"Files":        c.Files,
		"Subcharts":    map[string]interface{}{},
	}
	rendered, err := renderTemplates(c, top)
	if err != nil {
		return "", err
	}

	notesName := path.Join(c.Metadata.Name, "templates", "NOTES.txt")
	notes := rendered[notesName]
	var manifests, hooks []Manifest
	for _, name := range sortedKeys(rendered) {
		if strings.HasSuffix(name, "NOTES.txt") {
			continue
		}
		for _, doc := range splitManifests(rendered[name]) {
			var head simpleHead
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				return "", fmt.Errorf("YAML parse error on %s: %v", name, err)
			}
			m := Manifest{Source: name, Content: doc, Kind: head.Kind}
			if head.Metadata != nil {
				if _, ok := head.Metadata.Annotations["helm.sh/hook"]; ok {
					m.Hook = true
				}
			}
			if m.Hook {
				hooks = append(hooks, m)
			} else {
				manifests = append(manifests, m)
			}
		}
	}
	sortByKind(manifests)
	sortByKind(hooks)

	var body strings.Builder
	for _, m := range manifests {
		fmt.Fprintf(&body, "---\n# Source: %s\n%s\n", m.Source, m.Content)
	}
	var out strings.Builder
	out.WriteString(strings.TrimSpace(body.String()))
	out.WriteString("\n")
	if !opts.NoHooks {
		for _, m := range hooks {
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", m.Source, m.Content)
		}
	}
	if opts.Notes && strings.TrimSpace(notes) != "" {
		fmt.Fprintf(&out, "\nNOTES:\n%s\n", strings.TrimSpace(notes))
	}
	return out.String(), nil
}
