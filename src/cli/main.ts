import { Command, InvalidArgumentError } from 'commander'
import { ConfigError, loadConfig, tipKeyFileOf, type Config } from '../server/config.ts'
import { StartupError } from '../server/startup-error.ts'
import { DomainError } from '../shared/errors.ts'
import type { Container } from '../server/container.ts'
import { registerWireCommands } from './wire-commands.ts'
import { registerImportCommands } from './import-commands.ts'
import { parseWorkers, serve } from './serve.ts'

/**
 * `masthead`: serve, migrate, seed and manage users. Reads the same
 * environment as the server (see .env.example). Each command loads the
 * modules it needs when it runs, so a cluster's primary (which serves
 * nothing) and `--help` stay small.
 */

const openContainer = async (config: Config) => (await import('../server/startup.ts')).openContainer(config)

function config(): Config {
  return loadConfig(process.env)
}

function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`masthead: ${error.message}\n`)
  } else if (error instanceof DomainError) {
    const issues = error.issues.map((i) => `\n  ${i.path}: ${i.message}`).join('')
    process.stderr.write(`masthead: ${error.message}${issues}\n`)
  } else {
    process.stderr.write(`masthead: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  }
  process.exit(1)
}

/** Opens the database, brings the schema up to date, runs `fn`, and closes. */
async function withContainer<T>(fn: (container: Container) => Promise<T>): Promise<T> {
  const container = await openContainer(config())
  try {
    const { error } = await container.database.migrate()
    if (error) throw new StartupError(`migration failed: ${(error as Error).message}`)
    return await fn(container)
  } finally {
    await container.close()
  }
}

const program = new Command()
  .name('masthead')
  .description('Masthead newsroom publishing platform')
  .showHelpAfterError()

program
  .command('serve')
  .description('run the site (migrates, and on first start loads demo content and creates an admin)')
  .option('--workers <count>', 'worker processes serving on one port: a number, or auto for one per CPU core (default: MASTHEAD_WORKERS, else 1)', parseWorkers)
  .action(async (options: { workers?: number }) => {
    let settings: Config
    try {
      settings = config()
    } catch (error) {
      fail(error)
    }
    await serve(settings, options.workers ?? settings.workers, fail)
  })

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    try {
      const container = await openContainer(config())
      const { error, results } = await container.database.migrate()
      await container.close()
      for (const r of results ?? []) process.stdout.write(`${r.status.padEnd(8)} ${r.migrationName}\n`)
      if (error) throw new StartupError(`migration failed: ${(error as Error).message}`)
      if (!results?.length) process.stdout.write('Schema is up to date.\n')
    } catch (error) {
      fail(error)
    }
  })

program
  .command('seed')
  .argument('<set>', 'which content set to load (only "demo" for now)', (value) => {
    if (value !== 'demo') throw new InvalidArgumentError('The only content set is "demo".')
    return value
  })
  .description('load a content set into an empty site')
  .action(async () => {
    try {
      const { articles } = await withContainer(async (container) => {
        if ((await container.sections.listSections()).length > 0) {
          throw new StartupError('The site already has sections; demo content only loads into an empty site.')
        }
        const { seedDemo } = await import('../db/seed/seed.ts')
        return seedDemo(container)
      })
      process.stdout.write(`Loaded the demo paper: ${articles} articles.\n`)
    } catch (error) {
      fail(error)
    }
  })

const user = program.command('user').description('manage staff accounts')
user
  .command('create')
  .description('create a staff account; prints a one-time password unless --password is given')
  .requiredOption('--email <email>', 'sign-in email')
  .requiredOption('--name <name>', 'display name')
  .option('--role <role>', 'admin, editor, author or contributor', 'author')
  .option('--password <password>', 'password (at least 12 characters); omit to generate one')
  .action(async (options: { email: string; name: string; role: string; password?: string }) => {
    try {
      const { user, generatedPassword } = await withContainer((container) =>
        container.auth.createUser({
          email: options.email,
          name: options.name,
          role: options.role as 'author',
          ...(options.password ? { password: options.password } : {}),
        }),
      )
      process.stdout.write(`Created ${user.role} ${user.email} (${user.id}).\n`)
      if (generatedPassword) process.stdout.write(`One-time password: ${generatedPassword}\n`)
    } catch (error) {
      fail(error)
    }
  })

user
  .command('list')
  .description('list staff accounts: role, state, two-factor, last sign-in')
  .action(async () => {
    try {
      const staff = await withContainer((container) => container.auth.listStaff())
      if (staff.length === 0) process.stdout.write('No accounts yet. Create one with: masthead user create --email E --name N --role admin\n')
      for (const member of staff) {
        const state = member.deactivatedAt ? 'deactivated' : 'active'
        const seen = member.lastSignInAt ? `last sign-in ${member.lastSignInAt}` : 'never signed in'
        process.stdout.write(`${member.email}\t${member.role}\t${state}\t2FA ${member.hasTwoFactor ? 'on' : 'off'}\t${seen}\t${member.name}\n`)
      }
    } catch (error) {
      fail(error)
    }
  })

user
  .command('deactivate')
  .description('stop an account signing in and end its sessions; its bylines and history stay')
  .argument('<email>', 'the account\'s email')
  .action(async (email: string) => {
    try {
      await withContainer(async (container) => {
        const found = await container.auth.findByEmail(email)
        if (!found) throw new StartupError(`No account has the address ${email}.`)
        await container.auth.deactivate({ userId: null }, found.id)
      })
      process.stdout.write(`Deactivated ${email}; every session ended.\n`)
    } catch (error) {
      fail(error)
    }
  })

user
  .command('reset-password')
  .description('set a new one-time password (printed once) when nobody can sign in; ends every session')
  .argument('<email>', 'the account\'s email')
  .action(async (email: string) => {
    try {
      const { member, password } = await withContainer(async (container) => {
        const { user, password } = await container.auth.resetPasswordFromConsole(email)
        return { member: await container.auth.getMember(user.id), password }
      })
      // A new password alone does not let in someone who lost their phone too; say what does.
      const hint = member.hasTwoFactor ? `Two-factor sign-in stays on; if its app and recovery codes are lost too: masthead user reset-two-factor ${member.email}\n` : ''
      process.stdout.write(`New one-time password for ${member.email}: ${password}\nIt must be changed at the next sign-in. Every session of the account ended.\n${hint}`)
    } catch (error) {
      fail(error)
    }
  })

user
  .command('reset-two-factor')
  .description('turn off two-factor sign-in for someone who lost their app and recovery codes; ends every session')
  .argument('<email>', 'the account\'s email')
  .action(async (email: string) => {
    try {
      const wasOn = await withContainer(async (container) => {
        const found = await container.auth.findByEmail(email)
        if (!found) throw new StartupError(`No account has the address ${email}.`)
        const before = await container.auth.getMember(found.id)
        await container.auth.resetTwoFactor({ userId: null }, found.id)
        return before.hasTwoFactor
      })
      process.stdout.write(
        wasOn
          ? `Two-factor sign-in is off for ${email}; every session ended. They sign in with their password and can set up a new app.\n`
          : `Two-factor sign-in was not on for ${email}; nothing changed.\n`,
      )
    } catch (error) {
      fail(error)
    }
  })

registerWireCommands(program, withContainer, fail)
registerImportCommands(program, withContainer, fail)

const keys = program.command('keys').description('the key file news tips are sealed to (MASTHEAD_TIP_KEY_FILE, default DATA_DIR/keys/tips.key)')

keys
  .command('init')
  .description('make the tip key file; refuses when it exists')
  .action(async () => {
    try {
      const file = tipKeyFileOf(config())
      const { initTipKeys } = await import('../submissions/stores/age-keys.ts')
      const recipient = await initTipKeys(file)
      process.stdout.write(`Made ${file} (public key ${recipient}).\nBack it up apart from the database: tips sealed to it cannot be read without it.\n`)
    } catch (error) {
      fail(error)
    }
  })

keys
  .command('rotate')
  .description('add a new key that new tips are sealed to; old keys stay, so old tips stay readable')
  .action(async () => {
    try {
      const file = tipKeyFileOf(config())
      const { rotateTipKeys } = await import('../submissions/stores/age-keys.ts')
      const recipient = await rotateTipKeys(file)
      process.stdout.write(`Added a new key to ${file} (public key ${recipient}). New tips are sealed to it; older tips open with the older keys.\n`)
    } catch (error) {
      fail(error)
    }
  })

const contentKey = program.command('content-key').description('keys for the public content API (/api/content/v1)')

contentKey
  .command('create')
  .description('make a key for a program; it is shown once')
  .requiredOption('--name <name>', 'what uses it, e.g. "Newsletter tool"')
  .action(async (options: { name: string }) => {
    try {
      const { key, id } = await withContainer((container) => container.contentKeys.create({ name: options.name }))
      process.stdout.write(`Key ${id} for ${options.name}:\n${key}\nIt is shown only now. Programs send it in the X-Content-Key header.\n`)
    } catch (error) {
      fail(error)
    }
  })

contentKey
  .command('list')
  .description('list keys: id, name, made, last used, revoked')
  .action(async () => {
    try {
      const keys = await withContainer((container) => container.contentKeys.list())
      if (keys.length === 0) process.stdout.write('No content keys. Make one with: masthead content-key create --name NAME\n')
      for (const k of keys) process.stdout.write(`${k.id}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\tmade ${k.createdAt}\t${k.lastUsedAt ? `last used ${k.lastUsedAt}` : 'never used'}\t${k.name}\n`)
    } catch (error) {
      fail(error)
    }
  })

contentKey
  .command('revoke')
  .description('stop a key working, at once')
  .argument('<id>', 'the key id from `masthead content-key list`')
  .action(async (id: string) => {
    try {
      await withContainer((container) => container.contentKeys.revoke(id))
      process.stdout.write(`Key ${id} no longer works.\n`)
    } catch (error) {
      fail(error)
    }
  })

await program.parseAsync(process.argv)
