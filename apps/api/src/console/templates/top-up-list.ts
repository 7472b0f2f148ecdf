// The list of top-ups: filters (a GET form, so a filtered list is a URL),
// the page of rows (newest first; non-final rows carry data-final="false"
// for the live-update script), pagination, the balances and the last 24
// hours. See top-up-list.mapper.ts for the view it is given.
export const TOP_UP_LIST_TEMPLATE = `<h1>Top-ups</h1>
<form method="get" action="/console/topups" role="search" aria-label="Filter top-ups" class="filters">
<div><label for="status">Status</label>
<select id="status" name="status">
<% it.statuses.forEach(function (option) { %><option value="<%= option.value %>"<% if (option.selected) { %> selected<% } %>><%= option.label %></option><% }) %>
</select></div>
<div><label for="from">From</label><input id="from" name="from" type="date" value="<%= it.filters.from %>"></div>
<div><label for="to">To</label><input id="to" name="to" type="date" value="<%= it.filters.to %>"></div>
<div><label for="phone_number">Phone number</label><input id="phone_number" name="phone_number" type="tel" value="<%= it.filters.phoneNumber %>" placeholder="+CC number, in full" autocomplete="off"></div>
<div><label for="external_id">External id</label><input id="external_id" name="external_id" type="text" value="<%= it.filters.externalId %>" autocomplete="off" spellcheck="false"></div>
<div class="actions"><button type="submit">Filter</button> <a href="/console/topups">Clear</a></div>
</form>
<% if (it.error) { %><p role="alert" class="alert"><%= it.error %></p><% } %>
<table class="top-ups">
<caption>Top-ups<% if (!it.error) { %> (<%= it.page.total %>)<% } %></caption>
<thead><tr><th scope="col">External id</th><th scope="col">Phone number</th><th scope="col">Status</th><th scope="col">Receives</th><th scope="col">Cost</th><th scope="col">Created (UTC)</th></tr></thead>
<tbody>
<% if (it.error) { %><tr><td colspan="6">Nothing is listed until the filter is corrected.</td></tr><% } else if (it.rows.length === 0 && it.page.total > 0) { %><tr><td colspan="6">No top-up on this page: <a href="<%= it.page.firstHref %>">go to the first page</a>.</td></tr><% } else if (it.rows.length === 0) { %><tr><td colspan="6">No top-up matches.</td></tr><% } %>
<% it.rows.forEach(function (row) { %><tr data-top-up="<%= row.id %>" data-final="<%= row.final ? 'true' : 'false' %>">
<td><a href="<%= row.href %>"><%= row.externalId %></a></td>
<td><%= row.phoneMasked %></td>
<td aria-live="polite"><span class="status status-<%= row.statusClass %>" data-status title="<%= row.statusMessage %>"><%= row.statusId %></span></td>
<td class="amount"><%= row.receives %></td>
<td class="amount"><%= row.cost %></td>
<td><time datetime="<%= row.createdIso %>"><%= row.created %></time></td>
</tr><% }) %>
</tbody>
</table>
<nav aria-label="Pages" class="pages">
<% if (it.page.previousHref) { %><a href="<%= it.page.previousHref %>" rel="prev">Previous</a><% } %>
<span>Page <%= it.page.number %> of <%= it.page.pages %></span>
<% if (it.page.nextHref) { %><a href="<%= it.page.nextHref %>" rel="next">Next</a><% } %>
</nav>
<section aria-labelledby="balance-heading">
<h2 id="balance-heading">Balance</h2>
<% if (it.balances.length === 0) { %><p>No funds on your accounts yet.</p><% } else { %>
<table>
<thead><tr><th scope="col">Account</th><th scope="col">Currency</th><th scope="col">Available</th><th scope="col">Held</th><th scope="col">Credit limit</th></tr></thead>
<tbody><% it.balances.forEach(function (balance) { %><tr><td><%= balance.accountId %></td><td><%= balance.currency %></td><td class="amount"><%= balance.available %></td><td class="amount"><%= balance.holding %></td><td class="amount"><%= balance.creditLimit %></td></tr><% }) %></tbody>
</table>
<% } %>
</section>
<section aria-labelledby="day-heading">
<h2 id="day-heading">Last 24 hours</h2>
<%~ it.overviewHtml %>
</section>
`;
