import type { AwsError, Service } from './errors.ts';

// The query protocol's XML, written as AWS writes it: <ActionResponse><ActionResult>...,
// <ResponseMetadata><RequestId>, and errors as ErrorResponse/Error/{Type,Code,Message} + RequestId.
// Plain string building keeps the hot path cheap (the sandbox is also a benchmark target).

export const NAMESPACES: Record<Service, string> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  cloudformation: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function esc(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** An XML element tree as nested plain objects; arrays become <member> lists. */
export type XmlNode = string | number | boolean | null | undefined | XmlNode[] | { [name: string]: XmlNode };

export function toXml(node: XmlNode): string {
  if (node === null || node === undefined) return '';
  if (Array.isArray(node)) return node.map((m) => `<member>${toXml(m)}</member>`).join('');
  if (typeof node === 'object') {
    let out = '';
    for (const [name, child] of Object.entries(node)) {
      if (child === undefined) continue;
      out += `<${name}>${toXml(child)}</${name}>`;
    }
    return out;
  }
  return esc(node);
}

export function successXml(
  service: Service,
  action: string,
  result: XmlNode | null,
  requestId: string,
): string {
  const body = result === null ? '' : `<${action}Result>${toXml(result)}</${action}Result>`;
  return (
    `<${action}Response xmlns="${NAMESPACES[service]}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`
  );
}

export function errorXml(service: Service, error: AwsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${NAMESPACES[service]}"><Error><Type>${error.type}</Type>` +
    `<Code>${esc(error.code)}</Code><Message>${esc(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>\n`
  );
}

/** A body that starts like a real answer and stops mid-element: no XML parser accepts it. */
export function malformedXml(service: Service, action: string): string {
  return `<${action}Response xmlns="${NAMESPACES[service]}"><${action}Result><Arn>arn:aws:`;
}
