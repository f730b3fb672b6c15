package main

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver"
)

// KubeVersion is .Capabilities.KubeVersion.
type KubeVersion struct {
	Version    string
	Major      string
	Minor      string
	GitVersion string
}

func (k KubeVersion) String() string { return k.Version }

// VersionSet is .Capabilities.APIVersions: "group/version" and "group/version/Kind" entries.
type VersionSet []string

// Has tells whether an API version (or version/Kind) is available, like Helm's VersionSet.Has.
func (v VersionSet) Has(apiVersion string) bool {
	for _, known := range v {
		if known == apiVersion {
			return true
		}
	}
	return false
}

// HelmVersion is .Capabilities.HelmVersion; this tool stands in for Helm 3.
type HelmVersion struct {
	Version      string
	GitCommit    string
	GitTreeState string
	GoVersion    string
}

// Capabilities is .Capabilities.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
	HelmVersion HelmVersion
}

// The built-in API group versions of a current cluster (what `kubectl api-versions` lists without CRDs).
var builtinAPIVersions = []string{
	"v1",
	"admissionregistration.k8s.io/v1",
	"apiextensions.k8s.io/v1",
	"apiregistration.k8s.io/v1",
	"apps/v1",
	"authentication.k8s.io/v1",
	"authorization.k8s.io/v1",
	"autoscaling/v1",
	"autoscaling/v2",
	"batch/v1",
	"certificates.k8s.io/v1",
	"coordination.k8s.io/v1",
	"discovery.k8s.io/v1",
	"events.k8s.io/v1",
	"flowcontrol.apiserver.k8s.io/v1",
	"networking.k8s.io/v1",
	"node.k8s.io/v1",
	"policy/v1",
	"rbac.authorization.k8s.io/v1",
	"scheduling.k8s.io/v1",
	"storage.k8s.io/v1",
}

func newCapabilities(kubeVersion string, extra []string) (*Capabilities, error) {
	version, err := semver.NewVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("-kube-version %q: %w", kubeVersion, err)
	}
	text := "v" + strings.TrimPrefix(version.Original(), "v")
	versions := append(VersionSet{}, builtinAPIVersions...)
	versions = append(versions, extra...)
	return &Capabilities{
		KubeVersion: KubeVersion{
			Version:    text,
			Major:      fmt.Sprint(version.Major()),
			Minor:      fmt.Sprint(version.Minor()),
			GitVersion: text,
		},
		APIVersions: versions,
		HelmVersion: HelmVersion{Version: "v3.16.0", GitTreeState: "clean", GoVersion: "chart-render"},
	}, nil
}
