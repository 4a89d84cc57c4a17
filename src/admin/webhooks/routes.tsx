import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SettingsService } from '../../settings/index.ts'
import type { WebhookEndpoint, WebhookService } from '../../webhooks/index.ts'
import { field, isFormError, issuesToFields, list, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { EndpointPage, NewEndpointPage, SecretPage, WebhooksPage, type EndpointValues } from './pages.tsx'

export interface WebhooksAreaDeps {
  kit: AdminKit
  webhooks: WebhookService
  settings: SettingsService
}

const DONE: Record<string, string> = { saved: 'Saved.', deleted: 'Deleted.', resent: 'The delivery is queued to be sent again; the log shows how it went.' }

function valuesOf(body: unknown, options: { isNew: boolean }): EndpointValues {
  return {
    url: field(body, 'url').trim(),
    description: field(body, 'description'),
    events: list(body, 'events'),
    // The new form has no box: a new endpoint starts sending.
    enabled: options.isNew || field(body, 'enabled') === 'on',
  }
}

const valuesFrom = (e: WebhookEndpoint): EndpointValues => ({ url: e.url, description: e.description, events: [...e.events], enabled: e.isEnabled })

/** Webhooks (admins): endpoints, their signing secrets (shown once) and their delivery log with "send again". */
export async function webhooksRoutes(app: FastifyInstance, deps: WebhooksAreaDeps): Promise<void> {
  const { kit, webhooks } = deps
  const actorOf = (request: FastifyRequest) => ({ userId: kit.staff(request).id })
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const doneOf = (request: FastifyRequest) => DONE[queryText(request.query, 'done', 20)] ?? null
  const timeZone = async () => (await deps.settings.get()).timeZone

  async function endpointPage(request: FastifyRequest, reply: FastifyReply, endpoint: WebhookEndpoint, options: { values?: EndpointValues; errors?: FieldErrors; status?: number } = {}) {
    return kit.send(
      reply,
      <EndpointPage
        chrome={await kit.chrome(request, reply, '/admin/webhooks')}
        endpoint={endpoint}
        values={options.values ?? valuesFrom(endpoint)}
        errors={options.errors ?? {}}
        deliveries={await webhooks.deliveries(endpoint.id)}
        timeZone={await timeZone()}
        notice={options.errors ? null : doneOf(request)}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/webhooks', async (request, reply) =>
    kit.send(reply, <WebhooksPage chrome={await kit.chrome(request, reply, '/admin/webhooks')} endpoints={await webhooks.listEndpoints()} timeZone={await timeZone()} notice={doneOf(request)} />),
  )

  app.get('/admin/webhooks/new', async (request, reply) =>
    kit.send(reply, <NewEndpointPage chrome={await kit.chrome(request, reply, '/admin/webhooks')} values={{ url: '', description: '', events: ['story.published', 'story.updated', 'story.corrected', 'story.unpublished'], enabled: true }} errors={{}} />),
  )

  // The answer is the page with the secret itself, not a redirect: the secret is never in an address or a page that can be fetched again.
  app.post('/admin/webhooks', async (request, reply) => {
    const values = valuesOf(request.body, { isNew: true })
    try {
      const { endpoint, secret } = await webhooks.createEndpoint(values, actorOf(request))
      return kit.send(reply, <SecretPage chrome={await kit.chrome(request, reply, '/admin/webhooks')} endpoint={endpoint} secret={secret} isNew />, 201)
    } catch (error) {
      if (!isFormError(error)) throw error
      return kit.send(reply, <NewEndpointPage chrome={await kit.chrome(request, reply, '/admin/webhooks')} values={values} errors={issuesToFields(error)} />, 422)
    }
  })

  app.get('/admin/webhooks/:id', async (request, reply) => endpointPage(request, reply, await webhooks.getEndpoint(idOf(request))))

  app.post('/admin/webhooks/:id', async (request, reply) => {
    const endpoint = await webhooks.getEndpoint(idOf(request))
    const values = valuesOf(request.body, { isNew: false })
    try {
      await webhooks.updateEndpoint(endpoint.id, values, actorOf(request))
    } catch (error) {
      if (!isFormError(error)) throw error
      return endpointPage(request, reply, endpoint, { values, errors: issuesToFields(error), status: 422 })
    }
    return reply.redirect(`/admin/webhooks/${endpoint.id}?done=saved`, 303)
  })

  app.post('/admin/webhooks/:id/rotate', async (request, reply) => {
    const { endpoint, secret } = await webhooks.rotateSecret(idOf(request), actorOf(request))
    return kit.send(reply, <SecretPage chrome={await kit.chrome(request, reply, '/admin/webhooks')} endpoint={endpoint} secret={secret} isNew={false} />)
  })

  app.post('/admin/webhooks/:id/delete', async (request, reply) => {
    await webhooks.deleteEndpoint(idOf(request), actorOf(request))
    return reply.redirect('/admin/webhooks?done=deleted', 303)
  })

  app.post('/admin/webhooks/:id/deliveries/:deliveryId/resend', async (request, reply) => {
    const id = idOf(request)
    const deliveryId = (request.params as { deliveryId: string }).deliveryId
    await webhooks.sendAgain(id, deliveryId, actorOf(request))
    return reply.redirect(`/admin/webhooks/${id}?done=resent#delivery-${encodeURIComponent(deliveryId)}`, 303)
  })
}
