use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/risky-command",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Container command escalates, opens permissions or runs downloaded code",
    what: "Items of `command` and `args` (words of `sh -c` scripts included) that run `sudo` or `su`, make files world-writable (`chmod 777`, `chmod -R 777`, `chmod a+w`, `chmod o+w`, `chmod 666`), pipe a download into a shell (`curl … | sh`, `wget … | bash`), or switch off host protections (`setenforce 0`, `nsenter`).",
    why: "Each is a sign that the container expects privileges or trust it should not have: sudo means a root path exists inside the image; world-writable files let any process of the container (or of a shared volume) replace binaries and configuration; a downloaded script runs whatever the server returns that day, outside the image that was scanned and signed.",
    remediation: "Build what the container needs into the image (files owned by its user, permissions set in the Dockerfile), run as that user without sudo, and never execute code fetched at start-up.",
    example: "command: [\"/app/server\"]\nargs: [\"--port=8080\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Code and Container layers, immutable images"],
    peers: &[],
};

/// What a command line does that is risky, if anything.
pub(crate) fn risky(line: &str) -> Option<&'static str> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    for (i, w) in words.iter().enumerate() {
        match base(w).as_str() {
            "sudo" | "su" | "doas" => return Some("runs sudo/su: the image has a path to root"),
            "chmod" => {
                let mode = words[i + 1..].iter().find(|a| {
                    !a.starts_with('-')
                        || a.len() > 2 && a.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
                });
                if let Some(m) = mode {
                    let m = m.trim_start_matches('-');
                    let world = m.len() >= 3
                        && m.chars().all(|c| c.is_ascii_digit())
                        && m.chars()
                            .last()
                            .and_then(|c| c.to_digit(8))
                            .is_some_and(|d| d & 2 != 0);
                    let symbolic = (m.starts_with('a') || m.starts_with('o') || m.starts_with('+'))
                        && m.contains('w')
                        && m.contains('+');
                    if world || symbolic {
                        return Some("makes files world-writable");
                    }
                }
            }
            "setenforce" if words.get(i + 1) == Some(&"0") => return Some("switches SELinux off"),
            "nsenter" => return Some("enters the host's namespaces (nsenter)"),
            _ => {}
        }
    }
    // A download piped into a shell.
    let fetch = words
        .iter()
        .position(|w| matches!(base(w).as_str(), "curl" | "wget"));
    if let Some(f) = fetch {
        let rest = &line[line.find(words[f]).unwrap_or(0)..];
        if let Some(pipe) = rest.find('|') {
            let after = rest[pipe + 1..].trim_start();
            let sh = after
                .split_whitespace()
                .next()
                .map(base)
                .unwrap_or_default();
            if matches!(
                sh.as_str(),
                "sh" | "bash" | "zsh" | "ash" | "dash" | "python" | "python3" | "perl"
            ) {
                return Some("pipes a download into an interpreter");
            }
        }
    }
    None
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        for field in ["command", "args"] {
            let Some(list) = m.container_field(c, &[field]) else {
                continue;
            };
            for item in list.items(s) {
                let Some(text) = s.str(item.node) else {
                    continue;
                };
                if let Some(what) = risky(text) {
                    out.push(cx.field_finding(
                        &META,
                        m.resource_of(c),
                        &item,
                        format!("{} {what}", m.describe(c)),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{risky, META};
    use crate::rules::testing::*;

    #[test]
    fn lines() {
        assert!(risky("sudo -u app ./run").is_some());
        assert!(risky("chmod -R 777 /data && exec app").is_some());
        assert!(risky("chmod a+w /data").is_some());
        assert!(risky("chmod 755 /data").is_none());
        assert!(risky("chmod 0644 /etc/app.conf").is_none());
        assert!(risky("curl -fsSL https://x.sh | bash").is_some());
        assert!(risky("curl -o /tmp/x https://x && ./x").is_none());
        assert!(risky("echo sudoers").is_none());
    }

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &deployment("", "command: [/app/server]\nargs: [--port=8080]"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "",
                "command: [sh, -c]\nargs:\n- chmod 777 /data && exec /app/server",
            ),
            &[(17, "chmod 777 /data && exec /app/server")],
        );
    }
}
