use crate::document::NodeId;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/eks-cluster-config",
    layer: Layer::Cloud,
    severity: Severity::High,
    title: "EKS cluster configuration exposes the cluster",
    what: "An eksctl `ClusterConfig` (eksctl.io) whose API endpoint is public to every address (`vpc.clusterEndpoints.publicAccess` on — eksctl's default — with no `vpc.publicAccessCIDRs`, or `0.0.0.0/0` among them), with no `secretsEncryption.keyARN`, with no control-plane log types enabled (`cloudWatch.clusterLogging.enableTypes`), or with a node group that sets `volumeEncrypted: false` or `disableIMDSv1: false`.",
    why: "The cloud layer decides who can even reach the cluster. A world-reachable API endpoint is one leaked token away from takeover; without control-plane (audit) logs nobody sees it happen; IMDSv1 lets any pod (or SSRF bug) lift the node's IAM credentials; unencrypted node volumes leak data through snapshots.",
    remediation: "Limit `vpc.publicAccessCIDRs` to your networks (or turn `privateAccess` on and `publicAccess` off), set `secretsEncryption.keyARN` to a KMS key, enable at least the `audit` and `authenticator` log types, and keep `volumeEncrypted: true` and `disableIMDSv1: true` on every node group.",
    example: "vpc:\n  clusterEndpoints: {privateAccess: true, publicAccess: false}\nsecretsEncryption:\n  keyARN: arn:aws:kms:eu-west-1:111122223333:key/abcd\ncloudWatch:\n  clusterLogging:\n    enableTypes: [audit, authenticator]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Amazon EKS 2.1.1, 5.3.1, 5.4.1, 5.4.2", "4C model: Cloud layer, managed control plane access", "Checkov (Terraform) CKV_AWS_38, CKV_AWS_39"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("eksctl.io", "ClusterConfig") {
            continue;
        }
        let kind_span = s.span(s.get(r.root, "kind").unwrap_or(r.root));
        let mut report = |span, path: String, what: String| {
            out.push(cx.finding(&META, r, span, path, format!("{} {what}", r.label())));
        };
        // The API endpoint.
        let public = s
            .path(r.root, &["vpc", "clusterEndpoints", "publicAccess"])
            .map_or(Some(true), |n| s.bool(n));
        if public == Some(true) {
            match s.path(r.root, &["vpc", "publicAccessCIDRs"]) {
                None => {
                    let at = s
                        .path(r.root, &["vpc", "clusterEndpoints", "publicAccess"])
                        .map_or(kind_span, |n| s.span(n));
                    report(
                        at,
                        r.path(&["vpc", "publicAccessCIDRs"]),
                        "opens the Kubernetes API endpoint to every address (public access with no publicAccessCIDRs)".into(),
                    );
                }
                Some(list) => {
                    for (i, &c) in s.items(list).iter().enumerate() {
                        if matches!(s.str(c), Some("0.0.0.0/0" | "::/0")) {
                            report(
                                s.span(c),
                                r.path(&["vpc", "publicAccessCIDRs"]) + &format!("[{i}]"),
                                "opens the Kubernetes API endpoint to every address".into(),
                            );
                        }
                    }
                }
            }
        }
        if s.path(r.root, &["secretsEncryption", "keyARN"])
            .and_then(|n| s.str(n))
            .is_none_or(str::is_empty)
        {
            let at = s
                .get_entry(r.root, "secretsEncryption")
                .map_or(kind_span, |e| s.span(e.key));
            report(at, r.path(&["secretsEncryption", "keyARN"]), "does not envelope-encrypt Secrets with a KMS key of its own (secretsEncryption.keyARN)".into());
        }
        let logs = s.path(r.root, &["cloudWatch", "clusterLogging", "enableTypes"]);
        if logs.is_none_or(|l| s.items(l).is_empty()) {
            let at = logs.map_or(kind_span, |n| s.span(n));
            report(
                at,
                r.path(&["cloudWatch", "clusterLogging", "enableTypes"]),
                "enables no control-plane log types: API and audit activity go unrecorded".into(),
            );
        }
        for group_list in ["nodeGroups", "managedNodeGroups"] {
            let groups: &[NodeId] = s.get(r.root, group_list).map_or(&[][..], |l| s.items(l));
            for (i, &g) in groups.iter().enumerate() {
                let name = s.get(g, "name").and_then(|n| s.str(n)).unwrap_or("?");
                for (field, what) in [
                    ("volumeEncrypted", "leaves its node volumes unencrypted"),
                    (
                        "disableIMDSv1",
                        "allows IMDSv1: any pod can take the node's IAM credentials",
                    ),
                ] {
                    if let Some(n) = s.get(g, field).filter(|&n| s.bool(n) == Some(false)) {
                        report(
                            s.span(n),
                            r.path(&[group_list]) + &format!("[{i}].{field}"),
                            format!("node group {name} {what}"),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    const SAFE: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: prod, region: eu-west-1}\nvpc:\n  clusterEndpoints: {privateAccess: true, publicAccess: false}\nsecretsEncryption: {keyARN: \"arn:aws:kms:eu-west-1:111122223333:key/abcd\"}\ncloudWatch:\n  clusterLogging: {enableTypes: [audit, authenticator]}\nmanagedNodeGroups:\n- {name: ng-1, volumeEncrypted: true, disableIMDSv1: true}\n";

    #[test]
    fn pass() {
        assert_pass(&META, SAFE);
        let cidrs = SAFE.replace(
            "publicAccess: false}",
            "publicAccess: true}\n  publicAccessCIDRs: [203.0.113.0/24]",
        );
        assert_pass(&META, &cidrs);
    }

    #[test]
    fn fail() {
        let open = SAFE.replace(
            "publicAccess: false}",
            "publicAccess: true}\n  publicAccessCIDRs: [\"0.0.0.0/0\"]",
        );
        assert_fail(&META, &open, &[(6, "\"0.0.0.0/0\"")]);
        let minimal = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: dev, region: eu-west-1}\nnodeGroups:\n- name: ng\n  disableIMDSv1: false\n  volumeEncrypted: false\n";
        assert_fail(
            &META,
            minimal,
            &[
                (2, "ClusterConfig"),
                (2, "ClusterConfig"),
                (2, "ClusterConfig"),
                (6, "false"),
                (7, "false"),
            ],
        );
    }
}
