import type { StaffMember } from '../../auth/index.ts'
import { formatDateTime } from '../../site/index.ts'
import { AdminLayout, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'

function Csrf({ chrome }: { chrome: AdminChrome }) {
  return <input type="hidden" name="_csrf" value={chrome.csrfToken} />
}

function Alert({ message }: { message?: string | undefined }) {
  return message ? (
    <p class="notice notice-danger" role="alert">
      {message}
    </p>
  ) : null
}

/** The second step of signing in: the code from the authenticator app, or a recovery code. */
export function CodePage({ chrome, error }: { chrome: AdminChrome; error?: string }) {
  return (
    <AdminLayout chrome={chrome} title="Two-factor code">
      <div class="sign-in">
        <h1>Enter your code</h1>
        <Alert message={error} />
        <form method="post" action="/admin/sign-in/code">
          <Csrf chrome={chrome} />
          <Field name="code" label="Code from your authenticator app" hint="Six digits. Lost your phone? Use one of your recovery codes instead." required autocomplete="one-time-code" />
          <button type="submit">Sign in</button>
        </form>
        <p>
          <a href="/admin/sign-in">Start again</a>
        </p>
      </div>
    </AdminLayout>
  )
}

/** Ask for a password reset link; the answer is the same whether the address has an account or not. */
export function ResetRequestPage({ chrome, sent }: { chrome: AdminChrome; sent: boolean }) {
  return (
    <AdminLayout chrome={chrome} title="Reset your password">
      <div class="sign-in">
        <h1>Reset your password</h1>
        {sent ? (
          <p class="notice notice-ok" role="status">
            If an account has that address, a link to choose a new password is on its way. It works once, for an hour.
          </p>
        ) : null}
        <form method="post" action="/admin/password-reset">
          <Csrf chrome={chrome} />
          <Field name="email" label="Email" type="email" required autocomplete="username" />
          <button type="submit">Send the link</button>
        </form>
        <p>
          <a href="/admin/sign-in">Back to sign-in</a>
        </p>
      </div>
    </AdminLayout>
  )
}

/** Choose a new password from a reset link. */
export function ResetPasswordPage({ chrome, token, email, errors }: { chrome: AdminChrome; token: string; email: string; errors: FieldErrors }) {
  return (
    <AdminLayout chrome={chrome} title="Choose a new password">
      <div class="sign-in">
        <h1>Choose a new password</h1>
        <p>For {email}. Every device signed in to this account will be signed out.</p>
        <Alert message={errors._form} />
        <form method="post" action={`/admin/password-reset/${token}`}>
          <Csrf chrome={chrome} />
          <Field name="password" label="New password" type="password" required autocomplete="new-password" hint="At least 12 characters." error={errors.password} />
          <button type="submit">Set the password</button>
        </form>
      </div>
    </AdminLayout>
  )
}

/** Join the newsroom from an invitation: a name and a password. */
export function InvitationPage(props: { chrome: AdminChrome; token: string; email: string; role: string; siteName: string; errors: FieldErrors; values: { name: string } }) {
  const { chrome, errors } = props
  return (
    <AdminLayout chrome={chrome} title="Join the newsroom">
      <div class="sign-in">
        <h1>Join {props.siteName}</h1>
        <p>
          You were invited as {/^[aeiou]/.test(props.role) ? 'an' : 'a'} {props.role}, with the address {props.email}.
        </p>
        <Alert message={errors._form} />
        <form method="post" action={`/admin/invitations/${props.token}`}>
          <Csrf chrome={chrome} />
          <Field name="name" label="Your name" value={props.values.name} required autocomplete="name" hint="As colleagues should see it." error={errors.name} />
          <Field name="password" label="Password" type="password" required autocomplete="new-password" hint="At least 12 characters." error={errors.password} />
          <button type="submit">Join</button>
        </form>
      </div>
    </AdminLayout>
  )
}

/** Confirming a new address: the link opens this page, and only the button uses the link. */
export function ConfirmEmailPage({ chrome, token, email }: { chrome: AdminChrome; token: string; email: string }) {
  return (
    <AdminLayout chrome={chrome} title="Confirm your new address">
      <div class="sign-in">
        <h1>Confirm your new address</h1>
        <p>Your newsroom account will use {email} from now on.</p>
        <form method="post" action={`/admin/email-confirm/${token}`}>
          <Csrf chrome={chrome} />
          <button type="submit">Confirm the address</button>
        </form>
      </div>
    </AdminLayout>
  )
}

/** A plain message page after following a link. */
export function MessagePage({ chrome, title, message, link }: { chrome: AdminChrome; title: string; message: string; link: { href: string; label: string } }) {
  return (
    <AdminLayout chrome={chrome} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={link.href}>{link.label}</a>
      </p>
    </AdminLayout>
  )
}

export interface ProfilePageProps {
  chrome: AdminChrome
  member: StaffMember
  errors: FieldErrors
  values: { name: string; email: string }
  notice: string | null
  /** Something saved whose follow-up failed (a mail that could not be sent). */
  warning: string | null
  recoveryCodesLeft: number
  timeZone: string
}

/** One's own account: name, address, password, devices and two-factor sign-in. */
export function ProfilePage(props: ProfilePageProps) {
  const { chrome, member, errors, values } = props
  return (
    <AdminLayout chrome={chrome} title="Your account">
      <h1>Your account</h1>
      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.warning ? (
        <p class="notice notice-warn" role="alert">
          {props.warning}
        </p>
      ) : null}
      <section aria-labelledby="name-title">
        <h2 id="name-title">Name</h2>
        <form method="post" action="/admin/account/name">
          <Csrf chrome={chrome} />
          <Field name="name" label="Name" value={values.name} required autocomplete="name" error={errors.name} />
          <button type="submit">Save the name</button>
        </form>
      </section>
      <section aria-labelledby="email-title">
        <h2 id="email-title">Email address</h2>
        <p>Now: {member.email}. A new address takes effect when you follow the link we send to it.</p>
        <form method="post" action="/admin/account/email">
          <Csrf chrome={chrome} />
          <Field name="email" label="New address" type="email" value={values.email} required autocomplete="email" error={errors.email} />
          <Field name="password" label="Your password" type="password" required autocomplete="current-password" error={errors.password} />
          <button type="submit">Send the confirmation link</button>
        </form>
      </section>
      <section aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <p>
          <a href="/admin/password">Change your password</a>
        </p>
      </section>
      <section aria-labelledby="devices-title">
        <h2 id="devices-title">Devices</h2>
        <p>Last sign-in: {member.lastSignInAt ? formatDateTime(member.lastSignInAt, props.timeZone) : 'never'}.</p>
        <form method="post" action="/admin/account/sign-out-others">
          <Csrf chrome={chrome} />
          <button type="submit">Sign out every other device</button>
        </form>
      </section>
      <section aria-labelledby="twofactor-title">
        <h2 id="twofactor-title">Two-factor sign-in</h2>
        {member.hasTwoFactor ? (
          <>
            <p>On. You have {props.recoveryCodesLeft} unused recovery codes.</p>
            <form method="post" action="/admin/account/two-factor/disable">
              <Csrf chrome={chrome} />
              <Field name="password" label="Your password, to turn it off" type="password" required autocomplete="current-password" error={errors.disablePassword} />
              <button type="submit" class="button-danger">
                Turn off two-factor sign-in
              </button>
            </form>
          </>
        ) : (
          <p>
            Off. <a href="/admin/account/two-factor">Set it up with an authenticator app</a>.
          </p>
        )}
      </section>
    </AdminLayout>
  )
}

/** Setting up two-factor sign-in: the QR code, the secret for typing in, and the first code. */
export function TwoFactorPage(props: { chrome: AdminChrome; isRequired: boolean; setup: { qr: string; secret: string } | null; recoveryCodes: string[] | null; errors: FieldErrors }) {
  const { chrome, setup, recoveryCodes, errors } = props
  return (
    <AdminLayout chrome={chrome} title="Two-factor sign-in">
      <h1>Two-factor sign-in</h1>
      {props.isRequired ? <p class="notice notice-warn">The newsroom asks admins and editors to sign in with a code from an authenticator app. Set it up to go on.</p> : null}
      {recoveryCodes ? (
        <section aria-labelledby="codes-title">
          <p class="notice notice-ok" role="status">
            Two-factor sign-in is on.
          </p>
          <h2 id="codes-title">Your recovery codes</h2>
          <p>Keep these somewhere safe, away from your phone. Each works once if you cannot use your app. They are shown only now.</p>
          <ul class="codes">
            {recoveryCodes.map((code) => (
              <li>
                <code>{code}</code>
              </li>
            ))}
          </ul>
          <p>
            <a href="/admin">Go to the newsroom</a>
          </p>
        </section>
      ) : setup ? (
        <section aria-labelledby="scan-title">
          <h2 id="scan-title">Scan this code with your authenticator app</h2>
          <img src={setup.qr} width={220} height={220} alt="QR code for your authenticator app; the secret below says the same in letters." />
          <p>
            Or type this secret into the app: <code class="secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
          <form method="post" action="/admin/account/two-factor/enable">
            <Csrf chrome={chrome} />
            <Field name="code" label="The six digits the app shows" required autocomplete="one-time-code" error={errors.code} />
            <button type="submit">Turn on</button>
          </form>
        </section>
      ) : (
        <form method="post" action="/admin/account/two-factor">
          <Csrf chrome={chrome} />
          <p>You will need an authenticator app on your phone, such as one from your phone's maker or a password manager.</p>
          <button type="submit">Start the setup</button>
        </form>
      )}
    </AdminLayout>
  )
}
