import * as cheerio from 'cheerio'

/** Parses an HTML document with a real HTML parser (parse5 under cheerio). */
export function parseHtml(html: string): cheerio.CheerioAPI {
  return cheerio.load(html)
}

/** The trimmed, whitespace-collapsed text of the first match. */
export function textOf($: cheerio.CheerioAPI, selector: string): string {
  return $(selector).first().text().replace(/\s+/g, ' ').trim()
}

/** Parses an XML document (sitemaps, feeds) with element names kept as written. */
export function parseXml(xml: string): cheerio.CheerioAPI {
  return cheerio.load(xml, { xml: true })
}
