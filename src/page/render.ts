// The token view of the web page: a decoded token as tables, one per service, with the fields
// the library's service table lists (as the CLI prints them).
import { SERVICES, type DecodedPrivilege, type DecodedService, type DecodedToken } from '../index';

export const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;

export function element(tag: string, text?: unknown, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function time(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')} (${seconds})`;
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return (h ? `${h}h ` : '') + (h || m ? `${m}m ` : '') + `${s % 60}s`;
}

function table(rows: [string, string][]): HTMLElement {
  const t = element('table');
  for (const [label, value] of rows) {
    const tr = element('tr');
    tr.append(element('th', label), element('td', value));
    t.append(tr);
  }
  return t;
}

function privilegeText(p: DecodedPrivilege): string {
  return `${p.name ?? `privilege ${p.id}`} (${p.id}): ${p.expiresAt === null ? 'no limit of its own' : `until ${time(p.expiresAt)}`}`;
}

function fieldText(value: unknown): string {
  return value === '' ? '"" (empty)' : JSON.stringify(value);
}

export function renderToken(decoded: DecodedToken): HTMLElement {
  const box = element('div');
  box.dataset.version = decoded.version;
  if (decoded.version === '007') {
    box.append(table([
      ['version', '007 (AccessToken2)'], ['app ID', decoded.appId], ['issued', time(decoded.issueTs)],
      ['expires', `${time(decoded.expiresAt)}, lifetime ${duration(decoded.expire)}`], ['salt', String(decoded.salt)],
    ]));
    for (const service of decoded.services) {
      const section = element('div', undefined, 'service');
      section.dataset.service = service.name;
      section.append(element('strong', `${service.label} service (type ${service.type})`));
      const spec = SERVICES[service.type];
      const rows: [string, string][] = (spec ? spec.fields : []).map((f) => [f.name, fieldText(service[f.name as keyof DecodedService])]);
      for (const p of service.privilegeDetails) rows.push(['privilege', privilegeText(p)]);
      if (service.privilegeDetails.length === 0) rows.push(['privileges', 'none']);
      if (service.unparsed) rows.push(['unparsed', `${service.unparsed.length} bytes of an unknown service type`]);
      section.append(table(rows));
      box.append(section);
    }
  } else {
    const rows: [string, string][] = [
      ['version', '006 (AccessToken, legacy)'], ['app ID', decoded.appId], ['expires', time(decoded.expiresAt)],
      ['salt', String(decoded.salt)], ['CRC-32 of channel', String(decoded.crcChannelName)], ['CRC-32 of uid', String(decoded.crcUid)],
    ];
    for (const p of decoded.privilegeDetails) rows.push(['privilege', privilegeText(p)]);
    box.append(table(rows));
  }
  return box;
}

export function problem(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; type?: unknown } | undefined;
  const code = e && (e.code ?? e.type);
  return (code !== undefined ? `${String(code)}: ` : '') + (e && e.message ? String(e.message) : String(error));
}
