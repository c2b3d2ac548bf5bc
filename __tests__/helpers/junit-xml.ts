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
