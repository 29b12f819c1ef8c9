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
  /** The pack's id, version, sha256, rules and facts. */
  info() {
    return JSON.parse(this.#raw.report()).pack;
  }
  /** Frees the wasm memory held by the pack. */
  free() {
    this.#raw.free();
  }
}

/** Compiles a rule pack's TOML text: a tagged answer, never an exception. */
export function compilePack(packText) {
  const raw = new RawEngine(packText);
  const report = JSON.parse(raw.report());
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

/** The embedded default pack's TOML text. */
export function defaultPackText() {
  return rawDefaultPackText();
}
