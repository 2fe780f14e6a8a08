#!/usr/bin/env python3
"""Regenerate tests/peers/<tool>.tsv: the check ids each peer tool really has, read from a git
snapshot of its repository (a bare clone or mirror), so that every `peers` id a kube4c rule
names can be verified (crates/kube4c-core/src/rules/peer_ids test).

    python3 scripts/peer-lists.py <tool> <git-dir>

tools: kube-linter checkov polaris trivy kubesec kube-score kubescape
Each file starts with `# <tool> <git describe> <commit> <date>`; then one `id<TAB>title` a line.
"""
import json
import re
import subprocess
import sys
from pathlib import Path


def git(gd, *args):
    return subprocess.run(["git", "--git-dir", gd, *args], check=True,
                          capture_output=True, text=True).stdout


def files(gd, under, suffix):
    return [p for p in git(gd, "ls-tree", "-r", "--name-only", "HEAD", under).split("\n")
            if p.endswith(suffix)]


def show(gd, path):
    return git(gd, "show", f"HEAD:{path}")


def kube_linter(gd):
    for p in files(gd, "pkg/builtinchecks/yamls", ".yaml"):
        t = show(gd, p)
        name = re.search(r'^name:\s*"?([^"\n]+)"?', t, re.M).group(1)
        d = re.search(r'^description:\s*(?:>-?|\|-?)?\s*\n?\s*"?([^"\n]*)"?', t, re.M)
        yield name, d.group(1).strip() if d else ""


def checkov(gd):
    for p in files(gd, "checkov/kubernetes/checks", ".py"):
        t = show(gd, p)
        for m in re.finditer(r'id\s*=\s*"(CKV2?_K8S_\d+)"', t):
            n = re.search(r'name\s*=\s*"([^"]*)"', t)
            yield m.group(1), n.group(1) if n else ""
    for p in files(gd, "checkov/kubernetes/checks/graph_checks", ".yaml"):
        t = show(gd, p)
        m = re.search(r'id:\s*"?(CKV2?_K8S_\d+)', t)
        n = re.search(r'name:\s*"?([^"\n]*)', t)
        if m:
            yield m.group(1), n.group(1) if n else ""


def polaris(gd):
    for p in files(gd, "pkg/config/checks", ".yaml"):
        t = show(gd, p)
        m = re.search(r'^successMessage:\s*(.*)$', t, re.M)
        yield Path(p).stem, m.group(1).strip() if m else ""


def trivy(gd):
    for p in files(gd, "checks/kubernetes", ".rego"):
        if p.endswith("_test.rego"):
            continue
        t = show(gd, p)
        m = re.search(r'^#\s+id:\s*(\S+)', t, re.M)
        if not m:
            continue
        title = re.search(r'^#\s+title:\s*"?([^"\n]*)', t, re.M)
        title = title.group(1) if title else ""
        ids = {m.group(1)}
        al = re.search(r'^#\s+aliases:\n((?:#\s+-\s+\S+\n)+)', t, re.M)
        if al:
            ids |= set(re.findall(r'-\s+(\S+)', al.group(1)))
        for i in sorted(ids):
            yield i, title


def kubesec(gd):
    t = show(gd, "pkg/ruler/ruleset.go")
    for m in re.finditer(r'ID:\s*"([^"]+)",\s*\n\s*Selector:\s*"([^"]*)"', t):
        yield m.group(1), m.group(2)


def kube_score(gd):
    for p in files(gd, "score", ".go"):
        t = show(gd, p)
        for m in re.finditer(r'Register\w*Check\(\s*"([^"]+)"', t):
            name = m.group(1)
            yield re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), name


def kubescape(gd):
    for p in files(gd, "controls", ".json"):
        try:
            j = json.loads(show(gd, p))
        except json.JSONDecodeError:
            continue
        cid = j.get("controlID") or j.get("id")
        if cid:
            yield cid, j.get("name", "")


TOOLS = {"kube-linter": kube_linter, "checkov": checkov, "polaris": polaris, "trivy": trivy,
         "kubesec": kubesec, "kube-score": kube_score, "kubescape": kubescape}

if __name__ == "__main__":
    tool, gd = sys.argv[1], sys.argv[2]
    desc = git(gd, "describe", "--tags", "--always").strip()
    head = git(gd, "log", "-1", "--format=%H %cd", "--date=short").strip()
    rows = sorted(set(TOOLS[tool](gd)))
    out = Path(__file__).resolve().parent.parent / "tests" / "peers" / f"{tool}.tsv"
    with open(out, "w") as f:
        f.write(f"# {tool} {desc} {head}\n")
        for i, t in rows:
            f.write(f"{i}\t{t.replace(chr(9), ' ')}\n")
    print(f"{out.name}: {len(rows)} ids")
