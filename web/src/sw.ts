// The service worker: the page installs as a PWA and works offline after its first load.
// Every file of the build is cached on install under a name that changes with the build, so a
// new build replaces the old cache as a whole; requests are answered from the cache first.
/// <reference lib="webworker" />
export {};
declare const self: ServiceWorkerGlobalScope;
/** Filled in by build.mjs: the build's files and a hash of their contents. */
declare const KUBE4C_ASSETS: string[];
declare const KUBE4C_BUILD: string;

const CACHE = `kube4c-${KUBE4C_BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(KUBE4C_ASSETS.map((a) => new Request(a, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kube4c-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (c) => {
      // A navigation to the page (with any query) is answered by the cached index.html.
      const hit = (await c.match(req, { ignoreSearch: true })) ?? (req.mode === "navigate" ? await c.match("./") : undefined);
      return hit ?? fetch(req);
    }),
  );
});
