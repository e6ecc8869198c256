/**
 * A small, linear XML rewriter for Office parts: enough XML to find elements and attributes
 * robustly (both quote styles, any whitespace, comments, CDATA, processing instructions), and
 * to drop an element with everything inside it or change its attributes. Text is copied as it
 * came. It is not a validating parser: input it cannot follow (an unterminated tag, a stray
 * end tag) throws, and the caller refuses the file rather than pass it on.
 */

export class XmlError extends Error {}

export interface Attr {
  name: string;
  value: string; // raw, entities not decoded
}

export interface StartTag {
  name: string;
  attrs: Attr[];
  selfClosing: boolean;
}

/** What to do with an element: keep it, drop it (and its content), or keep it with new attributes. */
export type Decision = { drop: true } | { attrs: Attr[] } | undefined;

export type Visitor = (tag: StartTag, path: readonly string[]) => Decision;

const NAME_END = /[\s/>]/;

function parseTag(xml: string, i: number): { tag: StartTag; end: number } {
  // i is at "<"; returns the index after ">"
  let p = i + 1;
  const nameStart = p;
  while (p < xml.length && !NAME_END.test(xml[p])) p++;
  const name = xml.slice(nameStart, p);
  if (!name) throw new XmlError("empty tag name");
  const attrs: Attr[] = [];
  for (;;) {
    while (p < xml.length && /\s/.test(xml[p])) p++;
    if (p >= xml.length) throw new XmlError("unterminated tag");
    if (xml[p] === ">") return { tag: { name, attrs, selfClosing: false }, end: p + 1 };
    if (xml[p] === "/" && xml[p + 1] === ">") return { tag: { name, attrs, selfClosing: true }, end: p + 2 };
    const aStart = p;
    while (p < xml.length && !/[\s=/>]/.test(xml[p])) p++;
    const aName = xml.slice(aStart, p);
    while (p < xml.length && /\s/.test(xml[p])) p++;
    if (!aName || xml[p] !== "=") throw new XmlError("attribute without value");
    p++;
    while (p < xml.length && /\s/.test(xml[p])) p++;
    const q = xml[p];
    if (q !== '"' && q !== "'") throw new XmlError("unquoted attribute");
    const close = xml.indexOf(q, p + 1);
    if (close < 0) throw new XmlError("unterminated attribute");
    attrs.push({ name: aName, value: xml.slice(p + 1, close) });
    p = close + 1;
  }
}

const escAttr = (v: string) => v.replace(/"/g, "&quot;");

function writeTag(tag: StartTag, attrs: Attr[]): string {
  const a = attrs.map((x) => ` ${x.name}="${escAttr(x.value)}"`).join("");
  return `<${tag.name}${a}${tag.selfClosing ? "/>" : ">"}`;
}

/**
 * Rewrites `xml`, asking `visit` about every start tag (with the names of its ancestors).
 * Comments and processing instructions other than the XML declaration are dropped (a comment
 * can carry anything); a DOCTYPE is refused (entity expansion has no place in a DOCX).
 */
export function rewriteXml(
  xml: string,
  visit: Visitor,
  onText?: (text: string, path: readonly string[]) => string,
): string {
  const out: string[] = [];
  const stack: string[] = [];
  const emit = (t: string) => (onText && t ? onText(t, stack) : t);
  let dropDepth = -1; // stack depth at which dropping started, or -1
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) {
      if (dropDepth < 0) out.push(emit(xml.slice(i)));
      break;
    }
    if (dropDepth < 0) out.push(emit(xml.slice(i, lt)));
    if (xml.startsWith("<!--", lt)) {
      const e = xml.indexOf("-->", lt + 4);
      if (e < 0) throw new XmlError("unterminated comment");
      i = e + 3;
    } else if (xml.startsWith("<![CDATA[", lt)) {
      const e = xml.indexOf("]]>", lt + 9);
      if (e < 0) throw new XmlError("unterminated CDATA");
      if (dropDepth < 0) out.push(xml.slice(lt, e + 3));
      i = e + 3;
    } else if (xml.startsWith("<?", lt)) {
      const e = xml.indexOf("?>", lt + 2);
      if (e < 0) throw new XmlError("unterminated processing instruction");
      if (xml.startsWith("<?xml ", lt) && dropDepth < 0) out.push(xml.slice(lt, e + 2));
      i = e + 2;
    } else if (xml.startsWith("<!", lt)) {
      throw new XmlError("DOCTYPE or declaration");
    } else if (xml[lt + 1] === "/") {
      const e = xml.indexOf(">", lt);
      if (e < 0) throw new XmlError("unterminated end tag");
      const name = xml.slice(lt + 2, e).trim();
      if (stack.pop() !== name) throw new XmlError("mismatched end tag");
      if (dropDepth < 0) out.push(`</${name}>`);
      else if (stack.length === dropDepth) dropDepth = -1;
      i = e + 1;
    } else {
      const { tag, end } = parseTag(xml, lt);
      i = end;
      if (dropDepth >= 0) {
        if (!tag.selfClosing) stack.push(tag.name);
        continue;
      }
      const d = visit(tag, stack);
      if (d && "drop" in d) {
        if (!tag.selfClosing) {
          dropDepth = stack.length;
          stack.push(tag.name);
        }
        continue;
      }
      out.push(writeTag(tag, d ? d.attrs : tag.attrs));
      if (!tag.selfClosing) stack.push(tag.name);
    }
  }
  if (stack.length > 0) throw new XmlError("unclosed element");
  return out.join("");
}

/** The local part of a qualified name: "w:author" → "author". */
export const localName = (qname: string) => qname.slice(qname.indexOf(":") + 1);
