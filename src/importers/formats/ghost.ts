import { z } from 'zod'
import { DomainError } from '../../shared/errors.ts'
import { UNKNOWN_SITE, type ImportAuthor, type ImportBundle, type ImportIssue, type ImportPost, type ImportSection, type ImportTag } from '../bundle.ts'
import { ImportErrors } from '../errors.ts'
import { decodeExport, pagesSkipped, slugFrom } from './text.ts'
import { MAX_BODY_CHARS } from './wordpress.ts'

/**
 * Reads a Ghost export (JSON; Ghost 5 and earlier: `db[0].data` or a bare
 * `{ data }`): posts with their authors in byline order, public tags (those
 * starting with `#` are Ghost's internal tags and are left out), the primary
 * tag as the primary section, featured pictures, and the body from `html`,
 * else `lexical`, else `mobiledoc`. Pages are counted and left out. Every post
 * is checked on its own, so one odd post never stops the others.
 */

const Id = z.union([z.string(), z.number()]).transform(String)
const Text = z.string().nullish().transform((v) => v ?? '')
const Post = z.object({
  id: Id,
  uuid: z.string().nullish(),
  title: Text,
  slug: Text,
  html: z.string().nullish(),
  lexical: z.string().nullish(),
  mobiledoc: z.string().nullish(),
  feature_image: z.string().nullish(),
  /** Ghost before 1.0 called the featured picture `image`. */
  image: z.string().nullish(),
  feature_image_alt: z.string().nullish(),
  feature_image_caption: z.string().nullish(),
  type: z.string().nullish(),
  page: z.union([z.boolean(), z.number()]).nullish(),
  status: Text,
  custom_excerpt: z.string().nullish(),
  created_at: z.union([z.string(), z.number()]).nullish(),
  updated_at: z.union([z.string(), z.number()]).nullish(),
  published_at: z.union([z.string(), z.number()]).nullish(),
  author_id: Id.nullish(),
})
const Tag = z.object({ id: Id, name: Text, slug: Text, description: z.string().nullish(), visibility: z.string().nullish() })
const User = z.object({ id: Id, name: Text, slug: Text, bio: z.string().nullish() })
const Link = z.object({ post_id: Id, sort_order: z.number().nullish() })
const PostTag = Link.extend({ tag_id: Id })
const PostAuthor = Link.extend({ author_id: Id })
const PostMeta = z.object({ post_id: Id, feature_image_alt: z.string().nullish(), feature_image_caption: z.string().nullish() })

const Data = z.object({
  posts: z.array(z.unknown()).default([]),
  tags: z.array(z.unknown()).default([]),
  users: z.array(z.unknown()).default([]),
  posts_tags: z.array(z.unknown()).default([]),
  posts_authors: z.array(z.unknown()).default([]),
  posts_meta: z.array(z.unknown()).default([]),
  settings: z.array(z.unknown()).default([]),
})

function many<T>(schema: z.ZodType<T>, rows: unknown[]): T[] {
  const out: T[] = []
  for (const row of rows) {
    const parsed = schema.safeParse(row)
    if (parsed.success) out.push(parsed.data)
  }
  return out
}

/** Ghost dates: ISO strings, `2024-05-03 07:15:00` (UTC) in old exports, or epoch milliseconds. */
function dateOf(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null
  const date = typeof value === 'number' ? new Date(value) : new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/**
 * How a tag or author is remembered in the import map: by its slug, which a
 * Ghost site keeps unique and which is what matching by slug would find
 * anyway (ids of Ghost before 1.0 are small numbers, the same on every site).
 * Posts are remembered by their uuid, so neither the site's title nor the
 * export's file name (both of which change) decides what was imported before.
 */
function keyOf(item: { id: string; slug: string }): string {
  // Bounded, as keys go into an index; no real slug or id comes near it.
  return item.slug && item.slug.length <= 200 ? `slug:${item.slug}` : `id:${item.id.slice(0, 200)}`
}

/** Reads the bytes of a Ghost JSON export into a bundle. */
export function readGhost(bytes: Uint8Array, fileName: string): ImportBundle {
  const text = decodeExport(bytes, fileName)
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new DomainError('invalid', ImportErrors.IMPORT_UNREADABLE, `${fileName} is not valid JSON (${error instanceof Error ? error.message : String(error)}); it may be cut short. Nothing was imported.`)
  }
  const root = json as { db?: { data?: unknown; meta?: { version?: unknown } }[]; data?: unknown }
  const rawData = Array.isArray(root?.db) ? root.db[0]?.data : root?.data
  const parsed = Data.safeParse(rawData)
  if (!parsed.success || rawData === undefined) {
    throw new DomainError('invalid', ImportErrors.IMPORT_UNREADABLE, `${fileName} is not a Ghost export: it has no db[0].data with posts. Export it from Settings → Labs in Ghost.`)
  }
  const data = parsed.data
  const skipped: ImportIssue[] = []

  const tagsById = new Map(many(Tag, data.tags).map((t) => [t.id, t]))
  const users = many(User, data.users)
  const usersById = new Map(users.map((u) => [u.id, u]))
  const postTags = many(PostTag, data.posts_tags)
  const postAuthors = many(PostAuthor, data.posts_authors)
  const meta = new Map(many(PostMeta, data.posts_meta).map((m) => [m.post_id, m]))
  const titleSetting = many(z.object({ key: z.string(), value: z.string().nullish() }), data.settings).find((s) => s.key === 'title')?.value ?? ''

  const isInternal = (tag: z.infer<typeof Tag>) => tag.name.startsWith('#') || tag.visibility === 'internal'
  const sections: ImportSection[] = []
  const tags: ImportTag[] = []
  for (const tag of tagsById.values()) {
    if (isInternal(tag)) continue
    const slug = slugFrom(tag.slug, tag.name, `tag-${tag.id}`)
    // Ghost's tag archive is /tag/<slug>/; the tag page here lists the same stories (a section only the primary ones).
    tags.push({ sourceId: keyOf(tag), slug, name: tag.name || slug, oldPaths: tag.slug ? [`/tag/${tag.slug}/`] : [] })
    sections.push({ sourceId: keyOf(tag), slug, name: tag.name || slug, description: tag.description ?? '', parentSourceId: null, oldPaths: [] })
  }
  const authors: ImportAuthor[] = users.map((u) => ({
    sourceId: keyOf(u),
    slug: slugFrom(u.slug, u.name, `author-${u.id}`),
    name: u.name || u.slug || 'Staff',
    bio: u.bio ?? null,
    oldPaths: u.slug ? [`/author/${u.slug}/`] : [],
  }))

  const byOrder = (a: { sort_order?: number | null | undefined }, b: { sort_order?: number | null | undefined }) => (a.sort_order ?? 0) - (b.sort_order ?? 0)
  const posts: ImportPost[] = []
  const pages: string[] = []
  data.posts.forEach((raw, index) => {
    const rawTitle = typeof (raw as { title?: unknown })?.title === 'string' ? (raw as { title: string }).title : ''
    const where = `posts[${index}]${rawTitle ? ` "${rawTitle.slice(0, 60)}"` : ''}`
    const checked = Post.safeParse(raw)
    if (!checked.success) {
      skipped.push({ where, code: ImportErrors.IMPORT_ITEM_FAILED, message: `The post cannot be read: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300)}` })
      return
    }
    const post = checked.data
    if (post.type === 'page' || post.page === true || post.page === 1) {
      pages.push(post.slug ? `/${post.slug}/` : where)
      return
    }
    try {
      const html = bodyHtml(post)
      if (html.length > MAX_BODY_CHARS) {
        skipped.push({ where, code: ImportErrors.IMPORT_FIELD_TOO_LARGE, message: `The body has ${html.length} characters; at most ${MAX_BODY_CHARS} are read.` })
        return
      }
      const tagIds = postTags
        .filter((l) => l.post_id === post.id)
        .sort(byOrder)
        .map((l) => tagsById.get(l.tag_id))
        .filter((t): t is z.infer<typeof Tag> => t !== undefined && !isInternal(t))
        .map(keyOf)
      const authorIds = postAuthors.filter((l) => l.post_id === post.id).sort(byOrder).map((l) => l.author_id)
      if (authorIds.length === 0 && post.author_id) authorIds.push(post.author_id)
      const authorKeys = authorIds.map((id) => usersById.get(id)).filter((u) => u !== undefined).map(keyOf)
      const published = post.status === 'published'
      const created = dateOf(post.created_at) ?? dateOf(post.published_at) ?? new Date(0).toISOString()
      const extra = meta.get(post.id)
      const featured = post.feature_image || post.image
      const image = featured ? onOldSite(featured) : null
      const slug = slugFrom(post.slug, post.title, `post-${post.id}`)
      posts.push({
        // Every Ghost since 0.3 gives a uuid; without one, the id (a small number on old sites) is only told apart by the site's title.
        sourceId: post.uuid && post.uuid.trim().length <= 100 ? post.uuid.trim() : `id:${titleSetting.slice(0, 100)}#${post.id.slice(0, 200)}`,
        where,
        title: post.title || '(untitled)',
        slug,
        html,
        excerpt: post.custom_excerpt?.trim() || null,
        status: published ? 'published' : 'draft',
        createdAt: created,
        publishedAt: published ? (dateOf(post.published_at) ?? created) : null,
        updatedAt: dateOf(post.updated_at),
        sectionSourceIds: tagIds.slice(0, 1),
        tagSourceIds: tagIds,
        authorSourceIds: authorKeys,
        featuredImage: image
          ? { url: image, alt: (extra?.feature_image_alt ?? post.feature_image_alt ?? '').trim(), caption: stripTags(extra?.feature_image_caption ?? post.feature_image_caption ?? '') }
          : null,
        // Ghost's default address for a post is /slug/.
        oldPaths: post.slug ? [`/${post.slug}/`] : [],
      })
    } catch (error) {
      skipped.push({ where, code: ImportErrors.IMPORT_ITEM_FAILED, message: error instanceof Error ? error.message : String(error) })
    }
  })
  if (pages.length > 0) skipped.push({ where: 'pages', code: ImportErrors.IMPORT_PAGE_SKIPPED, message: pagesSkipped(pages) })
  // The export never says where the site was: its own addresses are read against a placeholder.
  return { origin: 'ghost', siteTitle: titleSetting || 'Imported', baseUrl: `${UNKNOWN_SITE}/`, sections, tags, authors, posts, skipped }
}

/**
 * Ghost 4 and later write the site's own address as `__GHOST_URL__` (older
 * versions as a root-relative `/content/images/…`): it becomes the placeholder
 * site, so the importer finds such pictures in the folder and turns such links
 * into site paths, which the legacy redirects answer.
 */
function onOldSite(html: string): string {
  return html.replace(/__GHOST_URL__/g, UNKNOWN_SITE)
}

function bodyHtml(post: z.infer<typeof Post>): string {
  if (post.html && post.html.trim() !== '') return onOldSite(post.html)
  if (post.lexical) return onOldSite(lexicalToHtml(post.lexical))
  if (post.mobiledoc) return onOldSite(mobiledocToHtml(post.mobiledoc))
  return ''
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim()
}

function markdownToHtml(markdown: string): string {
  return markdown
    .split(/\n\s*\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const heading = /^(#{1,6})\s+(.*)$/.exec(p)
      if (heading) return `<h${Math.max(2, heading[1]!.length)}>${escapeHtml(heading[2]!)}</h${Math.max(2, heading[1]!.length)}>`
      return `<p>${escapeHtml(p.replace(/[*_`]/g, ''))}</p>`
    })
    .join('')
}

function imageHtml(src: unknown, alt: unknown, caption: unknown, width?: unknown, height?: unknown): string {
  if (typeof src !== 'string' || src === '') return ''
  const cap = typeof caption === 'string' && caption.trim() ? `<figcaption>${escapeHtml(stripTags(caption))}</figcaption>` : ''
  const size = isDimension(width) && isDimension(height) ? ` width="${width}" height="${height}"` : ''
  return `<figure><img src="${escapeHtml(src)}" alt="${escapeHtml(typeof alt === 'string' ? alt : '')}"${size}>${cap}</figure>`
}

const isDimension = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 100_000

/** The fields we read of Ghost's Lexical nodes. Image cards carry `alt` (Koenig's ImageNode); early Lexical builds wrote `altText`. */
type LexicalNode = {
  type?: string
  text?: string
  format?: number
  tag?: string
  listType?: string
  url?: string
  src?: string
  alt?: string
  altText?: string
  caption?: string
  width?: number
  height?: number
  html?: string
  markdown?: string
  children?: LexicalNode[]
}

/** Ghost 5's Lexical document as plain HTML: text with bold, italic and links, headings, lists, quotes, pictures, HTML and Markdown cards. */
export function lexicalToHtml(source: string): string {
  const doc = JSON.parse(source) as { root?: LexicalNode }
  const render = (node: LexicalNode, depth: number): string => {
    if (depth > 100) return ''
    const inner = () => (node.children ?? []).map((c) => render(c, depth + 1)).join('')
    switch (node.type) {
      case 'root':
        return inner()
      case 'text':
      case 'extended-text': {
        let out = escapeHtml(node.text ?? '')
        if ((node.format ?? 0) & 1) out = `<strong>${out}</strong>`
        if ((node.format ?? 0) & 2) out = `<em>${out}</em>`
        return out
      }
      case 'linebreak':
        return '<br>'
      case 'link':
        return `<a href="${escapeHtml(node.url ?? '')}">${inner()}</a>`
      case 'paragraph':
        return `<p>${inner()}</p>`
      case 'heading':
      case 'extended-heading': {
        const tag = /^h[1-6]$/.test(node.tag ?? '') ? node.tag! : 'h2'
        return `<${tag}>${inner()}</${tag}>`
      }
      case 'quote':
      case 'extended-quote':
      case 'aside':
        return `<blockquote>${inner()}</blockquote>`
      case 'list':
        return node.listType === 'number' ? `<ol>${inner()}</ol>` : `<ul>${inner()}</ul>`
      case 'listitem':
        return `<li>${inner()}</li>`
      case 'horizontalrule':
        return '<hr>'
      case 'image':
        return imageHtml(node.src, node.alt ?? node.altText, node.caption, node.width, node.height)
      case 'html':
        return node.html ?? ''
      case 'markdown':
        return markdownToHtml(node.markdown ?? '')
      default:
        // Cards we do not know (buttons, signup forms, products…) keep whatever text they hold.
        return inner()
    }
  }
  return doc.root ? render(doc.root, 0) : ''
}

/** Ghost's older Mobiledoc (0.3) as plain HTML: markup sections, lists and the image, HTML, Markdown and divider cards. */
export function mobiledocToHtml(source: string): string {
  const doc = JSON.parse(source) as { markups?: [string, string[]?][]; cards?: [string, Record<string, unknown>][]; atoms?: [string, string, unknown][]; sections?: unknown[][] }
  const markups = doc.markups ?? []
  const cards = doc.cards ?? []
  const atoms = doc.atoms ?? []
  const renderMarkers = (markers: unknown): string => {
    if (!Array.isArray(markers)) return ''
    let out = ''
    const open: string[] = []
    for (const marker of markers) {
      if (!Array.isArray(marker)) continue
      const [kind, opens, closes, value] = marker as [number, number[], number, unknown]
      for (const index of Array.isArray(opens) ? opens : []) {
        const markup = markups[index]
        if (!markup) continue
        const tag = String(markup[0]).toLowerCase()
        const attrs = markup[1] ?? []
        const href = tag === 'a' ? attrs[attrs.indexOf('href') + 1] : undefined
        const safeTag = ['a', 'b', 'strong', 'i', 'em', 'code', 's', 'u', 'sub', 'sup'].includes(tag) ? tag : 'span'
        out += safeTag === 'a' && typeof href === 'string' ? `<a href="${escapeHtml(href)}">` : `<${safeTag}>`
        open.push(safeTag)
      }
      if (kind === 1) {
        const atom = atoms[Number(value)]
        out += escapeHtml(typeof atom?.[1] === 'string' ? atom[1] : '')
      } else out += escapeHtml(typeof value === 'string' ? value : '')
      for (let i = 0; i < (typeof closes === 'number' ? closes : 0) && open.length > 0; i++) out += `</${open.pop()}>`
    }
    while (open.length > 0) out += `</${open.pop()}>`
    return out
  }
  const parts: string[] = []
  for (const section of doc.sections ?? []) {
    if (!Array.isArray(section)) continue
    const type = section[0]
    if (type === 1) {
      const tag = String(section[1]).toLowerCase()
      const safe = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'aside'].includes(tag) ? (tag === 'aside' ? 'blockquote' : tag) : 'p'
      parts.push(`<${safe}>${renderMarkers(section[2])}</${safe}>`)
    } else if (type === 3) {
      const tag = String(section[1]).toLowerCase() === 'ol' ? 'ol' : 'ul'
      const items = Array.isArray(section[2]) ? section[2] : []
      parts.push(`<${tag}>${items.map((item) => `<li>${renderMarkers(item)}</li>`).join('')}</${tag}>`)
    } else if (type === 10) {
      const card = cards[Number(section[1])]
      if (!card) continue
      const [name, payload] = card
      if (name === 'image') parts.push(imageHtml(payload.src, payload.alt, payload.caption, payload.width, payload.height))
      else if (name === 'html') parts.push(typeof payload.html === 'string' ? payload.html : '')
      else if (name === 'markdown' || name === 'card-markdown') parts.push(markdownToHtml(typeof payload.markdown === 'string' ? payload.markdown : ''))
      else if (name === 'hr') parts.push('<hr>')
    }
  }
  return parts.join('')
}
