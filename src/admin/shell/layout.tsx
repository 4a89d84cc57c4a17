import type { ComponentChildren } from 'preact'
import type { StaffUser } from '../../auth/index.ts'

/** What every admin page's frame needs. */
export interface AdminChrome {
  siteName: string
  stylesheet: string
  /** Null on the sign-in page. */
  user: StaffUser | null
  /** The navigation this person may use. */
  nav: readonly NavItem[]
  csrfToken: string
  /** Unread notifications of the signed-in person. */
  unread?: number
  /** Path of the current section, marked in the navigation. */
  current?: string
}

export interface NavItem {
  href: string
  label: string
  /** Pages inside this area, shown as a second row when the area is open. */
  children?: readonly NavItem[]
}

/** Every area of the newsroom; each person sees the ones the access table lets them open. */
export const NAV: readonly NavItem[] = [
  { href: '/admin', label: 'Dashboard' },
  { href: '/admin/stories', label: 'Stories' },
  { href: '/admin/inbox', label: 'Inbox' },
  {
    href: '/admin/wire',
    label: 'Wire desk',
    children: [
      { href: '/admin/wire', label: 'Agency copy' },
      { href: '/admin/wire/upload', label: 'Upload copy' },
      { href: '/admin/wire/sources', label: 'Wire sources' },
      { href: '/admin/wire/rules', label: 'Routing rules' },
      { href: '/admin/wire/quarantine', label: 'Quarantine' },
    ],
  },
  { href: '/admin/quotes', label: 'Quotes' },
  {
    href: '/admin/media',
    label: 'Media',
    children: [
      { href: '/admin/media', label: 'Library' },
      { href: '/admin/media/upload', label: 'Upload picture' },
    ],
  },
  {
    href: '/admin/sections',
    label: 'Records',
    children: [
      { href: '/admin/sections', label: 'Sections' },
      { href: '/admin/tags', label: 'Tags' },
      { href: '/admin/authors', label: 'Authors & desks' },
      { href: '/admin/sources', label: 'Sources' },
      { href: '/admin/settings', label: 'Settings' },
    ],
  },
  {
    href: '/admin/staff',
    label: 'Staff',
    children: [
      { href: '/admin/staff', label: 'Staff accounts' },
      { href: '/admin/audit', label: 'Audit log' },
    ],
  },
  {
    href: '/admin/webhooks',
    label: 'Integrations',
    children: [
      { href: '/admin/webhooks', label: 'Webhooks' },
      { href: '/admin/api-tokens', label: 'API tokens' },
    ],
  },
]

/** The top-level area a page belongs to: the entry whose address is the longest prefix of the page's. */
function areaOf(nav: readonly NavItem[], current: string | undefined): NavItem | undefined {
  if (!current) return undefined
  // The dashboard (/admin) is an area of its own, not the parent of every page.
  const under = (href: string) => current === href || (href !== '/admin' && current.startsWith(`${href}/`))
  // An area owns its own address and its pages' addresses (Records holds /admin/sections, /admin/tags, …).
  const match = (item: NavItem) => Math.max(under(item.href) ? item.href.length : 0, ...(item.children ?? []).map((child) => (under(child.href) ? child.href.length : 0)))
  return nav
    .filter((item) => match(item) > 0)
    .sort((a, b) => match(b) - match(a))[0]
}

/** The admin document: header with navigation and sign-out, then the page. */
export function AdminLayout({ chrome, title, children, scripts = [], styles = [] }: { chrome: AdminChrome; title: string; children: ComponentChildren; scripts?: string[]; styles?: string[] }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} | ${chrome.siteName} newsroom`}</title>
        <link rel="stylesheet" href={chrome.stylesheet} />
        {styles.map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        {scripts.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="admin-header">
          <p class="brand">{chrome.siteName} newsroom</p>
          {chrome.user ? (
            <>
              <nav class="admin-nav" aria-label="Newsroom">
                <ul>
                  {chrome.nav.map((item) => (
                    <li>
                      <a href={item.href} aria-current={chrome.current === item.href ? 'page' : areaOf(chrome.nav, chrome.current) === item ? 'true' : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <form class="who" method="post" action="/admin/sign-out">
                <a href="/admin/notifications">
                  Notifications{chrome.unread ? <span class="count"> ({chrome.unread} new)</span> : null}
                </a>
                <a href="/admin/account">
                  {chrome.user.name} ({chrome.user.role})
                </a>
                <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                <button type="submit" class="link-button">
                  Sign out
                </button>
              </form>
            </>
          ) : null}
        </header>
        {(() => {
          const area = areaOf(chrome.nav, chrome.current)
          return area?.children?.length ? (
            <nav class="area-nav" aria-label={area.label}>
              <ul>
                {area.children.map((item) => (
                  <li>
                    <a href={item.href} aria-current={chrome.current === item.href ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null
        })()}
        <main id="main">{children}</main>
      </body>
    </html>
  )
}

/**
 * The list of what stops a form from going ahead, at the top of the page,
 * each linked to its field: a person who pressed a button far down the page
 * (or hears the page with a screen reader) learns at once why nothing
 * happened. `anchors` maps an error's key to the id of the field to go to
 * when it is not `field-<key>`.
 */
export function ErrorSummary(props: { errors: Record<string, string>; intro?: string; anchors?: Record<string, string> }) {
  const entries = Object.entries(props.errors).filter(([key]) => key !== '_form')
  if (entries.length === 0 && !props.errors._form) return null
  return (
    <div class="notice notice-danger error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{props.errors._form ?? props.intro ?? 'Some things need fixing first'}</h2>
      {entries.length > 0 ? (
        <ul>
          {entries.map(([key, message]) => (
            <li>
              <a href={`#${props.anchors?.[key] ?? `field-${key}`}`}>{message}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

/** A labelled form field with its error, keeping what the user typed. */
export function Field(props: {
  name: string
  label: string
  value?: string | null
  type?: string
  hint?: string
  error?: string
  required?: boolean
  autocomplete?: string
}) {
  const id = `field-${props.name}`
  const describedBy = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        autocomplete={props.autocomplete}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/** Field-level errors by path, from a DomainError's issues. */
export type FieldErrors = Record<string, string>
