// Cross-origin isolation for hosts that cannot set response headers (see docs/deploy.md).
//
// Real threads need SharedArrayBuffer, which browsers give only to cross-origin isolated
// pages: served with COOP: same-origin and COEP: require-corp. This service worker adds those
// headers to every same-origin response it passes on. index.html registers it only when the
// page is not already isolated, and reloads once so the page itself comes through it. Without
// it (no service workers, a plain-http host, an iframe) the page still works: the simulator
// does not need threads, and the Real threads view explains its single-thread fallback.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    }),
  );
});
