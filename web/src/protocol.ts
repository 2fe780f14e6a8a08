// Messages between the page and the checker worker.
import type { Catalog } from "./generated/report";

/** A profile name, as listed by the core's catalog. */
export type Profile = string;

/** CodeMirror's `ChangeSet.toJSON()`: a number keeps that many characters, an array removes
 * its first element's count of characters and inserts its other elements as lines. */
export type ChangesJson = (number | [number, ...string[]])[];

export interface CheckRequest {
  type: "check";
  id: number;
  /** The whole text: the worker replaces its copy (first check, or after a restart). */
  text?: string;
  /** Or the edits since the worker's copy was last updated. */
  changes?: ChangesJson;
  profile: Profile;
  /** The text of a `.kube4c.yaml` the user loaded, if any. */
  config?: string;
  /** Send every finding: the page lost the result the next would change. */
  forget?: boolean;
}

/** A one-off check or export of a given text; the worker's copy is left alone. */
export interface OnceRequest {
  type: "once";
  id: number;
  text: string;
  profile: Profile;
  config?: string;
  /** `check` returns the result JSON; the others the CLI's serialisation of it. */
  format: "check" | "json" | "sarif" | "markdown";
  /** The name the export gives the text (a file name). */
  name?: string;
}

/** The shared result channel: a head of 40 bytes, then up to 1 MiB of result. */
export const SHARED_HEAD = 40;
export const SHARED_BYTES = 1 << 20;

/** The channel's parts: `[id, bytes]` (Int32; the worker stores the id last), `[ms, began,
 * ended]` (Float64, as in a result message), then the result's UTF-8 bytes. */
export interface SharedViews {
  ints: Int32Array;
  floats: Float64Array;
  bytes: Uint8Array;
}

export function sharedViews(buffer: SharedArrayBuffer): SharedViews {
  return { ints: new Int32Array(buffer, 0, 2), floats: new Float64Array(buffer, 8, 3), bytes: new Uint8Array(buffer, SHARED_HEAD) };
}

/** Shared memory the worker also writes the result of a check of edits to (see checker.ts,
 * `takeInFrame`). */
export interface ChannelRequest {
  type: "channel";
  buffer: SharedArrayBuffer;
}

export type Request = CheckRequest | OnceRequest | ChannelRequest;

export type WorkerMessage =
  | { type: "ready"; catalog: Catalog }
  /** `json` is a CheckResult: for a check of the worker's text, a change to the last one
   * (see checker.ts, readResult); whole for a one-off check; or the export asked for. */
  /** `began`/`ended`: when the worker took the request and posted this, in milliseconds since
   * the epoch (`performance.timeOrigin + performance.now()`: the page's clock differs). */
  | { type: "result"; id: number; json: string; ms: number; began: number; ended: number }
  | { type: "failed"; id: number; message: string }
  | { type: "crashed"; message: string };
