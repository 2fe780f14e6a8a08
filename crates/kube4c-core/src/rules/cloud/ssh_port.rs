use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/ssh-port",
    layer: Layer::Cloud,
    severity: Severity::Medium,
    title: "SSH port exposed",
    what: "Containers that declare port 22 (`containerPort: 22`) and Services that publish or target port 22.",
    why: "An SSH server in a container is a second way in that bypasses the API server's authentication, RBAC and audit log; it needs keys or passwords baked into the image or a Secret, and is one of the first ports internet scanners try.",
    remediation: "Remove the SSH server; use `kubectl exec` or `kubectl debug` (authorised and audited) for access, and ship files through the image or volumes.",
    example: "ports:\n- containerPort: 8080",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Container layer, minimal images"],
    peers: &[("kube-linter", "ssh-port"), ("kubescape", "C-0042")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        let Some(ports) = m.container_field(c, &["ports"]) else {
            continue;
        };
        for p in ports.items(s) {
            let Some(cp) = p.child(s, "containerPort") else {
                continue;
            };
            if s.int(cp.node) == Some(22) {
                out.push(cx.field_finding(
                    &META,
                    m.resource_of(c),
                    &cp,
                    format!("{} exposes the SSH port 22", m.describe(c)),
                ));
            }
        }
    }
    for r in &m.resources {
        if !r.is("", "Service") {
            continue;
        }
        let Some(list) = s.path(r.root, &["spec", "ports"]) else {
            continue;
        };
        for (i, &p) in s.items(list).iter().enumerate() {
            for key in ["port", "targetPort"] {
                let Some(n) = s.get(p, key) else { continue };
                if s.int(n) == Some(22) || s.str(n) == Some("ssh") {
                    out.push(cx.finding(
                        &META,
                        r,
                        s.span(n),
                        format!("{}[{i}].{key}", r.path(&["spec", "ports"])),
                        format!("{} publishes SSH ({key} {})", r.label(), s.slice(s.span(n))),
                    ));
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &deployment("", "ports:\n- containerPort: 2222\n  name: admin"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "ports:\n- containerPort: 22"),
            &[(16, "22")],
        );
        assert_fail(&META, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 2200, targetPort: 22}\n", &[(6, "22")]);
    }
}
