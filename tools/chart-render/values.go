package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ghodss/yaml"
)

// readUserValues merges the -f files in order (later wins, maps merge deeply), then applies -set and
// -set-string. Values files are parsed like Helm parses them: YAML turned into JSON first, so every
// number is a float64 (which is why `{{ 1000000 }}` from values prints as 1e+06 in Helm too).
func readUserValues(files, sets, setStrings []string) (map[string]interface{}, error) {
	merged := map[string]interface{}{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		current := map[string]interface{}{}
		if err := yaml.Unmarshal(raw, &current); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		merged = mergeMaps(merged, current)
	}
	for _, set := range sets {
		if err := applySet(merged, set, false); err != nil {
			return nil, err
		}
	}
	for _, set := range setStrings {
		if err := applySet(merged, set, true); err != nil {
			return nil, err
		}
	}
	return merged, nil
}

// mergeMaps merges b into a (b wins; nested maps merge). Nulls are kept so coalesce can delete keys.
func mergeMaps(a, b map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bv, ok := v.(map[string]interface{}); ok {
			if av, ok := out[k].(map[string]interface{}); ok {
				out[k] = mergeMaps(av, bv)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// coalesce lays user values over the chart's defaults as Helm does: maps merge key by key, anything
// else from the user replaces the default, and a user null deletes the key.
func coalesce(defaults, user map[string]interface{}) map[string]interface{} {
	out := deepCopyMap(defaults)
	for k, uv := range user {
		if uv == nil {
			delete(out, k)
			continue
		}
		if um, ok := uv.(map[string]interface{}); ok {
			if dm, ok := out[k].(map[string]interface{}); ok {
				out[k] = coalesce(dm, um)
				continue
			}
			out[k] = dropNulls(um)
			continue
		}
		out[k] = uv
	}
	return out
}

func dropNulls(m map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(m))
	for k, v := range m {
		switch typed := v.(type) {
		case nil:
		case map[string]interface{}:
			out[k] = dropNulls(typed)
		default:
			out[k] = v
		}
	}
	return out
}

func deepCopyMap(m map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(m))
	for k, v := range m {
		out[k] = deepCopy(v)
	}
	return out
}

func deepCopy(v interface{}) interface{} {
	switch typed := v.(type) {
	case map[string]interface{}:
		return deepCopyMap(typed)
	case []interface{}:
		out := make([]interface{}, len(typed))
		for i, item := range typed {
			out[i] = deepCopy(item)
		}
		return out
	default:
		return v
	}
}

// applySet handles "a.b.c=value" (dotted map keys; "\." escapes a dot). Values are typed like Helm's
// --set: true/false are booleans, null deletes, whole numbers are int64, anything else is a string.
// List indexes (a[0]=x) and comma-separated multiple assignments are not supported.
func applySet(target map[string]interface{}, assignment string, asString bool) error {
	eq := strings.Index(assignment, "=")
	if eq <= 0 {
		return fmt.Errorf("-set %q: expected key=value", assignment)
	}
	key, raw := assignment[:eq], assignment[eq+1:]
	if strings.ContainsAny(key, "[]") {
		return fmt.Errorf("-set %q: list indexes are not supported by chart-render", assignment)
	}
	parts := splitKey(key)
	node := target
	for _, part := range parts[:len(parts)-1] {
		next, ok := node[part].(map[string]interface{})
		if !ok {
			next = map[string]interface{}{}
			node[part] = next
		}
		node = next
	}
	last := parts[len(parts)-1]
	if asString {
		node[last] = raw
		return nil
	}
	switch {
	case raw == "true":
		node[last] = true
	case raw == "false":
		node[last] = false
	case raw == "null":
		node[last] = nil
	default:
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil && !strings.HasPrefix(raw, "0") || raw == "0" {
			node[last] = n
		} else {
			node[last] = raw
		}
	}
	return nil
}

func splitKey(key string) []string {
	var parts []string
	var current strings.Builder
	for i := 0; i < len(key); i++ {
		if key[i] == '\\' && i+1 < len(key) && key[i+1] == '.' {
			current.WriteByte('.')
			i++
			continue
		}
		if key[i] == '.' {
			parts = append(parts, current.String())
			current.Reset()
			continue
		}
		current.WriteByte(key[i])
	}
	return append(parts, current.String())
}
