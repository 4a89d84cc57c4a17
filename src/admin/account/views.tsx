import type { Notification } from '../../notifications/index.ts'
import type { Page } from '../../shared/pagination.ts'
import { formatDateTime } from '../../site/index.ts'
import { AdminLayout, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'

/** Sign in with email and password. */
export function SignInPage({ chrome, email, next, error }: { chrome: AdminChrome; email: string; next: string; error?: string }) {
  return (
    <AdminLayout chrome={chrome} title="Sign in">
      <div class="sign-in">
        <h1>Sign in to the newsroom</h1>
        {error ? (
          <p class="notice notice-danger" role="alert">
            {error}
          </p>
        ) : null}
        <form method="post" action="/admin/sign-in">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <input type="hidden" name="next" value={next} />
          <Field name="email" label="Email" type="email" value={email} required autocomplete="username" />
          <Field name="password" label="Password" type="password" required autocomplete="current-password" />
          <button type="submit">Sign in</button>
        </form>
        <p>
          <a href="/admin/password-reset">Forgot your password?</a>
        </p>
      </div>
    </AdminLayout>
  )
}

/** Change the password; forced after signing in with a one-time password. */
export function PasswordPage({ chrome, isForced, errors, done }: { chrome: AdminChrome; isForced: boolean; errors: FieldErrors; done?: boolean }) {
  return (
    <AdminLayout chrome={chrome} title="Change password">
      <h1>Change your password</h1>
      {isForced ? <p class="notice notice-warn">You signed in with a one-time password. Choose your own before you go on.</p> : null}
      {done ? <p class="notice notice-ok">Your password is changed. Other browsers signed in as you were signed out.</p> : null}
      <form method="post" action="/admin/password">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <Field name="current" label="Current password" type="password" required autocomplete="current-password" error={errors.current} />
        <Field name="next" label="New password" type="password" required autocomplete="new-password" hint="At least 12 characters." error={errors.next} />
        <button type="submit">Change password</button>
      </form>
    </AdminLayout>
  )
}

/** What the person should know about: stories sent for review, sent back, published. */
export function NotificationsPage({ chrome, page, timeZone }: { chrome: AdminChrome; page: Page<Notification>; timeZone: string }) {
  const unread = page.items.some((n) => n.readAt === null)
  return (
    <AdminLayout chrome={chrome} title="Notifications">
      <h1>Notifications</h1>
      {unread ? (
        <form method="post" action="/admin/notifications/read">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <button type="submit">Mark all as read</button>
        </form>
      ) : null}
      {page.items.length === 0 ? (
        <p>Nothing yet. You will hear here (and by email) when a story of yours is sent back or published, and, as an editor, when one is sent for review.</p>
      ) : (
        <ul class="notifications">
          {page.items.map((n) => (
            <li class={n.readAt ? undefined : 'unread'}>
              {n.readAt ? null : <span class="badge">New</span>} <time datetime={n.createdAt}>{formatDateTime(n.createdAt, timeZone)}</time>:{' '}
              {n.articleId ? <a href={`/admin/stories/${n.articleId}`}>{n.message}</a> : n.message}
            </li>
          ))}
        </ul>
      )}
      <nav class="pager" aria-label="Pages">
        {page.page > 1 ? <a href={`/admin/notifications?page=${page.page - 1}`}>Newer</a> : null}
        {page.hasNext ? <a href={`/admin/notifications?page=${page.page + 1}`}>Older</a> : null}
      </nav>
    </AdminLayout>
  )
}
