// The sign-in form: the team's API key (a password field, never echoed back).
export const SIGN_IN_TEMPLATE = `<h1>Sign in</h1>
<p>Sign in with your team's API key (<code>atk_…</code>). You will see the top-ups of the accounts the key may use.</p>
<% if (it.error) { %><p role="alert" class="alert"><%= it.error %></p><% } %>
<form method="post" action="/console/sign-in" class="stack">
<label for="api_key">API key</label>
<input id="api_key" name="api_key" type="password" autocomplete="current-password" required spellcheck="false">
<button type="submit">Sign in</button>
</form>
`;
