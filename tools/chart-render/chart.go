package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/Masterminds/semver"
	"github.com/ghodss/yaml"
)

// chartTemplate is one file under templates/, named as Helm names it: "<chart>/templates/<path>".
type chartTemplate struct {
	name string
	text string
}

type loadedChart struct {
	dir       string
	metadata  map[string]interface{}
	values    map[string]interface{}
	templates []chartTemplate
	files     Files
}

// Metadata keys of Chart.yaml as the chart sees them in .Chart (Helm exposes its Metadata struct, whose
// field names are the capitalised YAML keys).
var chartFieldNames = map[string]string{
	"apiVersion":   "APIVersion",
	"name":         "Name",
	"home":         "Home",
	"sources":      "Sources",
	"version":      "Version",
	"description":  "Description",
	"keywords":     "Keywords",
	"maintainers":  "Maintainers",
	"icon":         "Icon",
	"condition":    "Condition",
	"tags":         "Tags",
	"appVersion":   "AppVersion",
	"deprecated":   "Deprecated",
	"annotations":  "Annotations",
	"kubeVersion":  "KubeVersion",
	"dependencies": "Dependencies",
	"type":         "Type",
}

// Files Helm keeps out of .Files: the chart's own machinery.
var nonFiles = map[string]bool{
	"Chart.yaml":         true,
	"Chart.lock":         true,
	"values.yaml":        true,
	"values.schema.json": true,
	"requirements.yaml":  true,
	"requirements.lock":  true,
}

func loadChart(dir string) (*loadedChart, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	var meta map[string]interface{}
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("Chart.yaml: %w", err)
	}
	chartMeta := map[string]interface{}{}
	for key, value := range meta {
		field, ok := chartFieldNames[key]
		if !ok {
			return nil, fmt.Errorf("Chart.yaml: unknown field %q", key)
		}
		chartMeta[field] = value
	}
	name, _ := chartMeta["Name"].(string)
	if name == "" {
		return nil, fmt.Errorf("Chart.yaml: name is required")
	}
	if v, _ := chartMeta["Version"].(string); v == "" {
		return nil, fmt.Errorf("Chart.yaml: version must be a SemVer string")
	} else if _, err := semver.StrictNewVersion(v); err != nil {
		return nil, fmt.Errorf("Chart.yaml: version %q is not SemVer 2: %w", v, err)
	}
	if api, _ := chartMeta["APIVersion"].(string); api != "v2" {
		return nil, fmt.Errorf("Chart.yaml: apiVersion must be v2 (Helm 3); got %q", api)
	}
	if deps, ok := chartMeta["Dependencies"].([]interface{}); ok && len(deps) > 0 {
		return nil, fmt.Errorf("Chart.yaml: dependencies are not supported by chart-render")
	}

	values := map[string]interface{}{}
	if raw, err := os.ReadFile(filepath.Join(dir, "values.yaml")); err == nil {
		if err := yaml.Unmarshal(raw, &values); err != nil {
			return nil, fmt.Errorf("values.yaml: %w", err)
		}
		if values == nil {
			values = map[string]interface{}{}
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}

	ignore, err := readHelmIgnore(dir)
	if err != nil {
		return nil, err
	}

	chart := &loadedChart{dir: dir, metadata: chartMeta, values: values, files: Files{}}
	err = filepath.Walk(dir, func(p string, info os.FileInfo, walkErr error) error {
		if walkErr != nil {
			return walkErr
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignore.matches(rel, info.IsDir()) {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if info.IsDir() {
			if rel == "charts" {
				return fmt.Errorf("charts/ (subcharts) is not supported by chart-render")
			}
			return nil
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(rel, "templates/"):
			chart.templates = append(chart.templates, chartTemplate{name: name + "/" + rel, text: string(content)})
		case nonFiles[rel]:
		default:
			chart.files[rel] = content
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Helm parses the deepest paths first, so a parent's define wins over a subchart's; then by name.
	sort.SliceStable(chart.templates, func(i, j int) bool {
		di, dj := strings.Count(chart.templates[i].name, "/"), strings.Count(chart.templates[j].name, "/")
		if di != dj {
			return di > dj
		}
		return chart.templates[i].name < chart.templates[j].name
	})
	return chart, nil
}

// checkKubeVersion applies Chart.yaml's kubeVersion constraint, as helm install does.
func (c *loadedChart) checkKubeVersion(kube KubeVersion) error {
	constraint, _ := c.metadata["KubeVersion"].(string)
	if constraint == "" {
		return nil
	}
	cons, err := semver.NewConstraint(constraint)
	if err != nil {
		return fmt.Errorf("Chart.yaml: kubeVersion %q: %w", constraint, err)
	}
	version, err := semver.NewVersion(kube.Version)
	if err != nil {
		return err
	}
	if !cons.Check(version) {
		return fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s",
			constraint, kube.Version)
	}
	return nil
}

// helmIgnore holds the patterns of .helmignore: shell globs matched against the relative path and
// against its last element; a trailing slash limits a pattern to directories. Negation ("!") is not
// supported and is refused rather than silently misread.
type helmIgnore struct {
	patterns []string
	dirOnly  []bool
}

func readHelmIgnore(dir string) (*helmIgnore, error) {
	ignore := &helmIgnore{}
	raw, err := os.ReadFile(filepath.Join(dir, ".helmignore"))
	if os.IsNotExist(err) {
		return ignore, nil
	}
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			return nil, fmt.Errorf(".helmignore: negated pattern %q is not supported by chart-render", line)
		}
		dirOnly := strings.HasSuffix(line, "/")
		pattern := strings.TrimSuffix(line, "/")
		if _, err := path.Match(pattern, "x"); err != nil {
			return nil, fmt.Errorf(".helmignore: bad pattern %q: %w", line, err)
		}
		ignore.patterns = append(ignore.patterns, pattern)
		ignore.dirOnly = append(ignore.dirOnly, dirOnly)
	}
	return ignore, nil
}

func (h *helmIgnore) matches(rel string, isDir bool) bool {
	for i, pattern := range h.patterns {
		if h.dirOnly[i] && !isDir {
			continue
		}
		if ok, _ := path.Match(pattern, rel); ok {
			return true
		}
		if ok, _ := path.Match(pattern, path.Base(rel)); ok {
			return true
		}
	}
	return false
}
