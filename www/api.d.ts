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
}
export interface Diagnostic {
  severity: "error" | "warning"; message: string; hint: string | null; line: number; column: number;
  end_line: number; end_column: number; rule: string | null;
}
export interface ProfileError { message: string; line: number; column: number }
export interface FactInfo { path: string; type: string; values?: string[]; action?: Action; label: { "zh-CN"?: string; en?: string } }
export interface PackInfo { id: string; version: string; sha256: string; locales: string[]; rules: string[]; facts: FactInfo[] }
export interface CheckOptions { locale?: "zh-CN" | "en" | string; trace?: boolean }
export type CompileAnswer =
  | { type: "success"; engine: Engine; pack: PackInfo; warnings: Diagnostic[] }
  | { type: "failure"; errors: Diagnostic[] };
export type CheckAnswer = { type: "success"; verdict: Verdict } | { type: "failure"; error: ProfileError };
export type ExplainAnswer =
  | { type: "success"; verdict: Verdict; text: string }
  | { type: "failure"; error: ProfileError };

/** A compiled rule pack. */
export declare class Engine {
  private constructor();
  /** The verdict for a profile (an object, or JSON text for line and column in errors). */
  check(profile: Profile | string, options?: CheckOptions): CheckAnswer;
  /** The verdict with each rule's trace, and the whole as readable text. */
  explain(profile: Profile | string, options?: CheckOptions): ExplainAnswer;
  /** The pack's id, version, sha256, rules and facts. */
  info(): PackInfo;
  /** Frees the wasm memory held by the pack. */
  free(): void;
}

/** Loads the wasm module once. `input` may be a URL, a Response or bytes (for offline builds). */
export function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<unknown>;
/** Compiles a rule pack's TOML text: a tagged answer, never an exception. */
export function compilePack(packText: string): CompileAnswer;
/** Checks a profile against the embedded default pack. */
export function check(profile: Profile | string, options?: CheckOptions): CheckAnswer;
/** Explains a profile against the embedded default pack. */
export function explain(profile: Profile | string, options?: CheckOptions): ExplainAnswer;
/** The embedded default pack's TOML text. */
export function defaultPackText(): string;
