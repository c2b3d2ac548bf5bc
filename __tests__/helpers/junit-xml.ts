import { SaxesParser } from 'saxes'

/** An element of a parsed XML document: its attributes, child elements and text. */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  /** The element's own character data, references resolved. */
  text: string
}

/**
 * Parses XML with saxes, a conforming XML 1.0 parser that refuses what lxml (which
 * EnricoMi/publish-unit-test-result-action reads with) refuses: a character XML does not allow,
 * `]]>` in text, a bare `<` or `&`, unbalanced tags. Throws on the first such error.
 */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser()
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  let failure: Error | undefined
  parser.on('error', error => (failure ??= error))
  parser.on('opentag', tag => {
    const element: XmlElement = {
      name: tag.name,
      attributes: tag.attributes as Record<string, string>,
      children: [],
      text: ''
    }
    stack.at(-1)?.children.push(element)
    root ??= element
    stack.push(element)
  })
  parser.on('text', text => {
    const open = stack.at(-1)
    if (open) open.text += text
  })
  parser.on('closetag', () => void stack.pop())
  parser.write(xml).close()
  if (failure) throw failure
  if (!root) throw new Error('no root element')
  return root
}

/** The children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter(child => child.name === name)
}

/** A JUnit document's one suite, checked to be the only one under `testsuites`. */
export function onlySuite(xml: string): XmlElement {
  const root = parseXml(xml)
  if (root.name !== 'testsuites') throw new Error(`root is ${root.name}`)
  const suites = childrenNamed(root, 'testsuite')
  if (suites.length !== 1) throw new Error(`${suites.length} suites`)
  return suites[0] as XmlElement
}

/**
 * The documented replacement, written out here rather than imported: every code unit outside
 * XML 1.0's Char becomes U+FFFD, a surrogate pair stays.
 */
export function documentedReplacement(value: string): string {
  let out = ''
  for (let at = 0; at < value.length; at++) {
    const code = value.charCodeAt(at)
    const next = value.charCodeAt(at + 1)
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += value[at] + (value[at + 1] as string)
      at++
    } else if (
      (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) ||
      (code >= 0xd800 && code <= 0xdfff) ||
      code === 0xfffe ||
      code === 0xffff
    ) {
      out += '\ufffd'
    } else {
      out += value[at]
    }
  }
  return out
}
