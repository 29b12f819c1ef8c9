// The host bridge, protocol version 1 (docs/embedding.md). main.js loads it only when the page is
// embedded (framed, opened with a fragment, or offered a native reply channel) and calls `start`
// with the page's own module glue: the bridge answers with the same wasm instance. It lets an app give
// the page a borrower's profile and get the verdict (with its plan) back:
//
//   in:  window.postMessage(request) from the page's own window (a webview's injected script) or
//        from the parent at the configured origin; the global drawcheck.show(profile, options);
//        the fragment #p=<base64url JSON>.
//   out: every channel the host offers: window.webkit.messageHandlers.drawcheck (iOS),
//        window.DrawcheckHost.postMessage(json) (Android @JavascriptInterface), and
//        parent.postMessage(reply, origin) to the configured origin only (never "*").
//
// The page answers requests only: what the borrower types is never sent on its own. Nothing here
// touches the DOM; the page (src/web/page.rs) sets every text as text.
export const VERSION = 1;

// The page's wasm module (www/pkg/drawcheck.js's exports), given to `start`.
let Engine, showProfile, defaultPackText;

// The host's configuration: a <meta name="drawcheck-origin"> / <meta name="drawcheck-sha256"> in the
// host's copy of the page, else the fragment's origin= and sha256= parameters.
const fragment = new URLSearchParams(location.hash.slice(1));
const meta = (name) => document.querySelector(`meta[name="drawcheck-${name}"]`)?.getAttribute('content') || null;
/** Where replies to the parent go: an http(s) origin, never a wildcard. */
const hostOrigin = originOf(meta('origin') ?? fragment.get('origin'));
/** A pinned rule pack (hex sha256), for every request. */
const hostPin = (meta('sha256') ?? fragment.get('sha256'))?.toLowerCase() ?? null;

function originOf(text) {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.origin === text.replace(/\/$/, '') ? url.origin : null;
  } catch {
    return null;
  }
}

// The rule packs the bridge has compiled: the page's own (the embedded default), and the host's
// latest (its TOML text and engine; an earlier one is freed). `pagePack`: the pack the page shows
// (its TOML text; null: the default), so that the page compiles a pack only when it changes.
let defaultEngine = null;
let hostPack = null;
let pagePack = null;
const engineOf = (text) => {
  if (text === null) return (defaultEngine ??= Engine.withDefaultPack());
  if (hostPack?.text !== text) {
    hostPack?.engine.free();
    hostPack = { text, engine: new Engine(text) };
  }
  return hostPack.engine;
};

class Refusal {
  constructor(code, message, extra = {}) {
    this.error = { code, message, line: 0, column: 0, ...extra };
  }
}

/** Reads a request and shows its profile: the reply's body (`verdict`), or throws a Refusal. */
function request(message) {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    throw new Refusal('malformed', 'a message is an object {"type":"drawcheck:show","version":1,"profile":…}');
  }
  const { type, version, profile, locale = null, pack = null, sha256 = null } = message;
  if (typeof type !== 'string') throw new Refusal('malformed', 'the message has no `type`');
  if (typeof version !== 'number') throw new Refusal('malformed', 'the message has no `version`');
  if (version !== VERSION) {
    throw new Refusal('version', `this page speaks version ${VERSION} of the drawcheck protocol`, { supported: [VERSION] });
  }
  if (type !== 'drawcheck:show') throw new Refusal('type', 'the only request is `drawcheck:show`');
  for (const [key, value] of Object.entries({ locale, pack, sha256 })) {
    if (value !== null && typeof value !== 'string') throw new Refusal('malformed', `\`${key}\` must be text`);
  }
  let text;
  if (typeof profile === 'string') text = profile;
  else if (profile !== null && typeof profile === 'object') text = JSON.stringify(profile);
  else throw new Refusal('malformed', 'the message has no `profile` (an object or its JSON text)');

  const engine = engineOf(pack);
  const report = JSON.parse(engine.report());
  if (report.type !== 'success') {
    throw new Refusal('pack', 'the rule pack does not compile', { diagnostics: report.errors });
  }
  for (const pin of [sha256?.toLowerCase(), hostPin]) {
    if (pin && pin !== report.pack.sha256) {
      throw new Refusal('pin', `refused: the rule pack's sha256 is ${report.pack.sha256}, but the host pinned ${pin}`);
    }
  }
  const answer = JSON.parse(engine.check(text, JSON.stringify(locale === null ? {} : { locale })));
  if (answer.type !== 'success') {
    const code = answer.error.message.startsWith('options.locale') ? 'locale' : 'profile';
    throw new Refusal(code, answer.error.message, { line: answer.error.line, column: answer.error.column });
  }
  // The page shows what the reply says: the same profile, pack and language.
  if (locale !== null) text = JSON.stringify({ ...JSON.parse(text), locale });
  showProfile(text, pack === pagePack ? '' : (pack ?? defaultPackText()));
  pagePack = pack;
  return { verdict: answer.verdict };
}

/** Answers one request through every channel the host offers, and returns the reply. */
function answer(message) {
  let body;
  try {
    if (typeof message === 'string') {
      try {
        message = JSON.parse(message);
      } catch {
        throw new Refusal('malformed', 'a message is an object or its JSON text');
      }
    }
    body = { type: 'drawcheck:verdict', version: VERSION, ...request(message) };
  } catch (e) {
    // Anything else thrown is a bug here; it still gets a typed reply, never an uncaught exception.
    body = { type: 'drawcheck:error', version: VERSION, ...(e instanceof Refusal ? e : new Refusal('internal', String(e))) };
  }
  const id = message?.id;
  return send(typeof id === 'string' || typeof id === 'number' ? { ...body, id } : body);
}

function send(reply) {
  try {
    window.webkit?.messageHandlers?.drawcheck?.postMessage(reply);
  } catch {}
  try {
    window.DrawcheckHost?.postMessage(JSON.stringify(reply)); // @JavascriptInterface takes strings
  } catch {}
  if (hostOrigin && window.parent !== window) window.parent.postMessage(reply, hostOrigin);
  return reply;
}

/** Starts the bridge: listens for requests, offers `window.drawcheck`, says it is ready, and reads `#p=`. */
export function start(glue) {
  ({ Engine, showProfile, defaultPackText } = glue);
  window.addEventListener('message', (e) => {
    const fromHost = hostOrigin !== null && window.parent !== window && e.source === window.parent && e.origin === hostOrigin;
    if (e.source !== window && !fromHost) return; // anyone else: dropped, unanswered
    // The page's own replies, should they come back, are not requests.
    if (['drawcheck:verdict', 'drawcheck:error', 'drawcheck:ready'].includes(e.data?.type)) return;
    answer(e.data);
  });

  window.drawcheck = Object.freeze({
    version: VERSION,
    /** Shows a profile; options: { locale, pack, sha256, id }. Returns the reply it also sends. */
    show: (profile, options) => answer({ ...(options ?? {}), type: 'drawcheck:show', version: VERSION, profile }),
  });

  const own = JSON.parse(engineOf(null).report()).pack;
  send({ type: 'drawcheck:ready', version: VERSION, pack: { id: own.id, version: own.version, sha256: own.sha256 } });

  // #p=<base64url of the profile's UTF-8 JSON> (standard base64 is read too; padding optional).
  if (fragment.has('p')) {
    let profile = null;
    try {
      const bytes = atob(fragment.get('p').replace(/[-_ ]/g, (c) => ({ '-': '+', _: '/', ' ': '+' })[c]));
      profile = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
    } catch {
      send({ type: 'drawcheck:error', version: VERSION, ...new Refusal('malformed', '`p` in the fragment is not base64url UTF-8 text') });
    }
    if (profile !== null) answer({ type: 'drawcheck:show', version: VERSION, profile, locale: fragment.get('locale') });
    // The borrower's facts leave the address bar and this history entry once read (a copied link or
    // the history list would carry them); the host's settings (origin, sha256, locale) stay.
    const rest = new URLSearchParams(fragment);
    rest.delete('p');
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest.size ? `#${rest}` : ''}`);
  }
}
