// A page that only says something: not found, refused, failed.
export const MESSAGE_TEMPLATE = `<h1><%= it.heading %></h1>
<p role="<%= it.role %>"><%= it.message %></p>
<% if (it.link) { %><p><a href="<%= it.link.href %>"><%= it.link.text %></a></p><% } %>
<p><a href="/console/topups">Back to the top-ups</a></p>
`;
