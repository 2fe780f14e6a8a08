// Messages between the page and the checker worker.
import type { Catalog } from "./generated/report";

/** A profile name, as listed by the core's catalog. */
export type Profile = string;

export interface CheckRequest {
  type: "check";
  id: number;
  text: string;
  profile: Profile;
  /** The text of a `.kube4c.yaml` the user loaded, if any. */
  config?: string;
}

export type WorkerMessage =
  | { type: "ready"; catalog: Catalog }
  /** `json` is a serialized CheckResult. */
  | { type: "result"; id: number; json: string; ms: number }
  | { type: "failed"; id: number; message: string }
  | { type: "crashed"; message: string };
