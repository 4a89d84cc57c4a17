import { bodyText, inlineText, type Article } from '../articles/index.ts'
import type { Db } from '../db/database.ts'
import { indexableText, type SearchDocument } from './port.ts'

/** The words quotes add to the index: the quoted text, who said it, their role and whom they said it to. */
export function quotesText(article: Pick<Article, 'body'>): string {
  const parts: string[] = []
  for (const block of article.body) {
    if (block.type === 'quote') {
      const a = block.attribution
      parts.push([inlineText(block.content), a.speaker, a.role, a.givenTo, a.via].filter(Boolean).join(' '))
    } else if (block.type === 'pullquote') {
      parts.push([block.text, block.speaker].filter(Boolean).join(' '))
    }
  }
  return parts.join('\n')
}

/**
 * What the index holds for a story, with bylines, tags and credit looked up
 * in the same transaction as the change being indexed.
 */
export type IndexedFields = Pick<Article, 'id' | 'title' | 'dek' | 'dateline' | 'body' | 'authorIds' | 'tagIds' | 'sourceId' | 'publishedAt' | 'createdAt'>

export async function buildSearchDocument(trx: Db, article: IndexedFields): Promise<SearchDocument> {
  const [authors, tags, source] = await Promise.all([
    article.authorIds.length > 0 ? trx.selectFrom('authors').select(['id', 'name']).where('id', 'in', article.authorIds).execute() : [],
    article.tagIds.length > 0 ? trx.selectFrom('tags').select('name').where('id', 'in', article.tagIds).execute() : [],
    article.sourceId ? trx.selectFrom('sources').select(['name', 'credit']).where('id', '=', article.sourceId).executeTakeFirst() : undefined,
  ])
  const authorName = new Map(authors.map((a) => [a.id, a.name]))
  return {
    articleId: article.id,
    headline: indexableText(article.title),
    dek: indexableText(article.dek ?? ''),
    body: indexableText([article.dateline ?? '', bodyText(article.body)].filter(Boolean).join(' — ')),
    quotes: indexableText(quotesText(article)),
    authors: indexableText(article.authorIds.map((id) => authorName.get(id) ?? '').join(', ')),
    tags: indexableText(tags.map((t) => t.name).join(', ')),
    credit: indexableText(source ? `${source.credit} ${source.name}` : ''),
    sourceId: article.sourceId,
    publishedAt: article.publishedAt ?? article.createdAt,
  }
}
