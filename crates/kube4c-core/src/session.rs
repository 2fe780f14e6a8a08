//! Checking a text again after an edit without checking it all: what the page does on every
//! keystroke.
//!
//! A [`Session`] keeps the parts kubectl cuts the last text into ([`document::incremental`]),
//! each read once, and checks the text as a run of its parts: each part is one input of
//! [`check_all`](crate::check_all)'s kind, so cross-resource rules see every object of the
//! text, and findings are shifted back into the text's positions. For each part it also keeps
//! the findings of every rule whose run on the part read nothing but the part (the engine
//! notes when a rule reads the cross-resource index or another input, [`Context::index`]):
//! those are a function of the part's text and the options, so a part an edit did not touch
//! reruns only its cross-resource rules. The report equals [`check`](crate::check)'s on the
//! same text (tests hold them equal on every fixture and after random edits).
//!
//! [`Context::index`]: crate::rules::Context::index

use std::sync::Arc;

use crate::document::incremental::{Cache, PartAt, Unchanged};
use crate::document::{self, Span, Stream};
use crate::fix::{indent_step_within, INDENT_NODES};
use crate::index::Index;
use crate::model::Model;
use crate::report::ResourceRef;
use crate::rules::Context;
use crate::{Finding, Options, Report, RuleId};

/// What a session keeps of checking one part: the findings (positions relative to the part)
/// of the rules whose run read only the part, and the rules that read beyond it.
pub(crate) struct PartChecked {
    /// The [`Session::generation`] they were made in (options and indentation step).
    generation: u64,
    local: Vec<Finding>,
    crossed: Vec<RuleId>,
}

/// What [`Session::run`] found: the findings and model warnings in the text's positions,
/// what to keep of the parts checked afresh (by slot), and the number of rule runs.
type Checked = (
    Vec<Finding>,
    Vec<document::Warning>,
    Vec<Option<PartChecked>>,
    usize,
);

/// A checker that keeps what it read and found in the last text it checked.
#[derive(Default)]
pub struct Session {
    cache: Cache,
    /// The options (as written by `Debug`) and indentation step the kept findings were made
    /// with; a change of either makes a new generation and the old findings are not reused.
    made_with: Option<(String, usize)>,
    generation: u64,
    /// Rule runs of the last check (for tests and benchmarks).
    pub last_rule_runs: usize,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// Parts read (not reused) by the last check.
    /// Parts edited in place by the last check (`document::incremental`'s scalar edits).
    pub fn parts_edited_in_place(&self) -> usize {
        self.cache.last_patched
    }

    pub fn parts_read(&self) -> usize {
        self.cache.last_read
    }

    /// [`check`](crate::check) of `text`, reusing what the last text shares with it.
    pub fn check(&mut self, text: &str, options: &Options) -> Report {
        self.check_edited(text, options, None)
    }

    /// [`Session::check`] of a text of which `same` (when known) is unchanged since the last
    /// text checked: only the text around what changed is split and hashed again, not all of
    /// it (a keystroke in a 5 MB text).
    pub fn check_edited(
        &mut self,
        text: &str,
        options: &Options,
        same: Option<Unchanged>,
    ) -> Report {
        let parts = match same {
            Some(same) => self.cache.read_edited(text, same),
            None => self.cache.read(text),
        };
        let Some(parts) = parts else {
            self.last_rule_runs = options.enabled_rules().count();
            return crate::check(text, options);
        };
        // Each distinct part's stream (slot), lent with its text as source.
        let mut streams: Vec<Stream> = Vec::new();
        for at in &parts {
            if at.slot == streams.len() {
                streams.push(self.cache.lend(at.slot, &text[at.start..at.end]));
            }
        }
        // Fixes follow the indentation of the whole text: the step found in its first nodes.
        let mut budget = INDENT_NODES;
        let mut step = None;
        for at in &parts {
            let s = &streams[at.slot];
            step = indent_step_within(s, budget);
            budget = budget.saturating_sub(s.nodes.len());
            if step.is_some() || budget == 0 {
                break;
            }
        }
        let step = step.unwrap_or(2);
        let made_with = (format!("{options:?}"), step);
        if self.made_with.as_ref() != Some(&made_with) {
            self.generation += 1;
            self.made_with = Some(made_with);
        }

        let (findings, warnings, fresh, runs) = {
            let models: Vec<Model> = parts
                .iter()
                .map(|at| Model::new(&streams[at.slot]))
                .collect();
            let index = Index::new(&models, options.namespace());
            let kept: Vec<Option<&PartChecked>> = (0..streams.len())
                .map(|slot| {
                    self.cache
                        .part(slot)
                        .checked
                        .as_ref()
                        .filter(|c| c.generation == self.generation)
                })
                .collect();
            self.run(&parts, &models, &index, options, step, &kept)
        };
        self.last_rule_runs = runs;
        for (slot, checked) in fresh.into_iter().enumerate() {
            if let Some(checked) = checked {
                self.cache.part_mut(slot).checked = Some(checked);
            }
        }
        for (slot, s) in streams.into_iter().enumerate() {
            self.cache.give_back(slot, s);
        }
        // Errors, and warnings of the reading (with the lines of duplicate keys, which depend
        // on the parts before), as a whole read gives them.
        let read = self.cache.splice(text, &parts, false);
        let mut all = read.warnings;
        all.extend(warnings);
        all.sort_by_key(|w| w.span.start);
        Report {
            documents: read.document_count,
            errors: read.errors,
            warnings: all,
            findings,
        }
    }

    /// Check the parts (`models[i]` is the part at `parts[i]`), reusing `kept[slot]` for the
    /// distinct part in `slot`.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        parts: &[PartAt],
        models: &[Model],
        index: &Index,
        options: &Options,
        step: usize,
        kept: &[Option<&PartChecked>],
    ) -> Checked {
        // By slot: a part repeated in the text is checked once (a lookup, not a search, so a
        // text of many distinct parts stays linear).
        let mut fresh: Vec<Option<PartChecked>> = Vec::new();
        fresh.resize_with(kept.len(), || None);
        let mut findings = Vec::new();
        let mut warnings = Vec::new();
        let mut documents = 0;
        let mut runs = 0;
        for (i, at) in parts.iter().enumerate() {
            let d = at.slot;
            let cx = Context::new(models, i, index, options).with_input(0..models.len());
            let _ = cx.indent_step.set(step);
            let mut found = Vec::new();
            let reuse = kept[d].or(fresh[d].as_ref());
            match reuse {
                Some(c) => {
                    found.extend(c.local.iter().cloned());
                    for &id in &c.crossed {
                        crate::run_rule(&cx, id, &mut found, &mut |_, run| run());
                        runs += 1;
                    }
                }
                None => {
                    let mut local = Vec::new();
                    let mut crossed = Vec::new();
                    for id in options.enabled_rules() {
                        cx.crossed.set(false);
                        let from = found.len();
                        crate::run_rule(&cx, id, &mut found, &mut |_, run| run());
                        runs += 1;
                        if cx.crossed.get() {
                            crossed.push(id);
                        } else {
                            local.extend(found[from..].iter().cloned());
                        }
                    }
                    fresh[d] = Some(PartChecked {
                        generation: self.generation,
                        local,
                        crossed,
                    });
                }
            }
            let model = &models[i];
            let any = self.cache.part(d).suppressible;
            crate::apply_suppressions_if(model, options, &mut found, any);
            // In order within the part: the parts follow each other, so the sort of all of
            // them below then finds them in order (a keystroke in a text of a few hundred
            // findings spent a fifth of its check moving them; the order is the same, the
            // sort being stable).
            crate::sort_findings(&mut found);
            let by = at.start as u32;
            let mut moved = Vec::new();
            for mut f in found {
                shift_finding(&mut f, by, documents, parts, &mut moved);
                findings.push(f);
            }
            warnings.extend(model.warnings.iter().map(|w| document::Warning {
                message: w.message.clone(),
                span: shift(w.span, by),
                document: w.document + documents,
            }));
            documents += model.stream.document_count;
        }
        crate::sort_findings(&mut findings);
        (findings, warnings, fresh, runs)
    }
}

fn shift(s: Span, by: u32) -> Span {
    Span {
        start: s.start + by,
        end: s.end + by,
    }
}

/// A finding of the part at `by` (its documents counted from `documents`) in the positions of
/// the whole text; a related location in another part (`file`) moves by that part's start.
/// `moved` pairs each object the part's findings were about with the object moved to its
/// document in the text, so the findings about one object still share one (copying it for
/// each finding was an allocation per finding and keystroke).
fn shift_finding(
    f: &mut Finding,
    by: u32,
    documents: usize,
    parts: &[PartAt],
    moved: &mut Vec<(Arc<ResourceRef>, Arc<ResourceRef>)>,
) {
    f.span = shift(f.span, by);
    for r in &mut f.related {
        let at = match r.file.take() {
            Some(j) => parts.get(j).map_or(by, |p| p.start as u32),
            None => by,
        };
        r.span = shift(r.span, at);
    }
    if let Some(fix) = &mut f.fix {
        for e in &mut fix.edits {
            e.span = shift(e.span, by);
        }
    }
    if let Some(s) = &mut f.suppressed {
        s.span = shift(s.span, by);
    }
    if documents > 0 {
        match moved
            .iter()
            .find(|(from, _)| Arc::ptr_eq(from, &f.resource))
        {
            Some((_, to)) => f.resource = Arc::clone(to),
            None => {
                let mut to = ResourceRef::clone(&f.resource);
                to.document += documents;
                let to = Arc::new(to);
                let from = std::mem::replace(&mut f.resource, Arc::clone(&to));
                moved.push((from, to));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    const EXAMPLE: &str = include_str!("../../../examples/task-api-insecure.yaml");

    /// Objects that only make sense together: a binding and its role in other documents, a
    /// policy selecting pods of another, a suppression comment, a pod with fixes.
    const CROSS: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects:\n- {kind: ServiceAccount, name: web, namespace: shop}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: shop}\nrules:\n- apiGroups: ['']\n  resources: [secrets, pods/exec]\n  verbs: ['*']\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: nginx # kube4c-ignore container/image-tag: pinned by digest upstream\n        securityContext:\n          privileged: true\n";

    fn same(session: &mut Session, text: &str, options: &Options) {
        if let Some(e) = differs(session, text, options) {
            panic!("{e}");
        }
    }

    fn differs(session: &mut Session, text: &str, options: &Options) -> Option<String> {
        let whole = format!("{:#?}", crate::check(text, options));
        let parts = format!("{:#?}", session.check(text, options));
        if whole != parts {
            let line = whole
                .lines()
                .zip(parts.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let around = |s: &str| {
                s.lines()
                    .skip(line.saturating_sub(8))
                    .take(16)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            return Some(format!(
                "the session's report differs from a whole check at line {line}:\nwhole:\n{}\nsession:\n{}\ntext:\n{text}",
                around(&whole),
                around(&parts)
            ));
        }
        None
    }

    #[test]
    fn equal_to_a_whole_check_under_edits() {
        let mut text = format!("{EXAMPLE}---\n{CROSS}---\n{EXAMPLE}");
        let mut session = Session::new();
        let options = Options::default();
        same(&mut session, &text, &options);
        // A second session told what each edit left alone: it splits only around the edit.
        let mut told = Session::new();
        let mut last = text.clone();
        same_edited(&mut told, &text, &options, None);
        let mut edits = crate::rules::testing::RandomEdits::new(11);
        let snippets = [
            "x",
            "\n",
            ": ",
            "- a\n",
            "---\n",
            "  ",
            "#",
            "{",
            "key: 1\nkey: 2\n",
            "namespace: shop\n",
            "    ",
            "--- |\n",
            "...\n",
            "\u{FEFF}",
            "# kube4c-ignore x\n",
        ];
        for _ in 0..400 {
            edits.apply(&mut text, &snippets, 16);
            same(&mut session, &text, &options);
            let unchanged = Unchanged::between(&last, &text);
            same_edited(&mut told, &text, &options, Some(unchanged));
            last.clone_from(&text);
        }
    }

    /// `check_edited` equals a whole check, and splits only around the edit.
    fn same_edited(session: &mut Session, text: &str, options: &Options, same: Option<Unchanged>) {
        let whole = format!("{:#?}", crate::check(text, options));
        let told = format!("{:#?}", session.check_edited(text, options, same));
        assert!(
            whole == told,
            "told {same:?}, the report differs from a whole check:\n{text}"
        );
    }

    /// Typing in a long text, told what each key left alone: the parts are those of a
    /// whole read, and the text is not split again far from the key.
    #[test]
    fn typing_in_values_checks_as_fresh() {
        // Four distinct copies (equal parts share what was read and are read again instead).
        let mut text = (0..4)
            .map(|i| EXAMPLE.replace("name: task-api\n", &format!("name: task-api-{i}\n")))
            .collect::<Vec<_>>()
            .join("---\n");
        let options = Options::default();
        let mut session = Session::new();
        let mut plain = Session::new();
        session.check(&text, &options);
        let mut in_place = 0;
        // In an image tag (`latest` flags), a replica count, a user id (`0` flags), a name.
        for (needle, keys) in [
            ("task-api:latest", "\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}1.2.3"),
            ("replicas: 2", "0\u{8}\u{8}1: \u{8}\u{8}"),
            ("runAsUser: 0", "\u{8}1000"),
            ("name: task-api-2", "x #y\u{8}\u{8}\u{8}"),
        ] {
            let mut at = text.rfind(needle).unwrap() + needle.len();
            for (i, key) in keys.chars().enumerate() {
                let before = text.clone();
                crate::rules::testing::type_key(&mut text, &mut at, key);
                let same = Unchanged::between(&before, &text);
                assert_eq!(
                    format!("{:#?}", session.check_edited(&text, &options, Some(same))),
                    format!("{:#?}", plain.check(&text, &options)),
                    "{needle}, key {i}"
                );
                in_place += session.parts_edited_in_place();
            }
        }
        assert!(in_place >= 15, "{in_place} keys edited in place");
    }

    #[test]
    fn told_edits_split_around_them() {
        let mut text = [EXAMPLE; 30].join("---\n");
        let options = Options::default();
        let mut session = Session::new();
        let mut plain = Session::new();
        session.check(&text, &options);
        let mut split_before = true;
        // At the end of a line that is not a separator.
        let mut at = text.len() / 3;
        at = text[at..].find("name: ").map_or(at, |n| at + n + 6);
        for (i, key) in "x-\n---\n\u{8}\u{8}\u{8}\u{8}y\u{8}\u{8}"
            .chars()
            .enumerate()
        {
            let before = text.clone();
            crate::rules::testing::type_key(&mut text, &mut at, key);
            let same = Unchanged::between(&before, &text);
            let told = format!("{:#?}", session.check_edited(&text, &options, Some(same)));
            assert_eq!(
                told,
                format!("{:#?}", plain.check(&text, &options)),
                "key {i}"
            );
            // (`---x` on the way to `---` is a bad separator: kubectl stops there, and the
            // text is read whole; the key after it reads every part again.)
            let pieces = document::input::split(&text);
            let whole: Option<Vec<_>> = pieces
                .iter()
                .map(|p| match p {
                    document::input::Piece::Yaml { start, end } => Some((*start, *end)),
                    _ => None,
                })
                .collect();
            let spans: Vec<_> = session.cache.last_parts().collect();
            assert_eq!(spans, whole.clone().unwrap_or_default(), "key {i}");
            if whole.is_some() && split_before {
                assert!(
                    session.parts_read() <= 2,
                    "key {i}: {} parts read",
                    session.parts_read()
                );
            }
            split_before = whole.is_some();
        }
        // Composed edits: what two edits in a row left alone.
        let (a, b, c) = ("abcXdef", "abcYYdef", "abZYYdef");
        let ab = Unchanged::between(a, b);
        let bc = Unchanged::between(b, c);
        let ac = ab.then(bc, [a.len(), b.len(), c.len()]);
        let direct = Unchanged::between(a, c);
        assert!(
            ac.prefix <= direct.prefix && ac.suffix <= direct.suffix,
            "{ac:?} {direct:?}"
        );
        assert_eq!(
            ac,
            Unchanged {
                prefix: 2,
                suffix: 3
            }
        );
    }

    /// Every YAML fixture of the repository through one session, under two profiles: each
    /// report equals a whole check, while each file reuses what it shares with the last.
    #[test]
    fn fixtures_equal_a_whole_check() {
        let files = crate::rules::testing::repository_yaml();
        let mut session = Session::new();
        let mut failed = Vec::new();
        for options in [Options::default(), Options::profile(Profile::PssRestricted)] {
            for (f, text) in &files {
                if let Some(e) = differs(&mut session, text, &options) {
                    failed.push(format!("{}: {e}", f.display()));
                }
            }
        }
        assert!(
            failed.is_empty(),
            "{} fixtures differ; the first:\n{}",
            failed.len(),
            failed[0]
        );
    }

    #[test]
    fn a_keystroke_reruns_only_cross_resource_rules() {
        let text = format!("{CROSS}---\n{}", EXAMPLE.repeat(10));
        let options = Options::default();
        let enabled = options.enabled_rules().count();
        let mut session = Session::new();
        same(&mut session, &text, &options);
        let mut edited = text.clone();
        let at = edited.find("image: nginx").unwrap();
        edited.insert_str(at, "# typed\n        ");
        same(&mut session, &edited, &options);
        let parts = crate::document::input::split(&edited).len();
        assert_eq!(session.parts_read(), 1);
        // The edited part runs every rule; the others only those that read the index.
        assert!(
            session.last_rule_runs < enabled + parts * 12,
            "{} rule runs for {parts} parts and {enabled} rules",
            session.last_rule_runs
        );
    }

    #[test]
    fn texts_read_whole_and_changed_options() {
        let mut session = Session::new();
        let options = Options::default();
        for text in ["{\"kind\": \"Pod\"}", "\u{FEFF}kind: Pod\n", "", CROSS] {
            same(&mut session, text, &options);
        }
        // Same text, other options: nothing found under the old ones is reused.
        same(&mut session, CROSS, &Options::profile(Profile::PssBaseline));
        same(&mut session, CROSS, &options);
    }
}
