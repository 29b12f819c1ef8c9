// Types of drawcheck's JS API (www/api.js), matching CONTRACT.md. Hand-written and checked by
// `tsc --strict --noEmit` against a consumer in tests/ts/.

/** A borrower's facts (CONTRACT.md). Every group and field is optional except `as_of`. */
export interface Profile {
  as_of: string;
  locale?: "zh-CN" | "en" | string | null;
  account?: { status?: "active" | "frozen" | "closed" | null; credit_limit?: Money | null; used?: Money | null;
    kyc_verified?: boolean | null; id_expiry?: string | null; age?: number | null; region?: string | null;
    app_version?: string | null; segment?: string | null } | null;
  credit?: { overdue_days?: number | null; overdue_amount?: Money | null; overdue_episodes_12m?: number | null;
    last_overdue_cleared_at?: string | null; court_enforcement_listed?: boolean | null;
    bureau_blacklisted?: boolean | null; multi_lender_count_3m?: number | null } | null;
  behavior?: { login_failures_24h?: number | null; last_login_failure_at?: string | null;
    new_device_unverified?: boolean | null; requests_last_hour?: number | null } | null;
  capacity?: { monthly_income?: Money | null; income_verified?: boolean | null;
    monthly_debt_payments?: Money | null } | null;
  request?: { amount?: Money | null } | null;
  [group: string]: unknown;
}
/** An amount: a decimal string or number with at most 2 decimals, e.g. "320.50". */
export type Money = string | number;
export type Status = "eligible" | "limited" | "paused" | "blocked" | "frozen" | "incomplete";
export type Effect = "freeze" | "block" | "pause" | "limit" | "cap";
export type Action = "repay" | "wait" | "verify_identity" | "verify_device" | "upload_document" | "update_app"
  | "contact_support" | "credit_report" | "reduce_debt" | "none";
export interface Step { action: Action; text: string; amount?: string; to?: string; until?: string; phone?: string }
export interface Reason {
  rule: string; effect: Effect; scope: "individual" | "segment"; category: string; principal: boolean;
  title: string; detail: string; amount?: string; until: string | null; steps: Step[];
}
export interface TraceNode { depth: number; text: string; value: string }
export interface RuleTrace { rule: string; result: "fired" | "not fired" | "undetermined"; when: string; nodes: TraceNode[] }
export interface Verdict {
  status: Status; available: string; effective_limit: string; reasons: Reason[]; missing: string[];
  undetermined: { rule: string; why: string }[]; as_of: string; locale: "zh-CN" | "en";
  pack: { id: string; version: string; sha256: string }; trace?: RuleTrace[];
  /** The path back to drawing; null when nothing restricts drawing. */
  recourse: Plan | null;
}
/** The cheapest path back to drawing (recourse.rs). */
export interface Plan {
  reachable: Status; available_after: string; effective_limit_after: string;
  /** RFC 3339: when the plan is done (after its last wait), or as_of. */
  earliest: string; cost: number; steps: PlanStep[];
  /** Reasons nothing the borrower does will lift, with the route that remains. */
  fixed: { rule: string; route: Step[] }[];
}
export interface PlanStep {
  action: Action; fact?: string; from?: string; to?: string; amount?: string; until?: string;
  /** Every fact the step changes, as profile JSON values. */
  changes: { fact: string; to: boolean | number | string | null }[];
  /** Rules that no longer restrict drawing after this step. */
  lifts: string[];
  text: { "zh-CN": string; en: string }; status_after: Status; available_after: string;
}
export interface Diagnostic {
  severity: "error" | "warning"; message: string; hint: string | null; line: number; column: number;
  end_line: number; end_column: number; rule: string | null;
}
export interface ProfileError { message: string; line: number; column: number }
export interface FactInfo { path: string; type: string; values?: string[]; action?: Action; label: { "zh-CN"?: string; en?: string } }
export interface PackInfo { id: string; version: string; sha256: string; locales: string[]; rules: string[]; facts: FactInfo[] }
export interface CheckOptions { locale?: "zh-CN" | "en" | string; trace?: boolean }
/** `sha256`: refuse a pack whose hash (hex) is not this one. */
export interface CompileOptions { sha256?: string }
export type CompileAnswer =
  | { type: "success"; engine: Engine; pack: PackInfo; warnings: Diagnostic[] }
  | { type: "failure"; errors: Diagnostic[] };
export type CheckAnswer = { type: "success"; verdict: Verdict } | { type: "failure"; error: ProfileError };
export type ExplainAnswer =
  | { type: "success"; verdict: Verdict; text: string }
  | { type: "failure"; error: ProfileError };
export type RecourseAnswer =
  | { type: "success"; recourse: Plan | null; verdict: Verdict }
  | { type: "failure"; error: ProfileError };

/** A compiled rule pack. */
export declare class Engine {
  private constructor();
  /** The verdict for a profile (an object, or JSON text for line and column in errors). */
  check(profile: Profile | string, options?: CheckOptions): CheckAnswer;
  /** The verdict with each rule's trace, and the whole as readable text. */
  explain(profile: Profile | string, options?: CheckOptions): ExplainAnswer;
  /** The path back to drawing (`null` when nothing restricts it), with the verdict it starts from. */
  recourse(profile: Profile | string, options?: CheckOptions): RecourseAnswer;
  /** The pack's id, version, sha256, rules and facts. */
  info(): PackInfo;
  /** Frees the wasm memory held by the pack. */
  free(): void;
}

/** Loads the wasm module once. `input` may be a URL, a Response or bytes (for offline builds). */
export function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<unknown>;
/** Compiles a rule pack's TOML text: a tagged answer, never an exception; a pinned sha256 that differs is a failure. */
export function compilePack(packText: string, options?: CompileOptions): CompileAnswer;
/** Checks a profile against the embedded default pack. */
export function check(profile: Profile | string, options?: CheckOptions): CheckAnswer;
/** Explains a profile against the embedded default pack. */
export function explain(profile: Profile | string, options?: CheckOptions): ExplainAnswer;
/** The path back to drawing against the embedded default pack. */
export function recourse(profile: Profile | string, options?: CheckOptions): RecourseAnswer;
/** The embedded default pack's TOML text. */
export function defaultPackText(): string;

// ---------------------------------------------------------------------------------------------
// The host bridge, protocol version 1 (docs/embedding.md): the messages between a host app and the
// page, for hosts written in TypeScript. Nothing here is imported at run time.
// ---------------------------------------------------------------------------------------------

/** Host → page: show this profile (window.postMessage, drawcheck.show, or the fragment #p=). */
export interface ShowRequest {
  type: "drawcheck:show"; version: 1;
  /** Echoed in the reply (text or number). */
  id?: string | number;
  profile: Profile | string;
  locale?: "zh-CN" | "en";
  /** A rule pack's TOML text; absent: the page's own (the embedded default). */
  pack?: string;
  /** Refuse the pack unless its sha256 (hex) is this one. */
  sha256?: string;
}
/** Page → host, once the bridge has started: the page's own pack, for pinning. */
export interface ReadyMessage { type: "drawcheck:ready"; version: 1; pack: { id: string; version: string; sha256: string } }
/** Page → host: the verdict the page now shows, with its plan in `verdict.recourse`. */
export interface VerdictMessage { type: "drawcheck:verdict"; version: 1; id?: string | number; verdict: Verdict }
export type BridgeErrorCode = "malformed" | "version" | "type" | "locale" | "pack" | "pin" | "profile" | "internal";
/** Page → host: why a request was refused; the page is left as it was. */
export interface ErrorMessage {
  type: "drawcheck:error"; version: 1; id?: string | number;
  error: {
    code: BridgeErrorCode; message: string;
    /** In the profile's JSON text (0: no position). */
    line: number; column: number;
    /** `version`: the versions the page speaks. */
    supported?: number[];
    /** `pack`: why the pack does not compile. */
    diagnostics?: Diagnostic[];
  };
}
export type BridgeReply = ReadyMessage | VerdictMessage | ErrorMessage;
/** `window.drawcheck` on an embedded page (for evaluateJavascript / evaluateJavaScript). */
export interface DrawcheckGlobal {
  version: 1;
  show(profile: Profile | string, options?: Omit<ShowRequest, "type" | "version" | "profile">): VerdictMessage | ErrorMessage;
}
