import { EXPIRY_DAYS, SCOPE_LABELS, SCOPES, type AdminToken, type Scope } from '../../api/index.ts'
import { formatDateTime } from '../../site/index.ts'
import { AdminLayout, ErrorSummary, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { PostButton } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

export interface ApiTokensPageProps {
  chrome: AdminChrome
  tokens: AdminToken[]
  /** Names of the admins who made the tokens, by id. */
  names: Map<string, string>
  errors: FieldErrors
  values: { name: string; scopes: string[]; expiresInDays: string }
  /** A token just made: shown on this page once, never again. */
  created: { name: string; token: string } | null
  notice: string | null
  timeZone: string
  now: string
}

function stateOf(token: AdminToken, now: string, timeZone: string): string {
  if (token.revokedAt) return `Revoked ${formatDateTime(token.revokedAt, timeZone)}`
  if (token.expiresAt && token.expiresAt <= now) return `Expired ${formatDateTime(token.expiresAt, timeZone)}`
  return token.expiresAt ? `Active until ${formatDateTime(token.expiresAt, timeZone)}` : 'Active, no expiry'
}

/** Admin API tokens: make one (shown once), see each one's scopes and last use, revoke. */
export function ApiTokensPage(props: ApiTokensPageProps) {
  const { chrome, errors, values, timeZone } = props
  return (
    <AdminLayout chrome={chrome} title="Admin API tokens">
      <h1>Admin API tokens</h1>
      <p class="hint">
        Programs use a token to work with the newsroom through the admin API (<code>/api/admin/v1</code>, described at <a href="/api/admin/v1/openapi.json">openapi.json</a>). A token acts as the
        admin who made it, only within its scopes, and every call it makes is in the audit log.
      </p>
      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.created ? (
        <section class="notice notice-ok" aria-labelledby="created-title">
          <h2 id="created-title">Your new token “{props.created.name}”</h2>
          <p>Copy it now: it is shown only this once. The newsroom keeps only a fingerprint of it and cannot show it again.</p>
          <p>
            <label for="new-token">Token</label>
            <br />
            <input id="new-token" type="text" readonly value={props.created.token} size={60} autocomplete="off" spellcheck={false} />
          </p>
        </section>
      ) : null}
      <ErrorSummary errors={errors} intro="The token was not made" anchors={{ scopes: 'scope-stories-read', expiresInDays: 'field-expiresInDays' }} />
      <section aria-labelledby="new-title">
        <h2 id="new-title">Make a token</h2>
        <form method="post" action="/admin/api-tokens">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <Field name="name" label="Name" hint="Who or what uses it, e.g. “Newsletter builder”." value={values.name} required error={errors.name} />
          <fieldset aria-describedby={errors.scopes ? 'scopes-error' : undefined}>
            <legend>Scopes</legend>
            {errors.scopes ? (
              <p class="field-error" id="scopes-error">
                {errors.scopes}
              </p>
            ) : null}
            {SCOPES.map((scope) => (
              <div>
                <input type="checkbox" id={`scope-${scope.replace(':', '-')}`} name="scopes" value={scope} checked={values.scopes.includes(scope)} />
                <label for={`scope-${scope.replace(':', '-')}`}>
                  <code>{scope}</code>: {SCOPE_LABELS[scope]}
                </label>
              </div>
            ))}
          </fieldset>
          <div class="field">
            <label for="field-expiresInDays">Expires</label>
            <select id="field-expiresInDays" name="expiresInDays" aria-invalid={errors.expiresInDays ? 'true' : undefined}>
              <option value="0" selected={values.expiresInDays === '0'}>
                Never
              </option>
              {EXPIRY_DAYS.map((days) => (
                <option value={String(days)} selected={values.expiresInDays === String(days)}>
                  {days === 365 ? 'In a year' : `In ${days} days`}
                </option>
              ))}
            </select>
            {errors.expiresInDays ? <p class="field-error">{errors.expiresInDays}</p> : null}
          </div>
          <button type="submit">Make the token</button>
        </form>
      </section>
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">Tokens</h2>
        {props.tokens.length === 0 ? (
          <p>No tokens yet.</p>
        ) : (
          <TableScroll label="Table of API tokens">
            <table>
              <caption class="visually-hidden">Admin API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Made</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {props.tokens.map((token) => (
                  <tr class={token.revokedAt ? 'inactive' : undefined}>
                    <th scope="row">
                      {token.name}
                      <br />
                      <span class="meta">{token.id}</span>
                    </th>
                    <td>
                      {token.scopes.map((s: Scope, i) => (
                        <>
                          {i > 0 ? ', ' : ''}
                          <code>{s}</code>
                        </>
                      ))}
                    </td>
                    <td>
                      <time datetime={token.createdAt}>{formatDateTime(token.createdAt, timeZone)}</time>
                      <br />
                      <span class="meta">by {props.names.get(token.createdBy) ?? 'a former admin'}</span>
                    </td>
                    <td>{token.lastUsedAt ? <time datetime={token.lastUsedAt}>{formatDateTime(token.lastUsedAt, timeZone)}</time> : 'Never'}</td>
                    <td>
                      {stateOf(token, props.now, timeZone)}
                      {token.revokedAt ? null : (
                        <PostButton action={`/admin/api-tokens/${token.id}/revoke`} csrfToken={chrome.csrfToken} label="Revoke" subject={token.name} kind="danger" />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </AdminLayout>
  )
}
