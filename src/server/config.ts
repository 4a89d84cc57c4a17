import { isIP } from 'node:net'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import type { S3StoreOptions } from '../media/stores/s3.ts'

/**
 * The only reader of `process.env`. Parses it once into a frozen Config; a
 * bad value fails at start with the variable's name and how to fix it.
 */

const Bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v))

/** Names proxy-addr understands for address ranges, beside literal addresses and CIDR blocks. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true
  const [address, bits, ...rest] = entry.split('/')
  const version = isIP(address ?? '')
  if (version === 0 || rest.length > 0) return false
  if (bits === undefined) return true
  const n = Number(bits)
  return /^\d{1,3}$/.test(bits) && n <= (version === 4 ? 32 : 128)
}

/**
 * Which proxies may tell us the client's address and the public host. Off by
 * default: trusting every proxy would let any client choose the address that
 * rate limits key on (issue 12).
 */
const TrustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxySetting => {
    if (['false', 'off', 'no', '0'].includes(value)) return false
    if (/^\d{1,2}$/.test(value)) return Number(value)
    if (['true', 'on', 'yes'].includes(value)) {
      ctx.addIssue({ code: 'custom', message: 'must name the proxy (addresses, CIDR blocks, loopback) or a hop count; trusting every proxy lets any client pick its address' })
      return z.NEVER
    }
    const entries = value.split(',').map((e) => e.trim()).filter(Boolean)
    const bad = entries.find((e) => !isProxyAddress(e))
    if (bad !== undefined || entries.length === 0) {
      ctx.addIssue({ code: 'custom', message: `must be a hop count or a comma-separated list of addresses or CIDR blocks${bad ? ` ("${bad}" is neither)` : ''}` })
      return z.NEVER
    }
    return entries
  })

/** Host names (with an optional port) this site answers for when BASE_URL is not set. */
const AllowedHosts = z
  .string()
  .transform((value, ctx) => {
    const entries = value.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)
    const bad = entries.find((e) => !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(e))
    if (bad !== undefined || entries.length === 0) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of host names such as news.example.org or localhost:3000${bad ? ` ("${bad}" is not one)` : ''}` })
      return z.NEVER
    }
    return entries
  })

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** An http(s) address with no query or fragment. */
const HttpUrl = z
  .string()
  .trim()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be a full http:// or https:// URL')
  .refine((v) => !URL.canParse(v) || (new URL(v).search === '' && new URL(v).hash === ''), 'must not have a query (?…) or a fragment (#…)')

/**
 * Where readers load media-library files from when they are in S3. Pages'
 * Content-Security-Policy lets pictures in over https only, so plain http
 * is for a bucket on this machine (development).
 */
const PublicMediaUrl = HttpUrl.refine(
  (v) => !URL.canParse(v) || new URL(v).protocol === 'https:' || LOOPBACK_HOSTS.has(new URL(v).hostname),
  'must be an https:// URL (http:// only for localhost): pages let pictures in over https only',
)

/** MASTHEAD_WORKERS and `masthead serve --workers`: 1 to 999 worker processes, or `auto` for one per CPU core. */
export const WorkerCount = z
  .string()
  .regex(/^(auto|[1-9][0-9]{0,2})$/, 'must be a number of worker processes from 1 to 999, or auto (one per CPU core)')
  .transform((v) => (v === 'auto' ? availableParallelism() : Number(v)))

export const EnvSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL (leave it unset for the embedded SQLite database)')
    .optional(),
  BASE_URL: z
    .string()
    .url('must be a full URL such as https://news.example.org')
    .refine((v) => /^https?:\/\//i.test(v), 'must start with http:// or https://')
    .refine((v) => !URL.canParse(v) || ['', '/'].includes(new URL(v).pathname), 'must be an origin such as https://news.example.org, without a path')
    .optional(),
  TRUST_PROXY: TrustProxy.optional(),
  ALLOWED_HOSTS: AllowedHosts.optional(),
  MASTHEAD_ADMIN_EMAIL: z.string().email('must be an email address').optional(),
  MASTHEAD_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  MASTHEAD_DEMO: Bool.default(true),
  MASTHEAD_PAGE_CACHE: Bool.default(true),
  CONTENT_API_REQUIRE_KEY: Bool.default(false),
  MASTHEAD_WEBHOOKS_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number of seconds').min(0, 'must be from 0 to 3600').max(3600, 'must be from 0 to 3600').default(5),
  MASTHEAD_WEBHOOKS_ALLOW_PRIVATE_NETWORK: Bool.default(false),
  ADMIN_API_PER_MINUTE: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1000000).default(300),
  MASTHEAD_WIRE_POLL_SECONDS: z.coerce.number({ message: 'must be a number' }).int().min(0).max(3600).default(15),
  MASTHEAD_MEDIA_MAX_MB: z.coerce.number({ message: 'must be a number' }).int('must be a whole number of megabytes').min(1, 'must be from 1 to 200').max(200, 'must be from 1 to 200').default(20),
  MASTHEAD_FORM_MIN_SECONDS: z.coerce.number({ message: 'must be a number' }).int().min(0, 'must be from 0 to 600').max(600, 'must be from 0 to 600').default(4),
  MASTHEAD_SUBMISSIONS_PER_ADDRESS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(10000).default(10),
  MASTHEAD_SUBMISSIONS_PER_HOUR: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1000000).default(300),
  MASTHEAD_SUBMISSIONS_WITHOUT_PROOF_PER_ADDRESS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(10000).default(3),
  MASTHEAD_PROOF_BITS: z.coerce.number({ message: 'must be a number' }).int().min(0, 'must be from 0 to 24').max(24, 'must be from 0 to 24').default(16),
  MEDIA_STORE: z.enum(['local', 's3'], { message: 'must be local (files under DATA_DIR/media) or s3 (an S3-compatible bucket)' }).default('local'),
  S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens')
    .optional(),
  S3_REGION: z.string().trim().regex(/^[a-z0-9-]{1,40}$/i, 'must be a region name such as eu-west-1 (us-east-1 for MinIO, auto for Cloudflare R2)').optional(),
  S3_ENDPOINT: HttpUrl.optional(),
  S3_FORCE_PATH_STYLE: Bool.default(false),
  S3_ACCESS_KEY_ID: z.string().trim().min(1).max(256).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).max(512).optional(),
  S3_PUBLIC_URL: PublicMediaUrl.optional(),
  REDIS_URL: z
    .string()
    .refine((v) => URL.canParse(v) && /^rediss?:$/.test(new URL(v).protocol), 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
    .optional(),
  MASTHEAD_TIP_KEY_FILE: z.string().min(1).optional(),
  MASTHEAD_SUBMISSION_FILES: z
    .enum(['disk', 'database'], { message: 'must be disk (files under DATA_DIR/submissions) or database (rows every node shares)' })
    .default('disk'),
  CDN_PURGE_URL: z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http:// or https:// URL, e.g. https://cdn.example.org/purge')
    .optional(),
  MASTHEAD_PURGE_CHANNEL: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and underscores, starting with a letter').default('masthead_purge'),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be letters, digits, colons, hyphens or underscores').default('masthead:'),
  SMTP_URL: z
    .string()
    .refine((v) => URL.canParse(v) && /^smtps?:$/.test(new URL(v).protocol), 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.org:587')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(320).optional(),
  METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 printable characters without spaces (a long random string: it is the password to /metrics)').optional(),
  SHUTDOWN_DELAY_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number of seconds').min(0, 'must be from 0 to 300').max(300, 'must be from 0 to 300').default(0),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number of seconds').min(1, 'must be from 1 to 600').max(600, 'must be from 1 to 600').default(10),
  MASTHEAD_WORKERS: WorkerCount.default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

const DEFAULT_MAIL_FROM = 'Masthead newsroom <newsroom@masthead.localhost>'

/** Where media-library files live: the local disk (DATA_DIR/media, served at /media/) or an S3-compatible bucket. */
export type MediaStoreSetting = { readonly kind: 'local' } | ({ readonly kind: 's3' } & Readonly<S3StoreOptions>)

/** The S3 settings of MEDIA_STORE=s3, or a ConfigError naming what is missing. */
function s3Setting(e: z.infer<typeof EnvSchema>): MediaStoreSetting {
  const missing = (['S3_BUCKET', 'S3_REGION', 'S3_PUBLIC_URL'] as const).filter((name) => e[name] === undefined)
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration: MEDIA_STORE=s3 needs ${missing.join(', ')} (the bucket, its region, and the address readers load files from). See .env.example.`,
    )
  }
  if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
    const [set, unset] = e.S3_ACCESS_KEY_ID === undefined ? ['S3_SECRET_ACCESS_KEY', 'S3_ACCESS_KEY_ID'] : ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']
    throw new ConfigError(`Invalid configuration: ${set} is set but ${unset} is not; set both, or neither to use the AWS SDK's own credentials (AWS_* variables, a profile, an instance role).`)
  }
  return {
    kind: 's3',
    bucket: e.S3_BUCKET!,
    region: e.S3_REGION!,
    endpoint: e.S3_ENDPOINT ?? null,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
    credentials: e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : null,
    publicUrl: e.S3_PUBLIC_URL!.replace(/\/?$/, '/'),
  }
}

/** Fastify's trustProxy: off, a hop count, or the proxies' addresses. */
export type TrustProxySetting = false | number | string[]

/** Checked, frozen configuration. Tests build one with `defineConfig` instead of setting the environment. */
export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly database: { readonly dialect: 'sqlite'; readonly file: string } | { readonly dialect: 'postgres'; readonly url: string; readonly schema?: string }
  readonly baseUrl: string | null
  /** Which proxies' X-Forwarded-* headers are believed; false believes none. */
  readonly trustProxy: TrustProxySetting
  /**
   * Host names accepted in requests when no base URL is configured; others get 421.
   * Null means the listening address and the loopback names.
   */
  readonly allowedHosts: readonly string[] | null
  readonly admin: { readonly email: string; readonly password: string | null } | null
  readonly loadDemo: boolean
  readonly pageCache: boolean
  /** Whether programs must send a content key to read /api/content/v1. */
  readonly contentApiRequireKey: boolean
  /** Calls each admin API token may make per minute (shared through Redis when REDIS_URL is set). */
  readonly adminApiPerMinute: number
  /** SMTP server for mail; null writes each message as an .eml file under DATA_DIR/outbox. */
  readonly smtpUrl: string | null
  /** The From address of the newsroom's mail. */
  readonly mailFrom: string
  /** How often this process looks for due wire sources; 0 turns polling off in this process. */
  readonly wirePollSeconds: number
  /** Largest picture file the media library accepts, in bytes. */
  readonly mediaMaxBytes: number
  /** Where the media library keeps its files (MEDIA_STORE); several nodes need s3. */
  readonly mediaStore: MediaStoreSetting
  /**
   * Outgoing webhooks: how often this process sends due deliveries (0 leaves
   * sending to other processes), and whether endpoints may be on private,
   * loopback or link-local addresses (off: such an address is refused at the
   * form and at connection time, against SSRF).
   */
  readonly webhooks: { readonly everySeconds: number; readonly allowPrivateNetwork: boolean }
  /** Redis shared by several processes (the reader forms' rate limits); null keeps them in this process. */
  readonly redisUrl: string | null
  /** The age key file tips are sealed to; outside the database, by default DATA_DIR/keys/tips.key. Null means that default. */
  readonly tipKeyFile: string | null
  /** Where files readers attach are kept: DATA_DIR/submissions on this node's disk, or the database every node shares. */
  readonly submissionFiles: 'disk' | 'database'
  /** Put before every Redis key, so several sites (or test runs) can share one Redis. */
  readonly redisPrefix: string
  /**
   * The channel cache purges travel on between processes: the PostgreSQL
   * LISTEN channel, and after the prefix the Redis one.
   */
  readonly purgeChannel: string
  /** Where the surrogate keys of every change are POSTed for a CDN; null tells no CDN. */
  readonly cdnPurgeUrl: string | null
  /** The reader desk's spam defences: seconds a form must be open, and sends allowed per address (10 minutes) and overall (an hour). */
  readonly readerForms: {
    readonly minSeconds: number
    readonly perAddress: number
    readonly perHour: number
    /** Sends per address in ten minutes that came without a proof of work (no JavaScript); a third of `perAddress` when not given. */
    readonly perAddressWithoutProof?: number
    /** Zero bits the proof of work asks for; 16 when not given. */
    readonly proofBits?: number
  }
  /** The bearer token /metrics asks for; null turns /metrics off (404). */
  readonly metricsToken: string | null
  /**
   * Stopping on SIGTERM/SIGINT: /readyz answers 503 at once and the server
   * keeps serving for `delayMs` (so a load balancer can take it out of
   * rotation), then stops accepting and gives requests in flight `graceMs`.
   */
  readonly shutdown: { readonly delayMs: number; readonly graceMs: number }
  /** Worker processes `masthead serve` runs on one port (node:cluster); 1 serves from the one process. */
  readonly workers: number
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL']
}

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** Variables whose values are secrets: a start-up error names them without echoing the value into logs. */
const SECRET_VARIABLES = new Set(['MASTHEAD_ADMIN_PASSWORD', 'METRICS_TOKEN'])

/** Reads the environment into a Config, or throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = EnvSchema.safeParse(cleaned)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0])
      if (SECRET_VARIABLES.has(name)) return `${name} (value not shown) ${issue.message}`
      return `${name}=${JSON.stringify(cleaned[name] ?? '')} ${issue.message}`
    })
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}. See .env.example.`)
  }
  const e = parsed.data
  if (e.MASTHEAD_ADMIN_PASSWORD && !e.MASTHEAD_ADMIN_EMAIL) {
    throw new ConfigError('Invalid configuration: MASTHEAD_ADMIN_PASSWORD is set but MASTHEAD_ADMIN_EMAIL is not; set both or neither.')
  }
  const dataDir = path.resolve(cwd, e.DATA_DIR)
  return defineConfig({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL ? { dialect: 'postgres', url: e.DATABASE_URL } : { dialect: 'sqlite', file: path.join(dataDir, 'masthead.db') },
    baseUrl: e.BASE_URL ? new URL(e.BASE_URL).origin : null,
    trustProxy: e.TRUST_PROXY ?? false,
    allowedHosts: e.ALLOWED_HOSTS ?? null,
    admin: e.MASTHEAD_ADMIN_EMAIL ? { email: e.MASTHEAD_ADMIN_EMAIL, password: e.MASTHEAD_ADMIN_PASSWORD ?? null } : null,
    loadDemo: e.MASTHEAD_DEMO,
    pageCache: e.MASTHEAD_PAGE_CACHE,
    contentApiRequireKey: e.CONTENT_API_REQUIRE_KEY,
    adminApiPerMinute: e.ADMIN_API_PER_MINUTE,
    wirePollSeconds: e.MASTHEAD_WIRE_POLL_SECONDS,
    webhooks: { everySeconds: e.MASTHEAD_WEBHOOKS_SECONDS, allowPrivateNetwork: e.MASTHEAD_WEBHOOKS_ALLOW_PRIVATE_NETWORK },
    mediaMaxBytes: e.MASTHEAD_MEDIA_MAX_MB * 1024 * 1024,
    mediaStore: e.MEDIA_STORE === 's3' ? s3Setting(e) : { kind: 'local' },
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? DEFAULT_MAIL_FROM,
    redisUrl: e.REDIS_URL ?? null,
    tipKeyFile: e.MASTHEAD_TIP_KEY_FILE ? path.resolve(cwd, e.MASTHEAD_TIP_KEY_FILE) : null,
    submissionFiles: e.MASTHEAD_SUBMISSION_FILES,
    redisPrefix: e.REDIS_PREFIX,
    purgeChannel: e.MASTHEAD_PURGE_CHANNEL,
    cdnPurgeUrl: e.CDN_PURGE_URL ?? null,
    readerForms: { minSeconds: e.MASTHEAD_FORM_MIN_SECONDS, perAddress: e.MASTHEAD_SUBMISSIONS_PER_ADDRESS, perHour: e.MASTHEAD_SUBMISSIONS_PER_HOUR, perAddressWithoutProof: e.MASTHEAD_SUBMISSIONS_WITHOUT_PROOF_PER_ADDRESS, proofBits: e.MASTHEAD_PROOF_BITS },
    metricsToken: e.METRICS_TOKEN ?? null,
    shutdown: { delayMs: e.SHUTDOWN_DELAY_SECONDS * 1000, graceMs: e.SHUTDOWN_GRACE_SECONDS * 1000 },
    workers: e.MASTHEAD_WORKERS,
    logLevel: e.LOG_LEVEL,
  })
}

/** Where the tip key file is: MASTHEAD_TIP_KEY_FILE, or DATA_DIR/keys/tips.key. */
export function tipKeyFileOf(config: Config): string {
  return config.tipKeyFile ?? path.join(config.dataDir, 'keys', 'tips.key')
}

/** Freezes a Config built by hand (tests, bench), filling the defaults `npm start` uses. */
export function defineConfig(partial: Partial<Config> & Pick<Config, 'dataDir'>): Config {
  return Object.freeze({
    port: 3000,
    host: '127.0.0.1',
    database: { dialect: 'sqlite' as const, file: path.join(partial.dataDir, 'masthead.db') },
    baseUrl: null,
    trustProxy: false,
    allowedHosts: null,
    admin: null,
    loadDemo: true,
    pageCache: true,
    contentApiRequireKey: false,
    adminApiPerMinute: 300,
    wirePollSeconds: 15,
    webhooks: { everySeconds: 5, allowPrivateNetwork: false },
    mediaMaxBytes: 20 * 1024 * 1024,
    mediaStore: { kind: 'local' as const },
    smtpUrl: null,
    mailFrom: DEFAULT_MAIL_FROM,
    redisUrl: null,
    tipKeyFile: null,
    submissionFiles: 'disk' as const,
    redisPrefix: 'masthead:',
    purgeChannel: 'masthead_purge',
    cdnPurgeUrl: null,
    readerForms: { minSeconds: 4, perAddress: 10, perHour: 300 },
    metricsToken: null,
    shutdown: { delayMs: 0, graceMs: 10_000 },
    workers: 1,
    logLevel: 'info' as const,
    ...partial,
  })
}
