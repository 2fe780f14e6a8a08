// k8s-oracle prints what kubectl reads from a manifest file, using Kubernetes' own code at the
// versions pinned in go.mod (see README.md here for the release and how to move to the next):
// apimachinery's YAMLOrJSONDecoder (JSON streams, YAMLReader document splitting,
// sigs.k8s.io/yaml per document) and unstructured list decoding, wired as cli-runtime's
// FileVisitor, StreamVisitor and FlattenListVisitor wire them for `kubectl apply -f`. kube4c's
// reader is tested against this program; it is never part of the product.
//
// Usage:
//
//	k8s-oracle read FILE...   for each FILE.yaml|.json writes FILE.out.json next to it
//	k8s-oracle serve          reads frames from stdin, answers frames on stdout (see below)
//	k8s-oracle pss FILE...    writes FILE.pss.json: Pod Security verdicts (see pss.go)
//
// Output, one JSON object: {"objects": [...], "error": "..."} where objects are the flattened
// objects kubectl would send, in order, and error (absent when none) is the error kubectl stops
// with. A frame is a 4-byte big-endian length followed by that many bytes.
// release: v1.37.2
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/yaml"
)

// Result is what kubectl read from one file.
type Result struct {
	Objects []json.RawMessage `json:"objects"`
	Error   string            `json:"error,omitempty"`
}

// read follows kubectl's path for `apply -f FILE` up to the objects it would send, without a
// cluster: FileVisitor (UTF-16 with a BOM decoded, else UTF-8), StreamVisitor (apimachinery's
// YAMLOrJSONDecoder with kubectl's 4096-byte sniff, documents trimmed, empty and `null` ones
// skipped), the unstructured decoder (an object with an `items` field is a list; its items get
// the list's kind minus "List" when they name neither kind nor apiVersion) and
// FlattenListVisitor (lists inside lists, breadth-first). A document that is not an object is
// kept as it was read (kubectl then fails on it; kube4c reports it). The first error ends the
// file, as it ends kubectl's visit.
func read(path string) Result {
	res := Result{Objects: []json.RawMessage{}}
	f, err := os.Open(path)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer f.Close()
	utf16bom := unicode.BOMOverride(unicode.UTF8.NewDecoder())
	d := yaml.NewYAMLOrJSONDecoder(transform.NewReader(f, utf16bom), 4096)
	for {
		ext := runtime.RawExtension{}
		if err := d.Decode(&ext); err != nil {
			if err != io.EOF {
				res.Error = "error parsing: " + err.Error()
			}
			return res
		}
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		// Not an object, or an object without kind or apiVersion: kubectl fails on it and
		// kube4c reports it, so it is kept as read.
		var obj runtime.Object
		keep := raw[0] != '{'
		if !keep {
			var err error
			obj, _, err = unstructured.UnstructuredJSONScheme.Decode(raw, nil, nil)
			if err != nil && !runtime.IsMissingKind(err) && !runtime.IsMissingVersion(err) {
				res.Error = "unable to decode: " + err.Error()
				return res
			}
			keep = err != nil
		}
		if keep {
			n, ok := normalize(raw)
			if !ok {
				// A value Go's decoder cannot hold (a float beyond float64…): kubectl fails.
				res.Error = "unable to decode: not representable in Go's JSON types"
				return res
			}
			res.Objects = append(res.Objects, n)
			continue
		}
		if err := flatten(obj, &res); err != nil {
			res.Error = err.Error()
			return res
		}
	}
}

// normalize re-encodes a raw JSON value as Go's decoder reads it (a JSON stream's raw text may
// hold escapes such as lone surrogates, which decoding turns into U+FFFD).
func normalize(raw []byte) (json.RawMessage, bool) {
	var v interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		return raw, false
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return raw, false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw, false
	}
	return b, true
}

func flatten(obj runtime.Object, res *Result) error {
	queue := []runtime.Object{obj}
	for i := 0; i < len(queue); i++ {
		cur := queue[i]
		if !meta.IsListType(cur) {
			b, err := json.Marshal(cur)
			if err != nil {
				return err
			}
			res.Objects = append(res.Objects, b)
			continue
		}
		items, err := meta.ExtractList(cur)
		if err != nil {
			return err
		}
		queue = append(queue, items...)
	}
	return nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: k8s-oracle read FILE... | k8s-oracle serve")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "read":
		for _, path := range os.Args[2:] {
			out, err := json.Marshal(read(path))
			must(err)
			base := strings.TrimSuffix(strings.TrimSuffix(path, ".yaml"), ".json")
			must(os.WriteFile(base+".out.json", append(out, '\n'), 0o644))
		}
	case "serve":
		serve()
	case "pss":
		for _, path := range os.Args[2:] {
			out, err := json.Marshal(pss(path))
			must(err)
			base := strings.TrimSuffix(strings.TrimSuffix(path, ".yaml"), ".json")
			must(os.WriteFile(base+".pss.json", append(out, '\n'), 0o644))
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}

// serve answers one frame per input frame, so one long-running process can read many inputs.
// kubectl decides JSON or YAML by content, not by name, so every input goes through one file.
func serve() {
	dir, err := os.MkdirTemp("", "k8s-oracle")
	must(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "input.yaml")
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	var head [4]byte
	for {
		if _, err := io.ReadFull(in, head[:]); err != nil {
			if err == io.EOF {
				return
			}
			must(err)
		}
		data := make([]byte, binary.BigEndian.Uint32(head[:]))
		_, err := io.ReadFull(in, data)
		must(err)
		must(os.WriteFile(path, data, 0o644))
		b, err := json.Marshal(read(path))
		must(err)
		binary.BigEndian.PutUint32(head[:], uint32(len(b)))
		_, err = out.Write(head[:])
		must(err)
		_, err = out.Write(b)
		must(err)
		must(out.Flush())
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
