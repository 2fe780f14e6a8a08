use crate::document::Value;
use crate::fix::{Applicability, Scalar};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/storageclass-unencrypted",
    layer: Layer::Cloud,
    severity: Severity::Medium,
    title: "Cloud volumes created unencrypted",
    what: "A StorageClass of the AWS EBS provisioner (`ebs.csi.aws.com` or `kubernetes.io/aws-ebs`) whose `parameters.encrypted` is absent or not `\"true\"`. GCE Persistent Disk and Azure Disk encrypt every volume at rest with provider keys and cannot turn it off, so their classes pass.",
    why: "EBS volumes are created unencrypted unless asked (or unless account-wide default encryption is on, which a manifest cannot show). Snapshots and detached volumes of an unencrypted disk can be read by anyone who gets access to the account.",
    remediation: "Set `parameters.encrypted: \"true\"`, and `kmsKeyId` for a customer-managed key. StorageClass parameters cannot be changed in place: re-create the class; volumes it already created keep their encryption state.",
    example: "provisioner: ebs.csi.aws.com\nparameters:\n  type: gp3\n  encrypted: \"true\"",
    pss: &[],
    fix: FixAvailability::Always,
    options: &[],
    references: &["4C model: Cloud layer, encryption at rest (AWS KMS for EBS volumes)"],
    peers: &[],
};

const EBS: [&str; 2] = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("storage.k8s.io", "StorageClass") {
            continue;
        }
        let Some(p) = s.get(r.root, "provisioner") else {
            continue;
        };
        let Some(prov) = s.str(p) else { continue };
        if !EBS.contains(&prov) {
            continue;
        }
        let enc = s.path(r.root, &["parameters", "encrypted"]);
        let on = enc.is_some_and(|e| match &s.node(e).value {
            Value::Str(v) => v.eq_ignore_ascii_case("true"),
            Value::Bool(b) => *b,
            _ => false,
        });
        if on {
            continue;
        }
        let (span, path, msg) = match enc {
            Some(e) => (
                s.span(e),
                ["parameters", "encrypted"].as_slice(),
                format!("{} turns EBS encryption off", r.label()),
            ),
            None => (
                s.span(p),
                // The missing field's path; the span names the provisioner that needs it.
                ["parameters", "encrypted"].as_slice(),
                format!(
                    "{} creates EBS volumes without `encrypted: \"true\"`",
                    r.label()
                ),
            ),
        };
        // parameters is a map of strings: the builder quotes `"true"`.
        let mut fix = cx.fixer();
        fix.set_path(r.root, &["parameters", "encrypted"], Scalar::Str("true"));
        out.push(
            cx.finding(&META, r, span, r.path(path), msg)
                // StorageClass parameters are immutable: the class must be re-created, and
                // volumes already provisioned stay as they are.
                .with_fix(fix.finish(
                    "Set `parameters.encrypted: \"true\"`",
                    Applicability::Review,
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, "kind: StorageClass\nmetadata: {name: gp3}\nprovisioner: ebs.csi.aws.com\nparameters:\n  encrypted: \"true\"\n");
        assert_pass(
            &META,
            "kind: StorageClass\nmetadata: {name: pd}\nprovisioner: pd.csi.storage.gke.io\n",
        );
        assert_pass(
            &META,
            "kind: StorageClass\nmetadata: {name: az}\nprovisioner: disk.csi.azure.com\n",
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, "kind: StorageClass\nmetadata: {name: gp3}\nprovisioner: ebs.csi.aws.com\nparameters:\n  type: gp3\n", &[(3, "ebs.csi.aws.com")]);
        assert_fail(&META, "kind: StorageClass\nmetadata: {name: gp2}\nprovisioner: kubernetes.io/aws-ebs\nparameters:\n  encrypted: \"false\"\n", &[(5, "\"false\"")]);
    }
}
