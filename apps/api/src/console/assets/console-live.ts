// The console's one script, served as /console/assets/console.js (no inline
// script: the Content-Security-Policy allows scripts from 'self' only). It
// only adds live updates; every page reads the same without it.
//
// - The list: every POLL_MS it asks /console/topups/live?ids=... for the
//   rows still marked data-final="false" and updates their status in place
//   (no reload); a row that became final stops being asked for.
// - One top-up (main[data-live-url]): every POLL_MS, while its status is not
//   final, it fetches the page again and swaps the main content, so new
//   attempts, exchanges, movements and events appear without a reload.
// A failed poll is tried again at the next tick; after the session ends
// (401, or a redirect to the sign-in page) it stops.
export const CONSOLE_JS = `(function () {
  'use strict';
  var POLL_MS = 3000;
  var stopped = false;
  function pendingRows() {
    return Array.prototype.slice.call(document.querySelectorAll('tr[data-top-up][data-final="false"]'));
  }
  function updateList() {
    var rows = pendingRows();
    if (rows.length === 0 || stopped) return;
    var ids = rows.map(function (row) { return row.getAttribute('data-top-up'); });
    fetch('/console/topups/live?ids=' + encodeURIComponent(ids.join(',')), { headers: { accept: 'application/json' }, credentials: 'same-origin', redirect: 'error' })
      .then(function (response) {
        if (response.status === 401) { stopped = true; return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (!body || !body.top_ups) return;
        body.top_ups.forEach(function (topUp) {
          var row = document.querySelector('tr[data-top-up="' + topUp.id + '"]');
          if (!row) return;
          var cell = row.querySelector('[data-status]');
          if (cell && cell.textContent !== topUp.status) {
            cell.textContent = topUp.status;
            cell.className = 'status status-' + topUp.status_class;
            cell.setAttribute('title', topUp.message);
          }
          if (topUp.final) row.setAttribute('data-final', 'true');
        });
      })
      .catch(function () {});
  }
  function updateDetail(main) {
    if (stopped) return;
    var status = main.querySelector('[data-testid="top-up-status"]');
    if (status && status.getAttribute('data-final') === 'true') return;
    fetch(main.getAttribute('data-live-url'), { headers: { accept: 'text/html' }, credentials: 'same-origin', redirect: 'error' })
      .then(function (response) {
        if (response.status === 401) { stopped = true; return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
        if (!fresh || fresh.innerHTML === main.innerHTML) return;
        var open = Array.prototype.map.call(main.querySelectorAll('details'), function (d) { return d.open; });
        main.innerHTML = fresh.innerHTML;
        Array.prototype.forEach.call(main.querySelectorAll('details'), function (d, i) { if (open[i]) d.open = true; });
      })
      .catch(function () {});
  }
  function tick() {
    var main = document.querySelector('main[data-live-url]');
    if (main) updateDetail(main); else updateList();
  }
  if (document.querySelector('main[data-live-url]') || pendingRows().length > 0) setInterval(tick, POLL_MS);
})();
`;
