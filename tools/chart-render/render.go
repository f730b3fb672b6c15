package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"github.com/ghodss/yaml"
)

// manifest is one YAML document of a rendered template file.
type manifest struct {
	Source string          `json:"source"`
	Text   string          `json:"-"`
	Object json.RawMessage `json:"object"`
}

type renderResult struct {
	manifests []manifest
	notes     string
	values    map[string]interface{}
}

// Helm splits a rendered file into documents at lines that start with "---".
var documentSeparator = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

func render(chart *loadedChart, values map[string]interface{}, release map[string]interface{},
	caps *Capabilities) (*renderResult, error) {
	root := template.New("gotpl")
	root.Option("missingkey=zero")
	includedNames := map[string]int{}
	root.Funcs(helmFuncs())
	bindTemplateFuncs(root, includedNames)

	for _, tpl := range chart.templates {
		if _, err := root.New(tpl.name).Parse(tpl.text); err != nil {
			return nil, fmt.Errorf("parse error: %w", err)
		}
	}

	chartName, _ := chart.metadata["Name"].(string)
	result := &renderResult{values: values}
	for _, tpl := range chart.templates {
		base := path.Base(tpl.name)
		if strings.HasPrefix(base, "_") {
			continue // partials only hold defines
		}
		isNotes := base == "NOTES.txt"
		if !isNotes && !strings.HasSuffix(base, ".yaml") && !strings.HasSuffix(base, ".yml") &&
			!strings.HasSuffix(base, ".tpl") {
			continue
		}
		data := map[string]interface{}{
			"Values":       values,
			"Release":      release,
			"Chart":        chart.metadata,
			"Capabilities": caps,
			"Files":        chart.files,
			"Subcharts":    map[string]interface{}{},
			"Template":     map[string]interface{}{"Name": tpl.name, "BasePath": chartName + "/templates"},
		}
		var buf strings.Builder
		if err := root.ExecuteTemplate(&buf, tpl.name, data); err != nil {
			return nil, cleanError(err)
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if isNotes {
			result.notes = text
			continue
		}
		docs, err := splitDocuments(tpl.name, text)
		if err != nil {
			return nil, err
		}
		result.manifests = append(result.manifests, docs...)
	}
	return result, nil
}

// splitDocuments cuts a rendered file into documents, drops empty ones (whitespace and comments only,
// which kubectl and Helm ignore too) and converts each to JSON the way the API machinery does
// (sigs.k8s.io/yaml: YAML 1.1 scalars, duplicate keys refused).
func splitDocuments(source, text string) ([]manifest, error) {
	var out []manifest
	for i, doc := range documentSeparator.Split(text, -1) {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		js, err := yaml.YAMLToJSONStrict([]byte(doc))
		if err != nil {
			return nil, fmt.Errorf("%s (document %d): YAML parse error: %w\n%s", source, i+1, err, numbered(doc))
		}
		if string(js) == "null" {
			continue
		}
		if !strings.HasPrefix(string(js), "{") {
			return nil, fmt.Errorf("%s (document %d): not a mapping:\n%s", source, i+1, numbered(doc))
		}
		out = append(out, manifest{Source: source, Text: strings.Trim(doc, "\n"), Object: js})
	}
	return out, nil
}

func numbered(doc string) string {
	var b strings.Builder
	for i, line := range strings.Split(doc, "\n") {
		fmt.Fprintf(&b, "%4d | %s\n", i+1, line)
	}
	return b.String()
}

// cleanError strips the template engine's call-site noise from a failure raised by fail or required
// so the chart's own message is what the operator reads (Helm prints it the same way).
func cleanError(err error) error {
	return fmt.Errorf("template: %s", strings.TrimPrefix(err.Error(), "template: "))
}

func (r *renderResult) manifestText() string {
	var b strings.Builder
	for _, m := range r.manifests {
		b.WriteString("---\n# Source: ")
		b.WriteString(m.Source)
		b.WriteString("\n")
		b.WriteString(m.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func (r *renderResult) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "manifests.yaml"), []byte(r.manifestText()), 0o644); err != nil {
		return err
	}
	objects, err := json.MarshalIndent(r.manifests, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "manifests.json"), objects, 0o644); err != nil {
		return err
	}
	values, err := json.MarshalIndent(r.values, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "values.json"), values, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "NOTES.txt"), []byte(r.notes), 0o644)
}
