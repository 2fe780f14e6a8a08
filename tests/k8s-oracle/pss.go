package main

// The Pod Security oracle: `k8s-oracle pss FILE...` writes FILE.pss.json with, for every
// pod-bearing object kubectl reads from FILE, the checks of k8s.io/pod-security-admission (the
// release pinned in go.mod, at its latest policy version) that deny it at each level:
// {"pods": [{"kind": ..., "name": ..., "baseline": [ids], "restricted": [ids]}]}. The pod spec
// is extracted as the admission plugin extracts it (DefaultPodSpecExtractor: Pod,
// ReplicationController, PodTemplate, ReplicaSet, Deployment, StatefulSet, DaemonSet, Job,
// CronJob), the checks are the library's own CheckPod functions, and a restricted check
// replaces the baseline checks it overrides, as the library's registry does.

import (
	"encoding/json"
	"reflect"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/pod-security-admission/admission"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

type PodVerdict struct {
	Kind       string   `json:"kind"`
	Name       string   `json:"name"`
	Baseline   []string `json:"baseline"`
	Restricted []string `json:"restricted"`
	Error      string   `json:"error,omitempty"`
}

type PSSResult struct {
	Pods  []PodVerdict `json:"pods"`
	Error string       `json:"error,omitempty"`
}

var codecs = serializer.NewCodecFactory(clientgoscheme.Scheme)

// failing returns the IDs of the checks that deny the pod at the level.
func failing(level api.Level, meta *metav1.ObjectMeta, spec *corev1.PodSpec) []string {
	checks := policy.DefaultChecks()
	latest := func(c policy.Check) policy.VersionedCheck { return c.Versions[len(c.Versions)-1] }
	overridden := map[policy.CheckID]bool{}
	if level == api.LevelRestricted {
		for _, c := range checks {
			if c.Level == api.LevelRestricted {
				for _, id := range latest(c).OverrideCheckIDs {
					overridden[id] = true
				}
			}
		}
	}
	ids := []string{}
	for _, c := range checks {
		if c.Level == api.LevelRestricted && level != api.LevelRestricted {
			continue
		}
		if overridden[c.ID] {
			continue
		}
		if r := latest(c).CheckPod(meta, spec); !r.Allowed {
			ids = append(ids, string(c.ID))
		}
	}
	sort.Strings(ids)
	return ids
}

// defaultVolumes applies the one API server default the checks can see: a volume that names no
// source is an emptyDir (SetDefaults_Volume in k8s.io/kubernetes/pkg/apis/core/v1, which the
// API server applies before admission; that package cannot be imported from a module).
func defaultVolumes(spec *corev1.PodSpec) {
	for i := range spec.Volumes {
		src := reflect.ValueOf(spec.Volumes[i].VolumeSource)
		empty := true
		for f := 0; f < src.NumField(); f++ {
			if !src.Field(f).IsNil() {
				empty = false
				break
			}
		}
		if empty {
			spec.Volumes[i].VolumeSource.EmptyDir = &corev1.EmptyDirVolumeSource{}
		}
	}
}

func pss(path string) PSSResult {
	read := read(path)
	res := PSSResult{Pods: []PodVerdict{}, Error: read.Error}
	extractor := admission.DefaultPodSpecExtractor{}
	decoder := codecs.UniversalDeserializer()
	for _, raw := range read.Objects {
		var head struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if json.Unmarshal(raw, &head) != nil {
			continue
		}
		switch head.Kind {
		case "Pod", "ReplicationController", "PodTemplate", "ReplicaSet", "Deployment",
			"StatefulSet", "DaemonSet", "Job", "CronJob":
		default:
			continue
		}
		v := PodVerdict{Kind: head.Kind, Name: head.Metadata.Name, Baseline: []string{}, Restricted: []string{}}
		obj, _, err := decoder.Decode(raw, nil, nil)
		if err != nil {
			// The API server would refuse the object (a field of the wrong type…).
			v.Error = err.Error()
			res.Pods = append(res.Pods, v)
			continue
		}
		meta, spec, err := extractor.ExtractPodSpec(obj.(runtime.Object))
		if err != nil || spec == nil {
			continue
		}
		defaultVolumes(spec)
		v.Baseline = failing(api.LevelBaseline, meta, spec)
		v.Restricted = failing(api.LevelRestricted, meta, spec)
		res.Pods = append(res.Pods, v)
	}
	return res
}
