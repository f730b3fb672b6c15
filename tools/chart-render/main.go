// Command chart-render renders a Helm chart's templates offline, the way `helm template` does, for
// machines where helm cannot be installed. It uses Go's text/template with the sprig functions (both
// packaged in Debian) and re-implements the Helm built-ins a chart sees: .Values, .Release, .Chart,
// .Capabilities, .Template, .Files, include, tpl, required, lookup, toYaml and friends. README.md in
// this folder lists what it does not do.
//
//	chart-render -chart charts/gateway -f a.yaml -f b.yaml -set x.y=1 -name gw -namespace mail -out DIR
//
// DIR receives manifests.yaml (what `helm template` prints), manifests.json (every object converted to
// JSON as the API server would receive it), values.json (the merged values) and NOTES.txt. Without
// -out the manifests go to standard output. Exit status 1 on any template or conversion error.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	var valueFiles, sets, setStrings, apiVersions stringList
	chartDir := flag.String("chart", "", "chart directory (holds Chart.yaml)")
	name := flag.String("name", "release-name", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.31.0", "Kubernetes version for .Capabilities.KubeVersion")
	isUpgrade := flag.Bool("upgrade", false, "render as an upgrade (.Release.IsUpgrade) instead of an install")
	out := flag.String("out", "", "output directory (default: manifests on standard output)")
	valuesOnly := flag.Bool("values-only", false, "print the merged values as JSON and render nothing")
	flag.Var(&valueFiles, "f", "values file (repeatable; later files win)")
	flag.Var(&sets, "set", "key.path=value, typed like helm --set (repeatable)")
	flag.Var(&setStrings, "set-string", "key.path=value, always a string (repeatable)")
	flag.Var(&apiVersions, "api-versions", "extra API version or group/version/Kind for .Capabilities.APIVersions")
	flag.Parse()

	if *chartDir == "" {
		fmt.Fprintln(os.Stderr, "chart-render: -chart is required")
		os.Exit(2)
	}

	o := options{
		chartDir:    *chartDir,
		releaseName: *name,
		namespace:   *namespace,
		kubeVersion: *kubeVersion,
		isUpgrade:   *isUpgrade,
		valueFiles:  valueFiles,
		sets:        sets,
		setStrings:  setStrings,
		apiVersions: apiVersions,
	}
	if *valuesOnly {
		values, err := mergedValues(o)
		if err != nil {
			fmt.Fprintln(os.Stderr, "chart-render: "+err.Error())
			os.Exit(1)
		}
		out, _ := json.MarshalIndent(values, "", "  ")
		fmt.Println(string(out))
		return
	}
	result, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chart-render: "+err.Error())
		os.Exit(1)
	}

	if *out == "" {
		fmt.Print(result.manifestText())
		return
	}
	if err := result.write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "chart-render: "+err.Error())
		os.Exit(1)
	}
}

type options struct {
	chartDir    string
	releaseName string
	namespace   string
	kubeVersion string
	isUpgrade   bool
	valueFiles  []string
	sets        []string
	setStrings  []string
	apiVersions []string
}

// mergedValues is the chart's values.yaml with the value files and -set assignments laid over it.
func mergedValues(o options) (map[string]interface{}, error) {
	chart, err := loadChart(o.chartDir)
	if err != nil {
		return nil, err
	}
	user, err := readUserValues(o.valueFiles, o.sets, o.setStrings)
	if err != nil {
		return nil, err
	}
	return coalesce(chart.values, user), nil
}

func run(o options) (*renderResult, error) {
	chart, err := loadChart(o.chartDir)
	if err != nil {
		return nil, err
	}

	caps, err := newCapabilities(o.kubeVersion, o.apiVersions)
	if err != nil {
		return nil, err
	}
	if err := chart.checkKubeVersion(caps.KubeVersion); err != nil {
		return nil, err
	}

	user, err := readUserValues(o.valueFiles, o.sets, o.setStrings)
	if err != nil {
		return nil, err
	}
	values := coalesce(chart.values, user)

	release := map[string]interface{}{
		"Name":      o.releaseName,
		"Namespace": o.namespace,
		"Service":   "Helm",
		"IsInstall": !o.isUpgrade,
		"IsUpgrade": o.isUpgrade,
		"Revision":  1,
	}
	if o.isUpgrade {
		release["Revision"] = 2
	}

	return render(chart, values, release, caps)
}
