package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"github.com/ghodss/yaml"
)

// Helm stops include and tpl recursion at this depth per template name.
const recursionLimit = 1000

// helmFuncs is sprig's function map as Helm exposes it (without env and expandenv, which Helm removes so
// a chart cannot read the operator's environment), plus Helm's own conversion functions.
func helmFuncs() template.FuncMap {
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")

	funcs["toYaml"] = toYaml
	funcs["mustToYaml"] = mustToYaml
	funcs["fromYaml"] = fromYaml
	funcs["fromYamlArray"] = fromYamlArray
	funcs["toJson"] = toJson
	funcs["mustToJson"] = mustToJson
	funcs["fromJson"] = fromJson
	funcs["fromJsonArray"] = fromJsonArray
	funcs["toToml"] = func(interface{}) (string, error) {
		return "", fmt.Errorf("toToml is not implemented by chart-render")
	}
	// Placeholders so templates parse; bindTemplateFuncs replaces them once the template set exists.
	funcs["include"] = func(string, interface{}) (string, error) { return "", nil }
	funcs["tpl"] = func(string, interface{}) (string, error) { return "", nil }
	funcs["required"] = required
	// Offline there is no cluster: lookup finds nothing, exactly what `helm template` returns.
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return funcs
}

// bindTemplateFuncs wires include and tpl to the given template set (as Helm's engine does per render).
func bindTemplateFuncs(t *template.Template, includedNames map[string]int) {
	t.Funcs(template.FuncMap{
		"include": includeFunc(t, includedNames),
		"tpl":     tplFunc(t, includedNames),
	})
}

func includeFunc(t *template.Template, includedNames map[string]int) func(string, interface{}) (string, error) {
	return func(name string, data interface{}) (string, error) {
		if includedNames[name] > recursionLimit {
			return "", fmt.Errorf("rendering template has a nested reference name: %s: unable to execute template", name)
		}
		includedNames[name]++
		defer func() { includedNames[name]-- }()
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
}

// tplFunc renders a string as a template inside a clone of the chart's template set, so it sees every
// define; Helm names the new template after the one calling tpl.
func tplFunc(parent *template.Template, includedNames map[string]int) func(string, interface{}) (string, error) {
	return func(text string, data interface{}) (string, error) {
		clone, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("cannot clone template: %w", err)
		}
		clone.Option("missingkey=zero")
		bindTemplateFuncs(clone, includedNames)
		parsed, err := clone.New(parent.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var buf strings.Builder
		if err := parsed.Execute(&buf, data); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

func required(message string, value interface{}) (interface{}, error) {
	if value == nil {
		return value, fmt.Errorf("%s", message)
	}
	if s, ok := value.(string); ok && s == "" {
		return value, fmt.Errorf("%s", message)
	}
	return value, nil
}

// toYaml marshals like Helm: through JSON (sigs.k8s.io/yaml, here its ancestor ghodss/yaml), keys
// sorted, no trailing newline; an error gives "".
func toYaml(v interface{}) string {
	out, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(out), "\n")
}

func mustToYaml(v interface{}) (string, error) {
	out, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

// fromYaml returns a map, or a map holding "Error" when the text is not a YAML mapping (as Helm does).
func fromYaml(text string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYamlArray(text string) []interface{} {
	var a []interface{}
	if err := yaml.Unmarshal([]byte(text), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

func toJson(v interface{}) string {
	out, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(out)
}

func mustToJson(v interface{}) (string, error) {
	out, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

func fromJson(text string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJsonArray(text string) []interface{} {
	var a []interface{}
	if err := json.Unmarshal([]byte(text), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}
