/**
 * A strict reader for the XML subset JUnit reports use (declaration, elements, attributes,
 * text, character and the five predefined entity references). It throws on anything not
 * well-formed, so a test can prove the report parses, and returns the tree to inspect.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  if (ILLEGAL.test(source)) throw new Error('character not allowed in XML');
  let at = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at offset ${at}: ${JSON.stringify(source.slice(at, at + 40))}`);
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;]*);?/g, (match, body: string) => {
      if (!match.endsWith(';')) fail('unterminated entity reference');
      if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
      if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
      const value = ENTITIES[body];
      if (value === undefined) fail(`unknown entity &${body};`);
      return value as string;
    });
  const skipSpace = () => {
    while (/\s/.test(source[at] ?? '')) at += 1;
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end === -1) fail('unterminated declaration');
    at = end + 2;
  }
  skipSpace();
  const readElement = (): XmlElement => {
    if (source[at] !== '<') fail('expected <');
    at += 1;
    const name = NAME.exec(source.slice(at))?.[0] ?? fail('expected element name');
    at += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return element;
      }
      if (source[at] === '>') {
        at += 1;
        break;
      }
      const attribute = NAME.exec(source.slice(at))?.[0] ?? fail('expected attribute name');
      at += attribute.length;
      if (source[at] !== '=' || source[at + 1] !== '"') fail('expected ="');
      at += 2;
      const end = source.indexOf('"', at);
      if (end === -1) fail('unterminated attribute');
      const raw = source.slice(at, end);
      if (raw.includes('<')) fail('< in attribute value');
      if (attribute in element.attributes) fail(`duplicate attribute ${attribute}`);
      element.attributes[attribute] = decode(raw);
      at = end + 1;
    }
    for (;;) {
      const next = source.indexOf('<', at);
      if (next === -1) fail(`unclosed <${name}>`);
      const raw = source.slice(at, next);
      if (raw.includes('>') && raw.includes(']]>')) fail(']]> in text');
      element.text += decode(raw);
      at = next;
      if (source.startsWith('</', at)) {
        at += 2;
        if (!source.startsWith(`${name}>`, at)) fail(`mismatched closing tag for <${name}>`);
        at += name.length + 1;
        return element;
      }
      element.children.push(readElement());
    }
  };
  const root = readElement();
  skipSpace();
  if (at !== source.length) fail('content after the root element');
  return root;
}
