// The last 24 hours under the list: the chart (SVG made by day-chart.format.ts),
// its legend, the same figures per hour as a table, and the success rate per
// provider and per operator (completed of final).
export const OVERVIEW_TEMPLATE = `<%~ it.chartSvg %>
<p class="muted">Hours in UTC; each bar counts the top-ups created in that hour by their status now.</p>
<ul class="legend" aria-label="Legend">
<% it.groups.forEach(function (group) { %><li><span class="swatch swatch-<%= group %>" aria-hidden="true"></span><%= group %></li><% }) %>
</ul>
<details>
<summary>Per hour, as a table</summary>
<table>
<thead><tr><th scope="col">Hour (UTC)</th><% it.groups.forEach(function (group) { %><th scope="col"><%= group %></th><% }) %></tr></thead>
<tbody><% it.hours.forEach(function (hour) { %><tr><td><%= hour.label %></td><% hour.counts.forEach(function (count) { %><td><%= count %></td><% }) %></tr><% }) %></tbody>
</table>
</details>
<h3>Success rate per provider</h3>
<%~ include('@rates', { rows: it.providers, what: 'Provider' }) %>
<h3>Success rate per operator</h3>
<%~ include('@rates', { rows: it.operators, what: 'Operator' }) %>
`;

/**
 * A table of success rates (completed of final), used twice by the overview. A
 * provider's or operator's name is the provider's text: inside <bdi>, its
 * direction (a right-to-left name, or a bidi control in it) never reorders
 * the cells around it.
 */
export const RATES_TEMPLATE = `<% if (it.rows.length === 0) { %><p>No final top-up in the last 24 hours.</p><% } else { %>
<table>
<thead><tr><th scope="col"><%= it.what %></th><th scope="col">Completed</th><th scope="col">Final</th><th scope="col">Success rate</th></tr></thead>
<tbody><% it.rows.forEach(function (row) { %><tr><td><bdi><%= row.name %></bdi></td><td><%= row.completed %></td><td><%= row.final %></td><td><%= row.rate %></td></tr><% }) %></tbody>
</table>
<% } %>`;
