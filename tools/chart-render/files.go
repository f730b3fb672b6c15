package main

import (
	"path"
	"sort"
	"strings"

	"github.com/ghodss/yaml"
)

// Files is .Files: the chart's files outside templates/, keyed by slash-separated relative path.
type Files map[string][]byte

// Get returns a file's content as a string, or "" when there is no such file (as in Helm).
func (f Files) Get(name string) string { return string(f[name]) }

// GetBytes returns a file's content.
func (f Files) GetBytes(name string) []byte { return f[name] }

// Glob returns the files whose path matches a shell pattern. Helm uses gobwas/glob, where "**" crosses
// directories; here "*" stays within one path element (path.Match), and "**" is not special.
func (f Files) Glob(pattern string) Files {
	out := Files{}
	for name, content := range f {
		if ok, _ := path.Match(pattern, name); ok {
			out[name] = content
		}
	}
	return out
}

// Lines splits a file into lines.
func (f Files) Lines(name string) []string {
	content := f.Get(name)
	if content == "" {
		return []string{}
	}
	return strings.Split(content, "\n")
}

// AsConfig renders the files as ConfigMap data: file base name to content, as YAML.
func (f Files) AsConfig() string { return f.asMap(func(b []byte) interface{} { return string(b) }) }

// AsSecrets renders the files as Secret data: file base name to base64 content, as YAML.
func (f Files) AsSecrets() string { return f.asMap(func(b []byte) interface{} { return b }) }

func (f Files) asMap(value func([]byte) interface{}) string {
	if len(f) == 0 {
		return ""
	}
	names := make([]string, 0, len(f))
	for name := range f {
		names = append(names, name)
	}
	sort.Strings(names)
	m := map[string]interface{}{}
	for _, name := range names {
		m[path.Base(name)] = value(f[name])
	}
	out, err := yaml.Marshal(m)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(out), "\n")
}
