import { MAX_DEPTH, nodesToBlocks, nodesToText, type ConvertOptions, type Converted, type HNode } from '../../html-to-blocks/index.ts'
import type { XmlNode } from './xml.ts'

/**
 * XHTML inside agency copy (NewsML-G2 inlineXML, Atom xhtml content) becomes
 * blocks through the same converter as HTML: our XML reader's nodes are
 * handed over as the converter's neutral element tree, XHTML's own namespace
 * and none only, so foreign markup keeps its text and loses its elements.
 */
export function xhtmlToBlocks(nodes: readonly XmlNode[], opts: ConvertOptions = {}): Converted {
  return nodesToBlocks(nodes.map((node) => fromXml(node, 0)), opts)
}

export function xhtmlToText(nodes: readonly XmlNode[]): string {
  return nodesToText(nodes.map((node) => fromXml(node, 0)))
}

function fromXml(node: XmlNode, depth: number): HNode {
  if (node.type === 'text') return { kind: 'text', text: node.value }
  const tag = node.local.toLowerCase()
  if (depth > MAX_DEPTH) {
    let text = ''
    const stack: XmlNode[] = [node]
    while (stack.length > 0) {
      const n = stack.pop()!
      if (n.type === 'text') text += n.value
      else for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!)
    }
    return { kind: 'text', text }
  }
  const attrs: Record<string, string> = {}
  for (const a of node.attrs) if (a.ns === '' || a.ns === 'http://www.w3.org/1999/xhtml') attrs[a.local.toLowerCase()] = a.value
  return { kind: 'el', tag, attrs, children: node.children.map((c) => fromXml(c, depth + 1)) }
}
