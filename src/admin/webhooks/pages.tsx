import { formatDateTime } from '../../site/index.ts'
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, WEBHOOK_HEADERS, type EndpointSummary, type WebhookDelivery, type WebhookEndpoint } from '../../webhooks/index.ts'
import { AdminLayout, ErrorSummary, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { CheckboxField, DoneNotice, PostButton } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

/** What the endpoint form holds, as typed. */
export interface EndpointValues {
  url: string
  description: string
  events: string[]
  enabled: boolean
}

const STATUS_LABEL: Record<WebhookDelivery['status'], string> = { pending: 'Waiting', delivered: 'Delivered', failed: 'Failed' }

function When(props: { iso: string | null; timeZone: string; none?: string }) {
  return props.iso ? <time datetime={props.iso}>{formatDateTime(props.iso, props.timeZone)}</time> : <>{props.none ?? 'never'}</>
}

/** Every endpoint, with how its deliveries stand. */
export function WebhooksPage(props: { chrome: AdminChrome; endpoints: readonly EndpointSummary[]; timeZone: string; notice: string | null }) {
  return (
    <AdminLayout chrome={props.chrome} title="Webhooks">
      <h1>Webhooks</h1>
      <DoneNotice message={props.notice} />
      <p>
        Other systems hear about what happens in the newsroom (a story published, corrected or taken down, an agency kill, a reader's submission) by a signed <code>POST</code> to an address
        they give you. Failed deliveries are retried for 24 hours.
      </p>
      <p>
        <a href="/admin/webhooks/new">New endpoint</a>
      </p>
      {props.endpoints.length === 0 ? (
        <p>No endpoints yet.</p>
      ) : (
        <TableScroll label="Table of webhook endpoints">
          <table>
            <caption class="visually-hidden">Webhook endpoints</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Events</th>
                <th scope="col">Waiting</th>
                <th scope="col">Failed</th>
                <th scope="col">Last delivered</th>
              </tr>
            </thead>
            <tbody>
              {props.endpoints.map((e) => (
                <tr>
                  <th scope="row">
                    <a href={`/admin/webhooks/${e.id}`}>{e.url}</a>
                    {e.description ? <span class="meta"> {e.description}</span> : null}
                    {e.isEnabled ? null : <span class="meta"> (paused)</span>}
                  </th>
                  <td>{e.events.join(', ')}</td>
                  <td>{e.pending}</td>
                  <td>{e.failed}</td>
                  <td>
                    <When iso={e.lastDeliveredAt} timeZone={props.timeZone} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </AdminLayout>
  )
}

/** The fields of an endpoint, for the new and the change form. */
function EndpointFieldset(props: { values: EndpointValues; errors: FieldErrors; isNew: boolean }) {
  const { values, errors } = props
  return (
    <>
      {/* A kept value that is not an absolute URL would make type=url invalid HTML; it is shown as text to be fixed. */}
      <Field name="url" label="Address" type={values.url === '' || URL.canParse(values.url) ? 'url' : 'text'} value={values.url} required hint="The receiver's full address, https:// preferred. Redirects are not followed." error={errors.url} />
      <Field name="description" label="Description" value={values.description} hint="Optional: who runs the receiver and what it does." error={errors.description} />
      <fieldset id="field-events" class="webhook-events" aria-describedby={errors.events ? 'field-events-error' : undefined}>
        <legend>Events to send</legend>
        {errors.events ? (
          <p class="field-error" id="field-events-error">
            {errors.events}
          </p>
        ) : null}
        {WEBHOOK_EVENTS.map((event) => (
          <label class="check" for={`field-event-${event}`}>
            <input id={`field-event-${event}`} type="checkbox" name="events" value={event} checked={values.events.includes(event)} />
            <span>
              <code>{event}</code>: {WEBHOOK_EVENT_LABELS[event]}
            </span>
          </label>
        ))}
      </fieldset>
      {props.isNew ? null : <CheckboxField name="enabled" label="Send deliveries (untick to pause; events are not queued while paused)" checked={values.enabled} error={errors.enabled} />}
    </>
  )
}

/** The form for a new endpoint. */
export function NewEndpointPage(props: { chrome: AdminChrome; values: EndpointValues; errors: FieldErrors }) {
  return (
    <AdminLayout chrome={props.chrome} title="New webhook endpoint">
      <p>
        <a href="/admin/webhooks">All webhooks</a>
      </p>
      <h1>New webhook endpoint</h1>
      <ErrorSummary errors={props.errors} intro="The endpoint was not added" />
      <form method="post" action="/admin/webhooks" class="record-form">
        <input type="hidden" name="_csrf" value={props.chrome.csrfToken} />
        <EndpointFieldset values={props.values} errors={props.errors} isNew />
        <p class="hint">We make the signing secret and show it once, on the next page.</p>
        <div>
          <button type="submit">Add the endpoint</button>
        </div>
      </form>
    </AdminLayout>
  )
}

/** The signing secret, shown once after it is issued (a new endpoint, or "new secret"). */
export function SecretPage(props: { chrome: AdminChrome; endpoint: WebhookEndpoint; secret: string; isNew: boolean }) {
  const title = props.isNew ? 'Endpoint added' : 'New signing secret'
  return (
    <AdminLayout chrome={props.chrome} title={title}>
      <h1>{title}</h1>
      <p class="notice notice-ok" role="status">
        {props.isNew ? `Events will be sent to ${props.endpoint.url}.` : `The old secret no longer works: from now on every delivery to ${props.endpoint.url} is signed with this one.`}
      </p>
      <section aria-labelledby="secret-title">
        <h2 id="secret-title">Signing secret</h2>
        <p>
          Copy it into the receiver now. <strong>It is not shown again</strong>; if it is lost, issue a new one.
        </p>
        <p>
          <code class="secret" id="webhook-secret">
            {props.secret}
          </code>
        </p>
        <p>
          The receiver checks each request: the <code>{WEBHOOK_HEADERS.signature}</code> header must equal <code>v1=</code> followed by the hex HMAC-SHA256, keyed with this secret, of the{' '}
          <code>{WEBHOOK_HEADERS.timestamp}</code> header, a full stop, and the raw body. See the README's "Webhooks" section.
        </p>
      </section>
      <p>
        <a href={`/admin/webhooks/${props.endpoint.id}`}>Go to the endpoint and its deliveries</a>
      </p>
    </AdminLayout>
  )
}

/** One endpoint: its settings, its secret's controls, and the log of its latest deliveries. */
export function EndpointPage(props: {
  chrome: AdminChrome
  endpoint: WebhookEndpoint
  values: EndpointValues
  errors: FieldErrors
  deliveries: readonly WebhookDelivery[]
  timeZone: string
  notice: string | null
}) {
  const { chrome, endpoint, deliveries, timeZone } = props
  const title = `Webhook: ${endpoint.url}`
  return (
    <AdminLayout chrome={chrome} title={title}>
      <p>
        <a href="/admin/webhooks">All webhooks</a>
      </p>
      <h1>{title}</h1>
      <DoneNotice message={props.notice} />
      <ErrorSummary errors={props.errors} intro="Nothing was changed" />
      <form method="post" action={`/admin/webhooks/${endpoint.id}`} class="record-form">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <EndpointFieldset values={props.values} errors={props.errors} isNew={false} />
        <div>
          <button type="submit">Save</button>
        </div>
      </form>

      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Latest deliveries</h2>
        {deliveries.length === 0 ? (
          <p>Nothing has been sent here yet.</p>
        ) : (
          <TableScroll label="Table of latest deliveries">
            <table class="webhook-log">
              <caption class="visually-hidden">Latest deliveries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Queued</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr id={`delivery-${d.id}`}>
                    <th scope="row">
                      <code>{d.eventType}</code>
                      <span class="meta"> {d.id}</span>
                    </th>
                    <td>
                      <When iso={d.createdAt} timeZone={timeZone} />
                    </td>
                    <td>
                      {STATUS_LABEL[d.status]}
                      {d.status === 'pending' && d.nextAttemptAt && d.attempts > 0 ? (
                        <>
                          {' '}
                          (next try <When iso={d.nextAttemptAt} timeZone={timeZone} />)
                        </>
                      ) : null}
                    </td>
                    <td>
                      {d.log.length === 0 ? (
                        'none yet'
                      ) : (
                        <ul class="attempts">
                          {d.log.map((a) => (
                            <li>
                              <When iso={a.attemptedAt} timeZone={timeZone} />: {a.statusCode === null ? 'no answer' : `HTTP ${a.statusCode}`} in {a.durationMs} ms
                              {a.error && a.error !== `HTTP ${a.statusCode}` ? <> — {a.error}</> : null}
                              {a.responseSnippet ? (
                                <>
                                  {' '}
                                  <q class="snippet">{a.responseSnippet.slice(0, 200)}</q>
                                </>
                              ) : null}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <form method="post" action={`/admin/webhooks/${endpoint.id}/deliveries/${d.id}/resend`}>
                        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                        <button type="submit" class="link-button" aria-label={`Send again: ${d.eventType} delivery ${d.id}`}>
                          Send again
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section aria-labelledby="secret-title">
        <h2 id="secret-title">Signing secret</h2>
        <p>
          The secret was shown once, when it was issued{endpoint.secretRotatedAt ? <> (last on <When iso={endpoint.secretRotatedAt} timeZone={timeZone} />)</> : null}. A new one replaces it at
          once: update the receiver straight away.
        </p>
        <PostButton action={`/admin/webhooks/${endpoint.id}/rotate`} csrfToken={chrome.csrfToken} label="Issue a new secret" />
      </section>

      <section class="danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete</h2>
        <p>Deleting the endpoint drops its waiting deliveries and its log.</p>
        <PostButton action={`/admin/webhooks/${endpoint.id}/delete`} csrfToken={chrome.csrfToken} label="Delete this endpoint" kind="danger" />
      </section>
    </AdminLayout>
  )
}
