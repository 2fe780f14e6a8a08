//! `kube4c`: check Kubernetes YAML along the 4C security model, for terminals and CI.

mod output;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use kube4c_core::{document, Options, Profile, Report, Severity};

#[derive(Parser)]
#[command(
    name = "kube4c",
    version,
    about = "Kubernetes manifest security checks along the 4C model (Cloud, Cluster, Container, Code)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check YAML files, directories (*.yaml, *.yml, recursively) or `-` for standard input.
    Check {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Which rules run: all, pss-baseline, pss-restricted (default: the configuration
        /// file's, else all).
        #[arg(long, value_parser = parse_profile)]
        profile: Option<Profile>,
        /// Configuration file (default: the nearest .kube4c.yaml or .kube4c.yml in the working
        /// directory or a parent).
        #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
        config: Option<PathBuf>,
        /// Ignore any configuration file.
        #[arg(long)]
        no_config: bool,
        /// Ignore every suppression (annotations and `# kube4c-ignore` comments).
        #[arg(long)]
        strict: bool,
        /// The namespace of objects that name none, as `kubectl -n` (default: `default`).
        #[arg(long, short = 'n', value_name = "NAMESPACE")]
        namespace: Option<String>,
        /// Exit 1 when a finding has at least this severity.
        #[arg(long, value_enum, default_value_t = FailOn::High)]
        fail_on: FailOn,
        /// Print parse and rule times (to standard error).
        #[arg(long)]
        timings: bool,
        /// Apply the safe fixes to the files in place, then report what is left.
        #[arg(long, conflicts_with = "diff")]
        fix: bool,
        /// With --fix or --diff: also the fixes that need review (they may change how the
        /// workload behaves). Display-only fixes (text shared through YAML aliases) never apply.
        #[arg(long)]
        fix_unsafe: bool,
        /// Print the fixes --fix would apply as a unified diff per file, write nothing, and exit
        /// 1 when there is something to fix.
        #[arg(long)]
        diff: bool,
    },
    /// List every rule with its metadata and docs.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    /// Never fail on findings.
    Never,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::parse(s).ok_or_else(|| {
        format!(
            "unknown profile `{s}` (one of: {})",
            Profile::NAMES.join(", ")
        )
    })
}

/// One checked input.
pub struct Checked {
    pub path: String,
    pub text: String,
    pub report: Report,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Rules { format } => {
            match format {
                RulesFormat::Json => println!("{}", output::rules_json()),
                RulesFormat::Text => print!("{}", output::rules_text()),
                RulesFormat::Markdown => print!("{}", output::rules_markdown()),
            }
            ExitCode::SUCCESS
        }
        Command::Check {
            paths,
            format,
            profile,
            config,
            no_config,
            strict,
            namespace,
            fail_on,
            timings,
            fix,
            fix_unsafe,
            diff,
        } => {
            let mut options = match load_config(config.as_deref(), no_config) {
                Ok(Some(c)) => c.options(profile),
                Ok(None) => Options::profile(profile.unwrap_or_default()),
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            if strict {
                options.strict = true;
            }
            if namespace.is_some() {
                options.namespace = namespace;
            }
            let mut files = match collect(&paths) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("kube4c: {e}");
                    return ExitCode::from(2);
                }
            };
            if fix || diff {
                let min = if fix_unsafe {
                    kube4c_core::Applicability::Review
                } else {
                    kube4c_core::Applicability::Safe
                };
                match apply_fixes(&mut files, &options, min, diff) {
                    Err(code) => return code,
                    // --diff prints the diffs only; like `ruff --diff`, it exits 1 when there
                    // is something to fix.
                    Ok(n) if diff => return ExitCode::from(u8::from(n > 0)),
                    Ok(_) => {}
                }
            }
            // Every input of the run is one view for cross-resource rules (a default-deny
            // policy in one file covers the pods of another); reports stay per file.
            let mut t = Timings::default();
            let t0 = Instant::now();
            let streams: Vec<document::Stream> = files
                .iter()
                .map(|(_, decoded)| document::parse_input(decoded))
                .collect();
            let t1 = Instant::now();
            let refs: Vec<&document::Stream> = streams.iter().collect();
            let reports = kube4c_core::check_all_with(&refs, &options, &mut |meta, run| {
                let s = Instant::now();
                run();
                t.add_rule(meta.id, s.elapsed());
            });
            t.parse += t1 - t0;
            t.check += t1.elapsed();
            drop(refs);
            drop(streams);
            let mut checked = Vec::new();
            for ((label, decoded), mut report) in files.into_iter().zip(reports) {
                t.bytes += decoded.text.len();
                if let Some(&at) = decoded.invalid.first() {
                    report.warnings.insert(
                        0,
                        document::Warning {
                            message:
                                "the input is not valid text (UTF-8, or UTF-16 with a BOM): invalid bytes were read as U+FFFD, as kubectl reads them"
                                    .into(),
                            span: kube4c_core::Span::new(at, at + '\u{FFFD}'.len_utf8()),
                            document: 0,
                        },
                    );
                }
                checked.push(Checked {
                    path: label,
                    text: decoded.text,
                    report,
                });
            }
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let written = match format {
                Format::Text => output::text(&mut out, &checked),
                Format::Json => output::json(&mut out, &checked),
                Format::Sarif => output::sarif(&mut out, &checked),
            }
            .and_then(|()| out.flush());
            if let Err(e) = written {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("kube4c: writing the report: {e}");
                    return ExitCode::from(2);
                }
            }
            if timings {
                t.print();
            }
            let threshold = match fail_on {
                FailOn::Info => Some(Severity::Info),
                FailOn::Low => Some(Severity::Low),
                FailOn::Medium => Some(Severity::Medium),
                FailOn::High => Some(Severity::High),
                FailOn::Critical => Some(Severity::Critical),
                FailOn::Never => None,
            };
            let failing = threshold.is_some_and(|th| {
                checked
                    .iter()
                    .flat_map(|c| c.report.active())
                    .any(|f| f.severity >= th)
            });
            // Input that could not be read, or that the API server would reject, was not
            // proven safe: it fails the gate like a finding does (`--fail-on never` aside).
            let unread = threshold.is_some() && checked.iter().any(|c| c.report.unread() > 0);
            if failing || unread {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

#[derive(Default)]
struct Timings {
    parse: Duration,
    /// Model, index and every rule (includes `rules`).
    check: Duration,
    bytes: usize,
    rules: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn add_rule(&mut self, id: &'static str, d: Duration) {
        match self.rules.iter_mut().find(|(r, _)| *r == id) {
            Some((_, t)) => *t += d,
            None => self.rules.push((id, d)),
        }
    }

    fn print(&mut self) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let rules: Duration = self.rules.iter().map(|(_, d)| *d).sum();
        let total = self.parse + self.check;
        let mbs = |d: Duration| self.bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9);
        eprintln!(
            "timings: {:.1} MB in {:.2} ms ({:.1} MB/s): parse {:.2} ms ({:.1} MB/s), model+index {:.2} ms, rules {:.2} ms",
            self.bytes as f64 / 1e6,
            ms(total),
            mbs(total),
            ms(self.parse),
            mbs(self.parse),
            ms(self.check.saturating_sub(rules)),
            ms(rules)
        );
        self.rules.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (id, d) in self.rules.iter().take(8) {
            eprintln!("  {:>8.3} ms  {id}", ms(*d));
        }
    }
}

/// `--fix` / `--diff`: every fix of at least `min` applicability, re-checked between rounds
/// (`kube4c_core::fix_all`). `--fix` writes the files (and the report that follows is of the
/// fixed text); `--diff` prints a unified diff per file and writes nothing. Only UTF-8 files
/// without a BOM or invalid bytes are rewritten: anything else would not round-trip.
fn apply_fixes(
    files: &mut [Input],
    options: &Options,
    min: kube4c_core::Applicability,
    diff_only: bool,
) -> Result<usize, ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut total = 0;
    for (label, decoded) in files.iter_mut() {
        let (fixed, n) = kube4c_core::fix_all(&decoded.text, options, min);
        if n == 0 {
            continue;
        }
        let plain = decoded.encoding.is_none() && !decoded.strict && decoded.invalid.is_empty();
        if diff_only {
            let _ = writeln!(out, "--- {label}\n+++ {label} (fixed: {n})");
            let _ = write!(out, "{}", kube4c_core::fix::diff(&decoded.text, &fixed));
        } else if label == "-" || !plain {
            eprintln!(
                "kube4c: {label}: not rewritten (standard input, or not plain UTF-8); use --diff"
            );
            continue;
        } else if let Err(e) = std::fs::write(&*label, &fixed) {
            eprintln!("kube4c: {label}: {e}");
            return Err(ExitCode::from(2));
        } else {
            eprintln!(
                "kube4c: {label}: {n} fix{} applied",
                if n == 1 { "" } else { "es" }
            );
            decoded.text = fixed;
        }
        total += n;
    }
    if diff_only {
        let _ = out.flush();
        eprintln!(
            "kube4c: {total} fix{} available (nothing written)",
            if total == 1 { "" } else { "es" }
        );
    }
    Ok(total)
}

/// The configuration: the named file, or the nearest `.kube4c.yaml` / `.kube4c.yml` in the
/// working directory or one of its parents. Errors name the file, line and column.
fn load_config(
    named: Option<&Path>,
    none: bool,
) -> Result<Option<kube4c_core::config::Config>, String> {
    if none {
        return Ok(None);
    }
    let path = match named {
        Some(p) => p.to_path_buf(),
        None => {
            let Ok(mut dir) = std::env::current_dir() else {
                return Ok(None);
            };
            loop {
                if let Some(p) = kube4c_core::config::FILE_NAMES
                    .iter()
                    .map(|n| dir.join(n))
                    .find(|p| p.is_file())
                {
                    break p;
                }
                if !dir.pop() {
                    return Ok(None);
                }
            }
        }
    };
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("kube4c: {}: {e}", path.display()))?;
    kube4c_core::config::Config::parse(&text)
        .map(Some)
        .map_err(|errors| {
            let idx = kube4c_core::position::LineIndex::new(&text);
            errors
                .iter()
                .map(|e| {
                    let p = idx.position(e.span.start);
                    format!(
                        "kube4c: {}:{}:{}: {}",
                        path.display(),
                        p.line,
                        p.column,
                        e.message
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
}

/// Read every input: files, directories (recursively, *.yaml / *.yml, sorted) or `-`.
type Input = (String, document::input::Decoded);

fn collect(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("standard input: {e}"))?;
            out.push(("-".to_string(), document::input::decode(&buf)));
        } else if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files).map_err(|e| format!("{}: {e}", p.display()))?;
            files.sort();
            for f in files {
                out.push(read(&f)?);
            }
        } else {
            out.push(read(p)?);
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| {
                // kube4c's own configuration is not a manifest.
                kube4c_core::config::FILE_NAMES.iter().any(|c| n == *c)
            }) {
                continue;
            } else if p.extension().is_some_and(|x| {
                // As `kubectl apply -f DIR`: YAML and JSON files, in any letter case.
                let x = x.to_string_lossy().to_ascii_lowercase();
                x == "yaml" || x == "yml" || x == "json"
            }) {
                out.push(p);
            }
        }
    }
    Ok(())
}

fn read(p: &Path) -> Result<Input, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    Ok((p.display().to_string(), document::input::decode(&bytes)))
}
