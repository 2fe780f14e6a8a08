//! `kube4c`: check Kubernetes YAML along the 4C security model, for terminals and CI.

use kube4c_export as output;
use kube4c_export::{verdict, ByteMap, Checked, TextOptions};

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use kube4c_core::{document, Options, Profile, Severity};

const EXIT_CODES: &str = "Exit codes:
  0  no finding at or above the gate (--fail-on, or the profile's), every input read
  1  a finding at or above the gate, or input that was not checked (unreadable YAML, objects the API
     server rejects); with --diff: there is something to fix
  2  usage or configuration error, or a path that could not be read (the other paths are still
     checked and reported)";

#[derive(Parser)]
#[command(
    name = "kube4c",
    version,
    about = "Kubernetes manifest security checks along the 4C model (Cloud, Cluster, Container, Code)",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size of the `check` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Check YAML files, directories or globs, or `-` for standard input.
    ///
    /// Directories are walked for *.yaml, *.yml and *.json in any letter case. Symbolic links
    /// are followed, each real folder once (a link loop is cut, not followed). `.git`,
    /// `node_modules` and hidden files and folders are skipped unless named. A file named twice
    /// (directly and through its folder, or through a link) is checked once. A path that cannot
    /// be read (dangling link, no permission) is reported and the rest is checked.
    #[command(after_help = EXIT_CODES)]
    Check {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Output format; repeat for several, `FORMAT=FILE` writes one to a file
        /// (`--format text --format sarif=kube4c.sarif`). Formats: text, json, sarif, junit,
        /// github (workflow annotations; with $GITHUB_STEP_SUMMARY set, a Markdown summary is
        /// appended there), markdown.
        #[arg(long, value_name = "FORMAT[=FILE]", default_value = "text")]
        format: Vec<String>,
        /// Write the output (the first format that names no file) to FILE.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Print only the verdict (and errors).
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Colour in text output: auto (a terminal, and NO_COLOR unset), always, never.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
        /// Skip walked files and folders matching this glob (repeatable; added to the
        /// configuration file's `exclude`). Matched against the path as shown and the file name.
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
        /// The name standard input is reported under.
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<String>,
        /// SARIF: artifact URIs relative to this directory, with uriBaseId %SRCROOT%
        /// (default: the working directory).
        #[arg(long, value_name = "DIR")]
        base: Option<PathBuf>,
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
        /// Exit 1 when a finding has at least this severity (default: high; with
        /// --profile pss-baseline or pss-restricted, any finding of the profile).
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
    Markdown,
}

/// `FORMAT` or `FORMAT=FILE`.
fn parse_format(s: &str) -> Result<(Format, Option<PathBuf>), String> {
    let (name, file) = match s.split_once('=') {
        Some((n, f)) if !f.is_empty() => (n, Some(PathBuf::from(f))),
        Some((n, _)) => (n, None),
        None => (s, None),
    };
    let f = Format::from_str(name, true).map_err(|_| {
        format!("unknown format `{name}` (one of: text, json, sarif, junit, github, markdown)")
    })?;
    Ok((f, file))
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
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
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "kube4c", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            match clap_mangen::Man::new(cmd).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(2),
            }
        }
        Command::Check {
            paths,
            format,
            output,
            quiet,
            color,
            exclude,
            stdin_filename,
            base,
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
            let mut formats = Vec::new();
            for f in &format {
                match parse_format(f) {
                    Ok(x) => formats.push(x),
                    Err(e) => {
                        eprintln!("kube4c: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            if let Some(o) = output {
                match formats.iter_mut().find(|(_, file)| file.is_none()) {
                    Some(slot) => slot.1 = Some(o),
                    None => {
                        eprintln!("kube4c: --output: every --format already names its file");
                        return ExitCode::from(2);
                    }
                }
            }
            let loaded = match load_config(config.as_deref(), no_config) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            let mut options = match &loaded {
                Some(c) => c.options(profile),
                None => Options::profile(profile.unwrap_or_default()),
            };
            if strict {
                options.strict = true;
            }
            if namespace.is_some() {
                options.namespace = namespace;
            }
            let mut patterns = exclude.clone();
            if let Some(c) = &loaded {
                patterns.extend(c.exclude.iter().cloned());
            }
            let excludes = match build_excludes(&patterns) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("kube4c: --exclude: {e}");
                    return ExitCode::from(2);
                }
            };
            let (mut files, path_errors) = collect(&paths, &excludes, stdin_filename.as_deref());
            for (path, e) in &path_errors {
                eprintln!("kube4c: {path}: {e}");
            }
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
                .map(|i| document::parse_input(&i.decoded))
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
            for (input, mut report) in files.into_iter().zip(reports) {
                let decoded = input.decoded;
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
                let bytes = ByteMap::of(&decoded);
                checked.push(Checked {
                    path: input.label,
                    text: decoded.text,
                    report,
                    bytes,
                });
            }
            // The gate: --fail-on, else the profile's (a Pod Security profile fails on any of
            // its findings), else high.
            let gate = fail_on.unwrap_or(match options.profile {
                Profile::PssBaseline | Profile::PssRestricted => FailOn::Info,
                Profile::All => FailOn::High,
            });
            let threshold = match gate {
                FailOn::Info => Some(Severity::Info),
                FailOn::Low => Some(Severity::Low),
                FailOn::Medium => Some(Severity::Medium),
                FailOn::High => Some(Severity::High),
                FailOn::Critical => Some(Severity::Critical),
                FailOn::Never => None,
            };
            let active: Vec<Severity> = checked
                .iter()
                .flat_map(|c| c.report.active())
                .map(|f| f.severity)
                .collect();
            let failing = threshold.map_or(0, |th| active.iter().filter(|&&s| s >= th).count());
            // Input that could not be read, or that the API server would reject, was not
            // proven safe: it fails the gate like a finding does (`--fail-on never` aside).
            let unread: usize = checked.iter().map(|c| c.report.unread()).sum();
            let code: u8 = if !path_errors.is_empty() {
                2
            } else if failing > 0 || (threshold.is_some() && unread > 0) {
                1
            } else {
                0
            };
            let verdict = verdict(
                code,
                threshold,
                failing,
                active.len(),
                unread,
                path_errors.len(),
                fail_on.is_none() && gate == FailOn::Info,
            );
            let use_color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    use std::io::IsTerminal;
                    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::io::stdout().is_terminal()
                }
            };
            // SARIF URIs are relative to this absolute folder.
            let cwd = std::env::current_dir().ok();
            let base = match (base, &cwd) {
                (Some(b), Some(d)) if b.is_relative() => Some(d.join(b)),
                (Some(b), _) => Some(b),
                (None, d) => d.clone(),
            };
            for (format, file) in &formats {
                let to_file = file.is_some();
                let text = TextOptions {
                    color: use_color && !to_file,
                    quiet,
                    verdict: verdict.clone(),
                };
                let written = match file {
                    Some(path) => std::fs::File::create(path).and_then(|f| {
                        let mut w = std::io::BufWriter::new(f);
                        write_format(&mut w, *format, &checked, &text, base.as_deref())?;
                        w.flush()
                    }),
                    None => {
                        let stdout = std::io::stdout();
                        let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
                        write_format(&mut w, *format, &checked, &text, base.as_deref())
                            .and_then(|()| w.flush())
                    }
                };
                if let Err(e) = written {
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        let to = file
                            .as_ref()
                            .map_or("standard output".to_string(), |p| p.display().to_string());
                        eprintln!("kube4c: writing {to}: {e}");
                        return ExitCode::from(2);
                    }
                }
                if *format == Format::Github {
                    if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                        let appended = std::fs::OpenOptions::new()
                            .create(true)
                            .append(true)
                            .open(&summary)
                            .and_then(|mut f| output::markdown(&mut f, &checked, &verdict));
                        if let Err(e) = appended {
                            eprintln!("kube4c: writing $GITHUB_STEP_SUMMARY: {e}");
                        }
                    }
                }
            }
            // The verdict goes to standard error when standard output carries no text report.
            if !formats
                .iter()
                .any(|(f, file)| *f == Format::Text && file.is_none())
            {
                eprintln!("{verdict}");
            }
            if timings {
                t.print();
            }
            ExitCode::from(code)
        }
    }
}

fn write_format(
    w: &mut dyn Write,
    format: Format,
    checked: &[Checked],
    text: &TextOptions,
    base: Option<&Path>,
) -> std::io::Result<()> {
    match format {
        Format::Text => output::text(w, checked, text),
        Format::Json => output::json(w, checked),
        Format::Sarif => output::sarif(w, checked, base),
        Format::Junit => output::junit(w, checked),
        Format::Github => output::github(w, checked),
        Format::Markdown => output::markdown(w, checked, &text.verdict),
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
    for input in files.iter_mut() {
        let (label, decoded) = (&input.label, &mut input.decoded);
        let (fixed, n) = kube4c_core::fix_all(&decoded.text, options, min);
        if n == 0 {
            continue;
        }
        let plain = decoded.encoding.is_none() && !decoded.strict && decoded.invalid.is_empty();
        if diff_only {
            let _ = writeln!(out, "--- {label}\n+++ {label} (fixed: {n})");
            let _ = write!(out, "{}", kube4c_core::fix::diff(&decoded.text, &fixed));
        } else if label == "-" || !plain || input.part {
            eprintln!(
                "kube4c: {label}: not rewritten (standard input, a Helm template's output, or not plain UTF-8); use --diff"
            );
            continue;
        } else if let Err(e) = std::fs::write(label, &fixed) {
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

/// One input of the run: a file, standard input, or a template of `helm template` output.
pub struct Input {
    pub label: String,
    pub decoded: document::input::Decoded,
    /// A part of another input (a Helm template's output): never rewritten by --fix.
    pub part: bool,
}

/// Folders never walked into unless named: version control, dependencies, and hidden ones.
fn skipped_name(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules"
}

fn build_excludes(patterns: &[String]) -> Result<globset::GlobSet, String> {
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        let g = globset::GlobBuilder::new(p)
            .literal_separator(false)
            .build()
            .map_err(|e| format!("`{p}`: {e}"))?;
        b.add(g);
        // `dir` also excludes what is below it.
        if !p.ends_with("/**") {
            if let Ok(g) = globset::Glob::new(&format!("{}/**", p.trim_end_matches('/'))) {
                b.add(g);
            }
        }
    }
    b.build().map_err(|e| e.to_string())
}

fn excluded(set: &globset::GlobSet, path: &Path) -> bool {
    if set.is_empty() {
        return false;
    }
    let shown = path.strip_prefix("./").unwrap_or(path);
    set.is_match(shown) || path.file_name().is_some_and(|n| set.is_match(n))
}

fn manifest_file(p: &Path) -> bool {
    // As `kubectl apply -f DIR`: YAML and JSON files, in any letter case; kube4c's own
    // configuration is not a manifest.
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if kube4c_core::config::FILE_NAMES.iter().any(|c| name == *c) {
        return false;
    }
    p.extension().is_some_and(|x| {
        let x = x.to_string_lossy().to_ascii_lowercase();
        x == "yaml" || x == "yml" || x == "json"
    })
}

/// Read every input: files, directories (walked), globs the shell did not expand, or `-`.
/// Paths that cannot be read are returned as errors; everything else is read.
fn collect(
    paths: &[PathBuf],
    excludes: &globset::GlobSet,
    stdin_name: Option<&str>,
) -> (Vec<Input>, Vec<(String, String)>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut seen_files = std::collections::HashSet::new();
    let mut add = |p: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<(String, String)>| {
        // Each file once, however it was named.
        let key = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if !seen_files.insert(key) {
            return;
        }
        match std::fs::read(p) {
            Ok(bytes) => inputs.extend(split_helm(
                p.display().to_string(),
                document::input::decode(&bytes),
            )),
            Err(e) => errors.push((p.display().to_string(), e.to_string())),
        }
    };
    for p in paths {
        if p.as_os_str() == "-" {
            let mut buf = Vec::new();
            match std::io::stdin().read_to_end(&mut buf) {
                Ok(_) => inputs.extend(split_helm(
                    stdin_name.unwrap_or("-").to_string(),
                    document::input::decode(&buf),
                )),
                Err(e) => errors.push(("standard input".into(), e.to_string())),
            }
            continue;
        }
        let text = p.to_string_lossy();
        if std::fs::symlink_metadata(p).is_err() && text.contains(['*', '?', '[']) {
            // A glob the shell did not expand (quoted, or on Windows).
            match glob::glob(&text) {
                Ok(matches) => {
                    let mut found: Vec<PathBuf> = matches.filter_map(Result::ok).collect();
                    found.sort();
                    if found.is_empty() {
                        errors.push((text.to_string(), "no file matches this pattern".into()));
                    }
                    for f in found {
                        if f.is_dir() {
                            for x in walk(&f, excludes, &mut errors) {
                                add(&x, &mut inputs, &mut errors);
                            }
                        } else if manifest_file(&f) && !excluded(excludes, &f) {
                            add(&f, &mut inputs, &mut errors);
                        }
                    }
                }
                Err(e) => errors.push((text.to_string(), format!("bad pattern: {e}"))),
            }
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                for x in walk(p, excludes, &mut errors) {
                    add(&x, &mut inputs, &mut errors);
                }
            }
            // A file named on the command line is read whatever its name.
            Ok(_) => add(p, &mut inputs, &mut errors),
            Err(e) => {
                let why = if std::fs::symlink_metadata(p).is_ok() {
                    "dangling symbolic link".to_string()
                } else {
                    e.to_string()
                };
                errors.push((p.display().to_string(), why));
            }
        }
    }
    (inputs, errors)
}

/// Walk a folder: manifests in sorted order, folders followed through symbolic links once
/// each (by their real path, so a loop ends), `.git`, `node_modules` and hidden entries
/// skipped, excluded paths skipped, unreadable entries reported.
fn walk(
    root: &Path,
    excludes: &globset::GlobSet,
    errors: &mut Vec<(String, String)>,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut visited = std::collections::HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if !visited.insert(real) {
            continue; // a link back to a folder already walked
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push((dir.display().to_string(), e.to_string()));
                continue;
            }
        };
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for e in entries {
            let e = match e {
                Ok(e) => e,
                Err(err) => {
                    errors.push((dir.display().to_string(), err.to_string()));
                    continue;
                }
            };
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if skipped_name(&name) || excluded(excludes, &p) {
                continue;
            }
            // Follow links: what they point at decides.
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => dirs.push(p),
                Ok(_) if manifest_file(&p) => files.push(p),
                Ok(_) => {}
                Err(err) => {
                    if manifest_file(&p) || e.file_type().is_ok_and(|t| t.is_symlink()) {
                        let why = if e.file_type().is_ok_and(|t| t.is_symlink()) {
                            "dangling symbolic link".to_string()
                        } else {
                            err.to_string()
                        };
                        errors.push((p.display().to_string(), why));
                    }
                }
            }
        }
        files.sort();
        out.extend(files);
        dirs.sort();
        // Depth first, in sorted order.
        stack.extend(dirs.into_iter().rev());
    }
    out
}

/// `helm template` output (documents preceded by `# Source: chart/templates/x.yaml`) is split
/// into one input per template, named by it, so findings name the template that rendered them
/// (positions are in the rendered text, as `helm template --output-dir` would write it).
/// Anything else is one input.
fn split_helm(label: String, decoded: document::input::Decoded) -> Vec<Input> {
    let whole = |decoded| {
        vec![Input {
            label: label.clone(),
            decoded,
            part: false,
        }]
    };
    if !decoded.text.contains("# Source: ") || decoded.encoding.is_some() {
        return whole(decoded);
    }
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut current: Option<usize> = None;
    let mut pending = String::new();
    for line in decoded.text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare.starts_with("--- ") {
            current = None;
            pending.clear();
            pending.push_str(line);
            continue;
        }
        if current.is_none() {
            if let Some(src) = bare.strip_prefix("# Source: ") {
                let src = src.trim().to_string();
                let i = match parts.iter().position(|(s, _)| *s == src) {
                    Some(i) => {
                        parts[i].1.push_str("---\n");
                        i
                    }
                    None => {
                        parts.push((src, String::new()));
                        parts.len() - 1
                    }
                };
                parts[i].1.push_str(line);
                current = Some(i);
                pending.clear();
                continue;
            }
            if bare.trim().is_empty() || bare.starts_with('#') {
                pending.push_str(line);
                continue;
            }
            // Content outside any `# Source:` section: not helm output.
            return whole(decoded);
        }
        if let Some(i) = current {
            parts[i].1.push_str(line);
        }
    }
    if parts.is_empty() {
        return whole(decoded);
    }
    parts
        .into_iter()
        .map(|(src, text)| Input {
            label: src,
            decoded: document::input::decode(text.as_bytes()),
            part: true,
        })
        .collect()
}
