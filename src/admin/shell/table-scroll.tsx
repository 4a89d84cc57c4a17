import type { ComponentChildren } from 'preact'

/**
 * A data table in a box of its own that scrolls sideways on a narrow screen,
 * so the table keeps its columns and the page itself still reflows at 320 CSS
 * pixels (WCAG 1.4.10). The box is a named region people can find, and it
 * takes keyboard focus so someone without a pointer can scroll it with the
 * arrow keys (axe: scrollable-region-focusable).
 *
 * `label` names the region and must be unique on the page (axe:
 * landmark-unique): "Table of staff accounts", not the section's own heading.
 */
export function TableScroll(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={props.label} tabindex={0}>
      {props.children}
    </div>
  )
}
