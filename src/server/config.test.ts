import { availableParallelism } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'

describe('configuration from the environment', () => {
  it('defaults make npm start work with nothing set', () => {
    const config = loadConfig({}, '/srv/masthead')
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/masthead/data',
      database: { dialect: 'sqlite', file: path.join('/srv/masthead/data', 'masthead.db') },
      admin: null,
      loadDemo: true,
      pageCache: true,
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('serves from one process unless MASTHEAD_WORKERS asks for more, or auto for one per core', () => {
    expect(loadConfig({}, '/').workers).toBe(1)
    expect(loadConfig({ MASTHEAD_WORKERS: '3' }, '/').workers).toBe(3)
    expect(loadConfig({ MASTHEAD_WORKERS: 'auto' }, '/').workers).toBe(availableParallelism())
    for (const bad of ['0', 'two', '-1', '1.5', '1000']) {
      expect(() => loadConfig({ MASTHEAD_WORKERS: bad }, '/')).toThrow(`MASTHEAD_WORKERS="${bad}" must be a number of worker processes from 1 to 999, or auto (one per CPU core)`)
    }
  })

  it('turns /metrics on with a long enough token, and reads the shutdown delay and grace period', () => {
    const defaults = loadConfig({}, '/')
    expect(defaults.metricsToken).toBeNull()
    expect(defaults.shutdown).toEqual({ delayMs: 0, graceMs: 10_000 })
    const config = loadConfig({ METRICS_TOKEN: 'k3y-for-prometheus-scrapes', SHUTDOWN_DELAY_SECONDS: '5', SHUTDOWN_GRACE_SECONDS: '30' }, '/')
    expect(config.metricsToken).toBe('k3y-for-prometheus-scrapes')
    expect(config.shutdown).toEqual({ delayMs: 5000, graceMs: 30_000 })
    // A secret is named, never echoed.
    expect(() => loadConfig({ METRICS_TOKEN: 'short' }, '/')).toThrow(/METRICS_TOKEN \(value not shown\) must be 16 to 256 printable characters/)
    const spaced = (() => {
      try {
        loadConfig({ METRICS_TOKEN: 'has a space in the middle' }, '/')
      } catch (error) {
        return (error as Error).message
      }
      return ''
    })()
    expect(spaced).toContain('METRICS_TOKEN')
    expect(spaced).not.toContain('has a space')
    expect(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: '0' }, '/')).toThrow(/SHUTDOWN_GRACE_SECONDS="0" must be from 1 to 600/)
    expect(() => loadConfig({ SHUTDOWN_DELAY_SECONDS: 'soon' }, '/')).toThrow(/SHUTDOWN_DELAY_SECONDS="soon" must be a number/)
  })

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATA_DIR: '/var/lib/masthead',
        DATABASE_URL: 'postgres://u:p@db:5432/news',
        BASE_URL: 'https://news.example.org/',
        MASTHEAD_ADMIN_EMAIL: 'ed@example.org',
        MASTHEAD_ADMIN_PASSWORD: 'a long enough password',
        MASTHEAD_DEMO: 'false',
      },
      '/',
    )
    expect(config.port).toBe(8080)
    expect(config.database).toEqual({ dialect: 'postgres', url: 'postgres://u:p@db:5432/news' })
    expect(config.baseUrl).toBe('https://news.example.org')
    expect(config.admin).toEqual({ email: 'ed@example.org', password: 'a long enough password' })
    expect(config.loadDemo).toBe(false)
  })

  it('reads where purges go: the channel between processes and the CDN purge URL', () => {
    expect(loadConfig({}, '/')).toMatchObject({ purgeChannel: 'masthead_purge', cdnPurgeUrl: null })
    const config = loadConfig({ MASTHEAD_PURGE_CHANNEL: 'paper_two', CDN_PURGE_URL: 'https://cdn.example.org/purge?site=2' }, '/')
    expect(config).toMatchObject({ purgeChannel: 'paper_two', cdnPurgeUrl: 'https://cdn.example.org/purge?site=2' })
  })

  it('trusts proxies and hosts only as configured', () => {
    expect(loadConfig({}, '/')).toMatchObject({ trustProxy: false, allowedHosts: null })
    expect(loadConfig({ TRUST_PROXY: '1' }, '/').trustProxy).toBe(1)
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }, '/').trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1'])
    expect(loadConfig({ TRUST_PROXY: 'off' }, '/').trustProxy).toBe(false)
    expect(loadConfig({ ALLOWED_HOSTS: 'News.example.org,localhost:3000,[::1]:3000' }, '/').allowedHosts).toEqual(['news.example.org', 'localhost:3000', '[::1]:3000'])
  })

  it('keeps media on the local disk unless MEDIA_STORE=s3, then reads the bucket settings', () => {
    expect(loadConfig({}, '/').mediaStore).toEqual({ kind: 'local' })
    const s3 = {
      MEDIA_STORE: 's3',
      S3_BUCKET: 'newsroom-pictures',
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'minio',
      S3_SECRET_ACCESS_KEY: 'minio-secret',
      S3_PUBLIC_URL: 'https://cdn.example.org/pictures',
    }
    expect(loadConfig(s3, '/').mediaStore).toEqual({
      kind: 's3',
      bucket: 'newsroom-pictures',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'minio', secretAccessKey: 'minio-secret' },
      publicUrl: 'https://cdn.example.org/pictures/',
    })
    const { S3_ACCESS_KEY_ID: _id, S3_SECRET_ACCESS_KEY: _secret, S3_ENDPOINT: _endpoint, S3_FORCE_PATH_STYLE: _style, ...aws } = s3
    expect(loadConfig(aws, '/').mediaStore).toMatchObject({ endpoint: null, forcePathStyle: false, credentials: null })
    expect(loadConfig({ ...aws, S3_PUBLIC_URL: 'http://localhost:9000/pictures/' }, '/').mediaStore).toMatchObject({ publicUrl: 'http://localhost:9000/pictures/' })
  })

  it.each([
    [{ MEDIA_STORE: 'gcs' }, /MEDIA_STORE="gcs" must be local .* or s3/],
    [{ MEDIA_STORE: 's3' }, /MEDIA_STORE=s3 needs S3_BUCKET, S3_REGION, S3_PUBLIC_URL/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'pics', S3_REGION: 'auto' }, /MEDIA_STORE=s3 needs S3_PUBLIC_URL \(/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'pics', S3_PUBLIC_URL: 'https://cdn.example.org/' }, /needs S3_REGION \(/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'Pics_2', S3_REGION: 'auto', S3_PUBLIC_URL: 'https://cdn.example.org/' }, /S3_BUCKET="Pics_2" must be a bucket name/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'pics', S3_REGION: 'auto', S3_PUBLIC_URL: 'http://cdn.example.org/' }, /S3_PUBLIC_URL=.*must be an https:\/\/ URL/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'pics', S3_REGION: 'auto', S3_PUBLIC_URL: 'https://cdn.example.org/?v=1' }, /S3_PUBLIC_URL=.*must not have a query/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'pics', S3_REGION: 'auto', S3_PUBLIC_URL: 'https://cdn.example.org/', S3_ENDPOINT: 'minio:9000' }, /S3_ENDPOINT="minio:9000" must be a full http/],
    [{ MEDIA_STORE: 's3', S3_BUCKET: 'pics', S3_REGION: 'auto', S3_PUBLIC_URL: 'https://cdn.example.org/', S3_ACCESS_KEY_ID: 'key' }, /S3_ACCESS_KEY_ID is set but S3_SECRET_ACCESS_KEY is not/],
  ])('with MEDIA_STORE, rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv, '/')).toThrow(ConfigError)
    expect(() => loadConfig(env as NodeJS.ProcessEnv, '/')).toThrow(message)
  })

  it.each([
    [{ PORT: 'abc' }, /PORT="abc" must be a number/],
    [{ PORT: '-1' }, /PORT="-1" must be between 0 and 65535/],
    [{ DATABASE_URL: 'sqlite://x' }, /DATABASE_URL=.*must be a postgres/],
    [{ BASE_URL: 'news.example.org' }, /BASE_URL=.*must be a full URL/],
    [{ MASTHEAD_DEMO: 'maybe' }, /MASTHEAD_DEMO/],
    [{ BASE_URL: 'ftp://news.example.org' }, /BASE_URL=.*http/],
    [{ BASE_URL: 'https://news.example.org/paper' }, /BASE_URL=.*without a path/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY="true" must name the proxy/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY=.*"10.0.0.0\/33" is neither/],
    [{ ALLOWED_HOSTS: 'news.example.org, bad host' }, /ALLOWED_HOSTS=.*"bad host" is not one/],
    [{ MASTHEAD_ADMIN_PASSWORD: 'a long enough password' }, /MASTHEAD_ADMIN_EMAIL is not/],
    [{ CDN_PURGE_URL: 'ftp://cdn.example.org/purge' }, /CDN_PURGE_URL=.*http/],
    [{ MASTHEAD_PURGE_CHANNEL: 'Purge-Channel' }, /MASTHEAD_PURGE_CHANNEL=.*lower-case/],
    [{ MASTHEAD_ADMIN_EMAIL: 'ed@example.org', MASTHEAD_ADMIN_PASSWORD: 'short' }, /at least 12 characters/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv, '/')).toThrow(ConfigError)
    expect(() => loadConfig(env as NodeJS.ProcessEnv, '/')).toThrow(message)
  })
})
