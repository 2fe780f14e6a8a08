use crate::rules::flags::{component_flags, Component};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/etcd-tls",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "etcd accepts clients or peers without certificates",
    what: "etcd static pods without `--cert-file` and `--key-file`, without `--client-cert-auth=true`, or with `--auto-tls=true`; members with peers (`--initial-cluster` or `--peer-cert-file` written) also without `--peer-client-cert-auth=true` or with `--peer-auto-tls=true`. etcd parses with Go's `flag` (`-flag` and `--flag`, booleans as `strconv.ParseBool`). In a kubeadm `ClusterConfiguration` (`etcd.local.extraArgs`), where kubeadm configures TLS itself, only explicit `client-cert-auth`/`peer-client-cert-auth` false and `auto-tls`/`peer-auto-tls` true are reported.",
    why: "etcd holds every object of the cluster, Secrets included, unencrypted unless encryption at rest is configured. A client that reaches etcd without a certificate check reads and writes the cluster's state directly, bypassing authentication, RBAC and admission; self-signed auto TLS authenticates nobody.",
    remediation: "Serve etcd with certificates from the cluster's etcd CA (`--cert-file`, `--key-file`, `--trusted-ca-file`), require client and peer certificates (`--client-cert-auth=true`, `--peer-client-cert-auth=true`) and leave auto TLS off.",
    example: "command:\n- etcd\n- --cert-file=/etc/kubernetes/pki/etcd/server.crt\n- --key-file=/etc/kubernetes/pki/etcd/server.key\n- --client-cert-auth=true\n- --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 2.1, 2.2, 2.3, 2.4, 2.5, 2.6"],
    peers: &[("checkov", "CKV_K8S_116"), ("checkov", "CKV_K8S_117"), ("checkov", "CKV_K8S_118"), ("checkov", "CKV_K8S_121"), ("trivy", "KCV0042"), ("trivy", "KCV0043"), ("trivy", "KCV0044"), ("trivy", "KCV0046"), ("trivy", "KCV0047")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for f in component_flags(m, Component::Etcd) {
        let who = f.describe(m);
        let peers = f.set("initial-cluster").is_some() || f.set("peer-cert-file").is_some();
        let mut must_be = vec![("client-cert-auth", true), ("auto-tls", false)];
        if peers || f.kubeadm() {
            must_be.extend([("peer-client-cert-auth", true), ("peer-auto-tls", false)]);
        }
        for (name, want) in must_be {
            match f.bool(name) {
                Some((_, Some(v))) if v == want => {}
                Some((flag, _)) => out.push(f.at(cx, &META, flag, format!("{who} runs with --{name}={}", flag.value))),
                // Unset: false for all four flags; that is only wrong for the *-cert-auth ones.
                None if want && !f.kubeadm() => out.push(f.finding(cx, &META, f.anchor, format!("{who} does not set --{name}=true: it accepts connections without a client certificate"))),
                None => {}
            }
        }
        if !f.kubeadm() && (f.set("cert-file").is_none() || f.set("key-file").is_none()) {
            out.push(f.finding(
                cx,
                &META,
                f.anchor,
                format!(
                    "{who} serves clients without TLS (--cert-file and --key-file not both set)"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn etcd(flags: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: etcd, namespace: kube-system}}\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.5.15-0\n    command:\n    - etcd\n{flags}")
    }

    #[test]
    fn pass() {
        assert_pass(&META, &etcd("    - --cert-file=/pki/server.crt\n    - --key-file=/pki/server.key\n    - -client-cert-auth=t\n"));
    }

    #[test]
    fn fail() {
        assert_fail(&META, &etcd("    - --auto-tls=true\n    - --client-cert-auth=true\n    - --cert-file=/a\n    - --key-file=/b\n"), &[(10, "--auto-tls=true")]);
        assert_fail(
            &META,
            &etcd("    - --data-dir=/var/lib/etcd\n"),
            &[(8, "command"), (8, "command")],
        );
    }
}
