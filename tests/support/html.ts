import { HTMLElement, type Node, NodeType, parse } from 'node-html-parser';

// Route tests read the HTML the app sends through a parser, not with regular expressions.

export function parseHtml(html: string): HTMLElement {
  return parse(html, { comment: false });
}

function collect(node: Node, out: string[]): void {
  if (node.nodeType === NodeType.TEXT_NODE) {
    out.push(node.text);
    return;
  }
  // Comments (React's <!-- --> between adjacent texts) join the texts on either side.
  if (node.nodeType === NodeType.COMMENT_NODE) return;
  if (node instanceof HTMLElement && ['script', 'style', 'template'].includes(node.tagName?.toLowerCase() ?? '')) return;
  out.push(' ');
  for (const child of node.childNodes) collect(child, out);
  out.push(' ');
}

/** The text a person reads, entities decoded, each element's text apart from the next, spaces collapsed. */
export function visibleText(html: string | HTMLElement): string {
  const out: string[] = [];
  collect(typeof html === 'string' ? parse(html, { comment: true }) : html, out);
  return out.join('').replace(/\s+/g, ' ');
}

/** The first element matching a CSS selector, or null. */
export function find(html: string, selector: string): HTMLElement | null {
  return parseHtml(html).querySelector(selector);
}

/** The value of the form control named `name` (input value, textarea text, selected option), or null. */
export function fieldValue(html: string, name: string): string | null {
  const control = find(html, `[name="${name}"]`);
  if (!control) return null;
  switch (control.tagName.toLowerCase()) {
    case 'textarea':
      return control.text;
    case 'select':
      return (control.querySelector('option[selected]') ?? control.querySelector('option'))?.getAttribute('value') ?? null;
    default:
      return control.getAttribute('value') ?? '';
  }
}

/** Every named field of the form matching `selector`, as a browser without JavaScript sends it (checked boxes only). */
export function formFields(html: string, selector: string): Record<string, string> {
  const form = parseHtml(html).querySelector(selector);
  if (!form) throw new Error(`No form ${selector}`);
  const fields: Record<string, string> = {};
  for (const el of form.querySelectorAll('input[name], textarea[name], select[name]')) {
    const name = el.getAttribute('name')!;
    const tag = el.tagName.toLowerCase();
    if (tag === 'textarea') fields[name] = el.text;
    else if (tag === 'select') fields[name] = (el.querySelector('option[selected]') ?? el.querySelector('option'))?.getAttribute('value') ?? '';
    else if (el.getAttribute('type') === 'checkbox') {
      if (el.hasAttribute('checked')) fields[name] = el.getAttribute('value') ?? 'on';
    } else fields[name] = el.getAttribute('value') ?? '';
  }
  return fields;
}
