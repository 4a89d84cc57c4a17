import { describe, expect, it } from 'vitest'
import { DomainError } from '../shared/errors.ts'
import { toHttpFailure } from './http-errors.ts'

describe('error mapping', () => {
  it('maps each kind to its status and keeps 5xx details private', () => {
    expect(toHttpFailure(new DomainError('not_found', 'X_NOT_FOUND', 'gone')).status).toBe(404)
    expect(toHttpFailure(new DomainError('invalid', 'X_INVALID', 'bad')).status).toBe(422)
    expect(toHttpFailure(new DomainError('invalid', 'PAGE_INVALID', 'bad page')).status).toBe(400)
    expect(toHttpFailure(new DomainError('conflict', 'X_TAKEN', 'taken')).status).toBe(409)
    expect(toHttpFailure(new DomainError('unavailable', 'X_DOWN', 'down')).status).toBe(503)
    const bug = toHttpFailure(new Error('SELECT * FROM secrets failed'))
    expect(bug).toMatchObject({ status: 500, code: 'INTERNAL', detail: '' })
    expect(toHttpFailure({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'x' }).status).toBe(413)
  })
})
