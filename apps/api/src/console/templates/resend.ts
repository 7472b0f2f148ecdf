// The resend confirmation: the new top-up's external id and its quote, as
// it would be requested now; confirming posts the form (with the session's
// CSRF token, the derived external id, so a second click is the same
// request, answered with the same top-up, and the cost shown, so a price
// that moved meanwhile is shown again before anything is charged).
export const RESEND_TEMPLATE = `<p><a href="<%= it.askedHref %>">← Back to <%= it.askedExternalId %></a></p>
<h1>Resend top-up</h1>
<% if (it.changed) { %><p role="alert" class="alert">The resend changed since you saw it (another resend was made, or the price moved): check it again.</p><% } %>
<p>This creates a new top-up with the request of <strong><%= it.resentExternalId %></strong> (<%= it.resentStatus %>), linked to it.<% if (it.resendsAnother) { %> <%= it.askedExternalId %> is itself a resend of it: a resend always repeats the first top-up.<% } %></p>
<% if (it.numberRefused) { %><p role="note" class="alert">The provider declined it for the number itself (<%= it.resentStatusId %>): a resend to the same number is likely to be declined the same way.</p><% } %>
<dl class="facts">
<dt>New external id</dt><dd><code><%= it.externalId %></code></dd>
<dt>Phone number</dt><dd><%= it.phoneMasked %></dd>
<dt>Product</dt><dd><bdi><%= it.quote.product %></bdi> (<bdi><%= it.quote.operator %></bdi>)</dd>
<dt>Receives</dt><dd><%= it.quote.receives %></dd>
<dt>Cost</dt><dd><%= it.quote.cost %></dd>
<dt>Rule</dt><dd><code><%= it.quote.rule %></code>: <%= it.quote.explanation %></dd>
<dt>Exchange rate</dt><dd>1 <%= it.quote.rateSource %> = <%= it.quote.rate %> <%= it.quote.rateDestination %></dd>
</dl>
<p>The cost is held on the account when you confirm, and the top-up is sent.</p>
<form method="post" action="<%= it.action %>">
<input type="hidden" name="csrf" value="<%= it.csrf %>">
<input type="hidden" name="external_id" value="<%= it.externalId %>">
<input type="hidden" name="cost" value="<%= it.cost %>">
<button type="submit">Confirm resend</button> <a href="<%= it.askedHref %>">Cancel</a>
</form>
`;
