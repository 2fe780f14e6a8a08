use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "code/debug-enabled",
    layer: Layer::Code,
    severity: Severity::Medium,
    title: "Application debug mode switched on",
    what: "Container `env` values that turn on a framework's debug or development mode: `DEBUG`, `FLASK_DEBUG`, `DJANGO_DEBUG`, `APP_DEBUG` (or any `*_DEBUG`) set to a true value, `FLASK_ENV`/`NODE_ENV`/`RAILS_ENV`/`APP_ENV`/`ASPNETCORE_ENVIRONMENT` set to `development`, and `--debug` in the container's `command` or `args`.",
    why: "Debug modes print stack traces, configuration and sometimes secrets to any client, and some (Werkzeug, Django) offer interactive consoles: one request away from code execution.",
    remediation: "Remove the variable or set it to the production value; read debug switches from a ConfigMap that differs per environment.",
    example: "env:\n- name: DEBUG\n  value: \"false\"",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Code layer, error handling (don't expose internals)", "OWASP Top 10: A05 Security Misconfiguration"],
    peers: &[],
};

fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        for env in m.env_literals(c) {
            let (name, value) = (env.name, env.value);
            let upper = name.to_ascii_uppercase();
            let debug = (upper == "DEBUG" || upper.ends_with("_DEBUG")) && truthy(value);
            let dev = matches!(
                upper.as_str(),
                "FLASK_ENV"
                    | "NODE_ENV"
                    | "RAILS_ENV"
                    | "APP_ENV"
                    | "ASPNETCORE_ENVIRONMENT"
                    | "ENVIRONMENT"
            ) && value.eq_ignore_ascii_case("development");
            if debug || dev {
                out.push(cx.container_finding(
                    &META,
                    c,
                    s.span(env.node),
                    format!("{}.env[{}].value", c.path, env.index),
                    format!("{} runs with {name}={value}", m.describe(c)),
                ));
            }
        }
        for field in ["command", "args"] {
            let Some(list) = s.get(c.node, field) else {
                continue;
            };
            for (i, &a) in s.items(list).iter().enumerate() {
                if s.str(a)
                    .is_some_and(|t| t == "--debug" || t.starts_with("--debug=true"))
                {
                    out.push(cx.container_finding(
                        &META,
                        c,
                        s.span(a),
                        format!("{}.{field}[{i}]", c.path),
                        format!("{} starts with --debug", m.describe(c)),
                    ));
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
        assert_pass(&META, &deployment("", "env:\n- {name: DEBUG, value: \"false\"}\n- {name: NODE_ENV, value: production}\n- {name: DEBUG_PORT, value: \"5678\"}\nargs: [--log-level=info]"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "env:\n- name: DEBUG\n  value: \"true\"\n- name: FLASK_ENV\n  value: development\nargs: [serve, --debug]"),
            &[(17, "\"true\""), (19, "development"), (20, "--debug")],
        );
    }
}
