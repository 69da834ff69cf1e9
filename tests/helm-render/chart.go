package main

import (
	"encoding/base64"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver"
	"sigs.k8s.io/yaml"
)

// Metadata is Chart.yaml, with the field names templates see as `.Chart.X` (Helm's chart.Metadata).
type Metadata struct {
	Name         string            `json:"name,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version,omitempty"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []*Maintainer     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion,omitempty"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []*Dependency     `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

// Maintainer is one entry of Chart.yaml's maintainers.
type Maintainer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

// Dependency is one entry of Chart.yaml's dependencies (read, but subcharts are not supported).
type Dependency struct {
	Name       string `json:"name"`
	Version    string `json:"version,omitempty"`
	Repository string `json:"repository"`
}

// Files are the chart's non-template files, as `.Files` (Helm's chart.Files subset).
type Files map[string][]byte

// Get returns a file's content as a string, "" when absent.
func (f Files) Get(name string) string { return string(f.GetBytes(name)) }

// GetBytes returns a file's content, nil when absent.
func (f Files) GetBytes(name string) []byte {
	if v, ok := f[name]; ok {
		return v
	}
	return []byte{}
}

// Lines returns a file's lines, without the final newline.
func (f Files) Lines(name string) []string {
	s := string(f[name])
	if s == "" {
		return []string{}
	}
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// Glob returns the files whose path matches pattern (`*` stays within a path segment, `**` does not).
func (f Files) Glob(pattern string) Files {
	re, err := globRegexp(pattern)
	out := Files{}
	if err != nil {
		return out
	}
	for name, data := range f {
		if re.MatchString(name) {
			out[name] = data
		}
	}
	return out
}

// AsConfig renders the files as a ConfigMap data block (base name: content).
func (f Files) AsConfig() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = string(v)
	}
	return toYAML(m)
}

// AsSecrets renders the files as a Secret data block (base name: base64 content).
func (f Files) AsSecrets() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = base64.StdEncoding.EncodeToString(v)
	}
	return toYAML(m)
}

func globRegexp(pattern string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	inClass := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case inClass:
			if c == ']' {
				inClass = false
			}
			if c == '!' && pattern[i-1] == '[' {
				c = '^'
			}
			b.WriteByte(c)
		case c == '*' && i+1 < len(pattern) && pattern[i+1] == '*':
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			inClass = true
			b.WriteByte(c)
		case c == '{':
			b.WriteString("(?:")
		case c == '}':
			b.WriteString(")")
		case c == ',':
			b.WriteString("|")
		case c == '\\' && i+1 < len(pattern):
			i++
			b.WriteString(regexp.QuoteMeta(string(pattern[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Chart is a chart directory loaded the way Helm's loader splits it.
type Chart struct {
	Metadata  *Metadata
	Values    map[string]interface{}
	Templates map[string]string // "templates/x.yaml" -> source
	Files     Files
}

var semverRe = regexp.MustCompile(`^v?(0|[1-9]\d*)(\.(0|[1-9]\d*))?(\.(0|[1-9]\d*))?` +
	`(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// LoadChart reads a chart directory. Subcharts (charts/, dependencies) are refused: platc's charts
// have none, and rendering them would need Helm's whole values-scoping logic.
func LoadChart(dir string) (*Chart, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a chart directory (packaged charts are not supported)", dir)
	}
	ignore := loadHelmignore(dir)
	c := &Chart{Values: map[string]interface{}{}, Templates: map[string]string{}, Files: Files{}}
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignore(rel, info.IsDir()) {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if info.IsDir() {
			if rel == "charts" {
				entries, _ := os.ReadDir(p)
				if len(entries) > 0 {
					return fmt.Errorf("%s: subcharts are not supported by helm-render", p)
				}
			}
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case rel == "Chart.yaml":
			c.Metadata = &Metadata{}
			if err := yaml.Unmarshal(data, c.Metadata); err != nil {
				return fmt.Errorf("cannot load Chart.yaml: %v", err)
			}
		case rel == "values.yaml":
			if err := yaml.Unmarshal(data, &c.Values); err != nil {
				return fmt.Errorf("cannot load values.yaml: %v", err)
			}
			if c.Values == nil {
				c.Values = map[string]interface{}{}
			}
		case rel == "values.schema.json", rel == "Chart.lock", rel == "requirements.yaml", rel == "requirements.lock":
			// Helm keeps these out of .Files; the schema is checked separately (ajv).
		case strings.HasPrefix(rel, "templates/"):
			c.Templates[rel] = string(data)
		case strings.HasPrefix(rel, "crds/"):
			// `helm template` leaves CRDs out unless --include-crds; they are never templates.
		default:
			c.Files[rel] = data
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	md := c.Metadata
	switch {
	case md == nil:
		return nil, fmt.Errorf("Chart.yaml file is missing")
	case md.APIVersion == "":
		return nil, fmt.Errorf("validation: chart.metadata.apiVersion is required")
	case md.APIVersion != "v1" && md.APIVersion != "v2":
		return nil, fmt.Errorf("validation: chart.metadata.apiVersion %q is not valid", md.APIVersion)
	case md.Name == "":
		return nil, fmt.Errorf("validation: chart.metadata.name is required")
	case strings.ContainsAny(md.Name, "/\\"):
		return nil, fmt.Errorf("validation: chart.metadata.name %q is invalid", md.Name)
	case md.Version == "":
		return nil, fmt.Errorf("validation: chart.metadata.version is required")
	case !semverRe.MatchString(md.Version):
		return nil, fmt.Errorf("validation: chart.metadata.version %q is invalid", md.Version)
	case md.Type != "" && md.Type != "application" && md.Type != "library":
		return nil, fmt.Errorf("validation: chart.metadata.type must be application or library")
	case md.Type == "library":
		return nil, fmt.Errorf("library charts are not installable")
	case len(md.Dependencies) > 0:
		return nil, fmt.Errorf("chart dependencies are not supported by helm-render")
	}
	if _, err := semver.NewVersion(md.Version); err != nil {
		return nil, fmt.Errorf("validation: chart.metadata.version %q is invalid", md.Version)
	}
	return c, nil
}

// loadHelmignore reads .helmignore: one glob a line, `dir/` for directories, `#` comments.
// Negations (`!pattern`) are not supported and are ignored.
func loadHelmignore(dir string) func(rel string, isDir bool) bool {
	data, err := os.ReadFile(filepath.Join(dir, ".helmignore"))
	var patterns []string
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") {
				continue
			}
			patterns = append(patterns, line)
		}
	}
	return func(rel string, isDir bool) bool {
		if rel == ".helmignore" {
			return false
		}
		for _, p := range patterns {
			dirOnly := strings.HasSuffix(p, "/")
			p = strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
			if dirOnly && !isDir {
				continue
			}
			target := rel
			if !strings.Contains(p, "/") {
				target = path.Base(rel)
			}
			if ok, _ := path.Match(p, target); ok {
				return true
			}
		}
		return false
	}
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
