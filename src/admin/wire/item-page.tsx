import type { Section, Tag } from '../../sections/index.ts'
import { ArticleBody, formatDateTime } from '../../site/index.ts'
import type { DeskItem, DiffPart, ItemVersion, RoutingRule } from '../../wire/index.ts'
import { AdminLayout, type AdminChrome } from '../shell/layout.tsx'
import { ItemBadges } from './desk-page.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

/** A word diff, with insertions and deletions marked for people and screen readers alike. */
export function DiffView({ parts }: { parts: DiffPart[] }) {
  return (
    <div class="diff">
      {parts.map((part) =>
        part.kind === 'added' ? <ins>{part.text}</ins> : part.kind === 'removed' ? <del>{part.text}</del> : <span>{part.text}</span>,
      )}
    </div>
  )
}

/** One wire item: its text, facts, desk notes, versions, routing and the way to a draft. */
export function WireItemPage(props: {
  chrome: AdminChrome
  item: DeskItem
  versions: ItemVersion[]
  shown: ItemVersion
  diff: { from: number; to: number; parts: DiffPart[] } | null
  sections: Section[]
  tags: Tag[]
  rules: RoutingRule[]
  groupSiblings: DeskItem[]
  canDraft: boolean
  /** May add the item's pictures to the media library. */
  canTakePictures?: boolean
  timeZone: string
  now: string
  notice?: string
  /** A problem to show at the top, e.g. a picture the agency's server would not give. */
  alert?: string
}) {
  const { chrome, item, versions, shown, diff, sections, tags, rules, groupSiblings, canDraft, timeZone, now } = props
  const w = shown.item
  const byId = <T extends { id: string; name: string }>(list: T[], ids: string[]) => ids.map((id) => list.find((x) => x.id === id)?.name ?? id)
  const isEmbargoed = item.embargoUntil !== null && item.embargoUntil > now
  const isKilled = item.pubStatus !== 'usable'
  return (
    <AdminLayout chrome={chrome} title={w.headline}>
      <p>
        <a href="/admin/wire">← Wire desk</a>
      </p>
      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.alert ? (
        <p class="notice notice-danger" role="alert">
          {props.alert}
        </p>
      ) : null}
      {isKilled ? (
        <p class="notice notice-danger" role="alert">
          The agency has {item.pubStatus === 'canceled' ? 'killed' : 'withdrawn'} this story. Do not publish it
          {item.articleId ? '; the article made from it needs an editor now.' : '.'}
        </p>
      ) : null}
      {isEmbargoed ? (
        <p class="notice notice-warn">
          Embargoed until <time datetime={item.embargoUntil!}>{formatDateTime(item.embargoUntil!, timeZone)}</time>. No article can be made before then.
        </p>
      ) : null}
      <h1>{w.headline}</h1>
      <p>
        <ItemBadges item={item} now={now} />
      </p>

      {item.articleId ? (
        <p class="notice">
          A draft was made from version {item.articleVersion}: <a href={`/admin/articles/${item.articleId}`}>open the draft</a>.
        </p>
      ) : canDraft ? (
        <form method="post" action={`/admin/wire/items/${item.id}/draft`}>
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <button type="submit" disabled={isEmbargoed || isKilled}>
            Create draft
          </button>
          {isEmbargoed || isKilled ? <p class="hint">Not possible while the story is {isKilled ? 'killed or withdrawn' : 'embargoed'}.</p> : null}
        </form>
      ) : null}

      <h2>Facts</h2>
      <dl class="facts">
        <dt>Agency</dt>
        <dd>
          {w.agencyName ?? item.agencyKey.toUpperCase()} {w.agency ? `(${w.agency})` : null}
        </dd>
        <dt>Agency id</dt>
        <dd>
          <code>{item.agencyItemId}</code>
        </dd>
        <dt>Format</dt>
        <dd>
          {w.format}
          {w.formatVersion ? ` ${w.formatVersion}` : null}
        </dd>
        <dt>Version shown</dt>
        <dd>
          {shown.number} of {item.versionCount}
          {shown.agencyVersion !== null ? ` (agency version ${shown.agencyVersion})` : null}
        </dd>
        {w.slugline ? (
          <>
            <dt>Slugline</dt>
            <dd>{w.slugline}</dd>
          </>
        ) : null}
        {w.dateline ? (
          <>
            <dt>Dateline</dt>
            <dd>{w.dateline}</dd>
          </>
        ) : null}
        {w.byline ? (
          <>
            <dt>Byline</dt>
            <dd>{w.byline}</dd>
          </>
        ) : null}
        {w.creditLine ? (
          <>
            <dt>Credit</dt>
            <dd>{w.creditLine}</dd>
          </>
        ) : null}
        <dt>Language</dt>
        <dd>{w.language ?? 'not stated'}</dd>
        <dt>Urgency</dt>
        <dd>{w.urgency ?? 'not stated'}</dd>
        <dt>Subjects</dt>
        <dd>{w.subjects.length > 0 ? w.subjects.map((s) => `${s.name ?? s.code} (${s.scheme ? `${s.scheme}:` : ''}${s.code})`).join(', ') : 'none'}</dd>
        <dt>Keywords</dt>
        <dd>{w.keywords.length > 0 ? w.keywords.join(', ') : 'none'}</dd>
        <dt>Routed to</dt>
        <dd>
          {item.sectionIds.length + item.tagIds.length === 0
            ? 'no rule matched'
            : [...byId(sections, item.sectionIds), ...byId(tags, item.tagIds).map((t) => `#${t}`)].join(', ')}
          {item.ruleIds.length > 0 ? ` (rules: ${byId(rules, item.ruleIds).join(', ')})` : null}
        </dd>
      </dl>

      {w.editorialNotes.length > 0 ? (
        <section aria-labelledby="notes-title">
          <h2 id="notes-title">Notes to the desk (never published)</h2>
          <ul>
            {w.editorialNotes.map((note) => (
              <li>{note}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {groupSiblings.length > 0 ? (
        <section aria-labelledby="group-title">
          <h2 id="group-title">The same story from other agencies</h2>
          <ul>
            {groupSiblings.map((s) => (
              <li>
                <a href={`/admin/wire/items/${s.id}`}>{s.headline}</a> <span class="meta">({s.agencyName ?? s.agencyKey.toUpperCase()})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <h2>Text</h2>
      {w.summary ? <p>{w.summary}</p> : null}
      <div class="preview">
        <ArticleBody body={w.body} timeZone={timeZone} />
      </div>
      {w.pictures.length > 0 ? (
        <>
          <h2>{w.kind === 'picture' || w.kind === 'graphic' ? `This item is a ${w.kind}` : 'Pictures'}</h2>
          <ul>
            {w.pictures.map((p, i) => (
              <li>
                {p.href ? <a href={p.href}>{p.caption ?? p.altText ?? p.href}</a> : <>{p.caption ?? p.altText ?? p.file}</>}
                {p.file ? <span class="meta"> (file {p.file}, delivered with the copy)</span> : null}
                {p.credit ? ` (${p.credit})` : null}
                {p.width && p.height ? <span class="meta"> {p.width} × {p.height}</span> : null}
                {props.canTakePictures ? (
                  <form method="post" action={`/admin/wire/items/${item.id}/pictures/${i + 1}`} class="inline-form">
                    <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                    <button type="submit">
                      Add <span class="visually-hidden">picture {i + 1} </span>to media library
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Versions</h2>
      <TableScroll label="Table of versions">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Agency version</th>
              <th scope="col">Received</th>
              <th scope="col">Status</th>
              <th scope="col">Links</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td>{v.number}</td>
                <td>{v.agencyVersion ?? '—'}</td>
                <td>
                  <time datetime={v.receivedAt}>{formatDateTime(v.receivedAt, timeZone)}</time>
                </td>
                <td>{v.item.pubStatus}</td>
                <td>
                  <a href={`/admin/wire/items/${item.id}?version=${v.number}`}>Show</a>
                  {v.number > 1 ? (
                    <>
                      {' · '}
                      <a href={`/admin/wire/items/${item.id}?from=${v.number - 1}&to=${v.number}`}>Changes from {v.number - 1}</a>
                    </>
                  ) : null}
                  {' · '}
                  <a href={`/admin/wire/raw/${v.rawId}`}>Raw source</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {diff ? (
        <section aria-labelledby="diff-title">
          <h2 id="diff-title">
            Changes from version {diff.from} to {diff.to}
          </h2>
          <DiffView parts={diff.parts} />
        </section>
      ) : null}
    </AdminLayout>
  )
}
