// drawcheck's typed JS API: what host apps and the studio import. A thin wrapper over the wasm
// module (./pkg/drawcheck.js, generated): it stringifies profiles and parses answers, so the
// profile is read by the same Rust code as in the CLI. Types: api.d.ts.
import initWasm, { Engine as RawEngine, defaultPackText as rawDefaultPackText } from './pkg/drawcheck.js';

let ready = null;

/** Loads the wasm module once. `input` may be a URL, a Response or bytes (for offline builds). */
export function init(input) {
  if (!ready) ready = initWasm(input === undefined ? undefined : { module_or_path: input });
  return ready;
}

function text(profile) {
  return typeof profile === 'string' ? profile : JSON.stringify(profile);
}

/** A compiled rule pack. */
export class Engine {
  #raw;
  constructor(raw) {
    this.#raw = raw;
  }
  /** The verdict for a profile (an object, or JSON text for line and column in errors). */
  check(profile, options) {
    return JSON.parse(this.#raw.check(text(profile), JSON.stringify(options ?? {})));
  }
  /** The verdict with each rule's trace, and the whole as readable text. */
  explain(profile, options) {
    return JSON.parse(this.#raw.explain(text(profile), JSON.stringify(options ?? {})));
  }
  /** The path back to drawing (`null` when nothing restricts it), with the verdict it starts from. */
  recourse(profile, options) {
    return planOf(this.check(profile, options));
  }
  /** The pack's id, version, sha256, rules and facts. */
  info() {
    return JSON.parse(this.#raw.report()).pack;
  }
  /** Frees the wasm memory held by the pack. */
  free() {
    this.#raw.free();
  }
}

function planOf(answer) {
  return answer.type === 'success' ? { type: 'success', recourse: answer.verdict.recourse, verdict: answer.verdict } : answer;
}

/**
 * Compiles a rule pack's TOML text: a tagged answer, never an exception. With `{ sha256 }` (hex),
 * a pack whose hash differs is refused: a failure whose one error says both hashes.
 */
export function compilePack(packText, options) {
  const raw = new RawEngine(packText);
  const report = JSON.parse(raw.report());
  const pin = options?.sha256?.toLowerCase();
  if (report.type === 'success' && pin && pin !== report.pack.sha256) {
    raw.free();
    const message = `refused: the rule pack's sha256 is ${report.pack.sha256}, but it was pinned to ${pin}`;
    const error = { severity: 'error', message, hint: null, line: 0, column: 0, end_line: 0, end_column: 0, rule: null };
    return { type: 'failure', errors: [error] };
  }
  if (report.type !== 'success') {
    raw.free();
    return report;
  }
  return { ...report, engine: new Engine(raw) };
}

let defaultEngine = null;

/** The embedded default pack (POLICY.md v1), compiled once. */
function defaultEngine_() {
  if (!defaultEngine) defaultEngine = new Engine(RawEngine.withDefaultPack());
  return defaultEngine;
}

/** Checks a profile against the embedded default pack. */
export function check(profile, options) {
  return defaultEngine_().check(profile, options);
}

/** Explains a profile against the embedded default pack. */
export function explain(profile, options) {
  return defaultEngine_().explain(profile, options);
}

/** The path back to drawing against the embedded default pack. */
export function recourse(profile, options) {
  return defaultEngine_().recourse(profile, options);
}

/** The embedded default pack's TOML text. */
export function defaultPackText() {
  return rawDefaultPackText();
}
