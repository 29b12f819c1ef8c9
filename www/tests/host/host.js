// The host app of www/tests/embed.test.mjs. Query: page=<drawcheck page URL, with its fragment
// #origin=<this origin>>, other=<a page of a third origin, framed next to it>. It collects the
// replies of drawcheck's origin in `received`, and `send(message)` posts to the drawcheck frame —
// what a host app's own code does (docs/embedding.md).
const params = new URLSearchParams(location.search);
const frame = document.getElementById('drawcheck');
const pageOrigin = new URL(params.get('page')).origin;
window.received = [];
window.addEventListener('message', (e) => {
  if (e.origin === pageOrigin && e.source === frame.contentWindow) window.received.push(e.data);
});
window.send = (message) => frame.contentWindow.postMessage(message, pageOrigin);
frame.src = params.get('page');
if (params.get('other')) document.getElementById('other').src = params.get('other');
