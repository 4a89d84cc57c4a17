/**
 * White space that collapsing to one space changes: any run but a lone space.
 * Replacing every run, lone spaces included, made a new copy of nearly every
 * text, which a wire backfill paid for in each paragraph of each item;
 * matching only what changes leaves ordinary text as it is.
 */
const SPACE_TO_COLLAPSE = /[^\S ]\s*| \s+/g
/** The same for HTML's white space (space, tab, line feed, carriage return, form feed), which keeps a no-break space. */
const HTML_SPACE_TO_COLLAPSE = /[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+/g

/** Every run of white space (`\s`) as one space; the same as `text.replace(/\s+/g, ' ')`. */
export function collapseSpaces(text: string): string {
  return text.replace(SPACE_TO_COLLAPSE, ' ')
}

/** Every run of HTML white space as one space; the same as `text.replace(/[ \t\n\r\f]+/g, ' ')`. */
export function collapseHtmlSpaces(text: string): string {
  return text.replace(HTML_SPACE_TO_COLLAPSE, ' ')
}
