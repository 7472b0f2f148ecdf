// One top-up: its status, quote (the rule that chose the amount and the
// exchange rate), attempts, redacted provider exchanges with timings,
// ledger movements and events; the resend link for a failed one, and the
// links between a resend and its original. See top-up-detail.mapper.ts.
export const TOP_UP_DETAIL_TEMPLATE = `<p><a href="/console/topups">← All top-ups</a></p>
<h1>Top-up <%= it.externalId %></h1>
<dl class="facts">
<dt>Status</dt><dd aria-live="polite"><span class="status status-<%= it.statusClass %>" data-testid="top-up-status" data-final="<%= it.final ? 'true' : 'false' %>" title="<%= it.statusMessage %>"><%= it.statusId %></span> <span class="muted"><%= it.statusMessage %></span></dd>
<dt>Phone number</dt><dd><%= it.phoneMasked %></dd>
<dt>Account</dt><dd><%= it.accountId %></dd>
<dt>Top-up id</dt><dd><code><%= it.id %></code></dd>
<dt>Created (UTC)</dt><dd><time datetime="<%= it.createdIso %>"><%= it.created %></time></dd>
<% if (it.failure) { %><dt>Failure</dt><dd><%= it.failure %></dd><% } %>
<% if (it.resendOf) { %><dt>Resend of</dt><dd><a href="<%= it.resendOf.href %>"><%= it.resendOf.externalId %></a></dd><% } %>
<% if (it.resentAs.length > 0) { %><dt>Resent as</dt><dd><% it.resentAs.forEach(function (link) { %><a href="<%= link.href %>"><%= link.externalId %></a> (<%= link.statusId %>) <% }) %></dd><% } %>
</dl>
<% if (it.resendHref) { %><p><a class="button" href="<%= it.resendHref %>">Resend</a></p><% } else if (it.resendNote) { %><p class="muted"><%= it.resendNote %></p><% } %>
<section aria-labelledby="quote-heading">
<h2 id="quote-heading">Quote</h2>
<dl class="facts">
<dt>Product</dt><dd><bdi><%= it.quote.product %></bdi> (<bdi><%= it.quote.operator %></bdi>)</dd>
<dt>Receives</dt><dd><%= it.quote.receives %></dd>
<dt>Cost</dt><dd><%= it.quote.cost %> <span class="muted">(wholesale <%= it.quote.wholesale %> + fee <%= it.quote.fee %>, rounded up by <%= it.quote.roundingUp %>)</span></dd>
<dt>Rule</dt><dd><code><%= it.quote.rule %></code>: <%= it.quote.explanation %></dd>
<dt>Exchange rate</dt><dd>1 <%= it.quote.rateSource %> = <%= it.quote.rate %> <%= it.quote.rateDestination %></dd>
</dl>
</section>
<section aria-labelledby="attempts-heading">
<h2 id="attempts-heading">Attempts</h2>
<% if (it.attempts.length === 0) { %><p>No attempt yet.</p><% } else { %>
<table>
<thead><tr><th scope="col">#</th><th scope="col">Provider</th><th scope="col">State</th><th scope="col">Provider status</th><th scope="col">Failure reason</th><th scope="col">Provider transaction</th><th scope="col">Started (UTC)</th></tr></thead>
<tbody><% it.attempts.forEach(function (attempt) { %><tr>
<td><%= attempt.number %></td><td><%= attempt.provider %></td><td><%= attempt.state %></td><td><%= attempt.status %></td><td><%= attempt.failure %></td><td><code><%= attempt.transactionId %></code></td><td><time datetime="<%= attempt.startedIso %>"><%= attempt.started %></time></td>
</tr><% }) %></tbody>
</table>
<% } %>
</section>
<section aria-labelledby="exchanges-heading">
<h2 id="exchanges-heading">Provider exchanges</h2>
<p class="muted">As kept in the transfer log: secrets and personal data were redacted before they were stored.</p>
<% if (it.exchanges.length === 0) { %><p>No exchange with a provider yet.</p><% } %>
<% it.exchanges.forEach(function (exchange) { %>
<details class="exchange">
<summary>Attempt <%= exchange.attempt %> · <%= exchange.method %> <%= exchange.path %> · <%= exchange.answer %> · <%= exchange.durationMs %> ms · <time datetime="<%= exchange.startedIso %>"><%= exchange.started %></time></summary>
<p><%= exchange.provider %>: <code><%= exchange.url %></code></p>
<% if (exchange.failure) { %><p role="note">Failure: <%= exchange.failure %></p><% } %>
<h3>Request</h3>
<pre tabindex="0"><%= exchange.requestBody %></pre>
<h3>Answer</h3>
<pre tabindex="0"><%= exchange.responseBody %></pre>
</details>
<% }) %>
</section>
<section aria-labelledby="ledger-heading">
<h2 id="ledger-heading">Ledger movements</h2>
<% if (it.movements.length === 0) { %><p>No movement.</p><% } else { %>
<table>
<thead><tr><th scope="col">#</th><th scope="col">Movement</th><th scope="col">Amount</th><th scope="col">Available</th><th scope="col">Held</th><th scope="col">Recorded (UTC)</th></tr></thead>
<tbody><% it.movements.forEach(function (movement) { %><tr><td><%= movement.sequence %></td><td><%= movement.kind %></td><td class="amount"><%= movement.amount %></td><td class="amount"><%= movement.available %></td><td class="amount"><%= movement.holding %></td><td><%= movement.recorded %></td></tr><% }) %></tbody>
</table>
<% } %>
</section>
<section aria-labelledby="events-heading">
<h2 id="events-heading">Events</h2>
<% if (it.events.length === 0) { %><p>No event.</p><% } else { %>
<table>
<thead><tr><th scope="col">Event</th><th scope="col">Occurred (UTC)</th><th scope="col">Published</th><th scope="col">Payload</th></tr></thead>
<tbody><% it.events.forEach(function (event) { %><tr><td><code><%= event.type %></code></td><td><%= event.occurred %></td><td><%= event.published %></td><td><details><summary>Show</summary><pre tabindex="0"><%= event.payload %></pre></details></td></tr><% }) %></tbody>
</table>
<% } %>
</section>
`;
