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
// Polls carry the POLL_HEADER (x-console-poll: 1): they are not activity
// and do not keep the session from its idle timeout. A failed poll is tried
// again at the next tick; once the session has ended (401, or a redirect
// to the sign-in page) it stops. The swapped content keeps the open
// <details> (by their summary) and the status is announced politely.
export const CONSOLE_JS = `(function () {
  'use strict';
  var POLL_MS = 3000;
  var stopped = false;
  var HEADERS = { 'x-console-poll': '1' };
  function ended(response) {
    return response.status === 401 || response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
  }
  function pendingRows() {
    return Array.prototype.slice.call(document.querySelectorAll('tr[data-top-up][data-final="false"]'));
  }
  function updateList() {
    var rows = pendingRows();
    if (rows.length === 0 || stopped) return;
    var ids = rows.map(function (row) { return row.getAttribute('data-top-up'); });
    fetch('/console/topups/live?ids=' + encodeURIComponent(ids.join(',')), { headers: Object.assign({ accept: 'application/json' }, HEADERS), credentials: 'same-origin', redirect: 'manual' })
      .then(function (response) {
        if (ended(response)) { stopped = true; return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (!body || !body.top_ups) return;
        body.top_ups.forEach(function (topUp) {
          var row = document.querySelector('tr[data-top-up="' + CSS.escape(topUp.id) + '"]');
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
    fetch(main.getAttribute('data-live-url'), { headers: Object.assign({ accept: 'text/html' }, HEADERS), credentials: 'same-origin', redirect: 'manual' })
      .then(function (response) {
        if (ended(response)) { stopped = true; return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
        if (!fresh || fresh.innerHTML === main.innerHTML) return;
        var summaryOf = function (d) { var s = d.querySelector('summary'); return s ? s.textContent : ''; };
        var open = {};
        Array.prototype.forEach.call(main.querySelectorAll('details'), function (d) { if (d.open) open[summaryOf(d)] = true; });
        var focused = document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : '';
        main.innerHTML = fresh.innerHTML;
        Array.prototype.forEach.call(main.querySelectorAll('details'), function (d) { if (open[summaryOf(d)]) d.open = true; });
        if (focused) { var again = document.getElementById(focused); if (again) again.focus(); }
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
