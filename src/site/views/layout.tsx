import type { ComponentChildren } from 'preact'
import type { Section } from '../../sections/index.ts'
import type { SiteSettings } from '../../settings/index.ts'
import { urls } from '../urls.ts'
import { shareMeta, type SharePreview } from './share-meta.tsx'
import { attr, html, htmlAround, type Html } from '../html.ts'

/** What every page's chrome needs. */
export interface Chrome {
  settings: SiteSettings
  /** Top-level sections for the main navigation. */
  nav: Section[]
  stylesheet: string
  /** Absolute origin for canonical links, e.g. "https://news.example.org". */
  origin: string
  /** Set on previews of unpublished work: shown as a banner, and the page is not indexed. */
  preview?: string
}

export interface LayoutProps {
  chrome: Chrome
  title: string
  description?: string | null
  /** Site path of this page's canonical URL; absent on error pages. */
  canonicalPath?: string
  /** What link previews show (Open Graph and Twitter card tags); needs `canonicalPath`. */
  share?: SharePreview
  /** Extra elements for <head> (JSON-LD, article:* tags). */
  head?: ComponentChildren
  /** Path of the current navigation item, marked aria-current. */
  currentPath?: string
  /** The page whose feeds to announce with <link rel="alternate">, and what to call them. */
  feeds?: { pagePath: string; title: string }
  children: ComponentChildren
}

const FEED_LINKS = [
  { format: 'rss', type: 'application/rss+xml', label: 'RSS' },
  { format: 'atom', type: 'application/atom+xml', label: 'Atom' },
  { format: 'json', type: 'application/feed+json', label: 'JSON Feed' },
] as const

/** The document around a page, cut where the extra <head> elements and the page's own content go. */
function layoutParts({ chrome, title, description, canonicalPath, share, currentPath, feeds }: Omit<LayoutProps, 'head' | 'children'>): [Html, Html, Html] {
  const { settings, nav } = chrome
  const top = html`<html${attr('lang', settings.language)}><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>${title}</title>${
    description ? html`<meta name="description"${attr('content', description)}/>` : null
  }${canonicalPath ? html`<link rel="canonical" href="${chrome.origin + canonicalPath}"/>` : null}<link rel="stylesheet"${attr('href', chrome.stylesheet)}/>${
    chrome.preview ? html`<meta name="robots" content="noindex, nofollow"/>` : null
  }${
    feeds ? FEED_LINKS.map((f) => html`<link rel="alternate" type="${f.type}" title="${`${feeds.title} (${f.label})`}" href="${chrome.origin + urls.feed(feeds.pagePath, f.format)}"/>`) : null
  }${share && canonicalPath ? shareMeta({ share, url: chrome.origin + canonicalPath, siteName: settings.siteName }) : null}`
  const middle = html`</head><body><a class="skip-link" href="#main">Skip to content</a>${
    // A landmark of its own: every piece of a page must sit in one, for people who move by landmarks.
    chrome.preview ? html`<aside class="preview-banner" aria-label="Preview">${chrome.preview}</aside>` : null
  }<header class="masthead"><div class="wrap"><p class="site-name"><a href="${urls.home()}">${settings.siteName}</a></p>${
    settings.tagline ? html`<p class="tagline">${settings.tagline}</p>` : null
  }</div><nav class="site-nav" aria-label="Sections"><ul class="wrap">${nav.map((section) => {
    const href = urls.section(section.slug)
    return html`<li><a href="${href}"${attr('aria-current', currentPath === href ? 'page' : undefined)}>${section.name}</a></li>`
  })}</ul></nav></header><main id="main" class="wrap">`
  const bottom = html`</main><footer class="site-footer"><div class="wrap"><p>${settings.disclaimer}</p><p><a href="${urls.search()}">Search</a> · <a href="${urls.contact()}">Contact us</a> · <a href="${urls.feeds()}">Feeds</a></p>${
    settings.socialLinks.length > 0
      ? html`<ul class="social-links" aria-label="${`${settings.siteName} elsewhere`}">${settings.socialLinks.map((link) => html`<li><a${attr('href', link.url)} rel="me noopener">${link.name}</a></li>`)}</ul>`
      : null
  }<p>© ${settings.siteName}</p></div></footer></body></html>`
  return [top, middle, bottom]
}

/** The document around every public page: skip link, masthead, navigation, footer. */
export function layout(props: Omit<LayoutProps, 'head' | 'children'>, head: Html | null, main: Html): Html {
  const [top, middle, bottom] = layoutParts(props)
  return html`${top}${head}${middle}${main}${bottom}`
}

/** layout around a Preact page. */
export function Layout({ head, children, ...props }: LayoutProps) {
  return htmlAround(layoutParts(props), [<>{head}</>, <>{children}</>])
}
