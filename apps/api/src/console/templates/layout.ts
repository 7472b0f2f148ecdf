// The page around every console page: landmarks (header, main), the
// stylesheet and the live-update script from /console/assets (no inline
// script or style: the Content-Security-Policy allows 'self' only), and the
// sign-out form (a POST with the session's CSRF token) once signed in.
export const LAYOUT_TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %> · Airtime console</title>
<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
<a class="brand" href="/console/topups">Airtime console</a>
<% if (it.signedIn) { %>
<form method="post" action="/console/sign-out" class="sign-out">
<input type="hidden" name="csrf" value="<%= it.csrf %>">
<button type="submit">Sign out</button>
</form>
<% } %>
</header>
<main id="main"<% if (it.liveUrl) { %> data-live-url="<%= it.liveUrl %>"<% } %>>
<%~ it.body %>
</main>
</body>
</html>
`;
