package serve

// liveScript is served at /_vitrine/live.js and loaded by every HTML page the dev server serves. It keeps
// the page in step with the site: see the package doc. It writes into the page only its error overlay
// (#vitrine-error), built with textContent: a message is never parsed as HTML.
const liveScript = `(() => {
  "use strict";
  const key = "vitrine:scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved) {
    sessionStorage.removeItem(key);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    restore();
    if (document.readyState !== "complete") addEventListener("load", restore, { once: true });
  }
  const file = location.pathname.endsWith("/")
    ? decodeURIComponent(location.pathname.slice(1)) + "index.html"
    : decodeURIComponent(location.pathname.slice(1));
  // The build the page comes from: a page that connects after a later build reloads.
  let gen = document.currentScript ? document.currentScript.dataset.gen || null : null;

  function reload() {
    sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  function swapStyles() {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("vitrine", Date.now().toString(36));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => fresh.remove(), { once: true });
      link.after(fresh);
    }
  }

  function hideError() {
    const box = document.getElementById("vitrine-error");
    if (box) box.remove();
  }

  function showError(message) {
    hideError();
    const box = document.createElement("div");
    box.id = "vitrine-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#fdfdfd;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    const title = document.createElement("p");
    title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a80";
    title.textContent = "Build error: the page shows the last good build. Fix the file and save.";
    const text = document.createElement("pre");
    text.style.cssText = "margin:0;white-space:pre-wrap;word-break:break-word";
    text.textContent = message;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    close.style.cssText = "position:absolute;top:1rem;right:1rem;font:inherit;font-size:1.5rem;" +
      "background:none;border:0;color:inherit;cursor:pointer";
    close.addEventListener("click", hideError);
    box.append(title, text, close);
    document.body.append(box);
  }

  const events = new EventSource("/_vitrine/events");
  events.addEventListener("hello", (e) => {
    const d = JSON.parse(e.data);
    if (gen !== null && d.gen !== gen) reload(); // the server restarted or rebuilt while away
    gen = d.gen;
    window.vitrineLive = true; // connected: for tests
  });
  events.addEventListener("reload", (e) => {
    const d = JSON.parse(e.data);
    gen = d.gen;
    hideError();
    if (!d.paths || d.paths.some((p) => p === file || !/\.(html|xml|json|ics|txt)$/.test(p))) reload();
  });
  events.addEventListener("css", (e) => { gen = JSON.parse(e.data).gen; hideError(); swapStyles(); });
  events.addEventListener("ok", hideError);
  events.addEventListener("builderror", (e) => showError(JSON.parse(e.data).message));
})();
`
