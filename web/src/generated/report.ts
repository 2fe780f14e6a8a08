// Generated from crates/kube4c-core/src/output.rs by its `typescript_types_are_current`
// test (KUBE4C_UPDATE_TS=1 cargo test -p kube4c-core typescript): do not edit.

export type Layer = "cloud" | "cluster" | "container" | "code";

export type Severity = "info" | "low" | "medium" | "high" | "critical";

export type Applicability = "display" | "review" | "safe";

export type SuppressionKind = "annotation" | "comment";

export type PssLevel = "baseline" | "restricted";

export type Pss = { 
/**
 * Upstream check id (`k8s.io/pod-security-admission/policy`).
 */
id: string, level: PssLevel, };

export type FixAvailability = "none" | "sometimes" | "always";

export type OptionDefault = boolean | number | Array<string>;

export type RuleOption = { name: string, doc: string, default: OptionDefault, };

export type RuleMeta = { 
/**
 * `<layer>/<slug>`, stable forever.
 */
id: string, layer: Layer, severity: Severity, title: string, 
/**
 * What it checks.
 */
what: string, 
/**
 * Why it matters.
 */
why: string, 
/**
 * How to fix, in prose (a finding's `fix` is the mechanical edit, when one exists).
 */
remediation: string, 
/**
 * A YAML example of the fixed form.
 */
example: string, 
/**
 * Every Pod Security check this rule reports under (a rule may implement a baseline check
 * and the restricted check that replaces it at the restricted level).
 */
pss: Array<Pss>, fix: FixAvailability, options: Array<RuleOption>, 
/**
 * Benchmarks and guidance: CIS, NSA/CISA, the 4C model.
 */
references: Array<string>, 
/**
 * The same check in peer tools: (tool, id).
 */
peers: Array<[string, string]>, };

export type ResourceRef = { kind: string, name: string, namespace?: string, 
/**
 * Index among the non-empty documents of the input.
 */
document: number, };

export type Location = { 
/**
 * 1-based line of the start.
 */
line: number, 
/**
 * 1-based column of the start, in UTF-16 code units.
 */
column: number, endLine: number, endColumn: number, 
/**
 * Byte offsets into the UTF-8 text.
 */
start: number, end: number, 
/**
 * UTF-16 offsets into the text (JavaScript string indexes, CodeMirror positions).
 */
from: number, to: number, };

export type Diagnostic = { message: string, 
/**
 * The API server or kubectl rejects the object: it was not proven safe.
 */
rejected: boolean, 
/**
 * 1-based line of the start.
 */
line: number, 
/**
 * 1-based column of the start, in UTF-16 code units.
 */
column: number, endLine: number, endColumn: number, 
/**
 * Byte offsets into the UTF-8 text.
 */
start: number, end: number, 
/**
 * UTF-16 offsets into the text (JavaScript string indexes, CodeMirror positions).
 */
from: number, to: number, };

export type RelatedOut = { label: string, 
/**
 * The input it is in, when not the finding's own (a path, in the CLI).
 */
file?: string, 
/**
 * 1-based line of the start.
 */
line: number, 
/**
 * 1-based column of the start, in UTF-16 code units.
 */
column: number, endLine: number, endColumn: number, 
/**
 * Byte offsets into the UTF-8 text.
 */
start: number, end: number, 
/**
 * UTF-16 offsets into the text (JavaScript string indexes, CodeMirror positions).
 */
from: number, to: number, };

export type EditOut = { 
/**
 * The replacement text (the range is empty for an insertion).
 */
text: string, 
/**
 * 1-based line of the start.
 */
line: number, 
/**
 * 1-based column of the start, in UTF-16 code units.
 */
column: number, endLine: number, endColumn: number, 
/**
 * Byte offsets into the UTF-8 text.
 */
start: number, end: number, 
/**
 * UTF-16 offsets into the text (JavaScript string indexes, CodeMirror positions).
 */
from: number, to: number, };

export type FixOut = { title: string, applicability: Applicability, edits: Array<EditOut>, };

export type SuppressionOut = { kind: SuppressionKind, reason: string, 
/**
 * 1-based line of the start.
 */
line: number, 
/**
 * 1-based column of the start, in UTF-16 code units.
 */
column: number, endLine: number, endColumn: number, 
/**
 * Byte offsets into the UTF-8 text.
 */
start: number, end: number, 
/**
 * UTF-16 offsets into the text (JavaScript string indexes, CodeMirror positions).
 */
from: number, to: number, };

export type FindingOut = { rule: string, layer: Layer, severity: Severity, title: string, message: string, 
/**
 * JSON-style path of the field inside its document.
 */
path: string, resource: ResourceRef, pss?: string, related: Array<RelatedOut>, fix: FixOut | null, suppressed: SuppressionOut | null, 
/**
 * 1-based line of the start.
 */
line: number, 
/**
 * 1-based column of the start, in UTF-16 code units.
 */
column: number, endLine: number, endColumn: number, 
/**
 * Byte offsets into the UTF-8 text.
 */
start: number, end: number, 
/**
 * UTF-16 offsets into the text (JavaScript string indexes, CodeMirror positions).
 */
from: number, to: number, };

export type ByLayer = { cloud: number, cluster: number, container: number, code: number, };

export type BySeverity = { critical: number, high: number, medium: number, low: number, info: number, };

export type CheckResult = { 
/**
 * Non-empty documents in the input.
 */
documents: number, 
/**
 * Documents or objects not checked: unreadable, or rejected by the API server.
 */
unchecked: number, errors: Array<Diagnostic>, warnings: Array<Diagnostic>, findings: Array<FindingOut>, 
/**
 * Findings marked suppressed (they are in `findings` too).
 */
suppressed: number, byLayer: ByLayer, bySeverity: BySeverity, };

export type LayerInfo = { id: Layer, title: string, scope: string, };

export type ProfileInfo = { name: string, description: string, };

export type Catalog = { version: string, layers: Array<LayerInfo>, severities: Array<Severity>, profiles: Array<ProfileInfo>, rules: Array<RuleMeta>, };
