import { describe, expect, it } from 'vitest'
import { createHostCheck, splitHost } from './hosts.ts'

describe('host checks', () => {
  it('splits names and ports, IPv6 included', () => {
    expect(splitHost('News.Example.org:8080')).toEqual({ name: 'news.example.org', port: '8080' })
    expect(splitHost('[::1]:3000')).toEqual({ name: '[::1]', port: '3000' })
    expect(splitHost('localhost')).toEqual({ name: 'localhost', port: null })
  })

  it('by default answers the listening address and loopback names only', () => {
    const check = createHostCheck({ baseUrl: null, allowedHosts: null, host: '192.168.1.20' })
    expect(check('localhost:3000')).toBe(true)
    expect(check('127.0.0.1:3000')).toBe(true)
    expect(check('[::1]:3000')).toBe(true)
    expect(check('192.168.1.20:3000')).toBe(true)
    expect(check('evil.example')).toBe(false)
    expect(check('localhost.evil.example')).toBe(false)
    expect(check('')).toBe(false)
    expect(createHostCheck({ baseUrl: null, allowedHosts: null, host: '0.0.0.0' })('0.0.0.0:3000')).toBe(false)
  })

  it('with ALLOWED_HOSTS matches exactly, ports included', () => {
    const check = createHostCheck({ baseUrl: null, allowedHosts: ['news.example.org', 'staging.example.org:8443'], host: '0.0.0.0' })
    expect(check('news.example.org')).toBe(true)
    expect(check('NEWS.example.org')).toBe(true)
    expect(check('news.example.org:666')).toBe(false)
    expect(check('staging.example.org:8443')).toBe(true)
    expect(check('staging.example.org')).toBe(false)
    expect(check('localhost:3000')).toBe(false)
  })

  it('with a base URL accepts any host, because pages never use it', () => {
    expect(createHostCheck({ baseUrl: 'https://news.example.org', allowedHosts: null, host: '0.0.0.0' })('evil.example')).toBe(true)
  })
})
