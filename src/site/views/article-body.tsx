import type { ComponentChildren } from 'preact'
import type { Attribution, Block, Body, Inline } from '../../articles/index.ts'
import { formatDate } from '../format.ts'

/**
 * Renders the structured body. Every string goes through Preact's escaping;
 * nothing here emits raw HTML, so stored content can never inject markup.
 */
export function ArticleBody({ body, timeZone, speakerHref }: { body: Body; timeZone: string; speakerHref?: (speaker: string) => string | undefined }) {
  return <div class="article-body">{body.map((block) => renderBlock(block, timeZone, speakerHref))}</div>
}

function renderInlines(content: readonly Inline[]): ComponentChildren {
  return content.map((run) => {
    let node: ComponentChildren = run.text
    for (const mark of run.marks ?? []) {
      if (mark.type === 'bold') node = <strong>{node}</strong>
      else if (mark.type === 'italic') node = <em>{node}</em>
      else node = <a href={mark.href}>{node}</a>
    }
    return node
  })
}

/** "— Ana Pérez, Foreign Minister, in an interview with ACP, February 2, 2026" */
function attributionLine(a: Attribution, timeZone: string, speakerHref?: (speaker: string) => string | undefined): ComponentChildren {
  // The speaker links to everything the paper has quoted them as saying (the quotes ledger).
  const href = speakerHref?.(a.speaker)
  const parts: ComponentChildren[] = [<cite>{href ? <a href={href}>{a.speaker}</a> : a.speaker}</cite>]
  if (a.role) parts.push(`, ${a.role}`)
  // One talks "with" an interviewer but "to" reporters or a committee.
  const preposition = a.context && /interview|conversation|talk/i.test(a.context) ? 'with' : 'to'
  const how = [a.context, a.givenTo ? `${preposition} ${a.givenTo}` : null].filter(Boolean).join(' ')
  if (how) parts.push(`, ${how}`)
  if (a.via) parts.push(`, via ${a.via}`)
  if (a.date) {
    parts.push(', ')
    parts.push(<time datetime={a.date}>{formatDate(`${a.date}T12:00:00Z`, timeZone)}</time>)
  }
  return parts
}

function renderBlock(block: Block, timeZone: string, speakerHref?: (speaker: string) => string | undefined): ComponentChildren {
  switch (block.type) {
    case 'paragraph':
      return <p>{renderInlines(block.content)}</p>
    case 'heading':
      return block.level === 2 ? <h2>{renderInlines(block.content)}</h2> : <h3>{renderInlines(block.content)}</h3>
    case 'quote':
      return (
        <figure class="quote">
          <blockquote>
            <p>{renderInlines(block.content)}</p>
          </blockquote>
          <figcaption>— {attributionLine(block.attribution, timeZone, speakerHref)}</figcaption>
        </figure>
      )
    case 'pullquote':
      return (
        <aside class="pullquote" aria-label="Pull quote">
          <p>{block.text}</p>
          {block.speaker ? <p class="pullquote-speaker">— {block.speaker}</p> : null}
        </aside>
      )
    case 'image':
      return (
        <figure class="image">
          <img src={block.src} alt={block.alt} width={block.width} height={block.height} loading="lazy" decoding="async" />
          {block.caption || block.credit ? (
            <figcaption>
              {block.caption}
              {block.credit ? <span class="image-credit"> {block.credit}</span> : null}
            </figcaption>
          ) : null}
        </figure>
      )
    case 'list': {
      const items = block.items.map((item) => <li>{renderInlines(item)}</li>)
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>
    }
    case 'divider':
      return <hr />
    case 'embed':
      // No third-party scripts on public pages: an embed is a plain link until a reader follows it.
      return (
        <p class="embed">
          <a href={block.url}>{block.title}</a>
          {block.provider ? ` (${block.provider})` : null}
        </p>
      )
  }
}
